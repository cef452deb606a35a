#include "watch.h"

#include <string.h>

#include "format.h"
#include "text.h"

/* The action is cut off where it starts. */
static int parse_path(struct watch_path *w, char *text, char *err, size_t err_size)
{
	char *colon = strrchr(text, ':');

	w->path = text;
	w->action = NULL;
	if (colon != NULL && strchr(colon, '/') == NULL) {
		*colon = '\0';
		w->action = colon + 1;
	}
	if (*text == '/')
		return 0;
	format(err, err_size, "--watch: '%s' is not an absolute path", text);
	return -1;
}

/* As wait_list_parse: each path copied into the list's own pool. */
int watch_list_parse(struct watch_list *list, const char *text, char *err, size_t err_size)
{
	struct text_span rest = text_span_of(text), piece;

	while (text_next(&rest, ',', &piece)) {
		char *copy = list->count < WATCH_PATHS_MAX
				     ? text_pool_copy(list->pool, sizeof(list->pool), &list->used, piece)
				     : NULL;
		if (copy == NULL) {
			format(err, err_size, "--watch: more than %d paths, or %d bytes of them", WATCH_PATHS_MAX,
			       WATCH_TEXT_MAX);
			return -1;
		}
		if (parse_path(&list->paths[list->count++], copy, err, err_size) != 0)
			return -1;
	}
	return 0;
}

/* "/cfg/" names the directory /cfg, whose parent is /. */
size_t watch_parent_len(const char *path, size_t len)
{
	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 1 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}
