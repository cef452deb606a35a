#include "sigmask.h"

#include <sys/syscall.h>
#include <unistd.h>

int sigmask_change(int how, sigmask_bits set, sigmask_bits *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, &set, old, sizeof(set));
}

int sigmask_wait(sigmask_bits set, siginfo_t *info, const struct timespec *timeout)
{
#ifdef SYS_rt_sigtimedwait_time64
	/* A 32-bit target whose libc has a 64-bit time_t (musl since 1.2):
	 * its timespec has the layout of the time64 call's. */
	if (sizeof(time_t) > sizeof(long))
		return (int)syscall(SYS_rt_sigtimedwait_time64, &set, info, timeout, sizeof(set));
#endif
	return (int)syscall(SYS_rt_sigtimedwait, &set, info, timeout, sizeof(set));
}
