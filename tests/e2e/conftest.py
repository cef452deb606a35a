"""Harness for the end-to-end suite: a real Docker engine of our own.

A session starts one dockerd as root on a private socket, data root and exec
root under a temp dir (no iptables, no bridge: every container runs with
--network none), talks to it with Debian's client /usr/bin/docker and the
classic builder, and at the end removes every container, stops dockerd by its
pid and kills whatever containerd or shim it left behind, found by the temp
dir in their command lines. A run that was killed outright (CTest's timeout)
is cleaned up by the next session.

Images are built here (no registry is reachable): `base_image` is FROM
scratch with the static release binary at /sbin/gracefulinit, busybox, the
static testapp and an unprivileged appuser.
"""
import ctypes
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from gitest import procfs
from gitest.wait import wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("GRACEFULINIT_SOURCE", os.path.abspath(os.path.join(HERE, "..", "..")))
BUILD_DIR = os.environ.get("GRACEFULINIT_BUILD", os.path.join(SOURCE_DIR, "build", "release"))
GRACEFULINIT = os.environ.get("GRACEFULINIT", os.path.join(BUILD_DIR, "src", "gracefulinit"))
TESTAPP = os.environ.get("TESTAPP", os.path.join(BUILD_DIR, "tests", "helpers", "testapp"))
# Cached between runs: the Debian base tarball and the measured figures.
E2E_STATE = os.environ.get("GRACEFULINIT_E2E_STATE", os.path.join(BUILD_DIR, "tests", "e2e"))

# A /usr/local/bin/docker may come first in PATH and speak another API version.
DOCKER = "/usr/bin/docker"
DOCKERD = "/usr/sbin/dockerd"
COMPOSE = "/usr/bin/docker-compose"  # Debian's, 1.29
BUSYBOX = "/bin/busybox"
TMP_PREFIX = "gi-e2e-"
CGROUP_ROOT = "/sys/fs/cgroup"
APPUSER_UID = 1000

PR_SET_PDEATHSIG = 1


def ensure_installed():
    """docker.io, docker-compose, podman, busybox-static, debootstrap and tini
    (docker run --init runs it as docker-init): scripts/deps.sh docker installs
    them; nothing is installed from inside a test."""
    check = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "deps.sh"), "--check", "docker"],
                           capture_output=True, text=True, timeout=60)
    if check.returncode != 0:
        pytest.fail(check.stderr.strip())


# ---------------------------------------------------------------- processes

def _kill_leftovers(root):
    """containerd, its shims and their containers that belong to the engine
    under root: each shim names its containerd socket, which lives there."""
    mine = [pid for pid in procfs.pids() if pid != os.getpid() and root + "/" in procfs.cmdline(pid)]
    doomed = set(mine).union(*(procfs.descendants(p) for p in mine))
    for pid in doomed:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    # Their cgroups can be removed only once they have exited: bounded, as a
    # process in D state may take its time.
    deadline = time.monotonic() + 10
    while any((procfs.stat(p) or {"state": "Z"})["state"] != "Z" for p in doomed) and time.monotonic() < deadline:
        time.sleep(0.05)
    return mine


def _unmount_under(root):
    with open("/proc/mounts") as f:
        points = [line.split()[1] for line in f]
    for point in sorted((p for p in points if p.startswith(root + "/")), reverse=True):
        subprocess.run(["umount", "-l", point], stderr=subprocess.DEVNULL, check=False)


def _remove_cgroups(name):
    """The engine's --cgroup-parent in every hierarchy, deepest first; a
    cgroup still in use stays (rmdir fails with EBUSY)."""
    for top in [os.path.join(CGROUP_ROOT, h) for h in os.listdir(CGROUP_ROOT)] + [CGROUP_ROOT]:
        parent = os.path.join(top, name)
        if not os.path.isdir(parent):
            continue
        for dirpath, _, _ in sorted(os.walk(parent), key=lambda w: -len(w[0])):
            try:
                os.rmdir(dirpath)
            except OSError:
                pass


def remove_engine_dir(root):
    _kill_leftovers(root)
    _unmount_under(root)
    _remove_cgroups(os.path.basename(root))
    shutil.rmtree(root, ignore_errors=True)


def _owner_alive(root):
    """The session that made root is alive: its pytest, named in owner.pid.
    A dir without one is being set up right now, unless it is old."""
    try:
        with open(os.path.join(root, "owner.pid")) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return time.time() - os.stat(root).st_mtime < 60
    return "pytest" in procfs.cmdline(pid)


def sweep_stale_runs():
    """A session killed outright (SIGKILL at a CTest timeout) could not clean
    up; its dockerd died with it (parent-death signal), its shims and
    containers did not. Another session may be running beside this one."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        root = os.path.join(tmp, name)
        if name.startswith(TMP_PREFIX) and os.path.isdir(root) and not _owner_alive(root):
            remove_engine_dir(root)


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


# ---------------------------------------------------------------- docker

class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Docker:
    """The private engine: docker(...) runs the client against it."""

    def __init__(self, root):
        self.root = root
        self.sock = os.path.join(root, "docker.sock")
        self.env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "DOCKER_BUILDKIT": "0",
            "DOCKER_CONFIG": os.path.join(root, "client"),
            "HOME": root,
        }

    def argv(self, *args):
        return [DOCKER, "-H", f"unix://{self.sock}"] + [str(a) for a in args]

    def __call__(self, *args, timeout=120, check=True, input=None):
        proc = subprocess.run(self.argv(*args), capture_output=True, text=True, env=self.env,
                              timeout=timeout, input=input)
        if check and proc.returncode != 0:
            pytest.fail(f"docker {' '.join(map(str, args))} exited {proc.returncode}:\n"
                        f"{proc.stdout}\n{proc.stderr}")
        return proc

    def api(self, path, timeout=10):
        """GET path of the engine's API, decoded: for what a test polls,
        without a client process each time."""
        conn = _UnixHTTPConnection(self.sock, timeout)
        try:
            conn.request("GET", path)
            reply = conn.getresponse()
            body = reply.read()
        finally:
            conn.close()
        if reply.status != 200:
            pytest.fail(f"GET {path}: {reply.status} {body[:300]!r}")
        return json.loads(body)

    def popen(self, *args, **kw):
        return subprocess.Popen(self.argv(*args), env=self.env, **kw)

    def build(self, tag, dockerfile, context=None, extra=(), timeout=120):
        """Builds tag from dockerfile text; with no context, from stdin alone."""
        if context is None:
            return self("build", "-q", "-t", tag, *extra, "-", input=dockerfile, timeout=timeout)
        path = os.path.join(context, "Dockerfile")
        with open(path, "w") as f:
            f.write(dockerfile)
        return self("build", "-q", "-t", tag, "-f", path, *extra, context, timeout=timeout)

    def inspect(self, name, fmt):
        return self("inspect", "-f", fmt, name).stdout.strip()

    def exit_code(self, name):
        return int(self.inspect(name, "{{.State.ExitCode}}"))

    def running(self, name):
        return self.inspect(name, "{{.State.Running}}") == "true"

    def logs(self, name):
        """stdout and stderr of the container, in that order."""
        proc = self("logs", name)
        return proc.stdout + proc.stderr

    def top(self, name):
        """The container's processes as the host's ps sees them: dicts with
        uid, pid, ppid, stat, comm, args."""
        proc = self("top", name, "-eo", "uid,pid,ppid,stat,comm,args", check=False)
        if proc.returncode != 0:
            return []
        lines = proc.stdout.splitlines()
        rows = []
        for line in lines[1:]:
            f = line.split(None, 5)
            if len(f) >= 5:
                rows.append({"uid": int(f[0]), "pid": int(f[1]), "ppid": int(f[2]), "stat": f[3],
                             "comm": f[4], "args": f[5] if len(f) > 5 else ""})
        return rows

    def wait_exited(self, name, timeout):
        wait_until(lambda: not self.running(name), timeout, what=f"container {name} to exit")

    def wait_log(self, name, text, timeout=20, count=1):
        wait_until(lambda: self.logs(name).count(text) >= count, timeout,
                   what=f"{text!r} x{count} in the logs of {name}: {self.logs(name)!r}")

    def image_size(self, tag):
        return int(self("image", "inspect", "-f", "{{.Size}}", tag).stdout.strip())

    def stop(self, name, timeout=None):
        """docker stop; returns how long it took, in seconds."""
        args = ["stop"] + (["-t", str(timeout)] if timeout is not None else []) + [name]
        began = time.monotonic()
        self(*args, timeout=(timeout or 10) + 60)
        return time.monotonic() - began


def _start_engine(root, extra=(), own_netns=False):
    """own_netns: dockerd in a network namespace of its own, with its bridge
    and iptables there (Swarm needs both), apart from the host's; it goes
    when the engine's last process does."""
    log = open(os.path.join(root, "dockerd.log"), "wb")
    argv = [DOCKERD,
            *(() if own_netns else ("--iptables=false", "--ip6tables=false", "--bridge=none")),
            "-H", f"unix://{root}/docker.sock",
            "--data-root", f"{root}/data",
            "--exec-root", f"{root}/exec",
            "--pidfile", f"{root}/dockerd.pid",
            # Containers' cgroups under a parent of this engine's own, removed with it.
            "--cgroup-parent", f"/{os.path.basename(root)}",
            "--log-level", "warn", *extra]
    if own_netns:
        argv = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "dockerd", *argv]
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=die_with_parent)
    log.close()
    return proc


def _stop_engine(docker, proc):
    ids = docker("ps", "-aq", check=False, timeout=30).stdout.split()
    if ids:
        docker("rm", "-f", *ids, check=False, timeout=60)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def private_engine(*extra, own_netns=False):
    """A dockerd of the suite's own (extra: more dockerd flags), as a
    generator for fixtures: yields its client, removes it all afterwards."""
    if os.geteuid() != 0:
        pytest.skip("the end-to-end suite runs dockerd, which needs root")
    ensure_installed()
    sweep_stale_runs()
    # Short path: the containerd socket under the exec root must fit sun_path.
    root = tempfile.mkdtemp(prefix=TMP_PREFIX, dir=tempfile.gettempdir())
    with open(os.path.join(root, "owner.pid"), "w") as f:
        f.write(f"{os.getpid()}\n")
    engine = Docker(root)
    proc = _start_engine(root, extra, own_netns)
    engine.pid = proc.pid
    try:
        def up():
            if proc.poll() is not None:
                with open(os.path.join(root, "dockerd.log"), errors="replace") as f:
                    pytest.fail(f"dockerd exited {proc.returncode}:\n{f.read()[-3000:]}")
            return engine("version", check=False, timeout=10).returncode == 0
        wait_until(up, 60, 0.1, what="dockerd to answer on its socket")
        yield engine
    finally:
        try:
            _stop_engine(engine, proc)
        finally:
            remove_engine_dir(root)


@pytest.fixture(scope="session")
def docker():
    yield from private_engine()


# ---------------------------------------------------------------- images

PASSWD = """root:x:0:0:root:/root:/bin/sh
appuser:x:1000:1000:app user:/home/appuser:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
"""
GROUP = """root:x:0:
appgroup:x:1000:
extra:x:2000:appuser
nogroup:x:65534:
"""


def make_scratch_context(path, with_gracefulinit=True):
    """The test image's files: gracefulinit, busybox and its applets, testapp,
    a file that is not executable, and users."""
    for d in ("bin", "sbin", "etc", "tmp", "home/appuser", "root"):
        os.makedirs(os.path.join(path, d), exist_ok=True)
    os.chmod(os.path.join(path, "tmp"), 0o1777)
    os.chown(os.path.join(path, "home/appuser"), APPUSER_UID, APPUSER_UID)
    if with_gracefulinit:
        shutil.copy(GRACEFULINIT, os.path.join(path, "sbin", "gracefulinit"))
    shutil.copy(TESTAPP, os.path.join(path, "bin", "testapp"))
    shutil.copy(BUSYBOX, os.path.join(path, "bin", "busybox"))
    applets = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        link = os.path.join(path, "bin", applet)
        if not os.path.lexists(link) and applet not in ("busybox", "testapp"):
            os.symlink("busybox", link)
    with open(os.path.join(path, "bin", "notexec"), "w") as f:
        f.write("#!/bin/sh\necho this file has no execute permission\n")
    os.chmod(os.path.join(path, "bin", "notexec"), 0o644)
    with open(os.path.join(path, "etc", "passwd"), "w") as f:
        f.write(PASSWD)
    with open(os.path.join(path, "etc", "group"), "w") as f:
        f.write(GROUP)


BASE_TAG = "gi-e2e/base:latest"


def build_base_image(engine, context):
    """BASE_TAG in engine, from files put in the empty directory context."""
    for path in (GRACEFULINIT, TESTAPP):
        if not os.path.exists(path):
            pytest.fail(f"{path} is missing: build the release preset first")
    make_scratch_context(context)
    engine.build(BASE_TAG, 'FROM scratch\nCOPY . /\nENV PATH=/bin:/sbin\nCMD ["/bin/sh"]\n', context=context)
    return BASE_TAG


@pytest.fixture(scope="session")
def base_image(docker, tmp_path_factory, record):
    build_base_image(docker, str(tmp_path_factory.mktemp("base-context")))
    record("image size: FROM scratch test image (gracefulinit, busybox, testapp)",
           f"{docker.image_size(BASE_TAG) / 1e6:.2f} MB")
    return BASE_TAG


_image_seq = [0]


@pytest.fixture
def image(docker, base_image):
    """image(dockerfile_lines) -> tag of an image FROM the base image."""
    def _image(*lines):
        _image_seq[0] += 1
        tag = f"gi-e2e/case{_image_seq[0]}:latest"
        docker.build(tag, "\n".join([f"FROM {base_image}"] + list(lines)) + "\n")
        return tag
    return _image


@pytest.fixture
def container(docker):
    """container(*run_args) -> name of a container started with docker run -d
    --network none; every container is removed at teardown."""
    names = []

    def _container(*args):
        name = f"gi-e2e-{os.getpid()}-{len(names)}"
        names.append(name)
        docker("run", "-d", "--name", name, "--network", "none", *args)
        return name
    yield _container
    if names:
        docker("rm", "-f", *names, check=False, timeout=60)


# ---------------------------------------------------------------- figures

_figures = []


@pytest.fixture(scope="session")
def record():
    """record(what, value): a measured figure, printed at the end of the run
    and kept in the build tree (e2e-figures.txt) for the closing note."""
    def _record(what, value):
        _figures.append((what, value))
    return _record


def pytest_terminal_summary(terminalreporter, config):
    if not _figures:
        return
    terminalreporter.section("measured")
    for what, value in _figures:
        terminalreporter.write_line(f"{what}: {value}")
    os.makedirs(E2E_STATE, exist_ok=True)
    suite = "_".join(os.path.splitext(os.path.basename(a))[0] for a in config.args) or "e2e"
    with open(os.path.join(E2E_STATE, f"figures-{suite}.txt"), "w") as f:
        for what, value in _figures:
            f.write(f"{what}: {value}\n")
