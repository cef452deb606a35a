/* Durations as the options take them: "10", "10s", "500ms", "1.5s", "2m", "off". */
#ifndef GRACEFULINIT_DURATION_H
#define GRACEFULINIT_DURATION_H

#include <stddef.h>

/* Milliseconds; DURATION_OFF means "never". */
#define DURATION_OFF (-1LL)
/* Longer than any container lives; keeps deadline arithmetic far from overflow. */
#define DURATION_MAX_MS (1000LL * 60 * 60 * 24 * 365)

enum duration_error {
	DURATION_NOT_ONE = -1,    /* not a duration at all */
	DURATION_TOO_LONG = -2,   /* over DURATION_MAX_MS */
	DURATION_TOO_PRECISE = -3 /* a part below a millisecond, which would round away */
};

/* Returns 0 and stores *ms, or a duration_error. "off" is accepted only when
 * allow_off is set. */
int duration_parse(const char *text, int allow_off, long long *ms);

/* What is wrong, for a message: "is not a duration (10, 10s, ...)". */
const char *duration_problem(int error);

/* "9s", "500ms", "1.5s", "2m", "off": the shortest exact form. */
void duration_format(long long ms, char *buf, size_t size);

#endif
