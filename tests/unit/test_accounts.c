/* /etc/passwd and /etc/group parsing. */
#include <check.h>
#include <string.h>

#include "accounts.h"
#include "check_main.h"

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
			     "# a comment\n"
			     "+nisuser::::::\n"
			     "broken:x:notanumber:1:::\n"
			     "short:x:5:5\n"
			     "app:x:1000:1000:App User,,,:/home/app:/bin/sh\r\n"
			     "nohome:x:1001:1001:::\n"
			     "dup:x:2000:2000::/first:\n"
			     "dup:x:2001:2001::/second:\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

static const char group[] = "root:x:0:\n"
			    "app:x:1000:\n"
			    "audio:x:29:pulse,app\n"
			    "video:x:44:application,appx\n"
			    "staff:x:50:app\n"
			    "again:x:1000:app\n"
			    "bad:x:-1:app\n"
			    "nogroup:x:65534:";

START_TEST(finds_users_by_name_and_uid)
{
	struct account a;
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "app", 0, &a), 1);
	ck_assert_str_eq(a.name, "app");
	ck_assert_int_eq(a.uid, 1000);
	ck_assert_int_eq(a.gid, 1000);
	ck_assert_str_eq(a.home, "/home/app");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), NULL, 65534, &a), 1);
	ck_assert_str_eq(a.name, "nobody");
	ck_assert_str_eq(a.home, "/nonexistent");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "nohome", 0, &a), 1);
	ck_assert_str_eq(a.home, "");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "dup", 0, &a), 1);
	ck_assert_str_eq(a.home, "/first");
}
END_TEST

START_TEST(skips_what_is_not_an_account)
{
	struct account a;
	static const char *missing[] = { "broken", "short", "+nisuser", "nisuser", "# a comment", "ap", "appx", "" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		ck_assert_msg(accounts_find_user(passwd, strlen(passwd), missing[i], 0, &a) == 0, "'%s'", missing[i]);
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), NULL, 4242, &a), 0);
	ck_assert_int_eq(accounts_find_user("", 0, "root", 0, &a), 0);
	/* Only len bytes count: a name past it is not seen. */
	ck_assert_int_eq(accounts_find_user(passwd, 10, "app", 0, &a), 0);
}
END_TEST

START_TEST(finds_groups)
{
	gid_t gid = 0;
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "audio", &gid), 1);
	ck_assert_int_eq(gid, 29);
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "nogroup", &gid), 1);
	ck_assert_int_eq(gid, 65534);
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "bad", &gid), 0);
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "aud", &gid), 0);
}
END_TEST

START_TEST(lists_memberships_primary_first_once_each)
{
	gid_t groups[8];
	int n = accounts_user_groups(group, strlen(group), "app", 1000, groups, 8);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(groups[0], 1000);
	ck_assert_int_eq(groups[1], 29);
	ck_assert_int_eq(groups[2], 50);
	/* Too small: the count still says how many there are. */
	ck_assert_int_eq(accounts_user_groups(group, strlen(group), "app", 1000, groups, 2), 3);
	ck_assert_int_eq(accounts_user_groups(group, strlen(group), "nobody", 65534, groups, 8), 1);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("accounts");
	TCase *tc = tcase_create("accounts");
	tcase_add_test(tc, finds_users_by_name_and_uid);
	tcase_add_test(tc, skips_what_is_not_an_account);
	tcase_add_test(tc, finds_groups);
	tcase_add_test(tc, lists_memberships_primary_first_once_each);
	suite_add_tcase(s, tc);
	return s;
}
