/* --rewrite FROM:TO[,...]: which signal the command gets for one received. */
#ifndef GRACEFULINIT_REWRITE_H
#define GRACEFULINIT_REWRITE_H

#include <stddef.h>

#include "signals.h"

struct signal_rewrite {
	/* to[sig] is what sig is forwarded as; 0 drops it. */
	unsigned char to[SIGNAL_LIMIT];
};

void rewrite_init(struct signal_rewrite *rw);

/* Adds the pairs in spec to rw. On error returns -1 with a message in err. */
int rewrite_parse(struct signal_rewrite *rw, const char *spec, char *err, size_t err_size);

int rewrite_apply(const struct signal_rewrite *rw, int sig);

#endif
