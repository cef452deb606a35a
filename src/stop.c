#include "stop.h"

#include <signal.h>

#include "duration.h"
#include "signals.h"

void stop_init(struct stop_state *st, const struct stop_config *cfg)
{
	st->cfg = *cfg;
	st->kill_at = st->notice_at = st->release_at = STOP_NO_DEADLINE;
	st->held_signal = 0;
	st->stop_received = 0;
	st->forwarded = st->requests = 0;
	st->escalated = 0;
	st->main_exited = 0;
	st->main_status = 0;
}

int stop_is_stop_signal(const struct stop_state *st, int sig)
{
	return signal_starts_stop(sig) || (st->cfg.stop_signal != 0 && sig == st->cfg.stop_signal);
}

static long long earliest(long long a, long long b)
{
	if (a == STOP_NO_DEADLINE)
		return b;
	return b == STOP_NO_DEADLINE || a < b ? a : b;
}

long long stop_next_deadline(const struct stop_state *st)
{
	return earliest(earliest(st->kill_at, st->notice_at), st->release_at);
}

/* Each deadline is set once: later stop signals and the command's exit do
 * not move it. A grace of 0 asks for SIGKILL at once. */
static void arm_kill(struct stop_state *st, struct stop_action *act, long long grace_ms, long long now_ms)
{
	if (st->kill_at != STOP_NO_DEADLINE || st->escalated || grace_ms < 0)
		return;
	act->flags |= STOP_GRACE_STARTED;
	if (grace_ms == 0) {
		act->flags |= STOP_KILL_ALL;
		st->escalated = 1;
		return;
	}
	st->kill_at = now_ms + grace_ms;
}

/* The first stop signal starts the clock the platform started too. */
static void start_stop(struct stop_state *st, struct stop_action *act, long long now_ms)
{
	if (st->stop_received)
		return;
	st->stop_received = 1;
	act->flags |= STOP_FIRST_STOP_SIGNAL;
	if (st->cfg.grace_ms == STOP_GRACE_ENGINE) {
		st->notice_at = now_ms + STOP_NOTICE_MS;
		act->flags |= STOP_GRACE_STARTED;
	} else {
		arm_kill(st, act, st->cfg.grace_ms, now_ms);
	}
}

static void forward(struct stop_state *st, struct stop_action *act, int sig, int is_request)
{
	act->flags |= STOP_FORWARD;
	act->signal = sig;
	if (!st->main_exited)
		st->forwarded |= SIGMASK_BIT(sig);
	/* A stopped process would only see its stop signal once continued:
	 * at the SIGKILL, too late to clean up. */
	if (is_request) {
		st->requests |= SIGMASK_BIT(sig);
		act->flags |= STOP_CONTINUE;
	}
}

struct stop_action stop_on_signal(struct stop_state *st, int received, int forward_as, long long now_ms)
{
	struct stop_action act = { 0 };
	int is_stop = stop_is_stop_signal(st, received);

	if (is_stop) {
		int first = !st->stop_received;
		start_stop(st, &act, now_ms);
		if (act.flags & STOP_KILL_ALL)
			return act;
		if (first && st->cfg.delay_ms > 0 && forward_as != 0 && !st->main_exited) {
			st->held_signal = forward_as;
			st->release_at = now_ms + st->cfg.delay_ms;
			act.flags |= STOP_HELD;
			return act;
		}
		/* A second stop signal during the delay: the operator means now. */
		st->release_at = STOP_NO_DEADLINE;
		st->held_signal = 0;
	}
	if (forward_as != 0 && !st->escalated)
		forward(st, &act, forward_as, is_stop);
	return act;
}

struct stop_action stop_on_reaped(struct stop_state *st, int main_exited_now, int main_status, int main_signal,
				  int children_remain, long long now_ms)
{
	struct stop_action act = { 0 };

	if (main_exited_now) {
		st->main_exited = 1;
		st->main_status = main_status;
		st->release_at = STOP_NO_DEADLINE; /* nothing left to hold it for */
		st->held_signal = 0;
		/* A signal gracefulinit forwarded killed the command (QUIT to
		 * a shell-form nginx): to the rest of the group it is the stop
		 * request, when it is one by convention. A HUP that killed the
		 * shell is no such thing to the app that caught it: it reloaded. */
		if (main_signal > 0 && main_signal <= SIGMASK_HIGHEST && (st->forwarded & SIGMASK_BIT(main_signal)) &&
		    (stop_is_stop_signal(st, main_signal) || main_signal == SIGQUIT))
			st->requests |= SIGMASK_BIT(main_signal);
	}
	if (!st->main_exited)
		return act;
	if (!children_remain) {
		act.flags = STOP_EXIT;
		act.exit_status = st->main_status;
		st->kill_at = st->notice_at = STOP_NO_DEADLINE;
		return act;
	}
	if (main_exited_now && !st->escalated) {
		if (!st->stop_received)
			arm_kill(st, &act,
				 st->cfg.grace_ms == STOP_GRACE_ENGINE ? STOP_LEFTOVER_GRACE_MS : st->cfg.grace_ms, now_ms);
		if (act.flags & STOP_KILL_ALL)
			return act;
		act.flags |= STOP_TERMINATE_LEFTOVERS;
		act.requests = st->requests;
	}
	return act;
}

struct stop_action stop_on_deadline(struct stop_state *st, long long now_ms)
{
	struct stop_action act = { 0 };

	if (st->release_at != STOP_NO_DEADLINE && now_ms >= st->release_at) {
		st->release_at = STOP_NO_DEADLINE;
		if (!st->escalated)
			forward(st, &act, st->held_signal, 1);
		st->held_signal = 0;
	}
	if (st->notice_at != STOP_NO_DEADLINE && now_ms >= st->notice_at) {
		st->notice_at = STOP_NO_DEADLINE;
		act.flags |= STOP_NOTICE_REMAINING;
	}
	if (st->kill_at != STOP_NO_DEADLINE && now_ms >= st->kill_at && !st->escalated) {
		st->kill_at = STOP_NO_DEADLINE;
		st->escalated = 1;
		act.flags |= STOP_KILL_ALL;
	}
	return act;
}
