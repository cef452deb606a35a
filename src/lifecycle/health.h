/* --health URL or --health-cmd COMMAND: what one check of the watchdog is
 * (gracefulinit(1), HEALTH WATCHDOG). config/options.c fills it in;
 * health_sys.c runs it. */
#ifndef GRACEFULINIT_HEALTH_H
#define GRACEFULINIT_HEALTH_H

#include "url.h"

struct health_check {
	const char *command; /* --health-cmd, run by /bin/sh -c; NULL for a URL */
	const char *url_text; /* --health as given */
	struct url url;      /* --health, parsed */
	long long timeout_ms; /* --health-timeout */
};

/* The watchdog's verdict, in Docker's words. */
enum health_verdict { HEALTH_STARTING, HEALTH_HEALTHY, HEALTH_UNHEALTHY };

/* Where --health-cmd's shell is, as Docker's CMD-SHELL has it. */
#define CHECK_SHELL "/bin/sh"

/* Why a check failed, one line; and the longest first line of a check
 * command's output that it keeps. */
#define CHECK_WHY_MAX 256

#endif
