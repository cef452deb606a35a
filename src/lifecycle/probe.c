/* One HTTP or TCP check, in a short-lived process of its own: gracefulinit
 * probe, or the watchdog's check (health_sys.c forks it), never PID 1.
 * Everything it waits for (resolving, connecting, sending, reading) waits on
 * non-blocking sockets with poll, until one deadline. Why it is unhealthy is
 * one line of text; the probe prints it, the watchdog reports it. */
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "format.h"
#include "http.h"
#include "log.h"
#include "net.h"
#include "dns_sys.h"
#include "sigmask.h"
#include "url.h"
#include "version.h"


#define PROBE_HEALTHY 0
#define PROBE_UNHEALTHY PROBE_EXIT_UNHEALTHY
#define PROBE_ADDRESSES_MAX 8

struct probe {
	struct url url;
	long long timeout_ms;
	long long deadline;
	char *why;        /* the one line that says why it is unhealthy */
	size_t why_size;
};

static void fail(const struct probe *probe, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const struct probe *probe, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)format_v(probe->why, probe->why_size, fmt, ap);
	va_end(ap);
}

/* gracefulinit's main blocked the signals it forwards before it knew this
 * was a probe; a probe should die of SIGTERM or Ctrl-C like any process. */
static int unblock_signals(void)
{
	/* But not of SIGPIPE from a stderr whose reader has gone: that is
	 * "unhealthy" (1), not 141. */
	if (sig_action(SIGPIPE, SIG_IGN, NULL) != 0 || sigmask_change(SIG_SETMASK, 0, NULL) != 0) {
		log_error("probe: sigprocmask: %m");
		return -1;
	}
	return 0;
}

static void log_timed_out(const struct probe *probe, const char *doing)
{
	char timeout[32];

	duration_format(probe->timeout_ms, timeout, sizeof(timeout));
	fail(probe, "timed out after %s %s", timeout, doing);
}

/* Waits for fd under the probe's deadline; says why when it cannot. */
static int wait_ready(const struct probe *probe, int fd, short events, const char *doing)
{
	int ready = net_wait(fd, events, probe->deadline);

	if (ready > 0)
		return 0;
	if (ready == 0)
		log_timed_out(probe, doing);
	else
		fail(probe, "poll: %m");
	return -1;
}

static const char *resolve_failure_text(int failure)
{
	switch (failure) {
	case RESOLVE_NO_SERVER:
		return "no nameserver reachable";
	case RESOLVE_SERVFAIL:
		return "the nameserver failed to resolve it (SERVFAIL)";
	case RESOLVE_REFUSED:
		return "the nameserver refused the query (REFUSED)";
	case RESOLVE_SERVER_ERROR:
		return "the nameserver answered with an error";
	case RESOLVE_TRUNCATED:
		return "the nameserver's answer was cut short (no DNS over TCP)";
	default:
		return "no such host";
	}
}

static int find_addresses(const struct probe *probe, struct ip_address *out)
{
	const struct url *url = &probe->url;

	if (url->host_kind != URL_HOST_NAME) {
		memset(out, 0, sizeof(*out));
		out->family = url->host_kind == URL_HOST_IPV4 ? AF_INET : AF_INET6;
		memcpy(out->bytes, url->address, sizeof(out->bytes));
		return 1;
	}
	int count = resolve_name(url->host, probe->deadline, out, PROBE_ADDRESSES_MAX);
	if (count == RESOLVE_TIMED_OUT)
		log_timed_out(probe, "resolving the host");
	else if (count < 0)
		fail(probe, "cannot resolve '%s': %s", url->host, resolve_failure_text(count));
	return count;
}

/* Returns a connected socket, or -1 with *error set (ETIMEDOUT: the
 * deadline passed). */
static int connect_one(const struct ip_address *addr, unsigned short port, long long deadline, int *error)
{
	struct sockaddr_storage sa;
	socklen_t len = net_sockaddr(addr, port, &sa);
	int fd = net_socket(addr->family, SOCK_STREAM);

	if (fd < 0) {
		*error = errno;
		return -1;
	}
	if (net_connect(fd, (struct sockaddr *)&sa, len) == 0)
		return fd;
	*error = errno;
	if (*error == EINPROGRESS) {
		int ready = net_wait(fd, POLLOUT, deadline);
		if (ready == 0)
			*error = ETIMEDOUT;
		else if (ready < 0 || net_socket_error(fd, error) != 0)
			*error = errno;
		if (*error == 0)
			return fd;
	}
	(void)close(fd);
	return -1;
}

/* Each address in turn; the first failure is the one reported, since the
 * later ones are often only "IPv6 is off here". */
static int connect_any(const struct probe *probe, const struct ip_address *addrs, int count)
{
	int first_error = 0;

	for (int i = 0; i < count; i++) {
		int error;
		int fd = connect_one(&addrs[i], probe->url.port, probe->deadline, &error);
		if (fd >= 0)
			return fd;
		if (first_error == 0 || error == ETIMEDOUT)
			first_error = error;
		if (error == ETIMEDOUT)
			break;
	}
	if (first_error == ETIMEDOUT) {
		log_timed_out(probe, "connecting");
	} else {
		errno = first_error;
		fail(probe, "cannot connect to %s port %u: %m", probe->url.host, (unsigned int)probe->url.port);
	}
	return -1;
}

static int send_request(const struct probe *probe, int fd)
{
	/* URL_TEXT_MAX bounds path and authority together; 256 is room to
	 * spare for the fixed text, so the request always fits. */
	char request[URL_TEXT_MAX + 256], target[URL_TEXT_MAX + 2];
	const struct url *url = &probe->url;
	/* A query with no path goes to "/?...", as curl sends it. */
	int target_len = format(target, sizeof(target), "%s%.*s", url->path[0] == '?' ? "/" : "", (int)url->path_len,
				url->path);
	int len = http_request_format(request, sizeof(request), url->authority, url->authority_len, target,
				      (size_t)target_len, "gracefulinit/" GRACEFULINIT_VERSION);

	for (int sent = 0; sent < len;) {
		/* MSG_NOSIGNAL: a server that closes early must not kill the
		 * probe with SIGPIPE (exit 141 is not "unhealthy"). */
		ssize_t n = net_send(fd, request + sent, (size_t)(len - sent));
		if (n >= 0) {
			sent += (int)n;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR) {
			fail(probe, "sending the request: %m");
			return -1;
		}
		if (wait_ready(probe, fd, POLLOUT, "sending the request") != 0)
			return -1;
	}
	return 0;
}

/* Reads until the header block ends; the body is never read. */
static int read_http_status(const struct probe *probe, int fd)
{
	struct http_response response;
	char buf[2048];

	http_response_init(&response);
	for (;;) {
		if (wait_ready(probe, fd, POLLIN, "waiting for the response") != 0)
			return -1;
		ssize_t n = net_recv(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {
			fail(probe, "reading the response: %m");
			return -1;
		}
		if (n == 0) {
			fail(probe, "%s", http_response_truncated(&response));
			return -1;
		}
		enum http_progress progress = http_response_feed(&response, buf, (size_t)n);
		if (progress == HTTP_COMPLETE)
			return response.status;
		if (progress == HTTP_MALFORMED) {
			fail(probe, "malformed response: %s", response.error);
			return -1;
		}
	}
}

/* curl -f's rule: 2xx and 3xx (redirects are not followed) are healthy. */
static int check_http(const struct probe *probe, int fd)
{
	if (send_request(probe, fd) != 0)
		return PROBE_UNHEALTHY;
	int status = read_http_status(probe, fd);
	if (status < 0)
		return PROBE_UNHEALTHY;
	if (status >= 200 && status <= 399)
		return PROBE_HEALTHY;
	fail(probe, "HTTP status %d", status);
	return PROBE_UNHEALTHY;
}

int probe_check(const struct url *url, long long timeout_ms, char *why, size_t why_size)
{
	struct ip_address addrs[PROBE_ADDRESSES_MAX];
	struct probe probe = { .url = *url, .timeout_ms = timeout_ms, .why = why, .why_size = why_size };

	why[0] = '\0';
	probe.deadline = clock_now_ms() + probe.timeout_ms;
	int count = find_addresses(&probe, addrs);
	if (count <= 0)
		return PROBE_UNHEALTHY;
	int fd = connect_any(&probe, addrs, count);
	if (fd < 0)
		return PROBE_UNHEALTHY;
	int result = probe.url.scheme == URL_TCP ? PROBE_HEALTHY : check_http(&probe, fd);
	(void)close(fd); /* nothing was written that a failed close could lose */
	return result;
}

int probe_run(const char *text, long long timeout_ms)
{
	struct url url;
	char why[512];

	if (unblock_signals() != 0)
		return PROBE_UNHEALTHY;
	if (url_parse(text, &url, why, sizeof(why)) != 0) {
		log_error("probe: %s", why);
		return PROBE_UNHEALTHY;
	}
	int result = probe_check(&url, timeout_ms, why, sizeof(why));
	if (result != PROBE_HEALTHY)
		log_error("probe %s: %s", text, why);
	return result;
}
