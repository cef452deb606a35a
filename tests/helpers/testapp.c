/* testapp: the command the integration and end-to-end tests run under
 * gracefulinit. It writes what happens to it, one line per event, to a marker
 * file (or stdout), so tests assert on outcomes rather than on timing.
 *
 *   testapp [--name N] [--marker FILE] [--cleanup MS] [--term-exit N]
 *           [--ignore-term] [--exit N] [--run MS] [--orphans N] [--daemon]
 *           [--child] [--report] [--bind HOST:PORT] [--stop-after-signals N]
 *           [--env NAME]...
 *
 * Lines: "NAME start pid=P pgid=G sid=S", "NAME signal SIGNAME",
 * "NAME cleanup-start", "NAME cleanup-done", "NAME exit N",
 * "NAME status KEY VALUE" (--report), "NAME fds 0,1,2" (--report),
 * "NAME bind ok|errno-name" (--bind), "NAME env VAR HEX|unset" (--env: the
 * value in hex, so that newlines survive the one-line marker).
 *
 * The benchmarks (bench/gibench.c) run it too, small and static, so that
 * what is measured is the init, not the command; a first word that is not
 * an option picks one of their modes:
 *
 *   testapp sleep                  waits for ever (idle memory, wake-ups)
 *   testapp echo FIFO              on SIGUSR1, writes the time to FIFO
 *   testapp stopper FIFO           on SIGTERM, writes the time and exits 0
 *   testapp ignore FIFO            ignores SIGTERM (only SIGKILL ends it)
 *   testapp orphans N BATCH FILE   makes N orphans, BATCH at a time, and
 *                                  writes "ns peak_zombies init_hwm_kb
 *                                  init_cpu_ns"
 *
 * The FIFO modes write RECORD_READY once their handlers are in place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record.h"

static const char *name = "app";
static const char *marker;
static long cleanup_ms;
static int term_exit;
static volatile sig_atomic_t got_stop;
static long stop_after_signals = -1;
static volatile sig_atomic_t signal_count;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n = snprintf(line, sizeof(line), "%s ", name);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	int fd = marker ? open(marker, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666) : STDOUT_FILENO;
	if (fd < 0)
		return;
	ssize_t w = write(fd, line, (size_t)n);
	(void)w;
	if (marker)
		close(fd);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Async-signal-safe enough for a test: a table and a static buffer. */
static const char *sig_abbrev(int sig)
{
	static const char *names[] = { [SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGABRT] = "ABRT",
				       [SIGUSR1] = "USR1", [SIGUSR2] = "USR2", [SIGPIPE] = "PIPE", [SIGALRM] = "ALRM",
				       [SIGTERM] = "TERM", [SIGCONT] = "CONT", [SIGWINCH] = "WINCH", [SIGURG] = "URG",
				       [SIGPWR] = "PWR", [SIGIO] = "IO", [SIGXCPU] = "XCPU", [SIGPROF] = "PROF" };
	static char buf[16];
	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig])
		return names[sig];
	snprintf(buf, sizeof(buf), "%d", sig);
	return buf;
}

static void on_signal(int sig)
{
	say("signal %s", sig_abbrev(sig));
	signal_count++;
	if (sig == SIGTERM || sig == SIGINT)
		got_stop = 1;
	if (stop_after_signals >= 0 && signal_count >= stop_after_signals)
		got_stop = 1;
}

static void install_handlers(int ignore_term)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGSEGV || sig == SIGBUS ||
		    sig == SIGFPE || sig == SIGILL || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU ||
		    (sig > 31 && sig < SIGRTMIN))
			continue;
		sigaction(sig, &sa, NULL);
	}
	if (ignore_term)
		signal(SIGTERM, SIG_IGN);
}

static void report(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			static const char *keys[] = { "Uid:", "Gid:", "Groups:", "SigBlk:", "SigIgn:", "CapInh:",
						      "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:" };
			for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
				if (strncmp(line, keys[i], strlen(keys[i])) == 0) {
					line[strcspn(line, "\n")] = 0;
					char *v = line + strlen(keys[i]);
					while (*v == ' ' || *v == '\t')
						v++;
					for (char *t = v; *t; t++)
						if (*t == '\t')
							*t = ' ';
					say("status %.*s %s", (int)strlen(keys[i]) - 1, keys[i], v);
				}
			}
		}
		fclose(f);
	}
	char fds[256] = "";
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		int own = dirfd(d);
		struct dirent *e;
		int list[64], n = 0;
		while ((e = readdir(d)) && n < 64)
			if (e->d_name[0] != '.' && atoi(e->d_name) != own)
				list[n++] = atoi(e->d_name);
		closedir(d);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				if (list[j] < list[i]) {
					int t = list[i];
					list[i] = list[j];
					list[j] = t;
				}
		for (int i = 0; i < n; i++)
			snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d", i ? "," : "", list[i]);
	}
	say("fds %s", fds);
	const char *home = getenv("HOME");
	say("home %s", home ? home : "(unset)");
}

static void try_bind(const char *spec)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		return;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1)) };
	inet_pton(AF_INET, host, &sin.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
		say("bind ok");
	else
		say("bind %s", errno == EACCES ? "EACCES" : errno == EADDRINUSE ? "EADDRINUSE" : "error");
	close(fd);
}

static void report_env(const char *var)
{
	const char *value = getenv(var);
	static char hex[2 * 131072 + 1];
	if (value == NULL) {
		say("env %s unset", var);
		return;
	}
	hex[0] = '\0';
	for (size_t i = 0; value[i] != '\0' && i < 131072; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned char)value[i]);
	say("env %s %s", var, hex[0] ? hex : "-");
}

/* Double fork: the grandchildren exit at once and, orphaned, become
 * gracefulinit's zombies to reap. */
static void make_orphans(long count)
{
	pid_t mid = fork();
	if (mid != 0) {
		if (mid > 0)
			waitpid(mid, NULL, 0);
		say("orphans %ld", count);
		return;
	}
	for (long i = 0; i < count; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		if (p < 0) {
			sleep_ms(1);
			i--;
		}
	}
	_exit(0);
}

static void run_until_stopped(long run_ms)
{
	long waited = 0;
	while (!got_stop && (run_ms < 0 || waited < run_ms)) {
		sleep_ms(10);
		waited += 10;
	}
}

static int finish(void)
{
	if (got_stop) {
		say("cleanup-start");
		sleep_ms(cleanup_ms);
		say("cleanup-done");
		say("exit %d", term_exit);
		return term_exit;
	}
	say("exit 0");
	return 0;
}

/* ---- The benchmarks' modes ---- */

static int out_fd = -1;

static void put_record(int64_t value)
{
	/* A failed write is seen by the driver as a missing record. */
	ssize_t n = write(out_fd, &value, sizeof(value));
	(void)n;
}

static void on_usr1(int sig)
{
	(void)sig;
	put_record(now_ns());
}

static void on_term_record(int sig)
{
	(void)sig;
	put_record(now_ns());
	_exit(0);
}

static int open_fifo(const char *path)
{
	out_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (out_fd < 0) {
		fprintf(stderr, "testapp: open %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int handle(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	if (sigemptyset(&sa.sa_mask) != 0 || sigaction(sig, &sa, NULL) != 0) {
		fprintf(stderr, "testapp: sigaction: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int wait_forever(void)
{
	sigset_t none;

	/* The init may have passed on a blocked mask; the handlers must run. */
	if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return 1;
	for (;;)
		pause();
}

/* Children of PID 1 in this namespace, the command included. */
static long init_children(void)
{
	char buf[65536];
	long count = 0;
	int fd = open("/proc/1/task/1/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == ' ')
			count++;
	return count;
}

/* The first line of FILE starting with KEY, as a number after KEY. */
static long long proc_number(const char *file, const char *key)
{
	char line[256];
	long long value = -1;
	size_t len = strlen(key);
	FILE *f = fopen(file, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, len) == 0) {
			value = strtoll(line + len, NULL, 10);
			break;
		}
	}
	(void)fclose(f);
	return value;
}

static long init_hwm_kb(void)
{
	return (long)proc_number("/proc/1/status", "VmHWM:");
}

/* Time the init has spent on a CPU, from the scheduler's own accounting
 * (the first field of schedstat): what reaping costs it, independent of how
 * busy the machine is. */
static long long init_cpu_ns(void)
{
	return proc_number("/proc/1/schedstat", "");
}

/* The batch's children exit at once, but stay unreaped (WNOWAIT) until all
 * have: when this process exits, the init inherits a batch of zombies at
 * once, the storm a crashing worker pool leaves behind. */
static void __attribute__((noreturn)) make_batch(long count)
{
	static pid_t pids[4096];

	for (long i = 0; i < count; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(0);
		if (pids[i] < 0)
			_exit(2);
	}
	for (long i = 0; i < count; i++) {
		siginfo_t info;
		while (waitid(P_PID, (id_t)pids[i], &info, WEXITED | WNOWAIT) != 0 && errno == EINTR)
			;
	}
	_exit(0);
}

static int bench_orphans(long total, long batch, const char *result)
{
	long peak = 0;
	long long cpu_start = init_cpu_ns();
	int64_t start = now_ns();

	if (total < 1 || batch < 1 || batch > 4096)
		return 2;
	for (long made = 0; made < total; made += batch) {
		long count = total - made < batch ? total - made : batch;
		int status;
		pid_t parent = fork();
		if (parent < 0)
			return 1;
		if (parent == 0)
			make_batch(count);
		if (waitpid(parent, &status, 0) != parent || status != 0)
			return 1;
		/* The batch's zombies were handed to the init before its
		 * parent became reapable: count what is still unreaped. */
		long waiting = init_children() - 1;
		if (waiting > peak)
			peak = waiting;
	}
	const struct timespec tick = { 0, 20000 };
	while (init_children() > 1)
		(void)nanosleep(&tick, NULL);
	int64_t elapsed = now_ns() - start;
	long long cpu = init_cpu_ns() - cpu_start;
	FILE *f = fopen(result, "we");
	if (f == NULL)
		return 1;
	fprintf(f, "%lld %ld %ld %lld\n", (long long)elapsed, peak, init_hwm_kb(), cpu);
	return fclose(f) == 0 ? 0 : 1;
}

/* The FIFO modes: which signal gets which handler. */
static const struct {
	const char *mode;
	int signal;
	void (*handler)(int);
} fifo_modes[] = {
	{ "echo", SIGUSR1, on_usr1 },
	{ "stopper", SIGTERM, on_term_record },
	{ "ignore", SIGTERM, SIG_IGN },
};

/* The benchmarks' modes (bench/gibench.c runs them): argv[1] names one. */
/* An HTTP server that answers every request with 200, in one process:
 * unlike busybox httpd it forks for none, so a benchmark of health checks
 * measures the checks, not the server (bench/watchdog.py). */
static int serve_http(long port)
{
	static const char answer[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 64) != 0) {
		perror("testapp http");
		return 1;
	}
	for (;;) {
		char request[4096];
		int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		/* One read holds a probe's whole request on loopback. */
		if (read(conn, request, sizeof(request)) > 0 && write(conn, answer, sizeof(answer) - 1) < 0)
			perror("testapp http: write");
		close(conn);
	}
}

static int bench_mode(int argc, char **argv)
{
	const char *mode = argv[1];

	if (strcmp(mode, "sleep") == 0)
		return wait_forever();
	if (strcmp(mode, "http") == 0 && argc == 3)
		return serve_http(strtol(argv[2], NULL, 10));
	if (strcmp(mode, "orphans") == 0 && argc == 5)
		return bench_orphans(strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10), argv[4]);
	for (size_t i = 0; argc == 3 && i < sizeof(fifo_modes) / sizeof(fifo_modes[0]); i++) {
		if (strcmp(mode, fifo_modes[i].mode) != 0)
			continue;
		if (open_fifo(argv[2]) != 0 || handle(fifo_modes[i].signal, fifo_modes[i].handler) != 0)
			return 1;
		put_record(RECORD_READY);
		return wait_forever();
	}
	fprintf(stderr, "usage: testapp sleep|http PORT|echo FIFO|stopper FIFO|ignore FIFO|orphans N BATCH FILE, or testapp [--OPTION]...\n");
	return 2;
}

int main(int argc, char **argv)
{
	long run_ms = -1, orphans = 0, allocate_mb = 0;
	int ignore_term = 0, do_report = 0, daemonize = 0, child = 0, exit_now = -1;
	const char *bind_spec = NULL, *env_names[8];
	int env_count = 0;
	char **self = argv;

	if (argc > 1 && argv[1][0] != '-')
		return bench_mode(argc, argv);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
		if (!strcmp(a, "--name")) name = v, i++;
		else if (!strcmp(a, "--marker")) marker = v, i++;
		else if (!strcmp(a, "--cleanup")) cleanup_ms = atol(v), i++;
		else if (!strcmp(a, "--term-exit")) term_exit = atoi(v), i++;
		else if (!strcmp(a, "--exit")) exit_now = atoi(v), i++;
		else if (!strcmp(a, "--run")) run_ms = atol(v), i++;
		else if (!strcmp(a, "--orphans")) orphans = atol(v), i++;
		else if (!strcmp(a, "--allocate")) allocate_mb = atol(v), i++;
		else if (!strcmp(a, "--bind")) bind_spec = v, i++;
		else if (!strcmp(a, "--env") && env_count < 8) env_names[env_count++] = v, i++;
		else if (!strcmp(a, "--stop-after-signals")) stop_after_signals = atol(v), i++;
		else if (!strcmp(a, "--ignore-term")) ignore_term = 1;
		else if (!strcmp(a, "--report")) do_report = 1;
		else if (!strcmp(a, "--daemon")) daemonize = 1;
		else if (!strcmp(a, "--child")) child = 1;
		else {
			fprintf(stderr, "testapp: unknown argument '%s'\n", a);
			return 2;
		}
	}
	if (do_report)
		report(); /* before handlers: SigIgn and SigBlk as inherited */
	install_handlers(ignore_term);
	say("start pid=%d pgid=%d sid=%d", (int)getpid(), (int)getpgrp(), (int)getsid(0));
	for (int i = 0; i < env_count; i++)
		report_env(env_names[i]);
	if (bind_spec)
		try_bind(bind_spec);
	if (orphans > 0)
		make_orphans(orphans);
	if (allocate_mb > 0) {
		/* Touched page by page, so the memory cgroup counts all of it. */
		size_t size = (size_t)allocate_mb << 20;
		char *p = malloc(size);
		for (size_t off = 0; p != NULL && off < size; off += 4096)
			p[off] = 1;
		say("allocated %ld MiB", allocate_mb);
	}
	if (daemonize) {
		/* A daemon that leaves the group: setsid, then runs as a child app. */
		pid_t p = fork();
		if (p == 0) {
			setsid();
			char *args[] = { self[0], "--name", "daemon", "--child", "--cleanup", "1000",
					 marker ? "--marker" : NULL, (char *)marker, NULL };
			/* By path when we have one, so the daemon's comm reads "testapp". */
			execv(strchr(self[0], '/') ? self[0] : "/proc/self/exe", args);
			_exit(127);
		}
	}
	(void)child;
	if (exit_now >= 0) {
		say("exit %d", exit_now);
		return exit_now;
	}
	run_until_stopped(run_ms);
	return finish();
}
