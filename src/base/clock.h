/* The one clock gracefulinit times things with: CLOCK_MONOTONIC, which wall
 * clock changes (NTP, a container's date) never move. */
#ifndef GRACEFULINIT_CLOCK_H
#define GRACEFULINIT_CLOCK_H

long long clock_now_ns(void);

/* Whole milliseconds, truncated: the probe's deadlines. */
long long clock_now_ms(void);

#endif
