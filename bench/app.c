/* gibench-app: the command the benchmarks run under each init. Small and
 * static, so that what is measured is the init, not the command.
 *
 *   gibench-app sleep                  waits for ever (idle memory, wake-ups)
 *   gibench-app echo FIFO              on SIGUSR1, writes the time to FIFO
 *   gibench-app stopper FIFO           on SIGTERM, writes the time and exits 0
 *   gibench-app ignore FIFO            ignores SIGTERM (only SIGKILL ends it)
 *   gibench-app orphans N BATCH FILE   makes N orphans, BATCH at a time, and
 *                                      writes "ns peak_zombies init_hwm_kb
 *                                      init_cpu_ns"
 *
 * The FIFO modes write RECORD_READY once their handlers are in place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

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

static void on_term(int sig)
{
	(void)sig;
	put_record(now_ns());
	_exit(0);
}

static int open_fifo(const char *path)
{
	out_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (out_fd < 0) {
		fprintf(stderr, "gibench-app: open %s: %s\n", path, strerror(errno));
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
		fprintf(stderr, "gibench-app: sigaction: %s\n", strerror(errno));
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

static int orphans(long total, long batch, const char *result)
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
	{ "stopper", SIGTERM, on_term },
	{ "ignore", SIGTERM, SIG_IGN },
};

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "sleep") == 0)
		return wait_forever();
	if (strcmp(mode, "orphans") == 0 && argc == 5)
		return orphans(strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10), argv[4]);
	for (size_t i = 0; argc == 3 && i < sizeof(fifo_modes) / sizeof(fifo_modes[0]); i++) {
		if (strcmp(mode, fifo_modes[i].mode) != 0)
			continue;
		if (open_fifo(argv[2]) != 0 || handle(fifo_modes[i].signal, fifo_modes[i].handler) != 0)
			return 1;
		put_record(RECORD_READY);
		return wait_forever();
	}
	fprintf(stderr, "usage: gibench-app sleep|echo FIFO|stopper FIFO|ignore FIFO|orphans N BATCH FILE\n");
	return 2;
}
