#include <check.h>
#include <linux/capability.h>
#include <string.h>

#include "caplist.h"
#include "check_main.h"

static cap_mask set;
static char err[256];

static int parse(const char *list)
{
	err[0] = '\0';
	return cap_list_parse(&set, list, err, sizeof(err));
}

START_TEST(spellings)
{
	static const char *const names[] = { "NET_BIND_SERVICE", "net_bind_service", "CAP_NET_BIND_SERVICE",
					     "cap_net_bind_service", "Cap_Net_Bind_Service" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		set = 0;
		ck_assert_int_eq(parse(names[i]), 0);
		ck_assert_uint_eq(set, CAP_MASK_BIT(CAP_NET_BIND_SERVICE));
	}
}
END_TEST

START_TEST(lists_and_repeats_accumulate)
{
	set = 0;
	ck_assert_int_eq(parse("chown,NET_RAW,cap_kill"), 0);
	ck_assert_uint_eq(set, CAP_MASK_BIT(CAP_CHOWN) | CAP_MASK_BIT(CAP_NET_RAW) | CAP_MASK_BIT(CAP_KILL));
	ck_assert_int_eq(parse("kill,SYS_ADMIN"), 0);
	ck_assert_uint_eq(set, CAP_MASK_BIT(CAP_CHOWN) | CAP_MASK_BIT(CAP_NET_RAW) | CAP_MASK_BIT(CAP_KILL) |
				       CAP_MASK_BIT(CAP_SYS_ADMIN));
}
END_TEST

START_TEST(highest_numbers)
{
	set = 0;
	ck_assert_int_eq(parse("AUDIT_READ,cap_block_suspend"), 0);
	ck_assert_uint_eq(set, CAP_MASK_BIT(CAP_AUDIT_READ) | CAP_MASK_BIT(CAP_BLOCK_SUSPEND));
}
END_TEST

START_TEST(unknown_names_are_named)
{
	set = 0;
	ck_assert_int_eq(parse("NET_BIND_SERVICE,SYS_BOGUS"), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown capability 'SYS_BOGUS'"));
	ck_assert_int_eq(parse("cap_"), -1);
	ck_assert_ptr_nonnull(strstr(err, "'cap_'"));
	ck_assert_int_eq(parse("CAP_CAP_CHOWN"), -1);
	ck_assert_int_eq(parse("10"), -1);
	ck_assert_int_eq(parse("NET_BIND_SERVICE "), -1);
	char long_name[200];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_int_eq(parse(long_name), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown capability"));
}
END_TEST

START_TEST(empty_entries_are_errors)
{
	static const char *const lists[] = { "", ",", "chown,", ",chown", "chown,,kill" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		ck_assert_int_eq(parse(lists[i]), -1);
		ck_assert_ptr_nonnull(strstr(err, "empty capability name"));
	}
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("caplist");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, spellings);
	tcase_add_test(tc, lists_and_repeats_accumulate);
	tcase_add_test(tc, highest_numbers);
	tcase_add_test(tc, unknown_names_are_named);
	tcase_add_test(tc, empty_entries_are_errors);
	suite_add_tcase(s, tc);
	return s;
}
