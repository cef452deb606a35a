#!/usr/bin/env bash
# clang-tidy and cppcheck on src/ and its folders, against the sanitizer
# build's compile database, and pyflakes on every Python file (tests, guards,
# benchmarks, release scripts). Any diagnostic fails: clang-tidy runs with
# --warnings-as-errors='*' and its exit status is kept, so a compiler
# "error:" fails as surely as a check's warning. Before it trusts a clean
# run, it makes each tool fail on purpose (tests/guards/lint/): a lint that
# cannot fail is no lint.
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/sanitize
[[ -f $db/compile_commands.json ]] || { echo "lint.sh: configure the sanitize preset first" >&2; exit 2; }
canaries=tests/guards/lint

tidy() { clang-tidy --quiet --warnings-as-errors='*' "$@"; }
cppcheck_src() {
  cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
    --inline-suppr --std=c11 -I build/sanitize/src/base --suppress=missingIncludeSystem \
    --suppress=unusedFunction "$@"
}

# Each canary must make its tool fail, or the tool's verdict on src/ means nothing.
must_fail() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "FAIL: lint self-test: $what passed, so lint could not fail" >&2
    exit 1
  fi
}
must_fail "clang-tidy on a check's warning" tidy "$canaries/tidy_warning.c" -- -std=c11
must_fail "clang-tidy on a compiler error" tidy "$canaries/tidy_error.c" -- -std=c11
must_fail "cppcheck on an error" cppcheck_src "$canaries/cppcheck_error.c"
must_fail "pyflakes on an undefined name" /usr/bin/python3 -m pyflakes "$canaries/pyflakes_error.py"
echo "lint self-test: each tool fails on its canary"

echo "=== clang-tidy"
# xargs exits non-zero when any clang-tidy did; the report goes out whole.
if ! find src -name '*.c' | sort | xargs -P"$(nproc)" -n4 clang-tidy --quiet --warnings-as-errors='*' -p "$db" \
  > "$db/clang-tidy.log" 2>&1; then
  grep -v -e '^[0-9]* warnings\? generated\.$' -e '^Suppressed ' -e '^Use -header-filter' "$db/clang-tidy.log" >&2 || true
  echo "FAIL: clang-tidy" >&2
  exit 1
fi

echo "=== cppcheck"
mapfile -t include_dirs < <(find src -type d | sed 's/^/-I/')
cppcheck_src "${include_dirs[@]}" src

echo "=== pyflakes"
# Debian's python3, which has python3-pyflakes; the canaries are meant to fail.
git ls-files '*.py' | grep -v "^$canaries/" | xargs /usr/bin/python3 -m pyflakes
echo "lint: clean"
