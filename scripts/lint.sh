#!/usr/bin/env bash
# clang-tidy and cppcheck on src/ and its folders, against the sanitizer build's compile database.
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/sanitize
[[ -f $db/compile_commands.json ]] || { echo "lint.sh: configure the sanitize preset first" >&2; exit 2; }

echo "=== clang-tidy"
# clang-tidy's exit status counts only errors; a warning is a failure here.
report=$(find src -name '*.c' | sort | xargs -P"$(nproc)" -n4 clang-tidy --quiet -p "$db" 2>/dev/null || true)
if grep -q "warning:" <<<"$report"; then
  echo "$report"
  echo "FAIL: clang-tidy" >&2
  exit 1
fi

echo "=== cppcheck"
cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
  --inline-suppr --std=c11 -I src -I src/base -I src/probe -I build/sanitize/src/base \
  --suppress=missingIncludeSystem \
  --suppress=unusedFunction src
echo "lint: clean"
