/* libc's memory and string functions that gracefulinit and musl call, in a
 * few bytes each. The release binary takes these instead of musl's
 * (memfuncs.c says why); the sanitizer build names them gi_memcpy and so on,
 * for the unit test, and keeps libc's. */
#ifndef GRACEFULINIT_MEMFUNCS_H
#define GRACEFULINIT_MEMFUNCS_H

#include <stddef.h>

void *gi_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *gi_memset(void *dst, int c, size_t n);
void *gi_memchr(const void *s, int c, size_t n);
size_t gi_strlen(const char *s);
size_t gi_strcspn(const char *s, const char *reject);
size_t gi_strnlen(const char *s, size_t max);
char *gi_strcpy(char *restrict dst, const char *restrict src);
int gi_memcmp(const void *a, const void *b, size_t n);
int gi_strncmp(const char *a, const char *b, size_t n);
char *gi_strchr(const char *s, int c);
char *gi_strrchr(const char *s, int c);
int gi_strncasecmp(const char *a, const char *b, size_t n);
int gi_strcasecmp(const char *a, const char *b);

#endif
