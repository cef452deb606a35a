/* --wait TARGET[,...]: what must be ready before the command starts
 * (gracefulinit(1), WAITING FOR DEPENDENCIES). config/options.c parses the
 * targets here; wait_sys.c waits for each in a process of its own. Pure. */
#ifndef GRACEFULINIT_WAIT_H
#define GRACEFULINIT_WAIT_H

#include <stddef.h>

#include "url.h"

/* How many targets all --wait options may name together, and how long
 * their text may be together. */
#define WAIT_TARGETS_MAX 16
#define WAIT_TEXT_MAX 4096

/* --wait-attempt-timeout when not given: one attempt's bound. */
#define WAIT_ATTEMPT_TIMEOUT_MS 2000
/* The pauses between attempts double from the first to the last: a
 * dependency that is down hears from a target five times a second, and the
 * command starts at most that long (plus one attempt) after it is up. */
#define WAIT_BACKOFF_FIRST_MS 25
#define WAIT_BACKOFF_CAP_MS 200
/* A line naming the targets still pending, this often. */
#define WAIT_PROGRESS_MS 10000
/* gracefulinit's status when --wait-timeout runs out: sysexits.h's
 * EX_UNAVAILABLE, "a service is unavailable". */
#define WAIT_STATUS_TIMED_OUT 69
/* The longest "why not ready" a target keeps for the log. */
#define WAIT_WHY_MAX 160

enum wait_kind { WAIT_TCP, WAIT_HTTP, WAIT_FILE, WAIT_UNIX };

struct wait_target {
	enum wait_kind kind;
	const char *text; /* as given, NUL-terminated: it names the target in the log */
	const char *path; /* WAIT_FILE, WAIT_UNIX */
	struct url url;   /* WAIT_TCP, WAIT_HTTP */
};

struct wait_list {
	size_t count;
	long long attempt_timeout_ms; /* --wait-attempt-timeout */
	struct wait_target targets[WAIT_TARGETS_MAX];
	size_t used;                  /* of pool */
	char pool[WAIT_TEXT_MAX];     /* the targets' text, each NUL-terminated */
};

/* Adds each target of "T1,T2,..." (one --wait's value). Returns 0, or -1
 * with one line in err naming the value. */
int wait_list_parse(struct wait_list *list, const char *text, char *err, size_t err_size);

/* The pause after a failed attempt, given the pause before it (0 after the
 * first attempt). */
long long wait_backoff_ms(long long previous_ms);

#endif
