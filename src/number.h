/* Plain decimal numbers, as every option and /proc field here spells them:
 * digits only, no sign, no blanks, no base prefix. strtol would accept all
 * of those and cost the static binary two kilobytes of musl. */
#ifndef GRACEFULINIT_NUMBER_H
#define GRACEFULINIT_NUMBER_H

#include <stddef.h>

/* The whole of text (len bytes, or up to NUL when len is (size_t)-1) must be
 * a number no larger than max. Returns 0 and *value, or -1. */
int number_parse(const char *text, size_t len, unsigned long long max, unsigned long long *value);

#define NUMBER_TO_NUL ((size_t)-1)

/* 0-15 for a hex digit of either case, -1 for anything else. */
int number_hex_digit(char c);

#endif
