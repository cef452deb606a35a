#include "dns_sys.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "clock.h"
#include "files.h"
#include "format.h"
#include "net.h"

/* Queries are sent again this often while no answer came (UDP loses them). */
#define RESOLVE_RETRY_MS 1000
#define DNS_PORT 53
#define ANSWER_MAX 4096

enum { QUERY_A, QUERY_AAAA, QUERY_TYPES };
static const int query_types[QUERY_TYPES] = { DNS_TYPE_A, DNS_TYPE_AAAA };

/* One name asked of every nameserver at once, both types. */
struct lookup {
	struct pollfd servers[DNS_NAMESERVERS_MAX];
	int server_count;
	unsigned char query[QUERY_TYPES][DNS_QUERY_MAX];
	int query_len[QUERY_TYPES];
	unsigned short id[QUERY_TYPES];
	int answered[QUERY_TYPES];                /* the outcome is final */
	enum dns_answer outcome[QUERY_TYPES];     /* once answered */
	unsigned failed_by[QUERY_TYPES];          /* servers (bits) that gave up on it */
	struct ip_address found[QUERY_TYPES][DNS_NAMESERVERS_MAX * 4];
	int found_count[QUERY_TYPES];
};

static int open_servers(struct lookup *lookup, const struct resolv_conf *conf)
{
	for (int i = 0; i < conf->nameserver_count; i++) {
		struct sockaddr_storage sa;
		socklen_t len = net_sockaddr(&conf->nameservers[i], DNS_PORT, &sa);
		int fd = net_socket(conf->nameservers[i].family, SOCK_DGRAM);
		if (fd < 0)
			continue;
		/* Connected: only this server's datagrams arrive, and an ICMP
		 * "port unreachable" shows as ECONNREFUSED. */
		if (net_connect(fd, (struct sockaddr *)&sa, len) != 0) {
			(void)close(fd);
			continue;
		}
		lookup->servers[lookup->server_count].fd = fd;
		lookup->servers[lookup->server_count].events = POLLIN;
		lookup->server_count++;
	}
	return lookup->server_count > 0 ? 0 : -1;
}

static void close_servers(struct lookup *lookup)
{
	for (int i = 0; i < lookup->server_count; i++)
		if (lookup->servers[i].fd >= 0)
			(void)close(lookup->servers[i].fd);
}

static int live_servers(const struct lookup *lookup)
{
	int live = 0;

	for (int i = 0; i < lookup->server_count; i++)
		live += lookup->servers[i].fd >= 0;
	return live;
}

/* A server with nothing on its port answers with ICMP, which the connected
 * socket reports as ECONNREFUSED from the next send or recv: it is dropped
 * at once. Other errors (a full buffer, a lost datagram) are what the
 * retry is for. */
static void drop_if_refused(struct pollfd *server)
{
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS || errno == ENOMEM)
		return;
	(void)close(server->fd);
	server->fd = -1;
}

static void send_queries(struct lookup *lookup)
{
	for (int i = 0; i < lookup->server_count; i++)
		for (int t = 0; t < QUERY_TYPES; t++)
			if (lookup->servers[i].fd >= 0 && !lookup->answered[t] &&
			    net_send(lookup->servers[i].fd, lookup->query[t], (size_t)lookup->query_len[t]) < 0)
				drop_if_refused(&lookup->servers[i]);
}

static void settle_type(struct lookup *lookup, int t, enum dns_answer outcome)
{
	lookup->answered[t] = 1;
	lookup->outcome[t] = outcome;
}

/* A server's error is final for a type once every server still reachable
 * has given one (or been dropped): another server may yet know the name. */
static void settle_if_all_gave_up(struct lookup *lookup, int t)
{
	if (lookup->answered[t] || lookup->failed_by[t] == 0)
		return;
	for (int i = 0; i < lookup->server_count; i++)
		if (lookup->servers[i].fd >= 0 && !(lookup->failed_by[t] & (1U << i)))
			return;
	settle_type(lookup, t, lookup->outcome[t]);
}

static void server_gave_up(struct lookup *lookup, int t, int server, enum dns_answer outcome)
{
	lookup->failed_by[t] |= 1U << server;
	lookup->outcome[t] = outcome;
	settle_if_all_gave_up(lookup, t);
}

static void take_answer(struct lookup *lookup, int t, int server, enum dns_answer outcome)
{
	switch (outcome) {
	case DNS_ANSWER_IGNORE:
		return;
	case DNS_ANSWER_SERVFAIL:
	case DNS_ANSWER_REFUSED:
	case DNS_ANSWER_FAILED:
		server_gave_up(lookup, t, server, outcome);
		return;
	case DNS_ANSWER_NO_NAME:
		/* No such name has no address of the other type either. */
		for (int other = 0; other < QUERY_TYPES; other++)
			if (!lookup->answered[other])
				settle_type(lookup, other, outcome);
		return;
	default:
		settle_type(lookup, t, outcome);
	}
}

static void receive(struct lookup *lookup, int server)
{
	unsigned char answer[ANSWER_MAX];
	ssize_t n = net_recv(lookup->servers[server].fd, answer, sizeof(answer));

	if (n < 0) {
		drop_if_refused(&lookup->servers[server]);
		return;
	}
	for (int t = 0; t < QUERY_TYPES; t++) {
		if (lookup->answered[t])
			continue;
		take_answer(lookup, t, server,
			    dns_answer_parse(answer, (size_t)n, lookup->query[t], (size_t)lookup->query_len[t],
					     lookup->found[t], DNS_NAMESERVERS_MAX * 4, &lookup->found_count[t]));
	}
}

/* With no address: what the servers said, a server's error first. 0 is "no
 * such name here", which lets the next search domain be tried. */
static int failure_of(const struct lookup *lookup)
{
	static const struct {
		enum dns_answer outcome;
		int failure;
	} order[] = { { DNS_ANSWER_SERVFAIL, RESOLVE_SERVFAIL }, { DNS_ANSWER_REFUSED, RESOLVE_REFUSED },
		      { DNS_ANSWER_FAILED, RESOLVE_SERVER_ERROR }, { DNS_ANSWER_TRUNCATED, RESOLVE_TRUNCATED } };

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (int t = 0; t < QUERY_TYPES; t++)
			if (lookup->answered[t] && lookup->outcome[t] == order[k].outcome)
				return order[k].failure;
	return 0;
}

static int prepare(struct lookup *lookup, const char *name)
{
	memset(lookup, 0, sizeof(*lookup));
	/* Unpredictable ids: an off-path answer must guess them. */
	if (getrandom(lookup->id, sizeof(lookup->id), 0) != (ssize_t)sizeof(lookup->id))
		lookup->id[0] = (unsigned short)clock_now_ms();
	if (lookup->id[1] == lookup->id[0])
		lookup->id[1] = (unsigned short)(lookup->id[0] + 1);
	for (int t = 0; t < QUERY_TYPES; t++) {
		lookup->query_len[t] = dns_query_format(lookup->query[t], DNS_QUERY_MAX, name, lookup->id[t], query_types[t]);
		if (lookup->query_len[t] < 0)
			return -1;
	}
	return 0;
}

/* A addresses first: most services in containers listen on IPv4. */
static int gather(const struct lookup *lookup, struct ip_address *out, int max)
{
	int count = 0;

	for (int t = 0; t < QUERY_TYPES; t++)
		for (int i = 0; i < lookup->found_count[t] && count < max; i++)
			out[count++] = lookup->found[t][i];
	return count;
}

/* Some servers never answer AAAA (or A): once one type has its answer, the
 * other gets one retry interval more, not the whole deadline. */
static long long settle(const struct lookup *lookup, long long deadline, int *settled)
{
	long long soon = clock_now_ms() + RESOLVE_RETRY_MS;

	if (*settled || (!lookup->answered[QUERY_A] && !lookup->answered[QUERY_AAAA]))
		return deadline;
	*settled = 1;
	return soon < deadline ? soon : deadline;
}

/* Returns the addresses found (0: none), or a resolve_failure. */
static int ask(const struct resolv_conf *conf, const char *name, long long deadline, struct ip_address *out, int max)
{
	static struct lookup lookup;
	long long resend = 0;
	int settled = 0, failure = 0;

	if (prepare(&lookup, name) != 0)
		return 0; /* not a name DNS can hold: this candidate does not exist */
	if (open_servers(&lookup, conf) != 0)
		return RESOLVE_NO_SERVER;
	while (!lookup.answered[QUERY_A] || !lookup.answered[QUERY_AAAA]) {
		deadline = settle(&lookup, deadline, &settled);
		if (live_servers(&lookup) == 0 || net_ms_until(deadline) == 0) {
			failure = live_servers(&lookup) == 0 ? RESOLVE_NO_SERVER : RESOLVE_TIMED_OUT;
			break;
		}
		if (net_ms_until(resend) == 0) {
			send_queries(&lookup);
			resend = clock_now_ms() + RESOLVE_RETRY_MS;
		}
		int wait = net_ms_until(resend < deadline ? resend : deadline);
		if (poll(lookup.servers, (nfds_t)lookup.server_count, wait) < 0 && errno != EINTR) {
			failure = RESOLVE_NO_SERVER;
			break;
		}
		for (int i = 0; i < lookup.server_count; i++)
			if (lookup.servers[i].fd >= 0 && lookup.servers[i].revents != 0)
				receive(&lookup, i);
		for (int t = 0; t < QUERY_TYPES; t++)
			settle_if_all_gave_up(&lookup, t); /* a server dropped since */
	}
	close_servers(&lookup);
	int count = gather(&lookup, out, max);
	if (count > 0)
		return count;
	int said = failure_of(&lookup);
	return said != 0 ? said : failure;
}

/* file_map leaves an unreadable file empty, like a missing one (scratch
 * images may have neither): the probe then says what it could not find. */
static int lookup_hosts(const char *name, struct ip_address *out, int max)
{
	struct file_text hosts;

	(void)file_map("/etc/hosts", &hosts);
	int count = hosts_lookup(hosts.text, hosts.len, name, out, max);
	file_unmap(&hosts);
	return count;
}

static int lookup_dns(const char *name, long long deadline, struct ip_address *out, int max)
{
	struct file_text text;
	struct resolv_conf conf;
	char candidate[DNS_NAME_MAX + 2];
	int count = RESOLVE_NOT_FOUND;

	(void)file_map("/etc/resolv.conf", &text);
	resolv_conf_parse(text.text, text.len, &conf); /* conf points into text */
	for (int i = 0; dns_candidate(&conf, name, i, candidate, sizeof(candidate)) == 0; i++) {
		count = ask(&conf, candidate, deadline, out, max);
		if (count != 0)
			break;
	}
	file_unmap(&text);
	return count != 0 ? count : RESOLVE_NOT_FOUND;
}

int resolve_name(const char *name, long long deadline, struct ip_address *out, int max)
{
	int count = lookup_hosts(name, out, max);

	return count > 0 ? count : lookup_dns(name, deadline, out, max);
}
