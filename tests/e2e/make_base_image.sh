#!/usr/bin/env bash
# Makes a Debian 12 root filesystem tarball that stands in for the official
# debian:bookworm-*-slim image, which cannot be pulled here (no registry is
# reachable): debootstrap --variant=minbase from Debian's own archive, then the
# few things a slim image does differently (no docs, man pages or locales; no
# apt caches; deb822 sources). The e2e suite `docker import`s the result under
# the tag Dockerfile.example's FROM names, and caches the tarball in the build
# tree, so a fresh machine pays for this once.
#
#   make_base_image.sh OUT.tar [SUITE] [MIRROR]
set -euo pipefail

out=${1:?usage: make_base_image.sh OUT.tar [SUITE] [MIRROR]}
suite=${2:-bookworm}
mirror=${3:-http://deb.debian.org/debian}

work=$(mktemp -d "${out}.work.XXXXXX")
rootfs=$work/rootfs
# debootstrap mounts /proc and /sys inside the target; a failure half way
# must not leave them mounted (rm -rf would then walk into the host's /proc).
cleanup() {
	local m
	for m in $(awk -v r="$rootfs" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

debootstrap --variant=minbase --merged-usr "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
	tail -n 30 "$work/debootstrap.log" >&2
	echo "make_base_image.sh: debootstrap failed" >&2
	exit 1
}

# Like the official slim images: packages installed later in a Dockerfile do
# not drop documentation, man pages or translations into the layer.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/lintian/*
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +

# No package caches in image layers: every RUN apt-get ends with an empty cache.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::GzipIndexes "true";
EOF

rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: ${suite} ${suite}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: ${suite}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* "$rootfs"/tmp/*
# An image's hostname and resolver are the engine's to write.
: >"$rootfs/etc/hostname"
: >"$rootfs/etc/resolv.conf"

tar --numeric-owner --xattrs -C "$rootfs" -cf "$out.partial" .
mv "$out.partial" "$out"
echo "make_base_image.sh: $(du -h "$out" | cut -f1) $out"
