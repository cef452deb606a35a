#include "wait.h"

#include <string.h>
#include <sys/un.h>

#include "format.h"
#include "text.h"

/* The scheme picks the kind: file: and unix: name a path (a socket's fits
 * sun_path); tcp:// and http:// are the probe's URLs, whose own line says
 * what is wrong with one. Anything else, the empty target among it, gets
 * the line that names the four. */
static int parse_target(struct wait_target *t, char *text, char *err, size_t err_size)
{
	char *colon = strchr(text, ':');
	int kind = -1;

	t->text = text;
	if (colon != NULL) {
		*colon = '\0';
		kind = text_word_index(text, "tcp\0http\0file\0unix\0"); /* enum wait_kind's order */
		*colon = ':';
		t->path = colon + 1;
	}
	t->kind = (enum wait_kind)kind;
	if (kind == WAIT_TCP || kind == WAIT_HTTP) {
		int prefix = format(err, err_size, "--wait: ");
		return url_parse(text, &t->url, err + prefix, err_size - (size_t)prefix);
	}
	if (kind >= 0 && *t->path != '\0' &&
	    (kind == WAIT_FILE || strlen(t->path) < sizeof(((struct sockaddr_un *)0)->sun_path)))
		return 0;
	format(err, err_size, "--wait: '%s' is not tcp://HOST:PORT, http://HOST[:PORT][/PATH], file:/PATH or unix:/PATH "
	       "(at most 107 bytes)", text);
	return -1;
}

/* Each target is copied into the list's own pool: the value stays as given
 * (a process listing shows it whole), and the URL's pointers point into the
 * copy. */
int wait_list_parse(struct wait_list *list, const char *text, char *err, size_t err_size)
{
	struct text_span rest = text_span_of(text), piece;

	while (text_next(&rest, ',', &piece)) {
		char *copy = list->count < WAIT_TARGETS_MAX
				     ? text_pool_copy(list->pool, sizeof(list->pool), &list->used, piece)
				     : NULL;
		if (copy == NULL) {
			format(err, err_size, "%s: more than %d items, or %d bytes of them", "--wait", WAIT_TARGETS_MAX,
			       WAIT_TEXT_MAX);
			return -1;
		}
		if (parse_target(&list->targets[list->count++], copy, err, err_size) != 0)
			return -1;
	}
	return 0;
}

long long wait_backoff_ms(long long previous_ms)
{
	if (previous_ms <= 0)
		return WAIT_BACKOFF_FIRST_MS;
	return previous_ms * 2 < WAIT_BACKOFF_CAP_MS ? previous_ms * 2 : WAIT_BACKOFF_CAP_MS;
}
