#!/usr/bin/env bash
# clang-tidy and cppcheck on src/, against the sanitizer build's compile database.
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/sanitize
[[ -f $db/compile_commands.json ]] || { echo "lint.sh: configure the sanitize preset first" >&2; exit 2; }

echo "=== clang-tidy"
clang-tidy --quiet -p "$db" src/*.c 2>&1 | grep -v "warnings generated" || true
# clang-tidy's exit status counts only errors; a warning is a failure here.
if clang-tidy --quiet -p "$db" src/*.c 2>/dev/null | grep -q "warning:"; then
  echo "FAIL: clang-tidy" >&2
  exit 1
fi

echo "=== cppcheck"
cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
  --inline-suppr --std=c11 -I src --suppress=missingIncludeSystem \
  --suppress=unusedFunction src
echo "lint: clean"
