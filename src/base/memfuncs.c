/* musl's memcpy, memset, memchr, strlen and strcspn work a word at a time.
 * Outside x86 and ARM they are C, and large (bench/notes.md has the bytes).
 * gracefulinit copies and scans a few hundred bytes at a time, where the
 * speed of a byte loop does not show, so the release binary defines these
 * (and the small ones beside them, which musl pulls in with their helpers)
 * itself and the static link never pulls musl's in (musl's own calls come
 * here too). */
#include "memfuncs.h"

#ifdef GI_MEMFUNCS_FOR_TESTS
#define NAME(name) gi_##name
#else
#include <string.h>
#define NAME(name) name
#endif

/* Otherwise gcc sees each loop for what it is and emits a call to the
 * function being defined. clang's loop idiom pass already spares a function
 * of that name. */
#ifdef __clang__
#define LOOP
#else
#define LOOP __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

LOOP void *NAME(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

LOOP void *NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

LOOP void *NAME(memchr)(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

LOOP size_t NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

LOOP size_t NAME(strcspn)(const char *s, const char *reject)
{
	size_t n = 0;

	for (; s[n]; n++)
		for (const char *r = reject; *r; r++)
			if (s[n] == *r)
				return n;
	return n;
}

LOOP size_t NAME(strnlen)(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

LOOP char *NAME(strcpy)(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

LOOP int NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

LOOP int NAME(strncmp)(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

LOOP char *NAME(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

LOOP char *NAME(strrchr)(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* ASCII only, as musl's are in the C locale gracefulinit runs in. */
static int fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/* n counts down only while bounded: strcasecmp has no n. */
LOOP static int compare_folded(const char *a, const char *b, size_t n, int bounded)
{
	for (; !bounded || n; n--, a++, b++) {
		int d = fold((unsigned char)*a) - fold((unsigned char)*b);
		if (d || !*a)
			return d;
	}
	return 0;
}

int NAME(strncasecmp)(const char *a, const char *b, size_t n) { return compare_folded(a, b, n, 1); }

int NAME(strcasecmp)(const char *a, const char *b) { return compare_folded(a, b, 0, 0); }
