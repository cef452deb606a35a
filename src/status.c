#include "status.h"

#include <sys/wait.h>

#include "format.h"
#include "number.h"
#include "pairs.h"

void exit_map_init(struct exit_map *map)
{
	for (int i = 0; i < 256; i++)
		map->to[i] = (short)i;
}

static int parse_status(const char *s)
{
	unsigned long long v;

	return number_parse(s, NUMBER_TO_NUL, 255, &v) == 0 ? (int)v : -1;
}

static int add_pair(void *ctx, const char *from, const char *to, char *err, size_t err_size)
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
	return pairs_parse(spec, "--exit-map", add_pair, map, err, err_size);
}

int exit_map_apply(const struct exit_map *map, int status)
{
	return status >= 0 && status < 256 ? map->to[status] : status;
}

int status_from_wait(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return STATUS_INIT_FAILED;
}
