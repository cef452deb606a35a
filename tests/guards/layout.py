#!/usr/bin/env python3
"""guard.layout: the #include lines keep src/'s direction (src/CMakeLists.txt).

    src/base/        its own headers only (and the generated version.h)
    src/net/         net, base
    src/identity/    identity, base
    src/lifecycle/   lifecycle, net, identity, base (the watchdog's checks,
                     its verdict, probe, --wait's waiters; watch to come)
    src/supervisor/  supervisor, lifecycle, net, identity, base (the loop runs
                     the checks; their headers name URLs and identities)
    src/config/      config, identity, supervisor, lifecycle, net, base
    src/main.c       everything: the start-up list and the subcommand dispatch

The include directories of each CMake library already refuse most breaches;
this also catches relative paths ("../x.h", "probe/probe.h") that reach
around them. And no float or double anywhere in src/: the s390x build
compiles it with -msoft-float (CMakeLists.txt), which is right only while no
floating-point value crosses a call into musl or libcap-ng.

usage: layout.py SRC_DIR
"""
import os
import re
import sys

ALLOWED = {
    "base": {"base"},
    "net": {"net", "base"},
    "identity": {"identity", "base"},
    "lifecycle": {"lifecycle", "net", "identity", "base"},
    "supervisor": {"supervisor", "lifecycle", "net", "identity", "base"},
    "config": {"config", "identity", "supervisor", "lifecycle", "net", "base"},
}
ALLOWED[""] = {"", *ALLOWED}  # main.c sees every folder
GENERATED = {"version.h"}


def main():
    src = os.path.abspath(sys.argv[1])
    headers = {}
    folders = [f for f in ALLOWED if os.path.isdir(os.path.join(src, f))]
    unknown = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)) and d not in ALLOWED)
    if unknown:
        sys.exit(f"layout.py: src/{unknown[0]}/ has no rule: add its direction here and to src/CMakeLists.txt")
    for folder in folders:
        for name in os.listdir(os.path.join(src, folder)):
            if name.endswith((".h", ".def")):
                headers.setdefault(name, set()).add(folder)
    failures, count = [], 0
    for folder in folders:
        for name in sorted(os.listdir(os.path.join(src, folder))):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(folder, name)
            with open(os.path.join(src, path)) as f:
                text = f.read()
            code = re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"', lambda m: "\n" * m.group(0).count("\n"), text,
                          flags=re.S)
            for number, line in enumerate(code.splitlines(), 1):
                if re.search(r"\b(float|double)\b", line):
                    failures.append(f"src/{path}:{number}: floating point: the s390x build is -msoft-float")
            for number, line in enumerate(text.splitlines(), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                count += 1
                target = m.group(1)
                allowed = set(ALLOWED[folder])
                if target in GENERATED:
                    continue
                if "/" in target:
                    failures.append(f"src/{path}:{number}: \"{target}\": a path, not a header of an allowed folder")
                elif not headers.get(target, set()) & allowed:
                    where = ", ".join(f"src/{d}/" if d else "src/" for d in sorted(headers.get(target, ()))) \
                        or "nowhere in src/"
                    failures.append(f"src/{path}:{number}: \"{target}\" is in {where}; "
                                    f"src/{folder + '/' if folder else ''} may include only "
                                    + ", ".join(f"src/{d}/" if d else "src/" for d in sorted(allowed)))
    if count == 0:
        sys.exit("layout.py: found no #include lines")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"layout: {count} #include lines keep the direction: base <- net <- probe; base <- identity, "
          f"supervisor <- config; all <- main.c")


if __name__ == "__main__":
    main()
