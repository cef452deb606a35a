/* PATH's directories in execvp's order (pathsearch.c). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "pathsearch.h"

static int next(struct path_walk *w, const char *file, char *buf, size_t size)
{
	memset(buf, '#', size);
	return path_walk_next(w, file, buf, size);
}

START_TEST(each_directory_in_order)
{
	struct path_walk w;
	char buf[64];

	path_walk_init(&w, "/usr/bin:/bin");
	ck_assert_int_eq(next(&w, "sh", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/usr/bin/sh");
	ck_assert_int_eq(next(&w, "sh", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/bin/sh");
	ck_assert_int_eq(next(&w, "sh", buf, sizeof(buf)), 0);
	ck_assert_int_eq(next(&w, "sh", buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(unset_path_is_musls_default)
{
	struct path_walk w;
	char buf[64];

	path_walk_init(&w, NULL);
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/usr/local/bin/app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/bin/app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/usr/bin/app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(empty_entries_mean_the_current_directory)
{
	struct path_walk w;
	char buf[64];

	path_walk_init(&w, ":/bin:");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/bin/app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 0);

	path_walk_init(&w, "");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "app");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(a_directory_too_long_is_passed_over)
{
	struct path_walk w;
	char buf[12];

	path_walk_init(&w, "/a/very/long/dir:/bin");
	ck_assert_int_eq(next(&w, "app", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/bin/app");
	/* Exactly full: "/bin/abcdef" and its NUL are 12 bytes. */
	path_walk_init(&w, "/bin");
	ck_assert_int_eq(next(&w, "abcdef", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/bin/abcdef");
	path_walk_init(&w, "/bin");
	ck_assert_int_eq(next(&w, "abcdefg", buf, sizeof(buf)), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("pathsearch");
	TCase *tc = tcase_create("pathsearch");
	tcase_add_test(tc, each_directory_in_order);
	tcase_add_test(tc, unset_path_is_musls_default);
	tcase_add_test(tc, empty_entries_mean_the_current_directory);
	tcase_add_test(tc, a_directory_too_long_is_passed_over);
	suite_add_tcase(s, tc);
	return s;
}
