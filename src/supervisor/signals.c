#include "signals.h"

#include <string.h>
#include <strings.h>

#include "format.h"
#include "number.h"

/* Names inline, not pointers: in a static-pie each pointer in a table costs
 * a relocation (24 bytes) on top of itself. */
struct signal_entry {
	char name[10];
	unsigned char number;
	unsigned char policy; /* enum signal_policy */
};

/* SIGTTIN/SIGTTOU/SIGTSTP are forwarded like the rest: the kernel never sends
 * them to gracefulinit for its own terminal use, because they are blocked
 * (blocked signals count as ignored for tty access, see tty_check_change).
 *
 * The fault signals (ILL, TRAP, BUS, FPE, SEGV, SYS) are blocked and
 * forwarded too: one that sigwaitinfo returns was sent with kill(2) or
 * sigqueue(3), a message like any other (dumb-init forwards them). A real
 * fault in gracefulinit still kills it: the kernel unblocks a fault signal
 * it forces on the faulting thread (force_sig_fault). */
static const struct signal_entry signal_table[] = {
	{ "SIGHUP", SIGHUP, SIGNAL_FORWARD },       { "SIGINT", SIGINT, SIGNAL_FORWARD },
	{ "SIGQUIT", SIGQUIT, SIGNAL_FORWARD },     { "SIGILL", SIGILL, SIGNAL_FORWARD },
	{ "SIGTRAP", SIGTRAP, SIGNAL_FORWARD },   { "SIGABRT", SIGABRT, SIGNAL_FORWARD },
	{ "SIGBUS", SIGBUS, SIGNAL_FORWARD },     { "SIGFPE", SIGFPE, SIGNAL_FORWARD },
	{ "SIGKILL", SIGKILL, SIGNAL_UNCATCHABLE }, { "SIGUSR1", SIGUSR1, SIGNAL_FORWARD },
	{ "SIGSEGV", SIGSEGV, SIGNAL_FORWARD },   { "SIGUSR2", SIGUSR2, SIGNAL_FORWARD },
	{ "SIGPIPE", SIGPIPE, SIGNAL_FORWARD },     { "SIGALRM", SIGALRM, SIGNAL_FORWARD },
	{ "SIGTERM", SIGTERM, SIGNAL_FORWARD },     { "SIGSTKFLT", SIGSTKFLT, SIGNAL_FORWARD },
	{ "SIGCHLD", SIGCHLD, SIGNAL_REAP },        { "SIGCONT", SIGCONT, SIGNAL_FORWARD },
	{ "SIGSTOP", SIGSTOP, SIGNAL_UNCATCHABLE }, { "SIGTSTP", SIGTSTP, SIGNAL_FORWARD },
	{ "SIGTTIN", SIGTTIN, SIGNAL_FORWARD },     { "SIGTTOU", SIGTTOU, SIGNAL_FORWARD },
	{ "SIGURG", SIGURG, SIGNAL_FORWARD },       { "SIGXCPU", SIGXCPU, SIGNAL_FORWARD },
	{ "SIGXFSZ", SIGXFSZ, SIGNAL_FORWARD },     { "SIGVTALRM", SIGVTALRM, SIGNAL_FORWARD },
	{ "SIGPROF", SIGPROF, SIGNAL_FORWARD },     { "SIGWINCH", SIGWINCH, SIGNAL_FORWARD },
	{ "SIGIO", SIGIO, SIGNAL_FORWARD },         { "SIGPWR", SIGPWR, SIGNAL_FORWARD },
	{ "SIGSYS", SIGSYS, SIGNAL_FORWARD },
};

static const struct signal_entry *find_number(int sig)
{
	for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++)
		if (signal_table[i].number == sig)
			return &signal_table[i];
	return NULL;
}

enum signal_policy signal_policy(int sig)
{
	const struct signal_entry *e = find_number(sig);

	if (e != NULL)
		return (enum signal_policy)e->policy;
	if (sig >= SIGNAL_RTMIN && sig <= SIGNAL_RTMAX)
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
	for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++)
		if (strcasecmp(signal_table[i].name + 3, name) == 0)
			return signal_table[i].number;
	return parse_realtime(name);
}

const char *signal_name(int sig)
{
	/* A few buffers in turn, so one log line can name two signals. */
	static char bufs[4][16];
	static unsigned next;
	char *buf = bufs[next++ % 4];
	const struct signal_entry *e = find_number(sig);

	if (e != NULL)
		return e->name;
	if (sig == SIGNAL_RTMIN)
		return "SIGRTMIN";
	if (sig > SIGNAL_RTMIN && sig <= SIGNAL_RTMAX) {
		format(buf, sizeof(bufs[0]), "SIGRTMIN+%d", sig - SIGNAL_RTMIN);
		return buf;
	}
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
