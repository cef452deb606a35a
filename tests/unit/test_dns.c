#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "dns.h"

static void ck_address(const struct ip_address *addr, const char *text)
{
	unsigned char want[16] = { 0 };
	int family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(family, text, want), 1);
	ck_assert_int_eq(addr->family, family);
	ck_assert_msg(memcmp(addr->bytes, want, family == AF_INET ? 4 : 16) == 0, "address is not %s", text);
}

static const char hosts[] = "# Kubernetes-managed hosts file.\n"
			    "127.0.0.1\tlocalhost\n"
			    "::1\tlocalhost ip6-localhost ip6-loopback\n"
			    "fe00::0\tip6-localnet\n"
			    "10.1.2.3  web-0.web.default.svc.cluster.local\tweb-0   # this pod\n"
			    "not-an-address web-0\n"
			    "  10.9.9.9 Shouty\r\n"
			    "10.0.0.1 api\n"
			    "10.0.0.2 api";

START_TEST(hosts_in_file_order)
{
	struct ip_address out[8];
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "localhost", out, 8), 2);
	ck_address(&out[0], "127.0.0.1");
	ck_address(&out[1], "::1");
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "web-0", out, 8), 1);
	ck_address(&out[0], "10.1.2.3");
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "shouty.", out, 8), 1);
	ck_address(&out[0], "10.9.9.9");
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "api", out, 8), 2);
	ck_address(&out[1], "10.0.0.2");
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "api", out, 1), 1);
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "this", out, 8), 0);
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts), "web", out, 8), 0);
	ck_assert_int_eq(hosts_lookup(hosts, strlen(hosts) - 1, "api", out, 8), 1);
}
END_TEST

START_TEST(localhost_without_hosts_file)
{
	static const char other[] = "10.0.0.1 localhost.localdomain\n";
	struct ip_address out[8];
	ck_assert_int_eq(hosts_lookup("", 0, "localhost", out, 8), 2);
	ck_address(&out[0], "127.0.0.1");
	ck_address(&out[1], "::1");
	ck_assert_int_eq(hosts_lookup(other, strlen(other), "LocalHost.", out, 8), 2);
	ck_address(&out[0], "127.0.0.1");
	ck_assert_int_eq(hosts_lookup("", 0, "localhostx", out, 8), 0);
	ck_assert_int_eq(hosts_lookup("", 0, "x.localhost", out, 8), 0);
}
END_TEST

static void ck_domain(const struct resolv_conf *conf, int i, const char *want)
{
	ck_assert_int_eq(conf->domain_len[i], (int)strlen(want));
	ck_assert(memcmp(conf->domain[i], want, strlen(want)) == 0);
}

START_TEST(resolv_conf)
{
	static const char text[] = "# Docker embedded DNS\n"
				   "nameserver 127.0.0.11\n"
				   "nameserver fd00::53 ; comment\n"
				   "nameserver bogus\n"
				   "nameserver 10.0.0.3\n"
				   "nameserver 10.0.0.4\n"
				   "domain old.example\n"
				   "search default.svc.cluster.local svc.cluster.local cluster.local.\n"
				   "options ndots:5 timeout:2\n";
	struct resolv_conf conf;
	resolv_conf_parse(text, strlen(text), &conf);
	ck_assert_int_eq(conf.nameserver_count, 3);
	ck_address(&conf.nameservers[0], "127.0.0.11");
	ck_address(&conf.nameservers[1], "fd00::53");
	ck_address(&conf.nameservers[2], "10.0.0.3");
	ck_assert_int_eq(conf.domain_count, 3);
	ck_domain(&conf, 0, "default.svc.cluster.local");
	ck_domain(&conf, 2, "cluster.local");
	ck_assert_int_eq(conf.ndots, 5);

	resolv_conf_parse("", 0, &conf);
	ck_assert_int_eq(conf.nameserver_count, 1);
	ck_address(&conf.nameservers[0], "127.0.0.1");
	ck_assert_int_eq(conf.domain_count, 0);
	ck_assert_int_eq(conf.ndots, 1);

	resolv_conf_parse("search a b\ndomain c\noptions ndots:99", 36, &conf);
	ck_assert_int_eq(conf.domain_count, 1);
	ck_domain(&conf, 0, "c");
	ck_assert_int_eq(conf.ndots, 15);
}
END_TEST

static void ck_candidates(const struct resolv_conf *conf, const char *name, const char *const *want, int count)
{
	char out[DNS_NAME_MAX + 2];
	for (int i = 0; i < count; i++) {
		ck_assert_msg(dns_candidate(conf, name, i, out, sizeof(out)) == 0, "%s: candidate %d missing", name, i);
		ck_assert_str_eq(out, want[i]);
	}
	ck_assert_int_ne(dns_candidate(conf, name, count, out, sizeof(out)), 0);
}

START_TEST(search_order)
{
	static const char text[] = "search ns.svc.cluster.local svc.cluster.local\noptions ndots:5\n";
	static const char *const web[] = { "web.ns.svc.cluster.local", "web.svc.cluster.local", "web" };
	static const char *const fqdn[] = { "web" };
	static const char *const dotted[] = { "a.b.c.d.e.f", "a.b.c.d.e.f.ns.svc.cluster.local",
					      "a.b.c.d.e.f.svc.cluster.local" };
	struct resolv_conf conf;
	resolv_conf_parse(text, strlen(text), &conf);
	ck_candidates(&conf, "web", web, 3);
	ck_candidates(&conf, "web.", fqdn, 1);
	ck_candidates(&conf, "a.b.c.d.e.f", dotted, 6 - 3);
	resolv_conf_parse("", 0, &conf);
	ck_candidates(&conf, "web", fqdn, 1);
}
END_TEST

START_TEST(too_long_candidates_come_out_empty)
{
	static const char text[] = "search example.com\n";
	char name[DNS_NAME_MAX + 2], out[DNS_NAME_MAX + 2];
	unsigned char query[DNS_QUERY_MAX];
	struct resolv_conf conf;

	resolv_conf_parse(text, strlen(text), &conf);
	memset(name, 'a', 250);
	name[250] = '\0';
	ck_assert_int_eq(dns_candidate(&conf, name, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dns_query_format(query, sizeof(query), out, 1, DNS_TYPE_A), -1);
	ck_assert_int_eq(dns_candidate(&conf, name, 1, out, sizeof(out)), 0);
	ck_assert_str_eq(out, name);
	ck_assert_int_ne(dns_candidate(&conf, name, 2, out, sizeof(out)), 0);
	memset(name, 'a', DNS_NAME_MAX);
	name[DNS_NAME_MAX] = '\0';
	ck_assert_int_eq(dns_candidate(&conf, name, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	strcat(name, "a");
	ck_assert_int_ne(dns_candidate(&conf, name, 0, out, sizeof(out)), 0);
}
END_TEST

START_TEST(query_bytes)
{
	unsigned char buf[DNS_QUERY_MAX];
	static const unsigned char want[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'e', 'b', 2,
					      'n', 's', 0, 0, 28, 0, 1 };
	char label[80];
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), "web.ns", 0x1234, DNS_TYPE_AAAA), (int)sizeof(want));
	ck_assert(memcmp(buf, want, sizeof(want)) == 0);
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), "a..b", 1, DNS_TYPE_A), -1);
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), ".a", 1, DNS_TYPE_A), -1);
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), "", 1, DNS_TYPE_A), -1);
	memset(label, 'a', 64);
	label[64] = '\0';
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), label, 1, DNS_TYPE_A), -1);
	label[63] = '\0';
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf), label, 1, DNS_TYPE_A), 12 + 1 + 63 + 1 + 4);
	ck_assert_int_eq(dns_query_format(buf, sizeof(buf) - 1, "a", 1, DNS_TYPE_A), -1);
}
END_TEST

/* An answer to "web" type A: a CNAME to "real.web" (compressed), then two
 * A records, then an AAAA record that does not count. */
static const unsigned char answer[] = {
	0xab, 0xcd, 0x81, 0x80, 0, 1, 0, 4, 0, 0, 0, 0,
	3, 'w', 'e', 'b', 0, 0, 1, 0, 1,
	0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7, 4, 'r', 'e', 'a', 'l', 0xc0, 12,
	0xc0, 33, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7,
	0xc0, 33, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 8,
	0xc0, 33, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};

static unsigned char query[DNS_QUERY_MAX];
static size_t query_len;

static void ask(const char *name, int type)
{
	int n = dns_query_format(query, sizeof(query), name, 0xabcd, type);
	ck_assert_int_gt(n, 0);
	query_len = (size_t)n;
}

static enum dns_answer parse(const unsigned char *msg, size_t len, struct ip_address *out, int max, int *count)
{
	return dns_answer_parse(msg, len, query, query_len, out, max, count);
}

START_TEST(answers)
{
	unsigned char msg[sizeof(answer)];
	struct ip_address out[4];
	int count = -1;

	ask("web", DNS_TYPE_A);
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_FOUND);
	ck_assert_int_eq(count, 2);
	ck_address(&out[0], "10.0.0.7");
	ck_address(&out[1], "10.0.0.8");
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 1, &count), DNS_ANSWER_FOUND);
	ck_assert_int_eq(count, 1);
	/* Cut inside the second A record: the first still counts. */
	ck_assert_int_eq(parse(answer, 62, out, 4, &count), DNS_ANSWER_FOUND);
	ck_assert_int_eq(count, 1);
	/* Cut inside the CNAME, before any address: truncated, not "no such host". */
	ck_assert_int_eq(parse(answer, 30, out, 4, &count), DNS_ANSWER_TRUNCATED);
	ck_assert_int_eq(parse(answer, 20, out, 4, &count), DNS_ANSWER_IGNORE); /* inside the question */
	ck_assert_int_eq(parse(answer, 11, out, 4, &count), DNS_ANSWER_IGNORE);

	memcpy(msg, answer, sizeof(msg));
	msg[18] = 28; /* the question asks for AAAA */
	ask("web", DNS_TYPE_AAAA);
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_FOUND);
	ck_assert_int_eq(count, 1);
	ck_address(&out[0], "fd00::1");
	/* An answer to another question is no answer to this one. */
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_IGNORE);
	ask("web", DNS_TYPE_A);
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_IGNORE);
}
END_TEST

START_TEST(answer_question_must_match)
{
	unsigned char msg[sizeof(answer)];
	struct ip_address out[4];
	int count = -1;

	ask("WeB", DNS_TYPE_A); /* names compare without case */
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_FOUND);
	ask("wed", DNS_TYPE_A);
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_IGNORE);
	ask("we", DNS_TYPE_A);
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_IGNORE);
	ask("web", DNS_TYPE_A);
	query[0] = 0xab;
	query[1] = 0xce; /* another id */
	ck_assert_int_eq(parse(answer, sizeof(answer), out, 4, &count), DNS_ANSWER_IGNORE);
	ask("web", DNS_TYPE_A);
	memcpy(msg, answer, sizeof(msg));
	msg[5] = 2; /* two questions */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_IGNORE);
	memcpy(msg, answer, sizeof(msg));
	msg[20] = 3; /* class CHAOS */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_IGNORE);
}
END_TEST

START_TEST(answer_codes_say_what_the_server_said)
{
	unsigned char msg[sizeof(answer)];
	struct ip_address out[4];
	int count = -1;

	ask("web", DNS_TYPE_A);
	memcpy(msg, answer, sizeof(msg));
	msg[2] = 0x01; /* a query, not a response */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_IGNORE);
	msg[2] = 0x81;
	msg[3] = 0x83;
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_NO_NAME);
	msg[3] = 0x82;
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_SERVFAIL);
	msg[3] = 0x85;
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_REFUSED);
	msg[3] = 0x84; /* NOTIMP */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_FAILED);
	ck_assert_int_eq(count, 0);
	msg[3] = 0x80;
	msg[7] = 0; /* NOERROR, no answers: the name has no such type */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_NONE);
	msg[2] = 0x83; /* ... but TC set: the records did not fit */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_TRUNCATED);
	msg[2] = 0x81;
	msg[12] = 0x80; /* a label length with reserved bits: not our question */
	ck_assert_int_eq(parse(msg, sizeof(msg), out, 4, &count), DNS_ANSWER_IGNORE);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");
	tcase_add_test(tc, hosts_in_file_order);
	tcase_add_test(tc, localhost_without_hosts_file);
	tcase_add_test(tc, resolv_conf);
	tcase_add_test(tc, search_order);
	tcase_add_test(tc, too_long_candidates_come_out_empty);
	tcase_add_test(tc, query_bytes);
	tcase_add_test(tc, answers);
	tcase_add_test(tc, answer_question_must_match);
	tcase_add_test(tc, answer_codes_say_what_the_server_said);
	suite_add_tcase(s, tc);
	return s;
}
