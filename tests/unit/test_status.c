#include <check.h>
#include <string.h>
#include <sys/wait.h>

#include "check_main.h"
#include "pairs.h"
#include "status.h"

START_TEST(wait_status_in_docker_conventions)
{
	ck_assert_int_eq(status_from_wait(0), 0);
	ck_assert_int_eq(status_from_wait(3 << 8), 3);
	ck_assert_int_eq(status_from_wait(255 << 8), 255);
	ck_assert_int_eq(status_from_wait(SIGTERM), 143);
	ck_assert_int_eq(status_from_wait(SIGKILL), 137);
	ck_assert_int_eq(status_from_wait(SIGSEGV | 0x80), 139); /* with core dump */
}
END_TEST

START_TEST(exit_map_maps_and_passes_the_rest)
{
	struct exit_map map;
	char err[128];
	exit_map_init(&map);
	ck_assert_int_eq(exit_map_parse(&map, "143:0,1:7", err, sizeof(err)), 0);
	ck_assert_int_eq(exit_map_apply(&map, 143), 0);
	ck_assert_int_eq(exit_map_apply(&map, 1), 7);
	ck_assert_int_eq(exit_map_apply(&map, 2), 2);
	ck_assert_int_eq(exit_map_apply(&map, 255), 255);
	ck_assert_int_eq(exit_map_parse(&map, "2:255", err, sizeof(err)), 0);
	ck_assert_int_eq(exit_map_apply(&map, 2), 255);
	ck_assert_int_eq(exit_map_apply(&map, 143), 0);
}
END_TEST

START_TEST(exit_map_rejects_bad_pairs)
{
	static const char *bad[] = { "", "143", "143:", ":0", "256:0", "0:256", "-1:0", "a:b", "1:2:3", "1:2,",
				     "1:2,,3:4", " 1:2" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct exit_map map;
		char err[128] = "";
		exit_map_init(&map);
		ck_assert_msg(exit_map_parse(&map, bad[i], err, sizeof(err)) != 0, "'%s' should be rejected", bad[i]);
		ck_assert_msg(strstr(err, "--exit-map") != NULL, "message for '%s': %s", bad[i], err);
	}
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("status");
	tcase_add_test(tc, wait_status_in_docker_conventions);
	tcase_add_test(tc, exit_map_maps_and_passes_the_rest);
	tcase_add_test(tc, exit_map_rejects_bad_pairs);
	suite_add_tcase(s, tc);
	return s;
}
