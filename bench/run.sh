#!/usr/bin/env bash
# gracefulinit against tini, dumb-init and catatonit, interleaved in one run.
#
#   bench/run.sh            full run (~6-10 min): writes docs/benchmarks.md and
#                           docs/benchmarks.svg, raw samples in build/release/bench/full
#   bench/run.sh --quick    a few seconds, every metric with tiny counts, to keep
#                           the bench code working (CTest: label "bench"); writes
#                           only under the build tree
#
# Options: --no-build (use an existing release build), --build-dir DIR
# (default build/release), --out DIR (raw samples and, in quick mode, the page).
# Needs root (PID and mount namespaces) and Debian's peers (scripts/deps.sh bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

quick=0 build=1 build_dir=$root/build/release out=
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --build-dir) build_dir=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--no-build] [--build-dir DIR] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || { echo "bench/run.sh: needs root (PID namespaces)" >&2; exit 1; }

if ((build)); then
  scripts/deps.sh build bench
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target gracefulinit gibench testapp
else
  # Under CTest (bench.quick) nothing is installed: the peers must be there.
  scripts/deps.sh --check bench
fi

if ((quick)); then
  out=${out:-$build_dir/bench/quick}
  page=$out/benchmarks.md chart=$out/benchmarks.svg
  launches=30 idle=1 signals=300 stops=5 escalations=2 grace_ms=100 orphan_rounds=1 orphans=2000
else
  out=${out:-$build_dir/bench/full}
  page=$root/docs/benchmarks.md chart=$root/docs/benchmarks.svg
  launches=2000 idle=10 signals=10000 stops=300 escalations=20 grace_ms=500 orphan_rounds=5 orphans=100000
fi
rm -rf "$out"
mkdir -p "$out"
scratch=$(mktemp -d /tmp/gibench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

gi=$build_dir/src/gracefulinit
driver=$build_dir/bench/gibench
app=$build_dir/tests/helpers/testapp
for f in "$gi" "$driver" "$app"; do
  [[ -x $f ]] || { echo "bench/run.sh: $f missing: build the release preset" >&2; exit 1; }
done

# The peers run static where Debian ships them static (tini-static, catatonit);
# dumb-init only comes dynamic. Each with its default options, as users run it.
peers=(tini=/usr/bin/tini-static dumb-init=/usr/bin/dumb-init catatonit=/usr/bin/catatonit)
inits=(gracefulinit="$gi" "${peers[@]}")
bench() { "$driver" -a "$app" -d "$scratch" "$@"; }

# Machine, toolchain and versions, for the page.
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mode=$([[ $quick == 1 ]] && echo quick || echo full)"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "cpus=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -srm)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "compiler=$(musl-gcc --version | head -1), musl $(dpkg-query -W -f='${Version}' musl)"
  echo "gracefulinit=$("$gi" --version | head -1)"
  for p in tini dumb-init catatonit; do echo "$p=$(dpkg-query -W -f='${Version}' "$p")"; done
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "params=launches=$launches idle=${idle}s signals=$signals stops=$stops escalations=$escalations grace=${grace_ms}ms orphan_rounds=$orphan_rounds orphans=$orphans"
} > "$out/env.txt"

echo "bench: sizes"
{
  printf 'size\tgracefulinit\t%s\n' "$(stat -c %s "$gi")"
  printf 'size\ttini\t%s\n' "$(stat -c %s /usr/bin/tini-static)"
  printf 'size\tcatatonit\t%s\n' "$(stat -c %s /usr/bin/catatonit)"
  printf 'size\tdumb-init\t%s\n' "$(stat -c %s /usr/bin/dumb-init)"
  printf 'size-dynamic\ttini\t%s\n' "$(stat -c %s /usr/bin/tini)"
  # dumb-init needs the loader and libc at run time: count them too.
  for lib in $(ldd /usr/bin/dumb-init | grep -o '/[^ ]*'); do
    printf 'size-libs\tdumb-init\t%s\t%s\n' "$(stat -L -c %s "$lib")" "$lib"
  done
  if file -L "$gi" | grep -q 'dynamically linked'; then printf 'static\tgracefulinit\t0\n'; else printf 'static\tgracefulinit\t1\n'; fi
} > "$out/size.tsv"

echo "bench: idle memory and wake-ups (${idle}s, all inits at once)"
bench -s "$idle" idle "${inits[@]}" > "$out/idle.tsv"

# The identity switch costs what --user adds to a launch.
launch_inits=(bare= "${inits[@]}" gracefulinit-user="$gi,--user,nobody")
echo "bench: launch overhead ($launches launches each, ${#launch_inits[@]} configurations)"
bench -n "$launches" launch "${launch_inits[@]}" > "$out/launch.tsv"

echo "bench: signal latency ($signals signals each)"
bench -n "$signals" signal "${inits[@]}" > "$out/signal.tsv"

echo "bench: stop latency ($stops stops each, exec and shell form)"
bench -n "$stops" stop "${inits[@]}" > "$out/stop.tsv"

echo "bench: escalation precision ($escalations runs, --grace ${grace_ms}ms)"
bench -n "$escalations" -g "$grace_ms" escalate "gracefulinit=$gi,--grace,${grace_ms}ms" > "$out/escalate.tsv"

echo "bench: reaping ($orphan_rounds x $orphans orphans each)"
bench -n "$orphan_rounds" -o "$orphans" -b 100 orphans "${inits[@]}" > "$out/orphans.tsv"

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"
[[ -f $build_dir/gracefulinit.map ]] && cp "$build_dir/gracefulinit.map" "$out/"
cp "$scratch/inits.stderr" "$out/inits.stderr" 2>/dev/null || true

mkdir -p "$(dirname "$page")" "$(dirname "$chart")"
PYTHONPATH="$root/tests/lib" python3 "$root/bench/report.py" "$out" "$page" "$chart"
echo "bench: wrote $page"
