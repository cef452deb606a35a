/* The watchdog's verdict file names, and the start time that tells a live
 * init from one that has gone. */
#include <check.h>

#include "check_main.h"
#include "verdict.h"

START_TEST(name_says_whose)
{
	struct verdict_key key = { 4026532173ULL, 1, 1048452 };
	char name[96];

	verdict_name("/dev/shm", &key, name, sizeof(name));
	ck_assert_str_eq(name, "/dev/shm/gracefulinit-health.4026532173.1.1048452");
}
END_TEST

/* Field 22, counted after the last ')': the name may hold both. */
START_TEST(start_time_from_stat)
{
	ck_assert_uint_eq(verdict_start_time("1 (gracefulinit) S 0 1 1 0 -1 4194560 1076 0 0 0 0 0 0 0 20 0 1 0 "
					     "1048452 2473984 27 18446744073709551615"),
			  1048452);
	ck_assert_uint_eq(verdict_start_time("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0"), 99);
	ck_assert_uint_eq(verdict_start_time("7 (cut) S 1 7"), 0);
	ck_assert_uint_eq(verdict_start_time("no parenthesis"), 0);
	ck_assert_uint_eq(verdict_start_time(""), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, name_says_whose);
	tcase_add_test(tc, start_time_from_stat);
	suite_add_tcase(s, tc);
	return s;
}
