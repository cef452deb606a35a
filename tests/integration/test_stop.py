"""gracefulinit(1), STOPPING: the stop sequence. Drain the group, terminate leftovers, escalate
at --grace, exit the moment the last process is gone."""
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import TESTAPP, app
from gitest.procfs import descendants, stat as proc_stat
from gitest.wait import wait_until


def test_exits_as_soon_as_the_command_is_done(start, marker):
    init = start(["--", *app(marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert init.ended - sent < 5  # no fixed sleep, no waiting for the grace's 10 s


def test_shell_form_app_finishes_its_cleanup(start, marker):
    """The shell dies of SIGTERM at once; its child, the real app, needs 1 s
    to clean up and must not be killed when the shell is gone."""
    script = '"$0" --marker "$1" --cleanup 1000; echo after'
    init = start(["--", "sh", "-c", script, TESTAPP, marker.path])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    status = init.wait(10)
    lines = marker.lines()
    assert "app cleanup-done" in lines, lines
    assert "app exit 0" in lines
    assert lines.count("app signal TERM") == 1
    assert status == 143  # the shell's: it was killed by SIGTERM
    assert 1.0 <= init.ended - sent < 2.0  # when the app is done, not later
    assert "after" not in init.stdout()


def test_command_that_ignores_sigterm_is_killed_at_grace(start, marker):
    init = start(["--grace", "2s", "--", *app("--ignore-term", marker=marker)])
    marker.wait_for("app start")
    pid = int(re.search(r"start pid=(\d+)", marker.lines()[0]).group(1))
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    status = init.wait(10)
    elapsed = init.ended - sent
    assert status == 137
    assert 2.0 <= elapsed <= 3.0, elapsed
    assert f"grace period 2s expired; killed 1 process: {pid} (testapp)" in init.stderr()
    assert not marker.has("app cleanup-start")


def test_kill_notice_names_every_process_killed(start, marker):
    script = ('"$0" --name a --marker "$1" --ignore-term & '
              '"$0" --name b --marker "$1" --ignore-term & wait')
    init = start(["--grace", "1s", "--", "sh", "-c", script, TESTAPP, marker.path])
    marker.wait_for("a start")
    marker.wait_for("b start")
    pids = sorted(int(m.group(1)) for l in marker.lines() for m in [re.search(r"start pid=(\d+)", l)] if m)
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 143  # the shell died of the TERM; the apps were killed later
    assert 1.0 <= init.ended - sent <= 2.0
    notice = [l for l in init.stderr().splitlines() if "expired" in l]
    assert notice == [f"gracefulinit: grace period 1s expired; killed 2 processes: "
                      f"{pids[0]} (testapp), {pids[1]} (testapp)"], init.stderr()


def test_later_stop_signals_do_not_move_the_deadline(start, marker):
    init = start(["--grace", "2s", "--", *app("--ignore-term", marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    time.sleep(1.0)
    init.signal(signal.SIGTERM)
    init.signal(signal.SIGUSR2)
    marker.wait_for("app signal USR2")  # still forwarded
    assert init.wait(10) == 137
    assert 2.0 <= init.ended - sent <= 3.0  # from the first TERM, not the last


def test_grace_zero_kills_at_once(start, marker):
    init = start(["--grace", "0", "--", *app("--cleanup", "5000", marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert init.ended - sent < 3  # not the cleanup's 5 s
    assert not marker.has("app cleanup-done")
    assert "gracefulinit: no grace period (--grace 0); killed 1 process: " in init.stderr()
    assert "0s expired" not in init.stderr()


def test_stop_notice_after_the_command_exited_names_no_group(start, marker):
    """The command has gone: a stop signal goes to what remains, and the
    notice says so rather than naming the command's old group. (The command
    exits on USR1, once its setsid daemon runs.)"""
    init = start(["--grace", "5s", "--", *app("--daemon", "--stop-after-signals", "1", marker=marker)])
    marker.wait_for("daemon start")
    init.signal(signal.SIGUSR1)
    marker.wait_for("daemon signal TERM")  # the leftover's SIGTERM, once the command exited
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 0
    err = init.stderr()
    assert "received SIGTERM; forwarded SIGTERM to the remaining processes; grace period 5s" in err, err
    assert "to process group" not in err


def test_grace_off_never_escalates(start, marker):
    """GRACEFULINIT_GRACE=1s would kill at 1 s; the flag wins and says never."""
    init = start(["--grace", "off", "--", *app("--ignore-term", marker=marker)],
                 env={"GRACEFULINIT_GRACE": "1s"})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    time.sleep(0.1)
    init.signal(signal.SIGTERM)  # a second stop signal does not escalate either
    init.signal(signal.SIGUSR2)
    marker.wait_for("app signal USR2")
    time.sleep(2.5)
    assert init.running()
    [child] = init.children()
    assert proc_stat(child)["state"] in "SR"
    assert "expired" not in init.stderr()
    os.kill(child, signal.SIGKILL)  # end it ourselves
    assert init.wait() == 137


def test_grace_from_variable(start, marker):
    init = start(["--", *app("--ignore-term", marker=marker)], env={"GRACEFULINIT_GRACE": "1s"})
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert 1.0 <= init.ended - sent <= 2.0
    assert "grace period 1s expired" in init.stderr()


def test_grace_flag_wins_over_variable(start, marker):
    init = start(["-t", "500ms", "--", *app("--ignore-term", marker=marker)],
                 env={"GRACEFULINIT_GRACE": "30s"})
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert 0.5 <= init.ended - sent <= 5  # not the variable's 30 s


def test_bad_variable_is_a_usage_error_unless_the_flag_is_given(start):
    init = start(["--", TESTAPP, "--exit", "0"], env={"GRACEFULINIT_GRACE": "banana"})
    assert init.wait() == 125
    assert "'banana' is not a duration" in init.stderr()
    init = start(["--grace", "1s", "--", TESTAPP, "--exit", "0"], env={"GRACEFULINIT_GRACE": "banana"})
    assert init.wait() == 0


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_setsid_daemon_left_behind_is_terminated_and_drained(start, marker, pidns):
    """The command forks a daemon that leaves the group (setsid), then
    exits on its own (USR1): the daemon gets SIGTERM and its 1 s cleanup
    completes before gracefulinit exits with the command's status."""
    init = start(["--grace", "5s", "--", *app("--daemon", "--stop-after-signals", "1", "--term-exit", "7",
                                            marker=marker)], pidns=pidns)
    marker.wait_for("daemon start")
    app_pid = int(re.search(r"app start pid=(\d+)", "\n".join(marker.lines())).group(1))
    daemon = re.search(r"daemon start pid=(\d+) pgid=(\d+) sid=(\d+)", "\n".join(marker.lines()))
    assert int(daemon.group(3)) == int(daemon.group(1)) != app_pid  # it left the group
    init.signal(signal.SIGUSR1)  # the group only: the daemon does not see it
    status = init.wait(10)
    lines = marker.lines()
    assert status == 7
    assert "daemon signal USR1" not in lines
    assert lines.count("daemon signal TERM") == 1, lines
    assert "daemon cleanup-done" in lines
    assert lines.index("app exit 7") < lines.index("daemon signal TERM")
    assert (f"command exited with status 7; sent SIGTERM to 1 remaining process: {daemon.group(1)} (testapp)"
            in init.stderr())


def test_setsid_daemon_gets_sigterm_on_stop(start, marker):
    """docker stop: TERM goes to the group; the daemon, outside it, gets its
    own TERM when the command is gone, and drains."""
    init = start(["--grace", "5s", "--", *app("--daemon", "--cleanup", "200", marker=marker)])
    marker.wait_for("daemon start")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 0
    lines = marker.lines()
    assert lines.count("app signal TERM") == 1
    assert lines.count("daemon signal TERM") == 1
    assert "daemon cleanup-done" in lines
    assert lines.index("app exit 0") < lines.index("daemon signal TERM")


def test_leftover_that_ignores_sigterm_is_killed_at_grace(start, marker):
    """The grace deadline starts when the command exits with others left."""
    script = ('"$0" --name stubborn --marker "$1" --ignore-term & '
              'until grep -qs "stubborn start" "$1"; do sleep 0.05; done; exit 4')
    init = start(["--grace", "1s", "--", "sh", "-c", script, TESTAPP, marker.path])
    marker.wait_for("stubborn start")
    exited = time.monotonic()  # about when the shell exits
    status = init.wait(10)
    assert status == 4  # the command's status, not the leftover's
    err = init.stderr().splitlines()
    assert len(err) == 2, err
    assert re.fullmatch(r"gracefulinit: command exited with status 4; sent SIGTERM to 1 remaining process: "
                        r"\d+ \(testapp\)", err[0]), err
    assert re.fullmatch(r"gracefulinit: grace period 1s expired; killed 1 process: \d+ \(testapp\)", err[1]), err
    assert 0.9 <= init.ended - exited <= 2.5
    # Killed: past its SIGCONT (after the SIGTERM it ignores) it did nothing.
    assert [l for l in marker.lines() if l != "stubborn signal CONT"][-1].startswith("stubborn start")


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_escalation_reaches_setsid_descendants_and_nothing_else(start, marker, pidns):
    """At the deadline the group and a daemon that left it (setsid) are
    killed; outside PID 1 nothing beyond gracefulinit's descendants is."""
    bystander = subprocess.Popen(["sleep", "30"])
    try:
        script = ('setsid "$0" --name daemon --marker "$1" --ignore-term & '
                  '"$0" --name app --marker "$1" --ignore-term')
        init = start(["--grace", "1s", "--", "sh", "-c", script, TESTAPP, marker.path], pidns=pidns)
        marker.wait_for("daemon start")
        marker.wait_for("app start")
        starts = {m.group(1): m for l in marker.lines()
                  for m in [re.match(r"(\w+) start pid=(\d+) pgid=(\d+) sid=(\d+)", l)] if m}
        assert starts["daemon"].group(4) == starts["daemon"].group(2)  # its own session
        init.signal(signal.SIGTERM)
        assert init.wait(10) == 143
        pids = sorted(int(starts[n].group(2)) for n in ("app", "daemon"))
        assert (f"grace period 1s expired; killed 2 processes: {pids[0]} (testapp), {pids[1]} (testapp)"
                in init.stderr()), init.stderr()
        for name in ("app", "daemon"):
            if not pidns:
                assert proc_stat(int(starts[name].group(2))) is None
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


def test_stop_signal_dropped_by_rewrite_still_starts_the_grace(start, marker):
    init = start(["--rewrite", "TERM:0", "--grace", "1s", "--", *app(marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert 1.0 <= init.ended - sent <= 2.0
    assert not marker.has("app signal")
    assert "received SIGTERM; not forwarded (--rewrite); grace period 1s" in init.stderr()


def stop_process(pid):
    os.kill(pid, signal.SIGSTOP)
    wait_until(lambda: (proc_stat(pid) or {}).get("state") == "T", 5, what=f"{pid} to be stopped")


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_stopped_command_is_continued_and_cleans_up(start, marker, pidns):
    """A command stopped by SIGSTOP (or a forwarded SIGTSTP) would see the
    stop signal only when continued, which used to be by the SIGKILL."""
    init = start(["--grace", "10s", "--", *app("--cleanup", "200", marker=marker)], pidns=pidns)
    marker.wait_for("app start")
    command = init.children()[0]
    stop_process(command)
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    assert init.wait(15) == 0
    assert init.ended - sent < 5, "waited for the deadline"
    lines = marker.lines()
    assert "app cleanup-done" in lines, lines
    assert lines.count("app signal TERM") == 1 and "app signal CONT" in lines, lines


def test_stopped_leftover_is_continued_and_drains(start, marker):
    """The same for a setsid daemon that gets SIGTERM when the command has
    exited on its own (USR1)."""
    init = start(["--grace", "10s", "--", *app("--daemon", "--stop-after-signals", "1", marker=marker)])
    marker.wait_for("daemon start")
    daemon = next(pid for pid in descendants(init.pid)
                  if (proc_stat(pid) or {}).get("session") == pid and proc_stat(pid)["comm"] == "testapp")
    stop_process(daemon)
    init.signal(signal.SIGUSR1)
    assert init.wait(15) == 0
    lines = marker.lines()
    assert "daemon cleanup-done" in lines, lines
    assert lines.count("daemon signal TERM") == 1, lines


def test_sigint_background_job_that_ignores_it_gets_sigterm_at_once(start):
    """Ctrl-C under docker run -it, or STOPSIGNAL SIGINT: a non-interactive
    shell's background job ignores INT (POSIX). The script's trap exits; the
    job, which ignores the stop request it got, is sent SIGTERM at once
    rather than waiting out the grace period."""
    script = 'sleep 300 & trap "exit 3" INT; wait'
    init = start(["--grace", "30s", "--", "sh", "-c", script])

    def job_ignores_int():
        for pid in descendants(init.pid):
            try:
                with open(f"/proc/{pid}/status") as f:
                    fields = dict(l.rstrip("\n").split(":\t", 1) for l in f if ":\t" in l)
            except FileNotFoundError:
                continue
            if fields["Name"] == "sleep" and int(fields["SigIgn"], 16) & (1 << (signal.SIGINT - 1)):
                return True
        return False
    # Until the shell's child has set INT to ignored, an INT would kill it.
    wait_until(job_ignores_int, 10, what="the background job to ignore SIGINT")
    sent = time.monotonic()
    init.signal(signal.SIGINT)
    assert init.wait(20) == 3
    assert init.ended - sent < 3, init.ended - sent
    assert re.search(r"command exited with status 3; sent SIGTERM to 1 remaining process: \d+ \(sleep\)",
                     init.stderr()), init.stderr()


def test_group_member_handling_the_stop_request_is_left_alone(start, marker):
    """The shell-form app that got SIGTERM and is cleaning up gets no second
    one when the shell dies, even as the shell's death makes it a leftover."""
    script = '"$0" --marker "$1" --cleanup 1500 & wait'
    init = start(["--", "sh", "-c", script, TESTAPP, marker.path])
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait(20) == 143
    lines = marker.lines()
    assert lines.count("app signal TERM") == 1, lines
    assert "app cleanup-done" in lines
    assert "sent SIGTERM" not in init.stderr()


def test_without_grace_a_stop_never_kills_and_names_what_holds_it_up(start, marker):
    """No --grace: the engine's timeout decides. A command that ignores
    SIGTERM is still running well past the old 9 s default, and the notice
    at 9 s names it."""
    init = start(["--", *app("--ignore-term", marker=marker)])
    marker.wait_for("app start")
    pid = int(re.search(r"start pid=(\d+)", marker.lines()[0]).group(1))
    init.signal(signal.SIGTERM)
    wait_until(lambda: "still running" in init.stderr(), 15, what="the 9 s notice")
    time.sleep(2)
    assert init.running()
    err = init.stderr()
    assert "no --grace: the engine's timeout decides" in err, err
    assert f"9 s after the stop signal, 1 process is still running: {pid} (testapp)" in err, err
    assert "killed" not in err


def test_without_grace_leftovers_of_an_exited_command_are_killed_after_10s(start, marker):
    script = ('"$0" --name stubborn --marker "$1" --ignore-term & '
              'until grep -qs "stubborn start" "$1"; do sleep 0.05; done; exit 4')
    init = start(["--", "sh", "-c", script, TESTAPP, marker.path])
    marker.wait_for("stubborn start")
    exited = time.monotonic()
    assert init.wait(20) == 4
    assert 9.5 <= init.ended - exited <= 13, init.ended - exited
    assert re.search(r"10 s after the command exited \(without --grace\); killed 1 process: \d+ \(testapp\)",
                     init.stderr()), init.stderr()


@pytest.mark.parametrize("sig", ["QUIT", "WINCH", "RTMIN+3"])
def test_stop_signal_option_starts_the_stop(start, marker, sig):
    """--stop-signal: the image's STOPSIGNAL starts the stop like TERM, with
    the grace period and the notice."""
    init = start(["--stop-signal", sig, "--grace", "1s", "--", *app("--ignore-term", marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGQUIT if sig == "QUIT" else signal.SIGWINCH if sig == "WINCH" else 37)
    assert init.wait(10) == 137
    assert 0.9 <= init.ended - sent < 3
    name = {"QUIT": "SIGQUIT", "WINCH": "SIGWINCH", "RTMIN+3": "SIGRTMIN+3"}[sig]
    assert f"received {name}; forwarded {name} to process group" in init.stderr(), init.stderr()


def test_quit_is_no_stop_signal_by_default(start, marker):
    """A JVM takes docker kill -s QUIT as "print a thread dump"."""
    init = start(["--grace", "1s", "--", *app(marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGQUIT)
    marker.wait_for("app signal QUIT")
    time.sleep(1.5)
    assert init.running()
    assert "received SIGQUIT" not in init.stderr()
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_stop_delay_holds_the_stop_signal_and_the_grace_counts_from_it(start, marker):
    init = start(["--stop-delay", "1500ms", "--grace", "3s", "--", *app("--cleanup", "5000", marker=marker)])
    marker.wait_for("app start")
    sent = time.monotonic()
    init.signal(signal.SIGTERM)
    marker.wait_for("app signal TERM", timeout=5)
    got = time.monotonic()
    assert 1.4 <= got - sent < 2.5, got - sent
    # The app's 5 s cleanup outlasts the grace, counted from the signal, not the forward.
    assert init.wait(10) == 137
    assert 2.9 <= init.ended - sent < 4, init.ended - sent
    assert "received SIGTERM; forwarding SIGTERM to process group" in init.stderr()
    assert "in 1.5s (--stop-delay); grace period 3s" in init.stderr(), init.stderr()


def test_second_stop_signal_during_the_delay_is_forwarded_at_once(start, marker):
    init = start(["--stop-delay", "10s", "--", *app(marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    time.sleep(0.3)
    assert not marker.has("app signal TERM")
    sent = time.monotonic()
    init.signal(signal.SIGINT)
    assert init.wait(5) == 0
    assert init.ended - sent < 4  # not the delay's 10 s
    assert marker.has("app signal INT") and not marker.has("app signal TERM")
