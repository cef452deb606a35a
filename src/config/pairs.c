#include "pairs.h"

#include <string.h>

#include "format.h"
#include "number.h"
#include "text.h"

/* Long enough for any signal name or status; a longer item is an error anyway. */
#define ITEM_MAX 64

typedef int (*pair_fn)(void *ctx, const char *from, const char *to, char *err, size_t err_size);

/* Calls add for each pair; stops at the first error, which add or the list's
 * own syntax (named after option) writes into err. */
static int pairs_parse(const char *spec, const char *option, pair_fn add, void *ctx, char *err, size_t err_size)
{
	struct text_span rest = text_span_of(spec), pair;

	if (*spec == '\0') {
		format(err, err_size, "%s: empty list", option);
		return -1;
	}
	while (text_next(&rest, ',', &pair)) {
		char item[ITEM_MAX];
		if (pair.len == 0 || pair.len >= sizeof(item)) {
			format(err, err_size, "%s: bad item in '%s' (want FROM:TO[,...])", option, spec);
			return -1;
		}
		memcpy(item, pair.p, pair.len);
		item[pair.len] = '\0';
		char *colon = strchr(item, ':');
		if (colon == NULL || colon == item || colon[1] == '\0' || strchr(colon + 1, ':') != NULL) {
			format(err, err_size, "%s: '%s' is not FROM:TO", option, item);
			return -1;
		}
		*colon = '\0';
		if (add(ctx, item, colon + 1, err, err_size) != 0)
			return -1;
	}
	return 0;
}

static int add_rewrite(void *ctx, const char *from, const char *to, char *err, size_t err_size)
{
	struct signal_rewrite *rw = ctx;
	int from_sig = signal_from_name(from, 0);
	int to_sig = signal_from_name(to, 1);

	if (from_sig < 0 || signal_policy(from_sig) != SIGNAL_FORWARD) {
		format(err, err_size, "--rewrite: '%s' is not a signal gracefulinit forwards", from);
		return -1;
	}
	if (to_sig < 0 || (to_sig != 0 && signal_policy(to_sig) == SIGNAL_RESERVED)) {
		format(err, err_size, "--rewrite: '%s' is not a signal", to);
		return -1;
	}
	rw->to[from_sig] = (unsigned char)to_sig;
	return 0;
}

int rewrite_parse(struct signal_rewrite *rw, const char *spec, char *err, size_t err_size)
{
	return pairs_parse(spec, "--rewrite", add_rewrite, rw, err, err_size);
}

static int parse_status(const char *s)
{
	unsigned long long v;

	return number_parse(s, NUMBER_TO_NUL, 255, &v) == 0 ? (int)v : -1;
}

static int add_exit_map(void *ctx, const char *from, const char *to, char *err, size_t err_size)
{
	struct exit_map *map = ctx;
	int from_status = parse_status(from);
	int to_status = parse_status(to);

	if (from_status < 0 || to_status < 0) {
		format(err, err_size, "--exit-map: '%s:%s' needs statuses from 0 to 255", from, to);
		return -1;
	}
	map->to[from_status] = (short)to_status;
	return 0;
}

int exit_map_parse(struct exit_map *map, const char *spec, char *err, size_t err_size)
{
	return pairs_parse(spec, "--exit-map", add_exit_map, map, err, err_size);
}
