/* mmap, munmap, mremap, madvise and mprotect as plain system calls. musl's
 * wrappers check offsets and sizes and wait on its thread-safety lock: 500
 * bytes on s390x that a program without threads and with no file offset
 * never needs (bench/notes.md). Each returns what the
 * call does, with errno set on failure; map returns MAP_FAILED. */
#ifndef GRACEFULINIT_MAPPING_H
#define GRACEFULINIT_MAPPING_H

#include <stddef.h>
#include <sys/mman.h>

/* A mapping of size bytes at offset 0: anonymous when fd is -1. */
void *map_new(size_t size, int prot, int flags, int fd);
int map_remove(void *addr, size_t size);
/* mremap with MREMAP_MAYMOVE. */
void *map_resize(void *addr, size_t old_size, size_t new_size);
int map_advise(void *addr, size_t size, int advice);
int map_protect(void *addr, size_t size, int prot);

#endif
