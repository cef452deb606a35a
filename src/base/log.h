/* One logger: stderr only, one line per event, prefixed "gracefulinit: ". */
#ifndef GRACEFULINIT_LOG_H
#define GRACEFULINIT_LOG_H

/* A line's severity, and the lowest severity that is written: LOG_LEVEL_ERROR
 * is also --quiet, where only errors are. */
enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_NOTICE, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level level);

/* Before the identity switch (the /proc/self/fd entry of a pipe is root's
 * once the switch makes the process undumpable): from here on no write to
 * stderr ever waits. A line that finds no room is dropped, and the next that
 * does says how many were. */
void log_open(void);

/* In the child before exec: plain writes to fd 2 again, since the
 * descriptors log_open made are about to be closed. */
void log_use_stderr(void);
enum log_level log_get_level(void);

/* Writes the line when level is at or below the configured one (errors use
 * LOG_LEVEL_ERROR: always). Preserves errno, so a caller can log and then
 * still test it. */
void log_at(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A stop notice (what was killed, an OOM kill): logged at notice level, and
 * also written over the file log_set_record names, when it exists and is
 * writable, so that the last one is what Kubernetes shows as the pod's
 * termination message (whatever the log level). */
void log_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_event at error level: a failure that ends gracefulinit, shown with -q too. */
void log_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The file log_event writes to (NULL: none). */
void log_set_record(const char *path);

#define log_error(...) log_at(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_notice(...) log_at(LOG_LEVEL_NOTICE, __VA_ARGS__)
/* Debug arguments (signal names, statuses) are not even computed unless
 * debug is on: the signal path stays as short as the peers'. */
#define log_debug(...) (log_get_level() >= LOG_LEVEL_DEBUG ? log_at(LOG_LEVEL_DEBUG, __VA_ARGS__) : (void)0)

#endif
