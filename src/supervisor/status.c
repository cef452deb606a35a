#include "status.h"

#include <sys/wait.h>


void exit_map_init(struct exit_map *map)
{
	for (int i = 0; i < 256; i++)
		map->to[i] = (short)i;
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
