#include "pairs.h"

#include <string.h>

#include "format.h"

/* Long enough for any signal name or status; a longer item is an error anyway. */
#define ITEM_MAX 64

int pairs_parse(const char *spec, const char *option, pair_fn add, void *ctx, char *err, size_t err_size)
{
	const char *p = spec;

	if (spec == NULL || *spec == '\0') {
		format(err, err_size, "%s: empty list", option);
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		char item[ITEM_MAX];
		if (len == 0 || len >= sizeof(item)) {
			format(err, err_size, "%s: bad item in '%s' (want FROM:TO[,...])", option, spec);
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		char *colon = strchr(item, ':');
		if (colon == NULL || colon == item || colon[1] == '\0' || strchr(colon + 1, ':') != NULL) {
			format(err, err_size, "%s: '%s' is not FROM:TO", option, item);
			return -1;
		}
		*colon = '\0';
		if (add(ctx, item, colon + 1, err, err_size) != 0)
			return -1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}
