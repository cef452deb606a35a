#include "accounts.h"

#include <string.h>

#include "number.h"
#include "text.h"

/* A field of a line: a pointer into the file's text and its length. */
struct field {
	const char *text;
	size_t len;
};

/* Splits one line into at most max ':'-separated fields, the last taking the
 * rest of the line, as the C library's parser does; returns how many. */
static size_t split_line(const char *line, size_t len, struct field *fields, size_t max)
{
	size_t count = 0, start = 0;

	for (size_t i = 0; i <= len && count < max; i++) {
		if (i == len || (line[i] == ':' && count + 1 < max)) {
			fields[count].text = line + start;
			fields[count].len = i - start;
			count++;
			start = i + 1;
		}
	}
	return count;
}

static int field_is(const struct field *f, const char *text)
{
	return strlen(text) == f->len && memcmp(f->text, text, f->len) == 0;
}

static int field_id(const struct field *f, unsigned *id)
{
	unsigned long long v;

	/* (id_t)-1 means "no change" to setuid and friends: never an account. */
	if (number_parse(f->text, f->len, 0xfffffffeULL, &v) != 0)
		return -1;
	*id = (unsigned)v;
	return 0;
}

/* A NUL in a field ends it for every C string that holds it: "root\0x"
 * would become root. */
static int field_has_nul(const struct field *f) { return memchr(f->text, '\0', f->len) != NULL; }

/* Calls fn on each line (numbered from 1) until it returns non-zero; returns
 * that value. A '\r' stays part of its line, as in the C library. */
typedef int (*line_fn)(const char *line, size_t len, size_t number, void *ctx);

static int each_line(const char *text, size_t len, line_fn fn, void *ctx)
{
	struct text_span rest = { text, len }, line;
	size_t number = 0;

	while (text_next(&rest, '\n', &line)) {
		number++;
		if (line.len > 0 && line.p[0] != '#' && line.p[0] != '+' && line.p[0] != '-') {
			int rc = fn(line.p, line.len, number, ctx);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

struct user_query {
	const char *name;
	uid_t uid;
	struct account *out;
	struct account_problem *problem;
};

/* Why a passwd line that matched cannot be used, or NULL. */
static const char *user_line_problem(const struct field *f, size_t n, int uid_ok)
{
	if (n != 7)
		return "not 7 ':'-separated fields";
	if (f[0].len == 0)
		return "empty user name";
	if (field_has_nul(&f[0]) || field_has_nul(&f[5]))
		return "a NUL byte in the user name or home directory";
	if (f[0].len >= ACCOUNT_NAME_MAX)
		return "user name longer than 255 bytes";
	if (f[5].len >= ACCOUNT_HOME_MAX)
		return "home directory longer than 4095 bytes";
	if (!uid_ok)
		return "uid is not a number from 0 to 4294967294";
	unsigned gid;
	if (field_id(&f[3], &gid) != 0)
		return "gid is not a number from 0 to 4294967294";
	return NULL;
}

/* The first line whose name (or uid) matches decides: one that cannot be used
 * is an error, never a reason to read on to a later line for the same name,
 * which could be uid 0. */
static int match_user(const char *line, size_t len, size_t number, void *ctx)
{
	struct user_query *q = ctx;
	struct field f[7];
	size_t n = split_line(line, len, f, 7);
	unsigned uid = 0, gid = 0;
	int uid_ok = n >= 3 && field_id(&f[2], &uid) == 0;

	if (q->name != NULL ? !field_is(&f[0], q->name) : !(uid_ok && uid == q->uid))
		return 0;
	const char *problem = user_line_problem(f, n, uid_ok);
	if (problem != NULL) {
		q->problem->line = number;
		q->problem->reason = problem;
		return -1;
	}
	(void)field_id(&f[3], &gid); /* checked by user_line_problem */
	memcpy(q->out->name, f[0].text, f[0].len);
	q->out->name[f[0].len] = '\0';
	memcpy(q->out->home, f[5].text, f[5].len);
	q->out->home[f[5].len] = '\0';
	q->out->uid = uid;
	q->out->gid = gid;
	return 1;
}

int accounts_find_user(const char *passwd, size_t len, const char *name, uid_t uid, struct account *out,
		       struct account_problem *problem)
{
	struct user_query q = { name, uid, out, problem };

	return each_line(passwd, len, match_user, &q);
}

struct group_query {
	const char *name;
	gid_t gid;
	struct account_problem *problem;
};

static int match_group(const char *line, size_t len, size_t number, void *ctx)
{
	struct group_query *q = ctx;
	struct field f[4];
	size_t n = split_line(line, len, f, 4);
	unsigned gid;

	if (!field_is(&f[0], q->name))
		return 0;
	q->problem->line = number;
	if (n != 4) {
		q->problem->reason = "not 4 ':'-separated fields";
		return -1;
	}
	if (field_id(&f[2], &gid) != 0) {
		q->problem->reason = "gid is not a number from 0 to 4294967294";
		return -1;
	}
	q->gid = gid;
	return 1;
}

int accounts_find_group(const char *group, size_t len, const char *name, gid_t *gid, struct account_problem *problem)
{
	struct group_query q = { name, 0, problem };
	int found = each_line(group, len, match_group, &q);

	if (found == 1)
		*gid = q.gid;
	return found;
}

struct member_query {
	const char *user;
	gid_t *groups;
	int max;
	int count;
};

static int has_member(const struct field *members, const char *user)
{
	size_t start = 0;

	for (size_t i = 0; i <= members->len; i++) {
		if (i == members->len || members->text[i] == ',') {
			struct field one = { members->text + start, i - start };
			if (field_is(&one, user))
				return 1;
			start = i + 1;
		}
	}
	return 0;
}

static void add_group(struct member_query *q, gid_t gid)
{
	for (int i = 0; i < q->count && i < q->max; i++)
		if (q->groups[i] == gid)
			return;
	if (q->count < q->max)
		q->groups[q->count] = gid;
	q->count++;
}

static int match_member(const char *line, size_t len, size_t number, void *ctx)
{
	struct member_query *q = ctx;
	struct field f[4];
	unsigned gid;

	(void)number;
	if (split_line(line, len, f, 4) == 4 && field_id(&f[2], &gid) == 0 && has_member(&f[3], q->user))
		add_group(q, gid);
	return 0;
}

int accounts_user_groups(const char *group, size_t len, const char *user, gid_t primary, gid_t *groups, int max)
{
	struct member_query q = { user, groups, max, 0 };

	add_group(&q, primary);
	each_line(group, len, match_member, &q);
	return q.count;
}
