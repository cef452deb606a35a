/* src/capng_libc.c is linked into the release binary only (it stands in
 * for sscanf and syslog inside the musl build of libcap-ng), so it is
 * compiled into this test directly and checked against glibc's sscanf. */
#include <check.h>
#include <stdio.h>

#include "../../src/capng_libc.c"
#include "check_main.h"

/* A macro, so that both calls see fmt as the literal it is. */
#define same_as_sscanf(line, fmt)                                                             \
	do {                                                                                  \
		unsigned ours[2] = { 7, 7 }, libc[2] = { 7, 7 };                              \
		ck_assert_int_eq(gi_capng_sscanf(line, fmt, &ours[1], &ours[0]),              \
				 sscanf(line, fmt, &libc[1], &libc[0])); /* NOLINT(cert-err34-c) */ \
		ck_assert_uint_eq(ours[0], libc[0]);                                          \
		ck_assert_uint_eq(ours[1], libc[1]);                                          \
	} while (0)

START_TEST(libcap_ng_lines)
{
	same_as_sscanf("CapBnd:\t000001fffeffffff\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapAmb:\t0000000000000400\n", "CapAmb:  %08x%08x");
	same_as_sscanf("CapBnd:\t0000000000000000\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\tFFFFFFFFffffffff", "CapBnd:  %08x%08x");
}
END_TEST

START_TEST(mismatches_stop_the_scan)
{
	same_as_sscanf("CapAmb:\t0000000000000400\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t00000001\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:", "CapBnd:  %08x%08x");
	same_as_sscanf("", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t0000zz00", "CapBnd:  %08x%08x");
	same_as_sscanf("Cap 12 34", "Cap %x %x");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("capng_libc");
	TCase *tc = tcase_create("sscanf");
	tcase_add_test(tc, libcap_ng_lines);
	tcase_add_test(tc, mismatches_stop_the_scan);
	suite_add_tcase(s, tc);
	return s;
}
