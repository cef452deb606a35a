#!/usr/bin/env bash
# Installs what a build, the tests, the demo, the benchmarks or the release
# need, on Debian 12 as root: the one place the project installs anything.
#
#   scripts/deps.sh GROUP...           install what is missing (apt-get is
#                                      skipped when nothing is)
#   scripts/deps.sh --check GROUP...   install nothing: exit 1 naming what is
#                                      missing (for code that runs under CTest)
#
# Groups: build test lint docker bench release.
set -euo pipefail

# The release's cross compilers and kernel headers, for each architecture
# scripts/release.sh builds besides amd64.
cross=""
for t in aarch64-linux-gnu:arm64 arm-linux-gnueabihf:armhf powerpc64le-linux-gnu:ppc64el s390x-linux-gnu:s390x \
         riscv64-linux-gnu:riscv64; do
  cross+=" gcc-${t%%:*} linux-libc-dev-${t##*:}-cross"
done

declare -A groups=(
  [build]="cmake make gcc clang libclang-rt-14-dev binutils file musl-tools libcap-ng-dev check pkg-config dpkg-dev linux-libc-dev"
  [test]="python3 python3-pytest util-linux procps busybox-static nginx-light tini"
  [lint]="clang-tidy cppcheck python3-pyflakes git"
  [docker]="docker.io docker-compose podman busybox-static debootstrap tini redis-server iproute2 catatonit"
  [bench]="tini dumb-init catatonit gnuplot-nox valgrind hyperfine python3 file wait-for-it strace inotify-tools"
  [release]="dpkg-dev cmake make python3 file git gcc linux-libc-dev qemu-user-static skopeo umoci docker-registry$cross"
)

check_only=0
if [[ ${1:-} == --check ]]; then
  check_only=1
  shift
fi
want=()
for g in "$@"; do
  [[ -n "${groups[$g]:-}" ]] || { echo "deps.sh: unknown group '$g' (build test lint docker bench release)" >&2; exit 2; }
  want+=(${groups[$g]})
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((check_only)); then
  ((${#missing[@]} == 0)) && exit 0
  echo "deps.sh: missing ${missing[*]}: run scripts/deps.sh $* as root" >&2
  exit 1
fi

# libcap-ng for musl is built from Debian's source package: deb-src must be on.
enable_deb_src() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [[ -f $f ]] && grep -q '^Types: deb$' "$f"; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
    return 0
  fi
  if [[ -f /etc/apt/sources.list ]] && ! grep -q '^deb-src' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >> /etc/apt/sources.list
    return 0
  fi
  return 1
}

need_update=0
if printf '%s\n' "$@" | grep -qx build; then
  enable_deb_src && need_update=1
  apt-cache showsrc libcap-ng >/dev/null 2>&1 || need_update=1
fi
((${#missing[@]} > 0)) && need_update=1

if ((need_update)); then
  apt-get update -qq
fi
if ((${#missing[@]} > 0)); then
  echo "deps.sh: installing ${missing[*]}"
  # The servers the tests start themselves (nginx-light) must not be started
  # as services by their packages.
  policy=/usr/sbin/policy-rc.d added=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if ((added)); then rm -f "$policy"; fi
  # docker-registry's package enables an open registry on :5000 for the next
  # boot; the tests serve their own on loopback and need none.
  if printf '%s\n' "${missing[@]}" | grep -qx docker-registry && [[ -d /run/systemd/system ]]; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || echo "deps.sh: could not disable docker-registry.service" >&2
  fi
fi
