/* The part of printf gracefulinit uses, in a few hundred bytes: musl's full
 * printf (floating point included) would be a sixth of the static binary.
 * Conversions: d i u x c s m %, with a precision (also as '*') and the
 * length modifiers l, ll and z; no flags and no width, which nothing here
 * needs (a flag or a width ends the output, as any conversion it lacks).
 *
 * The printf attribute makes the compiler check each call's arguments against
 * its format, as for printf; it knows nothing of this subset, so it accepts
 * %X, %p or %f too. tests/guards/format_conversions.py refuses those in the
 * sources (a CTest, guard.format_conversions), and at run time such a
 * conversion ends the output there and makes the call return -1: its
 * argument's type is unknown, so nothing after it can be read safely. */
#ifndef GRACEFULINIT_FORMAT_H
#define GRACEFULINIT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf: writes at most size bytes including the terminating NUL and
 * returns the length the whole result would have, or -1 (the text so far
 * still NUL-terminated) at a conversion it does not implement. */
int format_v(char *buf, size_t size, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
int format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
