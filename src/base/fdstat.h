/* The two things gracefulinit asks fstat: is it a regular file, how long. */
#ifndef GRACEFULINIT_FDSTAT_H
#define GRACEFULINIT_FDSTAT_H

struct fd_facts {
	int regular;
	long long size;
};

/* Returns 0, or -1 with errno set. */
int fd_facts(int fd, struct fd_facts *facts);

#endif
