/* The probe's sockets: one deadline on the monotonic clock, waits bounded
 * by it. */
#ifndef GRACEFULINIT_NET_H
#define GRACEFULINIT_NET_H

#include <sys/socket.h>

#include "ipaddr.h"

/* poll's timeout until the time when: 0 once it has passed. */
int net_ms_until(long long when);

/* Waits for events on fd until deadline: 1 ready, 0 timed out, -1 error
 * (errno set). */
int net_wait(int fd, short events, long long deadline);

/* A non-blocking, close-on-exec socket, or -1 with errno set. */
int net_socket(int family, int type);

/* connect(2); send(2) with MSG_NOSIGNAL; recv(2); getsockopt(2)'s
 * SO_ERROR into *error. As those, errno set on failure. */
int net_connect(int fd, const struct sockaddr *sa, socklen_t len);
ssize_t net_send(int fd, const void *buf, size_t len);
ssize_t net_recv(int fd, void *buf, size_t size);
int net_socket_error(int fd, int *error);

socklen_t net_sockaddr(const struct ip_address *addr, unsigned short port, struct sockaddr_storage *sa);

#endif
