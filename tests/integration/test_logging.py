"""gracefulinit(1), LOGGING: what gracefulinit says on stderr, at each level."""
import signal

import pytest

from conftest import TESTAPP, app


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
    for word in ("--grace", "--rewrite", "--exit-map", "--quiet", "--verbose", "GRACEFULINIT_GRACE"):
        assert word in init.stdout()


def test_version(start):
    init = start(["--version"])
    assert init.wait() == 0
    assert init.stdout().startswith("gracefulinit ")
