#include "text.h"

#include <string.h>

struct text_span text_span_of(const char *s)
{
	struct text_span span = { s, strlen(s) };

	return span;
}

int text_next(struct text_span *rest, char sep, struct text_span *piece)
{
	if (rest->p == NULL)
		return 0;
	const char *end = memchr(rest->p, sep, rest->len);
	piece->p = rest->p;
	if (end == NULL) {
		piece->len = rest->len;
		rest->p = NULL;
		rest->len = 0;
		return 1;
	}
	piece->len = (size_t)(end - rest->p);
	rest->len -= piece->len + 1;
	rest->p = end + 1;
	return 1;
}

const char *text_line_value(const char *text, const char *key, char delim)
{
	size_t key_len = strlen(key);

	for (const char *line = text; line != NULL; line = strchr(line, '\n'), line = line != NULL ? line + 1 : NULL)
		if (strncmp(line, key, key_len) == 0 && line[key_len] == delim)
			return line + key_len + 1;
	return NULL;
}

void text_printable_line(char *dst, size_t size, const char *src, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len && src[i] != '\n' && src[i] != '\0' && out + 1 < size; i++)
		dst[out++] = src[i] < 0x20 || src[i] > 0x7e ? '?' : src[i]; /* no terminal controls */
	dst[out] = '\0';
}

int text_word_index(const char *text, const char *words)
{
	for (int i = 0; *words != '\0'; i++, words += strlen(words) + 1)
		if (strcmp(text, words) == 0)
			return i;
	return -1;
}

char *text_pool_copy(char *pool, size_t size, size_t *used, struct text_span piece)
{
	char *copy = pool + *used;

	if (piece.len >= size - *used)
		return NULL;
	memcpy(copy, piece.p, piece.len);
	copy[piece.len] = '\0';
	*used += piece.len + 1;
	return copy;
}
