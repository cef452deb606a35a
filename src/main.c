/* gracefulinit: main reads as the START-UP list of gracefulinit(1). Fatal
 * exits (125) happen only here, before the command starts; after that every
 * error is logged and handled in the loop. */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "environ.h"
#include "health.h"
#include "helper_sys.h"
#include "identity_sys.h"
#include "log.h"
#include "options.h"
#include "probe.h"
#include "relro.h"
#include "secrets_sys.h"
#include "spawn.h"
#include "status.h"
#include "supervisor_sys.h"
#include "verdict_sys.h"
#include "version.h"

/* Outside PID 1 (shareProcessNamespace, docker --init, a shell), orphans
 * of the command must come back to gracefulinit, not to the real init. */
static void become_subreaper(void)
{
	if (getpid() == 1)
		return;
	/* qemu-user answers EINVAL. gracefulinit still runs, forwards and
	 * reaps its own children; orphans go to the namespace's PID 1. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		log_notice("cannot become a child subreaper (%m): orphans go to PID 1, not to gracefulinit");
}

/* A setuid (or setgid) copy would let any user run a command as root, with
 * root's capabilities kept through --cap (gosu refuses the same way). */
static int refuse_setuid(void)
{
	if (geteuid() == getuid() && getegid() == getgid())
		return 0;
	log_error("installed setuid or setgid (uid %u, euid %u, gid %u, egid %u): refusing to run", (unsigned)getuid(),
		  (unsigned)geteuid(), (unsigned)getgid(), (unsigned)getegid());
	return -1;
}

/* --help and --version go to stdout, as users expect of any command. */
static int print_text(const char *text)
{
	size_t len = strlen(text);

	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_error("writing to stdout: %m");
			return STATUS_INIT_FAILED;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The probe parses bytes from the application, which an attacker may own:
 * it never does so as root. */
static int probe(const struct options *opts)
{
	if (identity_drop_for_probe(opts->identity.user) != 0)
		return PROBE_EXIT_UNHEALTHY;
	return probe_run(opts->probe_url, opts->probe_timeout_ms);
}

/* --health-cmd runs /bin/sh -c, as Docker's CMD-SHELL: an image without a
 * shell (distroless, scratch) learns so before anything starts. */
static int shell_present(const struct options *opts)
{
	if (opts->check.command == NULL || access(CHECK_SHELL, X_OK) == 0)
		return 0;
	log_error("--health-cmd: %s: %m; use --health URL in an image without a shell", CHECK_SHELL);
	return -1;
}

/* The init: START-UP in gracefulinit(1). env is the one environment: the
 * switch and the secrets change it (it may move to a longer copy), and the
 * command gets it as it then is. */
static int run(struct options *opts, char **env, const struct inherited_signals *inherited,
	       sigmask_bits wait_set)
{
	struct identity id;

	log_set_level(opts->log_level);
	if (shell_present(opts) != 0)
		return STATUS_INIT_FAILED;
	/* Kubernetes' terminationMessagePath; a pod may move it. */
	const char *record = environ_get(env, "GRACEFULINIT_TERMINATION_LOG");
	log_set_record(record != NULL && *record != '\0' ? record : "/dev/termination-log");
	/* Secrets are read as the user gracefulinit started as (root's 0400
	 * files), before the switch gives that up. */
	if (identity_resolve(&opts->identity, &id) != 0 || secrets_load(&opts->secrets, &env) != 0)
		return STATUS_INIT_FAILED;
	become_subreaper();
	if (identity_apply(&id, &env) != 0) {
		secrets_forget(env);
		return STATUS_INIT_FAILED;
	}
	/* A check runs later: it learns now that it could not. (A waiter that
	 * could not give root up would say so at once, and end the start.) */
	if (opts->supervisor.watchdog.enabled && helper_can_start("health checks never run") != 0) {
		secrets_forget(env);
		return STATUS_INIT_FAILED;
	}
	/* As the user, who must be able to read what it watches. */
	struct watcher watcher;
	if (watcher_start(&watcher, &opts->watches) != 0) {
		secrets_forget(env);
		return STATUS_INIT_FAILED;
	}
	if (opts->supervisor.watchdog.enabled)
		verdict_open();
	struct command cmd = { opts->command, env };
	/* A restarted command gets the first run's environment, its secrets read
	 * again (relative paths too), and its working directory. The secrets
	 * wait for the first run in the init's memory, out of any core dump. */
	int may_restart = supervisor_may_restart(&opts->supervisor);
	if (may_restart || opts->supervisor.wait.enabled)
		secrets_keep();
	struct supervised how = { &opts->supervisor, &cmd, inherited, &opts->check, &opts->waits, &watcher, wait_set,
				  may_restart };
	int own = 0, status = supervise(&how, &own);
	verdict_close();
	/* --exit-map is for the command's statuses, not gracefulinit's own. */
	return own || spawn_status_is_own(status) ? status : exit_map_apply(&opts->exit_map, status);
}

int main(int argc, char **argv, char **envp)
{
	struct inherited_signals inherited;
	struct options opts;
	sigmask_bits wait_set;
	char err[256];

	/* First of all: a SIGTERM sent in the first microseconds must wait in
	 * the queue, not hit PID 1's default (ignored) disposition. */
	if (spawn_take_signals(&inherited, &wait_set) != 0 || relro_protect() != 0 || refuse_setuid() != 0)
		return STATUS_INIT_FAILED;
	log_open(); /* before the identity switch, and before the first line */
	if (options_parse(&opts, argc, argv, envp, err, sizeof(err)) != 0) {
		log_error("%s%s", options_error_prefix(&opts), err);
		return options_usage_status(&opts);
	}
	switch (opts.mode) {
	case MODE_HELP:
		return print_text(options_usage);
	case MODE_VERSION:
		return print_text("gracefulinit " GRACEFULINIT_VERSION "\n");
	case MODE_PROBE:
		return probe(&opts);
	case MODE_HEALTH:
		return verdict_report();
	case MODE_RUN:
		break;
	}
	return run(&opts, envp, &inherited, wait_set);
}
