#include <check.h>
#include <string.h>

#include "check_main.h"
#include "identity.h"

static struct user_spec spec;
static char err[256];

static int parse(const char *text)
{
	err[0] = '\0';
	return user_spec_parse(&spec, text, err, sizeof(err));
}

START_TEST(name_alone)
{
	ck_assert_int_eq(parse("appuser"), 0);
	ck_assert_str_eq(spec.user, "appuser");
	ck_assert_int_eq(spec.user_is_id, 0);
	ck_assert_str_eq(spec.group, "");
	ck_assert_int_eq(spec.group_is_id, 0);
}
END_TEST

START_TEST(numbers)
{
	ck_assert_int_eq(parse("1000"), 0);
	ck_assert_int_eq(spec.user_is_id, 1);
	ck_assert_uint_eq(spec.user_id, 1000);
	ck_assert_int_eq(parse("0:0"), 0);
	ck_assert_int_eq(spec.user_is_id, 1);
	ck_assert_uint_eq(spec.user_id, 0);
	ck_assert_int_eq(spec.group_is_id, 1);
	ck_assert_uint_eq(spec.group_id, 0);
	ck_assert_int_eq(parse("4294967294:4294967294"), 0);
	ck_assert_uint_eq(spec.user_id, 4294967294U);
	ck_assert_uint_eq(spec.group_id, 4294967294U);
}
END_TEST

START_TEST(names_and_numbers_mixed)
{
	ck_assert_int_eq(parse("app:999"), 0);
	ck_assert_str_eq(spec.user, "app");
	ck_assert_int_eq(spec.user_is_id, 0);
	ck_assert_int_eq(spec.group_is_id, 1);
	ck_assert_uint_eq(spec.group_id, 999);
	ck_assert_int_eq(parse("1000:staff"), 0);
	ck_assert_int_eq(spec.user_is_id, 1);
	ck_assert_str_eq(spec.group, "staff");
	ck_assert_int_eq(spec.group_is_id, 0);
	/* Not all digits: a name, as useradd allows "1abc". */
	ck_assert_int_eq(parse("1abc:-5"), 0);
	ck_assert_int_eq(spec.user_is_id, 0);
	ck_assert_int_eq(spec.group_is_id, 0);
	ck_assert_str_eq(spec.group, "-5");
}
END_TEST

START_TEST(reserved_and_huge_ids_are_errors)
{
	ck_assert_int_eq(parse("4294967295"), -1);
	ck_assert_ptr_nonnull(strstr(err, "out of range"));
	ck_assert_int_eq(parse("app:4294967295"), -1);
	ck_assert_ptr_nonnull(strstr(err, "group id '4294967295'"));
	ck_assert_int_eq(parse("99999999999999999999999"), -1);
}
END_TEST

START_TEST(malformed)
{
	ck_assert_int_eq(parse(""), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty user"));
	ck_assert_int_eq(parse(":grp"), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty user"));
	ck_assert_int_eq(parse("app:"), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty group"));
	ck_assert_int_eq(parse("a:b:c"), -1);
	ck_assert_ptr_nonnull(strstr(err, "'a:b:c'"));
}
END_TEST

START_TEST(long_names)
{
	char name[USER_SPEC_NAME_MAX + 1];

	memset(name, 'a', sizeof(name) - 1);
	name[USER_SPEC_NAME_MAX - 1] = '\0';
	ck_assert_int_eq(parse(name), 0); /* 255 bytes: the longest */
	ck_assert_uint_eq(strlen(spec.user), USER_SPEC_NAME_MAX - 1);
	name[USER_SPEC_NAME_MAX - 1] = 'a';
	name[USER_SPEC_NAME_MAX] = '\0';
	ck_assert_int_eq(parse(name), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, name_alone);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, names_and_numbers_mixed);
	tcase_add_test(tc, reserved_and_huge_ids_are_errors);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, long_names);
	suite_add_tcase(s, tc);
	return s;
}
