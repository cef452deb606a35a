#include <check.h>
#include <linux/capability.h>
#include <signal.h>
#include <string.h>

#include "check_main.h"
#include "duration.h"
#include "options.h"
#include "parse_options.h"
#include "supervisor.h"


START_TEST(defaults)
{
	ck_assert_int_eq(parse(ARGV("app"), ENVP("PATH=/bin")), 0);
	ck_assert_int_eq(opts.mode, MODE_RUN);
	ck_assert_int_eq(opts.supervisor.grace_ms, SUPERVISOR_GRACE_ENGINE);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_NOTICE);
	ck_assert_ptr_null(opts.identity.user);
	ck_assert_uint_eq(opts.identity.keep, 0);
	ck_assert_str_eq(opts.command[0], "app");
	ck_assert_ptr_null(opts.command[1]);
}
END_TEST

START_TEST(all_spellings_of_values)
{
	ck_assert_int_eq(parse(ARGV("-t", "5", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, 5000);
	ck_assert_int_eq(parse(ARGV("-t500ms", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, 500);
	ck_assert_int_eq(parse(ARGV("--grace", "off", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, DURATION_OFF);
	ck_assert_int_eq(parse(ARGV("--grace=2m", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, 120000);
	ck_assert_int_eq(parse(ARGV("-u", "app:grp", "--cap", "NET_BIND_SERVICE", "-c", "chown", "app"), NULL), 0);
	ck_assert_str_eq(opts.identity.user, "app:grp");
	ck_assert_uint_eq(opts.identity.keep, CAP_MASK_BIT(CAP_NET_BIND_SERVICE) | CAP_MASK_BIT(CAP_CHOWN));
}
END_TEST

START_TEST(command_options_are_not_ours)
{
	ck_assert_int_eq(parse(ARGV("-v", "--", "-t", "x"), NULL), 0);
	ck_assert_str_eq(opts.command[0], "-t");
	ck_assert_int_eq(opts.supervisor.grace_ms, SUPERVISOR_GRACE_ENGINE);
	ck_assert_int_eq(parse(ARGV("sh", "-c", "exit 1", "--grace", "1"), NULL), 0);
	ck_assert_str_eq(opts.command[0], "sh");
	ck_assert_str_eq(opts.command[4], "1");
	ck_assert_int_eq(opts.supervisor.grace_ms, SUPERVISOR_GRACE_ENGINE);
}
END_TEST

START_TEST(lists_accumulate)
{
	ck_assert_int_eq(parse(ARGV("-r", "TERM:QUIT", "--rewrite", "USR1:0", "-e", "143:0", "--exit-map=1:2", "app"), NULL),
			 0);
	ck_assert_int_eq(rewrite_apply(&opts.supervisor.rewrite, SIGTERM), SIGQUIT);
	ck_assert_int_eq(rewrite_apply(&opts.supervisor.rewrite, SIGUSR1), 0);
	ck_assert_int_eq(exit_map_apply(&opts.exit_map, 143), 0);
	ck_assert_int_eq(exit_map_apply(&opts.exit_map, 1), 2);
}
END_TEST

START_TEST(environment_and_flag_wins)
{
	char **env = ENVP("GRACEFULINIT_GRACE=3", "GRACEFULINIT_USER=nobody", "GRACEFULINIT_REWRITE=TERM:QUIT",
			  "GRACEFULINIT_EXIT_MAP=143:0", "GRACEFULINIT_CAPS=CHOWN", "GRACEFULINIT_LOG=debug");
	ck_assert_int_eq(parse(ARGV("app"), env), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, 3000);
	ck_assert_str_eq(opts.identity.user, "nobody");
	ck_assert_int_eq(rewrite_apply(&opts.supervisor.rewrite, SIGTERM), SIGQUIT);
	ck_assert_int_eq(exit_map_apply(&opts.exit_map, 143), 0);
	ck_assert_uint_eq(opts.identity.keep, CAP_MASK_BIT(CAP_CHOWN));
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_DEBUG);

	ck_assert_int_eq(parse(ARGV("-t", "1", "-u", "root", "-r", "INT:HUP", "-q", "app"), env), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, 1000);
	ck_assert_str_eq(opts.identity.user, "root");
	ck_assert_int_eq(rewrite_apply(&opts.supervisor.rewrite, SIGTERM), SIGTERM);
	ck_assert_int_eq(rewrite_apply(&opts.supervisor.rewrite, SIGINT), SIGHUP);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_ERROR);
}
END_TEST

START_TEST(empty_variables_count_as_unset)
{
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_GRACE=", "GRACEFULINIT_LOG=")), 0);
	ck_assert_int_eq(opts.supervisor.grace_ms, SUPERVISOR_GRACE_ENGINE);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_NOTICE);
}
END_TEST

START_TEST(log_levels)
{
	ck_assert_int_eq(parse(ARGV("-q", "app"), NULL), 0);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_ERROR);
	ck_assert_int_eq(parse(ARGV("-qv", "app"), NULL), 0);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_DEBUG);
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_LOG=quiet")), 0);
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_ERROR);
}
END_TEST

START_TEST(help_version_probe)
{
	ck_assert_int_eq(parse(ARGV("--help"), NULL), 0);
	ck_assert_int_eq(opts.mode, MODE_HELP);
	ck_assert_int_eq(parse(ARGV("-V"), NULL), 0);
	ck_assert_int_eq(opts.mode, MODE_VERSION);
	/* --help wins even over a bad value elsewhere. */
	ck_assert_int_eq(parse(ARGV("-t", "banana", "-h"), NULL), 0);
	ck_assert_int_eq(opts.mode, MODE_HELP);
	ck_assert_int_eq(parse(ARGV("--", "probe"), NULL), 0);
	ck_assert_int_eq(opts.mode, MODE_RUN);
}
END_TEST

/* One parse for every subcommand: the probe's words go through the same
 * table, with only its own options, and its errors exit 1. */
START_TEST(probe_subcommand)
{
	char **env = ENVP("GRACEFULINIT_USER=app", "GRACEFULINIT_GRACE=banana");

	ck_assert_int_eq(parse(ARGV("probe", "--timeout", "1s", "http://x/"), env), 0);
	ck_assert_int_eq(opts.mode, MODE_PROBE);
	ck_assert_int_eq(opts.probe_timeout_ms, 1000);
	ck_assert_str_eq(opts.probe_url, "http://x/");
	ck_assert_str_eq(opts.identity.user, "app"); /* HEALTHCHECK inherits the image's environment */
	ck_assert_int_eq(parse(ARGV("probe", "--user=65534", "--", "http://x/"), env), 0);
	ck_assert_str_eq(opts.identity.user, "65534");
	ck_assert_int_eq(opts.probe_timeout_ms, OPTIONS_PROBE_TIMEOUT_MS);
	ck_assert_int_eq(parse(ARGV("probe", "--grace", "1", "http://x/"), NULL), -1);
	ck_assert_str_eq(err, "unknown option '--grace' (see --help)");
	ck_assert_str_eq(options_error_prefix(&opts), "probe: ");
	ck_assert_int_eq(options_usage_status(&opts), 1);
	ck_assert_int_eq(parse(ARGV("probe", "--timeout", "0", "http://x/"), NULL), -1);
	ck_assert_str_eq(err, "--timeout: '0' is not above 0");
	ck_assert_int_eq(parse(ARGV("probe"), NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "no URL given"));
	ck_assert_int_eq(parse(ARGV("probe", "http://x/", "http://y/"), NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "'http://y/' is one URL too many"));
	ck_assert_int_eq(parse(ARGV("--grace", "banana", "app"), NULL), -1);
	ck_assert_int_eq(options_usage_status(&opts), 125);
	ck_assert_str_eq(options_error_prefix(&opts), "");
}
END_TEST

static void expect_error(char **argv, char **envp, const char *needle)
{
	ck_assert_int_eq(parse(argv, envp), -1);
	ck_assert_msg(strstr(err, needle) != NULL, "message '%s' lacks '%s'", err, needle);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(errors_name_the_problem)
{
	expect_error(ARGV("--bogus", "app"), NULL, "--bogus");
	expect_error(ARGV("-x", "app"), NULL, "-x");
	expect_error(ARGV("-qx", "app"), NULL, "-x");
	expect_error(ARGV("--grace", "banana", "app"), NULL, "banana");
	expect_error(ARGV("--grace"), NULL, "needs a value");
	expect_error(ARGV("--quiet=1", "app"), NULL, "takes no value");
	expect_error(ARGV("-t", "1"), NULL, "no command");
	expect_error(ARGV("--"), NULL, "no command");
	expect_error(ARGV("-r", "TERM", "app"), NULL, "TERM");
	expect_error(ARGV("-e", "999:0", "app"), NULL, "999");
	expect_error(ARGV("app"), ENVP("GRACEFULINIT_GRACE=soon"), "soon");
	expect_error(ARGV("app"), ENVP("GRACEFULINIT_LOG=loud"), "loud");
}
END_TEST

/* As getopt: flags bundle, and the first that takes a value takes the rest
 * of the word or the next one. */
START_TEST(short_options_bundle_like_getopt)
{
	ck_assert_int_eq(parse(ARGV("-vu", "root", "app"), NULL), 0);
	ck_assert_str_eq(opts.identity.user, "root");
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_DEBUG);
	ck_assert_int_eq(parse(ARGV("-qu0", "app"), NULL), 0);
	ck_assert_str_eq(opts.identity.user, "0");
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_ERROR);
	ck_assert_int_eq(parse(ARGV("-uv", "app"), NULL), 0);
	ck_assert_str_eq(opts.identity.user, "v");
	ck_assert_int_eq(opts.log_level, LOG_LEVEL_NOTICE);
	ck_assert_int_eq(parse(ARGV("-vZ", "app"), NULL), -1);
	ck_assert_str_eq(err, "unknown option '-Z' in '-vZ' (see --help)");
	ck_assert_int_eq(parse(ARGV("-vu"), NULL), -1);
	ck_assert_str_eq(err, "option '--user' needs a value");
}
END_TEST

START_TEST(grace_errors_say_why)
{
	ck_assert_int_eq(parse(ARGV("--grace", "0.0001", "app"), NULL), -1);
	ck_assert_str_eq(err, "--grace: '0.0001' is more precise than a millisecond");
	ck_assert_int_eq(parse(ARGV("--grace", "525601m", "app"), NULL), -1);
	ck_assert_str_eq(err, "--grace: '525601m' is longer than a duration may be (365 days)");
	ck_assert_int_eq(parse(ARGV("--grace", "soon", "app"), NULL), -1);
	ck_assert_str_eq(err, "--grace: 'soon' is not a duration (10, 10s, 500ms, 1.5s, 2m), or off");
}
END_TEST

START_TEST(stop_signal_and_stop_delay)
{
	ck_assert_int_eq(parse(ARGV("app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.stop_signal, 0);
	ck_assert_int_eq(opts.supervisor.stop_delay_ms, 0);
	ck_assert_int_eq(parse(ARGV("--stop-signal", "QUIT", "--stop-delay", "5s", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.stop_signal, SIGQUIT);
	ck_assert_int_eq(opts.supervisor.stop_delay_ms, 5000);
	ck_assert_int_eq(parse(ARGV("-sRTMIN+3", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.stop_signal, 37);
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_STOP_SIGNAL=WINCH", "GRACEFULINIT_STOP_DELAY=1.5s")), 0);
	ck_assert_int_eq(opts.supervisor.stop_signal, SIGWINCH);
	ck_assert_int_eq(opts.supervisor.stop_delay_ms, 1500);
	ck_assert_int_eq(parse(ARGV("--stop-signal", "KILL", "app"), NULL), -1);
	ck_assert_str_eq(err, "--stop-signal: 'KILL' is not a signal gracefulinit forwards");
	ck_assert_int_eq(parse(ARGV("--stop-signal", "CHLD", "app"), NULL), -1);
	ck_assert_int_eq(parse(ARGV("--stop-delay", "off", "app"), NULL), -1);
	ck_assert_str_eq(err, "--stop-delay: 'off' is not a duration (10, 10s, 500ms, 1.5s, 2m)");
}
END_TEST

START_TEST(too_many_repeats)
{
	char *argv[2 * OPTIONS_LIST_MAX + 6];
	int argc = 0;
	argv[argc++] = "gracefulinit";
	for (int i = 0; i <= OPTIONS_LIST_MAX; i++) {
		argv[argc++] = "-r";
		argv[argc++] = "TERM:QUIT";
	}
	argv[argc++] = "app";
	argv[argc] = NULL;
	ck_assert_int_eq(options_parse(&opts, argc, argv, NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "--rewrite"));
}
END_TEST

/* Docker's HEALTHCHECK defaults, and every watchdog option from the
 * command line and from its variable. */
START_TEST(watchdog_options)
{
	const struct watchdog_config *w = &opts.supervisor.watchdog;

	ck_assert_int_eq(parse(ARGV("--health", "http://127.0.0.1:8080/health", "app"), NULL), 0);
	ck_assert_int_eq(w->enabled, 1);
	ck_assert_int_eq(w->interval_ms, 30000);
	ck_assert_int_eq(w->timeout_ms, 30000);
	ck_assert_int_eq(w->start_period_ms, 0);
	ck_assert_int_eq(w->retries, 3);
	ck_assert_int_eq(w->action, UNHEALTHY_EXIT);
	ck_assert_int_eq(opts.check.url.port, 8080);
	ck_assert_ptr_null(opts.check.command);
	ck_assert_int_eq(parse(ARGV("--health-cmd", "pg_isready", "--health-interval=5s", "--health-timeout", "2s",
				    "--health-start-period", "1m", "--health-retries", "5", "--on-unhealthy",
				    "signal:USR1", "app"), NULL), 0);
	ck_assert_str_eq(opts.check.command, "pg_isready");
	ck_assert_int_eq(w->interval_ms, 5000);
	ck_assert_int_eq(w->timeout_ms, 2000);
	ck_assert_int_eq(opts.check.timeout_ms, 2000);
	ck_assert_int_eq(w->start_period_ms, 60000);
	ck_assert_int_eq(w->retries, 5);
	ck_assert_int_eq(w->action, UNHEALTHY_SIGNAL);
	ck_assert_int_eq(w->signal, SIGUSR1);
	ck_assert_int_eq(parse(ARGV("app"), ENVP("GRACEFULINIT_HEALTH=tcp://db:5432", "GRACEFULINIT_ON_UNHEALTHY=restart",
						"GRACEFULINIT_HEALTH_START_PERIOD=10s", "GRACEFULINIT_RESTART=on-failure",
						"GRACEFULINIT_RESTART_LIMIT=5/60s")), 0);
	ck_assert_int_eq(w->action, UNHEALTHY_RESTART);
	ck_assert_int_eq(w->start_period_ms, 10000);
	ck_assert_int_eq(opts.supervisor.restart.policy, RESTART_ON_FAILURE);
	ck_assert_int_eq(opts.supervisor.restart.limit, 5);
	ck_assert_int_eq(opts.supervisor.restart.window_ms, 60000);
	ck_assert_int_eq(parse(ARGV("--on-unhealthy", "none", "--health", "tcp://[::1]:6379", "app"), NULL), 0);
	ck_assert_int_eq(w->action, UNHEALTHY_NONE);
	ck_assert_int_eq(parse(ARGV("--restart", "always", "app"), NULL), 0);
	ck_assert_int_eq(opts.supervisor.restart.policy, RESTART_ALWAYS);
	ck_assert_int_eq(opts.supervisor.watchdog.enabled, 0);
}
END_TEST

/* Each with one line that names the value; exit 125 (1 for health). */
START_TEST(watchdog_errors)
{
	expect_error(ARGV("--health", "ftp://x/", "app"), NULL, "--health");
	expect_error(ARGV("--health", "https://x/", "app"), NULL, "https");
	expect_error(ARGV("--health", "tcp://x:0", "app"), NULL, "port 0");
	expect_error(ARGV("--health", "tcp://x", "app"), NULL, "needs a port");
	expect_error(ARGV("--health", "tcp://x:1", "--health-cmd", "true", "app"), NULL, "with --health");
	expect_error(ARGV("--health-cmd", "", "app"), NULL, "'' is not a command");
	expect_error(ARGV("--health-cmd", "true", "--health-interval", "0", "app"), NULL, "--health-interval: '0'");
	expect_error(ARGV("--health-cmd", "true", "--health-timeout", "0s", "app"), NULL, "--health-timeout: '0s'");
	expect_error(ARGV("--health-cmd", "true", "--health-retries", "0", "app"), NULL, "--health-retries: '0'");
	expect_error(ARGV("--health-cmd", "true", "--health-retries", "x", "app"), NULL, "'x'");
	expect_error(ARGV("--health-cmd", "true", "--health-interval", "soon", "app"), NULL, "soon");
	expect_error(ARGV("--health-cmd", "true", "--on-unhealthy", "reboot", "app"), NULL, "'reboot'");
	expect_error(ARGV("--health-cmd", "true", "--on-unhealthy", "-", "app"), NULL, "'-'");
	expect_error(ARGV("--health-cmd", "true", "--on-unhealthy", "signal:", "app"), NULL, "'signal:'");
	expect_error(ARGV("--health-cmd", "true", "--on-unhealthy", "signal:BOGUS", "app"), NULL, "'signal:BOGUS'");
	expect_error(ARGV("--health-cmd", "true", "--on-unhealthy", "signal:KILL", "app"), NULL, "'signal:KILL'");
	expect_error(ARGV("--on-unhealthy", "restart", "app"), NULL, "--on-unhealthy needs --health");
	expect_error(ARGV("--health-interval", "5s", "app"), NULL, "--health-interval needs --health");
	expect_error(ARGV("--restart", "sometimes", "app"), NULL, "'sometimes'");
	expect_error(ARGV("--restart-limit", "5/60s", "app"), NULL, "not allowed without a restart");
	expect_error(ARGV("--restart", "always", "--restart-limit", "5", "app"), NULL, "'5'");
	expect_error(ARGV("--restart", "always", "--restart-limit", "0/1m", "app"), NULL, "'0/1m'");
	expect_error(ARGV("--restart", "always", "--restart-limit", "5/0", "app"), NULL, "in a duration");
	expect_error(ARGV("--restart", "always", "--restart-limit", "101/1m", "app"), NULL, "1 to 100 in");
	expect_error(ARGV("app"), ENVP("GRACEFULINIT_HEALTH=tcp://x:1", "GRACEFULINIT_ON_UNHEALTHY=kill"), "'kill'");
	ck_assert_int_eq(options_usage_status(&opts), 125);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, all_spellings_of_values);
	tcase_add_test(tc, command_options_are_not_ours);
	tcase_add_test(tc, lists_accumulate);
	tcase_add_test(tc, environment_and_flag_wins);
	tcase_add_test(tc, empty_variables_count_as_unset);
	tcase_add_test(tc, log_levels);
	tcase_add_test(tc, help_version_probe);
	tcase_add_test(tc, probe_subcommand);
	tcase_add_test(tc, errors_name_the_problem);
	tcase_add_test(tc, stop_signal_and_stop_delay);
	tcase_add_test(tc, too_many_repeats);
	tcase_add_test(tc, short_options_bundle_like_getopt);
	tcase_add_test(tc, grace_errors_say_why);
	tcase_add_test(tc, watchdog_options);
	tcase_add_test(tc, watchdog_errors);
	suite_add_tcase(s, tc);
	return s;
}
