/* --wait and its options, as gracefulinit(1), WAITING FOR DEPENDENCIES,
 * gives them: the targets, the bad ones (one line naming the value, exit
 * 125), and the pauses between attempts. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "duration.h"
#include "options.h"
#include "parse_options.h"
#include "wait.h"

START_TEST(the_four_kinds_in_lists_and_repeated)
{
	ck_assert_int_eq(parse(ARGV("--wait", "tcp://db:5432,http://api:8080/ready?x=1", "--wait", "file:/run/ok",
				    "--wait=unix:/run/app.sock", "app"), NULL), 0);
	const struct wait_list *w = &opts.waits;
	ck_assert_uint_eq(w->count, 4);
	ck_assert_int_eq(w->targets[0].kind, WAIT_TCP);
	ck_assert_str_eq(w->targets[0].text, "tcp://db:5432");
	ck_assert_str_eq(w->targets[0].url.host, "db");
	ck_assert_uint_eq(w->targets[0].url.port, 5432);
	ck_assert_int_eq(w->targets[1].kind, WAIT_HTTP);
	ck_assert_str_eq(w->targets[1].text, "http://api:8080/ready?x=1");
	ck_assert_int_eq((int)w->targets[1].url.path_len, (int)strlen("/ready?x=1"));
	ck_assert_int_eq(w->targets[2].kind, WAIT_FILE);
	ck_assert_str_eq(w->targets[2].path, "/run/ok");
	ck_assert_int_eq(w->targets[3].kind, WAIT_UNIX);
	ck_assert_str_eq(w->targets[3].path, "/run/app.sock");
	ck_assert(opts.supervisor.wait.enabled);
	ck_assert_int_eq(opts.supervisor.wait.timeout_ms, DURATION_OFF);
	ck_assert_int_eq(w->attempt_timeout_ms, WAIT_ATTEMPT_TIMEOUT_MS);
	ck_assert(!opts.supervisor.wait.each_start);
	/* Without --wait nothing waits. */
	ck_assert_int_eq(parse(ARGV("app"), NULL), 0);
	ck_assert(!opts.supervisor.wait.enabled);
	ck_assert_uint_eq(opts.waits.count, 0);
}
END_TEST

START_TEST(variables_and_durations)
{
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_WAIT=tcp://db:6379", "GRACEFULINIT_WAIT_TIMEOUT=90s",
						 "GRACEFULINIT_WAIT_ATTEMPT_TIMEOUT=500ms", "GRACEFULINIT_WAIT_EACH_START=1")),
			 0);
	ck_assert_uint_eq(opts.waits.count, 1);
	ck_assert_int_eq(opts.supervisor.wait.timeout_ms, 90000);
	ck_assert_int_eq(opts.waits.attempt_timeout_ms, 500);
	ck_assert(opts.supervisor.wait.each_start);
	ck_assert_int_eq(parse(ARGV("--wait-each-start", "app"), ENVP("GRACEFULINIT_WAIT=file:/x")), 0);
	ck_assert(opts.supervisor.wait.each_start);
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_WAIT=file:/x", "GRACEFULINIT_WAIT_EACH_START=0")), 0);
	ck_assert(!opts.supervisor.wait.each_start);
	/* The flag wins over the variable. */
	ck_assert_int_eq(parse(ARGV("--wait", "file:/y", "app"), ENVP("GRACEFULINIT_WAIT=file:/x")), 0);
	ck_assert_uint_eq(opts.waits.count, 1);
	ck_assert_str_eq(opts.waits.targets[0].path, "/y");
	ck_assert_int_eq(parse(ARGV("--wait", "file:/y", "--wait-timeout", "off", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.wait.timeout_ms, DURATION_OFF);
}
END_TEST

START_TEST(bad_input_is_one_line)
{
	refused(ARGV("--wait", "ftp://db:21", "app"), "--wait: 'ftp://db:21' is not tcp://HOST:PORT");
	refused(ARGV("--wait", "db:5432", "app"), "'db:5432' is not");
	refused(ARGV("--wait", "tcp://db:5432,,file:/x", "app"), "--wait: '' is not");
	refused(ARGV("--wait", "", "app"), "--wait: '' is not");
	refused(ARGV("--wait", "tcp://:5432", "app"), "--wait: bad URL 'tcp://:5432'");
	refused(ARGV("--wait", "tcp://db", "app"), "tcp:// needs a port");
	refused(ARGV("--wait", "tcp://db:0", "app"), "port 0");
	refused(ARGV("--wait", "http://db:65536/", "app"), "port above 65535");
	refused(ARGV("--wait", "http:///health", "app"), "--wait: bad URL");
	refused(ARGV("--wait", "file:", "app"), "--wait: 'file:' is not");
	refused(ARGV("--wait", "unix:", "app"), "--wait: 'unix:' is not");
	char longpath[200] = "unix:/";
	memset(longpath + 6, 'a', 120);
	refused(ARGV("--wait", longpath, "app"), "107 bytes");
	refused(ARGV("--wait", "file:/x", "--wait-timeout", "soon", "app"), "--wait-timeout: 'soon' is not a duration");
	refused(ARGV("--wait", "file:/x", "--wait-timeout", "0", "app"), "--wait-timeout: '0' is not above 0");
	refused(ARGV("--wait", "file:/x", "--wait-attempt-timeout", "2h30", "app"), "--wait-attempt-timeout: '2h30'");
	refused(ARGV("--wait", "file:/x", "--wait-attempt-timeout", "off", "app"), "--wait-attempt-timeout: 'off'");
	refused(ARGV("--wait-timeout", "10s", "app"), "--wait-timeout needs --wait");
	refused(ARGV("--wait-each-start", "app"), "--wait-each-start needs --wait");
	refused(ARGV("--wait-each-start=1", "--wait", "file:/x", "app"), "'--wait-each-start' takes no value");
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_WAIT=file:/x", "GRACEFULINIT_WAIT_EACH_START=yes")), -1);
	ck_assert_str_eq(err, "--wait-each-start: 'yes' is not 1 or 0");
}
END_TEST

START_TEST(at_most_16_targets)
{
	ck_assert_int_eq(parse(ARGV("--wait", "file:/1,file:/2,file:/3,file:/4,file:/5,file:/6,file:/7,file:/8",
				    "--wait", "file:/9,file:/10,file:/11,file:/12,file:/13,file:/14,file:/15,file:/16",
				    "app"), NULL), 0);
	ck_assert_uint_eq(opts.waits.count, 16);
	refused(ARGV("--wait", "file:/1,file:/2,file:/3,file:/4,file:/5,file:/6,file:/7,file:/8,file:/9",
		     "--wait", "file:/10,file:/11,file:/12,file:/13,file:/14,file:/15,file:/16,file:/17", "app"),
		"--wait: more than 16 items");
}
END_TEST

/* Doubling from 25 ms to 200 ms, and staying there. */
START_TEST(pauses_back_off_to_a_cap)
{
	long long pause = 0, seen[8];

	for (int i = 0; i < 8; i++)
		seen[i] = pause = wait_backoff_ms(pause);
	ck_assert_int_eq(seen[0], 25);
	ck_assert_int_eq(seen[1], 50);
	ck_assert_int_eq(seen[2], 100);
	ck_assert_int_eq(seen[3], 200);
	ck_assert_int_eq(seen[7], WAIT_BACKOFF_CAP_MS);
	ck_assert_int_lt(WAIT_BACKOFF_CAP_MS, 250);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("wait");
	TCase *tc = tcase_create("wait");
	tcase_add_test(tc, the_four_kinds_in_lists_and_repeated);
	tcase_add_test(tc, variables_and_durations);
	tcase_add_test(tc, bad_input_is_one_line);
	tcase_add_test(tc, at_most_16_targets);
	tcase_add_test(tc, pauses_back_off_to_a_cap);
	suite_add_tcase(s, tc);
	return s;
}
