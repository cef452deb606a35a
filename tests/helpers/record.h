/* Shared by bench/gibench.c and testapp's benchmark modes: the clock both
 * sides of a measurement read, and the one-record protocol over a FIFO. */
#ifndef GI_TEST_RECORD_H
#define GI_TEST_RECORD_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC is not namespaced here (no time namespaces are made), so a
 * timestamp taken by the command inside the init's PID namespace compares
 * directly with one taken by the driver outside it. */
static inline int64_t now_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Every message from the command to the driver is one int64 (a pipe write
 * of 8 bytes is atomic): READY once the command's handlers are in place,
 * otherwise the CLOCK_MONOTONIC time its handler ran. */
#define RECORD_READY ((int64_t)0)

#endif
