"""Nothing outside the app may hold up a stop (gracefulinit(1), LOGGING and
STOPPING): a stderr nobody reads, a termination log that is a FIFO or a
symlink, a stray SIGTSTP outside PID 1. Each test reproduces one finding of
the second adversarial review and fails on a gracefulinit that blocks."""
import fcntl
import os
import shutil
import signal
import tempfile

import pytest

from conftest import TESTAPP, Marker, app
from gitest import procfs
from gitest.wait import wait_until


# A command that exits with 3 and leaves a process that ignores SIGTERM.
STUBBORN = ('"$0" --name stubborn --marker "$1" --ignore-term & '
            'until grep -qs "stubborn start" "$1"; do sleep 0.05; done; exit 3')


def with_leftover(marker):
    return ["sh", "-c", STUBBORN, TESTAPP, marker.path]


@pytest.fixture
def stalled_pipe():
    """A pipe that is full and whose reader is alive but never reads: a log
    driver in Docker's default mode=blocking that fell behind. The write end
    is blocking again when it is handed out, as the engine hands it."""
    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
    try:
        while True:
            os.write(w, b"x" * 4096)
    except BlockingIOError:
        pass
    fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    yield w
    os.close(r)
    os.close(w)


def test_stalled_stderr_does_not_keep_sigterm_from_the_app(start, marker, stalled_pipe):
    """SIGTERM reaches the app although the notice about it cannot be written."""
    init = start(app("--cleanup", "100", marker=marker), stderr=stalled_pipe)
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    marker.wait_for("app signal TERM", timeout=10)
    assert init.wait(10) == 0


def test_stalled_stderr_does_not_keep_a_leftover_from_its_sigkill(start, marker, stalled_pipe):
    """The command exits and leaves a process that ignores SIGTERM: the
    notices about it cannot be written, and the SIGKILL still goes out."""
    init = start(["--grace", "1", "--", *with_leftover(marker)], stderr=stalled_pipe)
    marker.wait_for("stubborn start")
    assert init.wait(15) == 3


def test_stalled_stderr_keeps_the_apps_own_writes_blocking(start, tmp_path, stalled_pipe):
    """gracefulinit's own writes do not block, but the app's writes to the
    same pipe stay as the app expects: O_NONBLOCK on the shared file
    description would have made its write fail with EAGAIN."""
    script = tmp_path / "writer.sh"
    script.write_text(f"#!/bin/sh\necho started > {tmp_path}/started\n"
                      f"python3 -c 'import os,fcntl; print(bool(fcntl.fcntl(2, fcntl.F_GETFL) & os.O_NONBLOCK))' "
                      f"> {tmp_path}/flags\nsleep 30\n")
    script.chmod(0o755)
    init = start([str(script)], stderr=stalled_pipe)
    wait_until(lambda: (tmp_path / "flags").exists() and (tmp_path / "flags").read_text(), 10,
               what="the app's view of its stderr")
    assert (tmp_path / "flags").read_text().strip() == "False"
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 128 + signal.SIGTERM


def test_termination_log_fifo_without_reader_holds_nothing_up(start, marker, tmp_path):
    """GRACEFULINIT_TERMINATION_LOG names a FIFO nobody reads: the leftover
    is still killed and gracefulinit exits with the command's status."""
    fifo = tmp_path / "termination-log"
    os.mkfifo(fifo)
    init = start(["--grace", "1", "--", *with_leftover(marker)], env={"GRACEFULINIT_TERMINATION_LOG": str(fifo)})
    marker.wait_for("stubborn start")
    assert init.wait(15) == 3


def test_termination_log_does_not_follow_a_symlink(start, marker, tmp_path):
    """A symlink where the log should be (the app could put one there) is not
    followed: the file it points at keeps its content."""
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    log = tmp_path / "termination-log"
    log.symlink_to(victim)
    init = start(["--grace", "0", *app(marker=marker)], env={"GRACEFULINIT_TERMINATION_LOG": str(log)})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 128 + signal.SIGKILL
    assert victim.read_text() == "precious\n"


def test_termination_log_still_written_when_it_is_a_regular_file(start, marker, tmp_path):
    log = tmp_path / "termination-log"
    log.write_text("")
    init = start(["--grace", "0", *app(marker=marker)], env={"GRACEFULINIT_TERMINATION_LOG": str(log)})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 128 + signal.SIGKILL
    assert "killed 1 process" in log.read_text()


def test_sigtstp_outside_pid1_without_a_shell_does_not_stop_gracefulinit(start, marker):
    """Not PID 1, in a session of its own with no terminal (a setsid start,
    docker run --init): a SIGTSTP that stops the command must not stop
    gracefulinit, whom nothing would continue."""
    init = start(app(marker=marker), pidns=False, preexec_fn=os.setsid)
    marker.wait_for("app start")
    command = init.children()[0]
    os.kill(command, signal.SIGTSTP)
    wait_until(lambda: (procfs.stat(command) or {}).get("state") == "T", 10, what="the command to stop")
    # Give a stopping gracefulinit every chance to have stopped.
    wait_until(lambda: procfs.status(init.pid)["SigPnd"] == "0000000000000000", 5, what="nothing pending")
    assert procfs.stat(init.pid)["state"] != "T"
    init.signal(signal.SIGTERM)
    marker.wait_for("app signal TERM", timeout=10)
    assert init.wait(10) == 0


def test_stop_delay_longer_than_grace_is_refused(start):
    init = start(["--stop-delay", "5s", "--grace", "2s", TESTAPP])
    assert init.wait(10) == 125
    err = init.stderr()
    assert "--stop-delay 5s" in err and "--grace 2s" in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_script_without_shebang_runs_with_sh(start, tmp_path):
    """execvp(3)'s ENOEXEC rule, as glibc, POSIX and tini have it."""
    script = tmp_path / "plain-script"
    script.write_text("exit 7\n")
    script.chmod(0o755)
    init = start([str(script)])
    assert init.wait(10) == 7


def test_exit_map_leaves_gracefulinits_own_statuses_alone(start, tmp_path):
    """--exit-map is for the command's statuses: 127 for a command that is
    not there is gracefulinit's own, and stays 127."""
    init = start(["-e", "127:0", "--", str(tmp_path / "nonexistent")])
    assert init.wait(10) == 127
    assert "cannot run" in init.stderr()
    # The command's own 127 is still the map's to change.
    init = start(["-e", "127:0", "--", "sh", "-c", "exit 127"])
    assert init.wait(10) == 0


def test_unreadable_proc_takes_the_cannot_list_path(start, marker):
    """Out of file descriptors (EMFILE), /proc cannot be read: that is no
    "the processes are gone". As PID 1 the leftover is killed through
    kill(-1), which needs no listing."""
    init = start(["--grace", "1", "--", *with_leftover(marker)], exec_via=("prlimit", "--nofile=4:4", "--"))
    marker.wait_for("stubborn start")
    assert init.wait(15) == 3
    assert "killed 0 processes" not in init.stderr(), init.stderr()


def test_fifo_in_place_of_etc_passwd_is_refused_not_waited_on(start, tmp_path):
    """The same class elsewhere: every file gracefulinit reads on a path
    someone else controls opens without waiting (/etc/passwd and /etc/group
    for --user, /etc/hosts and resolv.conf for the probe, /proc and cgroup
    files). A FIFO bind-mounted over /etc/passwd is an error, at once."""
    fifo = tmp_path / "passwd"
    os.mkfifo(fifo)
    init = start(["--user", "nobody", TESTAPP],
                 exec_via=("sh", "-c", f'mount --bind {fifo} /etc/passwd && exec "$@"', "sh"))
    assert init.wait(10) == 125
    assert "cannot read /etc/passwd" in init.stderr(), init.stderr()


def read_pipe(r, until, timeout=10):
    """What arrives on r until `until` is in it (bounded)."""
    got = b""
    fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)

    def more():
        nonlocal got
        try:
            got += os.read(r, 65536)
        except BlockingIOError:
            pass
        return until in got
    wait_until(more, timeout, what=f"{until!r} on the pipe: {got!r}")
    return got.decode(errors="replace")


def test_lines_reach_a_pipe_that_is_read_and_the_childs_too(start, tmp_path):
    """Through a pipe that is read, every line arrives whole, the child's
    "cannot run" included (written before exec, after gracefulinit's own
    descriptors are closed)."""
    r, w = os.pipe()
    try:
        init = start(["--", str(tmp_path / "missing")], stderr=w)
        assert init.wait(10) == 127
        assert "gracefulinit: cannot run '" in read_pipe(r, b"cannot run")
    finally:
        os.close(r)
        os.close(w)


def test_dropped_lines_are_counted_once_the_pipe_is_read_again(start, marker, stalled_pipe, tmp_path):
    """Lines written while the pipe was full are dropped, and the first line
    that gets through afterwards is preceded by how many."""
    r = os.open(f"/proc/self/fd/{stalled_pipe}", os.O_RDONLY | os.O_NONBLOCK)  # a reader of the same pipe
    try:
        init = start(["-v", *app(marker=marker)], stderr=stalled_pipe)
        marker.wait_for("app start")
        os.kill(init.pid, signal.SIGUSR1)  # forwarded; its debug lines are dropped
        marker.wait_for("app signal USR1")
        while True:  # the log reader catches up
            try:
                if not os.read(r, 65536):
                    break
            except BlockingIOError:
                break
        init.signal(signal.SIGTERM)
        out = read_pipe(r, b"received SIGTERM")
        assert init.wait(10) == 0
        assert "log lines dropped: stderr was not being read" in out, out
    finally:
        os.close(r)


def test_stalled_stderr_started_as_non_root(start, stalled_pipe):
    """Started as non-root (USER in the image, runAsNonRoot), gracefulinit
    may not reopen the engine's pipe (root's, mode 0600): its writes still
    never wait."""
    where = tempfile.mkdtemp(prefix="gi-held-up-")  # pytest's tmp_path is root's alone
    try:
        os.chmod(where, 0o777)
        marker = Marker(os.path.join(where, "marker"))
        init = start(app("--cleanup", "100", marker=marker), stderr=stalled_pipe,
                     exec_via=("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"))
        marker.wait_for("app start")
        assert procfs.status(init.pid)["Uid"].split()[0] == "65534"
        init.signal(signal.SIGTERM)
        marker.wait_for("app signal TERM", timeout=10)
        assert init.wait(10) == 0
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_sigtstp_under_tini_as_pid1_does_not_stop_gracefulinit(start, marker):
    """docker run --init: tini is PID 1 and gives its child a group of its
    own in the same session, but continues no one."""
    init = start(app(marker=marker), exec_via=("tini", "-s", "--"))
    marker.wait_for("app start")
    gi = procfs.children(init.pid)[0]
    command = procfs.children(gi)[0]
    os.kill(command, signal.SIGTSTP)
    wait_until(lambda: (procfs.stat(command) or {}).get("state") == "T", 10, what="the command to stop")
    wait_until(lambda: procfs.status(gi)["SigPnd"] == "0000000000000000", 5, what="nothing pending")
    assert procfs.stat(gi)["state"] != "T"
    os.kill(gi, signal.SIGTERM)
    marker.wait_for("app signal TERM", timeout=10)
    assert init.wait(10) == 0


def test_binary_of_another_architecture_is_no_script(start, tmp_path):
    """ENOEXEC from an ELF the kernel cannot run (an arm64 image on amd64)
    stays "Exec format error", 126: /bin/sh is not handed a binary."""
    elf = tmp_path / "foreign"
    elf.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\xff\xff" + bytes(44))
    elf.chmod(0o755)
    init = start([str(elf)])
    assert init.wait(10) == 126
    assert "Exec format error" in init.stderr(), init.stderr()


def test_script_without_shebang_found_through_path(start, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "plain-job"
    script.write_text('echo "args: $*" > "$(dirname "$0")/out"\nexit 5\n')
    script.chmod(0o755)
    init = start(["plain-job", "a", "b"], env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
    assert init.wait(10) == 5
    assert (bin_dir / "out").read_text() == "args: a b\n"
