#!/usr/bin/env bash
# guard.size: the release binary within its budget, 81,920 bytes (80 KiB) on
# every architecture, room for the lifecycle features (health, restart,
# wait, watch) beside a hardened static-pie. Prints the size and the
# headroom; fails past the budget.
set -euo pipefail
bin=${1:?usage: size.sh BINARY}
limit=81920
size=$(stat -c %s "$bin")
echo "${LABEL:-release binary}: $size bytes; headroom $((limit - size)) bytes to the $limit-byte budget"
if ((size > limit)); then
  echo "FAIL: $bin is $size bytes, over the $limit-byte budget by $((size - limit)): see docs/benchmarks.md for what each part costs" >&2
  exit 1
fi
# With binutils' layout (amd64, arm, riscv64) the file grows in steps of
# the largest page the target may run with (4 KiB there): with full RELRO
# the writable segment starts where the read-only tables end on such a
# boundary, so the padding before it takes up what the code and tables leave
# of their last page. Say how far the next step is, which the size alone
# does not show. cmake/relro-first.ld's layout (arm64, ppc64le, s390x) has no
# such padding. readelf reads any architecture's binary (release.sh's too).
if command -v readelf >/dev/null; then
  read -r code page < <(readelf -lW "$bin" | awk '$1 == "LOAD" { print $5, $NF; exit }')
  read -r rstart rsize < <(readelf -lW "$bin" | awk '$1 == "GNU_RELRO" { print $3, $6; exit }')
  if [[ -n $code && -n $rsize ]]; then
    page=$((page)) used=$((code + rsize))
    if (( (rstart + rsize) % page )); then
      echo "the read-only tables have a segment of their own (cmake/relro-first.ld): the file grows with no page steps"
    else
      step=$(( (used + page - 1) / page * page ))
      echo "code and read-only tables: $used bytes; $((step - used)) bytes to the next $((page / 1024)) KiB step of the file"
    fi
  fi
fi
