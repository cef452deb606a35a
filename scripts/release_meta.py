#!/usr/bin/env python3
"""What scripts/release.sh writes around the binaries in dist/: a .deb per
architecture, the SPDX SBOM, and the OCI image layout. Everything is
byte-for-byte reproducible: times are SOURCE_DATE_EPOCH, owners root, member
order fixed, gzip without a name or time.

usage: release_meta.py --out DIST --version V --root SRC --musl VERSION DEBIAN_VERSION
                       --libcap-ng DEBIAN_VERSION ARCH...
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile
import time

DEBARCH = {"amd64": "amd64", "arm64": "arm64", "arm": "armhf", "ppc64le": "ppc64el", "s390x": "s390x",
           "riscv64": "riscv64"}
OCI_PLATFORM = {"amd64": ("amd64", None), "arm64": ("arm64", None), "arm": ("arm", "v7"),
                "ppc64le": ("ppc64le", None), "s390x": ("s390x", None), "riscv64": ("riscv64", None)}
EPOCH = int(os.environ["SOURCE_DATE_EPOCH"])


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


# ---------------------------------------------------------------- .deb

def build_deb(args, arch, binary):
    stage = os.path.join(args.out, f".deb-{arch}")
    subprocess.run(["rm", "-rf", stage], check=True)
    files = {"usr/sbin/gracefulinit": (open(binary, "rb").read(), 0o755),
             "usr/share/man/man1/gracefulinit.1.gz":
                 (gzip_bytes(open(os.path.join(args.root, "docs", "gracefulinit.1"), "rb").read()), 0o644)}
    size_kb = sum(len(d) for d, _ in files.values()) // 1024 + 1
    for path, (data, mode) in files.items():
        full = os.path.join(stage, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        os.chmod(full, mode)
    os.makedirs(os.path.join(stage, "DEBIAN"))
    with open(os.path.join(stage, "DEBIAN", "control"), "w") as f:
        f.write(f"""Package: gracefulinit
Version: {args.version}
Architecture: {DEBARCH[arch]}
Maintainer: gracefulinit developers <gracefulinit@invalid>
Installed-Size: {size_kb}
Section: admin
Priority: optional
Description: tiny static PID 1 for containers that stops its command gracefully
 gracefulinit switches to an unprivileged user, runs the command in its own
 process group, forwards signals to the whole group, reaps zombies and waits
 for every process to finish its cleanup. One static binary; in images it is
 usually copied to /sbin/gracefulinit.
""")
    for dirpath, dirnames, filenames in os.walk(stage):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (EPOCH, EPOCH), follow_symlinks=False)
        if dirpath != stage:
            os.chmod(dirpath, 0o755)
    deb = os.path.join(args.out, f"gracefulinit_{args.version}_{DEBARCH[arch]}.deb")
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, deb], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", stage], check=True)


# ---------------------------------------------------------------- SBOM

def write_sbom(args, binaries):
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH))
    commit = subprocess.run(["git", "-C", args.root, "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    musl_version, musl_debian = args.musl
    packages = [
        {"SPDXID": "SPDXRef-gracefulinit", "name": "gracefulinit", "versionInfo": args.version,
         "downloadLocation": "NOASSERTION", "sourceInfo": f"git commit {commit}",
         "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
         "copyrightText": "NOASSERTION"},
        {"SPDXID": "SPDXRef-musl", "name": "musl", "versionInfo": musl_version,
         "downloadLocation": f"https://deb.debian.org/debian/pool/main/m/musl/musl_{musl_debian}.dsc",
         "sourceInfo": f"Debian source package musl {musl_debian}, statically linked",
         "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": "MIT",
         "copyrightText": "NOASSERTION"},
        {"SPDXID": "SPDXRef-libcap-ng", "name": "libcap-ng", "versionInfo": args.libcap_ng.split("-")[0],
         "downloadLocation": f"https://deb.debian.org/debian/pool/main/libc/libcap-ng/libcap-ng_{args.libcap_ng}.dsc",
         "sourceInfo": f"Debian source package libcap-ng {args.libcap_ng}, statically linked",
         "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": "LGPL-2.1-or-later",
         "copyrightText": "NOASSERTION"},
    ]
    files, relationships = [], [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                                 "relatedSpdxElement": "SPDXRef-gracefulinit"}]
    for arch, path in binaries:
        fid = f"SPDXRef-File-gracefulinit-{arch}"
        files.append({"SPDXID": fid, "fileName": f"./gracefulinit-{arch}",
                      "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(open(path, "rb").read())}],
                      "licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"})
        relationships.append({"spdxElementId": "SPDXRef-gracefulinit", "relationshipType": "GENERATES",
                              "relatedSpdxElement": fid})
        for dep in ("SPDXRef-musl", "SPDXRef-libcap-ng"):
            relationships.append({"spdxElementId": fid, "relationshipType": "STATIC_LINK",
                                  "relatedSpdxElement": dep})
    doc = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
           "name": f"gracefulinit-{args.version}",
           "documentNamespace": f"https://gracefulinit.invalid/spdx/gracefulinit-{args.version}-{commit}",
           "creationInfo": {"created": created, "creators": ["Tool: scripts/release.sh"]},
           "packages": packages, "files": files, "relationships": relationships}
    with open(os.path.join(args.out, f"gracefulinit-{args.version}.spdx.json"), "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- OCI layout

def blob(layout, data):
    digest = sha256(data)
    path = os.path.join(layout, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def layer_tar(binary):
    """One file, /gracefulinit, root-owned, at SOURCE_DATE_EPOCH."""
    buf = io.BytesIO()
    data = open(binary, "rb").read()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("gracefulinit")
        info.size, info.mode, info.mtime = len(data), 0o755, EPOCH
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_oci(args, binaries):
    layout = os.path.join(args.out, "oci")
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    manifests = []
    for arch, path in binaries:
        goarch, variant = OCI_PLATFORM[arch]
        tar = layer_tar(path)
        layer = dict(blob(layout, gzip_bytes(tar)), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
        platform = {"architecture": goarch, "os": "linux"}
        if variant:
            platform["variant"] = variant
        config = dict(platform, created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH)),
                      config={}, rootfs={"type": "layers", "diff_ids": [f"sha256:{sha256(tar)}"]})
        config_desc = dict(blob(layout, canonical(config)), mediaType="application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_desc, "layers": [layer]}
        manifests.append(dict(blob(layout, canonical(manifest)),
                              mediaType="application/vnd.oci.image.manifest.v1+json", platform=platform))
    image_index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": manifests}
    index_desc = dict(blob(layout, canonical(image_index)), mediaType="application/vnd.oci.image.index.v1+json",
                      annotations={"org.opencontainers.image.ref.name": args.version})
    with open(os.path.join(layout, "index.json"), "wb") as f:
        f.write(canonical({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                           "manifests": [index_desc]}))
    with open(os.path.join(layout, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--musl", nargs=2, required=True)
    p.add_argument("--libcap-ng", dest="libcap_ng", required=True)
    p.add_argument("arches", nargs="+")
    args = p.parse_args()
    binaries = [(a, os.path.join(args.out, f"gracefulinit-{a}")) for a in args.arches]
    for arch, path in binaries:
        build_deb(args, arch, path)
    write_sbom(args, binaries)
    write_oci(args, binaries)


if __name__ == "__main__":
    main()
