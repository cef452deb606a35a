/* --watch PATH[:ACTION][,...]: the files and directories whose change the
 * command hears of (gracefulinit(1), RELOADING ON CHANGE). config/options.c
 * parses the paths here and the actions into the policy's watch_config;
 * watch_sys.c watches the paths with inotify. Pure. */
#ifndef GRACEFULINIT_WATCH_H
#define GRACEFULINIT_WATCH_H

#include <stddef.h>

/* How many paths all --watch options may name together, and how long their
 * text may be together. */
#define WATCH_PATHS_MAX 16
#define WATCH_TEXT_MAX 4096

/* --watch-settle when not given: a kubelet's swap, or an editor's save,
 * is over well within it. */
#define WATCH_SETTLE_MS 1000

struct watch_path {
	char *path;         /* absolute, NUL-terminated */
	const char *action; /* what followed the last ':', or NULL (HUP) */
};

struct watch_list {
	size_t count;
	struct watch_path paths[WATCH_PATHS_MAX];
	size_t used;             /* of pool */
	char pool[WATCH_TEXT_MAX]; /* the paths' text, each NUL-terminated */
};

/* Adds each path of "P1[:A1],P2,..." (one --watch's value). Text after the
 * last ':' of an item is its action unless it holds a '/' (then it is part
 * of the path); config/options.c checks both. Returns 0, or -1 with one
 * line in err when there are too many. */
int watch_list_parse(struct watch_list *list, const char *text, char *err, size_t err_size);

/* The length of the directory that holds the first len bytes of path
 * ("/a/b" in "/a/b/c"; "/" itself for "/a"). */
size_t watch_parent_len(const char *path, size_t len);

#endif
