#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Reads a decimal at *p, skipping one leading space; scanf would cost the
 * static binary several kilobytes for this one use. */
static int read_int(const char **p, int *out)
{
	const char *s = *p;
	long v = 0;

	if (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && v <= 0x7fffffff)
		v = v * 10 + (*s++ - '0');
	if (v > 0x7fffffff)
		return -1;
	*out = (int)v;
	*p = s;
	return 0;
}

/* "PID (COMM) STATE PPID PGRP ...": comm may hold spaces and parentheses, so
 * it ends at the last ')'. */
int procs_parse_stat(const char *text, struct proc_info *info, pid_t *ppid, char *state)
{
	const char *open = strchr(text, '(');
	const char *close = strrchr(text, ')');
	const char *p = text;
	int pid, parent, pgid;

	if (open == NULL || close == NULL || close < open || read_int(&p, &pid) != 0 || p + 1 != open)
		return -1;
	p = close + 1;
	if (p[0] != ' ' || p[1] == '\0' || p[2] != ' ')
		return -1;
	*state = p[1];
	p += 2;
	if (read_int(&p, &parent) != 0 || read_int(&p, &pgid) != 0)
		return -1;
	size_t len = (size_t)(close - open - 1);
	if (len >= sizeof(info->comm))
		len = sizeof(info->comm) - 1;
	memcpy(info->comm, open + 1, len);
	info->comm[len] = '\0';
	info->pid = pid;
	info->pgid = pgid;
	*ppid = parent;
	return 0;
}

struct entry {
	struct proc_info info;
	pid_t ppid;
	char state;
	int in_scope;
};

static int read_stat(pid_t pid, struct entry *e)
{
	char path[32], text[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1; /* gone since readdir: not an error */
	ssize_t n = read(fd, text, sizeof(text) - 1);
	int saved = errno;
	if (close(fd) != 0 && n >= 0)
		log_debug("close %s: %m", path);
	errno = saved;
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return procs_parse_stat(text, &e->info, &e->ppid, &e->state);
}

/* /proc shows gracefulinit's own namespace exactly when /proc/self is our pid. */
static int proc_matches_namespace(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n <= 0)
		return 0;
	link[n] = '\0';
	const char *p = link;
	int pid;
	return read_int(&p, &pid) == 0 && pid == (int)getpid();
}

static int read_all(struct entry **entries, size_t *count)
{
	DIR *dir = opendir("/proc");
	size_t capacity = 0;
	struct dirent *d;

	*entries = NULL;
	*count = 0;
	if (dir == NULL) {
		log_debug("opendir /proc: %m");
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		if (*count == capacity) {
			capacity = capacity ? capacity * 2 : 64;
			struct entry *grown = realloc(*entries, capacity * sizeof(**entries));
			if (grown == NULL) {
				log_error("out of memory reading /proc");
				free(*entries);
				closedir(dir);
				return -1;
			}
			*entries = grown;
		}
		const char *name = d->d_name;
		int pid;
		if (read_int(&name, &pid) == 0 && *name == '\0' && read_stat(pid, &(*entries)[*count]) == 0)
			(*count)++;
	}
	if (closedir(dir) != 0)
		log_debug("closedir /proc: %m");
	return 0;
}

static int by_pid(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (x->info.pid > y->info.pid) - (x->info.pid < y->info.pid);
}

static struct entry *find_entry(struct entry *entries, size_t count, pid_t pid)
{
	struct entry key;

	memset(&key, 0, sizeof(key));
	key.info.pid = pid;
	return bsearch(&key, entries, count, sizeof(*entries), by_pid);
}

/* A process is a descendant when its chain of parents reaches self. The walk
 * is bounded by the table's size, so a parent loop (pid reuse between two
 * reads of /proc) cannot trap it. */
static void mark_scope(struct entry *entries, size_t count, pid_t self, int whole_namespace)
{
	if (count == 0)
		return;
	qsort(entries, count, sizeof(*entries), by_pid);
	for (size_t i = 0; i < count; i++)
		entries[i].in_scope = whole_namespace;
	if (whole_namespace)
		return;
	for (size_t i = 0; i < count; i++) {
		const struct entry *e = &entries[i];
		size_t steps = 0;
		/* An ancestor already marked settles it (marks are only ever true). */
		while (e != NULL && steps++ < count) {
			if (e->ppid == self || (e != &entries[i] && e->in_scope)) {
				entries[i].in_scope = 1;
				break;
			}
			e = find_entry(entries, count, e->ppid);
		}
	}
}

int procs_collect(struct proc_list *out, int whole_namespace)
{
	struct entry *entries;
	size_t count;
	pid_t self = getpid();

	out->items = NULL;
	out->count = out->capacity = 0;
	if (!proc_matches_namespace() || read_all(&entries, &count) != 0)
		return -1;
	mark_scope(entries, count, self, whole_namespace);
	out->items = malloc((count ? count : 1) * sizeof(*out->items));
	if (out->items == NULL) {
		log_error("out of memory reading /proc");
		free(entries);
		return -1;
	}
	out->capacity = count;
	for (size_t i = 0; i < count; i++)
		if (entries[i].in_scope && entries[i].info.pid != self && entries[i].state != 'Z' && entries[i].state != 'X')
			out->items[out->count++] = entries[i].info;
	free(entries);
	return 0;
}

void procs_free(struct proc_list *list)
{
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}

void procs_describe(const struct proc_list *list, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < list->count; i++) {
		char one[48];
		int n = snprintf(one, sizeof(one), "%s%d (%s)", i ? ", " : "", (int)list->items[i].pid, list->items[i].comm);
		if (n < 0 || used + (size_t)n + 6 > size) {
			snprintf(buf + used, size - used, ", ...");
			return;
		}
		memcpy(buf + used, one, (size_t)n + 1);
		used += (size_t)n;
	}
}
