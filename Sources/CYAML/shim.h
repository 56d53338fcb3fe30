#ifndef WAYMARK_CYAML_SHIM_H
#define WAYMARK_CYAML_SHIM_H
#include <yaml.h>
#endif
