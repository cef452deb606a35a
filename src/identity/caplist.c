#include "caplist.h"

#include <cap-ng.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "text.h"

/* Long enough for any name in capabilities(7) and its "cap_" prefix. */
#define CAP_NAME_MAX 64

static int add_name(cap_mask *set, const char *name, size_t len, char *err, size_t err_size)
{
	char buf[CAP_NAME_MAX];
	const char *bare = buf;

	if (len == 0) {
		format(err, err_size, "--cap: empty capability name in the list");
		return -1;
	}
	if (len >= sizeof(buf)) {
		format(err, err_size, "--cap: unknown capability '%.*s...'", CAP_NAME_MAX, name);
		return -1;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	/* libcap-ng's table holds the bare names ("net_bind_service"). */
	if (len > 4 && strncasecmp(buf, "cap_", 4) == 0)
		bare += 4;
	int cap = capng_name_to_capability(bare);
	if (cap < 0 || cap >= 64) {
		format(err, err_size, "--cap: unknown capability '%s'", buf);
		return -1;
	}
	*set |= CAP_MASK_BIT(cap);
	return 0;
}

int cap_list_parse(cap_mask *set, const char *list, char *err, size_t err_size)
{
	struct text_span rest = text_span_of(list), name;

	while (text_next(&rest, ',', &name))
		if (add_name(set, name.p, name.len, err, err_size) != 0)
			return -1;
	return 0;
}
