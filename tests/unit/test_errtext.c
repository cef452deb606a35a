/* Error messages in musl's words, without musl's table. */
#include <check.h>
#include <errno.h>

#include "check_main.h"
#include "errtext.h"

START_TEST(known_errors_in_musls_words)
{
	ck_assert_str_eq(error_text(ENOENT), "No such file or directory");
	ck_assert_str_eq(error_text(EPERM), "Operation not permitted");
	ck_assert_str_eq(error_text(EACCES), "Permission denied");
	ck_assert_str_eq(error_text(EINVAL), "Invalid argument");
	ck_assert_str_eq(error_text(ECONNREFUSED), "Connection refused");
	ck_assert_str_eq(error_text(EHOSTUNREACH), "Host is unreachable");
	ck_assert_str_eq(error_text(ENOTTY), "Not a tty"); /* the last of the list */
}
END_TEST

START_TEST(others_by_number)
{
	ck_assert_str_eq(error_text(ENOTEMPTY), "error 39");
	ck_assert_str_eq(error_text(0), "error 0");
	ck_assert_str_eq(error_text(-5), "error -5");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("errtext");
	TCase *tc = tcase_create("errtext");
	tcase_add_test(tc, known_errors_in_musls_words);
	tcase_add_test(tc, others_by_number);
	suite_add_tcase(s, tc);
	return s;
}
