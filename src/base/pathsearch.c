#include "pathsearch.h"

#include <string.h>

void path_walk_init(struct path_walk *walk, const char *path)
{
	walk->next = path ? path : PATHSEARCH_DEFAULT;
}

int path_walk_next(struct path_walk *walk, const char *file, char *buf, size_t size)
{
	size_t file_len = strlen(file);

	while (walk->next) {
		const char *dir = walk->next;
		const char *colon = strchr(dir, ':');
		size_t dir_len = colon ? (size_t)(colon - dir) : strlen(dir);
		size_t slash = dir_len > 0;

		walk->next = colon ? colon + 1 : NULL;
		if (dir_len + slash + file_len >= size)
			continue;
		for (size_t i = 0; i < dir_len; i++)
			buf[i] = dir[i];
		buf[dir_len] = '/';
		memcpy(buf + dir_len + slash, file, file_len + 1);
		return 1;
	}
	return 0;
}
