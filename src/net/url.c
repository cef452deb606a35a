#include "url.h"

#include <string.h>
#include <strings.h>

#include "format.h"
#include "number.h"
#include "ipaddr.h"

/* The prefix inline, not a pointer: a static-pie relocates each pointer in
 * a table, and reaches the table itself through one more (s390x). */
struct scheme_spec {
	char prefix[8];
	enum url_scheme scheme;
	unsigned short default_port; /* 0: the port is required */
};

static const struct scheme_spec schemes[] = {
	{ "http://", URL_HTTP, 80 },
	{ "tcp://", URL_TCP, 0 },
};

/* RFC 3986 reg-name, minus percent-encoding and sub-delims no resolver
 * accepts; '_' stays for the service names some orchestrators hand out. */
static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || number_is_digit(c) || c == '-' || c == '.' || c == '_';
}

/* Schemes are case-insensitive (RFC 3986 3.1); prefix is lowercase. */
static int has_prefix(const char *text, const char *prefix)
{
	return strncasecmp(text, prefix, strlen(prefix)) == 0;
}

static const struct scheme_spec *find_scheme(const char *text, const char **reason)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (has_prefix(text, schemes[i].prefix))
			return &schemes[i];
	*reason = has_prefix(text, "https://") ? "https is not supported" : "expected http://HOST[:PORT][/PATH] or tcp://HOST:PORT";
	return NULL;
}

static const char *parse_bracketed(const char *s, struct url *url, const char **reason)
{
	const char *end = strchr(s, ']');

	if (end == NULL) {
		*reason = "no ']' after '['";
		return NULL;
	}
	size_t len = (size_t)(end - s - 1);
	if (len == 0 || len > URL_HOST_MAX) {
		*reason = "bad IPv6 address";
		return NULL;
	}
	memcpy(url->host, s + 1, len);
	url->host[len] = '\0';
	if (ipaddr_parse6(url->host, len, url->address) != 0) {
		*reason = "bad IPv6 address";
		return NULL;
	}
	url->host_kind = URL_HOST_IPV6;
	return end + 1;
}

static const char *parse_host(const char *s, struct url *url, const char **reason)
{
	size_t len = 0;
	int numeric = 1;

	if (*s == '[')
		return parse_bracketed(s, url, reason);
	while (is_name_char(s[len])) {
		if (!number_is_digit(s[len]) && s[len] != '.')
			numeric = 0;
		len++;
	}
	if (len == 0) {
		*reason = "no host";
		return NULL;
	}
	if (len > URL_HOST_MAX) {
		*reason = "host name too long";
		return NULL;
	}
	memcpy(url->host, s, len);
	url->host[len] = '\0';
	if (ipaddr_parse4(url->host, len, url->address) == 0) {
		url->host_kind = URL_HOST_IPV4;
	} else if (numeric) {
		/* "127.1" or "10.0.0.256": meant as an address, and resolvers
		 * disagree on what such a name is. */
		*reason = "bad IPv4 address";
		return NULL;
	} else {
		url->host_kind = URL_HOST_NAME;
	}
	return s + len;
}

static const char *parse_port(const char *s, struct url *url, unsigned short default_port, const char **reason)
{
	unsigned long long port = 0;

	if (*s != ':') {
		if (default_port == 0)
			*reason = "tcp:// needs a port";
		url->port = default_port;
		return default_port == 0 ? NULL : s;
	}
	size_t digits = number_scan(++s, NUMBER_TO_NUL, 65535, &port);
	if (digits == 0 || port == 0) {
		*reason = number_is_digit(*s) ? (digits == 0 ? "port above 65535" : "port 0") : "no port number after ':'";
		return NULL;
	}
	url->port = (unsigned short)port;
	return s + digits;
}

/* The path goes into the request line as written: anything that could end
 * the line or the request early (spaces, CR, LF, other controls) is refused. */
static int parse_path(const char *s, struct url *url, const char **reason)
{
	size_t len = 0;

	if (*s == '\0' || *s == '#') {
		url->path = "/";
		url->path_len = 1;
		return 0;
	}
	/* "http://h:80?x": a query with no path (RFC 3986 3.3). */
	if (*s != '/' && *s != '?') {
		*reason = "junk after the host or port";
		return -1;
	}
	for (; s[len] != '\0' && s[len] != '#'; len++) {
		unsigned char c = (unsigned char)s[len];
		if (c <= ' ' || c >= 0x7f) {
			*reason = "bad character in the path";
			return -1;
		}
	}
	url->path = s;
	url->path_len = len;
	return 0;
}

static int parse(const char *text, struct url *url, const char **reason)
{
	const struct scheme_spec *scheme = find_scheme(text, reason);

	if (scheme == NULL)
		return -1;
	url->scheme = scheme->scheme;
	const char *s = text + strlen(scheme->prefix);
	url->authority = s;
	s = parse_host(s, url, reason);
	if (s == NULL)
		return -1;
	s = parse_port(s, url, scheme->default_port, reason);
	if (s == NULL)
		return -1;
	url->authority_len = (size_t)(s - url->authority);
	if (url->scheme == URL_TCP && strcmp(s, "") != 0 && strcmp(s, "/") != 0) {
		*reason = "tcp:// takes no path";
		return -1;
	}
	return parse_path(s, url, reason);
}

/* "http://user:pw@host/": the probe sends no credentials, and the URL is not
 * repeated in the message, since it holds one. */
static int has_userinfo(const char *text)
{
	/* strstr would bring in a kilobyte of musl's two-way search for this. */
	const char *start = text;
	while (*start != '\0' && strncmp(start, "://", 3) != 0)
		start++;
	if (*start == '\0')
		return 0;
	start += 3;
	const char *at = strchr(start, '@');
	return at != NULL && at < start + strcspn(start, "/?#");
}

int url_parse(const char *text, struct url *url, char *err, size_t err_size)
{
	const char *reason = NULL;

	memset(url, 0, sizeof(*url));
	if (has_userinfo(text)) {
		format(err, err_size, "bad URL (not shown: it holds user:password@): credentials are not supported");
		return -1;
	}
	if (strlen(text) > URL_TEXT_MAX)
		reason = "too long";
	else if (parse(text, url, &reason) == 0)
		return 0;
	format(err, err_size, "bad URL '%.100s': %s", text, reason);
	return -1;
}
