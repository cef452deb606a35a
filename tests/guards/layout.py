#!/usr/bin/env python3
"""guard.layout: the #include lines keep src/'s direction (src/CMakeLists.txt).

    src/base/   includes only src/base/ headers (and the generated version.h)
    src/probe/  includes src/probe/ and src/base/ headers
    src/        includes src/ and src/base/ headers; main.c alone also
                includes src/probe/probe.h, for its dispatch

The include directories of each CMake library already refuse most breaches;
this also catches relative paths ("../x.h", "probe/probe.h") that reach
around them.

usage: layout.py SRC_DIR
"""
import os
import re
import sys

ALLOWED = {"base": {"base"}, "probe": {"probe", "base"}, "": {"", "base"}}
GENERATED = {"version.h"}


def main():
    src = os.path.abspath(sys.argv[1])
    headers = {}
    for folder in ALLOWED:
        for name in os.listdir(os.path.join(src, folder)):
            if name.endswith((".h", ".def")):
                headers.setdefault(name, set()).add(folder)
    failures, count = [], 0
    for folder in ALLOWED:
        for name in sorted(os.listdir(os.path.join(src, folder))):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(folder, name)
            with open(os.path.join(src, path)) as f:
                for number, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    count += 1
                    target = m.group(1)
                    allowed = set(ALLOWED[folder])
                    if path == "main.c" and target == "probe.h":
                        allowed.add("probe")
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
    print(f"layout: {count} #include lines keep the direction base <- probe, base <- core, probe <- main.c")


if __name__ == "__main__":
    main()
