"""Harness for the integration tests: the real gracefulinit binary, run as PID 1
in a fresh PID namespace (unshare(CLONE_NEWPID) via util-linux unshare, with
its own /proc), or as a plain child when a test needs it not to be PID 1.

Every wait is bounded; every process a test starts is killed at teardown.
"""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from gitest import procfs
from gitest.wait import wait_until

GRACEFULINIT = os.environ.get("GRACEFULINIT", "../../build/release/src/gracefulinit")
TESTAPP = os.environ.get("TESTAPP", "../../build/release/tests/helpers/testapp")
# exec_via prefixes that run their command with one system call failing
# (helpers/syscall_fails.c): close_range(2) with ENOSYS, as before Linux 5.9;
# PR_SET_CHILD_SUBREAPER with EINVAL, as under qemu-user.
SYSCALL_FAILS = os.path.join(os.path.dirname(TESTAPP), "syscall_fails")
NO_CLOSE_RANGE = (SYSCALL_FAILS, "close_range")
NO_SUBREAPER = (SYSCALL_FAILS, "subreaper")


def read_lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


class Marker:
    """The file testapp writes its events to, one line each."""

    def __init__(self, path):
        self.path = str(path)

    def lines(self):
        return read_lines(self.path)

    def wait_for(self, text, timeout=10, count=1):
        wait_until(lambda: sum(text in l for l in self.lines()) >= count, timeout,
                   what=f"{text!r} x{count} in {self.path}: {self.lines()}")

    def has(self, text):
        return any(text in l for l in self.lines())

    def index(self, text):
        for i, l in enumerate(self.lines()):
            if text in l:
                return i
        return -1


class Init:
    """One gracefulinit run. pid is gracefulinit's pid as this test sees it."""

    def __init__(self, args, tmp_path, pidns=True, env=None, stdin=subprocess.DEVNULL, preexec_fn=None,
                 pass_fds=(), exec_via=(), stderr=None, cwd=None):
        self.stderr_path = tmp_path / f"stderr-{time.monotonic_ns()}"
        self.stdout_path = tmp_path / f"stdout-{time.monotonic_ns()}"
        full_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        full_env.update(env or {})
        # exec_via: a command that runs inside the namespace and execs
        # gracefulinit in its place, so it stays PID 1 (setpriv to start it
        # as non-root, a sh -c that bind-mounts fixture files first).
        argv = list(exec_via) + [os.path.abspath(GRACEFULINIT)] + list(args)
        if pidns:
            argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--"] + argv
        self.started = time.monotonic()
        # stderr: an fd of the test's own (a pipe nobody reads) instead of the file.
        with open(self.stderr_path, "wb") as err, open(self.stdout_path, "wb") as out:
            self.proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err if stderr is None else stderr,
                                         env=full_env, preexec_fn=preexec_fn, pass_fds=pass_fds, cwd=cwd)
        self.pidns = pidns
        self.pid = self._find_init() if pidns else self.proc.pid
        self.ended = None

    def _find_init(self):
        # A run that ends at once (usage error, exec failure) may be over
        # before it is seen: its pid stays None (never -1: kill(-1) is everyone).
        return procfs.namespace_pid1(self.proc.pid, gone=lambda: self.proc.poll() is not None)

    def signal(self, sig):
        os.kill(self.pid, sig)

    def wait(self, timeout=30):
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"gracefulinit did not exit within {timeout}s; stderr: {self.stderr()}")
        self.ended = time.monotonic()
        return code

    def running(self):
        return self.proc.poll() is None

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    def status(self, pid=None):
        """/proc/PID/status of gracefulinit (or pid) as a dict."""
        fields = procfs.status(pid or self.pid)
        if fields is None:
            raise FileNotFoundError(f"/proc/{pid or self.pid}/status")
        return fields

    def children(self):
        return procfs.children(self.pid)

    def kill(self):
        """Teardown: SIGKILL to PID 1 ends the whole namespace. Outside a
        namespace its descendants go first, while they are still its own
        (a test that failed half-way may have left them running)."""
        if self.proc.poll() is None and not self.pidns and self.pid:
            _signal(self.pid, signal.SIGSTOP)  # stopped, it forks nothing after the sweep
            for _ in range(3):
                for pid in procfs.descendants(self.pid):
                    _signal(pid, signal.SIGKILL)
        # PID 1 alone first: unshare's wait returns only once the kernel has
        # killed and reaped the rest of the namespace, so nothing of this run
        # can touch the test's files after. Killing unshare at the same time
        # returned before that, and a dying run's `rm` once removed a file the
        # next run of the same test had just written. unshare itself only if
        # that takes too long (a process in D state).
        for pid in (self.pid, self.proc.pid):
            if pid and self.proc.poll() is None:
                _signal(pid, signal.SIGKILL)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    pass


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


@pytest.fixture
def marker(tmp_path):
    return Marker(tmp_path / "marker")


@pytest.fixture
def started_runs():
    """The runs a test started. pytest tears fixtures down in the reverse of
    the order a test names them, so a fixture that removes what the runs use
    (public_dir, a cgroup) may go before start's: each kills them first."""
    return []


def kill_runs(runs):
    for run in runs:
        run.kill()


@pytest.fixture
def start(tmp_path, started_runs):
    """start(args, **kw) -> Init; everything started is killed at teardown."""
    def _start(args, **kw):
        run = Init(args, tmp_path, **kw)
        started_runs.append(run)
        return run
    yield _start
    kill_runs(started_runs)
    # A broken build may let a process escape the tree (no subreaper): any
    # left that names this test's directory (markers live there) goes too.
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if str(tmp_path).encode() in f.read():
                    os.kill(int(name), signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError):
            pass


@pytest.fixture
def public_dir(started_runs):
    """A directory anyone can write: for what the command or a health check
    writes as an unprivileged user (pytest's tmp_path is root's alone)."""
    path = tempfile.mkdtemp(prefix="gracefulinit-test-")
    os.chmod(path, 0o777)
    yield pathlib.Path(path)
    kill_runs(started_runs)
    shutil.rmtree(path)


@pytest.fixture(autouse=True)
def _need_root():
    if os.geteuid() != 0:
        pytest.skip("integration tests need root for PID namespaces")


def app(*args, marker=None, name=None):
    """testapp's command line."""
    argv = [TESTAPP]
    if name:
        argv += ["--name", name]
    if marker:
        argv += ["--marker", marker.path]
    return argv + list(args)


def namespace_procs(init):
    """proc_stat of every process (as the host sees it) in init's PID
    namespace, init itself excluded: what remains, zombies included."""
    try:
        ns = os.readlink(f"/proc/{init.pid}/ns/pid")
    except FileNotFoundError:
        return []
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == init.pid:
            continue
        try:
            if os.readlink(f"/proc/{name}/ns/pid") != ns:
                continue
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        st = procfs.stat(int(name))
        if st:
            found.append(st)
    return found
