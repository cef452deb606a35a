/* One HTTP or TCP check: gracefulinit probe [--timeout DURATION] [--user
 * USER[:GROUP]] URL, a HEALTHCHECK without curl, and the watchdog's --health
 * URL. config/options.c parses the probe's words; main drops root before it
 * runs, health_sys.c before the watchdog's. */
#ifndef GRACEFULINIT_PROBE_H
#define GRACEFULINIT_PROBE_H

#include <stddef.h>

#include "url.h"

#define PROBE_EXIT_UNHEALTHY 1

/* Checks url within timeout_ms. Returns 0 when healthy, PROBE_EXIT_UNHEALTHY
 * otherwise with why it is not in why ("HTTP status 500"). Blocks: it runs in
 * a process of its own. */
int probe_check(const struct url *url, long long timeout_ms, char *why, size_t why_size);

/* gracefulinit probe: checks the URL text within timeout_ms. Returns its
 * exit status, 0 or PROBE_EXIT_UNHEALTHY after one line that says why. */
int probe_run(const char *text, long long timeout_ms);

#endif
