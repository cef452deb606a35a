/* --restart and --restart-limit: when the command starts again, and after
 * how long (gracefulinit(1), RESTARTING). Pure arithmetic on a monotonic
 * clock in ms; the policy in supervisor.c decides when to ask. */
#ifndef GRACEFULINIT_RESTART_H
#define GRACEFULINIT_RESTART_H

/* docker run --restart's delay: 100 ms, doubled each time, at most a
 * minute, and back to 100 ms after a run of 10 s. */
#define RESTART_DELAY_FIRST_MS 100
#define RESTART_DELAY_MAX_MS 60000
#define RESTART_STEADY_RUN_MS 10000
/* --restart-limit N/WINDOW: the last N restarts are remembered. */
#define RESTART_LIMIT_MAX 100

enum restart_policy { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS };

struct restart_config {
	enum restart_policy policy; /* --restart */
	int limit;                  /* --restart-limit N; 0: no limit */
	long long window_ms;        /* --restart-limit's WINDOW */
};

struct restarts {
	int count;                  /* restarts so far */
	int recorded;               /* of those, the ones --restart-limit counts (restart_record) */
	long long delay_ms;         /* the last delay; 0 before the first */
	long long run_started_ms;   /* when the current run started */
	long long recent[RESTART_LIMIT_MAX]; /* the last restarts' times, a ring */
	int next;                   /* recent's oldest entry, where the next goes */
};

void restarts_init(struct restarts *r, long long now_ms);

/* A run that ended with status (N or 128+N) is to be followed by another,
 * as --restart says. */
int restart_wanted(const struct restart_config *cfg, int status);

/* Another restart at now_ms keeps within --restart-limit. */
int restart_within_limit(const struct restart_config *cfg, const struct restarts *r, long long now_ms);

/* Counts a restart decided at now_ms and returns its delay. */
long long restart_record(const struct restart_config *cfg, struct restarts *r, long long now_ms);

/* The run that ends at now_ms lasted RESTART_STEADY_RUN_MS or more: it was
 * no part of a crash loop. */
int restart_after_steady_run(const struct restarts *r, long long now_ms);

/* Counts a restart that is no crash's (a --watch change after a steady
 * run) and returns its delay, the first: neither the backoff nor
 * --restart-limit counts it. */
long long restart_unrecorded(struct restarts *r);

/* The next run starts at now_ms. */
void restart_run_started(struct restarts *r, long long now_ms);

/* "5/60s" into cfg. Returns 0, or -1 when text is no such limit. */
int restart_limit_parse(struct restart_config *cfg, const char *text);

#endif
