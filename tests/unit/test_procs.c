#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "procs.h"

START_TEST(parses_stat_with_awkward_comm)
{
	struct proc_info info;
	pid_t ppid;
	char state;
	ck_assert_int_eq(procs_parse_stat("17 (worker) S 1 17 17 0 -1 4194560 ...", &info, &ppid, &state), 0);
	ck_assert_int_eq(info.pid, 17);
	ck_assert_int_eq(ppid, 1);
	ck_assert_int_eq(info.pgid, 17);
	ck_assert_int_eq(state, 'S');
	ck_assert_str_eq(info.comm, "worker");
	ck_assert_int_eq(procs_parse_stat("23 (my (odd) app) Z 9 5 5 0", &info, &ppid, &state), 0);
	ck_assert_str_eq(info.comm, "my (odd) app");
	ck_assert_int_eq(state, 'Z');
	ck_assert_int_eq(ppid, 9);
	ck_assert_int_eq(info.pgid, 5);
	ck_assert_int_eq(procs_parse_stat("5 (a very long command name) R 1 5 5", &info, &ppid, &state), 0);
	ck_assert_uint_eq(strlen(info.comm), sizeof(info.comm) - 1);
}
END_TEST

START_TEST(rejects_malformed_stat)
{
	static const char *bad[] = { "", "17", "17 (x", "17 x) S 1 1", "(x) S 1 1", "17 (x) S", "17 (x) S a 1",
				     "17 (x)S 1 1", "x7 (x) S 1 1" };
	struct proc_info info;
	pid_t ppid;
	char state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(procs_parse_stat(bad[i], &info, &ppid, &state) != 0, "'%s' should be rejected", bad[i]);
}
END_TEST

START_TEST(describes_and_truncates)
{
	struct proc_info items[] = { { 17, 17, 17, "worker" }, { 23, 23, 23, "python3" } };
	struct proc_list list = { items, 2, 0 };
	char buf[64];
	procs_describe(&list, buf, sizeof(buf));
	ck_assert_str_eq(buf, "17 (worker), 23 (python3)");
	char small[24];
	procs_describe(&list, small, sizeof(small));
	ck_assert_str_eq(small, "17 (worker), ...");
	struct proc_list empty = { items, 0, 0 };
	procs_describe(&empty, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(reads_namespace_pids_from_status)
{
	pid_t pids[PROCS_MAX_LEVELS];
	static const char status[] = "Name:\tsleep\nGroups:\t0 10 \nNStgid:\t4242\t7\nNSpid:\t4242\t7\n"
				     "NSpgid:\t4200\t5\nNSsid:\t1\t0\n";
	ck_assert_int_eq(procs_ns_pids(status, "NSpid", pids), 2);
	ck_assert_int_eq(pids[0], 4242);
	ck_assert_int_eq(pids[1], 7);
	ck_assert_int_eq(procs_ns_pids(status, "NSpgid", pids), 2);
	ck_assert_int_eq(pids[1], 5);
	ck_assert_int_eq(procs_ns_pids("NSpid:\t12\n", "NSpid", pids), 1);
	ck_assert_int_eq(pids[0], 12);
	/* No such line, a prefix of another key, junk: nothing to go by. */
	ck_assert_int_eq(procs_ns_pids("Name:\tx\n", "NSpid", pids), 0);
	ck_assert_int_eq(procs_ns_pids("NSpidx:\t1\n", "NSpid", pids), 0);
	ck_assert_int_eq(procs_ns_pids("NSpid:\t1\tx\n", "NSpid", pids), 0);
	ck_assert_int_eq(procs_ns_pids("NSpid:\n", "NSpid", pids), 0);
}
END_TEST

START_TEST(reads_signal_masks_from_status)
{
	sigmask_bits bits = 1;
	static const char status[] = "Name:\tnginx\nSigQ:\t0/7823\nSigPnd:\t0000000000000000\n"
				     "SigBlk:\t0000000000000000\nSigIgn:\t0000000000001000\nSigCgt:\t0000000188014a07\n";
	ck_assert_int_eq(procs_parse_sigmask(status, "SigIgn", &bits), 0);
	ck_assert(bits == SIGMASK_BIT(13)); /* SIGPIPE */
	ck_assert_int_eq(procs_parse_sigmask(status, "SigCgt", &bits), 0);
	ck_assert(bits & SIGMASK_BIT(3)); /* nginx catches QUIT */
	ck_assert(bits & SIGMASK_BIT(33));
	ck_assert_int_eq(procs_parse_sigmask(status, "SigBlk", &bits), 0);
	ck_assert(bits == 0);
	ck_assert_int_eq(procs_parse_sigmask(status, "ShdPnd", &bits), -1);
	ck_assert_int_eq(procs_parse_sigmask("SigCgt:\t00000000000000zz\n", "SigCgt", &bits), -1);
	ck_assert_int_eq(procs_parse_sigmask("SigCgt:\t10000000000000000\n", "SigCgt", &bits), -1);
	ck_assert_int_eq(procs_parse_sigmask("SigCgt:\n", "SigCgt", &bits), -1);
}
END_TEST

/* ---- The walk over fixture trees laid out as /proc. ---- */

static char root[] = "/tmp/gi-proc-XXXXXX";

static void add_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", root, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void add_process(int pid, const char *comm, char state, int ppid, int pgid)
{
	char path[256], text[256];
	snprintf(path, sizeof(path), "%s/%d", root, pid);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%d/stat", pid);
	snprintf(text, sizeof(text), "%d (%s) %c %d %d %d 0 -1 4194560 100 0 0 0\n", pid, comm, state, ppid, pgid, pgid);
	add_file(path, text);
}

/* gracefulinit is 10 (a subreaper under the host's 1). Its tree: the command
 * 11 (group 11) with 12 and a zombie 14, 12's child 13, a daemon 30 that left
 * with setsid under 13, and 50 reparented to it. Not its own: 20 and 21, and
 * 40 and 41, whose parents point at each other (pids reused between reads). */
static void make_tree(void)
{
	char path[256];
	ck_assert_ptr_nonnull(mkdtemp(root));
	add_process(1, "init", 'S', 0, 1);
	add_process(10, "gracefulinit", 'S', 1, 10);
	add_process(11, "sh", 'S', 10, 11);
	add_process(12, "my (odd) app", 'R', 11, 11);
	add_process(13, "worker", 'S', 12, 11);
	add_process(14, "exited", 'Z', 11, 11);
	add_process(30, "daemon", 'S', 13, 30);
	add_process(50, "orphan", 'T', 10, 11);
	add_process(20, "other", 'S', 1, 20);
	add_process(21, "other child", 'S', 20, 20);
	add_process(40, "loop a", 'S', 41, 40);
	add_process(41, "loop b", 'S', 40, 40);
	add_file("self", "");
	add_file("uptime", "1.00 2.00\n");
	snprintf(path, sizeof(path), "%s/60", root); /* gone between listing and reading */
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/61", root);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	add_file("61/stat", "61 (broken");
}

static void remove_tree(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

static void assert_pids(const struct proc_list *list, const int *pids, size_t count)
{
	char got[256] = "";
	for (size_t i = 0; i < list->count; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " %d", (int)list->items[i].pid);
	ck_assert_msg(list->count == count, "got%s", got);
	for (size_t i = 0; i < count; i++)
		ck_assert_msg(list->items[i].pid == pids[i], "got%s", got);
}

START_TEST(subreaper_sees_its_descendants)
{
	static const int want[] = { 11, 12, 13, 30, 50 };
	struct proc_list list;
	make_tree();
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 10, .level = 0, .whole_namespace = 0 }, &list), 0);
	assert_pids(&list, want, 5);
	ck_assert_str_eq(list.items[1].comm, "my (odd) app");
	ck_assert_int_eq(list.items[2].pgid, 11);
	ck_assert_int_eq(list.items[3].pgid, 30);
	procs_free(&list);
	ck_assert_ptr_null(list.items);
	remove_tree();
}
END_TEST

START_TEST(pid_1_sees_every_live_process)
{
	static const int want[] = { 1, 11, 12, 13, 20, 21, 30, 40, 41, 50 };
	struct proc_list list;
	make_tree();
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 10, .level = 0, .whole_namespace = 1 }, &list), 0);
	assert_pids(&list, want, 10);
	procs_free(&list);
	remove_tree();
}
END_TEST

/* A process whose stat cannot be read for a reason other than its going
 * (here EISDIR; in life EMFILE or EACCES) makes the listing fail: reading
 * it as gone would leave it running unseen. One gone since the directory
 * was listed (no stat) is simply left out. */
START_TEST(unreadable_stat_fails_the_listing_but_a_gone_one_does_not)
{
	struct proc_list list;
	char path[256];
	make_tree();
	snprintf(path, sizeof(path), "%s/70", root);
	ck_assert_int_eq(mkdir(path, 0700), 0); /* gone: its stat is missing */
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 10, .level = 0, .whole_namespace = 1 }, &list), 0);
	procs_free(&list);
	snprintf(path, sizeof(path), "%s/70/stat", root);
	ck_assert_int_eq(mkdir(path, 0700), 0); /* there, and unreadable */
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 10, .level = 0, .whole_namespace = 1 }, &list), -1);
	ck_assert_ptr_null(list.items);
	remove_tree();
}
END_TEST

/* More processes than the first table holds (256): it grows, and a chain
 * 1000 deep is followed to its end. */
START_TEST(long_chain_beyond_the_first_table)
{
	struct proc_list list;
	char comm[16];
	ck_assert_ptr_nonnull(mkdtemp(root));
	add_process(2, "gracefulinit", 'S', 1, 2);
	for (int pid = 1003; pid >= 3; pid--) {
		snprintf(comm, sizeof(comm), "p%d", pid);
		add_process(pid, comm, 'S', pid - 1, 3);
	}
	add_process(5000, "stranger", 'S', 4999, 5000);
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 2, .level = 0, .whole_namespace = 0 }, &list), 0);
	ck_assert_uint_eq(list.count, 1001);
	for (size_t i = 0; i < list.count; i++)
		ck_assert_int_eq(list.items[i].pid, (pid_t)(i + 3));
	procs_free(&list);
	remove_tree();
}
END_TEST

static void add_status(int pid, const char *ns_lines)
{
	char name[64];
	snprintf(name, sizeof(name), "%d/status", pid);
	add_file(name, ns_lines);
}

/* The host's /proc seen from a namespace one level down (not remounted):
 * gracefulinit is 10 there and 3 inside; its child 11 is 4, in group 4, and
 * 12 left gracefulinit's namespace for a deeper one, where it is 1. 13 has
 * no NS lines (gone between the two reads): it is left out, never guessed. */
START_TEST(outer_proc_is_renumbered_through_nspid)
{
	static const int want[] = { 4, 9 };
	struct proc_list list;
	make_tree();
	add_status(11, "Name:\tsh\nNSpid:\t11\t4\nNSpgid:\t11\t4\n");
	add_status(12, "NSpid:\t12\t9\t1\nNSpgid:\t11\t4\t0\n");
	add_status(30, "NSpid:\t30\nNSpgid:\t30\n");
	add_status(50, "NSpid:\t50\t6\n");
	ck_assert_int_eq(procs_read(root, &(struct proc_scope){ .self = 10, .level = 1, .whole_namespace = 0 }, &list), 0);
	assert_pids(&list, want, 2);
	ck_assert_int_eq(list.items[0].pgid, 4);
	ck_assert_int_eq(list.items[1].pgid, 4);
	ck_assert_str_eq(list.items[1].comm, "my (odd) app");
	procs_free(&list);
	remove_tree();
}
END_TEST

START_TEST(missing_root_is_an_error)
{
	struct proc_list list;
	ck_assert_int_eq(procs_read("/nonexistent/proc", &(struct proc_scope){ .self = 10, .level = 0, .whole_namespace = 0 }, &list), -1);
	ck_assert_uint_eq(list.count, 0);
	ck_assert_ptr_null(list.items);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("procs");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, parses_stat_with_awkward_comm);
	tcase_add_test(tc, rejects_malformed_stat);
	tcase_add_test(tc, describes_and_truncates);
	tcase_add_test(tc, reads_namespace_pids_from_status);
	tcase_add_test(tc, reads_signal_masks_from_status);
	suite_add_tcase(s, tc);
	TCase *walk = tcase_create("walk");
	tcase_add_test(walk, subreaper_sees_its_descendants);
	tcase_add_test(walk, pid_1_sees_every_live_process);
	tcase_add_test(walk, outer_proc_is_renumbered_through_nspid);
	tcase_add_test(walk, long_chain_beyond_the_first_table);
	tcase_add_test(walk, missing_root_is_an_error);
	tcase_add_test(walk, unreadable_stat_fails_the_listing_but_a_gone_one_does_not);
	suite_add_tcase(s, walk);
	return s;
}
