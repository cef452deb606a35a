#!/usr/bin/env bash
# Wall time of `gracefulinit probe` against a healthy local server: Python's
# http.server on loopback (a real HTTP/1.x server, answering 200), plus a bare
# TCP check. Needs hyperfine (scripts/deps.sh bench).
# Usage: bench/probe.sh [BINARY]   (default build/release/src/gracefulinit)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/src/gracefulinit}
[[ -x $bin ]] || { echo "bench/probe.sh: build $bin first" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench/probe.sh: needs hyperfine (scripts/deps.sh bench)" >&2; exit 2; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  "$bin" probe "tcp://127.0.0.1:$port" 2>/dev/null && break
  sleep 0.05
done

echo "binary: $bin ($(stat -c %s "$bin") bytes)"
hyperfine -N --warmup 20 --runs "${RUNS:-300}" --export-json "${JSON:-/dev/null}" \
  "$bin probe http://127.0.0.1:$port/" \
  "$bin probe http://localhost:$port/" \
  "$bin probe tcp://127.0.0.1:$port"
