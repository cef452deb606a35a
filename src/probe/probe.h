/* gracefulinit probe [--timeout DURATION] [--user USER[:GROUP]] URL: a
 * HEALTHCHECK without curl. config/options.c parses its words; main drops
 * root before it runs. */
#ifndef GRACEFULINIT_PROBE_H
#define GRACEFULINIT_PROBE_H

#define PROBE_EXIT_UNHEALTHY 1

/* Checks url (http:// or tcp://) within timeout_ms. Returns 0 when healthy,
 * PROBE_EXIT_UNHEALTHY otherwise, after one line that says why. */
int probe_run(const char *url, long long timeout_ms);

#endif
