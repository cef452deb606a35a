#define _GNU_SOURCE /* MREMAP_MAYMOVE */
#include "mapping.h"

#include <sys/syscall.h>
#include <unistd.h>

/* 32-bit targets (arm) take the offset in pages, through mmap2. s390x's
 * six-argument mmap takes its arguments in a block, which musl's syscall()
 * packs (glibc's would not: the glibc build runs on amd64 only). The int
 * arguments go as long, which is what syscall() reads. */
#ifdef SYS_mmap2
#define SYS_MAP SYS_mmap2
#else
#define SYS_MAP SYS_mmap
#endif

void *map_new(size_t size, int prot, int flags, int fd)
{
	long p = syscall(SYS_MAP, NULL, size, (long)prot, (long)flags, (long)fd, 0L);

	// NOLINTNEXTLINE(performance-no-int-to-ptr): the system call returns the address as a long
	return p == -1 ? MAP_FAILED : (void *)p;
}

int map_remove(void *addr, size_t size)
{
	return (int)syscall(SYS_munmap, addr, size);
}

void *map_resize(void *addr, size_t old_size, size_t new_size)
{
	long p = syscall(SYS_mremap, addr, old_size, new_size, MREMAP_MAYMOVE);

	// NOLINTNEXTLINE(performance-no-int-to-ptr): the system call returns the address as a long
	return p == -1 ? MAP_FAILED : (void *)p;
}

int map_advise(void *addr, size_t size, int advice)
{
	return (int)syscall(SYS_madvise, addr, size, (long)advice);
}

int map_protect(void *addr, size_t size, int prot)
{
	return (int)syscall(SYS_mprotect, addr, size, (long)prot);
}
