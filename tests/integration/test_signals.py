"""gracefulinit(1), RUNNING: every catchable signal but SIGCHLD reaches the
command's whole process group, after --rewrite; START-UP: none is lost right
after start."""
import os
import signal
import time

import pytest

from conftest import GRACEFULINIT, TESTAPP, app
from gitest.wait import wait_until


def group_of_two(marker, *extra):
    """A shell with two background testapps, all in one process group: the
    shell-form CMD shape. The shell dies of the stop signal; the apps clean up."""
    script = ('"$0" --name a --marker "$1" --cleanup 300 "$2" & '
              '"$0" --name b --marker "$1" --cleanup 300 "$2" & wait')
    return ["sh", "-c", script, TESTAPP, marker.path, *(extra or ["--child"])]


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_stop_signal_reaches_the_whole_group(start, marker, sig, status):
    init = start(["--grace", "5s", "--", *group_of_two(marker)])
    marker.wait_for("a start")
    marker.wait_for("b start")
    init.signal(sig)
    assert init.wait(10) == status  # the shell's own death
    name = sig.name[3:]
    for who in ("a", "b"):
        # Exactly once: the group already had it, so the leftovers are not
        # sent a second SIGTERM when the shell dies.
        assert marker.lines().count(f"{who} signal {name}") == 1, marker.lines()
        assert marker.has(f"{who} cleanup-done")
        assert not marker.has(f"{who} signal TERM") or sig == signal.SIGTERM


FORWARDED = [signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGPIPE,
             signal.SIGWINCH, signal.SIGCONT, signal.SIGURG, signal.SIGPWR, signal.SIGXCPU, signal.SIGPROF]


def test_other_signals_reach_every_group_member(start, marker):
    # The shell ignores them (its children's testapps set their own handlers).
    names = " ".join(sig.name[3:] for sig in FORWARDED)
    command = group_of_two(marker)
    command[2] = f"trap '' {names}; " + command[2]
    init = start(["--", *command])
    marker.wait_for("a start")
    marker.wait_for("b start")
    for sig in FORWARDED:
        init.signal(sig)
        for who in ("a", "b"):
            marker.wait_for(f"{who} signal {sig.name[3:]}", timeout=5)
    assert init.running()
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 143


def test_realtime_signal_is_forwarded(start, marker):
    init = start(["--", *app(marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGRTMIN + 2)
    marker.wait_for(f"app signal {signal.SIGRTMIN + 2}")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_rewrite_term_to_quit_delivers_quit(start, marker):
    init = start(["--rewrite", "TERM:QUIT", "--", *app("--stop-after-signals", "1", marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert marker.has("app signal QUIT")
    assert not marker.has("app signal TERM")
    assert "received SIGTERM; forwarded SIGQUIT" in init.stderr()


def test_rewrite_from_variable(start, marker):
    init = start(["--", *app("--stop-after-signals", "1", marker=marker)],
                 env={"GRACEFULINIT_REWRITE": "SIGTERM:SIGWINCH"})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert marker.has("app signal WINCH")
    assert not marker.has("app signal TERM")


def test_rewrite_flag_wins_over_variable(start, marker):
    init = start(["-r", "TERM:HUP", "--", *app("--stop-after-signals", "1", marker=marker)],
                 env={"GRACEFULINIT_REWRITE": "TERM:WINCH"})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert marker.has("app signal HUP")
    assert not marker.has("app signal WINCH")


@pytest.mark.parametrize("spec", ["USR1:0", "SIGUSR1:NONE", "10:none"])
def test_rewrite_to_zero_drops_the_signal(start, marker, spec):
    init = start(["--rewrite", spec, "--", *app(marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGUSR1)
    # USR2 is sent after USR1 is pending at gracefulinit, which takes the
    # lower-numbered signal first: once USR2 arrived, USR1 had its chance.
    init.signal(signal.SIGUSR2)
    marker.wait_for("app signal USR2")
    time.sleep(0.1)
    assert not marker.has("app signal USR1")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert not marker.has("app signal USR1")


def test_without_rewrite_usr1_is_forwarded(start, marker):
    """The control for the test above: the same steps deliver USR1."""
    init = start(["--", *app(marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGUSR1)
    init.signal(signal.SIGUSR2)
    marker.wait_for("app signal USR2")
    marker.wait_for("app signal USR1", timeout=2)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def signals_taken(pid):
    """gracefulinit has blocked its signals: from here on a signal waits for
    it. Before that, a signal to a namespace's PID 1 with no handler is
    dropped by the kernel, whatever the init does. SigBlk shows the block
    until it forks; inside sigwaitinfo the kernel shows the waited-for set
    as unblocked, but by then it has a child."""
    try:
        if os.readlink(f"/proc/{pid}/exe") != os.path.realpath(GRACEFULINIT):
            return False
        with open(f"/proc/{pid}/status") as f:
            blocked = next(int(l.split()[1], 16) for l in f if l.startswith("SigBlk:"))
        if blocked & (1 << (signal.SIGCHLD - 1)):
            return True
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return f.read().strip() != ""
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_sigterm_right_after_start_is_not_lost(start, pidns):
    """START-UP: sent the moment gracefulinit can hold it, before or while
    it forks; --grace off, so a lost signal shows as a run that never ends."""
    for _ in range(50):
        init = start(["--grace", "off", "--", TESTAPP, "--cleanup", "0"], pidns=pidns)
        wait_until(lambda: signals_taken(init.pid), 5, 0.0001, what="gracefulinit to block signals")
        init.signal(signal.SIGTERM)
        # 143: the TERM came before testapp's handler; 0: after it.
        assert init.wait(5) in (0, 143), init.stderr()
        init.kill()


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGTRAP,
                                 signal.SIGSYS], ids=lambda s: s.name)
def test_fault_signals_from_kill_are_forwarded(start, pidns, sig):
    """A fault signal sent with kill(2) is a message: it reaches the command,
    and gracefulinit (which it used to kill when not PID 1) lives on to report
    the command's death by it. The command is sleep, which leaves them all at
    their default (ulimit -c 0: no core file)."""
    init = start(["--", "sh", "-c", "ulimit -c 0; exec sleep 30"], pidns=pidns)

    def sleeping():
        for pid in init.children():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == "sleep":
                        return True
            except FileNotFoundError:
                pass
        return False
    wait_until(sleeping, 10, what="the command to exec sleep")
    init.signal(sig)
    assert init.wait() == 128 + sig


# A glibc program, since musl will not let a program catch 32-34 (testapp is
# static musl in the release build): it notes each signal it gets by number.
RT_APP = r'''
import signal, sys
def note(text):
    with open(sys.argv[1], "a") as f:
        f.write(text + "\n")
def on(sig, frame):
    note(f"app signal {sig}")
    if sig == signal.SIGTERM:
        sys.exit(0)
for sig in (34, 35, 36, 64, signal.SIGTERM, signal.SIGUSR2):
    signal.signal(sig, on)
note("app start")
while True:
    signal.pause()
'''


def rt_app(marker):
    return ["/usr/bin/python3", "-c", RT_APP, marker.path]


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_signal_34_glibc_rtmin_is_forwarded_every_time(start, marker, pidns):
    """Debian's kill -s RTMIN sends 34, which musl's sigprocmask would not
    block: as PID 1 the kernel dropped every one, otherwise it ended
    gracefulinit. One at a time, since Python folds a burst into one call."""
    init = start(["--", *rt_app(marker)], pidns=pidns)
    marker.wait_for("app start")
    for count in range(1, 6):
        init.signal(34)
        marker.wait_for("app signal 34", count=count, timeout=5)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
@pytest.mark.parametrize("sig", [32, 33])
def test_libc_internal_signals_are_dropped_and_never_fatal(start, marker, pidns, sig):
    init = start(["-v", "--", *rt_app(marker)], pidns=pidns)
    marker.wait_for("app start")
    init.signal(sig)
    # USR2 after it: gracefulinit takes the lower number first, so once the
    # app has USR2, the internal signal has been dealt with.
    init.signal(signal.SIGUSR2)
    marker.wait_for(f"app signal {int(signal.SIGUSR2)}")
    assert init.running()
    assert f"received signal {sig}, a C library's internal signal; not forwarded" in init.stderr()
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert not marker.has(f"app signal {sig}")


@pytest.mark.parametrize("to, delivered", [("RTMIN", 34), ("RTMIN+1", 35), ("SIGRTMAX-28", 36), ("34", 34),
                                           ("RTMAX", 64)])
def test_rewrite_to_realtime_means_what_glibc_means(start, marker, to, delivered):
    init = start(["--rewrite", f"USR1:{to}", "--", *rt_app(marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGUSR1)
    marker.wait_for(f"app signal {delivered}", timeout=5)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert sum(l.startswith("app signal 3") or l.startswith("app signal 6") for l in marker.lines()) == 1
