/* Command line and environment, as gracefulinit(1) OPTIONS and ENVIRONMENT
 * give them. Pure: the environment comes in as an array, nothing is looked
 * up or switched here. */
#ifndef GRACEFULINIT_OPTIONS_H
#define GRACEFULINIT_OPTIONS_H

#include <stddef.h>

#include "log.h"
#include "rewrite.h"
#include "secretspec.h"
#include "status.h"

/* How many times one list option (--rewrite, --exit-map, --cap, --secret) may be given. */
#define OPTIONS_LIST_MAX 16

enum run_mode { MODE_RUN, MODE_HELP, MODE_VERSION, MODE_PROBE };

struct options {
	enum run_mode mode;
	const char *user;                  /* USER[:GROUP] or NULL */
	const char *caps[OPTIONS_LIST_MAX]; /* CAP[,...] lists, as given */
	size_t cap_lists;
	long long grace_ms;                /* DURATION_OFF: never; STOP_GRACE_ENGINE: not given */
	long long stop_delay_ms;           /* --stop-delay; 0: none */
	int stop_signal;                   /* --stop-signal; 0: only TERM and INT stop */
	struct signal_rewrite rewrite;
	struct exit_map exit_map;
	struct secret_list secrets;        /* --secret, in the order given */
	enum log_level log_level;
	char **command;                    /* NULL-terminated; MODE_PROBE: the probe's arguments */
	int command_argc;
};


/* Returns 0, or -1 with a one-line message in err (the caller exits 125). */
int options_parse(struct options *opts, int argc, char **argv, char **envp, char *err, size_t err_size);

/* The --help text. */
extern const char options_usage[];

#endif
