#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "verdict_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdstat.h"
#include "files.h"
#include "format.h"
#include "log.h"
#include "number.h"
#include "numeric_entries.h"
#include "text.h"
#include "verdict.h"

/* A tmpfs that anyone may write to, even under docker run --read-only, and
 * that Docker, Podman and Kubernetes all give a container. */
#define PLACE "/dev/shm"
#define LINE_MAX_LEN (CHECK_WHY_MAX + 16)

static int published = -1;
static char published_path[96];

/* "mnt:[N]", which readlink gives any process for itself. */
static unsigned long long own_mount_ns(void)
{
	char link[40] = "";
	unsigned long long ns = 0;

	if (readlink("/proc/self/ns/mnt", link, sizeof(link) - 1) > 5)
		(void)number_scan(link + 5, NUMBER_TO_NUL, ~0ULL, &ns);
	return ns;
}

static void key_of(unsigned long long mount_ns, unsigned long long pid, struct verdict_key *key)
{
	char path[40], stat[1024];

	format(path, sizeof(path), "/proc/%llu/stat", pid);
	key->mount_ns = mount_ns;
	key->pid = pid;
	key->start_time = file_read(path, stat, sizeof(stat)) > 0 ? verdict_start_time(stat) : 0;
}

/* Emptied, then written: a reader between the two reads "starting", never
 * the old verdict once the new one could not be written. */
void verdict_publish(enum health_verdict verdict, const char *why)
{
	static const char words[][10] = { "starting", "healthy", "unhealthy" };
	char line[LINE_MAX_LEN];
	int len = format(line, sizeof(line) - 1, "%s%s%s", words[verdict], *why ? ": " : "", why);

	if (published < 0)
		return;
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;
	line[len++] = '\n';
	if (ftruncate(published, 0) != 0 || pwrite(published, line, (size_t)len, 0) != len)
		log_error("health: writing %s: %m", published_path);
}

void verdict_open(void)
{
	struct verdict_key key;

	key_of(own_mount_ns(), (unsigned long long)getpid(), &key);
	verdict_name(PLACE, &key, published_path, sizeof(published_path));
	/* O_EXCL: a file of that name is not this init's, whoever made it (and
	 * a reader refuses it). 0644: root reads it without CAP_DAC_OVERRIDE
	 * (docker run --cap-drop ALL), and the reason is the log's anyway.
	 * Without /proc (a name with a 0 in it) no reader could find it. */
	if (key.mount_ns != 0 && key.start_time != 0)
		published = open(published_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (published < 0)
		log_error("health: cannot create %s: %m", published_path);
	verdict_publish(HEALTH_STARTING, "");
}

void verdict_close(void)
{
	if (published >= 0)
		(void)unlink(published_path); /* already gone: nothing is left to do */
}

struct search {
	unsigned long long mount_ns;
	int found;
	char line[LINE_MAX_LEN];
};

/* The effective uid of pid, from /proc/PID/status ("Uid:\treal\teffective"),
 * or -1. Not the owner of /proc/PID, which is root once the init has
 * switched users (it is then not dumpable). */
static long long uid_of(long pid)
{
	char path[40], status[2048];
	unsigned long long uid;

	format(path, sizeof(path), "/proc/%ld/status", pid);
	const char *value = file_read(path, status, sizeof(status)) > 0 ? text_line_value(status, "Uid", ':') : NULL;
	if (value == NULL || (value = strchr(value + 1, '\t')) == NULL || number_scan(value + 1, NUMBER_TO_NUL, ~0U, &uid) == 0)
		return -1;
	return (long long)uid;
}

/* Whether fd is what the init made: a regular file of the init's own user
 * that no one else may write. Without statx (Linux before 4.11, or a seccomp
 * filter that predates it), a regular file: the owner is then not checked. */
static int made_by(int fd, long pid)
{
	struct statx st;
	struct fd_facts facts;

	if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MODE | STATX_UID, &st) == 0)
		return (st.stx_mode & 0170022) == 0100000 && (long long)st.stx_uid == uid_of(pid);
	return fd_facts(fd, &facts) == 0 && facts.regular;
}

/* The line in fd, if the init made the file; otherwise a reason. */
static void read_verdict(int fd, long pid, char *line, size_t size)
{
	if (!made_by(fd, pid)) {
		format(line, size, "not this init's verdict file\n");
		return;
	}
	ssize_t len = read(fd, line, size - 1);
	char *end = len > 0 ? memchr(line, '\n', (size_t)len) : NULL;
	if (end == NULL) /* between the init's truncate and write */
		format(line, size, "starting\n");
	else
		end[1] = '\0';
}

/* The verdict of the process pid, if it is an init of this mount namespace
 * that still runs: a file with its pid and the start time it has now. /proc
 * lists the lowest pid first, so when one init started another, the outer
 * one's verdict counts. The first file of a matching name ends the walk. */
static int consider(long pid, void *ctx)
{
	struct search *s = ctx;
	struct verdict_key key;
	char path[96];

	key_of(s->mount_ns, (unsigned long long)pid, &key);
	if (key.start_time == 0)
		return 0; /* gone since the listing */
	verdict_name(PLACE, &key, path, sizeof(path));
	/* Not through a link someone else put there, nor stuck on a FIFO. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	s->found = 1;
	if (fd < 0) {
		format(s->line, sizeof(s->line), "cannot read %s: %m\n", path);
		return 1;
	}
	read_verdict(fd, pid, s->line, sizeof(s->line));
	(void)close(fd); /* read-only */
	return 1;
}

int verdict_report(void)
{
	struct search s = { .mount_ns = own_mount_ns() };

	if (numeric_entries_each("/proc", consider, &s, NULL) != 0 || !s.found) {
		log_error("health: no verdict for this container in " PLACE);
		return 1;
	}
	size_t len = strlen(s.line);
	if (write(STDOUT_FILENO, s.line, len) != (ssize_t)len)
		return 1;
	return strcmp(s.line, "healthy\n") == 0 ? 0 : 1;
}
