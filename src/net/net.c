#include "net.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

int net_ms_until(long long when)
{
	long long left = when - clock_now_ms();

	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

int net_wait(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int timeout = net_ms_until(deadline);
		if (timeout == 0)
			return 0;
		int ready = poll(&p, 1, timeout);
		if (ready > 0)
			return 1;
		if (ready < 0 && errno != EINTR)
			return -1;
	}
}

/* The system call itself: musl's socket() carries a fallback, for kernels
 * older than 2.6.27 that lack SOCK_NONBLOCK, which costs 150 bytes here. */
int net_socket(int family, int type)
{
	return (int)syscall(SYS_socket, family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/* The rest as plain system calls too: musl's wrappers are cancellation
 * points, and the pthread_cancel machinery behind them (150 bytes each on
 * s390x) is nothing to a program without threads. */
int net_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return (int)syscall(SYS_connect, fd, sa, len);
}

ssize_t net_send(int fd, const void *buf, size_t len)
{
	return syscall(SYS_sendto, fd, buf, len, MSG_NOSIGNAL, NULL, 0);
}

ssize_t net_recv(int fd, void *buf, size_t size)
{
	return syscall(SYS_recvfrom, fd, buf, size, 0, NULL, NULL);
}

int net_socket_error(int fd, int *error)
{
	socklen_t len = sizeof(*error);

	return (int)syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_ERROR, error, &len);
}

socklen_t net_sockaddr(const struct ip_address *addr, unsigned short port, struct sockaddr_storage *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		memcpy(&in6->sin6_addr, addr->bytes, 16);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	memcpy(&in->sin_addr, addr->bytes, 4);
	return sizeof(*in);
}
