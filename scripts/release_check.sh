#!/usr/bin/env bash
# CI's check of the release (scripts/release.sh): two clean builds, in two
# clones at different paths, give the same SHA256SUMS byte for byte; the OCI
# layout reads back with skopeo, with every platform; each architecture's
# binary passes tests/release under qemu-user as PID 1; and the layout,
# pushed to Debian's docker-registry, gives README's COPY --from line and
# each platform's binary to a private dockerd (tests/e2e/test_registry.py).
# Needs the native release build's testapp (scripts/test.sh builds it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" release docker

began=$SECONDS
"$root/scripts/release.sh" --out "$root/dist"
echo "release_check: first build $((SECONDS - began)) s"

second=$(mktemp -d /tmp/gi-release-XXXXXX)
trap 'rm -rf "$second"' EXIT
git clone -q "$root" "$second/src"
began=$SECONDS
"$second/src/scripts/release.sh" --out "$second/dist" >/dev/null
echo "release_check: second build, another clone, $((SECONDS - began)) s"
if ! cmp -s "$root/dist/SHA256SUMS" "$second/dist/SHA256SUMS"; then
  echo "FAIL: two builds of the same commit differ:" >&2
  diff "$root/dist/SHA256SUMS" "$second/dist/SHA256SUMS" >&2 || true
  exit 1
fi
echo "release_check: reproducible, SHA256SUMS $(sha256sum "$root/dist/SHA256SUMS" | cut -d' ' -f1)"
(cd "$root/dist" && sha256sum -c --quiet SHA256SUMS)

version=$(sed -n 's/^project(gracefulinit VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
platforms=$(skopeo inspect --raw "oci:$root/dist/oci:$version" | python3 -c '
import json, sys
print(" ".join(m["platform"]["architecture"] + ("/" + m["platform"]["variant"] if "variant" in m["platform"] else "")
               for m in json.load(sys.stdin)["manifests"]))')
[[ $platforms == "amd64 arm64 arm/v7 ppc64le s390x riscv64" ]] || { echo "FAIL: OCI platforms: $platforms" >&2; exit 1; }
skopeo copy -q --all "oci:$root/dist/oci:$version" "dir:$second/copy"
echo "release_check: OCI index with $platforms, copied whole with skopeo"

GRACEFULINIT_DIST=$root/dist TESTAPP=$root/build/release/tests/helpers/testapp \
  /usr/bin/python3 -m pytest -v -rxX -p no:cacheprovider "$root/tests/release"

# README's install line through a real registry: the layout pushed to
# Debian's docker-registry, pulled back per platform by a private dockerd.
began=$SECONDS
GRACEFULINIT_DIST=$root/dist GRACEFULINIT_REQUIRE_DIST=1 GRACEFULINIT_SOURCE=$root GRACEFULINIT_BUILD=$root/build/release \
  GRACEFULINIT_E2E_STATE=$root/build/release/tests/e2e \
  /usr/bin/python3 -m pytest -q -rA -p no:cacheprovider "$root/tests/e2e/test_registry.py"
echo "release_check: through a registry, $((SECONDS - began)) s"
