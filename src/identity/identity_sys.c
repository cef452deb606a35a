#include "identity_sys.h"

#include <cap-ng.h>
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accounts.h"
#include "capng_libc.h"
#include "environ.h"
#include "files.h"
#include "format.h"
#include "log.h"
#include "identity.h"

/* What resolution finds lives as long as gracefulinit: it is resolved once,
 * and the groups and HOME are needed until the switch. */
static struct account resolved_user;
static gid_t resolved_groups[65536]; /* NGROUPS_MAX; untouched pages cost nothing */

/* ---- Resolution: names to numbers. /etc/passwd and /etc/group are read
 * directly, as the C library's file backend does (a static binary has no NSS
 * modules): accounts.c parses them; here they are only mapped. ---- */

/* Maps path, or says why it cannot. */
static int map_file(const char *path, struct file_text *file)
{
	if (file_map(path, file) != 0) {
		log_error("cannot read %s: %m", path);
		return -1;
	}
	return 0;
}

static int lookup_group(const char *name, gid_t *gid)
{
	struct file_text group;

	if (map_file("/etc/group", &group) != 0)
		return -1;
	struct account_problem problem = { 0, NULL };
	int found = accounts_find_group(group.text, group.len, name, gid, &problem);
	file_unmap(&group);
	if (found < 0)
		log_error("--user: group '%s': line %zu of /etc/group: %s", name, problem.line, problem.reason);
	else if (!found)
		log_error("--user: unknown group '%s' (not in /etc/group)", name);
	return found == 1 ? 0 : -1;
}

/* The user's memberships in /etc/group, primary gid first, as initgroups(3)
 * would set them. */
static int lookup_groups(struct identity *id, const char *user)
{
	struct file_text group;
	const int max = (int)(sizeof(resolved_groups) / sizeof(resolved_groups[0]));

	if (map_file("/etc/group", &group) != 0)
		return -1;
	int count = accounts_user_groups(group.text, group.len, user, id->gid, resolved_groups, max);
	file_unmap(&group);
	if (count > max) {
		log_error("user '%s' is in %d groups, more than the kernel allows (%d)", user, count, max);
		return -1;
	}
	id->groups = resolved_groups;
	id->group_count = count;
	return 0;
}

/* Returns 1 found, 0 not, -1 after logging. */
static int lookup_user(const struct user_spec *spec, struct account *account)
{
	struct file_text passwd;
	struct account_problem problem = { 0, NULL };

	if (map_file("/etc/passwd", &passwd) != 0)
		return -1;
	int found = accounts_find_user(passwd.text, passwd.len, spec->user_is_id ? NULL : spec->user, spec->user_id,
				       account, &problem);
	file_unmap(&passwd);
	if (found < 0)
		log_error("--user: user '%s': line %zu of /etc/passwd: %s", spec->user, problem.line, problem.reason);
	return found;
}

static int resolve_user(struct identity *id, const char *text)
{
	struct user_spec spec;
	char err[256];

	if (user_spec_parse(&spec, text, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return -1;
	}
	int found = lookup_user(&spec, &resolved_user);
	if (found < 0)
		return -1;
	if (!found && !spec.user_is_id) {
		log_error("--user: unknown user '%s' (not in /etc/passwd)", spec.user);
		return -1;
	}
	/* A bare uid with no entry (OpenShift-style): its own number as its
	 * group, no supplementary groups, HOME=/. */
	id->uid = found ? resolved_user.uid : spec.user_id;
	id->gid = found ? resolved_user.gid : spec.user_id;
	if (spec.group_is_id)
		id->gid = spec.group_id;
	else if (spec.group[0] != '\0' && lookup_group(spec.group, &id->gid) != 0)
		return -1;
	if (found && lookup_groups(id, resolved_user.name) != 0)
		return -1;
	if (!found || resolved_user.home[0] == '\0')
		format(resolved_user.home, sizeof(resolved_user.home), "/");
	id->home = resolved_user.home;
	id->login = found ? resolved_user.name : NULL;
	return 0;
}

int identity_resolve(const struct identity_request *req, struct identity *id)
{
	memset(id, 0, sizeof(*id));
	id->wanted = req->user != NULL || req->keep != 0;
	id->keep = req->keep;
	if (req->user == NULL)
		return 0;
	id->switch_user = 1;
	id->name = req->user;
	return resolve_user(id, req->user);
}

/* ---- The switch. Each step is checked where it happens; a failure stops
 * start-up (125) before anything runs. ---- */

/* Names it "cap_net_bind_service (10)", or by number when libcap-ng has no
 * name for it. */
static void log_missing_cap(enum log_level level, unsigned cap, const char *why)
{
	const char *name = capng_capability_to_name(cap);

	(level == LOG_LEVEL_ERROR ? log_error : log_notice)("cannot keep capability %s%s (%u): %s", name ? "cap_" : "",
							    name ? name : "", cap, why);
}

/* Capabilities asked for that this process does not have itself (an engine
 * that did not grant them, or a non-root start): root must fail, a non-root
 * start goes on without them. Returns the capabilities that can be kept. */
static int keepable(cap_mask keep, int as_root, cap_mask *kept)
{
	*kept = 0;
	for (unsigned cap = 0; cap < 64; cap++) {
		if (!(keep & CAP_MASK_BIT(cap)))
			continue;
		if (capng_have_capability(CAPNG_PERMITTED, cap)) {
			*kept |= CAP_MASK_BIT(cap);
			continue;
		}
		log_missing_cap(as_root ? LOG_LEVEL_ERROR : LOG_LEVEL_NOTICE, cap,
				as_root ? "the container does not grant it" : "gracefulinit did not start as root");
		if (as_root)
			return -1;
	}
	return 0;
}

/* Dropping from the bounding set needs CAP_SETPCAP in the effective set.
 * After setuid(2) with PR_SET_KEEPCAPS the permitted set still has it but
 * the effective set is empty: raise it back for this one step. Returns 1
 * when the bounding set can be dropped, 0 when not, -1 after logging. */
static int can_drop_bounding(void)
{
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP))
		return 1;
	if (!capng_have_capability(CAPNG_PERMITTED, CAP_SETPCAP))
		return 0;
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE, CAP_SETPCAP) != 0 || capng_apply(CAPNG_SELECT_CAPS) != 0) {
		log_error("cannot raise cap_setpcap to drop the bounding set: %m");
		return -1;
	}
	return 1;
}

/* capng_apply does not report a failed bounding-set drop (it only tells
 * syslog), so read the set back from the kernel. */
static int check_bounding(cap_mask keep)
{
	for (unsigned cap = 0; cap < 64; cap++) {
		int in_set = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		if (in_set < 0)
			break; /* past the kernel's last capability */
		if (in_set && !(keep & CAP_MASK_BIT(cap))) {
			log_error("capability %u is still in the bounding set", cap);
			return -1;
		}
	}
	return 0;
}

/* Every capability set down to keep: permitted and inheritable so that the
 * ambient set may hold them, ambient so that they survive execve(2) for a
 * non-root command, bounding so that nothing else can come back; effective
 * stays empty, gracefulinit itself needs none. */
static int restrict_capabilities(cap_mask keep, int as_root)
{
	cap_mask kept;

	if (capng_get_caps_process() != 0) {
		log_error("cannot read this process's capabilities: %m");
		return -1;
	}
	if (keepable(keep, as_root, &kept) != 0)
		return -1;
	int bounding = can_drop_bounding();
	if (bounding < 0)
		return -1;
	if (!bounding) {
		if (as_root) {
			log_error("cannot drop the bounding set: the container does not grant cap_setpcap");
			return -1;
		}
		log_debug("bounding set left as it is: no cap_setpcap");
	}
	capng_clear(CAPNG_SELECT_ALL);
	for (unsigned cap = 0; cap < 64; cap++) {
		if ((kept & CAP_MASK_BIT(cap)) &&
		    capng_update(CAPNG_ADD, CAPNG_PERMITTED | CAPNG_INHERITABLE | CAPNG_AMBIENT | CAPNG_BOUNDING_SET,
				 cap) != 0) {
			log_missing_cap(LOG_LEVEL_ERROR, cap, "this kernel does not know it");
			return -1;
		}
	}
	if (capng_apply(bounding ? CAPNG_SELECT_ALL : CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) != 0) {
		log_error("cannot set capabilities: %m");
		return -1;
	}
	return bounding ? check_bounding(kept) : 0;
}

/* The system calls themselves: gracefulinit is single-threaded, so the libc
 * wrappers' extra work, making every thread change its ids too (musl's
 * __synccall, about a kilobyte), has nothing to do. On 32-bit ARM the
 * plain calls take 16-bit ids; the *32 ones are the real ones. */
#ifdef SYS_setuid32
#define SYS_SETGROUPS SYS_setgroups32
#define SYS_SETGID SYS_setgid32
#define SYS_SETUID SYS_setuid32
#else
#define SYS_SETGROUPS SYS_setgroups
#define SYS_SETGID SYS_setgid
#define SYS_SETUID SYS_setuid
#endif

/* setgroups, setgid, setuid, in that order: groups and gid need privileges
 * the uid change gives up. PR_SET_KEEPCAPS keeps the permitted set across
 * setuid(2) so that restrict_capabilities can still keep --cap and drop the
 * bounding set; it is turned off again at once. */
static int switch_user(const struct identity *id)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
		log_error("cannot set PR_SET_KEEPCAPS: %m");
		return -1;
	}
	if (syscall(SYS_SETGROUPS, (size_t)id->group_count, id->groups) != 0) {
		log_error("cannot set the supplementary groups of '%s': %m", id->name);
		return -1;
	}
	if (syscall(SYS_SETGID, id->gid) != 0) {
		log_error("cannot switch to group %u: %m", (unsigned)id->gid);
		return -1;
	}
	if (syscall(SYS_SETUID, id->uid) != 0) {
		log_error("cannot switch to user %u: %m", (unsigned)id->uid);
		return -1;
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
		log_error("cannot clear PR_SET_KEEPCAPS: %m");
		return -1;
	}
	return 0;
}

/* No setuid-root binary, file capability or LSM transition can raise the
 * command's privileges again; inherited across fork and execve. */
static int set_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		log_error("cannot set PR_SET_NO_NEW_PRIVS: %m");
		return -1;
	}
	return 0;
}

static int put_variable(char ***env, char *entry, size_t size, const char *name, const char *value)
{
	format(entry, size, "%s=%s", name, value);
	if (environ_put(env, entry) != 0) {
		log_error("cannot set %s: %m", name);
		return -1;
	}
	return 0;
}

/* HOME, USER and LOGNAME say who the command runs as, as login(1) and su(1)
 * set them. A uid with no passwd entry has no name: a USER inherited from
 * the image (USER=root) would be wrong, so it goes. */
static int set_account_environment(const struct identity *id, char ***env)
{
	static char home[sizeof("HOME=") + ACCOUNT_HOME_MAX], user[sizeof("USER=") + ACCOUNT_NAME_MAX],
		logname[sizeof("LOGNAME=") + ACCOUNT_NAME_MAX];

	if (env == NULL)
		return 0; /* the probe runs nothing */

	if (put_variable(env, home, sizeof(home), "HOME", id->home) != 0)
		return -1;
	if (id->login == NULL) {
		environ_remove(*env, "USER");
		environ_remove(*env, "LOGNAME");
		return 0;
	}
	if (put_variable(env, user, sizeof(user), "USER", id->login) != 0)
		return -1;
	return put_variable(env, logname, sizeof(logname), "LOGNAME", id->login);
}

/* Started as root: switch. Started as the requested user already: nothing
 * to switch and nothing to say. Started as anyone else (OpenShift's random
 * uids, rootless engines): not root already, which is what --user is for;
 * say so once and go on. */
static int become_user(const struct identity *id, int as_root, char ***env)
{
	if (as_root && id->uid == 0)
		log_notice("--user %s is uid 0: the command runs as root, without capabilities but --cap and with "
			   "no_new_privs", id->name);
	if (as_root)
		return switch_user(id) != 0 ? -1 : set_account_environment(id, env);
	if (id->uid == getuid() && id->gid == getgid())
		return set_account_environment(id, env);
	log_notice("started as uid %u gid %u, not root: --user %s not applied, running as uid %u",
		   (unsigned)getuid(), (unsigned)getgid(), id->name, (unsigned)getuid());
	return 0;
}

int identity_drop_for_probe(const char *user)
{
	struct identity id;

	if (geteuid() != 0)
		return 0;
	memset(&id, 0, sizeof(id));
	id.wanted = id.switch_user = 1;
	id.name = user != NULL ? user : IDENTITY_PROBE_DEFAULT_USER;
	if (resolve_user(&id, id.name) != 0)
		return -1;
	return identity_apply(&id, NULL);
}

/* Whether this process holds no capability at all: permitted empty (so
 * effective and ambient are too; inheritable needs permitted to matter),
 * as after --user without --cap. One system call. */
static int holds_no_capability(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	return syscall(SYS_capget, &header, data) == 0 && (data[0].permitted | data[1].permitted) == 0;
}

int identity_drop_for_check(void)
{
	/* Each check runs this: libcap-ng's reading of /proc and of the bounding
	 * set, and its capset, cost more than the check itself when there is
	 * nothing to give up (bench/notes.md). no_new_privs all the same: an
	 * init that was never asked to switch has not set it. */
	if (geteuid() != 0 && holds_no_capability())
		return set_no_new_privs();
	/* libcap-ng keeps the pid it first read: the init's, not this child's. */
	capng_setpid(getpid());
	if (geteuid() == 0)
		return identity_drop_for_probe(NULL);
	/* --cap's capabilities are the command's, not the check's. */
	if (restrict_capabilities(0, 0) != 0 || gi_capng_misuses() > 0)
		return -1;
	return set_no_new_privs();
}

int identity_apply(const struct identity *id, char ***env)
{
	if (!id->wanted)
		return 0;
	int as_root = geteuid() == 0;
	if (id->switch_user && become_user(id, as_root, env) != 0)
		return -1;
	if (restrict_capabilities(id->keep, as_root) != 0)
		return -1;
	/* libcap-ng's libc calls go to stand-ins in the release build; one it
	 * called in a way they do not support has been logged, and what
	 * libcap-ng did with the failure cannot be trusted. */
	if (gi_capng_misuses() > 0)
		return -1;
	return set_no_new_privs();
}
