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
import shutil
import subprocess
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
#
# umoci (Debian's) builds each platform's image: the layer, the config and the
# manifest. It stays reproducible when it is told the time (--created and
# --history.created at SOURCE_DATE_EPOCH) and the file's own mtime is that
# time too; then `umoci gc` drops the intermediate blobs each step leaves.
# What neither umoci nor skopeo writes is the multi-platform image index that
# `COPY --from=REGISTRY/gracefulinit:VERSION` and `skopeo copy --all` read:
# that one JSON object is written here, over umoci's per-platform tags.

def umoci(*argv):
    subprocess.run(["umoci", *argv], check=True, stdout=subprocess.DEVNULL)


def blob(layout, data):
    digest = sha256(data)
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def platform_image(layout, tag, arch, binary, created, staging):
    """One platform's image, /gracefulinit root-owned at SOURCE_DATE_EPOCH,
    tagged TAG in the layout; returns its manifest's descriptor."""
    goarch, variant = OCI_PLATFORM[arch]
    staged = os.path.join(staging, arch)
    with open(binary, "rb") as src, open(staged, "wb") as dst:
        dst.write(src.read())
    os.chmod(staged, 0o755)
    os.chown(staged, 0, 0)
    os.utime(staged, (EPOCH, EPOCH))
    image = f"{layout}:{tag}"
    umoci("new", "--image", image)
    umoci("insert", "--image", image, "--history.created", created, staged, "/gracefulinit")
    umoci("config", "--image", image, "--architecture", goarch, "--os", "linux", "--created", created,
          "--history.created", created)
    with open(os.path.join(layout, "index.json")) as f:
        desc = next(m for m in json.load(f)["manifests"]
                    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
    platform = {"architecture": goarch, "os": "linux"}
    if variant:
        platform["variant"] = variant
    return {"mediaType": desc["mediaType"], "digest": desc["digest"], "size": desc["size"], "platform": platform}


def write_oci(args, binaries):
    layout = os.path.join(args.out, "oci")
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH))
    umoci("init", "--layout", layout)
    staging = os.path.join(args.out, ".oci-staging")
    os.makedirs(staging)
    manifests = [platform_image(layout, f"{args.version}-{arch}", arch, path, created, staging)
                 for arch, path in binaries]
    shutil.rmtree(staging)
    umoci("gc", "--layout", layout)
    image_index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": manifests}
    index_desc = dict(blob(layout, canonical(image_index)), mediaType="application/vnd.oci.image.index.v1+json",
                      annotations={"org.opencontainers.image.ref.name": args.version})
    with open(os.path.join(layout, "index.json"), "wb") as f:
        f.write(canonical({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                           "manifests": [index_desc]}))


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
