/* environ_put (src/base/environ.c), which sets HOME for --user: replaced where
 * the name is, appended where it is not, never confused with a longer name. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "environ.h"

START_TEST(replaces_every_entry_of_the_name)
{
	char *env[] = { "PATH=/bin", "HOME=/root", "HOMEDIR=/x", "HOME=/again", NULL };
	char **e = env;
	char entry[] = "HOME=/home/app";
	ck_assert_int_eq(environ_put(&e, entry), 0);
	ck_assert_ptr_eq(e, env); /* in place */
	ck_assert_str_eq(e[0], "PATH=/bin");
	ck_assert_ptr_eq(e[1], entry);
	ck_assert_str_eq(e[2], "HOMEDIR=/x");
	ck_assert_ptr_eq(e[3], entry);
	ck_assert_ptr_null(e[4]);
}
END_TEST

START_TEST(appends_when_absent)
{
	char *env[] = { "PATH=/bin", "HOMEDIR=/x", "HOM=/y", NULL };
	char **e = env;
	char entry[] = "HOME=/";
	ck_assert_int_eq(environ_put(&e, entry), 0);
	ck_assert_ptr_ne(e, env);
	ck_assert_str_eq(e[0], "PATH=/bin");
	ck_assert_str_eq(e[1], "HOMEDIR=/x");
	ck_assert_str_eq(e[2], "HOM=/y");
	ck_assert_ptr_eq(e[3], entry);
	ck_assert_ptr_null(e[4]);
	ck_assert_str_eq(env[0], "PATH=/bin"); /* the original is left as it was */
	ck_assert_ptr_null(env[3]);
}
END_TEST

START_TEST(appends_to_an_empty_environment)
{
	char *env[] = { NULL };
	char **e = env;
	char home[] = "HOME=/", user[] = "USER=app";
	ck_assert_int_eq(environ_put(&e, home), 0);
	ck_assert_int_eq(environ_put(&e, user), 0);
	ck_assert_ptr_eq(e[0], home);
	ck_assert_ptr_eq(e[1], user);
	ck_assert_ptr_null(e[2]);
}
END_TEST

START_TEST(refuses_an_entry_without_a_name)
{
	char *env[] = { "HOME=/root", NULL };
	char **e = env;
	char bad[] = "HOME";
	errno = 0;
	ck_assert_int_eq(environ_put(&e, bad), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(e[0], "HOME=/root");
}
END_TEST

START_TEST(drop_and_remove)
{
	char a[] = "A=1", b[] = "B_FILE=/f", c[] = "A=1";
	char *env[] = { a, b, c, NULL };
	environ_drop(env, c); /* that pointer only, not the same text elsewhere */
	ck_assert_ptr_eq(env[0], a);
	ck_assert_ptr_eq(env[1], b);
	ck_assert_ptr_null(env[2]);
	environ_remove(env, "B_FILE");
	ck_assert_ptr_eq(env[0], a);
	ck_assert_ptr_null(env[1]);
	environ_remove(env, "A=ignored");
	ck_assert_ptr_null(env[0]);
}
END_TEST

START_TEST(get_finds_the_exact_name)
{
	char *env[] = { "HOMEDIR=/x", "HOME=/root", "EMPTY=", NULL };
	ck_assert_str_eq(environ_get(env, "HOME"), "/root");
	ck_assert_str_eq(environ_get(env, "EMPTY"), "");
	ck_assert_ptr_null(environ_get(env, "HOM"));
	ck_assert_ptr_null(environ_get(NULL, "HOME"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("environ");
	TCase *tc = tcase_create("put");
	tcase_add_test(tc, replaces_every_entry_of_the_name);
	tcase_add_test(tc, appends_when_absent);
	tcase_add_test(tc, appends_to_an_empty_environment);
	tcase_add_test(tc, refuses_an_entry_without_a_name);
	tcase_add_test(tc, drop_and_remove);
	tcase_add_test(tc, get_finds_the_exact_name);
	suite_add_tcase(s, tc);
	return s;
}
