/* What a nameserver sends back, and /etc/hosts and /etc/resolv.conf as
 * found in an image: none of it may make the resolver read out of bounds,
 * and what it returns must be within its limits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_addresses(const struct ip_address *out, int count, int max)
{
	if (count < 0 || count > max)
		abort();
	for (int i = 0; i < count; i++)
		if (out[i].family != AF_INET && out[i].family != AF_INET6)
			abort();
}

static void fuzz_answer(const uint8_t *data, size_t size)
{
	struct ip_address out[4];
	int count = -1;

	unsigned char query[DNS_QUERY_MAX];

	if (size < 2)
		return;
	unsigned short id = (unsigned short)(data[0] << 8 | data[1]);
	for (int type = DNS_TYPE_A; type <= DNS_TYPE_AAAA; type += DNS_TYPE_AAAA - DNS_TYPE_A) {
		/* The name the seed corpus's answers are for. */
		int query_len = dns_query_format(query, sizeof(query), "web", id, type);
		if (query_len < 0)
			abort();
		enum dns_answer r = dns_answer_parse(data, size, query, (size_t)query_len, out, 4, &count);
		if ((r == DNS_ANSWER_FOUND) != (count > 0))
			abort();
		check_addresses(out, count, 4);
	}
}

static void fuzz_files(const uint8_t *data, size_t size)
{
	struct ip_address out[3];
	struct resolv_conf conf;
	char name[DNS_NAME_MAX + 2];
	unsigned char query[DNS_QUERY_MAX];

	check_addresses(out, hosts_lookup((const char *)data, size, "web", out, 3), 3);
	check_addresses(out, hosts_lookup((const char *)data, size, "localhost", out, 3), 3);
	resolv_conf_parse((const char *)data, size, &conf);
	if (conf.nameserver_count < 1 || conf.nameserver_count > DNS_NAMESERVERS_MAX || conf.domain_count < 0 ||
	    conf.domain_count > DNS_SEARCH_MAX || conf.ndots < 0 || conf.ndots > 15)
		abort();
	check_addresses(conf.nameservers, conf.nameserver_count, DNS_NAMESERVERS_MAX);
	for (int i = 0; dns_candidate(&conf, "web.x", i, name, sizeof(name)) == 0; i++) {
		if (i > DNS_SEARCH_MAX || strlen(name) >= sizeof(name))
			abort();
		int n = dns_query_format(query, sizeof(query), name, 1, DNS_TYPE_A);
		if (n > (int)sizeof(query))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The same bytes, both ways: a DNS message, and text files. */
	fuzz_answer(data, size);
	fuzz_files(data, size);
	return 0;
}
