#ifndef BARE_LOOP_H
#define BARE_LOOP_H
#include <stddef.h>

/// Runs libyaml's event parser over `input` and discards every event: the least any libyaml-based
/// loader can do. Returns the number of events, or -1 on a parse error.
long bare_event_loop(const unsigned char *input, size_t length);

#endif
