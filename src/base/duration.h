/* Durations as the options take them: "10", "10s", "500ms", "1.5s", "2m", "off". */
#ifndef GRACEFULINIT_DURATION_H
#define GRACEFULINIT_DURATION_H

#include <stddef.h>

/* Milliseconds; DURATION_OFF means "never". */
#define DURATION_OFF (-1LL)
/* Longer than any container lives; keeps deadline arithmetic far from overflow. */
#define DURATION_MAX_MS (1000LL * 60 * 60 * 24 * 365)

/* Returns 0 and stores *ms, or -1 when text is not a duration. "off" is
 * accepted only when allow_off is set. */
int duration_parse(const char *text, int allow_off, long long *ms);

/* "9s", "500ms", "1.5s", "2m", "off": the shortest exact form. */
void duration_format(long long ms, char *buf, size_t size);

#endif
