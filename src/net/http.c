#include "http.h"

#include "format.h"
#include "number.h"

enum parse_state { ST_STATUS, ST_REASON, ST_LINE_START, ST_NAME, ST_VALUE, ST_COMPLETE, ST_MALFORMED };

/* "HTTP/1.x NNN": the fixed-width start of every status line we accept. */
static const char version_prefix[] = "HTTP/1.";
#define POS_MINOR 7
#define POS_SPACE 8
#define POS_CODE_END 12

int http_request_format(char *buf, size_t size, const char *authority, size_t authority_len, const char *path,
			size_t path_len, const char *user_agent)
{
	int n = format(buf, size,
			 "GET %.*s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n",
			 (int)path_len, path, (int)authority_len, authority, user_agent);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

void http_response_init(struct http_response *response)
{
	response->state = ST_STATUS;
	response->status_pos = 0;
	response->status = 0;
	response->pending_cr = 0;
	response->header_bytes = 0;
	response->error = NULL;
}

static int is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

/* RFC 9110 token: the characters a header field name may use. */
static int is_token(unsigned char c)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (number_is_digit((char)c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	for (const char *e = extra; *e != '\0'; e++)
		if (c == (unsigned char)*e)
			return 1;
	return 0;
}

static enum parse_state malformed(struct http_response *response, const char *why)
{
	response->error = why;
	return ST_MALFORMED;
}

/* A 1xx answer is interim (RFC 9110 15.2): the real one follows. 101 ends
 * HTTP on this connection, so it is final, and not healthy. */
static enum parse_state end_of_headers(struct http_response *response)
{
	if (response->status >= 200 || response->status == 101)
		return ST_COMPLETE;
	response->status_pos = 0;
	response->status = 0;
	return ST_STATUS;
}

static enum parse_state status_byte(struct http_response *response, unsigned char c)
{
	unsigned int pos = response->status_pos++;

	if (pos < POS_MINOR)
		return c == (unsigned char)version_prefix[pos] ? ST_STATUS
							       : malformed(response, "not an HTTP/1.x status line");
	if (pos == POS_MINOR)
		return number_is_digit((char)c) ? ST_STATUS : malformed(response, "not an HTTP/1.x status line");
	if (pos == POS_SPACE)
		return c == ' ' ? ST_STATUS : malformed(response, "not an HTTP/1.x status line");
	if (pos < POS_CODE_END) {
		if (!number_is_digit((char)c))
			return malformed(response, "bad status code");
		response->status = response->status * 10 + (c - '0'); /* a byte at a time, across reads */
		return ST_STATUS;
	}
	if (response->status < 100)
		return malformed(response, "bad status code");
	if (c == ' ')
		return ST_REASON;
	return c == '\n' ? ST_LINE_START : malformed(response, "bad status code");
}

static enum parse_state next_state(struct http_response *response, unsigned char c)
{
	switch (response->state) {
	case ST_STATUS:
		return status_byte(response, c);
	case ST_REASON:
		if (c == '\n')
			return ST_LINE_START;
		return is_control(c) ? malformed(response, "control character in the status line") : ST_REASON;
	case ST_LINE_START:
		if (c == '\n')
			return end_of_headers(response);
		if (c == ' ' || c == '\t')
			return ST_VALUE; /* obs-fold: a continuation, accepted as RFC 9112 5.2 allows */
		return is_token(c) ? ST_NAME : malformed(response, "bad header line");
	case ST_NAME:
		if (c == ':')
			return ST_VALUE;
		return is_token(c) ? ST_NAME : malformed(response, "bad header line");
	case ST_VALUE:
		if (c == '\n')
			return ST_LINE_START;
		return is_control(c) ? malformed(response, "control character in a header") : ST_VALUE;
	default:
		return (enum parse_state)response->state;
	}
}

enum http_progress http_response_feed(struct http_response *response, const char *data, size_t len)
{
	for (size_t i = 0; i < len && response->state != ST_COMPLETE && response->state != ST_MALFORMED; i++) {
		unsigned char c = (unsigned char)data[i];
		if (++response->header_bytes > HTTP_HEADER_MAX) {
			response->state = malformed(response, "header block larger than 16384 bytes");
			break;
		}
		/* Lines end in CRLF; a bare LF is accepted (RFC 9112 2.2), a bare
		 * CR is not. The states below see every line end as '\n'. */
		if (response->pending_cr) {
			response->pending_cr = 0;
			if (c != '\n') {
				response->state = malformed(response, "CR not followed by LF");
				break;
			}
		} else if (c == '\r') {
			response->pending_cr = 1;
			continue;
		}
		response->state = next_state(response, c);
	}
	if (response->state == ST_COMPLETE)
		return HTTP_COMPLETE;
	return response->state == ST_MALFORMED ? HTTP_MALFORMED : HTTP_MORE;
}

const char *http_response_truncated(const struct http_response *response)
{
	if (response->header_bytes == 0)
		return "connection closed without a response";
	return "connection closed before the end of the response headers";
}
