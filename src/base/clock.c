#include "clock.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The system call, not libc's clock_gettime: its vDSO lookup is a kilobyte
 * of the binary, and gracefulinit reads the clock a few times per event,
 * where the system call's fraction of a microsecond does not show. */
static void monotonic(struct timespec *ts)
{
	/* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer. */
#ifdef SYS_clock_gettime64
	/* A 32-bit target with a 64-bit time_t, as in sigmask.c (musl there
	 * names the old call SYS_clock_gettime32, so that nobody uses it by
	 * mistake). */
	if (sizeof(time_t) > sizeof(long)) {
		(void)syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, ts);
		return;
	}
#endif
#ifdef SYS_clock_gettime
	(void)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
#endif
}

long long clock_now_ns(void)
{
	struct timespec ts;

	monotonic(&ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

long long clock_now_ms(void) { return clock_now_ns() / 1000000; }
