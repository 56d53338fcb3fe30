#include "MallocInfo.h"
#include <malloc.h>

size_t malloc_info_allocated(void) {
#if defined(__GLIBC__)
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

void malloc_info_trim(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
