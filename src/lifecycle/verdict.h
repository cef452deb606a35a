/* The watchdog's verdict as gracefulinit health reads it (gracefulinit(1),
 * HEALTH WATCHDOG): one line in a file whose name says whose it is. The
 * pure half: the name and the start time it carries. */
#ifndef GRACEFULINIT_VERDICT_H
#define GRACEFULINIT_VERDICT_H

#include <stddef.h>

/* Whose verdict: the init's mount namespace (a docker exec shares it, another
 * container of the pod does not), its pid and its start time (an earlier
 * init's file, left in a /dev/shm that outlived it, names another). */
struct verdict_key {
	unsigned long long mount_ns, pid, start_time;
};

/* place/gracefulinit-health.MOUNTNS.PID.START into buf. */
void verdict_name(const char *place, const struct verdict_key *key, char *buf, size_t size);

/* The start time in a /proc/PID/stat text (its 22nd field), or 0. */
unsigned long long verdict_start_time(const char *stat);

#endif
