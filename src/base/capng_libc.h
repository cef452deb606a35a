/* Stand-ins for the libc calls libcap-ng makes (capng_libc.def lists them,
 * capng_libc.c says what each supports). */
#ifndef GRACEFULINIT_CAPNG_LIBC_H
#define GRACEFULINIT_CAPNG_LIBC_H

/* How many calls libcap-ng made that a stand-in does not support (each one
 * logged where it happened). identity_sys.c fails start-up (125) when any was. */
int gi_capng_misuses(void);

#endif
