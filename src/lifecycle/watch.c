#include "watch.h"

#include <string.h>

#include "format.h"
#include "text.h"

/* The action is cut off where it starts; config/options.c checks both. */
static void split_action(struct watch_path *w, char *text)
{
	char *colon = strrchr(text, ':');

	w->path = text;
	w->action = NULL;
	if (colon != NULL && strchr(colon, '/') == NULL) {
		*colon = '\0';
		w->action = colon + 1;
	}
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
			format(err, err_size, "%s: more than %d items, or %d bytes of them", "--watch", WATCH_PATHS_MAX,
			       WATCH_TEXT_MAX);
			return -1;
		}
		split_action(&list->paths[list->count++], copy);
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
