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


/* A stop notice (what was killed, an OOM kill): logged at notice level, and
 * also written over the file log_set_record names, when it exists and is
 * writable, so that the last one is what Kubernetes shows as the pod's
 * termination message (whatever the log level). */
void log_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_event at error level: a failure that ends gracefulinit, shown with -q too. */
void log_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The file log_event writes to (NULL: none). */
void log_set_record(const char *path);

/* One line at each level, written when the level is at or below the
 * configured one (errors: always). Each preserves errno, so a caller can log
 * and then still test it. One function per level: a call site without the
 * level is 4 to 16 bytes shorter, and there are a hundred (bench/notes.md).
 * log_debug's arguments are computed whatever the level: a signal's name
 * or a status, nanoseconds beside the system call they describe. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
