#include "relro.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "log.h"

/* The ELF header as loaded (ld defines the symbol): the program headers
 * follow it in the first page, so no auxv pointer is needed for them. */
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));

int relro_protect(void)
{
	const char *base = (const char *)&__ehdr_start;
	const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)(const void *)(base + __ehdr_start.e_phoff);
	uintptr_t page = getauxval(AT_PAGESZ), at = (uintptr_t)base;

	if (page == 0)
		return 0;
	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++) {
		if (phdr[i].p_type != PT_GNU_RELRO)
			continue;
		/* The region ends on a page boundary; its first page holds
		 * nothing else of the writable segment. Offsets from base. */
		uintptr_t start = ((at + phdr[i].p_vaddr) & ~(page - 1)) - at;
		uintptr_t end = ((at + phdr[i].p_vaddr + phdr[i].p_memsz) & ~(page - 1)) - at;
		if (end > start && mprotect((void *)(base + start), end - start, PROT_READ) != 0) {
			log_error("cannot make the relocated tables read-only: %m");
			return -1;
		}
	}
	return 0;
}
