#include "sigmask.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__mips__) || defined(__alpha__) || defined(__sparc__)
#error "the kernel's struct sigaction does not start with the handler here: see sig_action"
#endif

int sigmask_change(int how, sigmask_bits set, sigmask_bits *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, &set, old, sizeof(set));
}

int sig_timedwait(sigmask_bits set, siginfo_t *info, const struct timespec *timeout)
{
#ifdef SYS_rt_sigtimedwait_time64
	/* A 32-bit target whose libc has a 64-bit time_t (musl since 1.2):
	 * its timespec has the layout of the time64 call's. */
	if (sizeof(time_t) > sizeof(long))
		return (int)syscall(SYS_rt_sigtimedwait_time64, &set, info, timeout, sizeof(set));
#endif
	return (int)syscall(SYS_rt_sigtimedwait, &set, info, timeout, sizeof(set));
}

/* The kernel's struct sigaction: the handler, the flags, a restorer on most
 * architectures, then the mask; room for the largest of them. With SIG_DFL
 * or SIG_IGN nothing but the handler is needed (a restorer matters only to a
 * handler that returns), so all else stays zero whatever the shape. musl's
 * sigaction would add its abort lock and its handler bookkeeping: about
 * 600 bytes. */
struct kernel_sigaction {
	void (*handler)(int);
	// cppcheck-suppress unusedStructMember ; the kernel's, zero or written by it
	unsigned long rest[4];
};

int sig_action(int sig, void (*handler)(int), void (**old)(int))
{
	struct kernel_sigaction set, was;

	memset(&set, 0, sizeof(set));
	memset(&was, 0, sizeof(was));
	set.handler = handler;
	if (syscall(SYS_rt_sigaction, sig, &set, &was, sizeof(sigmask_bits)) != 0)
		return -1;
	if (old)
		*old = was.handler;
	return 0;
}
