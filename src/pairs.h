/* The "FROM:TO[,FROM:TO...]" lists that --rewrite and --exit-map share. */
#ifndef GRACEFULINIT_PAIRS_H
#define GRACEFULINIT_PAIRS_H

#include <stddef.h>

typedef int (*pair_fn)(void *ctx, const char *from, const char *to, char *err, size_t err_size);

/* Calls add for each pair; stops at the first error, which add or the list's
 * own syntax (named after option) writes into err. */
int pairs_parse(const char *spec, const char *option, pair_fn add, void *ctx, char *err, size_t err_size);

#endif
