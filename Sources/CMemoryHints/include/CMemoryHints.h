#ifndef WAYMARK_CMEMORYHINTS_H
#define WAYMARK_CMEMORYHINTS_H

/// Asks the processor to start loading the cache line holding `address`, without waiting for it.
///
/// Swift has no way to emit a prefetch instruction, and none of the packages this project may use
/// offers one, hence this header. A prefetch is only a hint: it never faults, whatever the address,
/// and changes no result, only when the memory arrives. `waymark run` reads each case's events from
/// places scattered across its input files; a load that waits for one of them costs hundreds of
/// cycles, where a prefetch issued a case ahead lets the wait overlap other work.
static inline void waymark_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
