#include "relro.h"

#include <elf.h>
#include <stddef.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "log.h"
#include "mapping.h"

/* The ELF header as loaded (ld defines the symbol): the program headers
 * follow it in the first page, so no auxv pointer is needed for them. */
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));

static uintptr_t page_down(uintptr_t at, uintptr_t page) { return at & ~(page - 1); }

static uintptr_t page_up(uintptr_t at, uintptr_t page) { return page_down(at + page - 1, page); }

static const relro_phdr *find(const relro_phdr *phdr, unsigned count, unsigned type)
{
	for (unsigned i = 0; i < count; i++)
		if (phdr[i].p_type == type)
			return &phdr[i];
	return NULL;
}

/* Whether a segment other than own is loaded in the page at [from, from + page). */
static int page_has_other(const relro_phdr *phdr, unsigned count, const relro_phdr *own, uintptr_t base,
			  uintptr_t from, uintptr_t page)
{
	for (unsigned i = 0; i < count; i++) {
		if (phdr[i].p_type != PT_LOAD || &phdr[i] == own)
			continue;
		uintptr_t lo = page_down(base + phdr[i].p_vaddr, page);
		uintptr_t hi = page_up(base + phdr[i].p_vaddr + phdr[i].p_memsz, page);
		if (lo < from + page && from < hi)
			return 1;
	}
	return 0;
}

int relro_span(const relro_phdr *phdr, unsigned count, uintptr_t base, uintptr_t page, uintptr_t *start,
	       uintptr_t *end)
{
	const relro_phdr *relro = find(phdr, count, PT_GNU_RELRO), *own = NULL;

	if (relro == NULL || page == 0)
		return 0;
	for (unsigned i = 0; i < count; i++)
		if (phdr[i].p_type == PT_LOAD && phdr[i].p_vaddr <= relro->p_vaddr &&
		    relro->p_vaddr < phdr[i].p_vaddr + phdr[i].p_memsz)
			own = &phdr[i];
	uintptr_t from = base + relro->p_vaddr, to = from + relro->p_memsz;
	/* Both layouts give the tables' first page to their own segment
	 * (guard.hardening checks it at the target's largest page). */
	*start = page_down(from, page);
	*end = page_down(to, page);
	/* binutils' layout ends the tables on a page boundary, with data after
	 * them; cmake/relro-first.ld's gives them a segment of their own, whose
	 * last page is theirs whole. */
	if (own != NULL && to == base + own->p_vaddr + own->p_memsz && !page_has_other(phdr, count, own, base, *end, page))
		*end = page_up(to, page);
	return *end > *start;
}

int relro_protect(void)
{
	const char *base = (const char *)&__ehdr_start;
	const relro_phdr *phdr = (const relro_phdr *)(const void *)(base + __ehdr_start.e_phoff);
	uintptr_t start, end;

	if (!relro_span(phdr, __ehdr_start.e_phnum, (uintptr_t)base, getauxval(AT_PAGESZ), &start, &end))
		return 0;
	if (map_protect((void *)(base + (start - (uintptr_t)base)), end - start, PROT_READ) != 0) {
		log_error("cannot make the relocated tables read-only: %m");
		return -1;
	}
	return 0;
}
