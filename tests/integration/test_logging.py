"""gracefulinit(1), LOGGING: what gracefulinit says on stderr, at each level."""
import os
import signal
import subprocess

import pytest

from conftest import GRACEFULINIT, TESTAPP, app
from gitest.procfs import namespace_pid1


def stop_once(start, marker, args, env=None):
    runs = sum("app start" in l for l in marker.lines())  # a marker may serve two runs
    init = start([*args, "--", *app(marker=marker)], env=env)
    marker.wait_for("app start", count=runs + 1)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    return init.stderr().splitlines()


def test_default_is_silent_while_running(start):
    init = start(["--", TESTAPP, "--exit", "0"])
    assert init.wait() == 0
    assert init.stderr() == ""


def test_default_prints_one_line_on_stop(start, marker):
    lines = stop_once(start, marker, ["--grace", "3s"])
    assert len(lines) == 1, lines
    assert lines[0].startswith("gracefulinit: received SIGTERM; forwarded SIGTERM to process group ")
    assert lines[0].endswith("; grace period 3s")


def test_quiet_prints_nothing_on_stop(start, marker):
    assert stop_once(start, marker, ["-q"]) == []


def test_quiet_prints_nothing_on_escalation(start, marker):
    init = start(["-q", "--grace", "200ms", "--", *app("--ignore-term", marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait() == 137
    assert init.stderr() == ""


def test_quiet_still_reports_errors(start):
    init = start(["-q", "--", "no-such-command-gracefulinit"])
    assert init.wait() == 127
    assert "cannot run 'no-such-command-gracefulinit'" in init.stderr()


def test_verbose_prints_signals_and_reaps(start, marker):
    lines = stop_once(start, marker, ["-v"])
    text = "\n".join(lines)
    assert "gracefulinit: received SIGTERM" in text
    assert "gracefulinit: forwarding SIGTERM to process group" in text
    assert "gracefulinit: reaped " in text
    assert all(l.startswith("gracefulinit: ") for l in lines), lines
    assert len(lines) > 1


@pytest.mark.parametrize("value, count", [("quiet", 0), ("notice", 1), ("debug", None)])
def test_log_variable(start, marker, value, count):
    lines = stop_once(start, marker, [], env={"GRACEFULINIT_LOG": value})
    if count is None:
        assert any("reaped" in l for l in lines), lines
    else:
        assert len(lines) == count, lines


def test_log_flag_wins_over_variable(start, marker):
    assert stop_once(start, marker, ["-q"], env={"GRACEFULINIT_LOG": "debug"}) == []
    lines = stop_once(start, marker, ["-v"], env={"GRACEFULINIT_LOG": "quiet"})
    assert any("reaped" in l for l in lines), lines


def test_bad_log_variable_is_a_usage_error(start):
    init = start(["--", TESTAPP, "--exit", "0"], env={"GRACEFULINIT_LOG": "loud"})
    assert init.wait() == 125
    assert "GRACEFULINIT_LOG: 'loud'" in init.stderr()


def test_help_lists_the_options(start):
    init = start(["--help"])
    assert init.wait() == 0
    for word in ("--grace", "--rewrite", "--exit-map", "--quiet", "--verbose", "GRACEFULINIT_GRACE", "--health",
                 "--health-cmd", "--on-unhealthy", "--restart", "--restart-limit", "-start-period", "gracefulinit health"):
        assert word in init.stdout()


def test_version(start):
    init = start(["--version"])
    assert init.wait() == 0
    assert init.stdout().startswith("gracefulinit ")


# ---- A stderr whose reader has gone (adversarial review, issue 10)

def start_with_broken_stderr(args):
    """gracefulinit as PID 1 with stderr a pipe nobody reads any more (a log
    shipper that restarted): every log line it writes fails with EPIPE."""
    r, w = os.pipe()
    proc = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", GRACEFULINIT, *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=w)
    os.close(w)
    os.close(r)
    return proc, namespace_pid1(proc.pid)


@pytest.mark.parametrize("verbose", [False, True], ids=["notice", "debug"])
def test_broken_stderr_never_becomes_a_signal_to_the_app(marker, verbose):
    """The app gets SIGTERM and the USR1s, never a SIGPIPE, and finishes its
    cleanup; with -v gracefulinit does not spin on its own SIGPIPEs."""
    args = (["-v"] if verbose else []) + ["--", *app("--cleanup", "300", marker=marker)]
    proc, pid = start_with_broken_stderr(args)
    try:
        marker.wait_for("app start")
        for i in range(1, 21):
            os.kill(pid, signal.SIGUSR1)
            marker.wait_for("signal USR1", count=i)
        os.kill(pid, signal.SIGTERM)
        assert proc.wait(10) == 0
        assert marker.has("cleanup-done")
        assert not marker.has("signal PIPE"), marker.lines()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_probe_with_broken_stderr_is_unhealthy_not_141():
    r, w = os.pipe()
    proc = subprocess.Popen([GRACEFULINIT, "probe", "--timeout", "2s", "tcp://127.0.0.1:1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=w)
    os.close(w)
    os.close(r)
    assert proc.wait(10) == 1
