"""The release binaries (scripts/release.sh, dist/) on every architecture,
each under qemu-user as PID 1 of a fresh PID namespace. binfmt_misc is not
assumed: the emulated gracefulinit execs the host's own programs (sh, the
static testapp), which the host kernel runs, and that is enough to exercise
gracefulinit's own code. qemu-user 7.2 refuses PR_SET_CHILD_SUBREAPER, so
every test runs gracefulinit as PID 1.

    scripts/release.sh
    GRACEFULINIT_DIST=$PWD/dist TESTAPP=$PWD/build/release/tests/helpers/testapp \\
      /usr/bin/python3 -m pytest -q tests/release
"""
import http.server
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
from gitest.elf import relro_layout_problems
from gitest.procfs import children, namespace_pid1, status as status_of
from gitest.wait import wait_until
DIST = os.environ.get("GRACEFULINIT_DIST", os.path.join(ROOT, "dist"))
TESTAPP = os.environ.get("TESTAPP", os.path.join(ROOT, "build", "release", "tests", "helpers", "testapp"))
QEMU = {"amd64": None, "arm64": "qemu-aarch64-static", "arm": "qemu-arm-static", "ppc64le": "qemu-ppc64le-static",
        "s390x": "qemu-s390x-static", "riscv64": "qemu-riscv64-static"}
ARCHES = [a for a in QEMU if os.path.exists(os.path.join(DIST, f"gracefulinit-{a}"))]
ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}

pytestmark = pytest.mark.skipif(not ARCHES, reason=f"no release binaries in {DIST}: run scripts/release.sh")


def command(arch, *args):
    binary = os.path.join(DIST, f"gracefulinit-{arch}")
    return ([f"/usr/bin/{QEMU[arch]}"] if QEMU[arch] else []) + [binary, *args]


def as_pid1(arch, *args, **kw):
    argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", *command(arch, *args)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, **kw)


def pid1_of(proc, timeout=10):
    """The namespace's PID 1 (gracefulinit, or qemu running it), as the host sees it."""
    return namespace_pid1(proc.pid, timeout)


def wait_for(path, text, timeout=20):
    wait_until(lambda: os.path.exists(path) and text in open(path).read(), timeout, 0.02,
               what=f"{text!r} in {path}")


def finish(proc, timeout=30):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"no exit within {timeout}s: {err}")
    return proc.returncode, out, err


@pytest.fixture(params=ARCHES)
def arch(request):
    return request.param


def test_version(arch):
    out = subprocess.run(command(arch, "--version"), capture_output=True, text=True, env=ENV, timeout=30)
    assert out.returncode == 0 and out.stdout.startswith("gracefulinit "), out


def test_exit_status_passes_through(arch):
    assert finish(as_pid1(arch, "--", "sh", "-c", "exit 7"))[0] == 7


def test_shell_form_drains_on_sigterm(arch, tmp_path):
    marker = tmp_path / "marker"
    proc = as_pid1(arch, "--", "sh", "-c", f'"{TESTAPP}" --marker "{marker}" --cleanup 500; echo never')
    wait_for(marker, "app start")
    os.kill(pid1_of(proc), signal.SIGTERM)
    code, out, err = finish(proc)
    assert code == 143, err
    assert "app cleanup-done" in marker.read_text()
    assert "never" not in out


def test_escalation_at_grace(arch, tmp_path):
    marker = tmp_path / "marker"
    proc = as_pid1(arch, "--grace", "1s", "--", TESTAPP, "--marker", str(marker), "--ignore-term")
    wait_for(marker, "app start")
    sent = time.monotonic()
    os.kill(pid1_of(proc), signal.SIGTERM)
    code, _, err = finish(proc)
    assert code == 137, err
    assert 0.9 <= time.monotonic() - sent < 5
    assert "grace period 1s expired; killed 1 process" in err, err


def test_user_nobody_leaves_no_root_process(arch):
    # Where nobody can write (pytest's tmp_path is root's alone).
    where = tempfile.mkdtemp(prefix="gi-release-")
    os.chmod(where, 0o755)
    marker = os.path.join(where, "marker")
    open(marker, "w").close()
    os.chmod(marker, 0o666)
    proc = as_pid1(arch, "--user", "nobody", "--", TESTAPP, "--marker", str(marker))
    wait_for(marker, "app start")
    init = pid1_of(proc)
    for pid in [init] + children(init):
        st = status_of(pid)
        assert st["Uid"].split() == ["65534"] * 4, (pid, st["Uid"])
        assert st["CapEff"] == st["CapPrm"] == "0000000000000000", (pid, st["CapEff"])
        assert st["NoNewPrivs"] == "1"
    os.kill(init, signal.SIGTERM)
    assert finish(proc)[0] == 0
    shutil.rmtree(where)


def test_secret_reaches_the_command(arch, tmp_path):
    secret = tmp_path / "token"
    secret.write_text("s3cret")
    proc = as_pid1(arch, "--secret", f"API_TOKEN={secret}", "--", TESTAPP, "--env", "API_TOKEN", "--exit", "0")
    code, out, err = finish(proc)
    assert code == 0, err
    assert f"app env API_TOKEN {b's3cret'.hex()}" in out, out
    assert "s3cret" not in err


class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_probe_against_a_local_server(arch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        ok = subprocess.run(command(arch, "probe", f"http://127.0.0.1:{port}/"), capture_output=True, text=True,
                            env=ENV, timeout=30)
        assert ok.returncode == 0, ok.stderr
        bad = subprocess.run(command(arch, "probe", "--timeout", "2s", "http://127.0.0.1:1/"), capture_output=True,
                             text=True, env=ENV, timeout=30)
        assert bad.returncode == 1 and "Connection refused" in bad.stderr, bad
    finally:
        server.shutdown()


def test_size_budget(arch):
    """guard.size's budget (81,920 B) for each architecture's binary."""
    guard = os.path.join(ROOT, "tests", "guards", "size.sh")
    out = subprocess.run(["bash", guard, os.path.join(DIST, f"gracefulinit-{arch}")], capture_output=True,
                         text=True, env={**ENV, "LABEL": f"gracefulinit-{arch}"}, timeout=30)
    print(out.stdout, out.stderr)
    assert out.returncode == 0, out.stderr


def test_relro_has_pages_of_its_own(arch):
    """guard.hardening's layout rule on each binary: the RELRO tables share
    no page of the largest size the target may use (64 KiB on arm64 and
    ppc64le, whose layout is cmake/relro-first.ld's) with anything writable."""
    segments = subprocess.run(["readelf", "-lW", os.path.join(DIST, f"gracefulinit-{arch}")], capture_output=True,
                              text=True, check=True, timeout=30).stdout
    print(segments)
    assert relro_layout_problems(segments) == []


@pytest.mark.parametrize("page", [4096, 65536])
def test_relro_made_read_only(arch, page):
    """relro.c makes the tables' pages read-only at the page size the kernel
    reports: qemu-user's -p sets it, so 64 KiB pages are tried here too (on
    arm64 and ppc64le, whose kernels may use them; s390x's are 4 KiB). Seen
    in qemu's -strace, with gracefulinit as PID 1."""
    if QEMU[arch] is None:
        pytest.skip("native: tests/integration/test_hardening.py reads the running process's maps")
    if page == 65536 and arch not in ("arm64", "ppc64le"):
        pytest.skip(f"{arch}'s kernels use 4 KiB pages")
    argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", f"/usr/bin/{QEMU[arch]}",
            "-p", str(page), "-strace", os.path.join(DIST, f"gracefulinit-{arch}"), "--", "/bin/true"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    code, _, err = finish(proc)
    assert code == 0, err[-2000:]
    calls = [line for line in err.splitlines() if " mprotect(" in line]
    assert any(line.endswith(f",{page},PROT_READ) = 0") for line in calls), calls or err[-2000:]
