"""gracefulinit(1), START-UP: with a terminal on stdin the command is in the foreground, so
Ctrl-C reaches it from the terminal and an interactive shell has job
control (docker run -it)."""
import fcntl
import os
import re
import signal
import subprocess
import termios
import time

import pytest

from conftest import GRACEFULINIT, app, namespace_procs
from gitest.procfs import descendants, stat as proc_stat
from gitest.wait import wait_until


@pytest.fixture
def pty():
    """(master, slave) of a fresh pseudo-terminal; start() with
    stdin=slave, preexec_fn=own_terminal makes it the run's controlling
    terminal, as an engine's -t does."""
    master, slave = os.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def own_terminal():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def drain(master):
    """Reads what the terminal echoed, so it never fills up."""
    os.set_blocking(master, False)
    try:
        while os.read(master, 4096):
            pass
    except (BlockingIOError, OSError):
        pass


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_command_is_in_the_foreground(start, marker, pty, pidns):
    master, slave = pty
    init = start(["--", *app(marker=marker)], stdin=slave, preexec_fn=own_terminal, pidns=pidns)
    marker.wait_for("app start")
    [command] = init.children()
    st = proc_stat(command)
    assert st["tpgid"] == st["pgrp"] == command  # its own group owns the terminal
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_ctrl_c_reaches_the_command(start, marker, pty, pidns):
    master, slave = pty
    init = start(["--", *app("--cleanup", "100", marker=marker)], stdin=slave, preexec_fn=own_terminal,
                 pidns=pidns)
    marker.wait_for("app start")
    os.write(master, b"\x03")  # the INTR character: the terminal sends SIGINT
    assert init.wait() == 0
    lines = marker.lines()
    assert lines.count("app signal INT") == 1, lines
    assert "app cleanup-done" in lines
    # From the terminal, not forwarded: gracefulinit never saw a SIGINT.
    assert "received SIGINT" not in init.stderr()


def send_line(master, text):
    os.write(master, text.encode() + b"\n")


def test_interactive_shell_has_job_control(start, pty, tmp_path):
    master, slave = pty
    init = start(["--", "sh", "-i"], stdin=slave, preexec_fn=own_terminal)

    def result(name, timeout=10):
        path = tmp_path / name
        wait_until(lambda: path.exists() and path.read_text().endswith("\n"), timeout,
                   what=f"{name} from the shell; its stderr: {init.stderr()!r}")
        drain(master)
        return path.read_text().split()

    # A background job gets a process group of its own.
    send_line(master, "sleep 30 &")
    send_line(master, f'echo $$ $(cut -d" " -f5 /proc/$$/stat) $! $(cut -d" " -f5 /proc/$!/stat) > {tmp_path}/bg')
    shell, shell_pgrp, job, job_pgrp = map(int, result("bg"))
    assert shell_pgrp == shell
    assert job_pgrp == job != shell_pgrp

    # A foreground job gets its own group and the terminal.
    send_line(master, f'sh -c \'cut -d" " -f1,5,8 /proc/$$/stat\' > {tmp_path}/fg')
    pid, pgrp, tpgid = map(int, result("fg"))
    assert pgrp == pid == tpgid != shell_pgrp

    # Ctrl-Z stops the foreground job; the shell takes the terminal back.
    send_line(master, "sleep 31")

    def sleeper():
        for p in namespace_procs(init):
            if p["comm"] == "sleep" and p["tpgid"] == p["pgrp"] and p["pgrp"] != shell_pgrp:
                return p
        return None
    wait_until(sleeper, 10, what="sleep 31 in the foreground")
    os.write(master, b"\x1a")
    send_line(master, f"jobs > {tmp_path}/jobs")
    jobs = " ".join(result("jobs"))
    assert "Stopped" in jobs and "sleep 31" in jobs, jobs
    assert "Running" in jobs and "sleep 30" in jobs, jobs

    # fg resumes it in the foreground; Ctrl-C (from the terminal) ends it.
    send_line(master, "fg %2")
    wait_until(lambda: (p := sleeper()) and p["state"] != "T", 10, what="sleep 31 resumed by fg")
    os.write(master, b"\x03")
    send_line(master, f"echo $? > {tmp_path}/fgstatus")
    assert result("fgstatus") == ["130"]

    send_line(master, "kill %1; exit 0")
    assert init.wait() == 0


def background_of_terminal():
    """gracefulinit started as a background job: the session owns the
    terminal, but a holder process in another group is its foreground."""
    own_terminal()
    holder = os.fork()
    if holder == 0:
        try:
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.setpgid(0, 0)
            os.tcsetpgrp(0, os.getpid())
            os.execv("/bin/sleep", ["sleep", "30"])
        finally:
            os._exit(1)
    deadline = time.monotonic() + 5
    while os.tcgetpgrp(0) != holder and time.monotonic() < deadline:
        time.sleep(0.001)


def test_background_start_leaves_the_terminal_alone(start, marker, pty):
    """Not PID 1, started in the background of a shell: the command must
    not take the terminal from the shell's foreground job."""
    master, slave = pty
    init = start(["--", *app(marker=marker)], stdin=slave, preexec_fn=background_of_terminal, pidns=False)
    marker.wait_for("app start")
    command = int(re.search(r"app start pid=(\d+)", marker.lines()[0]).group(1))
    st = proc_stat(command)
    assert st["pgrp"] == command
    assert st["tpgid"] not in (command, init.pid) and st["tpgid"] > 0, st
    assert st["state"] in "SR"
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_ctrl_z_under_a_shell_stops_gracefulinit_too_and_fg_continues_both(marker, pty, tmp_path):
    """gracefulinit as a job of an interactive shell (a developer's terminal,
    docker exec -it): Ctrl-Z stops the command, and gracefulinit follows, so
    the shell gets its prompt back; fg continues both, with the command in
    the foreground again. The shell is PID 1 of a fresh namespace."""
    master, slave = pty
    shell = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "sh", "-i"],
                             stdin=slave, stdout=slave, stderr=slave, preexec_fn=own_terminal,
                             env={"PATH": "/usr/bin:/bin", "PS1": "$ "})
    try:
        def result(name, timeout=10):
            path = tmp_path / name
            wait_until(lambda: path.exists() and path.read_text().endswith("\n"), timeout,
                       what=f"{name} from the shell")
            drain(master)
            return path.read_text().split()

        def find(comm):
            return next((p for p in descendants(shell.pid) if (proc_stat(p) or {}).get("comm") == comm), None)

        send_line(master, f"{GRACEFULINIT} -- {' '.join(app('--cleanup', '100', marker=marker))}")
        marker.wait_for("app start")
        init, command = find("gracefulinit"), find("testapp")
        os.write(master, b"\x1a")  # the SUSP character: SIGTSTP to the foreground group
        wait_until(lambda: all((proc_stat(p) or {}).get("state") == "T" for p in (init, command)), 10,
                   what="gracefulinit and the command to be stopped")
        send_line(master, f"jobs > {tmp_path}/jobs")
        assert "Stopped" in " ".join(result("jobs"))  # the prompt is back

        send_line(master, "fg")
        wait_until(lambda: all((proc_stat(p) or {}).get("state") in ("S", "R") for p in (init, command)), 10,
                   what="fg to continue both")
        wait_until(lambda: proc_stat(command)["tpgid"] == command, 10, what="the command in the foreground")
        os.write(master, b"\x03")  # Ctrl-C reaches it from the terminal again
        send_line(master, f"echo $? > {tmp_path}/status")
        assert result("status") == ["0"]
        assert "app cleanup-done" in marker.lines()
        send_line(master, "exit 0")
        shell.wait(10)
    finally:
        shell.kill()
        shell.wait(10)
