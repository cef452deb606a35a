"""GNU ld's map file, as bench/report.py (where the bytes go) and
tests/guards/no_allocator.py (no allocator in the binary) read it."""
import re


def placed_sections(map_text):
    """(section, size, object) for each input section the link placed in the
    binary: those --gc-sections discarded sit at address 0 and are left out.
    The map writes a long section name on a line of its own, the address,
    size and object on the next."""
    _, found, memory = map_text.partition("Linker script and memory map")
    if not found:
        raise ValueError("no memory map: is this a GNU ld map?")
    pending = None
    for line in memory.splitlines():
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
        if int(addr, 16) != 0:
            yield section, int(size, 16), obj


def defined_symbols(map_text):
    """The names of the symbols the memory map places at an address."""
    _, _, memory = map_text.partition("Linker script and memory map")
    for m in re.finditer(r"^\s+0x0*([0-9a-f]+)\s+(\w+)$", memory, re.M):
        if int(m.group(1), 16) != 0:
            yield m.group(2)
