#include "signals.h"

#include <string.h>
#include <strings.h>

#include "format.h"
#include "number.h"

/* SIGTTIN/SIGTTOU/SIGTSTP are forwarded like the rest: the kernel never sends
 * them to gracefulinit for its own terminal use, because they are blocked
 * (blocked signals count as ignored for tty access, see tty_check_change).
 *
 * The fault signals (ILL, TRAP, BUS, FPE, SEGV, SYS) are blocked and
 * forwarded too: one that sigwaitinfo returns was sent with kill(2) or
 * sigqueue(3), a message like any other (dumb-init forwards them). A real
 * fault in gracefulinit still kills it: the kernel unblocks a fault signal
 * it forces on the faulting thread (force_sig_fault). */
static const char signal_names[] = "HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0USR1\0SEGV\0USR2\0PIPE\0"
				   "ALRM\0TERM\0STKFLT\0CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0"
				   "VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS";
#define NAMED_SIGNALS 31
/* The names are the numbers' order, which all six architectures share (the
 * generic Linux numbering; MIPS, Alpha and SPARC, which differ, are not
 * built for). One string, not a table of pointers or padded fields. */
_Static_assert(SIGBUS == 7 && SIGUSR1 == 10 && SIGSTKFLT == 16 && SIGCHLD == 17 && SIGSTOP == 19 && SIGTSTP == 20 &&
		       SIGURG == 23 && SIGIO == 29 && SIGPWR == 30 && SIGSYS == 31,
	       "signal numbers in the generic Linux order");

/* The name of a signal from 1 to NAMED_SIGNALS, without "SIG". */
static const char *short_name(int sig)
{
	const char *name = signal_names;

	while (--sig > 0)
		name += strlen(name) + 1;
	return name;
}

/* KILL and STOP cannot be caught; CHLD is the reaper's; every other one,
 * named or real-time, is forwarded. */
enum signal_policy signal_policy(int sig)
{
	if (sig == SIGKILL || sig == SIGSTOP)
		return SIGNAL_UNCATCHABLE;
	if (sig == SIGCHLD)
		return SIGNAL_REAP;
	if ((sig >= 1 && sig <= NAMED_SIGNALS) || (sig >= SIGNAL_RTMIN && sig <= SIGNAL_RTMAX))
		return SIGNAL_FORWARD;
	return SIGNAL_RESERVED;
}

int signal_starts_stop(int sig) { return sig == SIGTERM || sig == SIGINT; }

static int parse_decimal(const char *s, int *out)
{
	unsigned long long v;

	if (number_parse(s, NUMBER_TO_NUL, SIGNAL_LIMIT, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* "RTMIN", "RTMIN+3", "RTMAX-2". */
static int parse_realtime(const char *s)
{
	int base, offset = 0, sign;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGNAL_RTMIN;
		sign = 1;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGNAL_RTMAX;
		sign = -1;
	} else {
		return -1;
	}
	s += 5;
	if (*s != '\0') {
		if (*s != (sign > 0 ? '+' : '-') || parse_decimal(s + 1, &offset) != 0)
			return -1;
	}
	int sig = base + sign * offset;
	return sig >= SIGNAL_RTMIN && sig <= SIGNAL_RTMAX ? sig : -1;
}

int signal_from_name(const char *name, int allow_none)
{
	int sig;

	if (name == NULL || *name == '\0')
		return -1;
	if (parse_decimal(name, &sig) == 0) {
		if (sig == 0)
			return allow_none ? 0 : -1;
		return signal_policy(sig) == SIGNAL_RESERVED ? -1 : sig;
	}
	if (allow_none && strcasecmp(name, "NONE") == 0)
		return 0;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (int i = 1; i <= NAMED_SIGNALS; i++)
		if (strcasecmp(short_name(i), name) == 0)
			return i;
	return parse_realtime(name);
}

const char *signal_name(int sig)
{
	/* A few buffers in turn, so one log line can name two signals. */
	static char bufs[4][16];
	static unsigned next;
	char *buf = bufs[next++ % 4];

	if (sig >= 1 && sig <= NAMED_SIGNALS)
		format(buf, sizeof(bufs[0]), "SIG%s", short_name(sig));
	else if (sig == SIGNAL_RTMIN)
		return "SIGRTMIN";
	else if (sig > SIGNAL_RTMIN && sig <= SIGNAL_RTMAX)
		format(buf, sizeof(bufs[0]), "SIGRTMIN+%d", sig - SIGNAL_RTMIN);
	else
		format(buf, sizeof(bufs[0]), "signal %d", sig);
	return buf;
}

sigmask_bits signal_wait_mask(void)
{
	sigmask_bits mask = 0;

	for (int sig = 1; sig < SIGNAL_LIMIT; sig++)
		if (signal_policy(sig) != SIGNAL_UNCATCHABLE)
			mask |= SIGMASK_BIT(sig);
	return mask;
}

void rewrite_init(struct signal_rewrite *rw)
{
	for (int sig = 0; sig < SIGNAL_LIMIT; sig++)
		rw->to[sig] = (unsigned char)sig;
}

int rewrite_apply(const struct signal_rewrite *rw, int sig)
{
	return sig > 0 && sig < SIGNAL_LIMIT ? rw->to[sig] : sig;
}
