/* Command line and environment, as gracefulinit(1) OPTIONS and ENVIRONMENT
 * give them. Pure: the environment comes in as an array, nothing is looked
 * up or switched here. */
#ifndef GRACEFULINIT_OPTIONS_H
#define GRACEFULINIT_OPTIONS_H

#include <stddef.h>

#include "health.h"
#include "identity.h"
#include "log.h"
#include "secrets.h"
#include "status.h"
#include "supervisor.h"
#include "wait.h"
#include "watch.h"

/* How many times one list option (--rewrite, --exit-map, --cap, --secret) may be given. */
#define OPTIONS_LIST_MAX 16

/* The subcommands: the init itself (no subcommand word), probe and health. */
enum run_mode { MODE_RUN, MODE_HELP, MODE_VERSION, MODE_PROBE, MODE_HEALTH };

/* gracefulinit probe's --timeout when not given. */
#define OPTIONS_PROBE_TIMEOUT_MS 5000

struct options {
	enum run_mode mode;
	struct identity_request identity; /* --user, --cap (MODE_PROBE: --user) */
	struct supervisor_config supervisor; /* --grace, --stop-signal, --stop-delay, --rewrite, the
						watchdog's timing and action, --restart */
	struct health_check check;         /* --health or --health-cmd */
	struct exit_map exit_map;
	struct secret_list secrets;        /* --secret, in the order given */
	enum log_level log_level;
	char **command;                    /* NULL-terminated */
	const char *probe_url;             /* MODE_PROBE */
	long long probe_timeout_ms;        /* MODE_PROBE */
	struct wait_list waits;            /* --wait and --wait-attempt-timeout; last, being large */
	struct watch_list watches;         /* --watch */
};

/* Returns 0, or -1 with a one-line message in err; the caller exits with
 * options_usage_status(opts). */
int options_parse(struct options *opts, int argc, char **argv, char **envp, char *err, size_t err_size);

/* A usage error's status: 125, but probe's and health's 1 (Docker reserves
 * 2 for HEALTHCHECK, and anything but 0 is "unhealthy"). */
int options_usage_status(const struct options *opts);

/* What a usage error's line starts with after "gracefulinit: ": "probe: "
 * or "health: " for those subcommands'. */
const char *options_error_prefix(const struct options *opts);

/* The --help text. */
extern const char options_usage[];

#endif
