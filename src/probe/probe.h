/* gracefulinit probe [--timeout DURATION] URL: a HEALTHCHECK without curl. */
#ifndef GRACEFULINIT_PROBE_H
#define GRACEFULINIT_PROBE_H

/* argv: the words after "probe". Returns 0 when healthy, 1 otherwise. */
int probe_main(int argc, char **argv);

#endif
