/* /etc/passwd and /etc/group parsing. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "check_main.h"

static struct account_problem why;

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
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "app", 0, &a, &why), 1);
	ck_assert_str_eq(a.name, "app");
	ck_assert_int_eq(a.uid, 1000);
	ck_assert_int_eq(a.gid, 1000);
	ck_assert_str_eq(a.home, "/home/app");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), NULL, 65534, &a, &why), 1);
	ck_assert_str_eq(a.name, "nobody");
	ck_assert_str_eq(a.home, "/nonexistent");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "nohome", 0, &a, &why), 1);
	ck_assert_str_eq(a.home, "");
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), "dup", 0, &a, &why), 1);
	ck_assert_str_eq(a.home, "/first");
}
END_TEST

START_TEST(skips_what_is_not_an_account)
{
	struct account a;
	static const char *missing[] = { "+nisuser", "nisuser", "# a comment", "ap", "appx", "" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		ck_assert_msg(accounts_find_user(passwd, strlen(passwd), missing[i], 0, &a, &why) == 0, "'%s'", missing[i]);
	ck_assert_int_eq(accounts_find_user(passwd, strlen(passwd), NULL, 4242, &a, &why), 0);
	ck_assert_int_eq(accounts_find_user("", 0, "root", 0, &a, &why), 0);
	/* Only len bytes count: a name past it is not seen. */
	ck_assert_int_eq(accounts_find_user(passwd, 10, "app", 0, &a, &why), 0);
}
END_TEST

START_TEST(finds_groups)
{
	gid_t gid = 0;
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "audio", &gid, &why), 1);
	ck_assert_int_eq(gid, 29);
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "nogroup", &gid, &why), 1);
	ck_assert_int_eq(gid, 65534);
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "bad", &gid, &why), -1);
	ck_assert_uint_eq(why.line, 7);
	ck_assert_str_eq(why.reason, "gid is not a number from 0 to 4294967294");
	ck_assert_int_eq(accounts_find_group(group, strlen(group), "aud", &gid, &why), 0);
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

static void assert_unusable(const char *text, const char *name, uid_t uid, size_t line, const char *reason)
{
	struct account a;
	why.line = 0;
	why.reason = NULL;
	ck_assert_int_eq(accounts_find_user(text, strlen(text), name, uid, &a, &why), -1);
	ck_assert_uint_eq(why.line, line);
	ck_assert_str_eq(why.reason, reason);
}

/* The first line that matches decides: an unusable one never lets a later
 * line for the same name (uid 0 here) win. */
START_TEST(first_match_decides_even_when_unusable)
{
	static char long_home[8192];
	char *p = long_home + sprintf(long_home, "appuser:x:4321:4321::/");
	memset(p, 'h', 4095);
	strcpy(p + 4095, ":/bin/sh\nappuser:x:0:0::/r:/bin/sh\n");
	assert_unusable(long_home, "appuser", 0, 1, "home directory longer than 4095 bytes");
	assert_unusable("appuser:x:4294967295:4321::/h:/bin/sh\nappuser:x:0:0::/r:/bin/sh\n", "appuser", 0, 1,
			"uid is not a number from 0 to 4294967294");
	assert_unusable("root:x:0:0::/root:/bin/sh\n# c\n\nappuser:x:1:1:/h\nappuser:x:0:0::/r:/bin/sh\n", "appuser", 0, 4,
			"not 7 ':'-separated fields");
	assert_unusable(passwd, "broken", 0, 4, "uid is not a number from 0 to 4294967294");
	assert_unusable(passwd, "short", 0, 5, "not 7 ':'-separated fields");
	static char long_name[1024];
	p = long_name;
	memset(p, 'n', 256);
	strcpy(p + 256, ":x:4321:4321::/h:/bin/sh\nok:x:4321:0::/r:/bin/sh\n");
	assert_unusable(long_name, NULL, 4321, 1, "user name longer than 255 bytes");
}
END_TEST

/* "root\0x" would be root to every C string: it is nobody's name. */
START_TEST(nul_in_a_name_is_unusable)
{
	static const char text[] = "root\0x:x:4321:4321::/home/app:/bin/sh\n";
	struct account a;
	ck_assert_int_eq(accounts_find_user(text, sizeof(text) - 1, NULL, 4321, &a, &why), -1);
	ck_assert_str_eq(why.reason, "a NUL byte in the user name or home directory");
	ck_assert_int_eq(accounts_find_user(text, sizeof(text) - 1, "root", 0, &a, &why), 0);
}
END_TEST

/* As glibc: the member list is the rest of the line, '\r' included. */
START_TEST(memberships_as_the_c_library_reads_them)
{
	static const char text[] = "crlf:x:10:app\r\nfive:x:11:app:extra\nreal:x:12:x,app\n";
	gid_t groups[8];
	ck_assert_int_eq(accounts_user_groups(text, strlen(text), "app", 1000, groups, 8), 2);
	ck_assert_int_eq(groups[1], 12);
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
	tcase_add_test(tc, first_match_decides_even_when_unusable);
	tcase_add_test(tc, nul_in_a_name_is_unusable);
	tcase_add_test(tc, memberships_as_the_c_library_reads_them);
	suite_add_tcase(s, tc);
	return s;
}
