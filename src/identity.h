/* --user and --cap: who the command (and gracefulinit) run as. */
#ifndef GRACEFULINIT_IDENTITY_H
#define GRACEFULINIT_IDENTITY_H

#include "options.h"

struct identity {
	int wanted; /* --user or --cap given */
};

/* Looks up the user and group and checks the capability names. Returns 0, or
 * -1 after logging (the caller exits 125). */
int identity_resolve(const struct options *opts, struct identity *id);

/* Switches gracefulinit itself, before it forks. Returns 0, or -1 after logging. */
int identity_apply(const struct identity *id);

#endif
