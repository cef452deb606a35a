#include "stop.h"

#include "duration.h"
#include "signals.h"

void stop_init(struct stop_state *st, long long grace_ms)
{
	st->grace_ms = grace_ms;
	st->deadline_ms = STOP_NO_DEADLINE;
	st->stop_received = 0;
	st->stop_forwarded = 0;
	st->escalated = 0;
	st->main_exited = 0;
	st->main_status = 0;
}

/* The deadline is set once: later stop signals and the main command's exit do
 * not move it. A grace of 0 asks for SIGKILL at once. */
static void start_grace(struct stop_state *st, struct stop_action *act, long long now_ms)
{
	if (st->deadline_ms != STOP_NO_DEADLINE || st->escalated || st->grace_ms == DURATION_OFF)
		return;
	act->flags |= STOP_GRACE_STARTED;
	if (st->grace_ms == 0) {
		act->flags |= STOP_KILL_ALL;
		st->escalated = 1;
		return;
	}
	st->deadline_ms = now_ms + st->grace_ms;
}

struct stop_action stop_on_signal(struct stop_state *st, int received, int forward_as, long long now_ms)
{
	struct stop_action act = { 0 };

	if (signal_starts_stop(received)) {
		if (!st->stop_received)
			act.flags |= STOP_FIRST_STOP_SIGNAL;
		st->stop_received = 1;
		start_grace(st, &act, now_ms);
		if (act.flags & STOP_KILL_ALL)
			return act;
	}
	if (forward_as != 0 && !st->escalated) {
		act.flags |= STOP_FORWARD;
		act.signal = forward_as;
		/* A stopped process would only see its stop signal once it
		 * is continued: at the SIGKILL, too late to clean up. */
		if (signal_starts_stop(received)) {
			st->stop_forwarded = 1;
			act.flags |= STOP_CONTINUE;
		}
	}
	return act;
}

struct stop_action stop_on_reaped(struct stop_state *st, int main_exited_now, int main_status,
				  int children_remain, long long now_ms)
{
	struct stop_action act = { 0 };

	if (main_exited_now) {
		st->main_exited = 1;
		st->main_status = main_status;
	}
	if (!st->main_exited)
		return act;
	if (!children_remain) {
		act.flags = STOP_EXIT;
		act.exit_status = st->main_status;
		st->deadline_ms = STOP_NO_DEADLINE;
		return act;
	}
	if (main_exited_now && !st->escalated) {
		start_grace(st, &act, now_ms);
		if (act.flags & STOP_KILL_ALL)
			return act;
		/* Processes in the command's group that already got the stop
		 * signal are not sent a second one: many apps take a second
		 * SIGTERM as "abandon the cleanup". */
		act.flags |= STOP_TERMINATE_LEFTOVERS;
		act.spare_group = st->stop_forwarded;
	}
	return act;
}

struct stop_action stop_on_deadline(struct stop_state *st, long long now_ms)
{
	struct stop_action act = { 0 };

	if (st->deadline_ms == STOP_NO_DEADLINE || now_ms < st->deadline_ms || st->escalated)
		return act;
	st->deadline_ms = STOP_NO_DEADLINE;
	st->escalated = 1;
	act.flags = STOP_KILL_ALL;
	return act;
}
