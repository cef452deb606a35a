/* The watchdog's verdict file (gracefulinit(1), HEALTH WATCHDOG): the init
 * writes it, gracefulinit health reads it. The init never reads it back, so
 * nothing written there can make the init do anything. */
#ifndef GRACEFULINIT_VERDICT_SYS_H
#define GRACEFULINIT_VERDICT_SYS_H

#include "health.h"

/* Creates this init's verdict file, saying "starting", before the command
 * starts (nothing it runs can take the name first). Without one (logged)
 * the watchdog still acts, and gracefulinit health finds no verdict. */
void verdict_open(void);

/* A change of verdict; why is an unhealthy one's reason. */
void verdict_publish(enum health_verdict verdict, const char *why);

/* At exit: the file goes with the init. */
void verdict_close(void);

/* gracefulinit health: prints its own init's verdict line; 0 when it is
 * healthy, 1 otherwise. */
int verdict_report(void);

#endif
