"""gracefulinit(1), HEALTH WATCHDOG and RESTARTING: the watchdog checks a real
HTTP server (helpers/webapp.py) that turns to 500, hangs, or is stopped with
SIGSTOP, and acts on its verdict with the same graceful stop as docker stop;
--restart starts an exiting command again, with the same environment.
gracefulinit health reads the verdict from inside the init's mount and PID
namespaces (nsenter), as docker exec does.

Timing is scaled down (checks every 200-300 ms) and every bound is generous:
these tests assert what happens and in which order, not how fast."""
import glob
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import GRACEFULINIT, namespace_procs
from gitest import procfs
from gitest.net import free_port
from gitest.wait import wait_until

WEBAPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers", "webapp.py")
FAST = ["--health-interval", "200ms", "--health-timeout", "300ms", "--health-retries", "2"]


class Web:
    """The app: its port, its mode file and its marker."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.mode_file = tmp_path / "mode"
        self.marker = tmp_path / "web-marker"
        self.url = f"http://127.0.0.1:{self.port}/health"

    def command(self, *extra):
        return [sys.executable, WEBAPP, str(self.port), str(self.mode_file), str(self.marker), *extra]

    def mode(self, mode):
        self.mode_file.write_text(mode)

    def events(self):
        try:
            return [line.split()[0] for line in self.marker.read_text().splitlines()]
        except FileNotFoundError:
            return []

    def wait_for(self, event, count=1, timeout=15):
        wait_until(lambda: self.events().count(event) >= count, timeout,
                   what=f"{event!r} x{count} in the app's events {self.events()}")


@pytest.fixture
def web(tmp_path):
    return Web(tmp_path)


@pytest.fixture(autouse=True)
def _verdicts_removed():
    """The verdict files of the inits a test kills with SIGKILL (which
    leaves them, as it would in a container's /dev/shm) go after it."""
    before = set(glob.glob("/dev/shm/gracefulinit-health.*"))
    yield
    for path in set(glob.glob("/dev/shm/gracefulinit-health.*")) - before:
        try:
            os.unlink(path)
        except FileNotFoundError:  # its init, in another test file, exited meanwhile
            pass


def wait_line(init, text, timeout=20):
    wait_until(lambda: text in init.stderr(), timeout, what=f"{text!r} in stderr: {init.stderr()}")


# ----------------------------------------------------------- acting on it

def test_500_exit_drains_and_exits_124(start, web):
    init = start(["--health", web.url, *FAST, "--", *web.command("--cleanup", "0.5")])
    web.wait_for("start")
    wait_line(init, "healthy")
    web.mode("500")
    assert init.wait(30) == 124
    assert web.events() == ["start", "term", "cleaned"]
    err = init.stderr()
    assert "unhealthy after 2 failed checks: HTTP status 500" in err, err
    assert "unhealthy; forwarded SIGTERM to process group" in err, err


def test_hang_is_cut_off_and_restarted_after_cleanup(start, web):
    init = start(["--health", web.url, *FAST, "--on-unhealthy", "restart", "--", *web.command("--cleanup", "0.3")])
    web.wait_for("start")
    wait_line(init, "healthy")
    web.mode("hang")
    web.wait_for("start", count=2, timeout=30)
    web.mode("ok")
    # The cleanup of the first run ended before the second started.
    assert web.events()[:4] == ["start", "term", "cleaned", "start"], web.events()
    err = init.stderr()
    # The probe's own deadline or the init's cut-off, whichever comes first.
    assert re.search(r"timed out after 300ms( \(--health-timeout\)| waiting for the response)", err), err
    assert "restarting it in 100ms (restart 1)" in err, err
    wait_until(lambda: init.stderr().count("healthy\n") >= 2, 20, what="healthy again")
    init.signal(signal.SIGTERM)
    assert init.wait(30) == 0  # the second run's own status: it cleaned up
    assert web.events().count("start") == 2


def test_sigstop_app_still_cleans_up(start, web):
    init = start(["--health", web.url, *FAST, "--", *web.command()])
    web.wait_for("start")
    wait_line(init, "healthy")
    app = [c for c in init.children() if "webapp.py" in procfs.cmdline(c)][0]
    os.kill(app, signal.SIGSTOP)
    # The stop signal and the SIGCONT after it: the app runs its cleanup.
    assert init.wait(30) == 124
    assert web.events() == ["start", "term", "cleaned"]


def test_signal_action_keeps_watching(start, web):
    init = start(["--health", web.url, *FAST, "--on-unhealthy", "signal:USR1", "--", *web.command()])
    web.wait_for("start")
    web.mode("500")
    web.wait_for("usr1")
    web.mode("ok")
    wait_until(lambda: init.stderr().count("healthy\n") >= 1, 20, what="healthy again")
    web.mode("500")
    web.wait_for("usr1", count=2)
    assert init.running()
    assert re.search(r"HTTP status 500; sent SIGUSR1 to process group \d+ \(--on-unhealthy\)", init.stderr())


def test_none_only_reports(start, web):
    init = start(["--health", web.url, *FAST, "--on-unhealthy", "none", "--", *web.command()])
    web.wait_for("start")
    web.mode("500")
    wait_line(init, "unhealthy after 2 failed checks")
    time.sleep(1)
    assert init.running()
    assert web.events() == ["start"]


def test_start_period_and_consecutive_failures(start, web):
    web.mode("500")
    init = start(["--health", web.url, "--health-interval", "200ms", "--health-retries", "3",
                  "--health-start-period", "2s", "--", *web.command()])
    began = time.monotonic()
    assert init.wait(30) == 124
    # Not one failure inside the start period counts: three after it.
    assert time.monotonic() - began >= 2.0 + 2 * 0.2
    assert "unhealthy after 3 failed checks" in init.stderr()


def test_a_pass_ends_the_start_period(start, web):
    init = start(["--health", web.url, "--health-interval", "200ms", "--health-retries", "2",
                  "--health-start-period", "10m", "--", *web.command()])
    wait_line(init, "healthy")
    web.mode("500")
    assert init.wait(30) == 124


# ------------------------------------------------------------ --health-cmd

def test_health_cmd_says_why(start, public_dir, web):
    flag = public_dir / "down"
    cmd = f"if [ -e {flag} ]; then echo 'db down: connection refused'; echo second line; exit 3; fi"
    init = start(["--health-cmd", cmd, *FAST, "--", *web.command()])
    wait_line(init, "healthy")
    flag.touch()
    assert init.wait(30) == 124
    assert "unhealthy after 2 failed checks: exit status 3: db down: connection refused\n" in init.stderr()


def samples(init, count=10, every=0.15):
    """The namespace's processes, sampled count times."""
    for _ in range(count):
        yield namespace_procs(init)
        time.sleep(every)


def test_hanging_health_cmd_is_cut_off_and_leaves_nothing(start, web):
    init = start(["--health-cmd", "sleep 1000 & sleep 1000", "--health-interval", "100ms",
                  "--health-timeout", "300ms", "--on-unhealthy", "none", "--", *web.command()])
    wait_line(init, "timed out after 300ms")
    # At most the check of the moment runs (its two sleeps); a killed one is
    # reaped at once: no pid stays a zombie from one sample to the next.
    zombies = set()
    for procs in samples(init):
        assert len([p for p in procs if p.get("comm") == "sleep"]) <= 2, procs
        now = {p["pid"] for p in procs if p.get("state") == "Z"}
        assert not zombies & now, procs
        zombies = now
    init.signal(signal.SIGTERM)
    assert init.wait(30) == 0


def test_check_never_runs_as_root(start, public_dir):
    out = public_dir / "who"
    # Written aside, then renamed: a read never meets a check's truncation.
    cmd = (f"echo $(id -u) $(grep -E 'CapEff|CapPrm|NoNewPrivs' /proc/self/status | cut -f2) > {out}.$$ "
           f"&& mv {out}.$$ {out}")
    init = start(["--health-cmd", cmd, "--health-interval", "100ms", "--", "sleep", "1000"])
    wait_until(out.exists, 20, what="the check's output")
    assert out.read_text().split() == ["65534", "0000000000000000", "0000000000000000", "1"]
    init.kill()
    out.unlink()
    init = start(["--user", "1000:1000", "--cap", "NET_BIND_SERVICE", "--health-cmd", cmd,
                  "--health-interval", "100ms", "--", "sleep", "1000"])
    wait_until(out.exists, 20, what="the check's output")
    assert out.read_text().split() == ["1000", "0000000000000000", "0000000000000000", "1"]
    init.kill()
    out.unlink()
    # Started as a user already (an image's USER), without --user: nothing
    # to give up, and no_new_privs all the same, so a setuid program in a
    # check gains nothing.
    init = start(["--health-cmd", cmd, "--health-interval", "100ms", "--", "sleep", "1000"],
                 exec_via=("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "--"))
    wait_until(out.exists, 20, what="the check's output")
    assert out.read_text().split() == ["1000", "0000000000000000", "0000000000000000", "1"]


def test_background_left_by_a_check_goes_with_it(start, web):
    """A check whose shell leaves a process in the background (output
    elsewhere, so the pipe does not wait for it): the check's whole group
    goes when it ends, and none is taken for the command's leftovers."""
    init = start(["--health-cmd", "sleep 1000 >/dev/null 2>&1 & exit 0", "--health-interval", "100ms",
                  "--", *web.command()])
    wait_line(init, "healthy")
    # Some ten checks: at most the newest one's sleep, never an older one's.
    for procs in samples(init):
        assert len([p for p in procs if p.get("comm") == "sleep"]) <= 1, procs
    init.signal(signal.SIGTERM)
    assert init.wait(30) == 0
    assert "remaining process" not in init.stderr()


def test_checks_that_cannot_give_up_root_are_refused(start):
    """Root that keeps a capability but cannot switch users: a check would
    run as root, so nothing starts (125, one line)."""
    init = start(["--cap", "NET_BIND_SERVICE", "--health-cmd", "true", "--", "sleep", "1000"])
    assert init.wait(30) == 125
    assert "health checks never run as root" in init.stderr()
    assert "--user" in init.stderr()


def test_exit_map_leaves_the_watchdogs_124(start, web):
    init = start(["--health", web.url, *FAST, "--exit-map", "124:0,143:0", "--", *web.command()])
    wait_line(init, "healthy")
    web.mode("500")
    assert init.wait(30) == 124


# ------------------------------------------------------------ restarting

def test_restart_delay_and_limit(start, tmp_path):
    runs = tmp_path / "runs"
    init = start(["--restart", "on-failure", "--restart-limit", "3/1m", "--",
                  "sh", "-c", f"echo run >> {runs}; exit 3"])
    began = time.monotonic()
    assert init.wait(30) == 3
    assert runs.read_text().count("run") == 4
    assert time.monotonic() - began >= 0.1 + 0.2 + 0.4
    err = init.stderr()
    for delay, count in (("100ms", 1), ("200ms", 2), ("400ms", 3)):
        assert f"restarting it in {delay} (restart {count})" in err, err
    assert "exited with status 3; not restarting it: 3 restarts in 1m (--restart-limit)" in err, err


def test_restart_on_failure_not_after_success(start, tmp_path):
    init = start(["--restart", "on-failure", "--", "sh", "-c", "exit 0"])
    assert init.wait(30) == 0
    assert "starting it again" not in init.stderr()


# ------------------------------------------------------ a stop always wins

def test_stop_during_check(start, web):
    init = start(["--health-cmd", "sleep 1000", "--health-interval", "100ms", "--health-timeout", "10m",
                  "--", *web.command()])
    web.wait_for("start")
    wait_until(lambda: any(p.get("comm") == "sleep" for p in namespace_procs(init)), 20, what="a check running")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 0
    assert web.events() == ["start", "term", "cleaned"]


def test_stop_during_restart_drain_means_no_restart(start, web):
    init = start(["--health", web.url, *FAST, "--on-unhealthy", "restart", "--",
                  *web.command("--cleanup", "1.5")])
    web.wait_for("start")
    web.mode("500")
    web.wait_for("term")
    init.signal(signal.SIGTERM)
    assert init.wait(30) == 0
    assert web.events() == ["start", "term", "term", "cleaned"] or web.events() == ["start", "term", "cleaned"]
    assert web.events().count("start") == 1


def test_stop_between_runs(start, tmp_path):
    runs = tmp_path / "runs"
    init = start(["--restart", "always", "--", "sh", "-c", f"echo run >> {runs}; exit 5"])
    # Six quick runs: the delay before the seventh is 3.2 s.
    wait_until(lambda: runs.exists() and runs.read_text().count("run") >= 6, 30, what="six runs")
    time.sleep(0.3)
    init.signal(signal.SIGTERM)
    assert init.wait(5) == 5
    assert runs.read_text().count("run") == 6
    assert "received SIGTERM between two runs; exiting with status 5" in init.stderr()


# ------------------------------------------------------- gracefulinit health

def health(init, *extra):
    """gracefulinit health in init's mount and PID namespaces, run by root as
    docker exec runs it: (status, stdout, stderr)."""
    argv = ["nsenter", "-t", str(init.pid), "-m", "-p", os.path.abspath(GRACEFULINIT), "health", *extra]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    return run.returncode, run.stdout.strip(), run.stderr.strip()


def verdict_file(init):
    """The init's verdict file: its mount namespace, its pid there (1) and
    its start time."""
    mnt = os.readlink(f"/proc/{init.pid}/ns/mnt")[5:-1]
    with open(f"/proc/{init.pid}/stat") as f:
        start_time = f.read().rsplit(")", 1)[1].split()[19]
    return f"/dev/shm/gracefulinit-health.{mnt}.1.{start_time}"


def test_health_follows_the_verdict(start, public_dir):
    """Read by root while the init runs as an unprivileged user: starting,
    healthy, then unhealthy with the check's reason."""
    down = public_dir / "down"
    down.touch()
    init = start(["--user", "1000:1000", "--health-cmd", f"test ! -e {down} || {{ echo db down; exit 3; }}",
                  "--health-interval", "200ms", "--health-retries", "1", "--health-start-period", "10m",
                  "--on-unhealthy", "none", "--", "sleep", "1000"])
    wait_until(lambda: health(init)[:2] == (1, "starting"), 20, 0.2, what=lambda: health(init))
    down.unlink()
    wait_until(lambda: health(init)[0] == 0, 20, 0.2, what=lambda: health(init))
    assert health(init)[1:] == ("healthy", "")
    down.touch()
    wait_until(lambda: health(init)[:2] == (1, "unhealthy: exit status 3: db down"), 20, 0.2,
               what=lambda: health(init))
    # The init's file, which only its user may write.
    path = verdict_file(init)
    st = os.stat(path)
    assert st.st_uid == 1000 and st.st_mode & 0o777 == 0o644, (st.st_uid, oct(st.st_mode))
    # A file in its place that another user made (after the name was freed),
    # or that others may write, is not taken for the init's.
    os.unlink(path)
    with open(path, "w") as f:
        f.write("healthy\n")
    os.chown(path, 65534, 65534)
    os.chmod(path, 0o644)
    code, out, _ = health(init)
    assert (code, out) == (1, "not this init's verdict file"), (code, out)
    os.chown(path, 1000, 1000)
    os.chmod(path, 0o666)
    assert health(init)[:2] == (1, "not this init's verdict file")
    os.chmod(path, 0o644)
    assert health(init)[:2] == (0, "healthy")


def test_health_sees_only_its_own_init(start, public_dir):
    """Inits that share /dev/shm (the containers of a pod) and a verdict an
    earlier init left behind: none is taken for this one's."""
    plain = start(["--", "sleep", "1000"])
    code, out, err = health(plain)
    assert (code, out, err) == (1, "", "gracefulinit: health: no verdict for this container in "
                                "/dev/shm"), (code, out, err)
    down = public_dir / "down"
    down.touch()
    sick = start(["--health-cmd", f"test ! -e {down}", "--health-interval", "200ms", "--health-retries", "1",
                  "--on-unhealthy", "none", "--", "sleep", "1000"])
    init = start(["--health-cmd", "true", "--health-interval", "200ms", "--", "sleep", "1000"])
    wait_until(lambda: health(init)[0] == 0, 20, 0.2, what=lambda: health(init))
    wait_until(lambda: health(sick)[1].startswith("unhealthy"), 20, 0.2, what=lambda: health(sick))
    mnt = os.readlink(f"/proc/{init.pid}/ns/mnt")[5:-1]
    stale = f"/dev/shm/gracefulinit-health.{mnt}.1.1"
    with open(stale, "w") as f:
        f.write("unhealthy: left behind\n")
    try:
        assert health(init)[:2] == (0, "healthy")
        assert health(plain)[0] == 1
    finally:
        os.unlink(stale)
    # The init's own file goes with it.
    own = verdict_file(init)
    assert os.path.exists(own)
    init.signal(signal.SIGTERM)
    assert init.wait(30) == 143
    assert not os.path.exists(own)


def test_health_two_inits_in_one_pid_namespace():
    """shareProcessNamespace: the inits of two containers in one PID
    namespace, each in a mount namespace of its own, sharing /dev/shm (a
    shell is the pod's PID 1; both are subreapers). Each container's health
    reads its own init: the walk meets both inits' pids, and only the one
    of its own mount namespace has a file of the name it looks for."""
    gi = os.path.abspath(GRACEFULINIT)
    script = (f"unshare --mount {gi} --health-cmd true --health-interval 200ms -- sleep 1000 & "
              f"unshare --mount {gi} --health-cmd false --health-interval 200ms --health-retries 1 "
              "--on-unhealthy none -- sleep 1000 & wait")
    pod = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "sh", "-c", script],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def inits():
            # The pod's PID 1's own children: a check, forked without exec,
            # has its init's command line too.
            found = {}
            for pid in procfs.children((procfs.children(pod.pid) or [0])[0]):
                words = procfs.cmdline(pid).split()
                if words[:1] == [gi] and len(words) > 2:
                    found[words[2]] = pid  # "true" or "false"
            return found if len(found) == 2 else None
        found = wait_until(inits, 20, 0.05, what="the two inits")
        good = type("Init", (), {"pid": found["true"]})
        bad = type("Init", (), {"pid": found["false"]})
        assert os.readlink(f"/proc/{good.pid}/ns/pid") == os.readlink(f"/proc/{bad.pid}/ns/pid")
        assert os.readlink(f"/proc/{good.pid}/ns/mnt") != os.readlink(f"/proc/{bad.pid}/ns/mnt")
        wait_until(lambda: health(good)[:2] == (0, "healthy"), 20, 0.2, what=lambda: health(good))
        wait_until(lambda: health(bad)[:2] == (1, "unhealthy: exit status 1"), 20, 0.2, what=lambda: health(bad))
        assert health(good)[:2] == (0, "healthy")
    finally:
        for pid1 in procfs.children(pod.pid):  # the namespace goes with its PID 1
            try:
                os.kill(pid1, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:  # unshare returns once the namespace is empty
            pod.wait(10)
        except subprocess.TimeoutExpired:
            pod.kill()
            pod.wait(10)


def test_health_says_starting_between_runs(start):
    """While the command waits to be started again nothing answers: not the
    last run's "healthy", but "starting" until the new run's first verdict."""
    init = start(["--health-cmd", "true", "--health-interval", "200ms", "--restart", "always",
                  "--", "sh", "-c", "sleep 0.6; exit 1"])
    wait_until(lambda: health(init)[0] == 0, 20, 0.1, what=lambda: health(init))
    seen = []

    def sample():
        if not namespace_procs(init):  # no command, no check: between two runs
            answer = health(init)[:2]
            if not namespace_procs(init):  # and still between them when it answered
                seen.append(answer)
        return len(seen) >= 3
    wait_until(sample, 30, 0.05, what=lambda: seen)
    assert set(seen) == {(1, "starting")}, seen


def test_health_takes_no_arguments(start):
    init = start(["--health-cmd", "true", "--health-interval", "200ms", "--", "sleep", "1000"])
    code, out, err = health(init, "--now")
    assert code == 1 and "health: '--now': gracefulinit health takes no arguments" in err, (code, out, err)
