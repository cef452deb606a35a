#!/usr/bin/env bash
# guard.size: the release binary within its budget. The hard limit is 73,728
# bytes (what a hardened static-pie build may take); the aim stays 64 KiB.
# Prints the size and the headroom to both; fails only past the limit.
set -euo pipefail
bin=${1:?usage: size.sh BINARY}
limit=73728 aim=65536
size=$(stat -c %s "$bin")
echo "release binary: $size bytes; headroom $((limit - size)) bytes to the $limit-byte limit, $((aim - size)) to the $aim-byte aim"
if ((size > limit)); then
  echo "FAIL: $bin is $size bytes, over the $limit-byte limit by $((size - limit)): see docs/benchmarks.md for what each part costs" >&2
  exit 1
fi
if ((size > aim)); then
  echo "note: over the 64 KiB aim by $((size - aim)) bytes"
fi
