#!/usr/bin/env bash
# The demo: builds the release binary, then runs gracefulinit as PID 1 in a
# fresh PID namespace and stops it the way `docker stop` does (SIGTERM to
# PID 1), printing a timeline. Needs root (PID namespaces). About 15 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build test
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
init=$PWD/build/release/src/gracefulinit
app=$PWD/build/release/tests/helpers/testapp
[[ $(id -u) == 0 ]] || { echo "demo.sh: run as root (it creates PID namespaces)" >&2; exit 1; }

echo "gracefulinit $("$init" --version | cut -d' ' -f2): $(stat -c %s "$init") bytes, $(file -b "$init" | cut -d, -f1,4)"

t0=0
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Prefixes every line with the time since the scenario started.
stamp() {
  local line
  while IFS= read -r line; do
    printf '  %5d ms  %s\n' $(( $(now_ms) - t0 )) "$line"
  done
}

# scenario TITLE STOP_AFTER_MS GRACEFULINIT-ARGS...
scenario() {
  local title=$1 stop_after=$2
  shift 2
  echo
  echo "== $title"
  local shown="   \$ gracefulinit" arg
  for arg in "$@"; do
    [[ $arg == *' '* ]] && shown+=" '$arg'" || shown+=" $arg"
  done
  echo "${shown//$app/testapp}"
  t0=$(now_ms)
  # unshare --fork makes gracefulinit PID 1 of a new PID namespace, with its own /proc.
  local fifo
  fifo=$(mktemp -u) && mkfifo "$fifo"
  stamp < "$fifo" &
  local stamper=$!
  unshare --pid --fork --mount-proc --kill-child -- "$init" "$@" > "$fifo" 2>&1 &
  local outer=$!
  local pid1
  pid1=$(PYTHONPATH="$PWD/tests/lib" python3 -m gitest.procfs pid1 "$outer")
  if [[ $stop_after -ge 0 ]]; then
    sleep "$(printf '%d.%03d' $((stop_after / 1000)) $((stop_after % 1000)))"
    echo "docker stop: SIGTERM to PID 1" | stamp
    kill -TERM "$pid1"
  fi
  local status=0
  wait "$outer" || status=$?
  wait "$stamper" || true
  rm -f "$fifo"
  printf '  %5d ms  gracefulinit exited with status %d\n' $(( $(now_ms) - t0 )) "$status"
}

scenario "Shell-form CMD: sh dies of SIGTERM at once; its child, the real app, needs 1.5 s to drain" 1000 \
  --grace 5 -- sh -c "$app --name app --cleanup 1500; echo never printed: sh died of the SIGTERM"

scenario "An app that ignores SIGTERM: SIGKILL when the 2 s grace period is over" 1000 \
  --grace 2 -- "$app" --name stubborn --ignore-term

scenario "The command exits, a daemon it started (setsid) remains: asked to stop, waited for" -1 \
  --grace 5 -- "$app" --name main --daemon --run 500

echo
echo "Compare: tini, dumb-init and catatonit exit as soon as the shell dies in the first"
echo "case (the app is SIGKILLed mid-cleanup), wait for docker's own SIGKILL in the second,"
echo "and never signal the daemon in the third."
