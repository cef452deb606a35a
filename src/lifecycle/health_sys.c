#define _GNU_SOURCE /* _Fork in glibc's headers (the sanitizer build) */
#include "health_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "identity_sys.h"
#include "log.h"
#include "probe.h"
#include "sigmask.h"

/* A check writes why it failed here, for the loop to read once it has
 * reaped it: no pipe to the init, so nothing to poll, and nothing a check
 * can make the init wait for. Mapped at the first check. */
static char *result_page;

static int map_result_page(void)
{
	if (result_page != NULL)
		return 0;
	void *page = mmap(NULL, CHECK_WHY_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return -1;
	result_page = page;
	return 0;
}

/* A check's line goes into gracefulinit's log: it keeps one line of
 * printable text, whatever the app wrote. */
static void keep_line(char *dst, size_t size, const char *src, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len && out + 1 < size; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '\n')
			break;
		dst[out++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	while (out > 0 && dst[out - 1] == ' ')
		out--;
	dst[out] = '\0';
}

/* The check's own signal state: nothing blocked, as a fresh process has it;
 * gracefulinit blocked what it waits for. SIGPIPE ignored: a server that
 * hangs up is "unhealthy", not a death by signal. */
static int fresh_signals(void)
{
	return sigmask_change(SIG_SETMASK, 0, NULL);
}

/* Reads the shell's output to its end, keeping the first line. */
static void read_first_line(int fd, char *line, size_t size)
{
	char buf[512], raw[CHECK_WHY_MAX];
	size_t have = 0;
	int complete = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (complete)
			continue;
		size_t take = (size_t)n < sizeof(raw) - have ? (size_t)n : sizeof(raw) - have;
		memcpy(raw + have, buf, take);
		have += take;
		complete = have == sizeof(raw) || memchr(raw, '\n', have) != NULL;
	}
	keep_line(line, size, raw, have);
}

/* --health-cmd: /bin/sh -c COMMAND with stdin from /dev/null and its output
 * read here, to its end, so that no output can block it; the exit status
 * and the first line are the result. */
static int run_command(const char *command, char **env, char *why, size_t why_size)
{
	int out[2], status;
	char line[CHECK_WHY_MAX];

	if (syscall(SYS_pipe2, out, O_CLOEXEC) != 0) {
		format(why, why_size, "pipe: %m");
		return 1;
	}
	pid_t shell = _Fork(); /* spawn.c says why not fork */
	if (shell < 0) {
		format(why, why_size, "fork: %m");
		return 1;
	}
	if (shell == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(out[1], STDERR_FILENO) < 0)
			_exit(126);
		char *argv[] = { "sh", "-c", (char *)command, NULL };
		execve(CHECK_SHELL, argv, env);
		_exit(errno == ENOENT ? 127 : 126);
	}
	(void)close(out[1]); /* a pipe's write end: nothing buffered to lose */
	read_first_line(out[0], line, sizeof(line));
	while (waitpid(shell, &status, 0) < 0)
		if (errno != EINTR) {
			format(why, why_size, "waitpid: %m");
			return 1;
		}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (code == 0)
		return 0;
	if (line[0] != '\0')
		format(why, why_size, "exit status %d: %s", code, line);
	else
		format(why, why_size, "exit status %d", code);
	return 1;
}

/* The check process: never root, then the check itself. Its status is the
 * verdict; why goes through the result page. */
static void __attribute__((noreturn)) run_check(const struct health_check *check, char **env)
{
	char why[CHECK_WHY_MAX] = "";
	int rc;

	log_use_stderr(); /* gracefulinit's own log path is the init's */
	if (fresh_signals() != 0 || sig_action(SIGPIPE, SIG_IGN, NULL) != 0) {
		format(why, sizeof(why), "cannot reset its signals: %m");
		rc = 1;
	} else if (identity_drop_for_check() != 0) {
		format(why, sizeof(why), "cannot give up root and capabilities for it");
		rc = 1;
	} else if (check->command != NULL) {
		/* The shell starts from the dispositions a fresh process has. */
		(void)sig_action(SIGPIPE, SIG_DFL, NULL);
		rc = run_command(check->command, env, why, sizeof(why));
	} else {
		rc = probe_check(&check->url, check->timeout_ms, why, sizeof(why)) == 0 ? 0 : 1;
	}
	keep_line(result_page, CHECK_WHY_MAX, why, strlen(why));
	_exit(rc);
}

pid_t check_start(const struct health_check *check, char **env, char *why, size_t why_size)
{
	if (map_result_page() != 0) {
		format(why, why_size, "cannot start a check: mmap: %m");
		return -1;
	}
	result_page[0] = '\0';
	pid_t pid = _Fork();
	if (pid < 0) {
		format(why, why_size, "cannot start a check: fork: %m");
		return -1;
	}
	if (pid == 0) {
		/* Its own group: a timeout kills the shell's children too. */
		(void)setpgid(0, 0);
		run_check(check, env);
	}
	/* Also here, so that the group exists whichever runs first. */
	if (setpgid(pid, pid) != 0 && errno != EACCES && errno != ESRCH)
		log_debug("setpgid(%d): %m", (int)pid);
	return pid;
}

int check_passed(int wait_status, char *why, size_t why_size)
{
	if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
		return 1;
	if (WIFSIGNALED(wait_status))
		format(why, why_size, "the check was killed by signal %d", WTERMSIG(wait_status));
	else if (result_page != NULL && result_page[0] != '\0')
		keep_line(why, why_size, result_page, strnlen(result_page, CHECK_WHY_MAX));
	else
		format(why, why_size, "the check failed");
	return 0;
}

void check_end(pid_t check)
{
	if (kill(-check, SIGKILL) != 0 && errno != ESRCH)
		log_error("kill(%d, SIGKILL): %m", -(int)check);
}
