/* Walking text by a separator, as strsep(3) does, but over constant text of
 * a known length: the lines of a file, the items of a comma list. */
#ifndef GRACEFULINIT_TEXT_H
#define GRACEFULINIT_TEXT_H

#include <stddef.h>

/* A piece of text, bounded by its length rather than a NUL. p NULL: spent. */
struct text_span {
	const char *p;
	size_t len;
};

/* A whole C string as a span. */
struct text_span text_span_of(const char *s);

/* The next piece of *rest, up to sep (not included); rest moves past sep.
 * Returns 1, or 0 when rest is spent. Every separator ends a piece, so
 * "a,,b" gives "a", "", "b" and "a," gives "a", "": a list's caller sees
 * its empty items, and a line walker skips the empty last line. */
int text_next(struct text_span *rest, char sep, struct text_span *piece);

/* What follows "KEY<delim>" at the start of a line of text (a C string), up
 * to the end of the text, or NULL when no line starts so. */
const char *text_line_value(const char *text, const char *key, char delim);

/* Where text is in words ("a\0b\0", ended by an empty word), or -1. */
int text_word_index(const char *text, const char *words);

/* A copy of piece, NUL-terminated, at *used in pool (size bytes), *used
 * moved past it; NULL when it does not fit. The lists of --wait and --watch
 * keep their items so, each a C string, the value left as given. */
char *text_pool_copy(char *pool, size_t size, size_t *used, struct text_span piece);

/* The first line of src (len bytes at most) into dst, printable ASCII only
 * ('?' for the rest), whatever wrote it: a helper's output, an app's. */
void text_printable_line(char *dst, size_t size, const char *src, size_t len);

#endif
