/* The stop sequence, driven by events and a fake clock: no process involved. */
#include <check.h>
#include <signal.h>

#include "check_main.h"
#include "duration.h"
#include "stop.h"

static struct stop_state st;

static void configure(long long grace_ms, long long delay_ms, int stop_signal)
{
	struct stop_config cfg = { grace_ms, delay_ms, stop_signal };
	stop_init(&st, &cfg);
}

static void grace(long long ms) { configure(ms, 0, 0); }

START_TEST(quiet_until_something_happens)
{
	grace(9000);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
	struct stop_action a = stop_on_signal(&st, SIGHUP, SIGHUP, 100);
	ck_assert_uint_eq(a.flags, STOP_FORWARD);
	ck_assert_int_eq(a.signal, SIGHUP);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
	/* A child other than the command was reaped: nothing to do. */
	a = stop_on_reaped(&st, 0, 0, 0, 1, 200);
	ck_assert_uint_eq(a.flags, 0);
}
END_TEST

START_TEST(first_term_starts_grace_and_later_ones_do_not_move_it)
{
	grace(9000);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	ck_assert(a.flags & STOP_FORWARD);
	ck_assert(a.flags & STOP_GRACE_STARTED);
	ck_assert(a.flags & STOP_FIRST_STOP_SIGNAL);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(st.kill_at, 10000);
	a = stop_on_signal(&st, SIGINT, SIGINT, 5000);
	ck_assert_uint_eq(a.flags, STOP_FORWARD | STOP_CONTINUE);
	ck_assert_int_eq(st.kill_at, 10000);
}
END_TEST

/* Every stop signal that goes out is followed by SIGCONT; other signals are
 * not, and neither is a stop signal --rewrite dropped. */
START_TEST(stop_signals_are_followed_by_sigcont)
{
	grace(9000);
	ck_assert(!(stop_on_signal(&st, SIGHUP, SIGHUP, 0).flags & STOP_CONTINUE));
	ck_assert(!(stop_on_signal(&st, SIGTERM, 0, 0).flags & STOP_CONTINUE));
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGQUIT, 0);
	ck_assert(a.flags & STOP_CONTINUE);
	ck_assert_int_eq(a.signal, SIGQUIT);
}
END_TEST

START_TEST(int_starts_grace_too)
{
	grace(2000);
	struct stop_action a = stop_on_signal(&st, SIGINT, SIGINT, 0);
	ck_assert(a.flags & STOP_GRACE_STARTED);
	ck_assert_int_eq(st.kill_at, 2000);
}
END_TEST

START_TEST(deadline_escalates_once)
{
	grace(3000);
	stop_on_signal(&st, SIGTERM, SIGTERM, 0);
	struct stop_action a = stop_on_deadline(&st, 2999);
	ck_assert_uint_eq(a.flags, 0);
	a = stop_on_deadline(&st, 3000);
	ck_assert_uint_eq(a.flags, STOP_KILL_ALL);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
	a = stop_on_deadline(&st, 4000);
	ck_assert_uint_eq(a.flags, 0);
	/* After SIGKILL nothing more is forwarded: it would reach no one useful. */
	a = stop_on_signal(&st, SIGTERM, SIGTERM, 4000);
	ck_assert_uint_eq(a.flags, 0);
	/* The command died of the SIGKILL: its status is kept and, once no
	 * child remains, gracefulinit exits with it. */
	a = stop_on_reaped(&st, 1, 128 + SIGKILL, 0, 0, 4100);
	ck_assert_uint_eq(a.flags, STOP_EXIT);
	ck_assert_int_eq(a.exit_status, 137);
}
END_TEST

START_TEST(grace_off_never_escalates)
{
	grace(DURATION_OFF);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGTERM, 0);
	ck_assert_uint_eq(a.flags, STOP_FORWARD | STOP_FIRST_STOP_SIGNAL | STOP_CONTINUE);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
	a = stop_on_deadline(&st, 1000000000);
	ck_assert_uint_eq(a.flags, 0);
	a = stop_on_reaped(&st, 1, 0, 0, 1, 5);
	ck_assert(a.flags & STOP_TERMINATE_LEFTOVERS);
	ck_assert(!(a.flags & STOP_KILL_ALL));
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
}
END_TEST

START_TEST(grace_zero_kills_at_once)
{
	grace(0);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGTERM, 0);
	ck_assert(a.flags & STOP_KILL_ALL);
	ck_assert(!(a.flags & STOP_FORWARD));
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
}
END_TEST

START_TEST(main_exit_alone_exits_with_its_status)
{
	grace(9000);
	struct stop_action a = stop_on_reaped(&st, 1, 3, 0, 0, 10);
	ck_assert_uint_eq(a.flags, STOP_EXIT);
	ck_assert_int_eq(a.exit_status, 3);
}
END_TEST

START_TEST(main_exit_with_leftovers_terminates_them_and_waits)
{
	grace(9000);
	struct stop_action a = stop_on_reaped(&st, 1, 0, 0, 1, 1000);
	ck_assert_uint_eq(a.flags, STOP_TERMINATE_LEFTOVERS | STOP_GRACE_STARTED);
	ck_assert(a.requests == 0);
	ck_assert_int_eq(st.kill_at, 10000);
	/* One leftover ends, another remains: wait on. */
	a = stop_on_reaped(&st, 0, 0, 0, 1, 2000);
	ck_assert_uint_eq(a.flags, 0);
	/* The last one ends before the deadline: exit with the command's status. */
	a = stop_on_reaped(&st, 0, 0, 0, 0, 3000);
	ck_assert_uint_eq(a.flags, STOP_EXIT);
	ck_assert_int_eq(a.exit_status, 0);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
}
END_TEST

START_TEST(leftovers_after_stop_spare_the_group_and_keep_the_deadline)
{
	grace(9000);
	stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	struct stop_action a = stop_on_reaped(&st, 1, 143, 0, 1, 4000);
	ck_assert_uint_eq(a.flags, STOP_TERMINATE_LEFTOVERS);
	ck_assert(a.requests == SIGMASK_BIT(SIGTERM));
	ck_assert_int_eq(st.kill_at, 10000);
	a = stop_on_deadline(&st, 10000);
	ck_assert_uint_eq(a.flags, STOP_KILL_ALL);
	a = stop_on_reaped(&st, 0, 0, 0, 0, 10010);
	ck_assert_uint_eq(a.flags, STOP_EXIT);
	ck_assert_int_eq(a.exit_status, 143);
}
END_TEST

START_TEST(rewrite_to_none_still_starts_grace_but_forwards_nothing)
{
	grace(9000);
	struct stop_action a = stop_on_signal(&st, SIGTERM, 0, 0);
	ck_assert(!(a.flags & STOP_FORWARD));
	ck_assert(a.flags & STOP_FIRST_STOP_SIGNAL);
	ck_assert_int_eq(st.kill_at, 9000);
	/* The group got no stop signal, so leftovers include it. */
	a = stop_on_reaped(&st, 1, 0, 0, 1, 100);
	ck_assert(a.requests == 0);
}
END_TEST

START_TEST(rewritten_stop_signal_is_forwarded_as_rewritten)
{
	grace(9000);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGQUIT, 0);
	ck_assert(a.flags & STOP_FORWARD);
	ck_assert_int_eq(a.signal, SIGQUIT);
	ck_assert_int_eq(st.kill_at, 9000);
}
END_TEST

START_TEST(forwarding_after_main_exit_goes_on)
{
	grace(9000);
	stop_on_reaped(&st, 1, 0, 0, 1, 0);
	struct stop_action a = stop_on_signal(&st, SIGUSR1, SIGUSR1, 10);
	ck_assert_uint_eq(a.flags, STOP_FORWARD);
	/* The deadline set at the command's exit stays where it is. */
	a = stop_on_signal(&st, SIGTERM, SIGTERM, 500);
	ck_assert_int_eq(st.kill_at, 9000);
}
END_TEST

/* ---- No --grace: the engine's timeout decides (gracefulinit(1), STOPPING). */

START_TEST(without_grace_a_stop_never_kills_but_names_who_remains)
{
	grace(STOP_GRACE_ENGINE);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	ck_assert(a.flags & STOP_FORWARD);
	ck_assert_int_eq(st.kill_at, STOP_NO_DEADLINE);
	ck_assert_int_eq(stop_next_deadline(&st), 1000 + STOP_NOTICE_MS);
	a = stop_on_deadline(&st, 1000 + STOP_NOTICE_MS);
	ck_assert_uint_eq(a.flags, STOP_NOTICE_REMAINING);
	ck_assert_int_eq(stop_next_deadline(&st), STOP_NO_DEADLINE);
	/* The command exits, its leftovers get their SIGTERM, and still no kill. */
	a = stop_on_reaped(&st, 1, 143, SIGTERM, 1, 20000);
	ck_assert_uint_eq(a.flags, STOP_TERMINATE_LEFTOVERS);
	ck_assert_int_eq(stop_next_deadline(&st), STOP_NO_DEADLINE);
}
END_TEST

START_TEST(without_grace_leftovers_of_an_exited_command_are_killed_after_10s)
{
	grace(STOP_GRACE_ENGINE);
	struct stop_action a = stop_on_reaped(&st, 1, 0, 0, 1, 500);
	ck_assert_uint_eq(a.flags, STOP_TERMINATE_LEFTOVERS | STOP_GRACE_STARTED);
	ck_assert_int_eq(st.kill_at, 500 + STOP_LEFTOVER_GRACE_MS);
	ck_assert_uint_eq(stop_on_deadline(&st, 500 + STOP_LEFTOVER_GRACE_MS).flags, STOP_KILL_ALL);
}
END_TEST

/* ---- One stop request per process. */

START_TEST(the_signal_that_killed_the_command_counts_as_the_stop_request)
{
	grace(STOP_GRACE_ENGINE);
	/* STOPSIGNAL QUIT, forwarded as any signal; the shell dies of it. */
	stop_on_signal(&st, SIGQUIT, SIGQUIT, 0);
	struct stop_action a = stop_on_reaped(&st, 1, 128 + SIGQUIT, SIGQUIT, 1, 10);
	ck_assert(a.requests == SIGMASK_BIT(SIGQUIT));
	/* A signal gracefulinit never sent is no request of its. */
	grace(STOP_GRACE_ENGINE);
	a = stop_on_reaped(&st, 1, 128 + SIGHUP, SIGHUP, 1, 10);
	ck_assert(a.requests == 0);
	/* Nor is a HUP it forwarded: the app that caught it reloaded. */
	grace(STOP_GRACE_ENGINE);
	stop_on_signal(&st, SIGHUP, SIGHUP, 0);
	a = stop_on_reaped(&st, 1, 128 + SIGHUP, SIGHUP, 1, 10);
	ck_assert(a.requests == 0);
}
END_TEST

START_TEST(stop_signal_option_starts_the_stop)
{
	configure(STOP_GRACE_ENGINE, 0, SIGQUIT);
	ck_assert(stop_is_stop_signal(&st, SIGQUIT));
	ck_assert(stop_is_stop_signal(&st, SIGTERM));
	ck_assert(!stop_is_stop_signal(&st, SIGHUP));
	struct stop_action a = stop_on_signal(&st, SIGQUIT, SIGQUIT, 0);
	ck_assert(a.flags & STOP_FIRST_STOP_SIGNAL);
	ck_assert(a.flags & STOP_CONTINUE);
	ck_assert(st.requests == SIGMASK_BIT(SIGQUIT));
	/* Without the option QUIT is a message (a JVM's thread dump). */
	grace(STOP_GRACE_ENGINE);
	a = stop_on_signal(&st, SIGQUIT, SIGQUIT, 0);
	ck_assert_uint_eq(a.flags, STOP_FORWARD);
}
END_TEST

/* ---- --stop-delay. */

START_TEST(stop_delay_holds_the_first_stop_signal)
{
	configure(30000, 5000, 0);
	struct stop_action a = stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	ck_assert_uint_eq(a.flags, STOP_HELD | STOP_FIRST_STOP_SIGNAL | STOP_GRACE_STARTED);
	/* The grace counts from the first signal, as the platform's clock. */
	ck_assert_int_eq(st.kill_at, 31000);
	ck_assert_int_eq(stop_next_deadline(&st), 6000);
	ck_assert_uint_eq(stop_on_deadline(&st, 5999).flags, 0);
	a = stop_on_deadline(&st, 6000);
	ck_assert_uint_eq(a.flags, STOP_FORWARD | STOP_CONTINUE);
	ck_assert_int_eq(a.signal, SIGTERM);
	ck_assert_int_eq(stop_next_deadline(&st), 31000);
}
END_TEST

START_TEST(second_stop_signal_during_the_delay_goes_at_once)
{
	configure(30000, 5000, 0);
	stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	struct stop_action a = stop_on_signal(&st, SIGINT, SIGINT, 2000);
	ck_assert_uint_eq(a.flags, STOP_FORWARD | STOP_CONTINUE);
	ck_assert_int_eq(a.signal, SIGINT);
	ck_assert_int_eq(stop_next_deadline(&st), 31000); /* nothing held any more */
	/* Other signals during the delay pass as usual. */
	configure(30000, 5000, 0);
	stop_on_signal(&st, SIGTERM, SIGTERM, 1000);
	ck_assert_uint_eq(stop_on_signal(&st, SIGHUP, SIGHUP, 1500).flags, STOP_FORWARD);
	ck_assert_int_eq(stop_next_deadline(&st), 6000);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("stop");
	TCase *tc = tcase_create("machine");
	tcase_add_test(tc, quiet_until_something_happens);
	tcase_add_test(tc, first_term_starts_grace_and_later_ones_do_not_move_it);
	tcase_add_test(tc, stop_signals_are_followed_by_sigcont);
	tcase_add_test(tc, int_starts_grace_too);
	tcase_add_test(tc, deadline_escalates_once);
	tcase_add_test(tc, grace_off_never_escalates);
	tcase_add_test(tc, grace_zero_kills_at_once);
	tcase_add_test(tc, main_exit_alone_exits_with_its_status);
	tcase_add_test(tc, main_exit_with_leftovers_terminates_them_and_waits);
	tcase_add_test(tc, leftovers_after_stop_spare_the_group_and_keep_the_deadline);
	tcase_add_test(tc, rewrite_to_none_still_starts_grace_but_forwards_nothing);
	tcase_add_test(tc, rewritten_stop_signal_is_forwarded_as_rewritten);
	tcase_add_test(tc, forwarding_after_main_exit_goes_on);
	tcase_add_test(tc, without_grace_a_stop_never_kills_but_names_who_remains);
	tcase_add_test(tc, without_grace_leftovers_of_an_exited_command_are_killed_after_10s);
	tcase_add_test(tc, the_signal_that_killed_the_command_counts_as_the_stop_request);
	tcase_add_test(tc, stop_signal_option_starts_the_stop);
	tcase_add_test(tc, stop_delay_holds_the_first_stop_signal);
	tcase_add_test(tc, second_stop_signal_during_the_delay_goes_at_once);
	suite_add_tcase(s, tc);
	return s;
}
