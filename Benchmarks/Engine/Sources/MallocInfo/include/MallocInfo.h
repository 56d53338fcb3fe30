// glibc's allocator figures, which Swift's Glibc module does not bring in (they are in <malloc.h>).
#pragma once
#include <stddef.h>

/// Bytes handed out by malloc and not yet freed.
size_t malloc_info_allocated(void);

/// Gives freed memory back to the system, so that the resident size counts only what is in use.
void malloc_info_trim(void);
