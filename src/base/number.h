/* Plain decimal numbers, as every option, /proc field and protocol field
 * here spells them: digits only, no sign, no blanks, no base prefix. strtol
 * would accept all of those and cost the static binary two kilobytes of musl.
 * Every decimal gracefulinit reads goes through here. */
#ifndef GRACEFULINIT_NUMBER_H
#define GRACEFULINIT_NUMBER_H

#include <stddef.h>

/* len for a text that ends at its NUL. */
#define NUMBER_TO_NUL ((size_t)-1)

static inline int number_is_digit(char c) { return c >= '0' && c <= '9'; }

/* The run of digits at the start of text (at most len bytes). Returns how
 * many digits it holds and their value in *value, or 0 when there is no digit
 * or the value is over max (then *value is untouched). */
size_t number_scan(const char *text, size_t len, unsigned long long max, unsigned long long *value);

/* The whole of text must be a number no larger than max. Returns 0 and
 * *value, or -1. */
int number_parse(const char *text, size_t len, unsigned long long max, unsigned long long *value);

/* 0-15 for a hex digit of either case, -1 for anything else. */
int number_hex_digit(char c);

#endif
