#include <check.h>
#include <signal.h>
#include <string.h>

#include "check_main.h"
#include "pairs.h"
#include "signals.h"

START_TEST(names_with_and_without_prefix_and_numbers)
{
	ck_assert_int_eq(signal_from_name("TERM", 0), SIGTERM);
	ck_assert_int_eq(signal_from_name("SIGTERM", 0), SIGTERM);
	ck_assert_int_eq(signal_from_name("sigterm", 0), SIGTERM);
	ck_assert_int_eq(signal_from_name("15", 0), SIGTERM);
	ck_assert_int_eq(signal_from_name("WINCH", 0), SIGWINCH);
	ck_assert_int_eq(signal_from_name("RTMIN", 0), 34);
	ck_assert_int_eq(signal_from_name("RTMIN+2", 0), 36);
	ck_assert_int_eq(signal_from_name("SIGRTMAX-1", 0), 63);
	ck_assert_int_eq(signal_from_name("RTMAX-30", 0), 34);
	ck_assert_int_eq(signal_from_name("34", 0), 34);
	ck_assert_int_eq(signal_from_name("NONE", 1), 0);
	ck_assert_int_eq(signal_from_name("0", 1), 0);
}
END_TEST

START_TEST(rejects_unknown)
{
	static const char *bad[] = { "", "BOGUS", "SIG", "99", "-1", "RTMIN-1", "RTMAX+1", "TERM ", "1x", "32", "33", "65", "RTMIN+31", "RTMAX-31" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(signal_from_name(bad[i], 1) == -1, "'%s' should be rejected", bad[i]);
	ck_assert_int_eq(signal_from_name("NONE", 0), -1);
	ck_assert_int_eq(signal_from_name("0", 0), -1);
	ck_assert_int_eq(signal_from_name(NULL, 0), -1);
}
END_TEST

START_TEST(names_round_trip)
{
	for (int sig = 1; sig < SIGNAL_LIMIT; sig++) {
		if (signal_policy(sig) == SIGNAL_RESERVED)
			continue;
		ck_assert_int_eq(signal_from_name(signal_name(sig), 0), sig);
	}
	ck_assert_str_eq(signal_name(SIGTERM), "SIGTERM");
	/* glibc's numbering, whatever the libc gracefulinit was built with. */
	ck_assert_str_eq(signal_name(34), "SIGRTMIN");
	ck_assert_str_eq(signal_name(37), "SIGRTMIN+3");
	ck_assert_str_eq(signal_name(64), "SIGRTMIN+30");
	ck_assert_str_eq(signal_name(32), "signal 32");
}
END_TEST

START_TEST(policy_table)
{
	ck_assert_int_eq(signal_policy(SIGTERM), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(SIGINT), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(SIGHUP), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(SIGWINCH), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(34), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(64), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(32), SIGNAL_RESERVED);
	ck_assert_int_eq(signal_policy(33), SIGNAL_RESERVED);
	ck_assert_int_eq(signal_policy(65), SIGNAL_RESERVED);
	ck_assert_int_eq(signal_policy(SIGCHLD), SIGNAL_REAP);
	ck_assert_int_eq(signal_policy(SIGSEGV), SIGNAL_FORWARD); /* from kill(2): real faults never reach the wait */
	ck_assert_int_eq(signal_policy(SIGBUS), SIGNAL_FORWARD);
	ck_assert_int_eq(signal_policy(SIGKILL), SIGNAL_UNCATCHABLE);
	ck_assert_int_eq(signal_policy(SIGSTOP), SIGNAL_UNCATCHABLE);
	ck_assert(signal_starts_stop(SIGTERM));
	ck_assert(signal_starts_stop(SIGINT));
	ck_assert(!signal_starts_stop(SIGQUIT));
	ck_assert(!signal_starts_stop(SIGHUP));
}
END_TEST

START_TEST(wait_set_holds_every_blockable_signal)
{
	sigmask_bits mask = signal_wait_mask();
	for (int sig = 1; sig <= SIGMASK_HIGHEST; sig++)
		ck_assert_msg(((mask & SIGMASK_BIT(sig)) != 0) == (sig != SIGKILL && sig != SIGSTOP), "signal %d", sig);
}
END_TEST

START_TEST(rewrite_table)
{
	struct signal_rewrite rw;
	char err[128];
	rewrite_init(&rw);
	ck_assert_int_eq(rewrite_apply(&rw, SIGTERM), SIGTERM);
	ck_assert_int_eq(rewrite_parse(&rw, "TERM:QUIT,SIGUSR1:0,hup:NONE,28:SIGUSR2", err, sizeof(err)), 0);
	ck_assert_int_eq(rewrite_apply(&rw, SIGTERM), SIGQUIT);
	ck_assert_int_eq(rewrite_apply(&rw, SIGUSR1), 0);
	ck_assert_int_eq(rewrite_apply(&rw, SIGHUP), 0);
	ck_assert_int_eq(rewrite_apply(&rw, SIGWINCH), SIGUSR2);
	ck_assert_int_eq(rewrite_apply(&rw, SIGINT), SIGINT);
}
END_TEST

START_TEST(rewrite_errors_name_the_bad_part)
{
	static const char *bad[] = { "", "TERM", "TERM:", ":QUIT", "TERM:QUIT:HUP", "BOGUS:QUIT", "TERM:BOGUS",
				     "TERM:QUIT,", ",TERM:QUIT", "CHLD:TERM", "KILL:TERM", "0:TERM",
				     "TERM:QUIT,,INT:HUP" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct signal_rewrite rw;
		char err[128] = "";
		rewrite_init(&rw);
		ck_assert_msg(rewrite_parse(&rw, bad[i], err, sizeof(err)) != 0, "'%s' should be rejected", bad[i]);
		ck_assert_msg(strstr(err, "--rewrite") != NULL, "message for '%s': %s", bad[i], err);
	}
	struct signal_rewrite rw;
	char err[128];
	rewrite_init(&rw);
	ck_assert_int_ne(rewrite_parse(&rw, "BOGUS:QUIT", err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "BOGUS"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, names_with_and_without_prefix_and_numbers);
	tcase_add_test(tc, rejects_unknown);
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, policy_table);
	tcase_add_test(tc, wait_set_holds_every_blockable_signal);
	tcase_add_test(tc, rewrite_table);
	tcase_add_test(tc, rewrite_errors_name_the_bad_part);
	suite_add_tcase(s, tc);
	return s;
}
