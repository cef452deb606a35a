#include "watch_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

/* What counts as a change (gracefulinit(1), RELOADING ON CHANGE): a write
 * or truncation, touch and chmod, an entry of a watched directory created,
 * removed or renamed, and the path itself removed or renamed. Opening and
 * reading do not count: the app reads its config without a reload loop.
 * One mask for every watch: two paths may share a directory, and a second
 * inotify_add_watch replaces the first's mask. */
#define WATCH_MASK                                                                                        \
	(IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | \
	 IN_MOVE_SELF)

/* The inotify calls and fcntl as plain system calls: musl's fcntl is a
 * thread cancellation point with F_GETOWN's special case, some 500 B that
 * the size budget has no room for (bench/notes.md). */
static int add_watch(const struct watcher *w, const char *path, unsigned mask)
{
	return (int)syscall(SYS_inotify_add_watch, w->fd, path, mask);
}

/* ENOENT and ENOTDIR: a path that does not exist (yet), which is watched
 * through its nearest existing parent; anything else, the user cannot. */
static int missing(void) { return errno == ENOENT || errno == ENOTDIR; }

/* The nearest directory above path that exists: the one whose entries say
 * the path was created, removed or renamed over, or now leads elsewhere
 * (a symlink in it swapped, as the kubelet's ..data). path is cut short in
 * place for the call, and mended. */
static int watch_parent(const struct watcher *w, char *path)
{
	size_t end = strlen(path);
	int wd;

	do {
		end = watch_parent_len(path, end);
		char was = path[end];
		path[end] = '\0';
		wd = add_watch(w, path, WATCH_MASK | IN_ONLYDIR);
		path[end] = was;
	} while (wd < 0 && missing() && end > 1);
	return wd;
}

/* Watches path i as it is now. Returns 1 when it resolves to another file
 * than before (created, removed, replaced, or its symlink retargeted), 0
 * when not, -1 after a line when the user may not watch it. A watch
 * descriptor stands for one file while watched, and the kernel numbers new
 * ones upwards: the path's own descriptor is its identity. One no path uses
 * any more stays with the kernel: it goes with its file (the kubelet removes
 * the old directory, an editor's rename unlinks the old file), and until
 * then its events name no path. */
static int arm(struct watcher *w, size_t i)
{
	char *path = w->list->paths[i].path;
	struct watched *p = &w->paths[i];
	int was = p->self;

	p->self = add_watch(w, path, WATCH_MASK);
	int parent = p->self >= 0 || missing() ? watch_parent(w, path) : -1;
	if (parent < 0) {
		log_error("--watch %s: %m", path);
		return -1;
	}
	p->parent = parent;
	return p->self != was;
}

int watcher_start(struct watcher *w, struct watch_list *list)
{
	w->list = list;
	w->fd = -1;
	if (list->count == 0)
		return 0;
	/* Events raise SIGIO at the init, which the loop waits for with the
	 * rest: no second wait, no thread, no polling. */
	w->fd = (int)syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 || syscall(SYS_fcntl, w->fd, F_SETOWN, getpid()) != 0 ||
	    syscall(SYS_fcntl, w->fd, F_SETFL, O_NONBLOCK | O_ASYNC) != 0) {
		log_error("--watch %s: %m", list->paths[0].path); /* inotify's limits, or no inotify */
		return -1;
	}
	for (size_t i = 0; i < list->count; i++) {
		w->paths[i] = (struct watched){ .self = -1, .parent = -1 };
		if (arm(w, i) < 0)
			return -1;
	}
	return 0;
}

/* The kernel's SIGIO has a positive si_code (POLL_IN); kill(2) and
 * sigqueue(3) give 0 or below, and those are forwarded as always. */
int watcher_woke(const struct watcher *w, int sig, const siginfo_t *info)
{
	return w->fd >= 0 && sig == SIGIO && info->si_code > 0;
}

/* Which paths an event is about: an event on a path's own watch changed it
 * (bit set in *changed), one on its parent may have (*touched: looked at
 * again). An overflow lost events: every path counts as changed. */
static void sort_event(const struct watcher *w, const struct inotify_event *e, unsigned *changed, unsigned *touched)
{
	for (size_t i = 0; i < w->list->count; i++) {
		unsigned bit = 1U << i;
		if (e->mask & IN_Q_OVERFLOW)
			*changed |= bit;
		else if (e->wd == w->paths[i].self && !(e->mask & IN_IGNORED))
			*changed |= bit;
		else if (e->wd != w->paths[i].parent && e->wd != w->paths[i].self)
			continue;
		*touched |= bit;
	}
}

unsigned watcher_changes(struct watcher *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned changed = 0, touched = 0;
	ssize_t n;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		for (ssize_t at = 0; at < n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)(buf + at);
			sort_event(w, e, &changed, &touched);
			at += (ssize_t)(sizeof(*e) + e->len);
		}
	if (n < 0 && errno != EAGAIN)
		log_error("--watch: read: %m");
	/* Each path once, after the whole batch: a burst of writes is one
	 * stat and one inotify_add_watch, not one per event. */
	for (size_t i = 0; i < w->list->count; i++)
		if ((touched & (1U << i)) && arm(w, i) > 0)
			changed |= 1U << i;
	return changed;
}
