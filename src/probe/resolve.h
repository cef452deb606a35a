/* Name resolution for the probe, the half that reads files and talks to
 * nameservers, within the probe's deadline (see dns.h for why not
 * getaddrinfo). */
#ifndef GRACEFULINIT_RESOLVE_H
#define GRACEFULINIT_RESOLVE_H

#include "dns.h"

enum resolve_failure { RESOLVE_TIMED_OUT = -1, RESOLVE_NOT_FOUND = -2, RESOLVE_NO_SERVER = -3 };

/* /etc/hosts (and localhost), then DNS (A, then AAAA) over
 * UDP to resolv.conf's nameservers. Returns how many addresses it stored
 * in out (at least 1), or a resolve_failure. */
int resolve_name(const char *name, long long deadline, struct ip_address *out, int max);

#endif
