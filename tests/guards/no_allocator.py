#!/usr/bin/env python3
"""guard.no_allocator: the release binary links no allocator.

One call to malloc or free (or to a libc function that makes one: stdio,
printf, opendir, getpwnam, qsort, setenv) pulls in musl's allocator, about
7 KB. The linker's map says what went into the binary: this fails when any
input section that kept its place (--gc-sections discards the rest, such as
libcap-ng's unused capng_change_id and what it asked for) holds one of the
allocator's functions, or the map defines one of their symbols.

usage: no_allocator.py build/release/gracefulinit.map
"""
import sys

from gitest import linkmap

ALLOCATOR_SYMBOLS = {
    "malloc", "calloc", "realloc", "reallocarray", "free", "aligned_alloc", "posix_memalign",
    "memalign", "valloc", "pvalloc", "malloc_usable_size", "__libc_malloc", "__libc_malloc_impl",
    "__libc_calloc", "__libc_realloc", "__libc_free", "__simple_malloc", "__malloc_donate",
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
            if size and section.split(".")[-1] in ALLOCATOR_SYMBOLS:
                bad.append(f"{section} ({size} B) from {obj}")
    except ValueError as e:
        sys.exit(f"no_allocator.py: {e}")
    bad += [f"symbol {name}" for name in linkmap.defined_symbols(text) if name in ALLOCATOR_SYMBOLS]
    if count == 0:
        sys.exit("no_allocator.py: no input sections found in the memory map")
    if bad:
        print("FAIL: the release binary links the allocator (src/CMakeLists.txt says why it must not):",
              file=sys.stderr)
        for b in bad:
            print(f"  {b}", file=sys.stderr)
        sys.exit(1)
    print(f"no allocator: none of the {count} input sections linked is malloc's, free's or their kin's")


if __name__ == "__main__":
    main()
