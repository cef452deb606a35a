"""gracefulinit(1), SECURITY MODEL: the hardening holds in the running
process, not only in the file. musl's static start relocates a static-pie
but leaves its PT_GNU_RELRO tables writable; gracefulinit makes them
read-only itself (src/base/relro.c). guard.hardening checks the file."""
import re
import signal
import subprocess

from conftest import GRACEFULINIT, app


def relro_region():
    """(start, end) of PT_GNU_RELRO as offsets from the load address."""
    out = subprocess.run(["readelf", "-lW", GRACEFULINIT], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*GNU_RELRO\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)", out, re.M)
    assert m, out
    return int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2), 16)


def test_relocated_tables_are_read_only_while_it_runs(start, marker):
    init = start(["--", *app(marker=marker)])
    marker.wait_for("app start")
    with open(f"/proc/{init.pid}/maps") as f:
        maps = [l.split() for l in f if l.rstrip().endswith(GRACEFULINIT.split("/")[-1])]
    ranges = [(int(a, 16), int(b, 16), perms) for a, b, perms, *_ in
              (tuple(m[0].split("-")) + (m[1],) for m in maps)]
    base = min(a for a, _, _ in ranges)
    start_off, end_off = relro_region()
    page = 4096
    first, last = (base + start_off) & ~(page - 1), (base + end_off) & ~(page - 1)
    assert last > first
    for a, b, perms in ranges:
        if a < last and b > first:  # overlaps the RELRO pages
            assert perms == "r--p", (hex(a), hex(b), perms, maps)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
