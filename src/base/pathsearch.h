/* The directories execvp would try for a command name without a slash, one
 * candidate path at a time (spawn.c execs each): musl's execvp, with the
 * getenv and the word-at-a-time strchrnul it brings, costs 1 KB on s390x. */
#ifndef GRACEFULINIT_PATHSEARCH_H
#define GRACEFULINIT_PATHSEARCH_H

#include <stddef.h>

/* Where musl's execvp looks when PATH is not set. */
#define PATHSEARCH_DEFAULT "/usr/local/bin:/bin:/usr/bin"

struct path_walk {
	const char *next; /* NULL once every directory has been given */
};

/* path: PATH's value, or NULL for PATHSEARCH_DEFAULT. */
void path_walk_init(struct path_walk *walk, const char *path);

/* Writes the next directory's "DIR/file" into buf and returns 1, or returns
 * 0 when none is left. An empty directory means the current one, as POSIX
 * says of PATH, so the candidate is file itself; a directory whose candidate
 * would not fit in size bytes is passed over. */
int path_walk_next(struct path_walk *walk, const char *file, char *buf, size_t size);

#endif
