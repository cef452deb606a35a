/* Name resolution for the probe, the pure half: /etc/hosts and
 * /etc/resolv.conf text, DNS queries and answers as bytes. musl's
 * getaddrinfo would add some 20 KiB to a binary that must stay under 64 KiB,
 * and it blocks outside the probe's deadline; this is the part of it a
 * health check needs (files, then DNS with search domains; A and AAAA). */
#ifndef GRACEFULINIT_DNS_H
#define GRACEFULINIT_DNS_H

#include <stddef.h>

#include "ipaddr.h"

#define DNS_NAME_MAX 253
#define DNS_QUERY_MAX (12 + DNS_NAME_MAX + 2 + 4)
#define DNS_NAMESERVERS_MAX 3
#define DNS_SEARCH_MAX 6
#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28

struct resolv_conf {
	struct ip_address nameservers[DNS_NAMESERVERS_MAX];
	int nameserver_count;
	const char *domain[DNS_SEARCH_MAX]; /* the search list, in the parsed text */
	int domain_len[DNS_SEARCH_MAX];
	int domain_count;
	int ndots;
};

/* Up to max addresses for name from /etc/hosts text, in file order;
 * localhost is 127.0.0.1 and ::1 when the text does not list it. */
int hosts_lookup(const char *text, size_t len, const char *name, struct ip_address *out, int max);

/* resolv.conf's nameserver, search, domain and options ndots: lines, with
 * the usual defaults (127.0.0.1, ndots 1) for what is missing. The search
 * list points into text, which must outlive conf. */
void resolv_conf_parse(const char *text, size_t len, struct resolv_conf *conf);

/* The index-th name to ask DNS for name, after the search list and ndots.
 * Returns 0, or -1 when there are no more. */
int dns_candidate(const struct resolv_conf *conf, const char *name, int index, char *out, size_t size);

/* A recursive query for (name, type). Returns its length, or -1 when name
 * is not a valid DNS name. */
int dns_query_format(unsigned char *buf, size_t size, const char *name, unsigned short id, int type);

enum dns_answer {
	DNS_ANSWER_FOUND,     /* *count (>= 1) addresses stored */
	DNS_ANSWER_NONE,      /* the name has no address of the query's type */
	DNS_ANSWER_NO_NAME,   /* NXDOMAIN: the name does not exist, of any type */
	DNS_ANSWER_SERVFAIL,  /* the server could not resolve it */
	DNS_ANSWER_REFUSED,   /* the server will not resolve it for us */
	DNS_ANSWER_FAILED,    /* another error code (FORMERR, NOTIMP...) */
	DNS_ANSWER_TRUNCATED, /* cut short before any complete address */
	DNS_ANSWER_IGNORE,    /* not an answer to this query: another id or
			       * question, not a response, malformed */
};

/* The answer msg to query (as dns_query_format wrote it, query_len bytes):
 * its id and its question (name, type, class) must be the query's, the name
 * compared without regard to case as DNS does. */
enum dns_answer dns_answer_parse(const unsigned char *msg, size_t len, const unsigned char *query, size_t query_len,
				 struct ip_address *out, int max, int *count);

#endif
