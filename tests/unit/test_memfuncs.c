/* The release binary's memory and string functions (memfuncs.c), against the
 * host libc's on every case that tells them apart. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "memfuncs.h"

static int sign(int v) { return (v > 0) - (v < 0); }

START_TEST(copies_and_fills)
{
	char src[64], a[80], b[80];

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	for (size_t n = 0; n <= sizeof(src); n++) {
		memset(a, 'x', sizeof(a));
		memset(b, 'x', sizeof(b));
		ck_assert_ptr_eq(gi_memcpy(a + 3, src, n), a + 3);
		memcpy(b + 3, src, n);
		ck_assert_mem_eq(a, b, sizeof(a));
		ck_assert_ptr_eq(gi_memset(a + 5, 0x1ff, n), a + 5); /* only the low byte */
		memset(b + 5, 0xff, n);
		ck_assert_mem_eq(a, b, sizeof(a));
	}
}
END_TEST

START_TEST(finds_and_measures)
{
	const char text[] = "abc\0def\xff";

	ck_assert_ptr_eq(gi_memchr(text, 'd', sizeof(text)), text + 4);
	ck_assert_ptr_eq(gi_memchr(text, 0xff, sizeof(text)), text + 7); /* compared as unsigned char */
	ck_assert_ptr_eq(gi_memchr(text, 'd', 4), NULL);
	ck_assert_ptr_eq(gi_memchr(text, 'a', 0), NULL);
	ck_assert_uint_eq(gi_strlen(""), 0);
	ck_assert_uint_eq(gi_strlen(text), 3);
	ck_assert_uint_eq(gi_strcspn("key=value", "=:"), 3);
	ck_assert_uint_eq(gi_strcspn("key", "=:"), 3);
	ck_assert_uint_eq(gi_strcspn("", "="), 0);
	ck_assert_uint_eq(gi_strcspn("abc", ""), 3);
	ck_assert_uint_eq(gi_strnlen("abc", 2), 2);
	ck_assert_uint_eq(gi_strnlen("abc", 9), 3);
	ck_assert_uint_eq(gi_strnlen(text, 0), 0);
}
END_TEST

START_TEST(strcpy_copies_the_terminator)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ck_assert_ptr_eq(gi_strcpy(buf, "abc"), buf);
	ck_assert_mem_eq(buf, "abc\0xxxx", sizeof(buf));
}
END_TEST

START_TEST(strchr_and_strrchr_as_libc)
{
	const char *s = "a:b:c";

	ck_assert_ptr_eq(gi_strchr(s, ':'), s + 1);
	ck_assert_ptr_eq(gi_strrchr(s, ':'), s + 3);
	ck_assert_ptr_eq(gi_strchr(s, 'z'), NULL);
	ck_assert_ptr_eq(gi_strrchr(s, 'z'), NULL);
	ck_assert_ptr_eq(gi_strchr(s, '\0'), s + 5); /* the terminator is part of the string */
	ck_assert_ptr_eq(gi_strrchr(s, '\0'), s + 5);
}
END_TEST

START_TEST(comparisons_have_libcs_sign)
{
	static const char *const pairs[][2] = {
	    {"", ""}, {"a", ""}, {"", "a"}, {"abc", "abd"}, {"abd", "abc"}, {"ab", "abc"},
	    {"\xff", "a"}, {"a", "\xff"}, {"SIGTERM", "sigterm"}, {"Term", "TERMx"},
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *a = pairs[i][0], *b = pairs[i][1];
		size_t n = strlen(a) < strlen(b) ? strlen(a) + 1 : strlen(b) + 1;

		ck_assert_int_eq(sign(gi_memcmp(a, b, n)), sign(memcmp(a, b, n)));
		for (size_t k = 0; k <= 4; k++) {
			ck_assert_int_eq(sign(gi_strncmp(a, b, k)), sign(strncmp(a, b, k)));
			ck_assert_int_eq(sign(gi_strncasecmp(a, b, k)), sign(strncasecmp(a, b, k)));
		}
		ck_assert_int_eq(sign(gi_strcasecmp(a, b)), sign(strcasecmp(a, b)));
	}
	ck_assert_int_eq(gi_strcasecmp("SigTerm", "SIGTERM"), 0);
	ck_assert_int_eq(gi_memcmp("a", "b", 0), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("memfuncs");
	TCase *tc = tcase_create("memfuncs");
	tcase_add_test(tc, copies_and_fills);
	tcase_add_test(tc, finds_and_measures);
	tcase_add_test(tc, strcpy_copies_the_terminator);
	tcase_add_test(tc, strchr_and_strrchr_as_libc);
	tcase_add_test(tc, comparisons_have_libcs_sign);
	suite_add_tcase(s, tc);
	return s;
}
