#include "dns.h"

#include <sys/socket.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "number.h"
#include "ipaddr.h"
#include "text.h"

#define DNS_HEADER_SIZE 12
#define DNS_FLAG_RESPONSE 0x8000U
#define DNS_FLAG_RECURSE 0x0100U
#define DNS_RCODE_MASK 0xfU
#define DNS_FLAG_TRUNCATED 0x0200U
#define DNS_RCODE_SERVFAIL 2U
#define DNS_RCODE_NXDOMAIN 3U
#define DNS_RCODE_REFUSED 5U
#define DNS_CLASS_IN 1
#define DNS_LABEL_MAX 63
#define DNS_NDOTS_MAX 15

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The next blank-separated word in [*p, end); its length, 0 at the end. */
static size_t next_word(const char **p, const char *end, const char **word)
{
	const char *s = *p;

	while (s < end && is_blank(*s))
		s++;
	*word = s;
	while (s < end && !is_blank(*s))
		s++;
	*p = s;
	return (size_t)(s - *word);
}

static int word_is(const char *word, size_t len, const char *keyword)
{
	return len == strlen(keyword) && memcmp(word, keyword, len) == 0;
}

static int parse_address(const char *word, size_t len, struct ip_address *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (ipaddr_parse4(word, len, addr->bytes) == 0)
		addr->family = AF_INET;
	else if (ipaddr_parse6(word, len, addr->bytes) == 0)
		addr->family = AF_INET6;
	else
		return -1;
	return 0;
}

/* Where a line's words end: at its '#' or ';' comment, or its end. */
static const char *words_end(struct text_span line)
{
	const char *stop = line.p;

	while (stop < line.p + line.len && *stop != '#' && *stop != ';')
		stop++;
	return stop;
}

/* Names compare without case, and "name." is "name". */
static int same_name(const char *word, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	return len == n && strncasecmp(word, name, n) == 0;
}

/* RFC 6761: localhost is loopback even where /etc/hosts does not say so
 * (scratch images may have no /etc/hosts at all). */
static int localhost(const char *name, struct ip_address *out, int max)
{
	static const char loopback6[16] = { [15] = 1 };

	if (!same_name("localhost", 9, name) || max < 2)
		return 0;
	memset(out, 0, 2 * sizeof(*out));
	out[0].family = AF_INET;
	memcpy(out[0].bytes, "\x7f\0\0\x01", 4);
	out[1].family = AF_INET6;
	memcpy(out[1].bytes, loopback6, 16);
	return 2;
}

int hosts_lookup(const char *text, size_t len, const char *name, struct ip_address *out, int max)
{
	struct text_span rest = { text, len }, line;
	int count = 0;

	while (count < max && text_next(&rest, '\n', &line)) {
		const char *stop = words_end(line), *word, *p = line.p;
		struct ip_address addr;
		size_t n = next_word(&p, stop, &word);
		if (parse_address(word, n, &addr) != 0)
			continue;
		while ((n = next_word(&p, stop, &word)) > 0) {
			if (same_name(word, n, name)) {
				out[count++] = addr;
				break;
			}
		}
	}
	return count > 0 ? count : localhost(name, out, max);
}

/* "search" and "domain" replace each other: the last one wins. */
static void parse_search(struct resolv_conf *conf, const char *p, const char *stop)
{
	const char *word;
	size_t n;

	conf->domain_count = 0;
	while ((n = next_word(&p, stop, &word)) > 0 && conf->domain_count < DNS_SEARCH_MAX) {
		if (word[n - 1] == '.')
			n--;
		if (n == 0 || n > DNS_NAME_MAX)
			continue;
		conf->domain[conf->domain_count] = word;
		conf->domain_len[conf->domain_count++] = (int)n;
	}
}

static void parse_options(struct resolv_conf *conf, const char *p, const char *stop)
{
	static const char ndots[] = "ndots:";
	const char *word;
	size_t n;

	while ((n = next_word(&p, stop, &word)) > 0) {
		if (n <= sizeof(ndots) - 1 || memcmp(word, ndots, sizeof(ndots) - 1) != 0)
			continue;
		const char *digits = word + sizeof(ndots) - 1;
		unsigned long long value = 0;
		/* As the C library's resolver: a larger number means the most. */
		if (number_scan(digits, n - (sizeof(ndots) - 1), DNS_NDOTS_MAX, &value) == 0 && number_is_digit(*digits))
			value = DNS_NDOTS_MAX;
		conf->ndots = (int)value;
	}
}

void resolv_conf_parse(const char *text, size_t len, struct resolv_conf *conf)
{
	struct text_span rest = { text, len }, line;

	memset(conf, 0, sizeof(*conf));
	conf->ndots = 1;
	while (text_next(&rest, '\n', &line)) {
		const char *stop = words_end(line), *word, *p = line.p;
		size_t n = next_word(&p, stop, &word);
		if (word_is(word, n, "nameserver")) {
			n = next_word(&p, stop, &word);
			if (conf->nameserver_count < DNS_NAMESERVERS_MAX &&
			    parse_address(word, n, &conf->nameservers[conf->nameserver_count]) == 0)
				conf->nameserver_count++;
		} else if (word_is(word, n, "search") || word_is(word, n, "domain")) {
			parse_search(conf, p, stop);
		} else if (word_is(word, n, "options")) {
			parse_options(conf, p, stop);
		}
	}
	/* What resolvers use when resolv.conf names none. */
	if (conf->nameserver_count == 0) {
		conf->nameservers[0].family = AF_INET;
		memcpy(conf->nameservers[0].bytes, "\x7f\0\0\x01", 4);
		conf->nameserver_count = 1;
	}
}

/* As glibc and musl order them: a name with at least ndots dots is tried
 * as given first, any other after the search domains; an absolute name
 * (trailing dot) only as given. A candidate too long for DNS comes out
 * empty, which dns_query_format refuses. */
int dns_candidate(const struct resolv_conf *conf, const char *name, int index, char *out, size_t size)
{
	int len = (int)strnlen(name, DNS_NAME_MAX + 1);
	int dots = 0, n;

	if (len == 0 || len > DNS_NAME_MAX || index < 0)
		return -1;
	for (int i = 0; i < len; i++)
		dots += name[i] == '.';
	int as_given_first = dots >= conf->ndots;
	int domain = as_given_first ? index - 1 : index; /* -1 or domain_count: as given */
	int end = as_given_first ? conf->domain_count : conf->domain_count + 1;
	if (name[len - 1] == '.' ? index > 0 : domain >= end)
		return -1;
	if (name[len - 1] == '.')
		n = format(out, size, "%.*s", len - 1, name);
	else if (domain < 0 || domain == conf->domain_count)
		n = format(out, size, "%s", name);
	else
		n = format(out, size, "%s.%.*s", name, conf->domain_len[domain], conf->domain[domain]);
	if (n < 0 || (size_t)n >= size)
		out[0] = '\0';
	return 0;
}

int dns_query_format(unsigned char *buf, size_t size, const char *name, unsigned short id, int type)
{
	size_t len = strlen(name);
	size_t pos = DNS_HEADER_SIZE;

	if (len == 0 || len > DNS_NAME_MAX || size < DNS_QUERY_MAX)
		return -1;
	memset(buf, 0, DNS_HEADER_SIZE);
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	buf[2] = DNS_FLAG_RECURSE >> 8;
	buf[5] = 1; /* one question */
	for (const char *label = name; *label != '\0';) {
		const char *dot = strchr(label, '.');
		size_t n = dot != NULL ? (size_t)(dot - label) : strlen(label);
		if (n == 0 || n > DNS_LABEL_MAX)
			return -1;
		buf[pos++] = (unsigned char)n;
		memcpy(buf + pos, label, n);
		pos += n;
		label += n + (dot != NULL);
	}
	buf[pos++] = 0;
	buf[pos++] = (unsigned char)(type >> 8);
	buf[pos++] = (unsigned char)type;
	buf[pos++] = 0;
	buf[pos++] = DNS_CLASS_IN;
	return (int)pos;
}

static unsigned int read16(const unsigned char *p) { return (unsigned int)p[0] << 8 | p[1]; }

/* Past a possibly compressed name; -1 when it runs off the message. */
static int skip_name(const unsigned char *msg, size_t len, size_t *pos)
{
	for (size_t p = *pos; p < len; p += 1U + msg[p]) {
		if (msg[p] == 0) {
			*pos = p + 1;
			return 0;
		}
		if ((msg[p] & 0xc0) == 0xc0) {
			*pos = p + 2;
			return *pos <= len ? 0 : -1;
		}
		if ((msg[p] & 0xc0) != 0)
			return -1;
	}
	return -1;
}

/* The records of the answer section, from *at on, that are addresses of
 * type: CNAMEs before them need no following, the recursive server already
 * did. A record cut short (a truncated answer) ends the list: returns -1
 * then. */
static int collect(const unsigned char *msg, size_t len, const size_t *at, unsigned int answers, int type,
		   struct ip_address *out, int max, int *count)
{
	size_t want = type == DNS_TYPE_A ? 4 : 16, pos = *at;

	for (unsigned int i = 0; i < answers && *count < max; i++) {
		if (skip_name(msg, len, &pos) != 0 || pos + 10 > len)
			return -1;
		unsigned int rtype = read16(msg + pos);
		unsigned int rclass = read16(msg + pos + 2);
		size_t rdlen = read16(msg + pos + 8);
		pos += 10;
		if (pos + rdlen > len)
			return -1;
		if (rtype == (unsigned int)type && rclass == DNS_CLASS_IN && rdlen == want) {
			memset(&out[*count], 0, sizeof(out[*count]));
			out[*count].family = type == DNS_TYPE_A ? AF_INET : AF_INET6;
			memcpy(out[*count].bytes, msg + pos, want);
			(*count)++;
		}
		pos += rdlen;
	}
	return 0;
}

/* The answer repeats the query's one question: the name label by label (an
 * uncompressed copy, as every server sends it), then type and class. glibc
 * checks it too: the id alone is 16 bits to guess. */
static int same_question(const unsigned char *msg, size_t len, const unsigned char *query, size_t query_len)
{
	size_t pos = DNS_HEADER_SIZE;

	if (len < query_len || read16(msg + 4) != 1)
		return 0;
	while (pos < query_len - 4 && query[pos] != 0) {
		size_t n = query[pos];
		if (msg[pos] != n)
			return 0;
		/* The query's labels hold no NUL (it was written from a C
		 * string), so the compare runs the whole label. */
		if (strncasecmp((const char *)query + pos + 1, (const char *)msg + pos + 1, n) != 0)
			return 0;
		pos += n + 1;
	}
	return memcmp(msg + pos, query + pos, query_len - pos) == 0;
}

static enum dns_answer from_rcode(unsigned int rcode)
{
	switch (rcode) {
	case DNS_RCODE_NXDOMAIN:
		return DNS_ANSWER_NO_NAME;
	case DNS_RCODE_SERVFAIL:
		return DNS_ANSWER_SERVFAIL;
	case DNS_RCODE_REFUSED:
		return DNS_ANSWER_REFUSED;
	default:
		return DNS_ANSWER_FAILED;
	}
}

enum dns_answer dns_answer_parse(const unsigned char *msg, size_t len, const unsigned char *query, size_t query_len,
				 struct ip_address *out, int max, int *count)
{
	*count = 0;
	if (len < DNS_HEADER_SIZE || query_len < DNS_HEADER_SIZE + 5 || read16(msg) != read16(query))
		return DNS_ANSWER_IGNORE;
	unsigned int flags = read16(msg + 2);
	if ((flags & DNS_FLAG_RESPONSE) == 0 || !same_question(msg, len, query, query_len))
		return DNS_ANSWER_IGNORE;
	if ((flags & DNS_RCODE_MASK) != 0)
		return from_rcode(flags & DNS_RCODE_MASK);
	int type = (int)read16(query + query_len - 4);
	int cut = collect(msg, len, &query_len, read16(msg + 6), type, out, max, count);
	if (*count > 0)
		return DNS_ANSWER_FOUND;
	return cut != 0 || (flags & DNS_FLAG_TRUNCATED) ? DNS_ANSWER_TRUNCATED : DNS_ANSWER_NONE;
}
