/* The probe's side of HTTP/1.1: one GET request out, the status line and
 * header block of the response in. Pure: bytes in, verdict out. */
#ifndef GRACEFULINIT_HTTP_H
#define GRACEFULINIT_HTTP_H

#include <stddef.h>

/* Status line(s) plus header block; a server that sends more without ending
 * it is not answering a health check. */
#define HTTP_HEADER_MAX 16384

enum http_progress { HTTP_MORE, HTTP_COMPLETE, HTTP_MALFORMED };

struct http_response {
	int state;
	unsigned int status_pos; /* bytes of the current status line seen */
	int status;              /* HTTP_COMPLETE: the final status code */
	int pending_cr;
	size_t header_bytes;
	const char *error;       /* HTTP_MALFORMED: why, as a phrase */
};

/* "GET PATH HTTP/1.1" with Host, User-Agent and Connection: close. Returns
 * the request's length, or -1 when it does not fit in size. */
int http_request_format(char *buf, size_t size, const char *authority, size_t authority_len, const char *path,
			size_t path_len, const char *user_agent);

void http_response_init(struct http_response *response);

/* Parses the next bytes of the response. The body, and anything after the
 * header block, is never looked at: once the result is HTTP_COMPLETE or
 * HTTP_MALFORMED, it stays so. */
enum http_progress http_response_feed(struct http_response *response, const char *data, size_t len);

/* The server closed the connection before the header block ended: why that
 * is malformed, as a phrase. */
const char *http_response_truncated(const struct http_response *response);

#endif
