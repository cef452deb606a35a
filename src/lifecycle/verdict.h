/* The watchdog's verdict as gracefulinit health reads it (gracefulinit(1),
 * HEALTH WATCHDOG): one line in a file per init, in /dev/shm (or /run,
 * /tmp), named after what tells that init apart from any other: its mount
 * namespace (one per container, even within a pod), its pid and its start
 * time (an init that has gone, whoever it ran as, left a name no live init
 * has). Pure: the name; verdict_sys.c writes and finds the files. */
#ifndef GRACEFULINIT_VERDICT_H
#define GRACEFULINIT_VERDICT_H

#include <stddef.h>

enum health_verdict { HEALTH_STARTING, HEALTH_HEALTHY, HEALTH_UNHEALTHY };

struct verdict_key {
	unsigned long long mount_ns;   /* the inode of /proc/self/ns/mnt */
	unsigned long long pid;
	unsigned long long start_time; /* /proc/PID/stat's starttime, in clock ticks since boot */
};

/* "gracefulinit-health.MNT.PID.START". */
void verdict_name(const struct verdict_key *key, char *buf, size_t size);

/* Returns 0 and the key of a name verdict_name made, -1 for any other. */
int verdict_name_parse(const char *name, struct verdict_key *key);

/* starttime from the text of /proc/PID/stat; 0 when it has none. */
unsigned long long verdict_start_time(const char *stat);

#endif
