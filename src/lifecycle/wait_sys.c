#include "wait_sys.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "format.h"
#include "helper_sys.h"
#include "log.h"
#include "net.h"
#include "probe.h"

/* A unix: target is ready when its socket accepts a connection. The socket
 * does not block: a full backlog is "not ready", not a wait. Returns 0, or
 * -1 with errno set. */
static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = net_socket(AF_UNIX, SOCK_STREAM);

	memcpy(sa.sun_path, path, strlen(path)); /* wait.c bounded it */
	int rc = fd < 0 ? -1 : net_connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	int error = errno;
	if (fd >= 0)
		(void)close(fd); /* nothing was written */
	errno = error;
	return rc;
}

/* One attempt, bounded by timeout_ms: 0 when the target is ready. */
static int attempt(const struct wait_target *t, long long timeout_ms, char *why)
{
	if (t->kind == WAIT_TCP || t->kind == WAIT_HTTP)
		return probe_check(&t->url, timeout_ms, why, WAIT_WHY_MAX);
	if ((t->kind == WAIT_FILE ? access(t->path, F_OK) : unix_connect(t->path)) == 0)
		return 0;
	format(why, WAIT_WHY_MAX, "%s: %m", t->path);
	return 1;
}

/* The waiter, once it runs as the user: attempts until one succeeds, with
 * pauses that back off. Each failure's line goes to the shared slot, whole,
 * for the init's progress and timeout lines. (No SIGPIPE: the probe sends
 * with MSG_NOSIGNAL.) */
static void __attribute__((noreturn)) run_waiter(const struct wait_target *t, long long timeout_ms, char *slot)
{
	char why[WAIT_WHY_MAX];
	long long pause = 0;

	while (attempt(t, timeout_ms, why) != 0) {
		memcpy(slot, why, sizeof(why));
		pause = wait_backoff_ms(pause);
		/* poll with no descriptor: a sleep on the probe's clock */
		if (net_wait(-1, 0, clock_now_ms() + pause) != 0)
			_exit(1);
	}
	_exit(0);
}

/* A target's last failure, as the waiter wrote it: the log reads it with
 * "%.*s" and WHY_LEN, since the waiter may be writing it as it is read. */
#define WHY_LEN (WAIT_WHY_MAX - 1)
static const char *why_of(const struct waiters *w, size_t i)
{
	const char *why = w->why + i * WAIT_WHY_MAX;

	return why[0] != '\0' ? why : "not tried yet";
}

/* The targets still pending, joined, each with its last failure when
 * with_why is set. */
static void describe(const struct waiters *w, int with_why, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < w->list->count && at + 1 < size; i++)
		if (w->pid[i] != 0)
			at += (size_t)format(buf + at, size - at, with_why ? "%s%s (%.*s)" : "%s%s", at > 0 ? ", " : "",
					     w->list->targets[i].text, WHY_LEN, why_of(w, i));
}

int waiters_start(struct waiters *w, const struct wait_list *list, char **env)
{
	char names[512];

	/* Without a shared page (no memory to map) the wait still works; its
	 * lines only lack each target's last failure. */
	static char unshared[WAIT_TARGETS_MAX * WAIT_WHY_MAX];
	if (w->why == NULL && (w->why = helper_page(sizeof(unshared))) == NULL)
		w->why = unshared;
	w->list = list;
	w->started_ms = clock_now_ms();
	for (size_t i = 0; i < list->count; i++) {
		char *slot = w->why + i * WAIT_WHY_MAX;
		slot[0] = '\0';
		pid_t pid = helper_start(env, slot, WAIT_WHY_MAX);
		if (pid == 0)
			run_waiter(&list->targets[i], list->attempt_timeout_ms, slot);
		if (pid < 0) {
			log_error("--wait %s: %s", list->targets[i].text, slot);
			return -1; /* the caller ends those already started */
		}
		w->pid[i] = pid;
		w->pending++;
	}
	describe(w, 0, names, sizeof(names));
	log_notice("waiting for %s (--wait)", names);
	return 0;
}

enum waiter_result waiters_reaped(struct waiters *w, pid_t pid, int wait_status)
{
	size_t i = 0;

	while (i < WAIT_TARGETS_MAX && w->pid[i] != pid)
		i++;
	if (i == WAIT_TARGETS_MAX || pid <= 0)
		return WAITER_NOT_OURS;
	w->pid[i] = 0;
	w->pending--;
	if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) {
		/* "2.3s", not "2347ms"; under a second, to the millisecond. */
		char took[32];
		long long ms = clock_now_ms() - w->started_ms;
		duration_format(ms < 1000 ? ms : ms / 100 * 100, took, sizeof(took));
		log_notice("%s is ready after %s", w->list->targets[i].text, took);
		return w->pending == 0 ? WAITER_ALL_READY : WAITER_PENDING;
	}
	log_error("--wait %s: the waiter ended: %.*s", w->list->targets[i].text, WHY_LEN, why_of(w, i));
	return WAITER_FAILED;
}

void waiters_report_pending(const struct waiters *w)
{
	char line[900], took[32];

	describe(w, 1, line, sizeof(line));
	duration_format((clock_now_ms() - w->started_ms) / 1000 * 1000, took, sizeof(took)); /* "10s", not "10001ms" */
	log_notice("still waiting after %s for %s", took, line);
}

void waiters_report_timed_out(const struct waiters *w, long long timeout_ms)
{
	char timeout[32];

	duration_format(timeout_ms, timeout, sizeof(timeout));
	for (size_t i = 0; i < w->list->count; i++)
		if (w->pid[i] != 0)
			log_failure("--wait-timeout %s ran out: %s is not ready: %.*s", timeout, w->list->targets[i].text,
				    WHY_LEN, why_of(w, i));
}

void waiters_end(struct waiters *w)
{
	for (size_t i = 0; i < WAIT_TARGETS_MAX; i++) {
		if (w->pid[i] > 0 && kill(w->pid[i], SIGKILL) != 0 && errno != ESRCH)
			log_error("kill(%d, SIGKILL): %m", (int)w->pid[i]);
		w->pid[i] = 0;
	}
	w->pending = 0;
}
