#include "accounts.h"

#include <string.h>

#include "number.h"

/* A field of a line: a pointer into the file's text and its length. */
struct field {
	const char *text;
	size_t len;
};

/* Splits one line into at most max ':'-separated fields; returns how many. */
static size_t split_line(const char *line, size_t len, struct field *fields, size_t max)
{
	size_t count = 0, start = 0;

	for (size_t i = 0; i <= len && count < max; i++) {
		if (i == len || line[i] == ':') {
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

static int field_copy(const struct field *f, char *out, size_t size)
{
	if (f->len >= size)
		return -1;
	memcpy(out, f->text, f->len);
	out[f->len] = '\0';
	return 0;
}

/* Calls fn on each line until it returns non-zero; returns that value. */
typedef int (*line_fn)(const char *line, size_t len, void *ctx);

static int each_line(const char *text, size_t len, line_fn fn, void *ctx)
{
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		const char *line = text + start;
		size_t line_len = end - start;
		if (line_len > 0 && line[line_len - 1] == '\r')
			line_len--;
		if (line_len > 0 && line[0] != '#' && line[0] != '+' && line[0] != '-') {
			int rc = fn(line, line_len, ctx);
			if (rc != 0)
				return rc;
		}
		start = end + 1;
	}
	return 0;
}

struct user_query {
	const char *name;
	uid_t uid;
	struct account *out;
};

static int match_user(const char *line, size_t len, void *ctx)
{
	struct user_query *q = ctx;
	struct field f[7];
	unsigned uid, gid;

	if (split_line(line, len, f, 7) != 7 || f[0].len == 0 || field_id(&f[2], &uid) != 0 || field_id(&f[3], &gid) != 0)
		return 0;
	if (q->name != NULL ? !field_is(&f[0], q->name) : uid != q->uid)
		return 0;
	if (field_copy(&f[0], q->out->name, sizeof(q->out->name)) != 0 ||
	    field_copy(&f[5], q->out->home, sizeof(q->out->home)) != 0)
		return 0;
	q->out->uid = uid;
	q->out->gid = gid;
	return 1;
}

int accounts_find_user(const char *passwd, size_t len, const char *name, uid_t uid, struct account *out)
{
	struct user_query q = { name, uid, out };

	return each_line(passwd, len, match_user, &q);
}

struct group_query {
	const char *name;
	gid_t gid;
};

static int match_group(const char *line, size_t len, void *ctx)
{
	struct group_query *q = ctx;
	struct field f[4];
	unsigned gid;

	if (split_line(line, len, f, 4) != 4 || !field_is(&f[0], q->name) || field_id(&f[2], &gid) != 0)
		return 0;
	q->gid = gid;
	return 1;
}

int accounts_find_group(const char *group, size_t len, const char *name, gid_t *gid)
{
	struct group_query q = { name, 0 };

	if (!each_line(group, len, match_group, &q))
		return 0;
	*gid = q.gid;
	return 1;
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

static int match_member(const char *line, size_t len, void *ctx)
{
	struct member_query *q = ctx;
	struct field f[4];
	unsigned gid;

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
