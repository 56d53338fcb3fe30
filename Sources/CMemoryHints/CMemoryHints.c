// The hints are inline functions in the header; SwiftPM needs one source file to build the target.
#include "CMemoryHints.h"
