/* gracefulinit probe [--timeout DURATION] URL: a HEALTHCHECK without curl. */
#ifndef GRACEFULINIT_PROBE_H
#define GRACEFULINIT_PROBE_H

#define PROBE_EXIT_UNHEALTHY 1

/* argv: the words after "probe". Returns 0 when healthy, 1 otherwise. */
int probe_main(int argc, char **argv);

/* The probe's --user USER[:GROUP], for main to drop to before probe_main
 * runs, or NULL. */
const char *probe_user_option(int argc, char **argv);

#endif
