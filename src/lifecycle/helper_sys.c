#define _GNU_SOURCE /* _Fork in glibc's headers (the sanitizer build) */
#include "helper_sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "format.h"
#include "identity_sys.h"
#include "log.h"
#include "mapping.h"
#include "secrets_sys.h"
#include "sigmask.h"

/* Why a helper could not run: one text for each step that can fail. */
#define START_FAILED "cannot start: %m"

int helper_can_start(const char *what)
{
	int status = 1;
	pid_t pid = _Fork();

	if (pid == 0)
		_exit(identity_drop_for_check() != 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
		log_error("%s as root, and cannot give root up here: give --user", what);
		return -1;
	}
	return 0;
}

char *helper_page(size_t size)
{
	void *page = map_new(size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);

	return page != MAP_FAILED ? page : NULL;
}

/* parent: the init's pid, taken before the fork. */
static void become_helper(pid_t parent, char **env, char *why, size_t why_size)
{
	log_use_stderr(); /* gracefulinit's own log path is the init's */
	secrets_forget(env); /* the command's alone, even when kept for a restart */
	/* What the init holds open is not the helper's: the verdict file above
	 * all, which a helper running as another user must not write. */
	files_close_extra();
	/* A helper dies with the init (killed, or not PID 1 and gone): a waiter
	 * would otherwise try its target for ever. After the identity switch,
	 * which clears the request; and the init may have gone already. */
	if (sigmask_change(SIG_SETMASK, 0, NULL) != 0 || identity_drop_for_check() != 0 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent) {
		format(why, why_size, START_FAILED);
		_exit(1);
	}
}

pid_t helper_start(char **env, char *why, size_t why_size)
{
	pid_t parent = getpid();
	pid_t pid = _Fork(); /* spawn.c says why not fork */

	if (pid < 0) {
		format(why, why_size, START_FAILED);
		return -1;
	}
	if (pid == 0) {
		/* Its own group: a timeout kills a check shell's children too,
		 * and a terminal's Ctrl-C is the init's to act on. */
		(void)setpgid(0, 0);
		become_helper(parent, env, why, why_size);
		return 0;
	}
	/* Also here, so that the group exists whichever runs first. */
	if (setpgid(pid, pid) != 0 && errno != EACCES && errno != ESRCH)
		log_debug("setpgid(%d): %m", (int)pid);
	return pid;
}
