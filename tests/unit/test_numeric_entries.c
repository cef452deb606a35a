/* The getdents64 walk (src/base/numeric_entries.c) over real directories:
 * enough entries to take several reads of the kernel's records, names that
 * are and are not numbers, an early stop, and a directory that is not there. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "numeric_entries.h"

#define MANY 700 /* ~24 bytes a record: several 4 KiB getdents64 reads */

static char dir[] = "/tmp/gi-entries-XXXXXX";

static void touch(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void make_tree(void)
{
	char name[32];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int i = 1; i <= MANY; i++) {
		snprintf(name, sizeof(name), "%d", i * 3);
		touch(name);
	}
	static const char *const others[] = { "self", "12a", "a12", "-5", "+5", " 7", "99999999999", "" };
	for (size_t i = 0; i + 1 < sizeof(others) / sizeof(others[0]); i++)
		touch(others[i]);
	snprintf(name, sizeof(name), "%s/4000", dir);
	ck_assert_int_eq(mkdir(name, 0700), 0); /* a directory counts like any entry */
}

static void remove_tree(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

struct seen {
	unsigned char hit[4001];
	int count, stop_after;
	long bad;
};

static int record(long number, void *ctx)
{
	struct seen *s = ctx;
	if (number < 0 || number > 4000 || s->hit[number])
		s->bad = number;
	else
		s->hit[number] = 1;
	s->count++;
	return s->stop_after > 0 && s->count == s->stop_after;
}

START_TEST(finds_every_number_and_only_numbers)
{
	static struct seen s;
	int fd = -1;
	make_tree();
	ck_assert_int_eq(numeric_entries_each(dir, record, &s, &fd), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* closed after the walk */
	ck_assert_int_eq(s.bad, 0);
	ck_assert_int_eq(s.count, MANY + 1);
	for (int i = 1; i <= MANY; i++)
		ck_assert_msg(s.hit[i * 3], "%d not seen", i * 3);
	ck_assert(s.hit[4000]);
	remove_tree();
}
END_TEST

START_TEST(stops_when_told)
{
	static struct seen s;
	s.stop_after = 5;
	make_tree();
	ck_assert_int_eq(numeric_entries_each(dir, record, &s, NULL), 0);
	ck_assert_int_eq(s.count, 5);
	remove_tree();
}
END_TEST

START_TEST(missing_directory_is_an_error)
{
	static struct seen s;
	errno = 0;
	ck_assert_int_eq(numeric_entries_each("/nonexistent/dir", record, &s, NULL), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(numeric_entries_each("/etc/passwd", record, &s, NULL), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(s.count, 0);
}
END_TEST

/* The walk the kernel serves gracefulinit: its own pid is among /proc's. */
START_TEST(walks_proc)
{
	static struct seen s;
	pid_t self = getpid();
	s.stop_after = 0;
	ck_assert_int_eq(numeric_entries_each("/proc", record, &s, NULL), 0);
	ck_assert_int_gt(s.count, 0);
	if (self <= 4000)
		ck_assert(s.hit[self]);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("numeric_entries");
	TCase *tc = tcase_create("walk");
	tcase_add_test(tc, finds_every_number_and_only_numbers);
	tcase_add_test(tc, stops_when_told);
	tcase_add_test(tc, missing_directory_is_an_error);
	tcase_add_test(tc, walks_proc);
	suite_add_tcase(s, tc);
	return s;
}
