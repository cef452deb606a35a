#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "url.h"

static struct url parse_ok(const char *text)
{
	struct url url;
	char err[256] = "";
	ck_assert_msg(url_parse(text, &url, err, sizeof(err)) == 0, "'%s' should parse: %s", text, err);
	return url;
}

static void ck_authority(const struct url *url, const char *authority)
{
	ck_assert_uint_eq(url->authority_len, strlen(authority));
	ck_assert(memcmp(url->authority, authority, url->authority_len) == 0);
}

static void ck_path(const struct url *url, const char *path)
{
	ck_assert_msg(url->path_len == strlen(path) && memcmp(url->path, path, url->path_len) == 0,
		      "path '%.*s', expected '%s'", (int)url->path_len, url->path, path);
}

START_TEST(http_with_ipv4_port_and_path)
{
	struct url url = parse_ok("http://127.0.0.1:8000/health");
	ck_assert_int_eq(url.scheme, URL_HTTP);
	ck_assert_int_eq(url.host_kind, URL_HOST_IPV4);
	ck_assert_str_eq(url.host, "127.0.0.1");
	ck_assert(memcmp(url.address, "\x7f\0\0\x01", 4) == 0);
	ck_assert_uint_eq(url.port, 8000);
	ck_authority(&url, "127.0.0.1:8000");
	ck_path(&url, "/health");
}
END_TEST

START_TEST(http_defaults)
{
	struct url url = parse_ok("http://example");
	ck_assert_int_eq(url.host_kind, URL_HOST_NAME);
	ck_assert_str_eq(url.host, "example");
	ck_assert_uint_eq(url.port, 80);
	ck_authority(&url, "example");
	ck_path(&url, "/");
	url = parse_ok("HTTP://Svc.NS.svc.cluster.local/");
	ck_assert_int_eq(url.scheme, URL_HTTP);
	ck_assert_str_eq(url.host, "Svc.NS.svc.cluster.local");
	url = parse_ok("http://my_service:65535/a/b?x=1&y=%20#frag");
	ck_assert_uint_eq(url.port, 65535);
	ck_path(&url, "/a/b?x=1&y=%20");
	url = parse_ok("http://h#frag");
	ck_path(&url, "/");
}
END_TEST

START_TEST(ipv6_literals)
{
	unsigned char loopback[16] = { [15] = 1 };
	unsigned char expect[16];
	struct url url = parse_ok("http://[::1]:8080/ready");
	ck_assert_int_eq(url.host_kind, URL_HOST_IPV6);
	ck_assert_str_eq(url.host, "::1");
	ck_assert(memcmp(url.address, loopback, 16) == 0);
	ck_assert_uint_eq(url.port, 8080);
	ck_authority(&url, "[::1]:8080");
	url = parse_ok("tcp://[2001:db8::ffff:10.0.0.1]:5432");
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::ffff:10.0.0.1", expect), 1);
	ck_assert(memcmp(url.address, expect, 16) == 0);
}
END_TEST

START_TEST(tcp_needs_port_and_no_path)
{
	struct url url = parse_ok("tcp://db:5432");
	ck_assert_int_eq(url.scheme, URL_TCP);
	ck_assert_uint_eq(url.port, 5432);
	url = parse_ok("TCP://10.1.2.3:1/");
	ck_assert_int_eq(url.scheme, URL_TCP);
}
END_TEST

START_TEST(rejects_bad_urls)
{
	static const char *bad[] = {
		"", "127.0.0.1:80", "ftp://host/", "http:/host", "http://", "http:///path", "http://:80/",
		"http://h:", "http://h:0", "http://h:65536", "http://h:99999999999999999999", "http://h:80x",
		"http://[::1", "http://[]/", "http://[::g]/", "http://[fe80::1%eth0]/", "http://[1.2.3.4]/",
		"http://h/a b", "http://h/a\r\nX-Injected: 1", "http://h/\x7f", "http://h/caf\xc3\xa9",
		"http://10.0.0.256/", "http://127.1/", "http://1.2.3.4.5/",
		"tcp://db", "tcp://db:5432/x", "tcp://:5432", "http://h\\x/", "http:// h/",
	};
	struct url url;
	char err[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(url_parse(bad[i], &url, err, sizeof(err)) != 0, "'%s' should be rejected", bad[i]);
		ck_assert_msg(strncmp(err, "bad URL '", 9) == 0, "'%s': message '%s'", bad[i], err);
	}
}
END_TEST

START_TEST(query_without_a_path)
{
	struct url url = parse_ok("http://h:80?x=1#frag");
	ck_path(&url, "?x=1");
	ck_assert_uint_eq(url.port, 80);
}
END_TEST

/* The message names the problem, and never the password. */
START_TEST(credentials_are_refused_unquoted)
{
	static const char *with[] = { "http://user:pw@h/", "http://user@h/", "tcp://u:hunter2@db:5432" };
	struct url url;
	char err[256];
	for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
		ck_assert_int_ne(url_parse(with[i], &url, err, sizeof(err)), 0);
		ck_assert_str_eq(err, "bad URL (not shown: it holds user:password@): credentials are not supported");
	}
	ck_assert_int_eq(url_parse("http://h/a@b", &url, err, sizeof(err)), 0); /* '@' in the path is fine */
}
END_TEST

START_TEST(https_says_not_supported)
{
	struct url url;
	char err[256];
	ck_assert_int_ne(url_parse("https://127.0.0.1/health", &url, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "https is not supported"));
	ck_assert_int_ne(url_parse("HTTPS://x", &url, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "https is not supported"));
}
END_TEST

START_TEST(length_limits)
{
	static char text[URL_TEXT_MAX + 64];
	struct url url;
	char err[256];

	strcpy(text, "http://");
	memset(text + 7, 'a', URL_HOST_MAX);
	text[7 + URL_HOST_MAX] = '\0';
	url = parse_ok(text);
	ck_assert_uint_eq(strlen(url.host), URL_HOST_MAX);
	strcat(text, "a");
	ck_assert_int_ne(url_parse(text, &url, err, sizeof(err)), 0);

	strcpy(text, "http://h/");
	memset(text + 9, 'p', URL_TEXT_MAX - 9);
	text[URL_TEXT_MAX] = '\0';
	url = parse_ok(text);
	ck_assert_uint_eq(url.path_len, URL_TEXT_MAX - 8);
	strcat(text, "p");
	ck_assert_int_ne(url_parse(text, &url, err, sizeof(err)), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("url");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, http_with_ipv4_port_and_path);
	tcase_add_test(tc, http_defaults);
	tcase_add_test(tc, ipv6_literals);
	tcase_add_test(tc, tcp_needs_port_and_no_path);
	tcase_add_test(tc, rejects_bad_urls);
	tcase_add_test(tc, https_says_not_supported);
	tcase_add_test(tc, query_without_a_path);
	tcase_add_test(tc, credentials_are_refused_unquoted);
	tcase_add_test(tc, length_limits);
	suite_add_tcase(s, tc);
	return s;
}
