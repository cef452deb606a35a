/* --watch and --watch-settle, as gracefulinit(1), RELOADING ON CHANGE,
 * gives them: the paths and their actions, the bad ones (one line naming
 * the value, exit 125), and the directory a missing path is watched from. */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "check_main.h"
#include "options.h"
#include "parse_options.h"
#include "watch.h"

START_TEST(paths_and_actions)
{
	ck_assert_int_eq(parse(ARGV("--watch", "/cfg,/run/secrets/db:restart", "--watch=/etc/tls/cert.pem:USR1",
				    "--watch", "/a:b/c", "app"), NULL), 0);
	const struct watch_config *w = &opts.supervisor.watch;
	ck_assert_uint_eq(w->count, 4);
	ck_assert_str_eq(opts.watches.paths[0].path, "/cfg");
	ck_assert_int_eq(w->signals[0], SIGHUP);
	ck_assert_str_eq(opts.watches.paths[1].path, "/run/secrets/db");
	ck_assert_int_eq(w->signals[1], WATCH_RESTART);
	ck_assert_uint_eq(w->restarts, 1U << 1);
	ck_assert_str_eq(opts.watches.paths[2].path, "/etc/tls/cert.pem");
	ck_assert_int_eq(w->signals[2], SIGUSR1);
	/* A ':' followed by a '/' is part of the path. */
	ck_assert_str_eq(opts.watches.paths[3].path, "/a:b/c");
	ck_assert_int_eq(w->signals[3], SIGHUP);
	ck_assert_int_eq(w->settle_ms, WATCH_SETTLE_MS);
	ck_assert(supervisor_may_restart(&opts.supervisor));
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_WATCH=/x:SIGRTMIN+2", "GRACEFULINIT_WATCH_SETTLE=0")), 0);
	ck_assert_uint_eq(opts.supervisor.watch.count, 1);
	ck_assert_int_eq(opts.supervisor.watch.signals[0], SIGRTMIN + 2);
	ck_assert_int_eq(opts.supervisor.watch.settle_ms, 0);
	ck_assert(!supervisor_may_restart(&opts.supervisor));
	ck_assert_int_eq(parse(ARGV("app"), NULL), 0);
	ck_assert_uint_eq(opts.supervisor.watch.count, 0);
}
END_TEST

START_TEST(bad_input_is_one_line)
{
	refused(ARGV("--watch", "", "app"), "--watch: '' is not an absolute path");
	refused(ARGV("--watch", "/a,,/b", "app"), "--watch: '' is not an absolute path");
	refused(ARGV("--watch", "cfg", "app"), "--watch: 'cfg' is not an absolute path");
	refused(ARGV("--watch", ":HUP", "app"), "--watch: '' is not an absolute path");
	refused(ARGV("--watch", "/cfg:", "app"), "--watch: '' is not restart or a signal");
	refused(ARGV("--watch", "/cfg:reload", "app"), "--watch: 'reload' is not restart or a signal");
	refused(ARGV("--watch", "/cfg:STOP", "app"), "'STOP' is not restart or a signal gracefulinit forwards");
	refused(ARGV("--watch-settle", "1s", "app"), "--watch-settle needs --watch");
	refused(ARGV("--watch", "/cfg", "--watch-settle", "off", "app"), "--watch-settle: 'off'");
	refused(ARGV("--watch", "/1,/2,/3,/4,/5,/6,/7,/8,/9", "--watch", "/10,/11,/12,/13,/14,/15,/16,/17", "app"),
		"--watch: more than 16 items");
}
END_TEST

START_TEST(the_directory_above)
{
	const char *p = "/a/b/c";
	ck_assert_uint_eq(watch_parent_len(p, 6), 4);
	ck_assert_uint_eq(watch_parent_len(p, 4), 2);
	ck_assert_uint_eq(watch_parent_len(p, 2), 1);
	ck_assert_uint_eq(watch_parent_len(p, 1), 1);
	ck_assert_uint_eq(watch_parent_len("/cfg/", 5), 1);
	ck_assert_uint_eq(watch_parent_len("/a//b", 5), 2);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");
	tcase_add_test(tc, paths_and_actions);
	tcase_add_test(tc, bad_input_is_one_line);
	tcase_add_test(tc, the_directory_above);
	suite_add_tcase(s, tc);
	return s;
}
