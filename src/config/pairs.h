/* The "FROM:TO[,FROM:TO...]" lists of --rewrite and --exit-map, parsed into
 * the supervisor's tables. */
#ifndef GRACEFULINIT_PAIRS_H
#define GRACEFULINIT_PAIRS_H

#include <stddef.h>

#include "signals.h"
#include "status.h"

/* Each adds its pairs to the table. Returns 0, or -1 with a one-line
 * message in err (the caller exits 125). */
int rewrite_parse(struct signal_rewrite *rw, const char *spec, char *err, size_t err_size);
int exit_map_parse(struct exit_map *map, const char *spec, char *err, size_t err_size);

#endif
