#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "ipaddr.h"

/* The libc's inet_pton is the reference: the literals a URL or resolv.conf
 * may hold must mean the same to both. */
static const char *const samples[] = {
	"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.0.256", "01.2.3.4", "1.2.3", "1.2.3.4.", "1.2.3.4.5",
	"1..2.3", "", ".", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1234.1.1.1", "00.0.0.0", "0.0.0.00",
	"::", "::1", "1::", "1::2", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9",
	"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:1.2.3.4",
	"1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5::1.2.3.4", "fe80::1%eth0", ":::", "1:::2", "1::2::3", ":1::2",
	"1::2:", "1:2", "12345::", "abcd:ef01:2345:6789:ABCD:EF01:2345:6789", "0000:0000::0", "00000::",
	"g::", "::1.2.3", "::1.2.3.4.5", "::256.1.1.1", "2001:db8::ffff:10.0.0.1", "1.2.3.4::", ":", "1:",
	"::ffff:01.2.3.4", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8",
};

START_TEST(matches_inet_pton)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *s = samples[i];
		unsigned char want4[4], got4[4], want6[16], got6[16];
		int ok4 = inet_pton(AF_INET, s, want4) == 1;
		int ok6 = inet_pton(AF_INET6, s, want6) == 1;
		ck_assert_msg((ipaddr_parse4(s, strlen(s), got4) == 0) == ok4, "IPv4 '%s': libc says %d", s, ok4);
		ck_assert_msg((ipaddr_parse6(s, strlen(s), got6) == 0) == ok6, "IPv6 '%s': libc says %d", s, ok6);
		if (ok4)
			ck_assert_msg(memcmp(got4, want4, 4) == 0, "IPv4 '%s' bytes differ", s);
		if (ok6)
			ck_assert_msg(memcmp(got6, want6, 16) == 0, "IPv6 '%s' bytes differ", s);
	}
}
END_TEST

START_TEST(length_bounds_the_text)
{
	unsigned char a[16];
	ck_assert_int_eq(ipaddr_parse4("1.2.3.4xyz", 7, a), 0);
	ck_assert(memcmp(a, "\x01\x02\x03\x04", 4) == 0);
	ck_assert_int_eq(ipaddr_parse6("::1]:80", 3, a), 0);
	ck_assert_int_eq(a[15], 1);
	ck_assert_int_eq(ipaddr_parse6("::1", 2, a), 0); /* "::" alone */
	ck_assert_int_eq(a[15], 0);
	ck_assert_int_ne(ipaddr_parse4("1.2.3.4", 6, a), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("ipaddr");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, matches_inet_pton);
	tcase_add_test(tc, length_bounds_the_text);
	suite_add_tcase(s, tc);
	return s;
}
