/* Exit status in docker run's conventions, and --exit-map's table
 * (config/pairs.c parses it). */
#ifndef GRACEFULINIT_STATUS_H
#define GRACEFULINIT_STATUS_H

#include <stddef.h>

enum {
	STATUS_INIT_FAILED = 125,   /* gracefulinit itself: usage, user, identity, fork */
	STATUS_NOT_EXECUTABLE = 126,
	STATUS_NOT_FOUND = 127,
};

struct exit_map {
	short to[256];
};

/* Every status reported as itself. */
void exit_map_init(struct exit_map *map);
int exit_map_apply(const struct exit_map *map, int status);

/* N for exit(N), 128+N for death by signal N. */
int status_from_wait(int wait_status);

#endif
