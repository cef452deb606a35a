#include "procs.h"

#include <errno.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "format.h"
#include "log.h"
#include "mapping.h"
#include "number.h"
#include "numeric_entries.h"
#include "text.h"

/* Reads a pid at *p, skipping one leading space. */
static int read_int(const char **p, int *out)
{
	const char *s = *p + (**p == ' ');
	unsigned long long v;
	size_t digits = number_scan(s, NUMBER_TO_NUL, 0x7fffffff, &v);

	if (digits == 0)
		return -1;
	*out = (int)v;
	*p = s + digits;
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

/* Room for "/proc/PID/stat", or a test's fixture directory in place of /proc. */
#define PATH_MAX_PROC 256

struct entry {
	struct proc_info info;
	pid_t ppid;
	char state;
	int in_scope;
};

/* A read of a process's file that failed: 1 when that says nothing of what
 * runs (the process has gone since the directory was listed, or is one
 * gracefulinit may not look at, behind hidepid or an LSM, and so not its
 * own), -1 when /proc itself cannot be read (EMFILE, ENFILE, ENOMEM):
 * "gone" then would be a lie that leaves a leftover running. */
static int unreadable(void)
{
	return errno == ENOENT || errno == ESRCH || errno == EACCES || errno == EPERM ? 1 : -1;
}

/* Returns 0, 1 for a process not to list (see unreadable), or -1. */
static int read_stat(const char *root, pid_t pid, struct entry *e)
{
	char path[PATH_MAX_PROC], text[512];

	format(path, sizeof(path), "%s/%d/stat", root, (int)pid);
	ssize_t len = file_read(path, text, sizeof(text));
	if (len < 0)
		return unreadable();
	return len == 0 || procs_parse_stat(text, &e->info, &e->ppid, &e->state) != 0 ? 1 : 0;
}

int procs_parse_sigmask(const char *status, const char *key, sigmask_bits *out)
{
	const char *p = text_line_value(status, key, ':');
	sigmask_bits bits = 0;
	int digits = 0;

	if (p == NULL)
		return -1;
	while (*p == '\t' || *p == ' ')
		p++;
	for (; *p != '\n' && *p != '\0'; p++, digits++) {
		int v = number_hex_digit(*p);
		if (v < 0 || digits == 16)
			return -1;
		bits = bits << 4 | (sigmask_bits)v;
	}
	if (digits == 0)
		return -1;
	*out = bits;
	return 0;
}

int procs_ns_pids(const char *status, const char *key, pid_t pids[PROCS_MAX_LEVELS])
{
	const char *p = text_line_value(status, key, ':');
	int count = 0;

	if (p == NULL)
		return 0;
	while (*p == '\t' || *p == ' ') {
		unsigned long long v;
		while (*p == '\t' || *p == ' ')
			p++;
		size_t digits = number_scan(p, NUMBER_TO_NUL, 0x7fffffff, &v);
		if (digits == 0 || count == PROCS_MAX_LEVELS)
			return 0;
		pids[count++] = (pid_t)v;
		p += digits;
	}
	return *p == '\n' || *p == '\0' ? count : 0;
}

/* Room for the status of a process with many supplementary groups, which
 * come before the NS lines. */
#define STATUS_MAX 4096

/* /proc/PID/status into text (STATUS_MAX bytes); -1 when it has gone. */
static int read_proc_status(const char *root, pid_t pid, char *text)
{
	char path[PATH_MAX_PROC];

	format(path, sizeof(path), "%s/%d/status", root, (int)pid);
	ssize_t len = file_read(path, text, STATUS_MAX);
	if (len == 0)
		errno = ENOENT; /* an empty status: a process on its way out */
	return len > 0 ? 0 : -1;
}

/* Which /proc this is: *self is gracefulinit's pid in it, *level how deep
 * gracefulinit's namespace lies below the one it shows. A /proc of another
 * branch of namespaces, or none, does not show gracefulinit at all. */
static int proc_view(pid_t *self, int *level)
{
	char link[32];
	pid_t pids[PROCS_MAX_LEVELS];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n <= 0)
		return -1;
	link[n] = '\0';
	const char *p = link;
	int pid;
	if (read_int(&p, &pid) != 0)
		return -1;
	*self = pid;
	*level = 0;
	if (pid == (int)getpid())
		return 0;
	char text[STATUS_MAX];
	int count = read_proc_status("/proc", pid, text) == 0 ? procs_ns_pids(text, "NSpid", pids) : 0;
	if (count < 2 || pids[count - 1] != getpid())
		return -1;
	*level = count - 1;
	return 0;
}

/* Memory for the tables comes straight from mmap: they are needed only at
 * stop time, and gracefulinit links no allocator. */
static void *grow(void *old, size_t old_size, size_t new_size)
{
	void *p = old == NULL ? map_new(new_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)
			      : map_resize(old, old_size, new_size);
	return p == MAP_FAILED ? NULL : p;
}

static void release(void *p, size_t size)
{
	if (p != NULL && map_remove(p, size) != 0)
		log_debug("munmap: %m");
}

struct table {
	const char *root;
	struct entry *items;
	size_t count;
	size_t capacity; /* entries */
	int failed;
};

static int add_pid(long pid, void *ctx)
{
	struct table *t = ctx;

	if (t->count == t->capacity) {
		size_t capacity = t->capacity ? t->capacity * 2 : 256;
		struct entry *grown = grow(t->items, t->capacity * sizeof(*t->items), capacity * sizeof(*t->items));
		if (grown == NULL) {
			log_error("cannot list processes: %m");
			t->failed = 1;
			return 1;
		}
		t->items = grown;
		t->capacity = capacity;
	}
	int rc = read_stat(t->root, (pid_t)pid, &t->items[t->count]);
	if (rc < 0) {
		log_debug("cannot read %s/%d/stat: %m", t->root, (int)pid);
		t->failed = 1;
		return 1;
	}
	t->count += rc == 0;
	return 0;
}

static int read_table(struct table *t, const char *root)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	if (numeric_entries_each(root, add_pid, t, NULL) != 0 || t->failed) {
		if (!t->failed)
			log_debug("cannot list %s: %m", root);
		release(t->items, t->capacity * sizeof(*t->items));
		return -1;
	}
	return 0;
}

/* /proc lists pids in ascending order already; the sort only guards the
 * binary search against a kernel that does not. Shell sort: a few lines,
 * where qsort would bring in two kilobytes of musl. */
static void sort_by_pid(struct entry *entries, size_t count)
{
	for (size_t gap = count / 2; gap > 0; gap /= 2) {
		for (size_t i = gap; i < count; i++) {
			struct entry e = entries[i];
			size_t j = i;
			for (; j >= gap && entries[j - gap].info.pid > e.info.pid; j -= gap)
				entries[j] = entries[j - gap];
			entries[j] = e;
		}
	}
}

static struct entry *find_entry(struct entry *entries, size_t count, pid_t pid)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (entries[mid].info.pid == pid)
			return &entries[mid];
		if (entries[mid].info.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A process is a descendant when its chain of parents reaches self. The walk
 * is bounded by the table's size, so a parent loop (pid reuse between two
 * reads of /proc) cannot trap it. The table comes sorted by pid. */
static void mark_descendants(struct entry *entries, size_t count, pid_t self)
{
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

/* Renumbers info from root's namespace to the one level below it. Returns
 * 0, 1 for a process not to list, or -1 (see unreadable). */
static int translate(const char *root, int level, struct proc_info *info)
{
	char text[STATUS_MAX];
	pid_t pids[PROCS_MAX_LEVELS], pgids[PROCS_MAX_LEVELS];

	if (read_proc_status(root, info->pid, text) != 0)
		return unreadable();
	if (procs_ns_pids(text, "NSpid", pids) <= level || procs_ns_pids(text, "NSpgid", pgids) <= level)
		return 1;
	info->pid = pids[level];
	info->pgid = pgids[level];
	return 0;
}

int procs_read(const char *root, const struct proc_scope *scope, struct proc_list *out)
{
	pid_t self = scope->self;
	int level = scope->level, whole_namespace = scope->whole_namespace;
	struct table t;

	out->items = NULL;
	out->count = out->mapped_bytes = 0;
	if (read_table(&t, root) != 0)
		return -1;
	sort_by_pid(t.items, t.count);
	for (size_t i = 0; i < t.count; i++)
		t.items[i].in_scope = whole_namespace;
	if (!whole_namespace)
		mark_descendants(t.items, t.count, self);
	/* The result reuses the table's memory: each kept entry moves down, and
	 * a proc_info is smaller than the entry that holds it. */
	struct proc_info *items = (struct proc_info *)(void *)t.items;
	for (size_t i = 0; i < t.count; i++) {
		struct proc_info info = t.items[i].info;
		info.proc_pid = info.pid;
		if (!t.items[i].in_scope || info.pid == self || t.items[i].state == 'Z' || t.items[i].state == 'X')
			continue;
		/* One that has gone, or was never ours to number, is not listed:
		 * only a pid known to be a descendant is ever signalled. */
		int rc = level > 0 ? translate(root, level, &info) : 0;
		if (rc < 0) {
			release(t.items, t.capacity * sizeof(*t.items));
			out->count = 0;
			return -1;
		}
		if (rc == 0)
			items[out->count++] = info;
	}
	out->items = items;
	out->mapped_bytes = t.capacity * sizeof(*t.items);
	return 0;
}

int procs_name(pid_t pid, char comm[16])
{
	pid_t self;
	int level;
	struct entry e;

	if (proc_view(&self, &level) != 0 || level != 0 || read_stat("/proc", pid, &e) != 0)
		return -1;
	memcpy(comm, e.info.comm, sizeof(e.info.comm));
	return 0;
}

int procs_signals(const struct proc_info *info, struct proc_signals *out)
{
	char text[STATUS_MAX];

	if (read_proc_status("/proc", info->proc_pid, text) != 0 || procs_parse_sigmask(text, "SigCgt", &out->caught) != 0 ||
	    procs_parse_sigmask(text, "SigBlk", &out->blocked) != 0)
		return -1;
	return 0;
}

int procs_collect(struct proc_list *out, int whole_namespace)
{
	struct proc_scope scope;

	if (proc_view(&scope.self, &scope.level) != 0) {
		out->items = NULL;
		out->count = out->mapped_bytes = 0;
		return -1;
	}
	scope.whole_namespace = whole_namespace && scope.level == 0;
	return procs_read("/proc", &scope, out);
}

void procs_free(struct proc_list *list)
{
	release(list->items, list->mapped_bytes);
	list->items = NULL;
	list->count = list->mapped_bytes = 0;
}

void procs_describe(const struct proc_list *list, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < list->count; i++) {
		char one[48];
		int n = format(one, sizeof(one), "%s%d (%s)", i ? ", " : "", (int)list->items[i].pid, list->items[i].comm);
		if (n < 0 || used + (size_t)n + 6 > size) {
			format(buf + used, size - used, ", ...");
			return;
		}
		memcpy(buf + used, one, (size_t)n + 1);
		used += (size_t)n;
	}
}
