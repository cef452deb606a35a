/* Signal masks as the kernel keeps them, and the three calls that take one:
 * sigprocmask, sigtimedwait and sigaction, through the raw syscalls. Both libcs refuse to put 32-34 in a sigset_t (their threads use
 * them: sigaddset fails, musl's sigprocmask clears them), so a mask built the
 * usual way leaves them unblocked: lost as PID 1, fatal otherwise.
 * gracefulinit is single-threaded and uses no libc timers or cancellation,
 * so those signals are free for it to block and take. */
#ifndef GRACEFULINIT_SIGMASK_H
#define GRACEFULINIT_SIGMASK_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

/* Bit sig-1 stands for sig. 64 signals on every architecture gracefulinit
 * ships for (the kernel's _NSIG; only MIPS has 128). */
typedef uint64_t sigmask_bits;

#define SIGMASK_HIGHEST 64
#define SIGMASK_BIT(sig) ((sigmask_bits)1 << ((sig) - 1))

/* rt_sigprocmask: SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK; old may be NULL.
 * Returns 0, or -1 with errno. */
int sigmask_change(int how, sigmask_bits set, sigmask_bits *old);

/* rt_sigtimedwait: the signal, or -1 with errno (EAGAIN at the timeout).
 * timeout NULL waits for ever. */
int sig_timedwait(sigmask_bits set, siginfo_t *info, const struct timespec *timeout);

/* rt_sigaction with SIG_DFL or SIG_IGN and no flags: what gracefulinit sets
 * (SIGCHLD's default, the probe's ignored SIGPIPE) and what a process can
 * inherit across exec, which resets flags and caught signals. old (may be
 * NULL) receives the disposition it replaces. Returns 0, or -1 with errno. */
int sig_action(int sig, void (*handler)(int), void (**old)(int));

#endif
