/* IPv4 and IPv6 address literals, as inet_pton reads them (musl's would add
 * 800 bytes to a binary that counts them). Pure. */
#ifndef GRACEFULINIT_IPADDR_H
#define GRACEFULINIT_IPADDR_H

#include <stddef.h>

/* An IPv4 or IPv6 address: what a URL names, /etc/hosts lists, DNS answers
 * and a socket connects to. */
struct ip_address {
	int family; /* AF_INET or AF_INET6 */
	unsigned char bytes[16];
};

/* Dotted quad: four numbers 0-255, no leading zeros. Returns 0 or -1. */
int ipaddr_parse4(const char *text, size_t len, unsigned char out[4]);

/* RFC 4291 2.2 text forms, with "::" and a dotted-quad tail; no zone id.
 * Returns 0 or -1. */
int ipaddr_parse6(const char *text, size_t len, unsigned char out[16]);

#endif
