/* Full RELRO for the static-pie. ld marks the tables that relocation writes
 * (GOT, init arrays, const pointers) as PT_GNU_RELRO; glibc's start code
 * then makes them read-only, but musl's static start leaves them writable. */
#ifndef GRACEFULINIT_RELRO_H
#define GRACEFULINIT_RELRO_H

#include <link.h>
#include <stdint.h>

/* A program header of the binary's own class (32 or 64 bits). */
typedef ElfW(Phdr) relro_phdr;

/* The pages to make read-only for a binary loaded at base with these
 * program headers, on pages of page bytes: from the tables' first page
 * (theirs in either layout) to their last that holds nothing of another
 * segment or of the data after them in their own. Returns 1 with
 * [*start, *end), or 0 if there is none. */
int relro_span(const relro_phdr *phdr, unsigned count, uintptr_t base, uintptr_t page, uintptr_t *start,
	       uintptr_t *end);

/* mprotects the PT_GNU_RELRO pages read-only. Returns 0, or -1 after
 * logging. Once, first thing in main: relocation is done by then. */
int relro_protect(void);

#endif
