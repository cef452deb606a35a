/* gibench: the driver. Runs each init as PID 1 of a fresh PID and mount
 * namespace with its own /proc (what `unshare --pid --fork --mount-proc`
 * does, without a shell or unshare(1) between the clock and the init), with
 * testapp (tests/helpers) as the command, and prints one raw sample per line:
 *
 *   METRIC <TAB> INIT <TAB> VALUE
 *
 * bench/report.py turns the samples into tables. Inits are given as
 * NAME=ARG0,ARG1,... (the argv before "--"); "NAME=" runs the command bare.
 * Every mode interleaves the inits: one sample of each in turn, the order
 * rotated every round, so drift on a shared machine hits all alike.
 *
 *   gibench [OPTIONS] launch|idle|signal|stop|escalate|orphans INIT...
 *     -a APP      testapp                -d DIR   scratch directory
 *     -n COUNT    samples per init       -s SEC   idle seconds
 *     -g MS       --grace given          -o N -b BATCH   orphans per run
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record.h"

#define MAX_INITS 16
#define MAX_ARGS 32
#define READY_TIMEOUT_MS 10000
#define EXIT_TIMEOUT_MS 30000

struct init {
	const char *name;
	char *prefix[MAX_ARGS]; /* the init's argv up to "--"; none when bare */
	int prefix_len;
	pid_t pid;              /* as seen from here; 0 when not running */
	int pidfd;
	int fifo;               /* read side of the command's records */
	char fifo_path[512];
};

static struct init inits[MAX_INITS];
static int init_count;
static const char *app = "testapp";
static const char *dir = "/tmp";
static long count = 100, idle_seconds = 10, grace_ms = 500, orphan_total = 100000, orphan_batch = 100;
static int child_stderr = -1;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("gibench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* SIGKILL to a namespace's PID 1 ends everything in it. */
	for (int i = 0; i < init_count; i++)
		if (inits[i].pid > 0)
			(void)kill(inits[i].pid, SIGKILL);
	exit(1);
}

static long number(const char *text)
{
	char *end;
	long value = strtol(text, &end, 10);

	if (end == text || *end != '\0' || value < 0)
		die("'%s' is not a number", text);
	return value;
}

static void sample(const char *metric, const struct init *in, long long value)
{
	printf("%s\t%s\t%lld\n", metric, in->name, value);
}

static void parse_init(struct init *in, char *spec)
{
	char *eq = strchr(spec, '=');

	if (eq == NULL)
		die("init '%s' is not NAME=ARG0,ARG1,...", spec);
	*eq = '\0';
	in->name = spec;
	for (char *arg = strtok(eq + 1, ","); arg != NULL; arg = strtok(NULL, ",")) {
		if (in->prefix_len == MAX_ARGS - 2)
			die("init '%s': too many arguments", spec);
		in->prefix[in->prefix_len++] = arg;
	}
	in->pidfd = -1;
	in->fifo = -1;
}

/* --- PID 1 in a fresh namespace --- */

static char clone_stack[1 << 16] __attribute__((aligned(16)));

static int pid1_main(void *arg)
{
	char **argv = arg;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* Killed with the driver, however it ends: no namespace outlives a
	 * run. A private / first, so that the new /proc does not propagate to
	 * the host's mount namespace. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(child_stderr, 2) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		_exit(120);
	execv(argv[0], argv);
	_exit(121);
}

static pid_t spawn_pid1(const struct init *in, char *const *command)
{
	char *argv[MAX_ARGS * 2];
	int n = 0;

	for (int i = 0; i < in->prefix_len; i++)
		argv[n++] = in->prefix[i];
	if (n > 0)
		argv[n++] = "--";
	for (int i = 0; command[i] != NULL && n < MAX_ARGS * 2 - 1; i++)
		argv[n++] = command[i];
	argv[n] = NULL;
	/* Without CLONE_VM the child gets its own copy of the stack buffer. */
	pid_t pid = clone(pid1_main, clone_stack + sizeof(clone_stack), CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, argv);
	if (pid < 0)
		die("clone: %s", strerror(errno));
	return pid;
}

static void start(struct init *in, char *const *command)
{
	in->pid = spawn_pid1(in, command);
	in->pidfd = (int)syscall(SYS_pidfd_open, in->pid, 0);
	if (in->pidfd < 0)
		die("pidfd_open: %s", strerror(errno));
}

/* Waits (bounded) for the init to exit; returns its wait status. */
static int finish(struct init *in, int timeout_ms)
{
	struct pollfd p = { .fd = in->pidfd, .events = POLLIN };
	int status;

	if (poll(&p, 1, timeout_ms) <= 0) {
		(void)kill(in->pid, SIGKILL);
		die("%s did not exit within %d ms", in->name, timeout_ms);
	}
	if (waitpid(in->pid, &status, 0) != in->pid)
		die("waitpid: %s", strerror(errno));
	(void)close(in->pidfd);
	in->pid = 0;
	in->pidfd = -1;
	return status;
}

static void stop_now(struct init *in)
{
	if (kill(in->pid, SIGKILL) != 0)
		die("kill %s: %s", in->name, strerror(errno));
	(void)finish(in, EXIT_TIMEOUT_MS);
}

/* --- the command's records --- */

static void open_fifo(struct init *in, int index)
{
	snprintf(in->fifo_path, sizeof(in->fifo_path), "%s/fifo-%d", dir, index);
	if (mkfifo(in->fifo_path, 0600) != 0 && errno != EEXIST)
		die("mkfifo %s: %s", in->fifo_path, strerror(errno));
	/* O_RDWR: opening never blocks, and the command's open finds a reader. */
	in->fifo = open(in->fifo_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (in->fifo < 0)
		die("open %s: %s", in->fifo_path, strerror(errno));
}

static int read_record(const struct init *in, int timeout_ms, int64_t *value)
{
	struct pollfd p = { .fd = in->fifo, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	return read(in->fifo, value, sizeof(*value)) == (ssize_t)sizeof(*value) ? 0 : -1;
}

static void drain(const struct init *in)
{
	int64_t junk;

	while (read(in->fifo, &junk, sizeof(junk)) > 0)
		;
}

static void await_ready(const struct init *in)
{
	int64_t value;

	if (read_record(in, READY_TIMEOUT_MS, &value) != 0 || value != RECORD_READY)
		die("%s: the command did not start", in->name);
}

/* --- /proc --- */

static long proc_field(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t len = strlen(key);
	long value = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			value = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	(void)fclose(f);
	if (value < 0)
		die("%s has no %s", path, key);
	return value;
}

static long context_switches(pid_t pid)
{
	return proc_field(pid, "status", "voluntary_ctxt_switches") +
	       proc_field(pid, "status", "nonvoluntary_ctxt_switches");
}

static pid_t first_child(pid_t pid)
{
	char path[64], line[64];
	pid_t child = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) != NULL)
		child = (pid_t)strtol(line, NULL, 10);
	(void)fclose(f);
	return child;
}

/* --- metrics --- */

static long long cpu_ns(const struct rusage *usage)
{
	return ((long long)usage->ru_utime.tv_sec + usage->ru_stime.tv_sec) * 1000000000 +
	       ((long long)usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) * 1000;
}

static void run_launch(void)
{
	char *command[] = { "/bin/true", NULL };

	for (long round = 0; round < count; round++) {
		for (int k = 0; k < init_count; k++) {
			struct init *in = &inits[(round + k) % init_count];
			struct rusage usage;
			int status;
			int64_t t0 = now_ns();
			pid_t pid = spawn_pid1(in, command);
			if (wait4(pid, &status, 0, &usage) != pid)
				die("wait4: %s", strerror(errno));
			int64_t t1 = now_ns();
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				die("%s -- /bin/true: wait status 0x%x", in->name, status);
			sample("launch", in, t1 - t0);
			/* CPU time of the init and the /bin/true it reaped: what a
			 * launch costs, without the waiting a busy machine adds. */
			sample("launch-cpu", in, cpu_ns(&usage));
		}
	}
}

/* All inits at once, each with a command that sleeps: the same 10 s for all. */
static void run_idle(void)
{
	char *command[] = { (char *)app, "sleep", NULL };
	long before[MAX_INITS] = { 0 };

	for (int i = 0; i < init_count; i++)
		start(&inits[i], command);
	sleep(1); /* past start-up: every init in its wait, every command exec'd */
	for (int i = 0; i < init_count; i++) {
		if (first_child(inits[i].pid) == 0)
			die("%s: the command is not running", inits[i].name);
		before[i] = context_switches(inits[i].pid);
		sample("rss", &inits[i], proc_field(inits[i].pid, "smaps_rollup", "Rss"));
		sample("pss", &inits[i], proc_field(inits[i].pid, "smaps_rollup", "Pss"));
		sample("anon", &inits[i], proc_field(inits[i].pid, "smaps_rollup", "Anonymous"));
	}
	sleep((unsigned)idle_seconds);
	for (int i = 0; i < init_count; i++) {
		sample("wakeups", &inits[i], context_switches(inits[i].pid) - before[i]);
		stop_now(&inits[i]);
	}
}

/* kill() on the init to the command's SIGUSR1 handler, one signal in flight
 * at a time: signals do not queue, so a second one sent before the first
 * arrived could merge with it. */
static void run_signal(void)
{
	for (int i = 0; i < init_count; i++) {
		open_fifo(&inits[i], i);
		char *command[] = { (char *)app, "echo", inits[i].fifo_path, NULL };
		start(&inits[i], command);
	}
	for (int i = 0; i < init_count; i++)
		await_ready(&inits[i]);
	for (long n = 0; n < count; n++) {
		for (int k = 0; k < init_count; k++) {
			struct init *in = &inits[(n + k) % init_count];
			int64_t handled;
			int64_t sent = now_ns();
			if (kill(in->pid, SIGUSR1) != 0)
				die("kill %s: %s", in->name, strerror(errno));
			if (read_record(in, 2000, &handled) != 0) {
				sample("signal-lost", in, 1);
				continue;
			}
			sample("signal", in, handled - sent);
		}
	}
	for (int i = 0; i < init_count; i++)
		stop_now(&inits[i]);
}

/* SIGTERM on the init to the init's exit. The exec form runs the command
 * directly; the shell form runs it under /bin/sh -c, as `CMD cmd args` does
 * in a Dockerfile, where only a signal to the whole group reaches it. */
static void stop_once(struct init *in, int shell)
{
	char line[1200];
	char *exec_form[] = { (char *)app, "stopper", in->fifo_path, NULL };
	char *shell_form[] = { "/bin/sh", "-c", line, NULL };
	int64_t handled;

	snprintf(line, sizeof(line), "%s stopper %s; exit 0", app, in->fifo_path);
	drain(in);
	start(in, shell ? shell_form : exec_form);
	await_ready(in);
	int64_t sent = now_ns();
	if (kill(in->pid, SIGTERM) != 0)
		die("kill %s: %s", in->name, strerror(errno));
	int status = finish(in, EXIT_TIMEOUT_MS);
	int64_t gone = now_ns();
	sample(shell ? "stop-shell" : "stop", in, gone - sent);
	/* The handler writes before it exits, and the init exits after that. */
	sample(shell ? "stop-shell-graceful" : "stop-graceful", in, read_record(in, 0, &handled) == 0);
	sample(shell ? "stop-shell-status" : "stop-status", in,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static void run_stop(void)
{
	for (int i = 0; i < init_count; i++)
		open_fifo(&inits[i], i);
	for (long round = 0; round < count; round++)
		for (int shell = 0; shell < 2; shell++)
			for (int k = 0; k < init_count; k++)
				stop_once(&inits[(round + k) % init_count], shell);
}

/* The command ignores SIGTERM; its death, seen through a pidfd, is the
 * SIGKILL. Reported: death minus SIGTERM minus grace, and the same for the
 * init's own exit. */
static void run_escalate(void)
{
	for (int i = 0; i < init_count; i++)
		open_fifo(&inits[i], i);
	for (long run = 0; run < count; run++) {
		for (int k = 0; k < init_count; k++) {
			struct init *in = &inits[(run + k) % init_count];
			char *command[] = { (char *)app, "ignore", in->fifo_path, NULL };
			drain(in);
			start(in, command);
			await_ready(in);
			pid_t child = first_child(in->pid);
			int child_fd = child > 0 ? (int)syscall(SYS_pidfd_open, child, 0) : -1;
			if (child_fd < 0)
				die("%s: cannot watch the command: %s", in->name, strerror(errno));
			struct pollfd p = { .fd = child_fd, .events = POLLIN };
			int64_t sent = now_ns();
			if (kill(in->pid, SIGTERM) != 0)
				die("kill %s: %s", in->name, strerror(errno));
			if (poll(&p, 1, (int)grace_ms + EXIT_TIMEOUT_MS) != 1)
				die("%s: the command was not killed", in->name);
			int64_t killed = now_ns();
			(void)close(child_fd);
			(void)finish(in, EXIT_TIMEOUT_MS);
			int64_t gone = now_ns();
			sample("escalate", in, killed - sent - grace_ms * 1000000);
			sample("escalate-exit", in, gone - sent - grace_ms * 1000000);
		}
	}
}

static void run_orphans(void)
{
	char result[600], total[32], batch[32];

	snprintf(result, sizeof(result), "%s/orphans.out", dir);
	snprintf(total, sizeof(total), "%ld", orphan_total);
	snprintf(batch, sizeof(batch), "%ld", orphan_batch);
	char *command[] = { (char *)app, "orphans", total, batch, result, NULL };
	/* What testapp orphans writes, in order. */
	static const char *const fields[] = { "orphans-time", "orphans-peak", "orphans-hwm", "orphans-cpu" };

	for (long round = 0; round < count; round++) {
		for (int k = 0; k < init_count; k++) {
			struct init *in = &inits[(round + k) % init_count];
			if (unlink(result) != 0 && errno != ENOENT)
				die("unlink %s: %s", result, strerror(errno));
			start(in, command);
			(void)finish(in, 600000);
			char line[256], *p = line;
			FILE *f = fopen(result, "re");
			if (f == NULL || fgets(line, sizeof(line), f) == NULL)
				die("%s: no result from the orphan maker", in->name);
			(void)fclose(f);
			for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
				char *end;
				long long value = strtoll(p, &end, 10);
				if (end == p)
					die("%s: bad result from the orphan maker: %s", in->name, line);
				sample(fields[j], in, value);
				p = end;
			}
		}
	}
}

static const struct {
	const char *name;
	void (*run)(void);
} modes[] = {
	{ "launch", run_launch },     { "idle", run_idle },         { "signal", run_signal },
	{ "stop", run_stop },         { "escalate", run_escalate }, { "orphans", run_orphans },
};

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "+a:d:n:s:g:o:b:")) != -1) {
		switch (opt) {
		case 'a': app = optarg; break;
		case 'd': dir = optarg; break;
		case 'n': count = number(optarg); break;
		case 's': idle_seconds = number(optarg); break;
		case 'g': grace_ms = number(optarg); break;
		case 'o': orphan_total = number(optarg); break;
		case 'b': orphan_batch = number(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind < 2 || argc - optind - 1 > MAX_INITS) {
		fprintf(stderr, "usage: gibench [OPTIONS] MODE NAME=ARG0,ARG1,...\n");
		return 2;
	}
	for (int i = optind + 1; i < argc; i++)
		parse_init(&inits[init_count++], argv[i]);
	char log_path[600];
	snprintf(log_path, sizeof(log_path), "%s/inits.stderr", dir);
	child_stderr = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (child_stderr < 0)
		die("open %s: %s", log_path, strerror(errno));
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		if (strcmp(argv[optind], modes[m].name) == 0) {
			modes[m].run();
			return fflush(stdout) == 0 ? 0 : 1;
		}
	}
	die("unknown mode '%s'", argv[optind]);
}
