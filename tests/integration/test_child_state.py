"""gracefulinit(1), START-UP and RUNNING: the command starts with the signal
state gracefulinit inherited and only fds 0-2; gracefulinit sleeps while
nothing happens."""
import os
import re
import signal
import time

import pytest

from conftest import NO_CLOSE_RANGE, app
from gitest.procfs import context_switches


def bits(*sigs):
    return sum(1 << (s - 1) for s in sigs)


def report(marker):
    """testapp --report's view of its own /proc/self/status and fds."""
    found = {}
    for line in marker.lines():
        m = re.fullmatch(r"app status (\w+) (.*)", line)
        if m:
            found[m.group(1)] = m.group(2)
        m = re.fullmatch(r"app fds (.*)", line)
        if m:
            found["fds"] = m.group(1)
    return found


def run_report(start, marker, **kw):
    init = start(["--", *app("--report", "--exit", "0", marker=marker)], **kw)
    assert init.wait() == 0
    return report(marker)


BLOCKED = (signal.SIGUSR2, signal.SIGWINCH, signal.SIGRTMIN + 1)
IGNORED = (signal.SIGHUP, signal.SIGUSR1, signal.SIGQUIT)


def block_and_ignore(chld=False):
    def preexec():
        signal.pthread_sigmask(signal.SIG_BLOCK, BLOCKED)
        for sig in IGNORED + ((signal.SIGCHLD,) if chld else ()):
            signal.signal(sig, signal.SIG_IGN)
    return preexec


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_signal_state_is_inherited_as_is(start, marker, pidns):
    got = run_report(start, marker, pidns=pidns, preexec_fn=block_and_ignore())
    assert int(got["SigBlk"], 16) == bits(*BLOCKED), got
    assert int(got["SigIgn"], 16) == bits(*IGNORED), got


def test_ignored_sigchld_is_inherited_too(start, marker):
    """gracefulinit itself needs SIGCHLD; the command gets it back as it came.
    Not as PID 1: unshare cannot wait for a child with SIGCHLD ignored."""
    got = run_report(start, marker, pidns=False, preexec_fn=block_and_ignore(chld=True))
    assert int(got["SigBlk"], 16) == bits(*BLOCKED), got
    assert int(got["SigIgn"], 16) == bits(*IGNORED, signal.SIGCHLD), got


def test_clean_signal_state_stays_clean(start, marker):
    got = run_report(start, marker)
    assert int(got["SigBlk"], 16) == 0
    assert int(got["SigIgn"], 16) == 0


@pytest.mark.parametrize("close_range", [True, False], ids=["close_range", "without_close_range"])
@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_command_gets_only_fds_0_to_2(start, marker, tmp_path, pidns, close_range):
    """Without close_range (kernels before 5.9, forced here with a seccomp
    filter) the command's fds are closed by listing /proc/self/fd."""
    r, w = os.pipe()
    extra = os.open(tmp_path / "extra", os.O_CREAT | os.O_RDWR)
    many = [os.dup(extra) for _ in range(300)]  # more than one getdents64 read
    try:
        init = start(["--", *app("--report", "--run", "5000", marker=marker)], pidns=pidns,
                     pass_fds=(r, w, extra, *many), exec_via=() if close_range else NO_CLOSE_RANGE)
        marker.wait_for("app fds")
        # gracefulinit did inherit them: the test means something.
        assert {str(fd) for fd in (r, w, extra)} <= set(os.listdir(f"/proc/{init.pid}/fd"))
        assert report(marker)["fds"] == "0,1,2"
        init.signal(signal.SIGTERM)
        assert init.wait() == 0
    finally:
        for fd in (r, w, extra, *many):
            os.close(fd)


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_no_wakeups_while_the_command_sleeps(start, marker, pidns):
    """No polling, no periodic timer: not one context switch in 2 s.
    (testapp itself wakes every 10 ms; gracefulinit must not.)"""
    init = start(["--", *app(marker=marker)], pidns=pidns)
    marker.wait_for("app start")
    time.sleep(0.2)
    before = context_switches(init.pid)
    time.sleep(2.0)
    assert context_switches(init.pid) == before
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_command_leads_its_own_process_group(start, marker, pidns):
    init = start(["--", *app("--exit", "0", marker=marker)], pidns=pidns)
    assert init.wait() == 0
    m = re.match(r"app start pid=(\d+) pgid=(\d+)", marker.lines()[0])
    assert m.group(1) == m.group(2)
