/* The stand-ins for libcap-ng's libc calls (src/base/capng_libc.c), each
 * called directly: the calls libcap-ng makes, checked against glibc where
 * there is a glibc function to compare with, and the calls they do not
 * support, which must log, fail and count as a misuse, never hang. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "capng_libc.h"
#include "check_main.h"

#define STANDIN(name) extern __typeof__(name) gi_capng_##name;
#define LIBC(name)
#define UNUSED(name)
#include "capng_libc.def"

/* What a call wrote to stderr, in out. */
struct captured {
	int saved, pipe_rd;
};

static void capture_begin(struct captured *c)
{
	int fds[2];
	ck_assert_int_eq(pipe2(fds, O_NONBLOCK), 0);
	c->saved = dup(STDERR_FILENO);
	ck_assert_int_ge(c->saved, 0);
	ck_assert_int_eq(dup2(fds[1], STDERR_FILENO), STDERR_FILENO);
	close(fds[1]);
	c->pipe_rd = fds[0];
}

static void capture_end(struct captured *c, char *out, size_t size)
{
	ck_assert_int_eq(dup2(c->saved, STDERR_FILENO), STDERR_FILENO);
	close(c->saved);
	ssize_t n = read(c->pipe_rd, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(c->pipe_rd);
}

/* A macro, so that both calls see fmt as the literal it is. */
#define same_as_sscanf(line, fmt)                                                             \
	do {                                                                                  \
		unsigned ours[2] = { 7, 7 }, libc[2] = { 7, 7 };                              \
		ck_assert_int_eq(gi_capng_sscanf(line, fmt, &ours[1], &ours[0]),              \
				 sscanf(line, fmt, &libc[1], &libc[0])); /* NOLINT(cert-err34-c) */ \
		ck_assert_uint_eq(ours[0], libc[0]);                                          \
		ck_assert_uint_eq(ours[1], libc[1]);                                          \
	} while (0)

START_TEST(sscanf_reads_libcap_ng_lines)
{
	same_as_sscanf("CapBnd:\t000001fffeffffff\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapAmb:\t0000000000000400\n", "CapAmb:  %08x%08x");
	same_as_sscanf("CapBnd:\t0000000000000000\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\tFFFFFFFFffffffff", "CapBnd:  %08x%08x");
	ck_assert_int_eq(gi_capng_misuses(), 0);
}
END_TEST

START_TEST(sscanf_mismatches_stop_the_scan)
{
	same_as_sscanf("CapAmb:\t0000000000000400\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t00000001\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t\n", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:", "CapBnd:  %08x%08x");
	same_as_sscanf("", "CapBnd:  %08x%08x");
	same_as_sscanf("CapBnd:\t0000zz00", "CapBnd:  %08x%08x");
	same_as_sscanf("Cap 12 34", "Cap %x %x");
	ck_assert_int_eq(gi_capng_misuses(), 0);
}
END_TEST

START_TEST(sscanf_refuses_other_conversions)
{
	struct captured c;
	char err[256];
	int value = 7;
	capture_begin(&c);
	ck_assert_int_eq(gi_capng_sscanf("CapBnd: 12", "CapBnd: %d", &value), 0); /* NOLINT(cert-err34-c) */
	capture_end(&c, err, sizeof(err));
	ck_assert_int_eq(value, 7);
	ck_assert_int_eq(gi_capng_misuses(), 1);
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: unsupported call to sscanf\n");
}
END_TEST

static char *status_fixture(void)
{
	static char path[] = "/tmp/gi-capng-status-XXXXXX";
	static const char text[] = "Name:\tx\nCapInh:\t0000000000000000\nCapBnd:\t000001ffffffffff\nNoNewPrivs:\t0";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	return path;
}

/* libcap-ng's sequence: fopen "re", fgets line by line until NULL, fclose. */
START_TEST(stdio_sequence_reads_the_file_line_by_line)
{
	char *path = status_fixture();
	char line[64], tiny[5];
	FILE *f = gi_capng_fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(gi_capng___fsetlocking(f, FSETLOCKING_BYCALLER), FSETLOCKING_BYCALLER);
	ck_assert_ptr_eq(gi_capng_fgets(line, sizeof(line), f), line);
	ck_assert_str_eq(line, "Name:\tx\n");
	ck_assert_ptr_eq(gi_capng_fgets(tiny, sizeof(tiny), f), tiny); /* as fgets: size - 1 bytes at most */
	ck_assert_str_eq(tiny, "CapI");
	ck_assert_ptr_eq(gi_capng_fgets(line, sizeof(line), f), line);
	ck_assert_str_eq(line, "nh:\t0000000000000000\n");
	ck_assert_ptr_eq(gi_capng_fgets(line, sizeof(line), f), line);
	ck_assert_str_eq(line, "CapBnd:\t000001ffffffffff\n");
	ck_assert_ptr_eq(gi_capng_fgets(line, sizeof(line), f), line);
	ck_assert_str_eq(line, "NoNewPrivs:\t0"); /* the last line has no newline */
	ck_assert_ptr_null(gi_capng_fgets(line, sizeof(line), f));
	ck_assert_ptr_null(gi_capng_fgets(line, sizeof(line), f));
	ck_assert_int_eq(gi_capng_fclose(f), 0);
	/* And again: the one buffer is reused. */
	f = gi_capng_fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_eq(gi_capng_fgets(line, sizeof(line), f), line);
	ck_assert_str_eq(line, "Name:\tx\n");
	ck_assert_int_eq(gi_capng_fclose(f), 0);
	ck_assert_int_eq(gi_capng_misuses(), 0);
	unlink(path);
}
END_TEST

START_TEST(stdio_missing_file_is_an_ordinary_failure)
{
	errno = 0;
	ck_assert_ptr_null(gi_capng_fopen("/nonexistent/status", "re"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(gi_capng_misuses(), 0);
}
END_TEST

START_TEST(stdio_refuses_what_it_does_not_support)
{
	char *path = status_fixture();
	char line[64], err[512];
	struct captured c;
	capture_begin(&c);
	ck_assert_ptr_null(gi_capng_fopen(path, "w"));
	FILE *f = gi_capng_fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(gi_capng_fopen(path, "re")); /* a second file while one is open */
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_ptr_null(gi_capng_fgets(line, sizeof(line), stdin)); /* a real FILE */
	ck_assert_int_eq(gi_capng_fclose(stdin), EOF);
	ck_assert_int_eq(gi_capng_fclose(f), 0);
	ck_assert_ptr_null(gi_capng_fgets(line, sizeof(line), f)); /* after fclose */
	capture_end(&c, err, sizeof(err));
	ck_assert_int_eq(gi_capng_misuses(), 5);
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: unsupported call to fopen\n"
			      "gracefulinit: libcap-ng: unsupported call to fopen\n"
			      "gracefulinit: libcap-ng: unsupported call to fgets\n"
			      "gracefulinit: libcap-ng: unsupported call to fclose\n"
			      "gracefulinit: libcap-ng: unsupported call to fgets\n");
	unlink(path);
}
END_TEST

START_TEST(snprintf_builds_paths)
{
	char buf[32];
	ck_assert_int_eq(gi_capng_snprintf(buf, sizeof(buf), "/proc/%d/status", 4321), 17);
	ck_assert_str_eq(buf, "/proc/4321/status");
	ck_assert_int_eq(gi_capng_snprintf(buf, 8, "\"%s\"", "/sbin/gracefulinit"), 20);
	ck_assert_str_eq(buf, "\"/sbin/");
	ck_assert_int_eq(gi_capng_misuses(), 0);
	struct captured c;
	char err[128];
	capture_begin(&c);
	ck_assert_int_eq(gi_capng_snprintf(buf, sizeof(buf), "cap %X of %s", 255u, "next"), -1);
	capture_end(&c, err, sizeof(err));
	ck_assert_str_eq(buf, "cap ");
	ck_assert_int_eq(gi_capng_misuses(), 1);
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: unsupported call to snprintf\n");
}
END_TEST

START_TEST(asprintf_and_free_give_and_take_nothing)
{
	char *text = (char *)"untouched";
	errno = 0;
	ck_assert_int_eq(gi_capng_asprintf(&text, "cap_%u", 40u), -1);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(errno, ENOMEM);
	gi_capng_free(text);
	gi_capng_free(NULL);
	ck_assert_int_eq(gi_capng_misuses(), 0);
	struct captured c;
	char err[128];
	static char not_ours[4];
	capture_begin(&c);
	gi_capng_free(not_ours);
	capture_end(&c, err, sizeof(err));
	ck_assert_int_eq(gi_capng_misuses(), 1);
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: unsupported call to free\n");
}
END_TEST

START_TEST(strtoul_reads_cap_last_cap)
{
	char *end = NULL;
	const char *text = "40\n";
	errno = 0;
	ck_assert_uint_eq(gi_capng_strtoul(text, &end, 10), 40);
	ck_assert_int_eq(errno, 0);
	ck_assert_ptr_eq(end, text + 2);
	ck_assert_uint_eq(gi_capng_strtoul("63", NULL, 10), 63);
	errno = 0;
	ck_assert_uint_eq(gi_capng_strtoul("", &end, 10), 0);
	ck_assert_int_ne(errno, 0); /* libcap-ng then probes for the last capability */
	errno = 0;
	text = "99999999999999999999999";
	ck_assert_uint_eq(gi_capng_strtoul(text, &end, 10), 0);
	ck_assert_int_ne(errno, 0);
	ck_assert_ptr_eq(end, text);
	ck_assert_int_eq(gi_capng_misuses(), 0);
	struct captured c;
	char err[128];
	capture_begin(&c);
	errno = 0;
	ck_assert_uint_eq(gi_capng_strtoul("ff", &end, 16), 0);
	capture_end(&c, err, sizeof(err));
	ck_assert_int_ne(errno, 0);
	ck_assert_int_eq(gi_capng_misuses(), 1);
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: unsupported call to strtoul\n");
}
END_TEST

static int handler_calls;
static void count_call(void) { handler_calls++; }

/* gracefulinit's child only execs: libcap-ng's reset must never run. */
START_TEST(atfork_registers_nothing)
{
	ck_assert_int_eq(gi_capng_pthread_atfork(count_call, count_call, count_call), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(handler_calls);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(handler_calls, 0);
}
END_TEST

START_TEST(syslog_goes_to_stderr)
{
	struct captured c;
	char err[256];
	capture_begin(&c);
	gi_capng_syslog(LOG_ERR, "libcap-ng used by %s failed %s in capng_apply", "\"/sbin/gracefulinit\"",
			"dropping bounding set");
	capture_end(&c, err, sizeof(err));
	ck_assert_str_eq(err, "gracefulinit: libcap-ng: libcap-ng used by \"/sbin/gracefulinit\" failed dropping "
			      "bounding set in capng_apply\n");
	ck_assert_int_eq(gi_capng_misuses(), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("capng_libc");
	TCase *tc = tcase_create("standins");
	tcase_add_test(tc, sscanf_reads_libcap_ng_lines);
	tcase_add_test(tc, sscanf_mismatches_stop_the_scan);
	tcase_add_test(tc, sscanf_refuses_other_conversions);
	tcase_add_test(tc, stdio_sequence_reads_the_file_line_by_line);
	tcase_add_test(tc, stdio_missing_file_is_an_ordinary_failure);
	tcase_add_test(tc, stdio_refuses_what_it_does_not_support);
	tcase_add_test(tc, snprintf_builds_paths);
	tcase_add_test(tc, asprintf_and_free_give_and_take_nothing);
	tcase_add_test(tc, strtoul_reads_cap_last_cap);
	tcase_add_test(tc, atfork_registers_nothing);
	tcase_add_test(tc, syslog_goes_to_stderr);
	suite_add_tcase(s, tc);
	return s;
}
