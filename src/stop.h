/* The stop sequence as a pure state machine: events in (a signal arrived,
 * children were reaped, a deadline passed), actions out, and the next
 * deadline. No syscalls: the loop in supervise.c carries the actions out.
 * gracefulinit(1), STOPPING, is the contract. */
#ifndef GRACEFULINIT_STOP_H
#define GRACEFULINIT_STOP_H

#include "sigmask.h"

#define STOP_NO_DEADLINE (-1LL)

/* No --grace: after a stop signal gracefulinit never sends SIGKILL, since
 * the engine kills at its own deadline and an earlier kill cuts the drain
 * the platform allows (docker stop -t 30, Kubernetes' 30 s). */
#define STOP_GRACE_ENGINE (-2LL)
/* With it: a notice names what still runs this long after the stop signal. */
#define STOP_NOTICE_MS 9000
/* With it: leftovers of a command that exited on its own get SIGKILL this
 * long after their SIGTERM, since nothing else would end them. */
#define STOP_LEFTOVER_GRACE_MS 10000

struct stop_config {
	long long grace_ms;    /* STOP_GRACE_ENGINE, DURATION_OFF (never), or ms */
	long long delay_ms;    /* --stop-delay: the first stop signal is held this long */
	int stop_signal;       /* --stop-signal: starts the stop like TERM and INT; 0: none */
};

struct stop_state {
	struct stop_config cfg;
	long long kill_at;     /* monotonic ms, or STOP_NO_DEADLINE */
	long long notice_at;
	long long release_at;  /* the held stop signal goes out */
	int held_signal;
	int stop_received;     /* a stop signal arrived */
	sigmask_bits forwarded; /* every signal sent to the command's group */
	sigmask_bits requests;  /* of those, the stop requests (after --rewrite) */
	int escalated;         /* SIGKILL went out */
	int main_exited;
	int main_status;       /* docker-style: N or 128+N, before --exit-map */
};

enum stop_flags {
	STOP_FORWARD = 1 << 0,           /* send action.signal to the command */
	STOP_TERMINATE_LEFTOVERS = 1 << 1, /* SIGTERM to the remaining processes not handling a request */
	STOP_KILL_ALL = 1 << 2,          /* SIGKILL to every remaining process */
	STOP_EXIT = 1 << 3,              /* exit with action.exit_status */
	STOP_GRACE_STARTED = 1 << 4,     /* a deadline was set by this event */
	STOP_FIRST_STOP_SIGNAL = 1 << 5, /* the first stop signal: worth a notice */
	STOP_CONTINUE = 1 << 6,          /* SIGCONT after the forward: a stopped process runs its cleanup */
	STOP_HELD = 1 << 7,              /* the stop signal waits out --stop-delay */
	STOP_NOTICE_REMAINING = 1 << 8,  /* name what still runs */
};

struct stop_action {
	unsigned flags;
	int signal;             /* STOP_FORWARD */
	sigmask_bits requests;  /* STOP_TERMINATE_LEFTOVERS: group members catching or blocking one are spared */
	int exit_status;        /* STOP_EXIT */
};

void stop_init(struct stop_state *st, const struct stop_config *cfg);

/* TERM, INT and --stop-signal. */
int stop_is_stop_signal(const struct stop_state *st, int sig);

/* The earliest pending deadline, or STOP_NO_DEADLINE. */
long long stop_next_deadline(const struct stop_state *st);

/* received: the signal gracefulinit got; forward_as: after --rewrite (0: dropped). */
struct stop_action stop_on_signal(struct stop_state *st, int received, int forward_as, long long now_ms);

/* After a round of reaping. main_exited_now: the command was among the
 * reaped, with main_status (and main_signal, the signal that killed it, or
 * 0); children_remain: gracefulinit still has children. */
struct stop_action stop_on_reaped(struct stop_state *st, int main_exited_now, int main_status, int main_signal,
				  int children_remain, long long now_ms);

/* The wait for signals timed out at stop_next_deadline. */
struct stop_action stop_on_deadline(struct stop_state *st, long long now_ms);

#endif
