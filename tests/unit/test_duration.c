#include <check.h>
#include <string.h>

#include "check_main.h"
#include "duration.h"

static long long parse_ok(const char *text)
{
	long long ms = -2;
	ck_assert_msg(duration_parse(text, 1, &ms) == 0, "'%s' should parse", text);
	return ms;
}

START_TEST(accepts_spec_forms)
{
	ck_assert_int_eq(parse_ok("10"), 10000);
	ck_assert_int_eq(parse_ok("10s"), 10000);
	ck_assert_int_eq(parse_ok("500ms"), 500);
	ck_assert_int_eq(parse_ok("1.5s"), 1500);
	ck_assert_int_eq(parse_ok("2m"), 120000);
	ck_assert_int_eq(parse_ok("0"), 0);
	ck_assert_int_eq(parse_ok("0.25"), 250);
	ck_assert_int_eq(parse_ok("1.5m"), 90000);
	ck_assert_int_eq(parse_ok("off"), DURATION_OFF);
}
END_TEST

START_TEST(rejects_everything_else)
{
	static const char *bad[] = { "", "banana", "-1", "1h", "10 s", " 10", "10s ", "1.", ".5", "1.5ms",
				     "inf", "nan", "0x10", "1e3", "s", "ms", "10sec", "99999999999999999999",
				     "9999999999m", "OFF", "1,5s", "0.0001", "1.0005s", "0.00001m" };
	long long ms;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(duration_parse(bad[i], 1, &ms) != 0, "'%s' should be rejected", bad[i]);
	ck_assert_int_ne(duration_parse(NULL, 1, &ms), 0);
}
END_TEST

/* Each says what is wrong: a nonzero duration never rounds to 0. */
START_TEST(errors_say_why)
{
	long long ms = 7;
	ck_assert_int_eq(duration_parse("0.0001", 1, &ms), DURATION_TOO_PRECISE);
	ck_assert_int_eq(duration_parse("1.5ms", 1, &ms), DURATION_TOO_PRECISE);
	ck_assert_int_eq(duration_parse("1.0000000001s", 1, &ms), DURATION_TOO_PRECISE);
	ck_assert_int_eq(duration_parse("0.0000001m", 1, &ms), DURATION_TOO_PRECISE);
	ck_assert_int_eq(duration_parse("525601m", 1, &ms), DURATION_TOO_LONG);
	ck_assert_int_eq(duration_parse("99999999999999999999", 1, &ms), DURATION_TOO_LONG);
	ck_assert_int_eq(duration_parse("banana", 1, &ms), DURATION_NOT_ONE);
	ck_assert_int_eq(ms, 7);
	ck_assert_int_eq(duration_parse("525600m", 1, &ms), 0);
	ck_assert_int_eq(duration_parse("1.5000000000s", 1, &ms), 0);
	ck_assert_int_eq(ms, 1500);
	ck_assert_int_eq(duration_parse("0.001", 1, &ms), 0);
	ck_assert_int_eq(ms, 1);
	ck_assert_int_eq(duration_parse("0.0001m", 1, &ms), 0); /* 6 ms */
	ck_assert_int_eq(ms, 6);
	ck_assert_str_eq(duration_problem(DURATION_TOO_LONG), "is longer than a duration may be (365 days)");
	ck_assert_str_eq(duration_problem(DURATION_TOO_PRECISE), "is more precise than a millisecond");
}
END_TEST

START_TEST(off_only_where_allowed)
{
	long long ms;
	ck_assert_int_ne(duration_parse("off", 0, &ms), 0);
}
END_TEST

START_TEST(formats_shortest_exact_form)
{
	static const struct {
		long long ms;
		const char *text;
	} cases[] = { { 9000, "9s" }, { 500, "500ms" }, { 1500, "1.5s" }, { 120000, "2m" }, { 0, "0s" },
		      { DURATION_OFF, "off" }, { 1234, "1234ms" }, { 90000, "90s" } };
	char buf[32];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		duration_format(cases[i].ms, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i].text);
	}
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("duration");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, accepts_spec_forms);
	tcase_add_test(tc, rejects_everything_else);
	tcase_add_test(tc, off_only_where_allowed);
	tcase_add_test(tc, errors_say_why);
	tcase_add_test(tc, formats_shortest_exact_form);
	suite_add_tcase(s, tc);
	return s;
}
