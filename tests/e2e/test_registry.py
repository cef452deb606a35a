"""The install path of README, through a real registry: Debian's
docker-registry (distribution 2.8) served on 127.0.0.1:5000 by the test,
scripts/release.sh's OCI layout pushed to it with `skopeo copy --all`, then
README's `COPY --from=127.0.0.1:5000/gracefulinit:VERSION ...` built and
run under the private dockerd, and each platform pulled back.

It needs dist/ (scripts/release.sh), so scripts/release_check.sh runs it
after the release build, not CTest:

    GRACEFULINIT_DIST=$PWD/dist /usr/bin/python3 -m pytest -q tests/e2e/test_registry.py

An arm64 container runs as PID 1 where binfmt_misc and qemu-user-static
allow it: an aarch64 entry with the F flag that the host has, or else one
the test registers for its own run and removes; otherwise it skips, saying
why."""
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pytest

from conftest import SOURCE_DIR, TMP_PREFIX, die_with_parent, make_scratch_context, sweep_stale_runs
from gitest.wait import wait_until

DIST = os.environ.get("GRACEFULINIT_DIST", os.path.join(SOURCE_DIR, "dist"))
REGISTRY = "/usr/bin/docker-registry"
SKOPEO = "/usr/bin/skopeo"
BINFMT = "/proc/sys/fs/binfmt_misc"
QEMU_AARCH64 = "/usr/bin/qemu-aarch64-static"
OURS = "gi-e2e-aarch64"  # the binfmt_misc entry the test registers, if it must
PLATFORMS = {"linux/amd64": "amd64", "linux/arm64": "arm64", "linux/arm/v7": "arm",
             "linux/ppc64le": "ppc64le", "linux/s390x": "s390x", "linux/riscv64": "riscv64"}


def version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        return re.search(r"^project\(gracefulinit VERSION ([0-9.]+)", f.read(), re.M).group(1)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def host_arch():
    """The release's name for this machine's architecture."""
    deb = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                         check=True).stdout.strip()
    return {"armhf": "arm", "ppc64el": "ppc64le"}.get(deb, deb)


def port_free(port):
    """Nothing listens on port (a connection of an earlier run that lingers
    in TIME_WAIT does not count: the registry binds with SO_REUSEADDR)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def registry(record):
    """host:port of a docker-registry of the test's own, its storage in a
    temp dir, both gone at the end. 5000, the registry's usual port,
    unless something else holds it: then a free port, and the record says
    so."""
    if not os.path.exists(os.path.join(DIST, "oci", "index.json")):
        why = f"no OCI layout in {DIST}: scripts/release.sh makes it (release_check.sh runs this test)"
        if os.environ.get("GRACEFULINIT_REQUIRE_DIST"):
            pytest.fail(why)
        pytest.skip(why)
    for tool in (REGISTRY, SKOPEO):
        if not os.path.exists(tool):
            pytest.fail(f"{tool} not found: scripts/deps.sh release installs it")
    port = 5000
    if not port_free(port):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        record("registry port", f"{port}: 127.0.0.1:5000 was taken")
    # Named like the private engines' directories, with its owner's pid:
    # a run killed outright is swept, registry and storage, by the next.
    sweep_stale_runs()
    root = tempfile.mkdtemp(prefix=TMP_PREFIX + "registry-")
    with open(os.path.join(root, "owner.pid"), "w") as f:
        f.write(f"{os.getpid()}\n")
    config = os.path.join(root, "config.yml")
    with open(config, "w") as f:
        f.write(f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {root}/storage\n"
                f"http:\n  addr: 127.0.0.1:{port}\n")
    log = open(os.path.join(root, "registry.log"), "wb")
    proc = subprocess.Popen([REGISTRY, "serve", config], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)
    log.close()
    try:
        def up():
            if proc.poll() is not None:
                with open(os.path.join(root, "registry.log"), errors="replace") as f:
                    pytest.fail(f"docker-registry exited {proc.returncode}: {f.read()[-2000:]}")
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0
        wait_until(up, 30, 0.1, what="docker-registry to listen")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pushed(registry):
    """The release's image index, pushed whole: registry/gracefulinit:VERSION."""
    ref = f"{registry}/gracefulinit:{version()}"
    subprocess.run([SKOPEO, "copy", "-q", "--all", "--dest-tls-verify=false",
                    f"oci:{DIST}/oci:{version()}", f"docker://{ref}"], check=True, timeout=300)
    return ref


def test_the_registry_serves_six_platforms(pushed, record):
    raw = subprocess.run([SKOPEO, "inspect", "--raw", "--tls-verify=false", f"docker://{pushed}"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    index = json.loads(raw)
    platforms = ["/".join(filter(None, (m["platform"]["os"], m["platform"]["architecture"],
                                        m["platform"].get("variant")))) for m in index["manifests"]]
    assert platforms == list(PLATFORMS), platforms
    record("skopeo inspect --raw of the pushed index", ", ".join(platforms))


def test_readme_copy_from_line_builds_and_runs(docker, pushed, tmp_path):
    """README's install line, in an image that has no gracefulinit of its
    own; the binary it gets is the release's one for this machine, byte for
    byte."""
    context = tmp_path / "context"
    make_scratch_context(str(context), with_gracefulinit=False)
    tag = "gi-e2e/from-registry:latest"
    docker.build(tag, "\n".join([
        "FROM scratch", "COPY . /", "ENV PATH=/bin",
        f"COPY --from={pushed} /gracefulinit /sbin/gracefulinit",
        'ENTRYPOINT ["/sbin/gracefulinit", "--user", "appuser", "--"]',
        'CMD ["testapp", "--report", "--exit", "7"]']) + "\n", context=str(context), timeout=300)
    run = docker("run", "--rm", "--network", "none", tag, check=False, timeout=120)
    assert run.returncode == 7, run.stdout + run.stderr
    assert "app status Uid 1000 1000 1000 1000" in run.stdout, run.stdout
    assert "app status CapEff 0000000000000000" in run.stdout, run.stdout
    digest = docker("run", "--rm", "--network", "none", "--entrypoint", "sha256sum", tag, "/sbin/gracefulinit").stdout
    assert digest.split()[0] == sha256(os.path.join(DIST, f"gracefulinit-{host_arch()}"))


def pulled_binary(docker, ref, platform, dest):
    """Pulls ref for platform and copies its /gracefulinit out to dest;
    returns the image's architecture as the engine records it."""
    docker("pull", "-q", "--platform", platform, ref, timeout=300)
    arch = docker.inspect(ref, "{{.Architecture}}")
    cid = docker("create", "--platform", platform, ref, "/gracefulinit").stdout.strip()
    try:
        docker("cp", f"{cid}:/gracefulinit", dest)
    finally:
        docker("rm", cid)
    return arch


def test_each_platform_pulls_its_own_binary(docker, pushed, tmp_path, record):
    rows = []
    for platform, arch in PLATFORMS.items():
        dest = str(tmp_path / f"gracefulinit-{arch}")
        got = pulled_binary(docker, pushed, platform, dest)
        assert got == platform.split("/")[1], (platform, got)
        assert sha256(dest) == sha256(os.path.join(DIST, f"gracefulinit-{arch}")), platform
        machine = subprocess.run(["file", "-b", dest], capture_output=True, text=True, check=True).stdout
        rows.append(f"{platform}: {os.path.getsize(dest)} bytes, {machine.split(',')[1].strip()}")
        docker("image", "rm", pushed)
    record("docker pull --platform, per platform", "\n  " + "\n  ".join(rows))


@pytest.fixture
def binfmt_aarch64():
    """An aarch64 binfmt_misc entry that runs qemu from inside a container
    (the F flag: the interpreter is opened at registration). The host's if
    it has one; else one of the test's own, removed afterwards."""
    if not os.path.exists(QEMU_AARCH64):
        pytest.skip(f"{QEMU_AARCH64} missing: no way to run arm64 here (qemu-user-static)")
    mounted_here = False
    if not os.path.exists(os.path.join(BINFMT, "register")):
        if subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", BINFMT], capture_output=True).returncode:
            pytest.skip(f"binfmt_misc is not available: {BINFMT} cannot be mounted")
        mounted_here = True
    ours = None
    try:
        stale = os.path.join(BINFMT, OURS)
        if os.path.exists(stale):  # left by a run killed outright
            with open(stale, "w") as f:
                f.write("-1")
        for name in os.listdir(BINFMT):
            path = os.path.join(BINFMT, name)
            if name in ("register", "status") or not os.path.isfile(path):
                continue
            with open(path) as f:
                text = f.read()
            if "magic 7f454c460201010000000000000000000200b700" in text:
                if "enabled" not in text or not re.search(r"^flags: .*F", text, re.M):
                    pytest.skip(f"the host's binfmt_misc entry {name} for aarch64 lacks the F flag or is disabled:"
                                " a container cannot reach its interpreter")
                yield name
                return
        ours = OURS
        magic = r"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00"
        mask = r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"
        try:
            with open(os.path.join(BINFMT, "register"), "w") as f:
                f.write(f":{ours}:M::{magic}:{mask}:{QEMU_AARCH64}:F")
        except OSError as e:
            ours = None
            pytest.skip(f"binfmt_misc refused an aarch64 entry: {e}")
        yield ours
    finally:
        if ours and os.path.exists(os.path.join(BINFMT, ours)):
            with open(os.path.join(BINFMT, ours), "w") as f:
                f.write("-1")
        if mounted_here:
            subprocess.run(["umount", BINFMT], check=False)


def test_arm64_image_runs_as_pid1_under_qemu(docker, pushed, binfmt_aarch64, record):
    """The pulled arm64 gracefulinit as PID 1 of a container, running its
    own binary as the command: its output and status come through."""
    docker("pull", "-q", "--platform", "linux/arm64", pushed, timeout=300)
    try:
        run = docker("run", "--rm", "--network", "none", "--platform", "linux/arm64", pushed,
                     "/gracefulinit", "--", "/gracefulinit", "--version", check=False, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.startswith("gracefulinit " + version()), run.stdout
        bad = docker("run", "--rm", "--network", "none", "--platform", "linux/arm64", pushed,
                     "/gracefulinit", "--", "/gracefulinit", "--no-such-option", check=False, timeout=120)
        assert bad.returncode == 125, bad.stdout + bad.stderr
        assert "unknown option '--no-such-option'" in bad.stderr, bad.stderr
        record("arm64 container as PID 1 under qemu-user (binfmt_misc entry)",
               f"{binfmt_aarch64}: {run.stdout.strip()}, exit 0; a bad option in its command, exit 125")
    finally:
        docker("image", "rm", pushed, check=False)
