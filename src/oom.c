#include "oom.h"

#include <string.h>

#include "files.h"
#include "format.h"
#include "number.h"

#define MIB (1024LL * 1024)
#define GIB (1024 * MIB)
/* v1 reports "no limit" as a page-rounded LLONG_MAX. */
#define NO_LIMIT (1LL << 62)

int oom_cgroup_path(const char *proc_cgroup, int v2, char *out, size_t size)
{
	for (const char *line = proc_cgroup; *line != '\0';) {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		const char *colon = memchr(line, ':', len);
		const char *second = colon != NULL ? memchr(colon + 1, ':', len - (size_t)(colon + 1 - line)) : NULL;
		if (second != NULL) {
			size_t ctl_len = (size_t)(second - colon - 1);
			int match = v2 ? ctl_len == 0 && colon - line == 1 && line[0] == '0' : 0;
			/* v1: "memory" among the comma-separated controllers. */
			for (const char *c = colon + 1; !v2 && c < second;) {
				const char *comma = memchr(c, ',', (size_t)(second - c));
				const char *stop = comma != NULL ? comma : second;
				match |= stop - c == 6 && memcmp(c, "memory", 6) == 0;
				c = stop + 1;
			}
			int path_len = (int)(line + len - second - 1);
			if (match && (size_t)path_len < size && format(out, size, "%.*s", path_len, second + 1) == path_len)
				return 0;
		}
		line += len + (end != NULL);
	}
	return -1;
}

int oom_parse_count(const char *text, const char *key, long long *out)
{
	size_t key_len = strlen(key);
	unsigned long long v;

	for (const char *line = text; line != NULL; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ' ' &&
		    number_scan(line + key_len + 1, NUMBER_TO_NUL, (unsigned long long)-1 >> 1, &v) > 0) {
			*out = (long long)v;
			return 0;
		}
	}
	return -1;
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

void oom_watch_init(struct oom_watch *w)
{
	char text[1024], path[256];

	memset(w, 0, sizeof(*w));
	if (file_read("/proc/self/cgroup", text, sizeof(text)) <= 0)
		return;
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
