#include "supervisor.h"

#include <signal.h>

/* What a cell of the table does. */
enum step {
	STEP_NONE,
	STEP_STOP,        /* a stop signal: the first starts the clocks, and may be held */
	STEP_STOP_NOW,    /* a second stop signal while one is held: the operator means now */
	STEP_FORWARD,     /* any other signal, as --rewrite says */
	STEP_LEFTOVERS,   /* the command exited and left processes behind */
	STEP_NOTE_EXIT,   /* the command exited after the SIGKILL */
	STEP_EXIT,        /* nothing is left: exit, or wait to restart */
	STEP_RELEASE,     /* the held stop signal goes out */
	STEP_NOTICE,      /* name what still runs */
	STEP_KILL,        /* the grace period is over */
	STEP_UNSEEN,      /* what is left cannot be listed */
	STEP_CHECK,       /* a health check is due */
	STEP_VERDICT,     /* a check ended (or ran over --health-timeout) */
	STEP_FINAL,       /* a stop signal after the SIGKILL: no restart */
	STEP_QUIT,        /* a stop signal while nothing runs: between two runs, or waiting */
	STEP_QUIT_ON_QUIT, /* QUIT then too: a STOPSIGNAL by convention (nginx's) */
	STEP_RESTART,     /* the restart delay is over: start, or wait for the targets first */
	STEP_SPAWN,       /* every --wait target is ready: start */
	STEP_PROGRESS,    /* name the --wait targets still pending */
	STEP_WAIT_OVER,   /* --wait-timeout ran out */
	STEP_CHANGED,     /* --watch paths changed: the action waits until they settle */
	STEP_SETTLED,     /* they have been quiet for --watch-settle: act */
};

/* The whole policy at once: the step for each state and event. Bytes, not
 * function pointers: a static-pie relocates each pointer in a table. The
 * three rows of a running command differ only in the verdict they stand for. */
#define N STEP_NONE
#define RUNNING_ROW { STEP_STOP, STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, STEP_VERDICT, STEP_VERDICT, N, N, \
		      STEP_CHANGED, N, N, N, STEP_CHECK, STEP_VERDICT, N, N, N, STEP_SETTLED }
static const unsigned char table[SV_STATES][SV_EVENTS] = {
	/*               STOP_SIGNAL     SIGNAL        COMMAND_EXITED  ALL_EXITED CHECK_PASSED/FAILED UNSEEN READY
	 *               CHANGED
	 *               RELEASE_DUE     NOTICE_DUE    KILL_DUE        CHECK_DUE  CHECK_OVERDUE RESTART_DUE
	 *               PROGRESS_DUE    WAIT_OVER     SETTLED */
	[SV_RUNNING] = RUNNING_ROW,
	[SV_HEALTHY] = RUNNING_ROW,
	[SV_UNHEALTHY] = RUNNING_ROW,
	[SV_HOLDING] = { STEP_STOP_NOW,  STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, N, N, N, N,
			 N,
			 STEP_RELEASE,   STEP_NOTICE,  STEP_KILL,      N, N, N,
			 N, N, N },
	[SV_STOPPING] = { STEP_STOP,     STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, N, N, N, N,
			  N,
			  N,             STEP_NOTICE,  STEP_KILL,      N, N, N,
			  N, N, N },
	[SV_DRAINING] = { STEP_STOP,     STEP_FORWARD, N,              STEP_EXIT, N, N, STEP_UNSEEN, N,
			  N,
			  N,             STEP_NOTICE,  STEP_KILL,      N, N, N,
			  N, N, N },
	[SV_KILLED] = { STEP_FINAL,      STEP_FINAL,   STEP_NOTE_EXIT, STEP_EXIT, N, N, STEP_UNSEEN, N,
			N,
			N,               STEP_NOTICE,  N,              N, N, N,
			N, N, N },
	[SV_WAITING] = { STEP_QUIT,      STEP_QUIT_ON_QUIT, N,         N,         N, N, N, N,
			 N,
			 N,              N,            N,              N, N, STEP_RESTART,
			 N, N, N },
	[SV_DEPENDING] = { STEP_QUIT,    STEP_QUIT_ON_QUIT, N,         N,         N, N, N, STEP_SPAWN,
			   N,
			   N,            N,            N,              N, N, N,
			   STEP_PROGRESS, STEP_WAIT_OVER, N },
	[SV_DONE] = { N },
};
_Static_assert(EV_RELEASE_DUE + SV_TIMERS == SV_EVENTS, "one event per deadline, in enum supervisor_timer's order");
#undef N

static void clear_timers(struct supervisor *sv)
{
	for (int t = 0; t < SV_TIMERS; t++)
		sv->due[t] = SUPERVISOR_NO_DEADLINE;
}

/* What one run of the command starts with; the restart count carries over. */
static void new_run(struct supervisor *sv, long long now_ms)
{
	sv->state = SV_RUNNING;
	clear_timers(sv);
	sv->held_signal = sv->stop_received = sv->unseen = sv->checking = sv->failures = sv->quit_seen = 0;
	sv->start_period_over = 0;
	sv->forwarded = sv->requests = 0;
	sv->command_status = -1;
	sv->cause = CAUSE_SIGNAL;
	sv->run_started_ms = now_ms;
	sv->started = 1;
	sv->changed = 0; /* the new run reads what changed before it */
	restart_run_started(&sv->restarts, now_ms);
	/* Docker's first check comes one interval after the start. */
	if (sv->cfg->watchdog.enabled)
		sv->due[TIMER_CHECK] = now_ms + sv->cfg->watchdog.interval_ms;
}

/* A run starts: at once, or after the --wait targets are ready (before the
 * first run; with --wait-each-start, before each). */
static void start_run(struct supervisor *sv, struct supervisor_action *act, long long now_ms)
{
	const struct wait_config *w = &sv->cfg->wait;

	if (!w->enabled || (sv->started && !w->each_start)) {
		new_run(sv, now_ms);
		act->todo |= DO_SPAWN;
		return;
	}
	sv->state = SV_DEPENDING;
	clear_timers(sv);
	sv->due[TIMER_PROGRESS] = now_ms + WAIT_PROGRESS_MS;
	if (w->timeout_ms > 0)
		sv->due[TIMER_WAIT_OVER] = now_ms + w->timeout_ms;
	act->todo |= DO_START_WAIT;
}

/* The first start is a restart with no delay: the loop takes that deadline
 * before any signal, so one queued since start-up finds the command. */
void supervisor_init(struct supervisor *sv, const struct supervisor_config *cfg, long long now_ms)
{
	*sv = (struct supervisor){ .cfg = cfg, .state = SV_WAITING, .command_status = -1 };
	restarts_init(&sv->restarts, now_ms);
	clear_timers(sv);
	sv->due[TIMER_RESTART] = now_ms;
}

int supervisor_is_stop_signal(const struct supervisor *sv, int sig)
{
	return signal_starts_stop(sig) || (sv->cfg->stop_signal != 0 && sig == sv->cfg->stop_signal);
}

int supervisor_may_restart(const struct supervisor_config *cfg)
{
	return cfg->restart.policy != RESTART_NO || cfg->watchdog.action == UNHEALTHY_RESTART || cfg->watch.restarts != 0;
}

int supervisor_killed(const struct supervisor *sv) { return sv->state == SV_KILLED; }

long long supervisor_next_deadline(const struct supervisor *sv)
{
	long long next = SUPERVISOR_NO_DEADLINE;

	for (int t = 0; t < SV_TIMERS; t++)
		if (sv->due[t] != SUPERVISOR_NO_DEADLINE && (next == SUPERVISOR_NO_DEADLINE || sv->due[t] < next))
			next = sv->due[t];
	return next;
}

int supervisor_due(const struct supervisor *sv, long long now_ms)
{
	for (int t = 0; t < SV_TIMERS; t++)
		if (sv->due[t] != SUPERVISOR_NO_DEADLINE && now_ms >= sv->due[t])
			return EV_RELEASE_DUE + t;
	return -1;
}

static int command_exited(const struct supervisor *sv) { return sv->command_status >= 0; }

static void kill_now(struct supervisor *sv, struct supervisor_action *act, enum supervisor_kill_reason why)
{
	act->todo |= DO_KILL_ALL;
	if (command_exited(sv))
		act->todo |= DO_TO_REMAINING; /* its group's number is no longer held */
	act->kill_reason = why;
	sv->state = SV_KILLED;
}

/* Each deadline is set once: later stop signals and the command's exit do
 * not move it. A grace of 0 asks for SIGKILL at once (returns 1). */
static int arm_kill(struct supervisor *sv, struct supervisor_action *act, long long grace_ms,
		    enum supervisor_kill_reason why, long long now_ms)
{
	if (grace_ms == 0) {
		kill_now(sv, act, KILL_NO_GRACE);
		return 1;
	}
	if (grace_ms > 0 && sv->due[TIMER_KILL] == SUPERVISOR_NO_DEADLINE) {
		sv->due[TIMER_KILL] = now_ms + grace_ms;
		sv->kill_reason = why;
	}
	return 0;
}

static void forward(struct supervisor *sv, struct supervisor_action *act, int sig)
{
	if (sig == 0)
		return; /* --rewrite drops it */
	act->todo |= DO_FORWARD;
	act->signal = sig;
	if (command_exited(sv))
		act->todo |= DO_TO_REMAINING;
	else
		sv->forwarded |= SIGMASK_BIT(sig);
}

/* A stopped process would only see its stop request once continued: at the
 * SIGKILL, too late to clean up. */
static void forward_request(struct supervisor *sv, struct supervisor_action *act, int sig)
{
	forward(sv, act, sig);
	if (sig == 0)
		return;
	sv->requests |= SIGMASK_BIT(sig);
	act->todo |= DO_CONTINUE;
}

static int is_running(enum supervisor_state state) { return state <= SV_UNHEALTHY; }

/* The run is ending: no check starts again, and the one that runs is killed
 * (its verdict is moot, and it must not hold up the exit). */
static void end_watch(struct supervisor *sv, struct supervisor_action *act)
{
	if (sv->checking)
		act->todo |= DO_END_CHECK;
	sv->checking = 0;
	sv->due[TIMER_CHECK] = sv->due[TIMER_CHECK_OVER] = SUPERVISOR_NO_DEADLINE;
}

/* The first stop signal starts the clock the platform started too. The
 * watchdog's own stop (and --watch's restart) has no platform behind it: without --grace it kills
 * docker stop's default after the stop signal goes out, --stop-delay after
 * the decision. Returns 1 when the clock is already over (--grace 0). */
static int start_stop(struct supervisor *sv, struct supervisor_action *act, long long now_ms)
{
	long long grace = sv->cfg->grace_ms;

	sv->stop_received = 1;
	if (grace == SUPERVISOR_GRACE_ENGINE && sv->cause != CAUSE_SIGNAL)
		return arm_kill(sv, act, SUPERVISOR_WATCHDOG_GRACE_MS + sv->cfg->stop_delay_ms, KILL_WATCHDOG_EXPIRED,
				now_ms);
	if (grace == SUPERVISOR_GRACE_ENGINE) {
		sv->due[TIMER_NOTICE] = now_ms + SUPERVISOR_NOTICE_MS;
		return 0;
	}
	return arm_kill(sv, act, grace, KILL_GRACE_EXPIRED, now_ms);
}

/* signal: the stop request as received (the watchdog's: --stop-signal or TERM). */
static void begin_stop(struct supervisor *sv, int signal, long long now_ms, struct supervisor_action *act)
{
	int forward_as = rewrite_apply(&sv->cfg->rewrite, signal);

	end_watch(sv, act);
	act->cause = sv->cause;
	if (!sv->stop_received) {
		if (start_stop(sv, act, now_ms))
			return;
		act->todo |= DO_ANNOUNCE;
		if (is_running(sv->state) && sv->cfg->stop_delay_ms > 0 && forward_as != 0) {
			sv->held_signal = act->signal = forward_as;
			sv->due[TIMER_RELEASE] = now_ms + sv->cfg->stop_delay_ms;
			act->todo |= DO_HOLD;
			sv->state = SV_HOLDING;
			return;
		}
	}
	forward_request(sv, act, forward_as);
	if (is_running(sv->state))
		sv->state = SV_STOPPING;
}

/* A stop request from outside: whatever the watchdog had in mind, the
 * command never starts again. */
static void step_stop(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	sv->final = 1;
	begin_stop(sv, in->signal, in->now_ms, act);
}

static void cancel_hold(struct supervisor *sv)
{
	sv->due[TIMER_RELEASE] = SUPERVISOR_NO_DEADLINE;
	sv->held_signal = 0;
}

static void step_stop_now(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	sv->final = 1;
	/* The watchdog (or --watch) held its own stop signal: the platform's
	 * stop gets the same --stop-delay; only a second one means now. */
	if (sv->cause != CAUSE_SIGNAL) {
		sv->cause = CAUSE_SIGNAL;
		return;
	}
	cancel_hold(sv);
	forward_request(sv, act, rewrite_apply(&sv->cfg->rewrite, in->signal));
	sv->state = SV_STOPPING;
}

static void note_exit(struct supervisor *sv, const struct supervisor_input *in)
{
	int sig = in->killed_by;

	sv->command_status = in->status;
	cancel_hold(sv); /* nothing left to hold it for */
	/* A signal gracefulinit forwarded killed the command (QUIT to a
	 * shell-form nginx): to the rest of the group it is the stop request,
	 * when it is one by convention. A HUP that killed the shell is no such
	 * thing to the app that caught it: it reloaded. */
	if (sig > 0 && sig <= SIGMASK_HIGHEST && (sv->forwarded & SIGMASK_BIT(sig)) &&
	    (supervisor_is_stop_signal(sv, sig) || sig == SIGQUIT))
		sv->requests |= SIGMASK_BIT(sig);
}

/* Whether the run that ended starts again: never after a stop request from
 * outside (a QUIT from outside among them, see step_forward), nor while
 * processes of the last run may be left that could not be seen; after
 * gracefulinit's own stop when it was for a restart, whatever signal that
 * stop sent (--stop-signal QUIT for nginx); after an exit of the command's
 * own as --restart says. */
static int run_again(const struct supervisor *sv)
{
	if (sv->final || sv->unseen || sv->quit_seen)
		return 0;
	if (sv->cause == CAUSE_UNHEALTHY)
		return sv->cfg->watchdog.action == UNHEALTHY_RESTART;
	if (sv->cause == CAUSE_CHANGED)
		return 1;
	return restart_wanted(&sv->cfg->restart, sv->command_status);
}

/* A QUIT that reaches the command (after --rewrite), then its exit: the
 * engine's stop of an image whose STOPSIGNAL is QUIT (nginx), not a crash,
 * even while a stop of gracefulinit's own runs. One the command outlives
 * (a JVM's thread dump) stops counting at gracefulinit's own next stop. */
static void step_forward(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	int as = rewrite_apply(&sv->cfg->rewrite, in->signal);

	if (as == SIGQUIT)
		sv->quit_seen = 1;
	forward(sv, act, as);
}

/* What gracefulinit exits with: its own status when the watchdog ended the
 * command for good (--on-unhealthy exit, or restart past --restart-limit),
 * so that the engine's restart policy starts a new container; the
 * command's otherwise. */
static int final_status(const struct supervisor *sv, int gave_up)
{
	if (sv->cause == CAUSE_UNHEALTHY && (gave_up || sv->cfg->watchdog.action == UNHEALTHY_EXIT))
		return SUPERVISOR_STATUS_UNHEALTHY;
	return sv->command_status;
}

static void finish(struct supervisor *sv, struct supervisor_action *act)
{
	act->todo |= DO_EXIT;
	act->status = final_status(sv, (act->todo & DO_GIVE_UP) != 0);
	clear_timers(sv);
	sv->state = SV_DONE;
}

static void step_exit(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	if (in->with_command)
		note_exit(sv, in);
	if (!command_exited(sv))
		return; /* no child, yet the command unreaped: no status to exit with */
	end_watch(sv, act);
	act->status = sv->command_status;
	if (!run_again(sv)) {
		finish(sv, act);
		return;
	}
	act->restarts = sv->restarts.count;
	act->command_status = sv->command_status;
	/* A restart for a --watch change after a steady run is no crash:
	 * neither the crash loop's backoff nor --restart-limit counts it. A
	 * sooner one does (an app that writes where it is watched would
	 * otherwise restart for ever). */
	int deliberate = sv->cause == CAUSE_CHANGED && restart_after_steady_run(&sv->restarts, in->now_ms);
	if (!deliberate && !restart_within_limit(&sv->cfg->restart, &sv->restarts, in->now_ms)) {
		act->todo |= DO_GIVE_UP;
		finish(sv, act);
		return;
	}
	clear_timers(sv);
	act->todo |= DO_WAIT_RESTART;
	act->delay_ms = deliberate ? restart_unrecorded(&sv->restarts)
				   : restart_record(&sv->cfg->restart, &sv->restarts, in->now_ms);
	act->restarts = sv->restarts.count;
	act->cause = sv->cause;
	sv->due[TIMER_RESTART] = in->now_ms + act->delay_ms;
	sv->state = SV_WAITING;
}

/* Leftovers of a command that exited on its own would run for ever: they
 * get the stop request and, at the end of a grace period, SIGKILL. After a
 * stop signal the clock already runs. */
static void step_leftovers(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	note_exit(sv, in);
	end_watch(sv, act);
	if (!sv->stop_received) {
		int engine = sv->cfg->grace_ms == SUPERVISOR_GRACE_ENGINE;
		if (arm_kill(sv, act, engine ? SUPERVISOR_LEFTOVER_GRACE_MS : sv->cfg->grace_ms,
			     engine ? KILL_LEFTOVERS_EXPIRED : KILL_GRACE_EXPIRED, in->now_ms))
			return;
	}
	act->todo |= DO_TERMINATE_LEFTOVERS;
	act->requests = sv->requests;
	act->status = sv->command_status;
	sv->state = SV_DRAINING;
}

/* Waiting for processes gracefulinit can neither see nor kill would be for
 * ever: once the command is gone, so is gracefulinit. */
static void step_unseen(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	sv->unseen = 1;
	if (command_exited(sv))
		step_exit(sv, in, act);
}

static void step_note_exit(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	note_exit(sv, in);
	if (sv->unseen)
		step_exit(sv, in, act);
}

static void step_check(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	act->todo |= DO_START_CHECK;
	sv->checking = 1;
	sv->check_started_ms = in->now_ms;
	sv->due[TIMER_CHECK_OVER] = in->now_ms + sv->cfg->watchdog.timeout_ms;
}

/* gracefulinit's own stop (the watchdog's, --watch's restart): exactly as
 * docker stop would stop the command. */
static void own_stop(struct supervisor *sv, enum supervisor_cause cause, long long now_ms,
		     struct supervisor_action *act)
{
	sv->cause = cause;
	sv->quit_seen = 0; /* the command outlived it: a thread dump's, not a stop */
	begin_stop(sv, sv->cfg->stop_signal != 0 ? sv->cfg->stop_signal : SIGTERM, now_ms, act);
}

/* The verdict turned: --on-unhealthy says what follows. */
static void act_on_unhealthy(struct supervisor *sv, long long now_ms, struct supervisor_action *act)
{
	const struct watchdog_config *w = &sv->cfg->watchdog;

	sv->state = SV_UNHEALTHY;
	if (w->action == UNHEALTHY_SIGNAL) {
		forward(sv, act, w->signal);
	} else if (w->action == UNHEALTHY_EXIT || w->action == UNHEALTHY_RESTART) {
		own_stop(sv, CAUSE_UNHEALTHY, now_ms, act);
	}
}

/* Docker's HEALTHCHECK rules: a pass ends the start period and the streak
 * of failures; a failure inside the start period does not count; retries
 * failures in a row make the verdict unhealthy. A line only when the
 * verdict changes. */
static void step_verdict(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	const struct watchdog_config *w = &sv->cfg->watchdog;
	int passed = in->event == EV_CHECK_PASSED;

	if (in->event == EV_CHECK_OVERDUE)
		act->todo |= DO_END_CHECK;
	sv->checking = 0;
	sv->due[TIMER_CHECK_OVER] = SUPERVISOR_NO_DEADLINE;
	/* The next check comes an interval after this one ended. */
	sv->due[TIMER_CHECK] = in->now_ms + w->interval_ms;
	if (passed) {
		sv->failures = 0;
		sv->start_period_over = 1;
		if (sv->state != SV_HEALTHY) {
			act->todo |= DO_VERDICT;
			act->verdict = HEALTH_HEALTHY;
			sv->state = SV_HEALTHY;
		}
		return;
	}
	/* As Docker: by when the check started. */
	if (!sv->start_period_over && sv->check_started_ms < sv->run_started_ms + w->start_period_ms)
		return;
	sv->start_period_over = 1;
	if (++sv->failures < w->retries || sv->state == SV_UNHEALTHY)
		return;
	act->todo |= DO_VERDICT;
	act->verdict = HEALTH_UNHEALTHY;
	act->failures = sv->failures;
	act_on_unhealthy(sv, in->now_ms, act);
}

/* A change starts the settle clock again: a burst (a kubelet's swap, an
 * editor's save, cert and key renewed together) makes one action. */
static void step_changed(struct supervisor *sv, const struct supervisor_input *in)
{
	sv->changed |= in->paths;
	sv->due[TIMER_SETTLE] = in->now_ms + sv->cfg->watch.settle_ms;
}

/* Each path's signal once, or, when any path's action is restart, only the
 * restart: exactly as docker stop would stop the command, and the new run
 * reads every change. */
static void step_settled(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	const struct watch_config *w = &sv->cfg->watch;

	act->todo |= DO_CHANGED;
	act->paths = sv->changed;
	sv->changed = 0;
	if (act->paths & w->restarts) {
		own_stop(sv, CAUSE_CHANGED, in->now_ms, act);
		return;
	}
	for (size_t i = 0; i < w->count; i++)
		if (act->paths & (1U << i))
			act->signals |= SIGMASK_BIT(w->signals[i]);
	sv->forwarded |= act->signals;
}

/* Between two runs, or while waiting for the --wait targets, there is
 * nothing to stop: gracefulinit exits at once, with the last run's status,
 * or as the signal would have ended a command that never started. */
static void step_quit(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	sv->final = 1;
	sv->cause = CAUSE_SIGNAL; /* the last run's own status, not the watchdog's */
	act->todo |= DO_ANNOUNCE;
	if (sv->state == SV_DEPENDING)
		act->todo |= DO_END_WAIT;
	if (!sv->started)
		sv->command_status = 128 + in->signal;
	finish(sv, act);
}

/* gracefulinit's own status: the command never ran (this time). */
static void step_wait_over(struct supervisor *sv, struct supervisor_action *act)
{
	act->todo |= DO_END_WAIT | DO_WAIT_EXPIRED;
	sv->command_status = WAIT_STATUS_TIMED_OUT;
	finish(sv, act);
}

struct supervisor_action supervisor_step(struct supervisor *sv, const struct supervisor_input *in)
{
	struct supervisor_action act = { 0 };

	/* A deadline fires once, whatever its cell does. */
	if (in->event >= EV_RELEASE_DUE)
		sv->due[in->event - EV_RELEASE_DUE] = SUPERVISOR_NO_DEADLINE;
	enum step step = (enum step)table[sv->state][in->event];
	switch (step) {
	case STEP_NONE:
		break;
	case STEP_STOP:
		step_stop(sv, in, &act);
		break;
	case STEP_STOP_NOW:
		step_stop_now(sv, in, &act);
		break;
	case STEP_FORWARD:
		step_forward(sv, in, &act);
		break;
	case STEP_LEFTOVERS:
		step_leftovers(sv, in, &act);
		break;
	case STEP_NOTE_EXIT:
		step_note_exit(sv, in, &act);
		break;
	case STEP_EXIT:
		step_exit(sv, in, &act);
		break;
	case STEP_RELEASE:
		forward_request(sv, &act, sv->held_signal);
		sv->held_signal = 0;
		sv->state = SV_STOPPING;
		break;
	case STEP_NOTICE:
		act.todo |= DO_NOTICE_REMAINING;
		break;
	case STEP_KILL:
		kill_now(sv, &act, sv->kill_reason);
		break;
	case STEP_UNSEEN:
		step_unseen(sv, in, &act);
		break;
	case STEP_CHECK:
		step_check(sv, in, &act);
		break;
	case STEP_VERDICT:
		step_verdict(sv, in, &act);
		break;
	case STEP_FINAL:
		/* After the SIGKILL: a stop signal, or QUIT from outside (the
		 * engine's, for nginx), means the command never starts again. */
		if (in->event == EV_STOP_SIGNAL || in->signal == SIGQUIT)
			sv->final = 1;
		break;
	case STEP_QUIT_ON_QUIT:
	case STEP_QUIT:
		if (step == STEP_QUIT || in->signal == SIGQUIT)
			step_quit(sv, in, &act);
		break;
	case STEP_RESTART:
		start_run(sv, &act, in->now_ms);
		break;
	case STEP_SPAWN:
		new_run(sv, in->now_ms);
		act.todo |= DO_SPAWN;
		break;
	case STEP_PROGRESS:
		act.todo |= DO_WAIT_PROGRESS;
		sv->due[TIMER_PROGRESS] = in->now_ms + WAIT_PROGRESS_MS;
		break;
	case STEP_WAIT_OVER:
		step_wait_over(sv, &act);
		break;
	case STEP_CHANGED:
		step_changed(sv, in);
		break;
	case STEP_SETTLED:
		step_settled(sv, in, &act);
		break;
	}
	return act;
}
