/* The supervisor's policy table, under a fake clock: every decision of
 * gracefulinit(1), STOPPING, without a single process. */
#include <check.h>
#include <signal.h>

#include "check_main.h"
#include "duration.h"
#include "supervisor.h"

static struct supervisor sv;
static struct supervisor_config cfg; /* the machine keeps a pointer to it */

/* gracefulinit starts at 0: the first deadline, due at once, starts the
 * command (or the wait for the --wait targets). */
static struct supervisor_action begin(void)
{
	supervisor_init(&sv, &cfg, 0);
	ck_assert_int_eq(supervisor_due(&sv, 0), EV_RESTART_DUE);
	struct supervisor_input in = { .event = EV_RESTART_DUE, .now_ms = 0 };
	return supervisor_step(&sv, &in);
}

static void configure_with(long long grace_ms, long long delay_ms, int stop_signal, int rewrite_from, int rewrite_to)
{
	cfg = (struct supervisor_config){ .grace_ms = grace_ms, .stop_delay_ms = delay_ms, .stop_signal = stop_signal };
	rewrite_init(&cfg.rewrite);
	if (rewrite_from != 0)
		cfg.rewrite.to[rewrite_from] = (unsigned char)rewrite_to;
	ck_assert_uint_eq(begin().todo, DO_SPAWN);
}

static void configure(long long grace_ms, long long delay_ms, int stop_signal)
{
	configure_with(grace_ms, delay_ms, stop_signal, 0, 0);
}

static void grace(long long grace_ms) { configure(grace_ms, 0, 0); }

static struct supervisor_action feed(struct supervisor_input in) { return supervisor_step(&sv, &in); }

/* A signal as the loop feeds it: a stop signal or any other. */
static struct supervisor_action sig(int signal, long long now)
{
	enum supervisor_event ev = supervisor_is_stop_signal(&sv, signal) ? EV_STOP_SIGNAL : EV_SIGNAL;
	return feed((struct supervisor_input){ .event = ev, .signal = signal, .now_ms = now });
}

/* The command was reaped and others remain. */
static struct supervisor_action exited(int status, int killed_by, long long now)
{
	return feed((struct supervisor_input){ .event = EV_COMMAND_EXITED, .status = status, .killed_by = killed_by,
					       .with_command = 1, .now_ms = now });
}

/* No child is left; with_command: the command among them. */
static struct supervisor_action all_exited(int with_command, int status, long long now)
{
	return feed((struct supervisor_input){ .event = EV_ALL_EXITED, .status = status, .with_command = with_command,
					       .now_ms = now });
}

/* The loop woke at now with no signal: the first deadline due, if any. */
static struct supervisor_action tick(long long now)
{
	int ev = supervisor_due(&sv, now);

	if (ev < 0)
		return (struct supervisor_action){ 0 };
	return feed((struct supervisor_input){ .event = (enum supervisor_event)ev, .now_ms = now });
}

START_TEST(quiet_until_something_happens)
{
	grace(10000);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	struct supervisor_action a = sig(SIGHUP, 100);
	ck_assert_uint_eq(a.todo, DO_FORWARD);
	ck_assert_int_eq(a.signal, SIGHUP);
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
}
END_TEST

START_TEST(first_term_starts_grace_and_later_ones_do_not_move_it)
{
	grace(3000);
	struct supervisor_action a = sig(SIGTERM, 1000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_int_eq(sv.state, SV_STOPPING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 4000);
	a = sig(SIGINT, 2000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 4000);
}
END_TEST

START_TEST(stop_signals_are_followed_by_sigcont)
{
	grace(10000);
	ck_assert(!(sig(SIGHUP, 0).todo & DO_CONTINUE));
	ck_assert(sig(SIGTERM, 0).todo & DO_CONTINUE);
	configure_with(10000, 0, 0, SIGTERM, SIGQUIT);
	struct supervisor_action a = sig(SIGTERM, 0);
	ck_assert(a.todo & DO_CONTINUE);
	ck_assert_int_eq(a.signal, SIGQUIT);
}
END_TEST

START_TEST(int_starts_grace_too)
{
	grace(3000);
	struct supervisor_action a = sig(SIGINT, 500);
	ck_assert(a.todo & DO_ANNOUNCE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 3500);
}
END_TEST

/* The notice still names what outlived a SIGKILL (a process in D state). */
START_TEST(notice_after_the_leftovers_kill_still_names_survivors)
{
	grace(SUPERVISOR_GRACE_ENGINE);
	exited(0, 0, 0);               /* leftovers' kill at 10 s */
	sig(SIGTERM, 5000);            /* notice at 14 s */
	ck_assert_uint_eq(tick(10000).todo, DO_KILL_ALL | DO_TO_REMAINING);
	ck_assert_uint_eq(tick(14000).todo, DO_NOTICE_REMAINING);
}
END_TEST

START_TEST(no_child_left_but_the_command_unreaped_is_no_exit)
{
	grace(1000);
	ck_assert_uint_eq(all_exited(0, 0, 10).todo, 0);
	ck_assert_int_eq(sv.state, SV_RUNNING);
}
END_TEST

START_TEST(deadline_escalates_once)
{
	grace(3000);
	sig(SIGTERM, 0);
	ck_assert_uint_eq(tick(2999).todo, 0);
	struct supervisor_action a = tick(3000);
	ck_assert_uint_eq(a.todo, DO_KILL_ALL);
	ck_assert_int_eq(a.kill_reason, KILL_GRACE_EXPIRED);
	ck_assert(supervisor_killed(&sv));
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	ck_assert_uint_eq(tick(4000).todo, 0);
	/* After the SIGKILL nothing more is forwarded. */
	ck_assert_uint_eq(sig(SIGTERM, 4000).todo, 0);
	ck_assert_uint_eq(sig(SIGHUP, 4000).todo, 0);
	a = all_exited(1, 128 + SIGKILL, 4100);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 128 + SIGKILL);
	ck_assert_int_eq(sv.state, SV_DONE);
}
END_TEST

START_TEST(grace_off_never_escalates)
{
	grace(DURATION_OFF);
	struct supervisor_action a = sig(SIGTERM, 0);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	a = exited(0, 0, 5);
	ck_assert(a.todo & DO_TERMINATE_LEFTOVERS);
	ck_assert(!(a.todo & DO_KILL_ALL));
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
}
END_TEST

START_TEST(grace_zero_kills_at_once)
{
	grace(0);
	struct supervisor_action a = sig(SIGTERM, 0);
	ck_assert_uint_eq(a.todo, DO_KILL_ALL);
	ck_assert_int_eq(a.kill_reason, KILL_NO_GRACE);
	ck_assert_int_eq(sv.state, SV_KILLED);
	/* The command's group is still held: the kill may use its number. */
	ck_assert(!(a.todo & DO_TO_REMAINING));
}
END_TEST

START_TEST(command_exit_alone_exits_with_its_status)
{
	grace(10000);
	struct supervisor_action a = all_exited(1, 3, 10);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 3);
}
END_TEST

START_TEST(command_exit_with_leftovers_terminates_them_and_waits)
{
	grace(5000);
	struct supervisor_action a = exited(0, 0, 1000);
	ck_assert_uint_eq(a.todo, DO_TERMINATE_LEFTOVERS);
	ck_assert_int_eq(a.status, 0);
	ck_assert_int_eq(sv.state, SV_DRAINING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 6000);
	/* A later stop signal goes to what remains, not to the group's number. */
	a = sig(SIGTERM, 2000);
	ck_assert(a.todo & DO_TO_REMAINING);
	a = all_exited(0, 0, 3000);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
}
END_TEST

START_TEST(leftovers_after_stop_spare_the_group_and_keep_the_deadline)
{
	grace(9000);
	sig(SIGTERM, 1000);
	struct supervisor_action a = exited(143, 0, 4000);
	ck_assert_uint_eq(a.todo, DO_TERMINATE_LEFTOVERS);
	ck_assert(a.requests == SIGMASK_BIT(SIGTERM));
	ck_assert_int_eq(supervisor_next_deadline(&sv), 10000);
	a = tick(10000);
	ck_assert_uint_eq(a.todo, DO_KILL_ALL | DO_TO_REMAINING);
	a = all_exited(0, 0, 10010);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 143);
}
END_TEST

START_TEST(rewrite_to_none_still_starts_grace_but_forwards_nothing)
{
	configure_with(9000, 0, 0, SIGTERM, 0);
	struct supervisor_action a = sig(SIGTERM, 0);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 9000);
	/* The group got no stop signal, so leftovers include it. */
	a = exited(0, 0, 100);
	ck_assert(a.requests == 0);
}
END_TEST

START_TEST(forwarding_after_command_exit_goes_on)
{
	grace(9000);
	exited(0, 0, 0);
	struct supervisor_action a = sig(SIGUSR1, 10);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_TO_REMAINING);
	/* The deadline set at the command's exit stays where it is. */
	sig(SIGTERM, 500);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 9000);
}
END_TEST

/* ---- No --grace: the engine's timeout decides (gracefulinit(1), STOPPING). */

START_TEST(without_grace_a_stop_never_kills_but_names_who_remains)
{
	grace(SUPERVISOR_GRACE_ENGINE);
	struct supervisor_action a = sig(SIGTERM, 1000);
	ck_assert(a.todo & DO_FORWARD);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1000 + SUPERVISOR_NOTICE_MS);
	a = tick(1000 + SUPERVISOR_NOTICE_MS);
	ck_assert_uint_eq(a.todo, DO_NOTICE_REMAINING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	/* The command exits, its leftovers get their SIGTERM, and still no kill. */
	a = exited(143, SIGTERM, 20000);
	ck_assert_uint_eq(a.todo, DO_TERMINATE_LEFTOVERS);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
}
END_TEST

START_TEST(without_grace_leftovers_of_an_exited_command_are_killed_after_10s)
{
	grace(SUPERVISOR_GRACE_ENGINE);
	struct supervisor_action a = exited(0, 0, 500);
	ck_assert_uint_eq(a.todo, DO_TERMINATE_LEFTOVERS);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 500 + SUPERVISOR_LEFTOVER_GRACE_MS);
	a = tick(500 + SUPERVISOR_LEFTOVER_GRACE_MS);
	ck_assert_uint_eq(a.todo, DO_KILL_ALL | DO_TO_REMAINING);
	ck_assert_int_eq(a.kill_reason, KILL_LEFTOVERS_EXPIRED);
}
END_TEST

/* ---- One stop request per process. */

START_TEST(the_signal_that_killed_the_command_counts_as_the_stop_request)
{
	grace(SUPERVISOR_GRACE_ENGINE);
	/* STOPSIGNAL QUIT, forwarded as any signal; the shell dies of it. */
	sig(SIGQUIT, 0);
	struct supervisor_action a = exited(128 + SIGQUIT, SIGQUIT, 10);
	ck_assert(a.requests == SIGMASK_BIT(SIGQUIT));
	/* A signal gracefulinit never sent is no request of its. */
	grace(SUPERVISOR_GRACE_ENGINE);
	a = exited(128 + SIGHUP, SIGHUP, 10);
	ck_assert(a.requests == 0);
	/* Nor is a HUP it forwarded: the app that caught it reloaded. */
	grace(SUPERVISOR_GRACE_ENGINE);
	sig(SIGHUP, 0);
	a = exited(128 + SIGHUP, SIGHUP, 10);
	ck_assert(a.requests == 0);
}
END_TEST

START_TEST(stop_signal_option_starts_the_stop)
{
	configure(SUPERVISOR_GRACE_ENGINE, 0, SIGQUIT);
	ck_assert(supervisor_is_stop_signal(&sv, SIGQUIT));
	ck_assert(supervisor_is_stop_signal(&sv, SIGTERM));
	ck_assert(!supervisor_is_stop_signal(&sv, SIGHUP));
	struct supervisor_action a = sig(SIGQUIT, 0);
	ck_assert(a.todo & DO_ANNOUNCE);
	ck_assert(a.todo & DO_CONTINUE);
	ck_assert(sv.requests == SIGMASK_BIT(SIGQUIT));
	/* Without the option QUIT is a message (a JVM's thread dump). */
	grace(SUPERVISOR_GRACE_ENGINE);
	ck_assert_uint_eq(sig(SIGQUIT, 0).todo, DO_FORWARD);
	ck_assert_int_eq(sv.state, SV_RUNNING);
}
END_TEST

/* ---- --stop-delay. */

START_TEST(stop_delay_holds_the_first_stop_signal)
{
	configure(30000, 5000, 0);
	struct supervisor_action a = sig(SIGTERM, 1000);
	ck_assert_uint_eq(a.todo, DO_HOLD | DO_ANNOUNCE);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(sv.state, SV_HOLDING);
	/* The grace counts from the first signal, as the platform's clock. */
	ck_assert_int_eq(sv.due[TIMER_KILL], 31000);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 6000);
	ck_assert_uint_eq(tick(5999).todo, 0);
	a = tick(6000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(sv.state, SV_STOPPING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 31000);
}
END_TEST

START_TEST(second_stop_signal_during_the_delay_goes_at_once)
{
	configure(30000, 5000, 0);
	sig(SIGTERM, 1000);
	struct supervisor_action a = sig(SIGINT, 2000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	ck_assert_int_eq(a.signal, SIGINT);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 31000); /* nothing held any more */
	/* Other signals during the delay pass as usual. */
	configure(30000, 5000, 0);
	sig(SIGTERM, 1000);
	ck_assert_uint_eq(sig(SIGHUP, 1500).todo, DO_FORWARD);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 6000);
}
END_TEST

START_TEST(command_exit_during_the_delay_drops_the_held_signal)
{
	configure(30000, 5000, 0);
	sig(SIGTERM, 1000);
	struct supervisor_action a = exited(0, 0, 2000);
	ck_assert_uint_eq(a.todo, DO_TERMINATE_LEFTOVERS);
	ck_assert_int_eq(sv.due[TIMER_RELEASE], SUPERVISOR_NO_DEADLINE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 31000);
}
END_TEST

/* ---- What cannot be seen is not waited for. */

START_TEST(unseen_leftovers_end_the_wait_once_the_command_is_gone)
{
	grace(1000);
	sig(SIGTERM, 0);
	tick(1000); /* SIGKILL to the group; the rest cannot be listed */
	ck_assert_uint_eq(feed((struct supervisor_input){ .event = EV_UNSEEN }).todo, 0);
	struct supervisor_action a = exited(137, SIGKILL, 1001);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 137);
	/* Once the command has gone, at once. */
	grace(1000);
	exited(0, 0, 0);
	tick(1000);
	a = feed((struct supervisor_input){ .event = EV_UNSEEN });
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 0);
}
END_TEST

/* ---- The table itself: each row as a reader expects it. */

START_TEST(done_ignores_everything)
{
	grace(1000);
	all_exited(1, 0, 0);
	ck_assert_int_eq(sv.state, SV_DONE);
	for (int ev = 0; ev < SV_EVENTS; ev++) {
		struct supervisor_input in = { .event = (enum supervisor_event)ev, .signal = SIGTERM };
		ck_assert_uint_eq(supervisor_step(&sv, &in).todo, 0);
		ck_assert_int_eq(sv.state, SV_DONE);
	}
}
END_TEST

START_TEST(a_deadline_fires_once_whatever_its_cell)
{
	configure(30000, 5000, 0);
	sig(SIGTERM, 0);
	sig(SIGINT, 10); /* released by hand: the release deadline is gone */
	ck_assert_int_eq(supervisor_due(&sv, 6000), -1);
	/* A stale deadline fed anyway does nothing and does not come back. */
	ck_assert_uint_eq(feed((struct supervisor_input){ .event = EV_RELEASE_DUE, .now_ms = 6000 }).todo, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 30000);
}
END_TEST

/* The watchdog: checks every second, 500 ms each at most, three failures
 * in a row. */
static void watchdog(enum unhealthy_action action, long long start_period_ms)
{
	cfg = (struct supervisor_config){ .grace_ms = SUPERVISOR_GRACE_ENGINE };
	rewrite_init(&cfg.rewrite);
	cfg.watchdog = (struct watchdog_config){ 1, 1000, 500, start_period_ms, 3, action, SIGUSR1 };
	ck_assert_uint_eq(begin().todo, DO_SPAWN);
}

static void restarts(enum restart_policy policy, int limit, long long window_ms)
{
	cfg = (struct supervisor_config){ .grace_ms = SUPERVISOR_GRACE_ENGINE };
	rewrite_init(&cfg.rewrite);
	cfg.restart = (struct restart_config){ policy, limit, window_ms };
	ck_assert_uint_eq(begin().todo, DO_SPAWN);
}

static struct supervisor_action check_ended(int passed, long long now)
{
	return feed((struct supervisor_input){ .event = passed ? EV_CHECK_PASSED : EV_CHECK_FAILED, .now_ms = now });
}

/* A check is due at now, starts, and ends as passed says 10 ms later. */
static struct supervisor_action one_check(int passed, long long now)
{
	struct supervisor_action a = tick(now);
	ck_assert_uint_eq(a.todo, DO_START_CHECK);
	return check_ended(passed, now + 10);
}

/* Three checks fail from at on: the third action (the verdict's). */
static struct supervisor_action three_failures(long long at)
{
	one_check(0, at);
	one_check(0, at + 1010);
	return one_check(0, at + 2020);
}

START_TEST(no_watchdog_no_deadline)
{
	restarts(RESTART_NO, 0, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	ck_assert_int_eq(all_exited(1, 3, 50).status, 3);
}
END_TEST

/* Docker's timing: the first check one interval after the start, each next
 * one an interval after the last ended; one that runs over the timeout is
 * ended and counts as failed. */
START_TEST(checks_follow_docker_timing)
{
	watchdog(UNHEALTHY_NONE, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1000);
	ck_assert_uint_eq(tick(999).todo, 0);
	ck_assert_uint_eq(tick(1000).todo, DO_START_CHECK);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1500);
	struct supervisor_action a = check_ended(1, 1200);
	ck_assert_uint_eq(a.todo, DO_VERDICT);
	ck_assert_int_eq(a.verdict, HEALTH_HEALTHY);
	ck_assert_int_eq(sv.state, SV_HEALTHY);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 2200);
	ck_assert_uint_eq(tick(2200).todo, DO_START_CHECK);
	a = tick(2700);
	ck_assert_uint_eq(a.todo, DO_END_CHECK);
	ck_assert_int_eq(sv.failures, 1);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 3700);
	/* A passing check says nothing. */
	ck_assert_uint_eq(one_check(1, 3700).todo, 0);
	ck_assert_int_eq(sv.failures, 0);
}
END_TEST

START_TEST(retries_in_a_row_make_unhealthy)
{
	watchdog(UNHEALTHY_NONE, 0);
	ck_assert_uint_eq(one_check(0, 1000).todo, 0);
	ck_assert_uint_eq(one_check(0, 2010).todo, 0);
	ck_assert_uint_eq(one_check(1, 3020).todo, DO_VERDICT); /* resets the count */
	ck_assert_uint_eq(one_check(0, 4030).todo, 0);
	ck_assert_uint_eq(one_check(0, 5040).todo, 0);
	struct supervisor_action a = one_check(0, 6050);
	ck_assert_uint_eq(a.todo, DO_VERDICT);
	ck_assert_int_eq(a.verdict, HEALTH_UNHEALTHY);
	ck_assert_int_eq(a.failures, 3);
	ck_assert_int_eq(sv.state, SV_UNHEALTHY);
	/* none: only the report; the checks go on, and a fourth failure says nothing. */
	ck_assert_uint_eq(one_check(0, 7070).todo, 0);
	a = one_check(1, 8080);
	ck_assert_uint_eq(a.todo, DO_VERDICT);
	ck_assert_int_eq(a.verdict, HEALTH_HEALTHY);
}
END_TEST

/* Failures inside the start period do not count; the first pass ends it. */
START_TEST(start_period)
{
	watchdog(UNHEALTHY_NONE, 10000);
	for (long long t = 1000; t < 9000; t += 1010)
		ck_assert_uint_eq(one_check(0, t).todo, 0);
	ck_assert_int_eq(sv.failures, 0);
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_uint_eq(one_check(0, 10000).todo, 0);
	ck_assert_int_eq(sv.failures, 1);
	/* Ended by a pass: later failures count at once. */
	watchdog(UNHEALTHY_NONE, 60000);
	ck_assert_uint_eq(one_check(1, 1000).todo, DO_VERDICT);
	one_check(0, 2010);
	one_check(0, 3020);
	ck_assert_int_eq(one_check(0, 4030).verdict, HEALTH_UNHEALTHY);
}
END_TEST

/* exit: stopped as docker stop would (TERM, then CONT), SIGKILL 10 s on
 * without --grace, then gracefulinit's own 124. */
START_TEST(unhealthy_exit_stops_gracefully)
{
	watchdog(UNHEALTHY_EXIT, 0);
	struct supervisor_action a = three_failures(1000);
	ck_assert_uint_eq(a.todo, DO_VERDICT | DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(a.cause, CAUSE_UNHEALTHY);
	ck_assert_int_eq(sv.state, SV_STOPPING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 3030 + SUPERVISOR_WATCHDOG_GRACE_MS);
	a = all_exited(1, 143, 4000);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, SUPERVISOR_STATUS_UNHEALTHY);
	/* A hung app that ignores TERM is killed at the watchdog's deadline. */
	watchdog(UNHEALTHY_EXIT, 0);
	three_failures(1000);
	a = tick(3030 + SUPERVISOR_WATCHDOG_GRACE_MS);
	ck_assert_uint_eq(a.todo & DO_KILL_ALL, DO_KILL_ALL);
	ck_assert_int_eq(a.kill_reason, KILL_WATCHDOG_EXPIRED);
}
END_TEST

/* The watchdog's stop keeps --stop-signal, --rewrite and --stop-delay. */
START_TEST(unhealthy_stop_uses_stop_options)
{
	watchdog(UNHEALTHY_EXIT, 0);
	cfg.stop_signal = SIGQUIT;
	cfg.stop_delay_ms = 2000;
	cfg.grace_ms = 5000;
	struct supervisor_action a = three_failures(1000);
	ck_assert_uint_eq(a.todo, DO_VERDICT | DO_HOLD | DO_ANNOUNCE);
	ck_assert_int_eq(a.signal, SIGQUIT);
	ck_assert_int_eq(sv.state, SV_HOLDING);
	a = tick(5030);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	ck_assert_int_eq(a.signal, SIGQUIT);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 8030);
}
END_TEST

START_TEST(unhealthy_signal_keeps_watching)
{
	watchdog(UNHEALTHY_SIGNAL, 0);
	struct supervisor_action a = three_failures(1000);
	ck_assert_uint_eq(a.todo, DO_VERDICT | DO_FORWARD);
	ck_assert_int_eq(a.signal, SIGUSR1);
	ck_assert_int_eq(sv.state, SV_UNHEALTHY);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 4030);
	ck_assert_uint_eq(one_check(0, 4030).todo, 0); /* once per turn of the verdict */
}
END_TEST

/* restart: the same stop, the delay, a new run with its start period. */
START_TEST(unhealthy_restart_starts_again)
{
	watchdog(UNHEALTHY_RESTART, 0);
	ck_assert_int_eq(three_failures(1000).cause, CAUSE_UNHEALTHY);
	struct supervisor_action a = all_exited(1, 0, 3500);
	ck_assert_uint_eq(a.todo, DO_WAIT_RESTART);
	ck_assert_int_eq(a.delay_ms, 100);
	ck_assert_int_eq(a.restarts, 1);
	ck_assert_int_eq(sv.state, SV_WAITING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 3600);
	a = sig(SIGHUP, 3550); /* nothing runs to forward it to */
	ck_assert_uint_eq(a.todo, 0);
	a = tick(3600);
	ck_assert_uint_eq(a.todo, DO_SPAWN);
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_int_eq(sv.command_status, -1);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 4600);
	/* The second run stops on a signal like any other. */
	a = sig(SIGTERM, 5000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_int_eq(all_exited(1, 143, 5100).status, 143);
}
END_TEST

/* A stop request always wins: during a check, during the watchdog's own
 * stop, between two runs. */
START_TEST(stop_request_wins)
{
	watchdog(UNHEALTHY_RESTART, 0);
	tick(1000);
	struct supervisor_action a = sig(SIGTERM, 1100);
	ck_assert_uint_eq(a.todo, DO_END_CHECK | DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1100 + SUPERVISOR_NOTICE_MS);
	ck_assert_uint_eq(all_exited(1, 143, 1200).todo, DO_EXIT);

	watchdog(UNHEALTHY_RESTART, 0);
	three_failures(1000);
	a = sig(SIGTERM, 3100);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	a = all_exited(1, 143, 3200);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 143);

	watchdog(UNHEALTHY_RESTART, 0);
	three_failures(1000);
	all_exited(1, 0, 3100);
	a = sig(SIGTERM, 3150);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_EXIT);
	ck_assert_int_eq(a.status, 0);
	ck_assert_int_eq(sv.state, SV_DONE);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);

	/* After the watchdog's SIGKILL too. */
	watchdog(UNHEALTHY_RESTART, 0);
	three_failures(1000);
	tick(3030 + SUPERVISOR_WATCHDOG_GRACE_MS);
	ck_assert_int_eq(sv.state, SV_KILLED);
	sig(SIGTERM, 13100);
	ck_assert_uint_eq(all_exited(1, 137, 13200).todo, DO_EXIT);
}
END_TEST

/* The command exits while a check runs: the check is ended with the run. */
START_TEST(exit_ends_the_check)
{
	watchdog(UNHEALTHY_EXIT, 0);
	tick(1000);
	struct supervisor_action a = exited(1, 0, 1100);
	ck_assert_uint_eq(a.todo & DO_END_CHECK, DO_END_CHECK);
	ck_assert_uint_eq(all_exited(0, 0, 1200).todo, DO_EXIT);
	ck_assert_int_eq(sv.state, SV_DONE);
}
END_TEST

START_TEST(restart_policies)
{
	restarts(RESTART_ON_FAILURE, 0, 0);
	ck_assert_uint_eq(all_exited(1, 0, 100).todo, DO_EXIT);
	restarts(RESTART_ON_FAILURE, 0, 0);
	ck_assert_uint_eq(all_exited(1, 1, 100).todo, DO_WAIT_RESTART);
	restarts(RESTART_ALWAYS, 0, 0);
	ck_assert_uint_eq(all_exited(1, 0, 100).todo, DO_WAIT_RESTART);
	/* Its leftovers are drained first. */
	restarts(RESTART_ALWAYS, 0, 0);
	ck_assert_uint_eq(exited(1, 0, 100).todo, DO_TERMINATE_LEFTOVERS);
	ck_assert_uint_eq(all_exited(0, 0, 200).todo, DO_WAIT_RESTART);
}
END_TEST

/* Docker's delay: 100 ms doubling to a minute, back to 100 ms after a run
 * of 10 s. */
START_TEST(restart_delay_doubles_and_resets)
{
	long long now = 0, expect = 100;

	restarts(RESTART_ALWAYS, 0, 0);
	for (int i = 0; i < 12; i++) {
		struct supervisor_action a = all_exited(1, 1, now);
		ck_assert_int_eq(a.delay_ms, expect);
		ck_assert_int_eq(a.restarts, i + 1);
		now += a.delay_ms;
		ck_assert_uint_eq(tick(now).todo, DO_SPAWN);
		now += 50;
		expect = expect * 2 > 60000 ? 60000 : expect * 2;
	}
	now += RESTART_STEADY_RUN_MS;
	ck_assert_int_eq(all_exited(1, 1, now).delay_ms, 100);
}
END_TEST

/* --restart-limit 2/60s: the exit that would make the third ends it with
 * that run's status; restarts that left the window no longer count. */
START_TEST(restart_limit)
{
	restarts(RESTART_ON_FAILURE, 2, 60000);
	all_exited(1, 1, 0);
	tick(100);
	all_exited(1, 1, 1000);
	tick(1200);
	struct supervisor_action a = all_exited(1, 7, 2000);
	ck_assert_uint_eq(a.todo, DO_GIVE_UP | DO_EXIT);
	ck_assert_int_eq(a.status, 7);

	restarts(RESTART_ON_FAILURE, 2, 60000);
	all_exited(1, 1, 0);
	tick(100);
	all_exited(1, 1, 1000);
	tick(1200);
	ck_assert_uint_eq(all_exited(1, 1, 60001).todo, DO_WAIT_RESTART);
}
END_TEST

/* Past the limit after --on-unhealthy restart: gracefulinit's own 124. */
START_TEST(unhealthy_restart_limit)
{
	watchdog(UNHEALTHY_RESTART, 0);
	cfg.restart = (struct restart_config){ RESTART_NO, 1, 60000 };
	three_failures(1000);
	all_exited(1, 143, 3100);
	tick(3200);
	three_failures(4200);
	struct supervisor_action a = all_exited(1, 137, 6300);
	ck_assert_uint_eq(a.todo, DO_GIVE_UP | DO_EXIT);
	ck_assert_int_eq(a.status, SUPERVISOR_STATUS_UNHEALTHY);
	ck_assert_int_eq(a.command_status, 137); /* for the line that says why */
}
END_TEST

/* The watchdog's SIGKILL never comes before its held stop signal: 10 s
 * after the release. An outside stop during the hold keeps it (the
 * platform's own stop would be held too); a second one means now. */
START_TEST(watchdog_hold_and_outside_stop)
{
	watchdog(UNHEALTHY_EXIT, 0);
	cfg.stop_delay_ms = 15000;
	struct supervisor_action a = three_failures(1000);
	ck_assert_uint_eq(a.todo, DO_VERDICT | DO_HOLD | DO_ANNOUNCE);
	ck_assert_int_eq(sv.due[TIMER_KILL], 3030 + 15000 + SUPERVISOR_WATCHDOG_GRACE_MS);
	a = sig(SIGTERM, 4000);
	ck_assert_uint_eq(a.todo, 0);
	ck_assert_int_eq(sv.state, SV_HOLDING);
	a = sig(SIGTERM, 5000);
	ck_assert_uint_eq(a.todo, DO_FORWARD | DO_CONTINUE);
	ck_assert_int_eq(sv.state, SV_STOPPING);
	ck_assert_int_eq(all_exited(1, 143, 6000).todo, DO_EXIT);
}
END_TEST

/* What could not be listed may still run: no new run meets it. */
START_TEST(unseen_run_is_not_restarted)
{
	restarts(RESTART_ALWAYS, 0, 0);
	exited(1, 0, 100);
	feed((struct supervisor_input){ .event = EV_UNSEEN, .now_ms = 200 });
	ck_assert_int_eq(sv.state, SV_DONE);
}
END_TEST

/* A check that started inside the start period and timed out after it does
 * not count, as Docker judges by the check's start. */
START_TEST(start_period_by_the_check_start)
{
	watchdog(UNHEALTHY_NONE, 1500);
	ck_assert_uint_eq(tick(1000).todo, DO_START_CHECK);
	ck_assert_uint_eq(tick(1500).todo, DO_END_CHECK);
	ck_assert_int_eq(sv.failures, 0);
	ck_assert_uint_eq(tick(2500).todo, DO_START_CHECK);
	tick(3000);
	ck_assert_int_eq(sv.failures, 1);
}
END_TEST

START_TEST(restart_limit_parses)
{
	struct restart_config r = { RESTART_ALWAYS, 0, 0 };

	ck_assert_int_eq(restart_limit_parse(&r, "5/60s"), 0);
	ck_assert_int_eq(r.limit, 5);
	ck_assert_int_eq(r.window_ms, 60000);
	ck_assert_int_eq(restart_limit_parse(&r, "100/1m"), 0);
	ck_assert_int_eq(restart_limit_parse(&r, "5"), -1);
	ck_assert_int_eq(restart_limit_parse(&r, "/60s"), -1);
	ck_assert_int_eq(restart_limit_parse(&r, "5/"), -1);
	ck_assert_int_eq(restart_limit_parse(&r, "-1/60s"), -1);
	ck_assert_int_eq(restart_limit_parse(&r, "5/60s/2"), -1);
}
END_TEST

/* --wait: no command until every target is ready; --wait-timeout 30s. */
static void waits(long long timeout_ms, int each_start, enum restart_policy policy)
{
	cfg = (struct supervisor_config){ .grace_ms = SUPERVISOR_GRACE_ENGINE };
	rewrite_init(&cfg.rewrite);
	cfg.wait = (struct wait_config){ 1, timeout_ms, each_start };
	cfg.restart = (struct restart_config){ policy, 0, 0 };
	ck_assert_uint_eq(begin().todo, DO_START_WAIT);
	ck_assert_int_eq(sv.state, SV_DEPENDING);
}

static struct supervisor_action ready(long long now)
{
	return feed((struct supervisor_input){ .event = EV_READY, .now_ms = now });
}

START_TEST(the_command_starts_once_the_targets_are_ready)
{
	waits(DURATION_OFF, 0, RESTART_NO);
	ck_assert_int_eq(supervisor_next_deadline(&sv), WAIT_PROGRESS_MS);
	/* Other signals have nothing to reach; a child that ends is a waiter. */
	ck_assert_uint_eq(sig(SIGHUP, 100).todo, 0);
	ck_assert_uint_eq(all_exited(0, 0, 200).todo, 0);
	ck_assert_uint_eq(ready(300).todo, DO_SPAWN);
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	/* The loop's order when the last waiter was the only child: no child
	 * left, but the command, just started, is no exit. */
	ck_assert_uint_eq(all_exited(0, 0, 300).todo, 0);
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_uint_eq(all_exited(1, 3, 400).todo, DO_EXIT);
}
END_TEST

START_TEST(a_line_every_10s_and_the_timeout)
{
	waits(25000, 0, RESTART_NO);
	ck_assert_uint_eq(tick(10000).todo, DO_WAIT_PROGRESS);
	ck_assert_uint_eq(tick(20000).todo, DO_WAIT_PROGRESS);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 25000);
	struct supervisor_action a = tick(25000);
	ck_assert_uint_eq(a.todo, DO_END_WAIT | DO_WAIT_EXPIRED | DO_EXIT);
	ck_assert_int_eq(a.status, WAIT_STATUS_TIMED_OUT);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
}
END_TEST

/* A command that never started: as the signal would have ended it. QUIT
 * too, a STOPSIGNAL by convention; HUP and the rest have no one to reach. */
START_TEST(a_stop_while_waiting_ends_it_at_once)
{
	waits(DURATION_OFF, 0, RESTART_NO);
	ck_assert_uint_eq(sig(SIGHUP, 400).todo, 0);
	struct supervisor_action a = sig(SIGTERM, 500);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_END_WAIT | DO_EXIT);
	ck_assert_int_eq(a.status, 128 + SIGTERM);
	waits(DURATION_OFF, 0, RESTART_NO);
	a = sig(SIGQUIT, 500);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_END_WAIT | DO_EXIT);
	ck_assert_int_eq(a.status, 128 + SIGQUIT);
	/* A QUIT forwarded to a running command, which then exits: a stop
	 * (nginx's STOPSIGNAL), not a crash to restart from. */
	restarts(RESTART_ALWAYS, 0, 0);
	ck_assert_uint_eq(sig(SIGQUIT, 50).todo, DO_FORWARD);
	a = all_exited(1, 0, 90);
	ck_assert_uint_eq(a.todo, DO_EXIT);
	ck_assert_int_eq(a.status, 0);
	/* And between two runs. */
	restarts(RESTART_ALWAYS, 0, 0);
	ck_assert_uint_eq(all_exited(1, 5, 100).todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(sig(SIGHUP, 150).todo, 0);
	a = sig(SIGQUIT, 160);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_EXIT);
	ck_assert_int_eq(a.status, 5);
	/* Nothing runs before the first start either. */
	cfg = (struct supervisor_config){ .grace_ms = SUPERVISOR_GRACE_ENGINE };
	supervisor_init(&sv, &cfg, 0);
	a = sig(SIGINT, 0);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_EXIT);
	ck_assert_int_eq(a.status, 128 + SIGINT);
}
END_TEST

/* A restart waits again only with --wait-each-start; a stop then exits with
 * the last run's status. */
START_TEST(restarts_wait_again_only_when_asked)
{
	waits(DURATION_OFF, 0, RESTART_ALWAYS);
	ck_assert_uint_eq(ready(100).todo, DO_SPAWN);
	ck_assert_uint_eq(all_exited(1, 2, 200).todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(tick(300).todo, DO_SPAWN);
	waits(60000, 1, RESTART_ALWAYS);
	ck_assert_uint_eq(ready(100).todo, DO_SPAWN);
	ck_assert_uint_eq(all_exited(1, 2, 200).todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(tick(300).todo, DO_START_WAIT);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 300 + WAIT_PROGRESS_MS);
	struct supervisor_action a = sig(SIGTERM, 400);
	ck_assert_uint_eq(a.todo, DO_ANNOUNCE | DO_END_WAIT | DO_EXIT);
	ck_assert_int_eq(a.status, 2);
}
END_TEST

/* --watch: path 0 HUP, path 1 USR1, path 2 restart; settle 1 s. */
static void watches(void)
{
	cfg = (struct supervisor_config){ .grace_ms = SUPERVISOR_GRACE_ENGINE,
					  .watch = { .count = 3, .settle_ms = 1000, .signals = { SIGHUP, SIGUSR1, WATCH_RESTART },
						     .restarts = 1U << 2 } };
	rewrite_init(&cfg.rewrite);
	ck_assert_uint_eq(begin().todo, DO_SPAWN);
}

static struct supervisor_action changed(unsigned paths, long long now)
{
	return feed((struct supervisor_input){ .event = EV_CHANGED, .paths = paths, .now_ms = now });
}

/* Every change starts the settle clock again; one action once it is quiet,
 * each signal once. */
START_TEST(changes_settle_into_one_action)
{
	watches();
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	for (long long t = 100; t <= 900; t += 100)
		ck_assert_uint_eq(changed(1U << 0, t).todo, 0);
	ck_assert_uint_eq(changed(1U << 1, 950).todo, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1950);
	ck_assert_uint_eq(tick(1949).todo, 0);
	struct supervisor_action a = tick(1950);
	ck_assert_uint_eq(a.todo, DO_CHANGED);
	ck_assert_uint_eq(a.paths, 3);
	ck_assert(a.signals == (SIGMASK_BIT(SIGHUP) | SIGMASK_BIT(SIGUSR1)));
	ck_assert_int_eq(sv.state, SV_RUNNING);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	/* The next change is a new action. */
	changed(1U << 0, 3000);
	a = tick(4000);
	ck_assert_uint_eq(a.paths, 1);
	ck_assert(a.signals == SIGMASK_BIT(SIGHUP));
}
END_TEST

/* A restart path among them: only the restart, exactly as docker stop's
 * stop, then a new run; the platform's stop after it is still final. */
START_TEST(a_restart_path_restarts_gracefully)
{
	watches();
	changed((1U << 0) | (1U << 2), 100);
	struct supervisor_action a = tick(1100);
	ck_assert_uint_eq(a.todo, DO_CHANGED | DO_FORWARD | DO_CONTINUE | DO_ANNOUNCE);
	ck_assert_uint_eq(a.paths, 5);
	ck_assert(a.signals == 0);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(a.cause, CAUSE_CHANGED);
	ck_assert_int_eq(sv.state, SV_STOPPING);
	/* No --grace: docker stop's 10 s, as for the watchdog's own stop. */
	ck_assert_int_eq(supervisor_next_deadline(&sv), 1100 + SUPERVISOR_WATCHDOG_GRACE_MS);
	ck_assert_uint_eq(changed(1U << 0, 1200).todo, 0); /* the new run reads it */
	a = all_exited(1, 143, 1500);
	ck_assert_uint_eq(a.todo, DO_WAIT_RESTART);
	ck_assert_int_eq(a.delay_ms, RESTART_DELAY_FIRST_MS);
	ck_assert_uint_eq(tick(1600).todo, DO_SPAWN);
	ck_assert_int_eq(supervisor_next_deadline(&sv), SUPERVISOR_NO_DEADLINE);
	ck_assert_uint_eq(sig(SIGTERM, 2000).todo & DO_FORWARD, DO_FORWARD);
	ck_assert_uint_eq(all_exited(1, 0, 2100).todo, DO_EXIT);
}
END_TEST

/* Once a stop has begun, and between two runs, a change does nothing. */
START_TEST(changes_during_a_stop_are_dropped)
{
	watches();
	sig(SIGTERM, 100);
	ck_assert_uint_eq(changed(1U << 0, 200).todo, 0);
	ck_assert_int_eq(supervisor_next_deadline(&sv), 100 + SUPERVISOR_NOTICE_MS);
	watches();
	changed(1U << 0, 100);
	sig(SIGTERM, 500);
	struct supervisor_action a = tick(1100);
	ck_assert_uint_eq(a.todo & DO_CHANGED, 0);
}
END_TEST

/* --stop-signal QUIT (nginx): the restart's own QUIT does not end
 * gracefulinit; a QUIT from outside during it does (the engine's stop). */
START_TEST(a_restart_by_quit_restarts_and_an_outside_quit_ends_it)
{
	watches();
	cfg.stop_signal = SIGQUIT;
	changed(1U << 2, 100);
	struct supervisor_action a = tick(1100);
	ck_assert_int_eq(a.signal, SIGQUIT);
	a = all_exited(1, 0, 1200);
	ck_assert_uint_eq(a.todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(tick(1300).todo, DO_SPAWN);
	changed(1U << 2, 2000);
	tick(3000);
	cfg.stop_signal = 0;
	a = sig(SIGQUIT, 3100); /* no stop signal now: forwarded, and final */
	ck_assert_uint_eq(a.todo & DO_FORWARD, DO_FORWARD);
	ck_assert_uint_eq(all_exited(1, 0, 3200).todo, DO_EXIT);
}
END_TEST

/* A restart for a change after a steady run is no crash: the delay stays
 * the first one and --restart-limit does not count it; nor does it fill
 * the limit's ring, which a crash after them still finds empty. */
START_TEST(restarts_for_changes_neither_back_off_nor_count)
{
	watches();
	cfg.restart = (struct restart_config){ .policy = RESTART_ON_FAILURE, .limit = 1, .window_ms = 3600000 };
	long long t = RESTART_STEADY_RUN_MS;
	for (int i = 1; i <= 3; i++, t += RESTART_STEADY_RUN_MS + 2000) {
		changed(1U << 2, t);
		tick(t + 1000);
		struct supervisor_action a = all_exited(1, 0, t + 1100);
		ck_assert_uint_eq(a.todo, DO_WAIT_RESTART);
		ck_assert_int_eq(a.delay_ms, RESTART_DELAY_FIRST_MS);
		ck_assert_int_eq(a.restarts, i);
		ck_assert_uint_eq(tick(t + 1200).todo, DO_SPAWN);
	}
	/* A crash: the first that --restart-limit 1/1h counts. */
	struct supervisor_action a = all_exited(1, 3, t);
	ck_assert_uint_eq(a.todo, DO_WAIT_RESTART);
	ck_assert_int_eq(a.restarts, 4);
}
END_TEST

/* Sooner, it counts as a crash's restart: an app that writes where it is
 * watched cannot restart for ever. */
START_TEST(quick_restarts_for_changes_count)
{
	watches();
	cfg.restart = (struct restart_config){ .policy = RESTART_NO, .limit = 1, .window_ms = 3600000 };
	changed(1U << 2, 100);
	tick(1100);
	ck_assert_uint_eq(all_exited(1, 0, 1200).todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(tick(1300).todo, DO_SPAWN);
	changed(1U << 2, 1400);
	tick(2400);
	ck_assert_uint_eq(all_exited(1, 0, 2500).todo, DO_GIVE_UP | DO_EXIT);
}
END_TEST

/* A QUIT the command outlives (a JVM's thread dump) does not rule out the
 * next restart of gracefulinit's own; one after the SIGKILL does. */
START_TEST(a_thread_dump_does_not_stop_restarts)
{
	watches();
	sig(SIGQUIT, 100);
	changed(1U << 2, 200);
	tick(1200);
	ck_assert_uint_eq(all_exited(1, 143, 1300).todo, DO_WAIT_RESTART);
	ck_assert_uint_eq(tick(1400).todo, DO_SPAWN);
	cfg.grace_ms = 0; /* the restart's stop kills at once */
	changed(1U << 2, 2000);
	ck_assert_uint_eq(tick(3000).todo & DO_KILL_ALL, DO_KILL_ALL);
	ck_assert_uint_eq(sig(SIGQUIT, 3100).todo, 0);
	ck_assert_uint_eq(all_exited(1, 137, 3200).todo, DO_EXIT);
}
END_TEST

START_TEST(who_may_restart)
{
	struct supervisor_config c = { .watch = { .count = 2, .signals = { SIGHUP, SIGUSR1 } } };
	ck_assert(!supervisor_may_restart(&c));
	c.watch.restarts = 1U << 1;
	ck_assert(supervisor_may_restart(&c));
	c = (struct supervisor_config){ .restart = { .policy = RESTART_ON_FAILURE } };
	ck_assert(supervisor_may_restart(&c));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("supervisor");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, quiet_until_something_happens);
	tcase_add_test(tc, first_term_starts_grace_and_later_ones_do_not_move_it);
	tcase_add_test(tc, stop_signals_are_followed_by_sigcont);
	tcase_add_test(tc, int_starts_grace_too);
	tcase_add_test(tc, notice_after_the_leftovers_kill_still_names_survivors);
	tcase_add_test(tc, no_child_left_but_the_command_unreaped_is_no_exit);
	tcase_add_test(tc, deadline_escalates_once);
	tcase_add_test(tc, grace_off_never_escalates);
	tcase_add_test(tc, grace_zero_kills_at_once);
	tcase_add_test(tc, command_exit_alone_exits_with_its_status);
	tcase_add_test(tc, command_exit_with_leftovers_terminates_them_and_waits);
	tcase_add_test(tc, leftovers_after_stop_spare_the_group_and_keep_the_deadline);
	tcase_add_test(tc, rewrite_to_none_still_starts_grace_but_forwards_nothing);
	tcase_add_test(tc, forwarding_after_command_exit_goes_on);
	tcase_add_test(tc, without_grace_a_stop_never_kills_but_names_who_remains);
	tcase_add_test(tc, without_grace_leftovers_of_an_exited_command_are_killed_after_10s);
	tcase_add_test(tc, the_signal_that_killed_the_command_counts_as_the_stop_request);
	tcase_add_test(tc, stop_signal_option_starts_the_stop);
	tcase_add_test(tc, stop_delay_holds_the_first_stop_signal);
	tcase_add_test(tc, second_stop_signal_during_the_delay_goes_at_once);
	tcase_add_test(tc, command_exit_during_the_delay_drops_the_held_signal);
	tcase_add_test(tc, unseen_leftovers_end_the_wait_once_the_command_is_gone);
	tcase_add_test(tc, done_ignores_everything);
	tcase_add_test(tc, a_deadline_fires_once_whatever_its_cell);
	TCase *life = tcase_create("lifecycle");
	tcase_add_test(life, no_watchdog_no_deadline);
	tcase_add_test(life, checks_follow_docker_timing);
	tcase_add_test(life, retries_in_a_row_make_unhealthy);
	tcase_add_test(life, start_period);
	tcase_add_test(life, unhealthy_exit_stops_gracefully);
	tcase_add_test(life, unhealthy_stop_uses_stop_options);
	tcase_add_test(life, unhealthy_signal_keeps_watching);
	tcase_add_test(life, unhealthy_restart_starts_again);
	tcase_add_test(life, stop_request_wins);
	tcase_add_test(life, exit_ends_the_check);
	tcase_add_test(life, restart_policies);
	tcase_add_test(life, restart_delay_doubles_and_resets);
	tcase_add_test(life, restart_limit);
	tcase_add_test(life, unhealthy_restart_limit);
	tcase_add_test(life, restart_limit_parses);
	tcase_add_test(life, watchdog_hold_and_outside_stop);
	tcase_add_test(life, unseen_run_is_not_restarted);
	tcase_add_test(life, start_period_by_the_check_start);
	tcase_add_test(life, the_command_starts_once_the_targets_are_ready);
	tcase_add_test(life, a_line_every_10s_and_the_timeout);
	tcase_add_test(life, a_stop_while_waiting_ends_it_at_once);
	tcase_add_test(life, restarts_wait_again_only_when_asked);
	tcase_add_test(life, changes_settle_into_one_action);
	tcase_add_test(life, a_restart_path_restarts_gracefully);
	tcase_add_test(life, changes_during_a_stop_are_dropped);
	tcase_add_test(life, who_may_restart);
	tcase_add_test(life, a_restart_by_quit_restarts_and_an_outside_quit_ends_it);
	tcase_add_test(life, restarts_for_changes_neither_back_off_nor_count);
	tcase_add_test(life, quick_restarts_for_changes_count);
	tcase_add_test(life, a_thread_dump_does_not_stop_restarts);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, life);
	return s;
}
