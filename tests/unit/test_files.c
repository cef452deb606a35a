/* The two file readers (src/base/files.c) on real files: /proc files, whose
 * size reads as 0, regular files of every size, and missing ones. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "files.h"

static char *fixture(size_t size)
{
	static char path[] = "/tmp/gi-files-XXXXXX";
	strcpy(path, "/tmp/gi-files-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	for (size_t i = 0; i < size; i++) {
		char c = (char)('a' + i % 26);
		ck_assert_int_eq(write(fd, &c, 1), 1);
	}
	close(fd);
	return path;
}

START_TEST(read_takes_a_proc_file_whole)
{
	char buf[4096];
	ssize_t n = file_read("/proc/self/stat", buf, sizeof(buf));
	ck_assert_int_gt(n, 10);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d (", (int)getpid());
	ck_assert_int_eq(strncmp(buf, pid, strlen(pid)), 0);
}
END_TEST

START_TEST(read_truncates_to_the_buffer)
{
	char *path = fixture(100);
	char buf[11];
	ck_assert_int_eq(file_read(path, buf, sizeof(buf)), 10);
	ck_assert_str_eq(buf, "abcdefghij");
	char one[1];
	ck_assert_int_eq(file_read(path, one, sizeof(one)), 0);
	ck_assert_str_eq(one, "");
	ck_assert_int_eq(file_read(path, one, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	unlink(path);
}
END_TEST

START_TEST(read_of_a_missing_file_says_enoent)
{
	char buf[16];
	errno = 0;
	ck_assert_int_eq(file_read("/proc/999999999/stat", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(map_takes_any_size)
{
	struct file_text f;
	char *path = fixture(200000); /* past the 64 KiB the resolver once read */
	ck_assert_int_eq(file_map(path, &f), 0);
	ck_assert_uint_eq(f.len, 200000);
	ck_assert_int_eq(f.text[0], 'a');
	ck_assert_int_eq(f.text[199999], 'a' + 199999 % 26);
	file_unmap(&f);
	ck_assert_uint_eq(f.len, 0);
	ck_assert_str_eq(f.text, "");
	unlink(path);
}
END_TEST

START_TEST(map_of_missing_or_empty_file_is_empty)
{
	struct file_text f;
	ck_assert_int_eq(file_map("/nonexistent/group", &f), 0);
	ck_assert_uint_eq(f.len, 0);
	char *path = fixture(0);
	ck_assert_int_eq(file_map(path, &f), 0);
	ck_assert_uint_eq(f.len, 0);
	file_unmap(&f);
	unlink(path);
}
END_TEST

START_TEST(map_of_unreadable_file_fails_empty)
{
	struct file_text f;
	errno = 0;
	ck_assert_int_eq(file_map("/proc/self/mem/x", &f), -1); /* ENOTDIR */
	ck_assert_int_ne(errno, 0);
	ck_assert_uint_eq(f.len, 0);
	ck_assert_str_eq(f.text, "");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_add_test(tc, read_takes_a_proc_file_whole);
	tcase_add_test(tc, read_truncates_to_the_buffer);
	tcase_add_test(tc, read_of_a_missing_file_says_enoent);
	tcase_add_test(tc, map_takes_any_size);
	tcase_add_test(tc, map_of_missing_or_empty_file_is_empty);
	tcase_add_test(tc, map_of_unreadable_file_fails_empty);
	suite_add_tcase(s, tc);
	return s;
}
