#define _GNU_SOURCE /* F_SETSIG */
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

/* ENOENT and ENOTDIR: a path that does not exist (yet), or a directory on
 * its way that does not (or is a file), which is watched through its
 * nearest existing parent; anything else, the user may not watch it. */
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

/* The directory first, then the path: a path created in between is either
 * watched or an event in the directory. A directory on the way that
 * appeared in between moves the watch down, until it stays. */
static int watch_both(const struct watcher *w, struct watched *now, char *path)
{
	int last = -1;

	for (;;) {
		int dir = watch_parent(w, path);
		if (dir < 0)
			return -1;
		now->self = add_watch(w, path, WATCH_MASK);
		int absent = now->self < 0 && missing();
		if (now->self < 0 && !absent)
			return -1;
		if (!absent || dir == last) {
			now->parent = dir;
			return 0;
		}
		last = dir;
	}
}

/* Watches path i as it is now. Returns 1 when it resolves to another file
 * than before (created, removed, replaced, or its symlink retargeted), 0
 * when not. A watch descriptor stands for one file while watched, and the
 * kernel numbers new ones upwards: the path's own descriptor is its
 * identity. One no path uses any more stays with the kernel: it goes with
 * its file (the kubelet removes the old directory, an editor's rename
 * unlinks the old file), and until then its events name no path. When the
 * user may no longer watch it (a directory made unreadable), that is said
 * once and counts as one change; -1 at start, after the line. */
static int arm(struct watcher *w, size_t i)
{
	char *path = w->list->paths[i].path;
	struct watched *p = &w->paths[i], now = *p;

	if (watch_both(w, &now, path) != 0) {
		int first = !p->failing;
		if (first)
			log_error("--watch %s: %m", path);
		p->failing = 1;
		return p->parent < 0 ? -1 : first;
	}
	int moved = now.self != p->self;
	*p = now;
	p->failing = 0;
	return moved;
}

int watcher_start(struct watcher *w, struct watch_list *list)
{
	w->list = list;
	w->fd = -1;
	if (list->count == 0)
		return 0;
	/* Events raise WATCH_SIGNAL at the init, which the loop waits for with
	 * the rest: no second wait, no thread, no polling. */
	w->fd = (int)syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 || syscall(SYS_fcntl, w->fd, F_SETOWN, getpid()) != 0 ||
	    syscall(SYS_fcntl, w->fd, F_SETSIG, WATCH_SIGNAL) != 0 ||
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

/* The kernel's signals have a positive si_code (POLL_IN, or SI_KERNEL for
 * SIGIO); kill(2) and sigqueue(3) give 0 or below. */
int watcher_woke(const struct watcher *w, int sig, const siginfo_t *info)
{
	return w->fd >= 0 && (sig == WATCH_SIGNAL || sig == SIGIO) && info->si_code > 0;
}

/* Which paths an event is about: an event on a path's own watch changed it
 * (bit set in *changed), one on its parent may have (*touched: looked at
 * again). An overflow lost events: every path counts as changed. */
static void sort_event(const struct watcher *w, const struct inotify_event *e, unsigned *changed, unsigned *touched)
{
	for (size_t i = 0; i < w->list->count; i++) {
		unsigned bit = 1U << i;
		if ((e->mask & IN_Q_OVERFLOW) || (e->wd == w->paths[i].self && !(e->mask & IN_IGNORED)))
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
	 * round of inotify_add_watch, not one per event. */
	for (size_t i = 0; i < w->list->count; i++)
		if ((touched & (1U << i)) && arm(w, i) > 0)
			changed |= 1U << i;
	return changed;
}
