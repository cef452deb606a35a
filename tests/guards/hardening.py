#!/usr/bin/env python3
"""guard.hardening: the release binary is what cmake/Hardening.cmake asks for.

From readelf on the binary: a position-independent executable (ELF type DYN)
with no program interpreter (static) and no section headers, GNU_RELRO on
pages of its own, BIND_NOW, and a GNU_STACK that is not executable. From the
build: every gracefulinit
source compiled with -fPIE -fstack-protector-strong (compile_commands.json),
libcap-ng's objects calling __stack_chk_fail (so it was built with the
protector too), and, on x86-64, the linked code reading the canary.

usage: hardening.py BINARY COMPILE_COMMANDS_JSON LIBCAPNG_ARCHIVE NM READELF SECTIONS_COPY
"""
import json
import os
import re
import subprocess
import sys

from gitest.elf import relro_layout_problems

FLAGS = ("-fPIE", "-fstack-protector-strong")


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


# With link-time optimisation the code is generated when linking, from the
# flags each function was compiled with; the compile database alone cannot
# show the protector survived. On x86-64 each protected function reads the
# canary at %fs:0x28: the release binary does so in about 120 places, and
# in 20 (libcap-ng's) when gracefulinit's own code is built without it.
MIN_CANARY_READS = 50


def linked_canary_checks(sections, header):
    """How often the x86-64 code reads the canary; None on other machines.
    objdump disassembles by section: it reads the copy that keeps them."""
    if not re.search(r"Machine:\s+Advanced Micro Devices X86-64", header):
        return None
    return run("objdump", "-d", sections).count("%fs:0x28")


def main():
    binary, commands, capng, nm, readelf, sections = sys.argv[1:7]
    failures = []
    header = run(readelf, "-hW", binary)
    if not re.search(r"Type:\s+DYN\b", header):
        failures.append("ELF type is not DYN: not a static-pie")
    segments = run(readelf, "-lW", binary)
    if re.search(r"^\s*INTERP\b", segments, re.M):
        failures.append("has an INTERP segment: not static")
    if not re.search(r"^\s*GNU_RELRO\b", segments, re.M):
        failures.append("no GNU_RELRO segment")
    stack = re.search(r"^\s*GNU_STACK(?:\s+0x[0-9a-f]+){5}\s+([RWE ]+?)\s+0x", segments, re.M)
    if not stack:
        failures.append("no GNU_STACK segment: the stack may be executable")
    elif "E" in stack.group(1):
        failures.append(f"GNU_STACK is executable ({stack.group(1).strip()})")
    failures += relro_layout_problems(segments)
    dynamic = run(readelf, "-dW", binary)
    if not re.search(r"\(FLAGS\)\s+.*BIND_NOW", dynamic) and not re.search(r"\(FLAGS_1\)\s+.*\bNOW\b", dynamic):
        failures.append("no BIND_NOW: RELRO is partial")

    src = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "src"))
    with open(commands) as f:
        entries = [e for e in json.load(f) if os.path.realpath(e["file"]).startswith(src + os.sep)]
    if not entries:
        failures.append(f"no src/ files in {commands}")
    for e in entries:
        words = e.get("command", " ".join(e.get("arguments", []))).split()
        missing = [flag for flag in FLAGS if flag not in words]
        if missing or "-fno-stack-protector" in words:
            failures.append(f"{os.path.relpath(e['file'], src)}: compiled without {' '.join(missing) or 'the protector'}")
    if not re.search(r"^\s+U __stack_chk_fail$", run(nm, capng), re.M):
        failures.append("libcap-ng does not call __stack_chk_fail: built without the stack protector")
    if not re.search(r"Number of section headers:\s+0\b", header):
        failures.append("has section headers: cmake/strip-section-headers.sh did not run")
    canaries = linked_canary_checks(sections, header)
    if canaries is not None and canaries < MIN_CANARY_READS:
        failures.append(f"the linked code reads the stack canary in {canaries} places (fewer than "
                        f"{MIN_CANARY_READS}): link-time optimisation dropped the protector")

    if failures:
        print("\n".join(f"FAIL: {x}" for x in failures), file=sys.stderr)
        sys.exit(1)
    print(f"hardening: static-pie, no INTERP, GNU_RELRO + BIND_NOW, GNU_STACK {stack.group(1).strip()}; "
          f"{len(entries)} sources with {' '.join(FLAGS)}; libcap-ng protected"
          + (f"; {canaries} canary reads in the linked code" if canaries is not None else ""))


if __name__ == "__main__":
    main()
