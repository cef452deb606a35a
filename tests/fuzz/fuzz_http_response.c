/* The response parser reads bytes from whatever listens on the port: it must
 * never read out of bounds, and its verdict must not depend on how TCP split
 * the bytes. The first input byte picks a split size. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

static enum http_progress feed_in_pieces(struct http_response *r, const uint8_t *data, size_t size, size_t piece)
{
	enum http_progress p = HTTP_MORE;

	for (size_t at = 0; at < size; at += piece) {
		size_t n = size - at < piece ? size - at : piece;
		p = http_response_feed(r, (const char *)data + at, n);
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response whole, pieces;

	if (size == 0)
		return 0;
	size_t piece = (size_t)data[0] % 16 + 1;
	data++;
	size--;
	http_response_init(&whole);
	http_response_init(&pieces);
	enum http_progress a = http_response_feed(&whole, (const char *)data, size);
	enum http_progress b = feed_in_pieces(&pieces, data, size, piece);
	if (a != b || whole.status != pieces.status)
		abort();
	if (a == HTTP_COMPLETE && (whole.status < 100 || whole.status > 999 || (whole.status < 200 && whole.status != 101)))
		abort();
	if (a == HTTP_MALFORMED && whole.error == NULL)
		abort();
	if (a == HTTP_MORE && (size > HTTP_HEADER_MAX || http_response_truncated(&whole) == NULL))
		abort();
	return 0;
}
