#!/usr/bin/env bash
# Builds everything and runs every test: the release build (static musl) and
# the sanitizer build (glibc, ASan+UBSan), each with its whole CTest suite,
# clang-tidy and cppcheck on src/, then the release for every architecture
# (scripts/release_check.sh: built twice, compared, tested under qemu).
# Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build test lint docker bench release

for preset in release sanitize; do
  echo "=== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$(nproc)"
done

bin=build/release/src/gracefulinit
if file "$bin" | grep -q 'dynamically linked' || readelf -lW "$bin" | grep -q INTERP; then
  echo "FAIL: $bin is not static" >&2
  exit 1
fi
echo "release binary: $(stat -c %s "$bin") bytes, static"

scripts/lint.sh

for preset in release sanitize; do
  echo "=== $preset: tests"
  ctest --preset "$preset" -j"$(nproc)" "$@"
done

# With arguments for ctest (one label, say), the release check is left out.
if (($# == 0)); then
  echo "=== release: every architecture, twice, under qemu"
  scripts/release_check.sh
fi
