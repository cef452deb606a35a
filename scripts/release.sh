#!/usr/bin/env bash
# The release: static-pie binaries for every architecture containers run on,
# cross-built on Debian 12 with Debian's cross compilers, musl and libcap-ng
# built from Debian's source packages for each target, then .debs, an SPDX
# SBOM, an OCI image layout and SHA256SUMS over all of it, in dist/.
#
#   scripts/release.sh [--out DIR] [ARCH...]     (default: all six)
#
# ARCH is Docker's TARGETARCH: amd64 arm64 arm ppc64le s390x riscv64.
# Reproducible: SOURCE_DATE_EPOCH is the commit's time, and every timestamp,
# owner and order in what it writes is fixed. Root on a fresh Debian 12
# machine; installs what it needs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/dist
work=$root/build/release-cross
all=(amd64 arm64 arm ppc64le s390x riscv64)
arches=()
while (($#)); do
  case $1 in
    --out) out=$(realpath -m "$2"); shift ;;
    amd64|arm64|arm|ppc64le|s390x|riscv64) arches+=("$1") ;;
    *) echo "usage: scripts/release.sh [--out DIR] [${all[*]}]" >&2; exit 2 ;;
  esac
  shift
done
((${#arches[@]})) || arches=("${all[@]}")

# TARGETARCH -> GNU triplet (scripts/deps.sh installs each one's compiler and headers)
triplet() { case $1 in amd64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;;
  arm) echo arm-linux-gnueabihf ;; ppc64le) echo powerpc64le-linux-gnu ;; s390x) echo s390x-linux-gnu ;;
  riscv64) echo riscv64-linux-gnu ;; esac; }

# ---- what it needs
"$root/scripts/deps.sh" build release

SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct)
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C
version=$(sed -n 's/^project(gracefulinit VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
mkdir -p "$work"

# ---- the sources, Debian's, once
fetch_source() { # package -> unpacked directory
  local dir=$work/src-$1
  if ! compgen -G "$dir/$1-[0-9]*/" >/dev/null; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && apt-get source -qq "$1" >/dev/null 2>&1) || {
      echo "release: apt-get source $1 failed (scripts/deps.sh build enables deb-src)" >&2; exit 1; }
  fi
  compgen -G "$dir/$1-[0-9]*/" | head -1 | sed 's:/$::'
}
musl_src=$(fetch_source musl)
capng_src=$(fetch_source libcap-ng)
musl_version=$(cat "$musl_src/VERSION")
musl_debian=$(sed -n 's/^Version: //p' "$work"/src-musl/musl_*.dsc)
capng_debian=$(sed -n 's/^Version: //p' "$work"/src-libcap-ng/libcap-ng_*.dsc)

# ---- one architecture: musl, then gracefulinit (which builds libcap-ng)
build_arch() {
  local a=$1 t musl b
  t=$(triplet "$a") musl=$work/musl-$a b=$work/build-$a
  # musl's powerpc64 ABI has a 64-bit long double; Debian's gcc defaults to
  # 128 bits there. The flags go into musl-gcc, so libcap-ng and gracefulinit
  # get them too. -mtraceback=no: gcc ends every ppc64 function with a
  # traceback table (12 bytes or more) for AIX's debuggers; nothing on Linux
  # reads them, and they cost 3 KB of the size budget here.
  # -msingle-pic-base: the static binary has one TOC, which musl's _start
  # points r2 at before any C code runs, so no function reloads it on entry
  # (8 bytes each, 1.5 KB). s390x's -mpacked-stack saves registers in a
  # packed area (as the kernel is built): shorter frames, the same calling
  # convention; -falign-functions=2: gcc aligns each function to 8 bytes
  # where its instructions need 2 (1.1 KB of padding).
  # -fPIE for the static-pie: not every cross gcc defaults to it (riscv64).
  local abi=
  [[ $a == ppc64le ]] && abi="-mlong-double-64 -mtraceback=no -msingle-pic-base"
  [[ $a == s390x ]] && abi="-march=z13 -mpacked-stack -falign-functions=2"
  # Built once per flag set: a wrapper without the flags is from an older one.
  if [[ ! -x $musl/bin/musl-gcc ]] || ! grep -qF -- "${abi:-gcc}" "$musl/bin/musl-gcc"; then
    echo "release: musl $musl_version for $a"
    rm -rf "$work/musl-build-$a" && mkdir -p "$work/musl-build-$a"
    (cd "$work/musl-build-$a" &&
      "$musl_src/configure" --quiet --target="$t" CROSS_COMPILE="$t-" CC="$t-gcc${abi:+ $abi}" CFLAGS=-fPIE \
        --prefix="$musl" \
        --disable-shared --enable-wrapper=gcc >"$work/musl-$a.log" 2>&1 &&
      make -s -j"$(nproc)" >>"$work/musl-$a.log" 2>&1 && make -s install >>"$work/musl-$a.log" 2>&1) || {
      tail -20 "$work/musl-$a.log" >&2; exit 1; }
    # The wrapper quotes its compiler as one word: the flag goes after it.
    [[ -z $abi ]] || sed -i "s| $abi}\"|}\" $abi|" "$musl/bin/musl-gcc"
  fi
  local headers=/usr/$t/include
  [[ $a == amd64 ]] && headers=/usr/include
  cat > "$work/toolchain-$a.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${t%%-*})
set(CMAKE_C_COMPILER $musl/bin/musl-gcc)
foreach(tool OBJCOPY NM AR RANLIB STRIP READELF)
  string(TOLOWER \${tool} name)
  set(CMAKE_\${tool} /usr/bin/$t-\${name} CACHE FILEPATH "")
endforeach()
set(GRACEFULINIT_KERNEL_HEADERS $headers CACHE PATH "")
set(GRACEFULINIT_LIBCAPNG_SOURCE $capng_src CACHE PATH "")
set(GRACEFULINIT_MUSL_LIBDIR $musl/lib CACHE PATH "")
EOF
  # See cmake/Hardening.cmake: binutils 2.40's spurious text relocations.
  if [[ $a == riscv64 ]]; then
    echo 'set(GRACEFULINIT_LINK_Z_TEXT OFF CACHE BOOL "")' >> "$work/toolchain-$a.cmake"
  fi
  echo "release: gracefulinit $version for $a"
  rm -rf "$b"
  cmake -S "$root" -B "$b" -DCMAKE_TOOLCHAIN_FILE="$work/toolchain-$a.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DBUILD_TESTING=OFF >"$work/configure-$a.log" 2>&1 || { cat "$work/configure-$a.log" >&2; exit 1; }
  cmake --build "$b" -j"$(nproc)" >"$work/build-$a.log" 2>&1 || { tail -30 "$work/build-$a.log" >&2; exit 1; }
  install -m 0755 "$b/src/gracefulinit" "$out/gracefulinit-$a"
}

rm -rf "$out" && mkdir -p "$out"
for a in "${arches[@]}"; do build_arch "$a"; done

# ---- .debs, the SBOM, the OCI layout: scripts/release_meta.py
python3 "$root/scripts/release_meta.py" --out "$out" --version "$version" --root "$root" \
  --musl "$musl_version" "$musl_debian" --libcap-ng "$capng_debian" "${arches[@]}"

# ---- checksums over everything else
(cd "$out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs -d '\n' sha256sum > SHA256SUMS)
for a in "${arches[@]}"; do
  printf 'release: gracefulinit-%-8s %7d bytes\n' "$a" "$(stat -c %s "$out/gracefulinit-$a")"
done
echo "release: $out (SHA256SUMS $(sha256sum "$out/SHA256SUMS" | cut -c1-16)...)"
