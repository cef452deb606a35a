#include <check.h>
#include <string.h>

#include "check_main.h"
#include "http.h"

/* Feeds text in one piece, then again one byte at a time: a response
 * split anywhere by TCP must give the same verdict. */
static enum http_progress feed(const char *text, size_t len, struct http_response *out)
{
	struct http_response whole, bytewise;
	enum http_progress a, b = HTTP_MORE;

	http_response_init(&whole);
	a = http_response_feed(&whole, text, len);
	http_response_init(&bytewise);
	for (size_t i = 0; i < len; i++)
		b = http_response_feed(&bytewise, text + i, 1);
	ck_assert_msg(a == b, "'%s': whole %d, bytewise %d", text, a, b);
	ck_assert_int_eq(whole.status, bytewise.status);
	*out = whole;
	return a;
}

static int status_of(const char *text)
{
	struct http_response r;
	ck_assert_msg(feed(text, strlen(text), &r) == HTTP_COMPLETE, "'%s' should be complete: %s", text,
		      r.error ? r.error : "more");
	return r.status;
}

static const char *malformed(const char *text, size_t len)
{
	struct http_response r;
	ck_assert_msg(feed(text, len, &r) == HTTP_MALFORMED, "'%s' should be malformed", text);
	ck_assert_ptr_nonnull(r.error);
	return r.error;
}

START_TEST(status_lines)
{
	ck_assert_int_eq(status_of("HTTP/1.1 200 OK\r\n\r\n"), 200);
	ck_assert_int_eq(status_of("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nbody"), 404);
	ck_assert_int_eq(status_of("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"), 302);
	ck_assert_int_eq(status_of("HTTP/1.1 500 Internal Server Error\n\n"), 500);
	ck_assert_int_eq(status_of("HTTP/1.1 204\r\n\r\n"), 204);
	ck_assert_int_eq(status_of("HTTP/1.1 200 \r\n\r\n"), 200);
	ck_assert_int_eq(status_of("HTTP/1.1 999 Whatever\tphrase \xff\r\n\r\n"), 999);
	ck_assert_int_eq(status_of("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Folded: a\r\n  b\r\n\r\n"), 200);
}
END_TEST

START_TEST(interim_responses_are_skipped)
{
	ck_assert_int_eq(status_of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\n\r\n"), 503);
	ck_assert_int_eq(status_of("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), 200);
	ck_assert_int_eq(status_of("HTTP/1.1 101 Switching Protocols\r\n\r\n"), 101);
}
END_TEST

START_TEST(incomplete_needs_more)
{
	static const char *partial[] = { "", "H", "HTTP/1.1 200", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nA: b\r\n",
					 "HTTP/1.1 200 OK\r\n\r", "HTTP/1.1 100 Continue\r\n\r\n" };
	struct http_response r;
	for (size_t i = 0; i < sizeof(partial) / sizeof(partial[0]); i++)
		ck_assert_msg(feed(partial[i], strlen(partial[i]), &r) == HTTP_MORE, "'%s' should need more", partial[i]);
	http_response_init(&r);
	ck_assert_str_eq(http_response_truncated(&r), "connection closed without a response");
	http_response_feed(&r, "HTTP/1.1 2", 10);
	ck_assert_ptr_nonnull(strstr(http_response_truncated(&r), "before the end"));
}
END_TEST

START_TEST(rejects_junk)
{
	static const char *bad[] = {
		"garbage\r\n\r\n", "SSH-2.0-OpenSSH_9.2\r\n", "HTTP/2 200 OK\r\n\r\n", "HTTP/2.0 200 OK\r\n\r\n",
		"http/1.1 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 099 OK\r\n\r\n",
		"HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n", "HTTP/1.x 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\rX\n\r\n", "HTTP/1.1 200 OK\x01\r\n\r\n", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", " HTTP/1.1 200 OK\r\n\r\n",
		"\r\nHTTP/1.1 200 OK\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		malformed(bad[i], strlen(bad[i]));
	malformed("HTTP/1.1 200 OK\0\r\n\r\n", 20);
	malformed("HTTP/1.1 200 OK\r\nA: \0\r\n\r\n", 24);
}
END_TEST

/* "HTTP/1.1 200 OK\r\nX: xxx...\r\n\r\n", total bytes long. */
static size_t response_of_size(char *text, size_t total)
{
	size_t filler = total - 24;
	memcpy(text, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(text + 20, 'x', filler);
	memcpy(text + 20 + filler, "\r\n\r\n", 4);
	return total;
}

START_TEST(bounds_the_header_block)
{
	static char text[HTTP_HEADER_MAX + 64];
	struct http_response r;

	ck_assert_int_eq(feed(text, response_of_size(text, HTTP_HEADER_MAX), &r), HTTP_COMPLETE);
	ck_assert_ptr_nonnull(strstr(malformed(text, response_of_size(text, HTTP_HEADER_MAX + 1)), "larger"));
	/* A status line that never ends is bounded too. */
	memset(text + 15, 'x', sizeof(text) - 15);
	ck_assert_ptr_nonnull(strstr(malformed(text, sizeof(text)), "larger"));
}
END_TEST

START_TEST(verdict_is_final)
{
	struct http_response r;
	http_response_init(&r);
	ck_assert_int_eq(http_response_feed(&r, "HTTP/1.1 200 OK\r\n\r\n", 19), HTTP_COMPLETE);
	ck_assert_int_eq(http_response_feed(&r, "garbage", 7), HTTP_COMPLETE);
	ck_assert_int_eq(r.status, 200);
	http_response_init(&r);
	ck_assert_int_eq(http_response_feed(&r, "junk", 4), HTTP_MALFORMED);
	ck_assert_int_eq(http_response_feed(&r, "HTTP/1.1 200 OK\r\n\r\n", 19), HTTP_MALFORMED);
}
END_TEST

START_TEST(request)
{
	char buf[256];
	int n = http_request_format(buf, sizeof(buf), "[::1]:8080/x", 10, "/health?full=1#x", 14, "gracefulinit/1.2.3");
	static const char want[] = "GET /health?full=1 HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: gracefulinit/1.2.3\r\n"
				   "Connection: close\r\n\r\n";
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(http_request_format(buf, strlen(want), "[::1]:8080", 10, "/health?full=1", 14,
					     "gracefulinit/1.2.3"),
			 -1);
	ck_assert_int_eq(http_request_format(buf, strlen(want) + 1, "[::1]:8080", 10, "/health?full=1", 14,
					     "gracefulinit/1.2.3"),
			 n);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("response");
	tcase_add_test(tc, status_lines);
	tcase_add_test(tc, interim_responses_are_skipped);
	tcase_add_test(tc, incomplete_needs_more);
	tcase_add_test(tc, rejects_junk);
	tcase_add_test(tc, bounds_the_header_block);
	tcase_add_test(tc, verdict_is_final);
	tcase_add_test(tc, request);
	suite_add_tcase(s, tc);
	return s;
}
