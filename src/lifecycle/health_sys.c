#define _GNU_SOURCE /* _Fork in glibc's headers (the sanitizer build) */
#include "health_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "helper_sys.h"
#include "probe.h"
#include "sigmask.h"
#include "text.h"

/* A check writes why it failed here, for the loop to read once it has
 * reaped it: no pipe to the init, so nothing to poll, and nothing a check
 * can make the init wait for. Mapped at the first check. */
static char *result_page;

/* Reads the shell's output to its end, so that no output can block it,
 * keeping what fits after the start of why. */
static void read_output(int fd, char *why, size_t size)
{
	char buf[512];
	size_t have = strlen(why);

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		size_t take = (size_t)n < size - 1 - have ? (size_t)n : size - 1 - have;
		memcpy(why + have, buf, take);
		why[have += take] = '\0';
	}
}

/* --health-cmd: /bin/sh -c COMMAND, stdin from /dev/null. The exit status
 * and the first line of its output are the result. */
static int run_command(const char *command, char **env, char *why, size_t size)
{
	int out[2], status = 127 << 8; /* as if not found, should waitpid fail */
	pid_t shell = -1;

	if (syscall(SYS_pipe2, out, O_CLOEXEC) == 0)
		shell = _Fork(); /* spawn.c says why not fork */
	if (shell == 0) {
		/* The shell dies with the check, whose own request the fork
		 * cleared: with no_new_privs, exec keeps this one. */
		int null = prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0 ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
		if (null >= 0 && dup2(null, STDIN_FILENO) >= 0 && dup2(out[1], STDOUT_FILENO) >= 0 &&
		    dup2(out[1], STDERR_FILENO) >= 0) {
			execve(CHECK_SHELL, (char *[]){ "sh", "-c", (char *)command, NULL }, env);
		}
		_exit(127);
	}
	if (shell < 0) {
		format(why, size, "cannot start the shell: %m");
		return 1;
	}
	(void)close(out[1]); /* a pipe's write end: nothing buffered to lose */
	char output[CHECK_WHY_MAX] = "";
	read_output(out[0], output, sizeof(output));
	while (waitpid(shell, &status, 0) < 0 && errno == EINTR)
		;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	format(why, size, "exit status %d%s%s", code, output[0] ? ": " : "", output);
	return code != 0;
}

/* The check, once it runs as the user. Its status is the verdict; why it
 * failed goes to the result page, raw: the init takes one printable line of
 * it. SIGPIPE ignored for the HTTP check: a server that hangs up is
 * "unhealthy", not a death by signal. */
static void __attribute__((noreturn)) run_check(const struct health_check *check, char **env)
{
	int rc = 1;

	if (check->command != NULL)
		rc = run_command(check->command, env, result_page, CHECK_WHY_MAX);
	else if (sig_action(SIGPIPE, SIG_IGN, NULL) == 0)
		rc = probe_check(&check->url, check->timeout_ms, result_page, CHECK_WHY_MAX) != 0;
	_exit(rc);
}

pid_t check_start(const struct health_check *check, char **env, char *why, size_t why_size)
{
	if (result_page == NULL && (result_page = helper_page(CHECK_WHY_MAX)) == NULL) {
		format(why, why_size, "cannot start the check: %m");
		return -1;
	}
	result_page[0] = '\0';
	pid_t pid = helper_start(env, result_page, CHECK_WHY_MAX);
	if (pid < 0)
		format(why, why_size, "%s", result_page);
	if (pid == 0)
		run_check(check, env);
	return pid;
}

int check_passed(int wait_status, char *why, size_t why_size)
{
	if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
		return 1;
	if (WIFSIGNALED(wait_status))
		format(why, why_size, "killed by signal %d", WTERMSIG(wait_status));
	else
		text_printable_line(why, why_size, result_page, CHECK_WHY_MAX);
	if (why[0] == '\0')
		format(why, why_size, "the check failed");
	return 0;
}
