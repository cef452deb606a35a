/* The memory cgroup's files as text: where the cgroup is, its OOM count,
 * its limit in words. */
#include <check.h>

#include "check_main.h"
#include "oom.h"

START_TEST(finds_the_memory_cgroup_path)
{
	char path[64];
	static const char v1[] = "12:pids:/docker/abc\n9:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n";
	static const char joined[] = "3:cpuset,memory:/kubepods/pod1\n";
	static const char v2[] = "0::/system.slice/app.service\n";

	ck_assert_int_eq(oom_cgroup_path(v1, 0, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/docker/abc");
	ck_assert_int_eq(oom_cgroup_path(v1, 1, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/");
	ck_assert_int_eq(oom_cgroup_path(joined, 0, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/kubepods/pod1");
	ck_assert_int_eq(oom_cgroup_path(v2, 1, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/system.slice/app.service");
	ck_assert_int_eq(oom_cgroup_path(v2, 0, path, sizeof(path)), -1);
	ck_assert_int_eq(oom_cgroup_path("5:memoryx:/a\n6:xmemory:/b\n", 0, path, sizeof(path)), -1);
	ck_assert_int_eq(oom_cgroup_path("", 1, path, sizeof(path)), -1);
	ck_assert_int_eq(oom_cgroup_path("4:memory:/a-path-longer-than-the-buffer", 0, path, 8), -1);
}
END_TEST

START_TEST(reads_the_oom_kill_count)
{
	long long n = -1;

	ck_assert_int_eq(oom_parse_count("low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n", "oom_kill", &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(oom_parse_count("oom_kill_disable 0\nunder_oom 0\noom_kill 7\n", "oom_kill", &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(oom_parse_count("oom_kill_disable 0\n", "oom_kill", &n), -1);
	ck_assert_int_eq(oom_parse_count("oom_kill x\n", "oom_kill", &n), -1);
}
END_TEST

START_TEST(says_the_limit_in_words)
{
	char buf[48];

	oom_format_limit(64LL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "memory limit 64 MiB");
	oom_format_limit(2LL << 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "memory limit 2 GiB");
	oom_format_limit(1000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "memory limit 1000 bytes");
	oom_format_limit(-1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "no memory limit");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("oom");
	tcase_add_test(tc, finds_the_memory_cgroup_path);
	tcase_add_test(tc, reads_the_oom_kill_count);
	tcase_add_test(tc, says_the_limit_in_words);
	suite_add_tcase(s, tc);
	return s;
}
