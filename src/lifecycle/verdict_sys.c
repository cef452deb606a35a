#include "verdict_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "format.h"
#include "log.h"
#include "number.h"
#include "numeric_entries.h"

/* Where a verdict may be, in the order the init tries them: /dev/shm is a
 * tmpfs even under docker run --read-only; /run and /tmp where it is not. */
static const char places[][9] = { "/dev/shm", "/run", "/tmp" };
#define PLACES (sizeof(places) / sizeof(places[0]))
#define LINE_MAX_LEN 320

static int published = -1;
static char published_path[96];

/* This process's mount namespace, which a process docker exec starts
 * shares, and another container's init does not. */
static unsigned long long own_mount_ns(void)
{
	char link[40] = "";
	unsigned long long ns = 0;

	if (readlink("/proc/self/ns/mnt", link, sizeof(link) - 1) > 0)
		(void)number_scan(link + 5, NUMBER_TO_NUL, ~0ULL, &ns); /* "mnt:[N]" */
	return ns;
}

/* The start time of pid, 0 when it is gone or cannot be read. */
static unsigned long long start_time_of(unsigned long long pid)
{
	char path[40], stat[1024];

	format(path, sizeof(path), "/proc/%llu/stat", pid);
	return file_read(path, stat, sizeof(stat)) > 0 ? verdict_start_time(stat) : 0;
}

/* The line is rewritten in place: one short pwrite on a tmpfs. A reader
 * takes the first line only, so a shorter one needs no truncate. */
void verdict_publish(enum health_verdict verdict, const char *why)
{
	static const char words[][10] = { "starting", "healthy", "unhealthy" };
	char line[LINE_MAX_LEN];
	int len = format(line, sizeof(line), "%s%s%s\n", words[verdict], *why ? ": " : "", why);

	if (published < 0)
		return;
	if (len >= (int)sizeof(line))
		line[(len = sizeof(line)) - 1] = '\n';
	if (pwrite(published, line, (size_t)len, 0) != len)
		log_error("health: writing %s: %m", published_path);
}

void verdict_open(void)
{
	struct verdict_key key = { own_mount_ns(), (unsigned long long)getpid(), 0 };
	char name[80];

	key.start_time = start_time_of(key.pid);
	verdict_name(&key, name, sizeof(name));
	for (size_t i = 0; i < PLACES && published < 0 && key.start_time != 0; i++) {
		format(published_path, sizeof(published_path), "%s/%s", places[i], name);
		/* O_EXCL: a file of that name is not this init's, whoever made it. */
		published = open(published_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	if (published < 0)
		log_error("health: cannot create %s in /dev/shm, /run or /tmp (%m): gracefulinit health will find no "
			  "verdict", name);
	verdict_publish(HEALTH_STARTING, "");
}

void verdict_close(void)
{
	if (published >= 0 && unlink(published_path) != 0)
		log_debug("unlink %s: %m", published_path);
}

/* The search for this container's init: a verdict counts when its init
 * still runs (same pid, same start time). Two inits in one container (one
 * started the other): the outer one's, the lower pid. */
struct search {
	const char *dir;
	unsigned long long mount_ns, pid;
	char line[LINE_MAX_LEN];
};

static int consider(const char *name, void *ctx)
{
	struct search *s = ctx;
	struct verdict_key key;
	char path[160], line[LINE_MAX_LEN];

	if (verdict_name_parse(name, &key) != 0 || key.mount_ns != s->mount_ns || (s->pid && s->pid < key.pid) ||
	    start_time_of(key.pid) != key.start_time)
		return 0;
	format(path, sizeof(path), "%s/%s", s->dir, name);
	/* Not through a link someone else put there, nor stuck on a FIFO. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t len = fd >= 0 ? read(fd, line, sizeof(line)) : -1;
	if (fd >= 0)
		(void)close(fd); /* read-only */
	char *end = len > 0 ? memchr(line, '\n', (size_t)len) : NULL;
	if (end != NULL) {
		*end = '\0';
		s->pid = key.pid;
		memcpy(s->line, line, (size_t)(end - line) + 1);
	}
	return 0;
}

int verdict_report(void)
{
	struct search s = { .mount_ns = own_mount_ns() };

	for (size_t i = 0; i < PLACES; i++) {
		s.dir = places[i];
		(void)entries_each(places[i], consider, &s, NULL); /* a place that is missing holds no verdict */
	}
	if (s.pid == 0) {
		log_error("health: no verdict: no gracefulinit with --health or --health-cmd runs in this container");
		return 1;
	}
	size_t len = strlen(s.line);
	s.line[len] = '\n';
	if (write(STDOUT_FILENO, s.line, len + 1) < 0)
		return 1;
	return strcmp(s.line, "healthy\n") == 0 ? 0 : 1;
}
