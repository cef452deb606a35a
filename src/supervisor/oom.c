#include "oom.h"

#include <string.h>

#include "files.h"
#include "format.h"
#include "log.h"
#include "number.h"
#include "text.h"

#define MIB (1024LL * 1024)
#define GIB (1024 * MIB)
/* v1 reports "no limit" as a page-rounded LLONG_MAX. */
#define NO_LIMIT (1LL << 62)

/* v2: the "0::" line; v1: "memory" among the comma-separated controllers. */
static int names_memory(struct text_span id, struct text_span controllers, int v2)
{
	struct text_span name;

	if (v2)
		return controllers.len == 0 && id.len == 1 && id.p[0] == '0';
	while (text_next(&controllers, ',', &name))
		if (name.len == 6 && memcmp(name.p, "memory", 6) == 0)
			return 1;
	return 0;
}

int oom_cgroup_path(const char *proc_cgroup, int v2, char *out, size_t size)
{
	struct text_span lines = text_span_of(proc_cgroup), line;

	while (text_next(&lines, '\n', &line)) {
		struct text_span id, controllers, path = line;
		if (!text_next(&path, ':', &id) || !text_next(&path, ':', &controllers) || path.p == NULL)
			continue;
		if (names_memory(id, controllers, v2) && path.len < size &&
		    format(out, size, "%.*s", (int)path.len, path.p) == (int)path.len)
			return 0;
	}
	return -1;
}

int oom_parse_count(const char *text, const char *key, long long *out)
{
	const char *value = text_line_value(text, key, ' ');
	unsigned long long v;

	if (value == NULL || number_scan(value, NUMBER_TO_NUL, (unsigned long long)-1 >> 1, &v) == 0)
		return -1;
	*out = (long long)v;
	return 0;
}

void oom_format_limit(long long bytes, char *buf, size_t size)
{
	if (bytes < 0)
		format(buf, size, "no memory limit");
	else if (bytes % GIB == 0)
		format(buf, size, "memory limit %lld GiB", bytes / GIB);
	else if (bytes % MIB == 0)
		format(buf, size, "memory limit %lld MiB", bytes / MIB);
	else
		format(buf, size, "memory limit %lld bytes", bytes);
}

static int read_count(const char *path, long long *kills)
{
	char text[512];

	return file_read(path, text, sizeof(text)) > 0 ? oom_parse_count(text, "oom_kill", kills) : -1;
}

/* Inside a container the cgroup appears either at its own path (no cgroup
 * namespace) or as the root of the mount (a cgroup namespace, or v1's
 * container directory mounted in place): the first that counts wins. */
static int find_files(struct oom_watch *w, const char *root, const char *path, const char *events,
		      const char *limit)
{
	const char *sep = strcmp(path, "/") == 0 ? "" : path;

	/* The root itself is tried once, not twice for a cgroup path of "/". */
	for (int try = sep[0] == '\0'; try < 2; try++, sep = "") {
		format(w->events, sizeof(w->events), "%s%s/%s", root, sep, events);
		if (read_count(w->events, &w->kills) == 0) {
			format(w->limit, sizeof(w->limit), "%s%s/%s", root, sep, limit);
			return 0;
		}
	}
	w->events[0] = '\0';
	return -1;
}

/* cgroup v1 without a cgroup namespace lists a dozen hierarchies with full
 * paths (Kubernetes' systemd driver: over 200 bytes each), so the file is
 * read whole, and a path may be as long as the kernel allows. */
#define PROC_CGROUP_MAX 65536

void oom_watch_init(struct oom_watch *w)
{
	static char text[PROC_CGROUP_MAX]; /* untouched pages cost nothing */
	char path[OOM_PATH_MAX];

	memset(w, 0, sizeof(*w));
	ssize_t len = file_read("/proc/self/cgroup", text, sizeof(text));
	if (len <= 0)
		return;
	if ((size_t)len == sizeof(text) - 1)
		log_notice("/proc/self/cgroup is longer than %d bytes: OOM kills may go unnamed", PROC_CGROUP_MAX - 1);
	if (oom_cgroup_path(text, 1, path, sizeof(path)) == 0 &&
	    find_files(w, "/sys/fs/cgroup", path, "memory.events", "memory.max") == 0)
		return;
	if (oom_cgroup_path(text, 0, path, sizeof(path)) == 0)
		(void)find_files(w, "/sys/fs/cgroup/memory", path, "memory.oom_control", "memory.limit_in_bytes");
}

int oom_watching(const struct oom_watch *w) { return w->events[0] != '\0'; }

int oom_killed_since(struct oom_watch *w)
{
	long long kills;

	if (!oom_watching(w) || read_count(w->events, &kills) != 0 || kills <= w->kills)
		return 0;
	w->kills = kills;
	return 1;
}

void oom_describe_limit(const struct oom_watch *w, char *buf, size_t size)
{
	char text[32];
	unsigned long long v;
	long long bytes = -1;

	if (file_read(w->limit, text, sizeof(text)) > 0 && number_scan(text, NUMBER_TO_NUL, (unsigned long long)-1 >> 1, &v) > 0 &&
	    v < (unsigned long long)NO_LIMIT)
		bytes = (long long)v;
	oom_format_limit(bytes, buf, size);
}
