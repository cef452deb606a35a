/* URLs come from an image's HEALTHCHECK line: url_parse must never read out
 * of bounds, and a URL it accepts must never put a byte into the request
 * line that could end it. IP literals must mean what inet_pton says. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_url(const char *text)
{
	struct url url;
	char err[256];

	if (url_parse(text, &url, err, sizeof(err)) != 0) {
		/* The URL is quoted, unless it holds credentials. */
		if (strncmp(err, "bad URL '", 9) != 0 && strncmp(err, "bad URL (not shown", 18) != 0)
			abort();
		return;
	}
	if (url.port == 0 || url.path_len == 0 || (url.path[0] != '/' && url.path[0] != '?') || url.authority_len == 0)
		abort();
	for (size_t i = 0; i < url.path_len; i++)
		if ((unsigned char)url.path[i] <= ' ' || (unsigned char)url.path[i] >= 0x7f)
			abort();
	if (strlen(url.host) == 0 || strlen(url.host) > URL_HOST_MAX)
		abort();
}

static void check_literals(const char *text, size_t len)
{
	unsigned char want[16], got[16];
	int ok4 = inet_pton(AF_INET, text, want) == 1;
	if ((ipaddr_parse4(text, len, got) == 0) != ok4 || (ok4 && memcmp(got, want, 4) != 0))
		abort();
	int ok6 = inet_pton(AF_INET6, text, want) == 1;
	if ((ipaddr_parse6(text, len, got) == 0) != ok6 || (ok6 && memcmp(got, want, 16) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_url(text);
	if (strlen(text) == size)
		check_literals(text, size);
	free(text);
	return 0;
}
