"""gracefulinit under a real Docker engine: docker stop, kill, top, inspect
and logs on FROM scratch images (see conftest.py).

Stop times are measured around the `docker stop` client call and recorded
next to docker's timeout; the bounds asserted are generous (the machine is
shared), the figures are in the run's summary.
"""
import json
import os
import re
import select
import time

import pytest

from conftest import APPUSER_UID
from gitest.wait import wait_until

# The documented entrypoint: the whole container, gracefulinit included,
# runs as appuser.
ENTRYPOINT = '["/sbin/gracefulinit", "--user", "appuser", "--"]'


def entrypoint(*options):
    return json.dumps(["/sbin/gracefulinit", "--user", "appuser", *options, "--"])


def processes(docker, name, expected, timeout=10):
    """docker top once it lists at least `expected` processes."""
    return wait_until(lambda: (lambda rows: rows if len(rows) >= expected else None)(docker.top(name)),
                      timeout, what=f"{expected} processes in docker top {name}")


# ------------------------------------------------------------ docker stop

# Exec form; shell form where sh execs the single command (busybox and dash
# both do); shell form where the shell stays in between because a command
# follows the app.
STOP_CASES = {
    "exec-form": ('CMD ["testapp", "--cleanup", "2000"]', 0, False),
    "shell-form": ("CMD testapp --cleanup 2000", 0, False),
    # The shell dies of the SIGTERM sent to the whole group (sh does not trap
    # it) and is the main command: 143, after the app has finished cleaning up.
    "shell-form-shell-stays": ('CMD testapp --cleanup 2000; echo "shell: app exited $?"', 143, True),
}


@pytest.mark.parametrize("case", STOP_CASES)
def test_docker_stop_waits_for_the_cleanup_not_the_timeout(docker, image, container, record, case):
    cmd, status, shell_stays = STOP_CASES[case]
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", cmd))
    docker.wait_log(name, "app start")
    comms = [p["comm"] for p in processes(docker, name, 3 if shell_stays else 2)]
    assert ("sh" in comms) == shell_stays, comms

    took = docker.stop(name)
    record(f"docker stop, {case}, app cleanup 2.0 s (docker stop -t 10)", f"{took:.2f} s")

    logs = docker.logs(name)
    assert "app signal TERM" in logs
    assert "app cleanup-done" in logs
    assert "gracefulinit: received SIGTERM; forwarded SIGTERM" in logs
    assert docker.exit_code(name) == status
    assert 1.8 <= took < 7, f"docker stop took {took:.2f}s for a 2 s cleanup"


def test_app_ignoring_sigterm_is_killed_at_grace_not_at_docker_timeout(docker, image, container, record):
    name = container(image(f"ENTRYPOINT {entrypoint('--grace', '3')}", 'CMD ["testapp", "--ignore-term"]'))
    docker.wait_log(name, "app start")

    took = docker.stop(name, timeout=20)
    record("docker stop -t 20, app ignores SIGTERM, --grace 3", f"{took:.2f} s")

    assert docker.exit_code(name) == 137
    logs = docker.logs(name)
    assert "gracefulinit: grace period 3s expired; killed 1 process: " in logs, logs
    assert "(testapp)" in logs
    assert 2.8 <= took < 10, f"docker stop took {took:.2f}s with --grace 3 and -t 20"


def test_without_init_the_same_app_runs_into_docker_timeout(docker, image, container, record):
    """The contrast: the ignoring app as PID 1 itself."""
    tag = image('ENTRYPOINT ["testapp", "--ignore-term"]')
    name = container("--user", "appuser", tag)
    docker.wait_log(name, "app start")

    took = docker.stop(name, timeout=20)
    record("docker stop -t 20, app ignores SIGTERM, no init", f"{took:.2f} s")

    assert docker.exit_code(name) == 137
    assert took >= 19.5


# ------------------------------------------------------------ identity

def test_no_process_runs_as_root(docker, image, container):
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", "CMD testapp --daemon; echo shell: done"))
    docker.wait_log(name, "daemon start")
    rows = processes(docker, name, 4)  # gracefulinit, sh, testapp, the daemon
    assert {p["uid"] for p in rows} == {APPUSER_UID}, rows
    assert rows[0]["args"].startswith("/sbin/gracefulinit"), rows
    docker.stop(name)


def test_started_non_root_the_user_switch_is_skipped(docker, image, container):
    """docker run --user (Kubernetes runAsUser, OpenShift) on an image whose
    entrypoint asks for --user: gracefulinit cannot switch, says so, runs."""
    name = container("--user", "2000:2000", image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--cleanup", "200"]'))
    docker.wait_log(name, "app start")
    rows = processes(docker, name, 2)
    assert {p["uid"] for p in rows} == {2000}, rows
    docker.stop(name)
    assert docker.exit_code(name) == 0
    assert "app cleanup-done" in docker.logs(name)


def test_user_switch_needs_only_setuid_setgid_setpcap(docker, image, container):
    """What kubernetes.md tells a pod that drops ALL capabilities to add."""
    name = container("--cap-drop", "ALL", "--cap-add", "SETUID", "--cap-add", "SETGID", "--cap-add", "SETPCAP",
                     image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--report"]'))
    docker.wait_log(name, "app start")
    logs = docker.logs(name)
    assert "app status Uid 1000 1000 1000 1000" in logs, logs
    assert "app status CapEff 0000000000000000" in logs, logs
    docker.stop(name)
    assert docker.exit_code(name) == 0


def test_unknown_user_is_125(docker, image, container):
    name = container(image('ENTRYPOINT ["/sbin/gracefulinit", "--user", "nosuchuser", "--"]',
                           'CMD ["testapp"]'))
    docker.wait_exited(name, 20)
    assert docker.exit_code(name) == 125
    assert "nosuchuser" in docker.logs(name)


# ------------------------------------------------------------ signals

def test_kill_usr1_and_hup_reach_the_app_behind_a_shell(docker, image, container):
    # A wrapper shell that stays (a command follows the app) and traps USR1
    # and HUP, as one must: their default action would end the shell. sh
    # passes neither on; gracefulinit signals the whole process group.
    name = container(image(
        f"ENTRYPOINT {ENTRYPOINT}",
        "CMD trap 'echo shell: USR1' USR1; trap 'echo shell: HUP' HUP; testapp; echo shell: done"))
    docker.wait_log(name, "app start")
    assert "sh" in [p["comm"] for p in processes(docker, name, 3)]

    docker("kill", "-s", "USR1", name)
    docker.wait_log(name, "app signal USR1")
    docker("kill", "-s", "HUP", name)
    docker.wait_log(name, "app signal HUP")

    assert docker.running(name)
    assert [p["comm"] for p in docker.top(name)].count("testapp") == 1
    docker.stop(name)
    assert "app cleanup-done" in docker.logs(name)


def test_a_shell_that_stays_dies_of_hup_and_the_container_stops(docker, image, container):
    """What docker.md warns about: the shell is the main command and HUP's
    default action ends it; gracefulinit then terminates the rest."""
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", "CMD testapp --cleanup 200; echo shell: done"))
    docker.wait_log(name, "app start")
    processes(docker, name, 3)
    docker("kill", "-s", "HUP", name)
    docker.wait_exited(name, 10)
    logs = docker.logs(name)
    assert "app signal HUP" in logs and "app signal TERM" in logs and "app cleanup-done" in logs, logs
    assert "shell: done" not in logs
    assert docker.exit_code(name) == 128 + 1


def test_stopsignal_in_the_image(docker, image, container, record):
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", "STOPSIGNAL SIGINT",
                           'CMD ["testapp", "--cleanup", "1000", "--term-exit", "3"]'))
    docker.wait_log(name, "app start")
    took = docker.stop(name)
    record("docker stop, STOPSIGNAL SIGINT, app cleanup 1.0 s (docker stop -t 10)", f"{took:.2f} s")
    logs = docker.logs(name)
    assert "app signal INT" in logs and "app signal TERM" not in logs
    assert "gracefulinit: received SIGINT; forwarded SIGINT" in logs
    assert docker.exit_code(name) == 3
    assert took < 6


def test_stop_signal_given_to_docker_run(docker, image, container):
    name = container("--stop-signal", "SIGINT",
                     image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--cleanup", "500"]'))
    docker.wait_log(name, "app start")
    docker.stop(name)
    logs = docker.logs(name)
    assert "app signal INT" in logs and "app cleanup-done" in logs
    assert docker.exit_code(name) == 0


def test_rewrite_term_to_quit_for_nginx_style_apps(docker, image, container):
    # nginx stops gracefully on QUIT; docker stop sends TERM.
    name = container(image(f"ENTRYPOINT {entrypoint('--rewrite', 'TERM:QUIT')}",
                           'CMD ["testapp", "--stop-after-signals", "1", "--cleanup", "500"]'))
    docker.wait_log(name, "app start")
    took = docker.stop(name)
    logs = docker.logs(name)
    assert "app signal QUIT" in logs and "app signal TERM" not in logs, logs
    assert "gracefulinit: received SIGTERM; forwarded SIGQUIT" in logs
    assert "app cleanup-done" in logs
    assert docker.exit_code(name) == 0
    assert took < 6


# ------------------------------------------------------------ zombies

def zombies_in(docker, name):
    """Zombie processes in the container, read from /proc on the host: the
    children of the container's PID 1 that have exited and not been reaped.
    (docker top cannot show them here: on cgroup v1 an exiting process leaves
    its cgroup before it becomes a zombie, and docker top lists the cgroup.)"""
    init = int(docker.inspect(name, "{{.State.Pid}}"))
    try:
        with open(f"/proc/{init}/task/{init}/children") as f:
            children = [int(w) for w in f.read().split()]
    except FileNotFoundError:
        return []
    found = []
    for pid in children:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    found.append(pid)
        except FileNotFoundError:
            pass
    return found


@pytest.mark.parametrize("with_init", [True, False], ids=["gracefulinit", "no-init"])
def test_orphans_leave_no_zombies(docker, image, container, with_init):
    entry = ENTRYPOINT if with_init else '["testapp", "--name", "app"]'
    cmd = '["testapp", "--orphans", "20"]' if with_init else '["--orphans", "20"]'
    name = container(image(f"ENTRYPOINT {entry}", f"CMD {cmd}"))
    docker.wait_log(name, "app orphans 20")

    if with_init:
        wait_until(lambda: not zombies_in(docker, name), 10, what=f"no zombies in {name}")
        time.sleep(0.5)
        assert zombies_in(docker, name) == []
        rows = docker.top(name)
        assert [p["comm"] for p in rows] == ["gracefulinit", "testapp"], rows
        assert not [p for p in rows if p["stat"].startswith("Z")]
    else:
        # The contrast proves the check sees zombies: an app as PID 1 that
        # never reaps keeps every one of them.
        wait_until(lambda: len(zombies_in(docker, name)) >= 20, 10, what="20 zombies without an init")
    docker.stop(name, timeout=2)


# ------------------------------------------------------------ exit statuses

EXIT_CASES = {
    0: ('["testapp", "--exit", "0"]', None),
    7: ('["testapp", "--exit", "7"]', None),
    126: ('["/bin/notexec"]', "gracefulinit: cannot run '/bin/notexec': Permission denied"),
    127: ('["no-such-command"]', "gracefulinit: cannot run 'no-such-command': No such file or directory"),
    137: ("""["sh", "-c", "kill -KILL $$"]""", None),
    143: ("""["sh", "-c", "kill -TERM $$"]""", None),
}


@pytest.mark.parametrize("status", EXIT_CASES)
def test_exit_status_in_docker_inspect(docker, image, container, status):
    cmd, message = EXIT_CASES[status]
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", f"CMD {cmd}"))
    docker.wait_exited(name, 20)
    assert docker.exit_code(name) == status, docker.logs(name)
    if message:
        assert message in docker.logs(name)


def test_docker_stop_of_an_app_that_dies_of_sigterm_is_143(docker, image, container):
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["sleep", "600"]'))
    processes(docker, name, 2)
    took = docker.stop(name)
    assert docker.exit_code(name) == 143
    assert took < 5


# ------------------------------------------------------------ terminal

def read_until(fd, text, timeout):
    """Reads the pty master until text appears; returns all that was read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"timed out waiting for {text!r} on the terminal; got {seen!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the client closed the terminal
                chunk = b""
            if not chunk:
                pytest.fail(f"terminal closed before {text!r}; got {seen!r}")
            seen += chunk
    return seen.decode(errors="replace")


def test_ctrl_c_on_docker_run_it_stops_the_app(docker, image):
    """docker run -it on our own pseudo-terminal; Ctrl-C is the INTR
    character typed into it, which the container's terminal turns into
    SIGINT for its foreground process group: the app's, not gracefulinit's."""
    import pty
    tag = image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--cleanup", "300", "--term-exit", "5"]')
    name = f"gi-e2e-tty-{os.getpid()}"
    master, slave = pty.openpty()
    client = docker.popen("run", "-it", "--name", name, "--network", "none", tag,
                          stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    try:
        read_until(master, "app start", 20)
        wait_until(lambda: docker.running(name), 10, what="container running")
        os.write(master, b"\x03")
        out = read_until(master, "app exit 5", 20)
        assert "app signal INT" in out
        assert client.wait(20) == 5
        assert docker.exit_code(name) == 5
        # The INTR character went to the app's group only.
        assert "gracefulinit: received" not in docker.logs(name)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait(10)
        os.close(master)
        docker("rm", "-f", name, check=False)


def test_docker_kill_int_stops_an_app_on_a_terminal(docker, image, container):
    name = container("-t", image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--cleanup", "300"]'))
    docker.wait_log(name, "app start")
    docker("kill", "-s", "INT", name)
    docker.wait_exited(name, 10)
    logs = docker.logs(name)
    assert "app signal INT" in logs and "app cleanup-done" in logs
    assert "gracefulinit: received SIGINT; forwarded SIGINT" in logs
    assert docker.exit_code(name) == 0


# ------------------------------------------------------------ docker run --init

def test_behind_docker_run_init_gracefulinit_is_a_subreaper(docker, image, container, record):
    """migrating.md: left in place, --init adds a hop and changes nothing
    else. gracefulinit is docker-init's child, not PID 1, and still waits
    for the cleanup and reaps the orphans."""
    name = container("--init", image(f"ENTRYPOINT {ENTRYPOINT}",
                                     'CMD ["testapp", "--cleanup", "1000", "--orphans", "5"]'))
    docker.wait_log(name, "app orphans 5")
    rows = processes(docker, name, 3)
    assert [p["comm"] for p in rows][:3] == ["docker-init", "gracefulinit", "testapp"], rows
    took = docker.stop(name)
    record("docker stop, behind docker run --init, app cleanup 1.0 s (docker stop -t 10)", f"{took:.2f} s")
    assert "app cleanup-done" in docker.logs(name)
    assert docker.exit_code(name) == 0
    assert took < 6


def test_long_drain_gets_the_whole_docker_timeout_without_grace(docker, image, container, record):
    """No --grace: a 12 s drain under docker stop -t 20 completes. The old
    default (9 s) cut it; now the only SIGKILL would be docker's, at 20 s,
    and the 9 s notice says what held the stop up."""
    name = container(image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--cleanup", "12000"]'))
    docker.wait_log(name, "app start")
    took = docker.stop(name, timeout=20)
    record("docker stop -t 20, app cleanup 12 s, no --grace", f"{took:.2f} s")
    logs = docker.logs(name)
    assert "app cleanup-done" in logs, logs
    assert docker.exit_code(name) == 0
    assert "9 s after the stop signal, 1 process is still running" in logs, logs
    assert 11.5 <= took < 19, took


def test_oom_kill_under_docker_memory_is_named(docker, image, container):
    """docker run --memory: the kernel's OOM killer ends a child that
    allocates past the limit, and gracefulinit names it."""
    name = container("--memory", "64m", "--memory-swap", "64m",
                     image(f"ENTRYPOINT {ENTRYPOINT}", 'CMD ["testapp", "--allocate", "200"]'))
    docker.wait_exited(name, 30)
    logs = docker.logs(name)
    assert re.search(r"gracefulinit: \d+ \(testapp\) was killed by the kernel's OOM killer "
                     r"\(memory limit 64 MiB\)", logs), logs
    assert "allocated" not in logs
    assert docker.exit_code(name) == 137
