/* The stop sequence as a pure state machine: events in (a signal arrived,
 * children were reaped, the deadline passed), actions out, and the next
 * deadline. No syscalls: the loop in supervise.c carries the actions out. */
#ifndef GRACEFULINIT_STOP_H
#define GRACEFULINIT_STOP_H

#define STOP_NO_DEADLINE (-1LL)

struct stop_state {
	long long grace_ms;    /* DURATION_OFF: never escalate */
	long long deadline_ms; /* monotonic; STOP_NO_DEADLINE */
	int stop_received;     /* a SIGTERM or SIGINT arrived */
	int stop_forwarded;    /* a stop signal went to the command's group */
	int escalated;         /* SIGKILL went out */
	int main_exited;
	int main_status;       /* docker-style: N or 128+N, before --exit-map */
};

enum stop_flags {
	STOP_FORWARD = 1 << 0,           /* send action.signal to the command */
	STOP_TERMINATE_LEFTOVERS = 1 << 1, /* SIGTERM to every remaining process */
	STOP_KILL_ALL = 1 << 2,          /* SIGKILL to every remaining process */
	STOP_EXIT = 1 << 3,              /* exit with action.exit_status */
	STOP_GRACE_STARTED = 1 << 4,     /* the deadline was set by this event */
	STOP_FIRST_STOP_SIGNAL = 1 << 5, /* the first SIGTERM/SIGINT: worth a notice */
	STOP_CONTINUE = 1 << 6,          /* SIGCONT after the forward: a stopped process runs its cleanup */
};

struct stop_action {
	unsigned flags;
	int signal;      /* STOP_FORWARD */
	int spare_group; /* STOP_TERMINATE_LEFTOVERS: the command's group already had a stop signal */
	int exit_status; /* STOP_EXIT */
};

void stop_init(struct stop_state *st, long long grace_ms);

/* received: the signal gracefulinit got; forward_as: after --rewrite (0: dropped). */
struct stop_action stop_on_signal(struct stop_state *st, int received, int forward_as, long long now_ms);

/* After a round of reaping. main_exited_now: the command was among the reaped,
 * with main_status; children_remain: gracefulinit still has children. */
struct stop_action stop_on_reaped(struct stop_state *st, int main_exited_now, int main_status,
				  int children_remain, long long now_ms);

/* The wait for signals timed out at the deadline. */
struct stop_action stop_on_deadline(struct stop_state *st, long long now_ms);

#endif
