/* The two things gracefulinit asks fstat: is it a regular file, how long. */
#ifndef GRACEFULINIT_FDSTAT_H
#define GRACEFULINIT_FDSTAT_H

/* What kind of file a descriptor is: S_IFMT's values, the same on every Linux. */
enum fd_type {
	FD_TYPE_FIFO = 0010000,
	FD_TYPE_CHAR = 0020000,
	FD_TYPE_REGULAR = 0100000,
	FD_TYPE_SOCKET = 0140000,
};

struct fd_facts {
	int regular;
	unsigned type; /* enum fd_type, or another S_IFMT value */
	long long size;
};

/* Returns 0, or -1 with errno set. */
int fd_facts(int fd, struct fd_facts *facts);

#endif
