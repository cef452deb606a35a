/* The probe's URLs: http://HOST[:PORT][/PATH] and tcp://HOST:PORT. Pure. */
#ifndef GRACEFULINIT_URL_H
#define GRACEFULINIT_URL_H

#include <stddef.h>

/* A DNS name is at most 253 characters; an IPv6 literal far less. */
#define URL_HOST_MAX 253
/* Longer URLs are refused rather than truncated into a request. */
#define URL_TEXT_MAX 2048

enum url_scheme { URL_HTTP, URL_TCP };

/* How HOST is written: literals need no resolver. */
enum url_host_kind { URL_HOST_NAME, URL_HOST_IPV4, URL_HOST_IPV6 };

struct url {
	enum url_scheme scheme;
	enum url_host_kind host_kind;
	char host[URL_HOST_MAX + 1];  /* without brackets, NUL-terminated */
	unsigned char address[16];    /* network order; literals only */
	unsigned short port;
	const char *authority;        /* HOST[:PORT] as written: the Host header */
	size_t authority_len;
	const char *path;             /* "/..." ("/" when the URL has none), or "?..." for a
	                                 query with no path; no fragment */
	size_t path_len;
};

/* Returns 0, or -1 with a one-line reason in err. Pointers in *url point
 * into text, which must outlive it. */
int url_parse(const char *text, struct url *url, char *err, size_t err_size);

#endif
