#include "options.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "caplist.h"
#include "duration.h"
#include "environ.h"
#include "format.h"
#include "number.h"
#include "pairs.h"
#include "restart.h"
#include "signals.h"
#include "text.h"
#include "url.h"

const char options_usage[] =
	"Usage: gracefulinit [OPTIONS] [--] COMMAND [ARG...]\n"
	"       gracefulinit probe [--timeout D] [--user USER[:GROUP]] URL | gracefulinit health\n"
	"PID 1 for containers: see gracefulinit(1). D is a duration (10s).\n"
	" -u --user USER[:GROUP], -c --cap CAP,..., -t --grace D, -s --stop-signal SIG,\n"
	" --stop-delay D, -r --rewrite FROM:TO,..., -e --exit-map FROM:TO,..., --secret NAME[=PATH],\n"
	" --health URL, --health-cmd COMMAND, --health-interval|-timeout|-start-period D,\n"
	" --health-retries N, --on-unhealthy exit|restart|signal:SIG|none,\n"
	" --restart on-failure|always, --restart-limit N/WINDOW, --wait TARGET,...,\n"
	" --wait-timeout D, --wait-attempt-timeout D, --wait-each-start, --watch PATH[:SIG],...,\n"
	" --watch-settle D, -q --quiet, -v --verbose, -h --help, -V --version\n"
	"Each has a variable: GRACEFULINIT_GRACE for --grace, and so on.\n"
	"Exit status: the command's; 69 --wait-timeout; 124 unhealthy; 125-127 gracefulinit's.\n";


enum option_id {
	OPT_USER, OPT_CAP, OPT_GRACE, OPT_STOP_SIGNAL, OPT_STOP_DELAY, OPT_REWRITE, OPT_EXIT_MAP, OPT_SECRET, OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_VERSION,
	OPT_HEALTH, OPT_HEALTH_CMD, OPT_INTERVAL, OPT_HEALTH_TIMEOUT, OPT_START_PERIOD, OPT_RETRIES, OPT_ON_UNHEALTHY,
	OPT_RESTART, OPT_RESTART_LIMIT, OPT_WAIT, OPT_WAIT_TIMEOUT, OPT_WAIT_ATTEMPT_TIMEOUT, OPT_WAIT_EACH_START,
	OPT_WATCH, OPT_WATCH_SETTLE, OPT_TIMEOUT, OPT_COUNT
};

/* Which subcommands take an option: bit 1 << enum run_mode. */
#define RUN (1 << MODE_RUN)
#define PROBE (1 << MODE_PROBE)

/* The option's variable: GRACEFULINIT_ and its long name in capitals, '-'
 * as '_' (GRACEFULINIT_STOP_DELAY), with an S for the lists (_CAPS,
 * _SECRETS); or none. */
enum env_name { ENV_NONE, ENV_SAME, ENV_PLURAL };

/* The long names in enum option_id's order, in one string: no pointers,
 * each of which would cost a static-pie a relocation (24 bytes), and no
 * fixed-size fields padded to the longest name. */
static const char long_names[] = "user\0cap\0grace\0stop-signal\0stop-delay\0rewrite\0exit-map\0secret\0quiet\0"
				 "verbose\0help\0version\0health\0health-cmd\0health-interval\0health-timeout\0"
				 "health-start-period\0health-retries\0on-unhealthy\0restart\0restart-limit\0wait\0"
				 "wait-timeout\0wait-attempt-timeout\0wait-each-start\0watch\0watch-settle\0timeout";
#define LONG_NAME_MAX sizeof("wait-attempt-timeout")

static const char *long_name(enum option_id id)
{
	const char *name = long_names;

	for (int i = 0; i < (int)id; i++)
		name += strlen(name) + 1;
	return name;
}

struct option_spec {
	unsigned char id; /* enum option_id */
	char short_name;
	unsigned char takes_value;
	unsigned char modes;
	unsigned char env; /* enum env_name */
};

/* HEALTHCHECK inherits the image's environment: the probe drops to the same
 * user as the init, GRACEFULINIT_USER (gracefulinit(1), HEALTH PROBE). */
static const struct option_spec option_table[] = {
	{ OPT_USER, 'u', 1, RUN | PROBE, ENV_SAME },
	{ OPT_CAP, 'c', 1, RUN, ENV_PLURAL },
	{ OPT_GRACE, 't', 1, RUN, ENV_SAME },
	{ OPT_STOP_SIGNAL, 's', 1, RUN, ENV_SAME },
	{ OPT_STOP_DELAY, 0, 1, RUN, ENV_SAME },
	{ OPT_REWRITE, 'r', 1, RUN, ENV_SAME },
	{ OPT_EXIT_MAP, 'e', 1, RUN, ENV_SAME },
	{ OPT_SECRET, 0, 1, RUN, ENV_PLURAL },
	{ OPT_QUIET, 'q', 0, RUN, ENV_NONE },
	{ OPT_VERBOSE, 'v', 0, RUN, ENV_NONE },
	{ OPT_HELP, 'h', 0, RUN, ENV_NONE },
	{ OPT_VERSION, 'V', 0, RUN, ENV_NONE },
	{ OPT_HEALTH, 0, 1, RUN, ENV_SAME },
	{ OPT_HEALTH_CMD, 0, 1, RUN, ENV_SAME },
	{ OPT_INTERVAL, 0, 1, RUN, ENV_SAME },
	{ OPT_HEALTH_TIMEOUT, 0, 1, RUN, ENV_SAME },
	{ OPT_START_PERIOD, 0, 1, RUN, ENV_SAME },
	{ OPT_RETRIES, 0, 1, RUN, ENV_SAME },
	{ OPT_ON_UNHEALTHY, 0, 1, RUN, ENV_SAME },
	{ OPT_RESTART, 0, 1, RUN, ENV_SAME },
	{ OPT_RESTART_LIMIT, 0, 1, RUN, ENV_SAME },
	{ OPT_WAIT, 0, 1, RUN, ENV_SAME },
	{ OPT_WAIT_TIMEOUT, 0, 1, RUN, ENV_SAME },
	{ OPT_WAIT_ATTEMPT_TIMEOUT, 0, 1, RUN, ENV_SAME },
	{ OPT_WAIT_EACH_START, 0, 0, RUN, ENV_SAME }, /* the variable: 1 or 0 */
	{ OPT_WATCH, 0, 1, RUN, ENV_SAME },
	{ OPT_WATCH_SETTLE, 0, 1, RUN, ENV_SAME },
	{ OPT_TIMEOUT, 0, 1, PROBE, ENV_NONE },
};
#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

/* Values as given, flags and environment apart, before any is interpreted. */
struct raw_values {
	unsigned char mode; /* RUN or PROBE: the options that count */
	const char *values[OPT_COUNT][OPTIONS_LIST_MAX];
	size_t count[OPT_COUNT];
	const char *log_env;
	int log_flag; /* last of -q/-v, as a level; -1 when neither */
};

static const struct option_spec *find_short(const struct raw_values *raw, char c)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if ((option_table[i].modes & raw->mode) && option_table[i].short_name == c)
			return &option_table[i];
	return NULL;
}

static const struct option_spec *find_long(const struct raw_values *raw, const char *name, size_t len)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if ((option_table[i].modes & raw->mode) && strlen(long_name(option_table[i].id)) == len &&
		    strncmp(long_name(option_table[i].id), name, len) == 0)
			return &option_table[i];
	return NULL;
}

static int store(struct raw_values *raw, const struct option_spec *spec, const char *value, char *err, size_t err_size)
{
	switch (spec->id) {
	case OPT_QUIET:
		raw->log_flag = LOG_LEVEL_ERROR;
		return 0;
	case OPT_VERBOSE:
		raw->log_flag = LOG_LEVEL_DEBUG;
		return 0;
	default:
		break;
	}
	size_t *n = &raw->count[spec->id];
	if (*n == OPTIONS_LIST_MAX) {
		format(err, err_size, "--%s given more than %d times", long_name(spec->id), OPTIONS_LIST_MAX);
		return -1;
	}
	raw->values[spec->id][(*n)++] = value;
	return 0;
}

/* "--name" or "--name=value": the option, and its value when given inline. */
static const struct option_spec *parse_long(const struct raw_values *raw, const char *arg, const char **value,
					       char *err, size_t err_size)
{
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	const struct option_spec *spec = find_long(raw, name, len);

	if (spec == NULL) {
		format(err, err_size, "unknown option '%.*s' (see --help)", (int)(len + 2), arg);
		return NULL;
	}
	if (eq != NULL && !spec->takes_value) {
		format(err, err_size, "option '--%s' takes no value", long_name(spec->id));
		return NULL;
	}
	*value = eq != NULL ? eq + 1 : NULL;
	return spec;
}

/* The value of an option that takes one: the rest of its word ("-u0"), or
 * the next word. */
static const char *take_value(const struct option_spec *spec, const char *rest, char **argv, int argc, int *i,
			      char *err, size_t err_size)
{
	if (*rest != '\0')
		return rest;
	if (*i + 1 >= argc) {
		format(err, err_size, "option '--%s' needs a value", long_name(spec->id));
		return NULL;
	}
	return argv[++*i];
}

/* "-qv", "-vu root": short options bundled together, as getopt takes them:
 * flags each stored on their own, until one that takes a value, which takes
 * the rest of the word or the next one. */
static int store_bundle(struct raw_values *raw, char **argv, int argc, int *i, char *err, size_t err_size)
{
	const char *arg = argv[*i];

	for (const char *c = arg + 1; *c != '\0'; c++) {
		const struct option_spec *spec = find_short(raw, *c);
		if (spec == NULL) {
			if (c == arg + 1)
				format(err, err_size, "unknown option '-%c' (see --help)", *c);
			else
				format(err, err_size, "unknown option '-%c' in '%s' (see --help)", *c, arg);
			return -1;
		}
		if (spec->takes_value) {
			const char *value = take_value(spec, c + 1, argv, argc, i, err, err_size);
			return value != NULL ? store(raw, spec, value, err, err_size) : -1;
		}
		if (store(raw, spec, NULL, err, err_size) != 0)
			return -1;
	}
	return 0;
}

/* One argument that starts with '-'. May consume the next one as its value. */
static int parse_one(struct raw_values *raw, char **argv, int argc, int *i, char *err, size_t err_size)
{
	const char *arg = argv[*i];
	const char *value = NULL;

	if (arg[1] != '-')
		return store_bundle(raw, argv, argc, i, err, err_size);
	const struct option_spec *spec = parse_long(raw, arg, &value, err, err_size);
	if (spec == NULL)
		return -1;
	if (spec->takes_value && value == NULL && (value = take_value(spec, "", argv, argc, i, err, err_size)) == NULL)
		return -1;
	return store(raw, spec, value, err, err_size);
}

/* The flag wins over the variable: a variable counts only when its option
 * was not given at all. An empty variable counts as unset. */
static void apply_environment(struct raw_values *raw, char **envp)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct option_spec *spec = &option_table[i];
		char name[sizeof("GRACEFULINIT_") + LONG_NAME_MAX + 1];
		if (spec->env == ENV_NONE || !(spec->modes & raw->mode) || raw->count[spec->id] != 0)
			continue;
		int len = format(name, sizeof(name), "GRACEFULINIT_%s%s", long_name(spec->id), spec->env == ENV_PLURAL ? "s" : "");
		for (int c = 0; c < len; c++)
			name[c] = name[c] == '-' ? '_' : (char)(name[c] >= 'a' && name[c] <= 'z' ? name[c] - 32 : name[c]);
		const char *value = environ_get(envp, name);
		if (value != NULL && *value != '\0')
			raw->values[spec->id][raw->count[spec->id]++] = value;
	}
	raw->log_env = environ_get(envp, "GRACEFULINIT_LOG");
}

static int interpret_log(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	static const char *const names[] = { "quiet", "notice", "debug" };

	if (raw->log_flag >= 0) {
		opts->log_level = (enum log_level)raw->log_flag;
		return 0;
	}
	if (raw->log_env == NULL || *raw->log_env == '\0')
		return 0;
	for (int level = 0; level < 3; level++) {
		if (strcmp(raw->log_env, names[level]) == 0) {
			opts->log_level = (enum log_level)level;
			return 0;
		}
	}
	format(err, err_size, "GRACEFULINIT_LOG: '%s' is not quiet, notice or debug", raw->log_env);
	return -1;
}

/* The last of an option's values, or NULL. */
static const char *last(const struct raw_values *raw, enum option_id id)
{
	return raw->count[id] > 0 ? raw->values[id][raw->count[id] - 1] : NULL;
}

/* One line for a value that does not parse: "--OPTION: 'VALUE' is not WHAT". */
static int refuse(enum option_id id, const char *value, const char *what, char *err, size_t err_size)
{
	format(err, err_size, "--%s: '%s' is not %s", long_name(id), value, what);
	return -1;
}

/* A duration option, when given. DURATION_POSITIVE: 0 refused, where
 * Docker's HEALTHCHECK would take it for "the default". */
#define DURATION_MAY_BE_OFF 1
#define DURATION_POSITIVE 2
static int duration_option(const struct raw_values *raw, enum option_id id, int rules, long long *ms, char *err,
			   size_t err_size)
{
	const char *text = last(raw, id);
	int rc = text != NULL ? duration_parse(text, rules & DURATION_MAY_BE_OFF, ms) : 0;

	if (rc == 0 && (*ms != 0 || !(rules & DURATION_POSITIVE)))
		return 0;
	format(err, err_size, "--%s: '%s' %s%s", long_name(id), text, rc != 0 ? duration_problem(rc) : "is not above 0",
	       rc == DURATION_NOT_ONE && (rules & DURATION_MAY_BE_OFF) ? ", or off" : "");
	return -1;
}

/* Every duration option, in one loop: where each goes, and its rules. A
 * mode's parser stores only its own options, so the others stay as set. */
static const struct {
	unsigned char id, rules;
	unsigned short offset; /* in struct options */
} durations[] = {
	{ OPT_GRACE, DURATION_MAY_BE_OFF, offsetof(struct options, supervisor.grace_ms) },
	{ OPT_STOP_DELAY, 0, offsetof(struct options, supervisor.stop_delay_ms) },
	{ OPT_INTERVAL, DURATION_POSITIVE, offsetof(struct options, supervisor.watchdog.interval_ms) },
	{ OPT_HEALTH_TIMEOUT, DURATION_POSITIVE, offsetof(struct options, supervisor.watchdog.timeout_ms) },
	{ OPT_START_PERIOD, 0, offsetof(struct options, supervisor.watchdog.start_period_ms) },
	{ OPT_WAIT_TIMEOUT, DURATION_MAY_BE_OFF | DURATION_POSITIVE, offsetof(struct options, supervisor.wait.timeout_ms) },
	{ OPT_WAIT_ATTEMPT_TIMEOUT, DURATION_POSITIVE, offsetof(struct options, waits.attempt_timeout_ms) },
	{ OPT_WATCH_SETTLE, 0, offsetof(struct options, supervisor.watch.settle_ms) },
	{ OPT_TIMEOUT, DURATION_POSITIVE, offsetof(struct options, probe_timeout_ms) },
};

static int interpret_durations(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++)
		if (duration_option(raw, (enum option_id)durations[i].id, durations[i].rules,
				    (long long *)(void *)((char *)opts + durations[i].offset), err, err_size) != 0)
			return -1;
	return 0;
}

/* A signal gracefulinit forwards, by name or number; -1 for anything else. */
static int forwarded_signal(const char *text)
{
	int sig = signal_from_name(text, 0);

	return sig > 0 && signal_policy(sig) == SIGNAL_FORWARD ? sig : -1;
}

static int interpret_stop(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	const char *grace = last(raw, OPT_GRACE), *delay = last(raw, OPT_STOP_DELAY), *sig = last(raw, OPT_STOP_SIGNAL);
	struct supervisor_config *sv = &opts->supervisor;

	/* The SIGKILL would come before the held stop signal: the app would
	 * never hear it (gracefulinit(1), --stop-delay). */
	if (sv->stop_delay_ms > 0 && sv->grace_ms >= 0 && sv->stop_delay_ms >= sv->grace_ms) {
		format(err, err_size, "--stop-delay %s is not shorter than --grace %s: the SIGKILL would come before the "
		       "held stop signal", delay, grace);
		return -1;
	}
	if (sig != NULL && (sv->stop_signal = forwarded_signal(sig)) < 0)
		return refuse(OPT_STOP_SIGNAL, sig, "a signal gracefulinit forwards", err, err_size);
	return 0;
}

/* exit, restart, signal:SIG, none: enum unhealthy_action's order. */
static int parse_action(struct watchdog_config *w, const char *text, char *err, size_t err_size)
{
	int action = text_word_index(text, "exit\0restart\0-\0none\0");
	int sig = strncmp(text, "signal:", 7) == 0 ? forwarded_signal(text + 7) : -1;

	if (action == UNHEALTHY_SIGNAL)
		action = -1; /* the placeholder word itself */
	if (sig > 0) {
		action = UNHEALTHY_SIGNAL;
		w->signal = sig;
	}
	if (action < 0)
		return refuse(OPT_ON_UNHEALTHY, text, "exit, restart, signal:SIG or none", err, err_size);
	w->action = (enum unhealthy_action)action;
	return 0;
}

/* The check itself: one URL or one command. */
static int interpret_check(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	const char *url = last(raw, OPT_HEALTH), *command = last(raw, OPT_HEALTH_CMD);
	char why[256];

	if (url != NULL && command != NULL)
		return refuse(OPT_HEALTH_CMD, command, "allowed with --health (one check only)", err, err_size);
	if (url != NULL && url_parse(url, &opts->check.url, why, sizeof(why)) != 0) {
		format(err, err_size, "--health: %s", why);
		return -1;
	}
	if (command != NULL && *command == '\0')
		return refuse(OPT_HEALTH_CMD, command, "a command", err, err_size);
	opts->check.url_text = url;
	opts->check.command = command;
	return 0;
}

/* Options that mean something only with another: one given without it is
 * refused (returns 1). */
static int refuse_given(const struct raw_values *raw, const unsigned char *ids, size_t count, const char *needed,
			char *err, size_t err_size)
{
	for (size_t i = 0; i < count; i++) {
		if (raw->count[ids[i]] > 0) {
			format(err, err_size, "--%s needs %s", long_name((enum option_id)ids[i]), needed);
			return 1;
		}
	}
	return 0;
}

/* The options that only mean something with a check. */
static const unsigned char needs_check[] = { OPT_INTERVAL, OPT_HEALTH_TIMEOUT, OPT_START_PERIOD, OPT_RETRIES,
					     OPT_ON_UNHEALTHY };

static int interpret_watchdog(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	struct watchdog_config *w = &opts->supervisor.watchdog;
	const char *retries = last(raw, OPT_RETRIES), *action = last(raw, OPT_ON_UNHEALTHY);
	unsigned long long n;

	if (interpret_check(opts, raw, err, err_size) != 0)
		return -1;
	w->enabled = opts->check.url_text != NULL || opts->check.command != NULL;
	if (!w->enabled && refuse_given(raw, needs_check, sizeof(needs_check), "--health or --health-cmd", err, err_size))
		return -1;
	if (retries != NULL) {
		if (number_parse(retries, NUMBER_TO_NUL, 1000000, &n) != 0 || n == 0)
			return refuse(OPT_RETRIES, retries, "a number from 1 to 1000000", err, err_size);
		w->retries = (int)n;
	}
	opts->check.timeout_ms = w->timeout_ms;
	return action != NULL ? parse_action(w, action, err, err_size) : 0;
}

static const unsigned char needs_wait[] = { OPT_WAIT_TIMEOUT, OPT_WAIT_ATTEMPT_TIMEOUT, OPT_WAIT_EACH_START };

/* --wait-each-start's variable: 1 or 0; the flag: 1. */
static int interpret_wait(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	struct wait_config *w = &opts->supervisor.wait;
	const char *each = last(raw, OPT_WAIT_EACH_START);
	int on = each == NULL ? 1 : text_word_index(each, "0\0" "1\0");

	for (size_t i = 0; i < raw->count[OPT_WAIT]; i++)
		if (wait_list_parse(&opts->waits, raw->values[OPT_WAIT][i], err, err_size) != 0)
			return -1;
	w->enabled = opts->waits.count > 0;
	if (!w->enabled && refuse_given(raw, needs_wait, sizeof(needs_wait), "--wait", err, err_size))
		return -1;
	if (on < 0)
		return refuse(OPT_WAIT_EACH_START, each, "1 or 0", err, err_size);
	w->each_start = raw->count[OPT_WAIT_EACH_START] > 0 && on == 1;
	return 0;
}

/* Each path's action: a signal gracefulinit forwards (HUP when none is
 * given), or restart. */
static int interpret_watch(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	struct watch_config *w = &opts->supervisor.watch;

	for (size_t i = 0; i < raw->count[OPT_WATCH]; i++)
		if (watch_list_parse(&opts->watches, raw->values[OPT_WATCH][i], err, err_size) != 0)
			return -1;
	w->count = opts->watches.count;
	if (w->count == 0 && raw->count[OPT_WATCH_SETTLE] > 0) {
		format(err, err_size, "--watch-settle needs --watch");
		return -1;
	}
	for (size_t i = 0; i < w->count; i++) {
		const char *path = opts->watches.paths[i].path, *action = opts->watches.paths[i].action;
		if (*path != '/')
			return refuse(OPT_WATCH, path, "an absolute path", err, err_size);
		if (action == NULL)
			w->signals[i] = SIGHUP;
		else if (strcmp(action, "restart") == 0)
			w->restarts |= 1U << i; /* signals[i] stays WATCH_RESTART */
		else if ((w->signals[i] = forwarded_signal(action)) < 0)
			return refuse(OPT_WATCH, action, "restart or a signal gracefulinit forwards", err, err_size);
	}
	return 0;
}

/* no, on-failure, always: enum restart_policy's order. */
static int interpret_restart(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	struct restart_config *r = &opts->supervisor.restart;
	const char *policy = last(raw, OPT_RESTART), *limit = last(raw, OPT_RESTART_LIMIT);
	int index = policy != NULL ? text_word_index(policy, "no\0on-failure\0always\0") : RESTART_NO;

	if (index < 0)
		return refuse(OPT_RESTART, policy, "on-failure, always or no", err, err_size);
	r->policy = (enum restart_policy)index;
	if (limit == NULL)
		return 0;
	if (r->policy == RESTART_NO && opts->supervisor.watchdog.action != UNHEALTHY_RESTART)
		return refuse(OPT_RESTART_LIMIT, limit, "allowed without a restart", err, err_size);
	if (restart_limit_parse(r, limit) != 0)
		return refuse(OPT_RESTART_LIMIT, limit, "N/WINDOW: 1 to 100 in a duration (5/60s)", err, err_size);
	return 0;
}

static int interpret(struct options *opts, const struct raw_values *raw, char *err, size_t err_size)
{
	if (interpret_stop(opts, raw, err, err_size) != 0 || interpret_watchdog(opts, raw, err, err_size) != 0 ||
	    interpret_restart(opts, raw, err, err_size) != 0 || interpret_wait(opts, raw, err, err_size) != 0 ||
	    interpret_watch(opts, raw, err, err_size) != 0)
		return -1;
	for (size_t i = 0; i < raw->count[OPT_REWRITE]; i++)
		if (rewrite_parse(&opts->supervisor.rewrite, raw->values[OPT_REWRITE][i], err, err_size) != 0)
			return -1;
	for (size_t i = 0; i < raw->count[OPT_EXIT_MAP]; i++)
		if (exit_map_parse(&opts->exit_map, raw->values[OPT_EXIT_MAP][i], err, err_size) != 0)
			return -1;
	for (size_t i = 0; i < raw->count[OPT_SECRET]; i++)
		if (secret_list_parse(&opts->secrets, raw->values[OPT_SECRET][i], err, err_size) != 0)
			return -1;
	for (size_t i = 0; i < raw->count[OPT_CAP]; i++)
		if (cap_list_parse(&opts->identity.keep, raw->values[OPT_CAP][i], err, err_size) != 0)
			return -1;
	return interpret_log(opts, raw, err, err_size);
}

static void set_defaults(struct options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->mode = MODE_RUN;
	opts->supervisor.grace_ms = SUPERVISOR_GRACE_ENGINE;
	opts->log_level = LOG_LEVEL_NOTICE;
	opts->probe_timeout_ms = OPTIONS_PROBE_TIMEOUT_MS;
	/* Docker's HEALTHCHECK defaults. */
	opts->supervisor.watchdog.interval_ms = 30000;
	opts->supervisor.watchdog.timeout_ms = 30000;
	opts->supervisor.watchdog.retries = 3;
	opts->supervisor.wait.timeout_ms = DURATION_OFF;
	opts->waits.attempt_timeout_ms = WAIT_ATTEMPT_TIMEOUT_MS;
	opts->supervisor.watch.settle_ms = WATCH_SETTLE_MS;
	rewrite_init(&opts->supervisor.rewrite);
	exit_map_init(&opts->exit_map);
}

/* The probe's URL, the one word left. */
static int interpret_probe(struct options *opts, int argc, char **argv, int i, char *err, size_t err_size)
{
	if (i >= argc) {
		format(err, err_size, "no URL given (see --help)");
		return -1;
	}
	if (i + 1 < argc) {
		format(err, err_size, "'%s' is one URL too many (see --help)", argv[i + 1]);
		return -1;
	}
	opts->probe_url = argv[i];
	return 0;
}

/* The words after the subcommand's, from first on. */
static int parse_words(struct options *opts, struct raw_values *raw, int argc, char **argv, int first, char **envp,
		       char *err, size_t err_size)
{
	int i = first;

	/* Options end at the first word that is not one, so COMMAND's own
	 * options are never taken for gracefulinit's. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (parse_one(raw, argv, argc, &i, err, err_size) != 0)
			return -1;
	}
	if (raw->count[OPT_HELP] > 0 || raw->count[OPT_VERSION] > 0) {
		opts->mode = raw->count[OPT_HELP] > 0 ? MODE_HELP : MODE_VERSION;
		return 0;
	}
	apply_environment(raw, envp);
	opts->identity.user = last(raw, OPT_USER);
	if (interpret_durations(opts, raw, err, err_size) != 0)
		return -1;
	if (opts->mode == MODE_PROBE)
		return interpret_probe(opts, argc, argv, i, err, err_size);
	if (interpret(opts, raw, err, err_size) != 0)
		return -1;
	if (i >= argc) {
		format(err, err_size, "no command given (see --help)");
		return -1;
	}
	opts->command = argv + i;
	return 0;
}

/* One dispatch for every subcommand: its word picks the options that count. */
int options_parse(struct options *opts, int argc, char **argv, char **envp, char *err, size_t err_size)
{
	struct raw_values raw;
	int first = 1;

	set_defaults(opts);
	memset(&raw, 0, sizeof(raw));
	raw.log_flag = -1;
	raw.mode = RUN;
	if (argc >= 2 && strcmp(argv[1], "probe") == 0) {
		opts->mode = MODE_PROBE;
		raw.mode = PROBE;
		first = 2;
	}
	if (argc >= 2 && strcmp(argv[1], "health") == 0) {
		opts->mode = MODE_HEALTH; /* it only reads the verdict: nothing to configure */
		if (argc == 2)
			return 0;
		format(err, err_size, "'%s': gracefulinit health takes no arguments", argv[2]);
		return -1;
	}

	return parse_words(opts, &raw, argc, argv, first, envp, err, err_size);
}

int options_usage_status(const struct options *opts)
{
	return opts->mode == MODE_PROBE || opts->mode == MODE_HEALTH ? 1 /* "unhealthy" */ : STATUS_INIT_FAILED;
}

const char *options_error_prefix(const struct options *opts)
{
	if (opts->mode == MODE_HEALTH)
		return "health: ";
	return opts->mode == MODE_PROBE ? "probe: " : "";
}
