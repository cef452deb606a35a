/* Full RELRO for the static-pie. ld marks the tables that relocation writes
 * (GOT, init arrays, const pointers) as PT_GNU_RELRO; glibc's start code
 * then makes them read-only, but musl's static start leaves them writable. */
#ifndef GRACEFULINIT_RELRO_H
#define GRACEFULINIT_RELRO_H

/* mprotects the PT_GNU_RELRO pages read-only. Returns 0, or -1 after
 * logging. Once, first thing in main: relocation is done by then. */
int relro_protect(void);

#endif
