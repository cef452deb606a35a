"""readelf's view of a release binary: guard.hardening and the release tests
apply the same rule to it."""
import re


def program_headers(segments):
    """(type, offset, vaddr, memsz, align) of each header readelf -lW lists."""
    row = re.compile(r"^\s+(\w+)\s+0x(\w+)\s+0x(\w+)\s+0x\w+\s+0x\w+\s+0x(\w+)\s+[RWE ]+?\s+0x(\w+)\s*$", re.M)
    return [(m.group(1), *(int(x, 16) for x in m.groups()[1:])) for m in row.finditer(segments)]


def relro_layout_problems(segments):
    """What keeps relro.c from making all of RELRO read-only on the largest
    page the binary may run with (its LOADs' alignment): every page holding
    the tables must hold nothing writable besides them, so they either end
    on such a boundary or end their segment, and no other segment may share
    their pages. Also each LOAD's offset and address agree modulo that page,
    or the kernel cannot map it."""
    headers = program_headers(segments)
    loads = [h for h in headers if h[0] == "LOAD"]
    relro = next((h for h in headers if h[0] == "GNU_RELRO"), None)
    if not loads or relro is None:
        return ["no LOAD or no GNU_RELRO segment"]
    page = max(h[4] for h in loads)
    problems = [f"LOAD at 0x{v:x}: offset 0x{o:x} and address disagree modulo 0x{page:x}"
                for _, o, v, _, _ in loads if o % page != v % page]
    start, end = relro[2], relro[2] + relro[3]
    own = next((h for h in loads if h[2] <= start < h[2] + h[3]), None)
    if own is None:
        return problems + ["GNU_RELRO lies in no LOAD"]
    if end % page and end != own[2] + own[3]:
        problems.append(f"GNU_RELRO ends at 0x{end:x}, off a 0x{page:x} boundary, with data after it in its page")
    lo, hi = start - start % page, -(-end // page) * page
    for h in loads:
        if h is not own and h[2] - h[2] % page < hi and lo < -(-(h[2] + h[3]) // page) * page:
            problems.append(f"GNU_RELRO shares a 0x{page:x} page with the LOAD at 0x{h[2]:x}")
    return problems
