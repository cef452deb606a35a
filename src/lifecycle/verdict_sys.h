/* The watchdog's verdict where gracefulinit health finds it (verdict.h says
 * where and why there). The init writes; the subcommand only reads, so it
 * cannot make the init do anything. */
#ifndef GRACEFULINIT_VERDICT_SYS_H
#define GRACEFULINIT_VERDICT_SYS_H

#include "verdict.h"

/* The init, once it has switched to its user: creates its verdict file,
 * "starting". Without one (logged) the watchdog still acts, and
 * gracefulinit health says it found no verdict. */
void verdict_open(void);

/* A change of verdict; why is the reason of an unhealthy one. */
void verdict_publish(enum health_verdict verdict, const char *why);

/* At exit: the file goes with the init. */
void verdict_close(void);

/* gracefulinit health: 0 when its own init's last verdict is healthy, 1
 * otherwise, after the verdict's line. */
int verdict_report(void);

#endif
