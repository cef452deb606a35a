/* Watching the --watch paths with inotify, as the unprivileged user. The
 * descriptor raises WATCH_SIGNAL when events wait (O_ASYNC, F_SETSIG), so a
 * change reaches the loop's one wait like any signal, and nothing runs while
 * nothing changes. The loop then asks which paths changed; the policy
 * debounces. */
#ifndef GRACEFULINIT_WATCH_SYS_H
#define GRACEFULINIT_WATCH_SYS_H

#include <signal.h>
#include <sys/types.h>

#include "watch.h"

/* 32, one of the C libraries' own real-time signals, which gracefulinit
 * never forwards (signals.h): a kill(1) of it means nothing, and it queues,
 * where SIGIO would merge with a SIGIO sent to be forwarded. The kernel
 * sends plain SIGIO only when its queue of these is full. */
#define WATCH_SIGNAL 32

struct watched {
	int self;    /* the path itself, symlinks followed; -1 while it does not exist */
	int parent;  /* the nearest directory above it that exists */
	int failing; /* the last try to watch it failed, and said so */
};

struct watcher {
	int fd; /* inotify; -1 without --watch */
	struct watch_list *list; /* its paths are cut short in place for a moment */
	struct watched paths[WATCH_PATHS_MAX];
};

/* Watches each path (none: w->fd stays -1). Returns 0, or -1 after one line
 * naming the path the user cannot watch, or the limit that stops it. */
int watcher_start(struct watcher *w, struct watch_list *list);

/* The signal that woke the loop is the watcher's: WATCH_SIGNAL or SIGIO
 * from the kernel, not one sent with kill(2) (a SIGIO is forwarded). */
int watcher_woke(const struct watcher *w, int sig, const siginfo_t *info);

/* Reads every event waiting and watches again what moved; returns the paths
 * that changed (bit i: path i). Contents are never read. */
unsigned watcher_changes(struct watcher *w);

#endif
