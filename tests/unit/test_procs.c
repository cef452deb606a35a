#include <check.h>
#include <string.h>

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
	struct proc_info items[] = { { 17, 17, "worker" }, { 23, 23, "python3" } };
	struct proc_list list = { items, 2, 2 };
	char buf[64];
	procs_describe(&list, buf, sizeof(buf));
	ck_assert_str_eq(buf, "17 (worker), 23 (python3)");
	char small[24];
	procs_describe(&list, small, sizeof(small));
	ck_assert_str_eq(small, "17 (worker), ...");
	struct proc_list empty = { items, 0, 2 };
	procs_describe(&empty, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("procs");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, parses_stat_with_awkward_comm);
	tcase_add_test(tc, rejects_malformed_stat);
	tcase_add_test(tc, describes_and_truncates);
	suite_add_tcase(s, tc);
	return s;
}
