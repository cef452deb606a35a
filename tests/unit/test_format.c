/* format.c against the C library's own snprintf: same text, same length. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "format.h"

#define SAME(...)                                                                            \
	do {                                                                                 \
		char ours[128], libc[128];                                                   \
		int n_ours = format(ours, sizeof(ours), __VA_ARGS__);                        \
		int n_libc = snprintf(libc, sizeof(libc), __VA_ARGS__);                      \
		ck_assert_str_eq(ours, libc);                                                \
		ck_assert_int_eq(n_ours, n_libc);                                            \
	} while (0)

START_TEST(matches_libc)
{
	SAME("plain");
	SAME("%s and %s", "one", "two");
	SAME("%d %d %d", 0, -17, 2147483647);
	SAME("%d", -2147483647 - 1);
	SAME("%u %x %x|", 42u, 255u, 0xbeefu);
	SAME("%lld %lld", 9000LL, -9223372036854775807LL - 1);
	SAME("%zu %ld %lu", (size_t)123456789, -5L, 5UL);
	SAME("%.*s|%.3s|%s|", 2, "abcdef", "abcdef", "ab");
	SAME("%c%c 100%%", 'o', 'k');
}
END_TEST

START_TEST(m_is_strerror_of_errno_at_the_call)
{
	char ours[128];
	errno = ENOENT;
	format(ours, sizeof(ours), "open: %m");
	ck_assert_str_eq(ours, "open: No such file or directory");
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(truncates_like_snprintf)
{
	char small[8];
	int n = format(small, sizeof(small), "%s-%d", "abcdef", 12345);
	ck_assert_int_eq(n, 12);
	ck_assert_str_eq(small, "abcdef-");
	char none[1] = { 'x' };
	ck_assert_int_eq(format(none, 1, "abc"), 3);
	ck_assert_int_eq(none[0], '\0');
	ck_assert_int_eq(format(NULL, 0, "%d", 123), 3);
}
END_TEST

/* The compiler's printf check accepts these; format() must not read the
 * argument of a conversion it does not know as something else (the next %s
 * would take 255 as a pointer). */
START_TEST(unimplemented_conversions_stop_the_output)
{
	char buf[32];
	ck_assert_int_eq(format(buf, sizeof(buf), "[%X] [%s]", 255u, "next"), -1);
	ck_assert_str_eq(buf, "[");
	ck_assert_int_eq(format(buf, sizeof(buf), "p=%p", (void *)buf), -1);
	ck_assert_str_eq(buf, "p=");
	ck_assert_int_eq(format(buf, sizeof(buf), "%d %5.1f %s", 1, 2.5, "x"), -1);
	ck_assert_str_eq(buf, "1 ");
	ck_assert_int_eq(format(buf, sizeof(buf), "%hd", (short)3), -1);
	ck_assert_str_eq(buf, "");
	/* Flags and widths too: nothing pads. */
	ck_assert_int_eq(format(buf, sizeof(buf), "a%08x", 1u), -1);
	ck_assert_str_eq(buf, "a");
	ck_assert_int_eq(format(buf, sizeof(buf), "b%-5s", "x"), -1);
	ck_assert_str_eq(buf, "b");
}
END_TEST

START_TEST(star_precision_below_zero_is_none)
{
	SAME("%.*s|", -1, "abcdef");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, matches_libc);
	tcase_add_test(tc, m_is_strerror_of_errno_at_the_call);
	tcase_add_test(tc, truncates_like_snprintf);
	tcase_add_test(tc, unimplemented_conversions_stop_the_output);
	tcase_add_test(tc, star_precision_below_zero_is_none);
	suite_add_tcase(s, tc);
	return s;
}
