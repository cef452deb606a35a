/* Plain decimal numbers (src/base/number.c), which every decimal field
 * gracefulinit reads goes through. */
#include <check.h>

#include "check_main.h"
#include "number.h"

START_TEST(parse_takes_plain_decimals_only)
{
	unsigned long long v;
	ck_assert_int_eq(number_parse("0", NUMBER_TO_NUL, 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(number_parse("4294967294", NUMBER_TO_NUL, 0xfffffffeULL, &v), 0);
	ck_assert_int_eq(number_parse("4294967295", NUMBER_TO_NUL, 0xfffffffeULL, &v), -1);
	ck_assert_int_eq(number_parse("18446744073709551615", NUMBER_TO_NUL, ~0ULL, &v), 0);
	ck_assert_int_eq(number_parse("18446744073709551616", NUMBER_TO_NUL, ~0ULL, &v), -1);
	ck_assert_int_eq(number_parse("12ab", 2, 100, &v), 0);
	ck_assert_int_eq(v, 12);
	static const char *bad[] = { "", "-1", "+1", " 1", "1 ", "0x10", "1e3", "abc" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(number_parse(bad[i], NUMBER_TO_NUL, ~0ULL, &v) == -1, "'%s'", bad[i]);
	ck_assert_int_eq(number_parse("12", 3, 100, &v), -1); /* NUL before len */
	ck_assert_int_eq(number_parse("5", NUMBER_TO_NUL, 0, &v), -1);
	ck_assert_int_eq(number_parse("0", NUMBER_TO_NUL, 0, &v), 0);
}
END_TEST

START_TEST(scan_reads_the_leading_digits)
{
	unsigned long long v = 77;
	ck_assert_uint_eq(number_scan("8080/health", NUMBER_TO_NUL, 65535, &v), 4);
	ck_assert_uint_eq(v, 8080);
	ck_assert_uint_eq(number_scan("123456", 3, ~0ULL, &v), 3); /* at most len bytes */
	ck_assert_uint_eq(v, 123);
	v = 77;
	ck_assert_uint_eq(number_scan("x1", NUMBER_TO_NUL, 100, &v), 0);
	ck_assert_uint_eq(number_scan("", NUMBER_TO_NUL, 100, &v), 0);
	ck_assert_uint_eq(number_scan("65536", NUMBER_TO_NUL, 65535, &v), 0); /* over max */
	ck_assert_uint_eq(number_scan("255.1", NUMBER_TO_NUL, 255, &v), 3);
	ck_assert_uint_eq(v, 255);
	ck_assert_uint_eq(number_scan("007", NUMBER_TO_NUL, 255, &v), 3);
	ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(digits_and_hex_digits)
{
	for (int c = 0; c < 256; c++) {
		int digit = c >= '0' && c <= '9';
		ck_assert_int_eq(number_is_digit((char)c), digit);
		int hex = digit ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		ck_assert_int_eq(number_hex_digit((char)c), hex);
	}
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("number");
	tcase_add_test(tc, parse_takes_plain_decimals_only);
	tcase_add_test(tc, scan_reads_the_leading_digits);
	tcase_add_test(tc, digits_and_hex_digits);
	suite_add_tcase(s, tc);
	return s;
}
