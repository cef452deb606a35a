#!/usr/bin/env python3
"""guard.format_conversions: every format string in src/ uses only what
format() implements (src/base/format.h): d i u x c s m %, a precision
(digits or '*'), lengths l, ll and z; no flags and no width.

The compiler checks these calls against full printf, so %X, %p, %f or %hd
compile cleanly; at run time format() would stop at them. This finds every
call of a printf-like function (each declared with format(printf, N, M) in
src/, and each macro that passes __VA_ARGS__ on to one), takes its format
argument when it is a string literal (-Wformat-nonliteral refuses any other
but a forwarded format parameter), and checks each conversion.

usage: format_conversions.py SRC_DIR
"""
import os
import re
import sys

CONVERSION = re.compile(r"%(?P<flags>[-+ #0']*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?"
                        r"(?P<length>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conversion>.)?", re.S)
FLAGS, LENGTHS, CONVERSIONS = set(), {None, "l", "ll", "z"}, set("diuxcsm%")


def strip_comments(text):
    """Comments out, string and character literals kept, line numbers kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] in "\"'":
            j = i + 1
            while j < n and text[j] != text[i]:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def printf_like(sources):
    """name -> index of the format argument (0-based), functions and macros."""
    found = {}
    for text in sources.values():
        for m in re.finditer(r"\b(\w+)\s*\(([^;{}#()]*)\)\s*__attribute__\(\(format\(printf,\s*(\d+),\s*\d+\)\)\)",
                             text):
            found[m.group(1)] = int(m.group(3)) - 1
    for text in sources.values():
        for m in re.finditer(r"^#define\s+(\w+)\(\.\.\.\)(.*)$", text, re.M):
            call = re.search(r"\b(\w+)\(((?:[^(),]|\([^()]*\))*,\s*)*__VA_ARGS__\)", m.group(2))
            if call and call.group(1) in found:
                fixed = call.group(0)[len(call.group(1)) + 1:].count(",")
                found[m.group(1)] = found[call.group(1)] - fixed
    return found


def arguments(text, start):
    """The top-level arguments of the call whose '(' is at start, with the
    offset of each."""
    args, depth, i, begin = [], 0, start + 1, start + 1
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append((text[begin:i], begin))
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append((text[begin:i], begin))
            begin = i + 1
        i += 1
    return args


def literal(arg):
    """The concatenated string literal arg is, or None for anything else."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    if not parts or re.sub(r'"(?:[^"\\]|\\.)*"', "", arg).strip():
        return None
    return "".join(parts)


def problems(fmt):
    for m in CONVERSION.finditer(fmt):
        spec, bad = m.group(0), []
        if m.group("conversion") is None:
            bad.append("a '%' at the end")
        elif m.group("conversion") not in CONVERSIONS:
            bad.append(f"conversion '{m.group('conversion')}'")
        if set(m.group("flags")) - FLAGS:
            bad.append(f"flag '{''.join(sorted(set(m.group('flags')) - FLAGS))}'")
        if m.group("width"):
            bad.append(f"width '{m.group('width')}'")
        if m.group("length") not in LENGTHS:
            bad.append(f"length '{m.group('length')}'")
        if bad:
            yield spec, ", ".join(bad)


def main():
    root = os.path.abspath(sys.argv[1])
    top = os.path.dirname(root)  # paths in messages as from the repository's top
    sources = {}
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                path = os.path.join(folder, name)
                with open(path) as f:
                    sources[path] = strip_comments(f.read())
    functions = printf_like(sources)
    if "format" not in functions or "log_error" not in functions:
        sys.exit(f"format_conversions.py: did not find format() and log_error() among {sorted(functions)}")
    checked, failures = 0, []
    call = re.compile(r"\b(" + "|".join(map(re.escape, functions)) + r")\s*\(")
    for path, text in sorted(sources.items()):
        for m in call.finditer(text):
            args = arguments(text, m.end() - 1)
            index = functions[m.group(1)]
            if index >= len(args):
                continue  # the declaration itself
            fmt = literal(args[index][0])
            if fmt is None:
                continue
            checked += 1
            line = text.count("\n", 0, args[index][1]) + 1
            for spec, why in problems(fmt):
                failures.append(f"{os.path.relpath(path, top)}:{line}: {m.group(1)}(): '{spec}': {why} "
                                "is not implemented by format() (src/base/format.h)")
    if checked == 0:
        sys.exit("format_conversions.py: found no format string to check")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"format strings: {checked} calls of {', '.join(sorted(functions))} checked, "
          "every conversion implemented")


if __name__ == "__main__":
    main()
