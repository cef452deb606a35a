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
	STEP_EXIT,        /* nothing is left */
	STEP_RELEASE,     /* the held stop signal goes out */
	STEP_NOTICE,      /* name what still runs */
	STEP_KILL,        /* the grace period is over */
	STEP_UNSEEN,      /* what is left cannot be listed */
};

/* The whole policy at once: the step for each state and event. Bytes, not
 * function pointers: a static-pie relocates each pointer in a table. */
static const unsigned char table[SV_STATES][SV_EVENTS] = {
	/*              STOP_SIGNAL    SIGNAL        COMMAND_EXITED  ALL_EXITED  RELEASE_DUE   NOTICE_DUE   KILL_DUE   UNSEEN */
	[SV_RUNNING] = { STEP_STOP,     STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, STEP_NONE,    STEP_NONE,   STEP_NONE, STEP_NONE },
	[SV_HOLDING] = { STEP_STOP_NOW, STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, STEP_RELEASE, STEP_NOTICE, STEP_KILL, STEP_NONE },
	[SV_STOPPING] = { STEP_STOP,    STEP_FORWARD, STEP_LEFTOVERS, STEP_EXIT, STEP_NONE,    STEP_NOTICE, STEP_KILL, STEP_NONE },
	[SV_DRAINING] = { STEP_STOP,    STEP_FORWARD, STEP_NONE,      STEP_EXIT, STEP_NONE,    STEP_NOTICE, STEP_KILL, STEP_UNSEEN },
	[SV_KILLED] = { STEP_NONE,      STEP_NONE,    STEP_NOTE_EXIT, STEP_EXIT, STEP_NONE,    STEP_NOTICE, STEP_NONE, STEP_UNSEEN },
	[SV_DONE] = { STEP_NONE,        STEP_NONE,    STEP_NONE,      STEP_NONE, STEP_NONE,    STEP_NONE,   STEP_NONE, STEP_NONE },
};

void supervisor_init(struct supervisor *sv, const struct supervisor_config *cfg)
{
	*sv = (struct supervisor){ .cfg = cfg, .state = SV_RUNNING, .command_status = -1,
				   .due = { SUPERVISOR_NO_DEADLINE, SUPERVISOR_NO_DEADLINE, SUPERVISOR_NO_DEADLINE } };
}

int supervisor_is_stop_signal(const struct supervisor *sv, int sig)
{
	return signal_starts_stop(sig) || (sv->cfg->stop_signal != 0 && sig == sv->cfg->stop_signal);
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

/* The first stop signal starts the clock the platform started too. Returns
 * 1 when that clock is already over (--grace 0). */
static int start_stop(struct supervisor *sv, struct supervisor_action *act, long long now_ms)
{
	sv->stop_received = 1;
	if (sv->cfg->grace_ms == SUPERVISOR_GRACE_ENGINE) {
		sv->due[TIMER_NOTICE] = now_ms + SUPERVISOR_NOTICE_MS;
		return 0;
	}
	return arm_kill(sv, act, sv->cfg->grace_ms, KILL_GRACE_EXPIRED, now_ms);
}

static void step_stop(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	int forward_as = rewrite_apply(&sv->cfg->rewrite, in->signal);

	if (!sv->stop_received) {
		if (start_stop(sv, act, in->now_ms))
			return;
		act->todo |= DO_ANNOUNCE;
		if (sv->state == SV_RUNNING && sv->cfg->stop_delay_ms > 0 && forward_as != 0) {
			sv->held_signal = act->signal = forward_as;
			sv->due[TIMER_RELEASE] = in->now_ms + sv->cfg->stop_delay_ms;
			act->todo |= DO_HOLD;
			sv->state = SV_HOLDING;
			return;
		}
	}
	forward_request(sv, act, forward_as);
	if (sv->state == SV_RUNNING)
		sv->state = SV_STOPPING;
}

static void cancel_hold(struct supervisor *sv)
{
	sv->due[TIMER_RELEASE] = SUPERVISOR_NO_DEADLINE;
	sv->held_signal = 0;
}

static void step_stop_now(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
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

static void step_exit(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	if (in->with_command)
		note_exit(sv, in);
	if (!command_exited(sv))
		return; /* no child, yet the command unreaped: no status to exit with */
	act->todo |= DO_EXIT;
	act->status = sv->command_status;
	for (int t = 0; t < SV_TIMERS; t++)
		sv->due[t] = SUPERVISOR_NO_DEADLINE;
	sv->state = SV_DONE;
}

/* Leftovers of a command that exited on its own would run for ever: they
 * get the stop request and, at the end of a grace period, SIGKILL. After a
 * stop signal the clock already runs. */
static void step_leftovers(struct supervisor *sv, const struct supervisor_input *in, struct supervisor_action *act)
{
	note_exit(sv, in);
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

struct supervisor_action supervisor_step(struct supervisor *sv, const struct supervisor_input *in)
{
	struct supervisor_action act = { 0 };

	/* A deadline fires once, whatever its cell does. */
	if (in->event >= EV_RELEASE_DUE && in->event <= EV_KILL_DUE)
		sv->due[in->event - EV_RELEASE_DUE] = SUPERVISOR_NO_DEADLINE;
	switch ((enum step)table[sv->state][in->event]) {
	case STEP_NONE:
		break;
	case STEP_STOP:
		step_stop(sv, in, &act);
		break;
	case STEP_STOP_NOW:
		step_stop_now(sv, in, &act);
		break;
	case STEP_FORWARD:
		forward(sv, &act, rewrite_apply(&sv->cfg->rewrite, in->signal));
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
	}
	return act;
}
