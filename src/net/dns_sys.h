/* Name resolution for the probe, the half that reads files and talks to
 * nameservers, within the probe's deadline (see dns.h for why not
 * getaddrinfo). */
#ifndef GRACEFULINIT_RESOLVE_H
#define GRACEFULINIT_RESOLVE_H

#include "dns.h"

/* What the nameservers said, when it was final but no address. */
enum resolve_failure {
	RESOLVE_TIMED_OUT = -1,
	RESOLVE_NOT_FOUND = -2, /* NXDOMAIN, or no A and no AAAA */
	RESOLVE_NO_SERVER = -3, /* none configured that can be reached */
	RESOLVE_SERVFAIL = -4,
	RESOLVE_REFUSED = -5,
	RESOLVE_SERVER_ERROR = -6, /* another error code */
	RESOLVE_TRUNCATED = -7, /* an answer cut short before any address */
};

/* /etc/hosts (and localhost), then DNS over UDP to resolv.conf's
 * nameservers, A and AAAA asked for at once. Returns how many addresses it stored
 * in out (at least 1), or a resolve_failure. */
int resolve_name(const char *name, long long deadline, struct ip_address *out, int max);

#endif
