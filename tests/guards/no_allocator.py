#!/usr/bin/env python3
"""guard.no_allocator: the release binary links no allocator.

One call to malloc or free (or to a libc function that makes one: stdio,
printf, opendir, getpwnam, qsort, setenv) pulls in musl's allocator, about
7 KB. The linker's map says what went into the binary: this fails when any
input section that kept its place (--gc-sections discards the rest, such as
libcap-ng's unused capng_change_id and what it asked for) holds one of the
allocator's functions, or the map defines one of their symbols.

The same for what reads musl's thread id (raise, abort, pthread_*, stdio's
locks): src/base/syscalls.c forks with a plain system call on the 64-bit
targets, which leaves a child's thread id its parent's, right only while
nothing linked reads it.

usage: no_allocator.py build/release/gracefulinit.map
"""
import sys

from gitest import linkmap

ALLOCATOR_SYMBOLS = {
    "malloc", "calloc", "realloc", "reallocarray", "free", "aligned_alloc", "posix_memalign",
    "memalign", "valloc", "pvalloc", "malloc_usable_size", "__libc_malloc", "__libc_malloc_impl",
    "__libc_calloc", "__libc_realloc", "__libc_free", "__simple_malloc", "__malloc_donate",
}
THREAD_ID_READERS = {
    "raise", "abort", "gettid", "__lockfile", "__tl_lock", "pthread_kill", "pthread_self", "pthread_create",
    "pthread_sigmask", "timer_create", "sched_getaffinity",
}


def main():
    with open(sys.argv[1]) as f:
        text = f.read()
    bad, count = [], 0
    try:
        for section, size, obj in linkmap.placed_sections(text):
            count += 1
            # An archive member can stay for a lock or a hook it defines:
            # the allocator proper is its functions.
            if size and section.split(".")[-1] in ALLOCATOR_SYMBOLS | THREAD_ID_READERS:
                bad.append(f"{section} ({size} B) from {obj}")
    except ValueError as e:
        sys.exit(f"no_allocator.py: {e}")
    bad += [f"symbol {name}" for name in linkmap.defined_symbols(text)
            if name in ALLOCATOR_SYMBOLS | THREAD_ID_READERS]
    if count == 0:
        sys.exit("no_allocator.py: no input sections found in the memory map")
    if bad:
        print("FAIL: the release binary links the allocator (src/CMakeLists.txt says why it must not), or "
              "reads the thread id a plain fork leaves stale (src/base/syscalls.c):", file=sys.stderr)
        for b in bad:
            print(f"  {b}", file=sys.stderr)
        sys.exit(1)
    print(f"no allocator: none of the {count} input sections linked is malloc's, free's or their kin's, "
          "nor reads the thread id")


if __name__ == "__main__":
    main()
