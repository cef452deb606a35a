#define _GNU_SOURCE /* _Fork in glibc's headers (the sanitizer build) */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "environ.h"
#include "errtext.h"
#include "files.h"
#include "format.h"
#include "log.h"
#include "mapping.h"
#include "pathsearch.h"
#include "procs.h"
#include "signals.h"
#include "status.h"

int spawn_take_signals(struct inherited_signals *saved, sigmask_bits *wait_set)
{
	*wait_set = signal_wait_mask();
	if (sigmask_change(SIG_BLOCK, *wait_set, &saved->mask) != 0) {
		log_error("sigprocmask: %m");
		return -1;
	}
	if (sig_action(SIGCHLD, SIG_DFL, &saved->sigchld) != 0) {
		log_error("sigaction SIGCHLD: %m");
		return -1;
	}
	return 0;
}

/* The terminal is handed over only when gracefulinit holds its foreground
 * (docker run -t, an interactive shell's foreground job): started in the
 * background, it must not steal the terminal from the shell. */
static int holds_terminal(void)
{
	/* -1 when stdin is no terminal. Both read 0 when the group lives
	 * outside gracefulinit's PID namespace (started by unshare --fork,
	 * say): then both are the launcher's, which is gracefulinit's own. */
	pid_t foreground = tcgetpgrp(STDIN_FILENO);
	return foreground >= 0 && foreground == getpgrp();
}

/* The child calls tcsetpgrp itself, with SIGTTOU still blocked: a background
 * process that blocks (or ignores) SIGTTOU may take the foreground without
 * being stopped (see tcsetpgrp(3), tty_check_change in the kernel). */
static void take_terminal(void)
{
	if (tcsetpgrp(STDIN_FILENO, getpid()) != 0)
		log_debug("tcsetpgrp: %m");
}

/* Set by the child when the command could not be run: its 126 or 127 is
 * then gracefulinit's own status, not the command's (gracefulinit(1), EXIT
 * STATUS). A shared page rather than a pipe: nothing to read, no fd the
 * child must keep through close_range, and the parent never waits on it. */
static volatile int *exec_failed;

int spawn_status_is_own(int status)
{
	return exec_failed != NULL && *exec_failed && status >= STATUS_INIT_FAILED && status <= STATUS_NOT_FOUND;
}

/* ENOEXEC also means a binary of another architecture ("exec format
 * error", an arm64 image on amd64) or a #! line the kernel refused: only a
 * file that starts as neither is a script for /bin/sh. */
static int looks_like_script(const char *file)
{
	char head[4] = { 0 };
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return 0;
	ssize_t n = read(fd, head, sizeof(head));
	int closed = close(fd);
	(void)closed; /* read-only: nothing to lose */
	return n >= 0 && memcmp(head, "\177ELF", 4) != 0 && memcmp(head, "#!", 2) != 0;
}

/* execvp(3)'s rule: a file the kernel will not run (ENOEXEC: no "#!", no
 * ELF header) is a shell script, and /bin/sh runs it, as POSIX, glibc and
 * tini have it. Returns only on failure, with errno ENOEXEC. */
static void exec_script(const char *file, const struct command *cmd)
{
	size_t argc = 0;

	while (cmd->argv[argc] != NULL)
		argc++;
	char **sh = map_new((argc + 2) * sizeof(char *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (sh != MAP_FAILED) {
		static char shell[] = "/bin/sh";
		sh[0] = shell;
		sh[1] = (char *)file;
		memcpy(sh + 2, cmd->argv + 1, argc * sizeof(char *)); /* the rest and the NULL */
		(void)execve(shell, sh, cmd->env);
	}
	errno = ENOEXEC; /* what the user's file is; no /bin/sh is no "not found" */
}

static void exec_file(const char *file, const struct command *cmd)
{
	(void)execve(file, cmd->argv, cmd->env);
	if (errno != ENOEXEC)
		return;
	if (looks_like_script(file))
		exec_script(file, cmd);
	errno = ENOEXEC; /* what the file is, whatever the look at it met */
}

/* execvp's rules: a name with a slash runs as it is; any other is looked
 * for in each directory of the command's PATH, past those where it is not
 * (ENOENT, ENOTDIR) or may not run (EACCES, the error if nothing else is
 * found). Returns only on failure, with errno set. */
static void exec_command(const struct command *cmd)
{
	char **argv = cmd->argv;
	const char *file = argv[0];
	char candidate[PATH_MAX];
	struct path_walk walk;
	int denied = 0;

	if (strchr(file, '/')) {
		exec_file(file, cmd);
		return;
	}
	if (!*file || strlen(file) > NAME_MAX) {
		errno = *file ? ENAMETOOLONG : ENOENT;
		return;
	}
	path_walk_init(&walk, environ_get(cmd->env, "PATH"));
	while (path_walk_next(&walk, file, candidate, sizeof(candidate))) {
		exec_file(candidate, cmd);
		if (errno == EACCES)
			denied = 1;
		else if (errno != ENOENT && errno != ENOTDIR)
			return;
	}
	errno = denied ? EACCES : ENOENT;
}

static void __attribute__((noreturn)) exec_child(const struct command *cmd, const struct inherited_signals *inherited,
						       int with_terminal)
{
	const char *name = cmd->argv[0];

	log_use_stderr(); /* gracefulinit's own descriptors close below */
	if (setpgid(0, 0) != 0)
		log_debug("setpgid in child: %m");
	if (with_terminal)
		take_terminal();
	files_close_extra();
	if (sig_action(SIGCHLD, inherited->sigchld, NULL) != 0 ||
	    sigmask_change(SIG_SETMASK, inherited->mask, NULL) != 0) {
		log_error("cannot restore the signal state for '%s': %m", name);
		if (exec_failed != NULL)
			*exec_failed = 1;
		_exit(STATUS_INIT_FAILED);
	}
	exec_command(cmd);
	int saved = errno;
	if (exec_failed != NULL)
		*exec_failed = 1;
	log_error("cannot run '%s': %s", name, error_text(saved));
	_exit(saved == ENOENT || saved == ENOTDIR ? STATUS_NOT_FOUND : STATUS_NOT_EXECUTABLE);
}

/* A shell that started gracefulinit as a job waits on gracefulinit, not on
 * the command in its own group: only when gracefulinit stops too does the
 * shell print "Stopped" and take its terminal back. fg and bg continue
 * gracefulinit alone, so it passes the SIGCONT on; fg also gave gracefulinit's
 * group the terminal, which the command needs back. */
/* A shell that does job control sees gracefulinit stop, and continues it:
 * so gracefulinit's process group is not orphaned, its parent being in the
 * same session and another group. That is POSIX's rule, and the kernel's,
 * which drops a terminal stop signal for an orphaned group because nothing
 * would continue it. A setsid start, docker run --init, a pod's shared
 * process namespace: no one above would, and gracefulinit must keep
 * serving stop signals and reaping. */
static pid_t parent_of(pid_t pid)
{
	char path[32], text[512];
	struct proc_info info;
	pid_t ppid;
	char state;

	format(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (file_read(path, text, sizeof(text)) <= 0 || procs_parse_stat(text, &info, &ppid, &state) != 0)
		return 0;
	return ppid;
}

/* A shell doing job control ignores SIGTSTP itself, so that Ctrl-Z stops
 * only its jobs (bash, dash, zsh and busybox ash all do); tini, which gives
 * its child a group of its own in its session under docker run -it --init,
 * does not, and continues no one. */
static int ignores_tstp(pid_t pid)
{
	char path[32], text[4096]; /* /proc/PID/status is under 2 KB */
	sigmask_bits ignored;

	format(path, sizeof(path), "/proc/%d/status", (int)pid);
	return file_read(path, text, sizeof(text)) > 0 && procs_parse_sigmask(text, "SigIgn", &ignored) == 0 &&
	       (ignored & SIGMASK_BIT(SIGTSTP)) != 0;
}

/* Ancestors in gracefulinit's own group (sudo, su -c, which pass a stop on)
 * are passed over: the first one outside it decides. */
static int job_control_above(void)
{
	pid_t group = getpgrp(), session = getsid(0), parent = getppid();

	for (int depth = 0; depth < 32 && parent > 0; depth++) {
		if (getsid(parent) != session)
			return 0;
		if (getpgid(parent) != group)
			return ignores_tstp(parent);
		parent = parent_of(parent);
	}
	return 0;
}

void spawn_follow_stop(pid_t command, int sig)
{
	if (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
		return;
	if (!job_control_above()) {
		log_notice("command stopped by %s; no job-control shell above gracefulinit continues it (SIGCONT does)",
			   signal_name(sig));
		return;
	}
	log_debug("command stopped by %s; stopping too", signal_name(sig));
	if (kill(getpid(), SIGSTOP) != 0) {
		log_error("kill(%d, SIGSTOP): %m", (int)getpid());
		return;
	}
	if (holds_terminal() && tcsetpgrp(STDIN_FILENO, command) != 0)
		log_debug("tcsetpgrp: %m");
	if (kill(-command, SIGCONT) != 0 && errno != ESRCH)
		log_error("kill(%d, SIGCONT): %m", (int)-command);
}

pid_t spawn_command(const struct command *cmd, const struct inherited_signals *inherited)
{
	/* A restart comes after the first run's group had the terminal, and
	 * has gone: the new one gets it as the first did. */
	static int had_terminal = -1;
	if (had_terminal < 0)
		had_terminal = holds_terminal();
	int with_terminal = had_terminal;

	if (exec_failed == NULL) {
		void *page = map_new(sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
		if (page != MAP_FAILED)
			exec_failed = page;
		else /* then --exit-map may also map gracefulinit's own 126 and 127 */
			log_debug("mmap: %m");
	}
	if (exec_failed != NULL)
		*exec_failed = 0; /* a restart's own 126 or 127 is the command's */
	/* _Fork, not fork: gracefulinit has one thread and no atfork handlers,
	 * so fork's lock-taking around it (and the 1 KB of musl it links) buys
	 * nothing. */
	pid_t pid = _Fork();

	if (pid < 0) {
		log_error("fork: %m");
		return -1;
	}
	if (pid == 0)
		exec_child(cmd, inherited, with_terminal);
	/* Also from the parent, so that the group exists before the first
	 * signal is forwarded, however late the child gets to run. EACCES: the
	 * child has already exec'd, after its own setpgid. */
	if (setpgid(pid, pid) != 0 && errno != EACCES)
		log_debug("setpgid %d: %m", (int)pid);
	return pid;
}
