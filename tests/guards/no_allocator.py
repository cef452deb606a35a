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
import re
import sys

ALLOCATOR_SYMBOLS = {
    "malloc", "calloc", "realloc", "reallocarray", "free", "aligned_alloc", "posix_memalign",
    "memalign", "valloc", "pvalloc", "malloc_usable_size", "__libc_malloc", "__libc_malloc_impl",
    "__libc_calloc", "__libc_realloc", "__libc_free", "__simple_malloc", "__malloc_donate",
}


def kept_sections(memory_map):
    """(section, size, object) for each input section placed in the binary."""
    pending = None
    for line in memory_map.splitlines():
        m = re.match(r"^ (\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        if m:
            section, addr, size, obj = m.groups()
        else:
            m1 = re.match(r"^ (\.\S+)$", line)
            m2 = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$", line)
            if m1:
                pending = m1.group(1)
                continue
            if not (m2 and pending):
                pending = None
                continue
            section, (addr, size, obj) = pending, m2.groups()
            pending = None
        if int(addr, 16) != 0 and int(size, 16) != 0:
            yield section, int(size, 16), obj


def main():
    with open(sys.argv[1]) as f:
        text = f.read()
    _, found, memory_map = text.partition("Linker script and memory map")
    if not found:
        sys.exit("no_allocator.py: no memory map in the file: is it a GNU ld map?")
    bad, count = [], 0
    for section, size, obj in kept_sections(memory_map):
        count += 1
        # musl's fork() keeps malloc.lo's lock and atfork hook (a few bytes):
        # the allocator proper is its functions.
        if section.split(".")[-1] in ALLOCATOR_SYMBOLS:
            bad.append(f"{section} ({size} B) from {obj}")
    for m in re.finditer(r"^\s+0x0*([0-9a-f]+)\s+(\w+)$", memory_map, re.M):
        if int(m.group(1), 16) != 0 and m.group(2) in ALLOCATOR_SYMBOLS:
            bad.append(f"symbol {m.group(2)}")
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
