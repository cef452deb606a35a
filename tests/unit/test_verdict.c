/* The watchdog's verdict file names, and the start time that tells a live
 * init from one that has gone. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "verdict.h"

START_TEST(names_round_trip)
{
	struct verdict_key key = { 4026532173ULL, 1, 1048452 }, back;
	char name[96];

	verdict_name(&key, name, sizeof(name));
	ck_assert_str_eq(name, "gracefulinit-health.4026532173.1.1048452");
	ck_assert_int_eq(verdict_name_parse(name, &back), 0);
	ck_assert_int_eq(memcmp(&key, &back, sizeof(key)), 0);
}
END_TEST

START_TEST(other_names_are_refused)
{
	struct verdict_key key;
	static const char *const names[] = { "gracefulinit-health.1.2", "gracefulinit-health.1.2.3.4",
		"gracefulinit-health.1.2.x", "gracefulinit-health..2.3", "gracefulinit-health.1.2.3 ",
		"other.1.2.3", ".", "..", "gracefulinit-health.", "gracefulinit-health.99999999999999999999999.1.1" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(verdict_name_parse(names[i], &key) != 0, "%s taken", names[i]);
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
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, other_names_are_refused);
	tcase_add_test(tc, start_time_from_stat);
	suite_add_tcase(s, tc);
	return s;
}
