/* The one loop: wait for a signal, feed it to the stop machine, carry out
 * what it decides. Returns the command's status (before --exit-map). */
#ifndef GRACEFULINIT_SUPERVISE_H
#define GRACEFULINIT_SUPERVISE_H

#include <sys/types.h>

#include "options.h"
#include "sigmask.h"

int supervise(pid_t command, sigmask_bits wait_set, const struct options *opts);

#endif
