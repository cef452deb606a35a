/* The supervisor's policy: one pure state machine. Events go in (a signal,
 * a reaped command, a deadline), the table in supervisor.c picks the step
 * for the current state, and an action comes out for the loop in
 * supervisor_sys.c to carry out. No syscalls here: the unit tests drive it
 * under a fake clock. gracefulinit(1), STOPPING, is the contract. */
#ifndef GRACEFULINIT_SUPERVISOR_H
#define GRACEFULINIT_SUPERVISOR_H

#include "health.h"
#include "restart.h"
#include "wait.h"
#include "watch.h"
#include "sigmask.h"
#include "signals.h"

#define SUPERVISOR_NO_DEADLINE (-1LL)

/* No --grace: after a stop signal gracefulinit never sends SIGKILL, since
 * the engine kills at its own deadline and an earlier kill cuts the drain
 * the platform allows (docker stop -t 30, Kubernetes' 30 s). */
#define SUPERVISOR_GRACE_ENGINE (-2LL)
/* Without --grace: a notice names what still runs this long after the stop signal. */
#define SUPERVISOR_NOTICE_MS 9000
/* Without --grace: leftovers of a command that exited on its own get SIGKILL
 * this long after their SIGTERM, since nothing else would end them. */
#define SUPERVISOR_LEFTOVER_GRACE_MS 10000
/* Without --grace: the watchdog's own stop (--on-unhealthy exit or restart)
 * kills this long after its stop signal, as docker stop's default does: no
 * engine is stopping anything, and a hung app would hang for ever. */
#define SUPERVISOR_WATCHDOG_GRACE_MS 10000
/* gracefulinit's own status after --on-unhealthy exit, whatever the command's. */
#define SUPERVISOR_STATUS_UNHEALTHY 124

/* --on-unhealthy */
enum unhealthy_action { UNHEALTHY_EXIT, UNHEALTHY_RESTART, UNHEALTHY_SIGNAL, UNHEALTHY_NONE };

/* --health or --health-cmd and their timing, in Docker's HEALTHCHECK terms. */
struct watchdog_config {
	int enabled;
	long long interval_ms, timeout_ms, start_period_ms;
	int retries;
	enum unhealthy_action action;
	int signal; /* UNHEALTHY_SIGNAL */
};

/* --wait and its options: the policy's part (the targets are wait.h's). */
struct wait_config {
	int enabled;
	long long timeout_ms; /* --wait-timeout, or DURATION_OFF */
	int each_start;       /* --wait-each-start: a restart waits again */
};

/* --watch and --watch-settle: the policy's part (the paths are watch.h's). */
#define WATCH_RESTART 0 /* a path's action: the graceful restart, not a signal */
struct watch_config {
	size_t count;                   /* paths; 0: no --watch */
	long long settle_ms;            /* --watch-settle */
	int signals[WATCH_PATHS_MAX];   /* each path's action: a signal, or WATCH_RESTART */
	unsigned restarts;              /* the paths whose action is WATCH_RESTART (bit i: path i) */
};

struct supervisor_config {
	long long grace_ms;      /* --grace: SUPERVISOR_GRACE_ENGINE, DURATION_OFF (never), or ms */
	long long stop_delay_ms; /* --stop-delay: the first stop signal is held this long */
	int stop_signal;         /* --stop-signal: starts the stop like TERM and INT; 0: none */
	struct signal_rewrite rewrite;
	struct watchdog_config watchdog;
	struct restart_config restart;
	struct wait_config wait;
	struct watch_config watch;
};

/* The rows of the table. The first three are the watchdog's verdict while
 * the command runs; without one the command stays SV_RUNNING. */
enum supervisor_state {
	SV_RUNNING,  /* the command runs; no stop was asked for; no verdict yet ("starting") */
	SV_HEALTHY,  /* the last check passed */
	SV_UNHEALTHY, /* --health-retries checks failed in a row; --on-unhealthy signal or none */
	SV_HOLDING,  /* a stop signal waits out --stop-delay */
	SV_STOPPING, /* the stop request went to the command */
	SV_DRAINING, /* the command exited; what it left behind is finishing */
	SV_KILLED,   /* SIGKILL went out; what is left is being reaped */
	SV_WAITING,  /* nothing runs; the command starts (again) after the restart delay */
	SV_DEPENDING, /* the command starts once every --wait target is ready */
	SV_DONE,     /* nothing is left: gracefulinit exits */
	SV_STATES
};

/* The columns. The deadlines come in as events of their own, in the order
 * of enum supervisor_timer. */
enum supervisor_event {
	EV_STOP_SIGNAL,    /* TERM, INT or --stop-signal */
	EV_SIGNAL,         /* any other signal gracefulinit forwards */
	EV_COMMAND_EXITED, /* the command was reaped and others remain */
	EV_ALL_EXITED,     /* no child is left, the command among them */
	EV_CHECK_PASSED,   /* a health check ended healthy */
	EV_CHECK_FAILED,   /* a health check ended unhealthy */
	EV_UNSEEN,         /* the processes left cannot be listed or reached */
	EV_READY,          /* every --wait target is ready */
	EV_CHANGED,        /* --watch paths changed */
	EV_RELEASE_DUE,    /* --stop-delay ran out */
	EV_NOTICE_DUE,     /* SUPERVISOR_NOTICE_MS after the stop signal */
	EV_KILL_DUE,       /* the grace period ran out */
	EV_CHECK_DUE,      /* --health-interval after the start or the last check */
	EV_CHECK_OVERDUE,  /* --health-timeout after the check started */
	EV_RESTART_DUE,    /* the restart delay ran out */
	EV_PROGRESS_DUE,   /* WAIT_PROGRESS_MS after the wait started or the last progress line */
	EV_WAIT_OVER,      /* --wait-timeout ran out */
	EV_SETTLED,        /* --watch-settle after the last change */
	SV_EVENTS
};

/* Why DO_KILL_ALL, for the line that names what was killed. */
enum supervisor_kill_reason { KILL_NO_GRACE, KILL_GRACE_EXPIRED, KILL_LEFTOVERS_EXPIRED, KILL_WATCHDOG_EXPIRED };

enum supervisor_timer { TIMER_RELEASE, TIMER_NOTICE, TIMER_KILL, TIMER_CHECK, TIMER_CHECK_OVER, TIMER_RESTART,
			TIMER_PROGRESS, TIMER_WAIT_OVER, TIMER_SETTLE, SV_TIMERS };

/* Why a stop started: a signal, the watchdog's verdict, or a --watch path
 * whose action is restart. */
enum supervisor_cause { CAUSE_SIGNAL, CAUSE_UNHEALTHY, CAUSE_CHANGED };

struct supervisor {
	const struct supervisor_config *cfg; /* outlives the supervisor */
	enum supervisor_state state;
	long long due[SV_TIMERS];   /* monotonic ms, or SUPERVISOR_NO_DEADLINE */
	int held_signal;            /* SV_HOLDING: what goes out at TIMER_RELEASE */
	int stop_received;          /* a stop signal arrived */
	int unseen;                 /* what is left cannot be listed: it is not waited for */
	sigmask_bits forwarded;     /* every signal sent to the command's group */
	sigmask_bits requests;      /* of those, the stop requests (after --rewrite) */
	int command_status;         /* docker-style: N or 128+N, before --exit-map; -1: still running */
	enum supervisor_kill_reason kill_reason; /* of TIMER_KILL */
	/* The command's whole life, across restarts: */
	int final;                  /* a stop request came from outside: the command never starts again */
	int quit_seen;              /* a QUIT from outside reached the command in this run (step_forward) */
	int started;                /* the command has started once */
	enum supervisor_cause cause; /* of the current stop */
	int checking;               /* a health check runs */
	int failures;               /* checks failed in a row that count */
	int start_period_over;      /* a check passed, or --health-start-period ran out */
	long long run_started_ms;
	long long check_started_ms;
	struct restarts restarts;
	unsigned changed;           /* --watch paths changed since the last action (bit i: path i) */
};

/* One event and what it carries. */
struct supervisor_input {
	enum supervisor_event event;
	int signal;      /* EV_STOP_SIGNAL, EV_SIGNAL: as received */
	int status;      /* EV_COMMAND_EXITED, and EV_ALL_EXITED when the command was among them */
	int killed_by;   /* likewise: the signal that killed the command, or 0 */
	int with_command; /* EV_ALL_EXITED: the command was reaped in the same round */
	unsigned paths;   /* EV_CHANGED: which --watch paths (bit i: path i) */
	long long now_ms;
};


enum supervisor_do {
	DO_FORWARD = 1 << 0,        /* send action.signal: to the command's group, or what remains (DO_TO_REMAINING) */
	DO_TO_REMAINING = 1 << 1,   /* the command has exited: its group's number may be someone else's */
	DO_CONTINUE = 1 << 2,       /* SIGCONT after the forward: a stopped process runs its cleanup */
	DO_HOLD = 1 << 3,           /* the stop signal waits out --stop-delay */
	DO_ANNOUNCE = 1 << 4,       /* the first stop signal: one notice */
	DO_TERMINATE_LEFTOVERS = 1 << 5, /* SIGTERM to what remains and is not handling a request */
	DO_NOTICE_REMAINING = 1 << 6, /* name what still runs */
	DO_KILL_ALL = 1 << 7,       /* SIGKILL to everything in scope */
	DO_EXIT = 1 << 8,           /* exit with action.status */
	DO_START_CHECK = 1 << 9,    /* run one health check */
	DO_END_CHECK = 1 << 10,     /* kill the check that runs: overdue, or the run is ending */
	DO_VERDICT = 1 << 11,       /* the verdict changed to action.verdict: say so */
	DO_WAIT_RESTART = 1 << 12,  /* the command starts again in action.delay_ms */
	DO_SPAWN = 1 << 13,         /* start the command again */
	DO_GIVE_UP = 1 << 14,       /* --restart-limit reached: say so before DO_EXIT */
	DO_START_WAIT = 1 << 15,    /* start waiting for the --wait targets */
	DO_END_WAIT = 1 << 16,      /* stop waiting for them */
	DO_WAIT_PROGRESS = 1 << 17, /* name the targets still pending */
	DO_WAIT_EXPIRED = 1 << 18,  /* --wait-timeout ran out: name them before DO_EXIT */
	DO_CHANGED = 1 << 19,       /* act on the --watch paths in action.paths: send action.signals, or
				       (with a stop begun) restart; one line per path */
};

struct supervisor_action {
	unsigned todo;              /* enum supervisor_do */
	int signal;                 /* DO_FORWARD, DO_HOLD */
	sigmask_bits requests;      /* DO_TERMINATE_LEFTOVERS: group members catching or blocking one are spared */
	int status;                 /* DO_EXIT, DO_TERMINATE_LEFTOVERS: the command's status */
	enum supervisor_kill_reason kill_reason;
	enum supervisor_cause cause;  /* DO_ANNOUNCE */
	enum health_verdict verdict; /* DO_VERDICT */
	int failures;               /* DO_VERDICT unhealthy: the failures in a row that made it */
	long long delay_ms;         /* DO_WAIT_RESTART */
	int restarts;               /* DO_WAIT_RESTART, DO_GIVE_UP: the restart count */
	int command_status;         /* DO_WAIT_RESTART, DO_GIVE_UP: the run's own status */
	unsigned paths;             /* DO_CHANGED */
	sigmask_bits signals;       /* DO_CHANGED: to the command's group, each once; 0 for a restart */
};

/* gracefulinit starts at now_ms, in SV_WAITING with the restart due at
 * once: the command starts (or the wait for the --wait targets) as the
 * first deadline. */
void supervisor_init(struct supervisor *sv, const struct supervisor_config *cfg, long long now_ms);

/* Feeds one event through the table. */
struct supervisor_action supervisor_step(struct supervisor *sv, const struct supervisor_input *in);

/* The earliest deadline, or SUPERVISOR_NO_DEADLINE. */
long long supervisor_next_deadline(const struct supervisor *sv);

/* The event of a deadline that has passed by now_ms, or -1; several at once
 * come in the order release, notice, kill. */
int supervisor_due(const struct supervisor *sv, long long now_ms);

/* TERM, INT and --stop-signal. */
int supervisor_is_stop_signal(const struct supervisor *sv, int sig);

/* The command may start more than once: --restart, --on-unhealthy restart
 * or a --watch path whose action is restart. */
int supervisor_may_restart(const struct supervisor_config *cfg);

/* SIGKILL has gone out: a SIGKILL death is gracefulinit's, not the kernel's. */
int supervisor_killed(const struct supervisor *sv);

#endif
