"""gracefulinit(1), STOPPING: nothing outside gracefulinit's descendants is
touched, and the leftovers are found, or honestly not, whatever /proc shows.
Each test runs gracefulinit as a subreaper under a shell that is PID 1 of a
fresh namespace, so that the test controls that namespace's pids and mounts."""
import re
import subprocess

import pytest

from conftest import GRACEFULINIT

# The command: it notes its pid in $1.command and leaves a setsid daemon
# that ignores SIGTERM (the ignored disposition survives exec), so only the
# deadline's SIGKILL ends it. The daemon notes its pid in $1, forks nothing.
DAEMON = ("echo $$ > \"$1.command\"; "
          "setsid sh -c 'echo $$ > \"$0\"; trap \"\" TERM; exec sleep 300' \"$1\" & "
          "while ! [ -s \"$1\" ]; do sleep 0.01; done; exit 0")
KILLED_THE_DAEMON = r"grace period \d+s expired; killed 1 process: (\d+) \(sleep\)"


def run_in_namespace(tmp_path, script, mount_proc=True, timeout=30):
    """The outer shell, PID 1 of its namespace; --kill-child ends it all.
    $1 is gracefulinit, $2 the command's script, $3 the daemon's pid file."""
    argv = ["unshare", "--pid", "--fork", "--kill-child"]
    argv += ["--mount-proc"] if mount_proc else ["--mount"]
    argv += ["--", "sh", "-c", script, "sh", GRACEFULINIT, DAEMON, str(tmp_path / "daemon.pid")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    return done.stdout, done.stderr


def test_deadline_kill_spares_a_process_that_took_the_old_group_number(tmp_path):
    """The command (pid C, group C) exits; its group empties. A stranger,
    started by PID 1 after ns_last_pid is wound back, gets pid C and makes
    itself group C. gracefulinit used to SIGKILL group C at the deadline."""
    out, err = run_in_namespace(tmp_path, '''
        "$1" --grace 2s -- sh -c "$2" sh "$3" &
        gi=$!
        sleep 1
        command=$(cat "$3.command")
        echo "command $command"
        echo $((command - 1)) > /proc/sys/kernel/ns_last_pid
        setsid sleep 300 &
        victim=$!
        echo "victim $victim"
        wait $gi
        echo "gracefulinit exit $?"
        if kill -0 $victim; then echo VICTIM ALIVE; kill $victim; else echo VICTIM DEAD; fi
    ''')
    command = (tmp_path / "daemon.pid.command").read_text().strip()
    assert f"victim {command}" in out, (out, err)  # else the test proved nothing
    assert "gracefulinit exit 0" in out, (out, err)
    assert "VICTIM ALIVE" in out, (out, err)
    killed = re.search(KILLED_THE_DAEMON, err)
    assert killed and killed.group(1) == (tmp_path / "daemon.pid").read_text().strip(), err


def test_outer_proc_still_finds_and_kills_the_leftovers(tmp_path):
    """/proc not remounted: it is the host's, where gracefulinit is not pid
    2. NSpid renumbers: the daemon is named by its pid in the namespace,
    killed, and gracefulinit exits without waiting for ever."""
    out, err = run_in_namespace(tmp_path, '''
        "$1" --grace 1s -- sh -c "$2" sh "$3" &
        gi=$!
        wait $gi
        echo "gracefulinit exit $?"
        if kill -0 "$(cat "$3")"; then echo DAEMON ALIVE; else echo DAEMON GONE; fi
    ''', mount_proc=False)
    assert "gracefulinit exit 0" in out, (out, err)
    killed = re.search(KILLED_THE_DAEMON, err)
    # The daemon's own $$ is its pid in the namespace: the one named.
    assert killed and killed.group(1) == (tmp_path / "daemon.pid").read_text().strip(), err
    assert "DAEMON GONE" in out, (out, err)


def test_no_proc_at_all_claims_no_kill_and_exits_at_the_deadline(tmp_path):
    """An empty /proc: the leftovers cannot be seen. gracefulinit says so,
    sends nothing to numbers it cannot vouch for, and exits at the deadline
    with the command's status instead of waiting for ever."""
    with open(GRACEFULINIT, "rb") as f:
        if b"AddressSanitizer" in f.read():
            pytest.skip("the sanitizer runtime itself fails without /proc")
    out, err = run_in_namespace(tmp_path, '''
        mount -t tmpfs none /proc
        "$1" --grace 1s -- sh -c "$2" sh "$3" &
        gi=$!
        wait $gi
        echo "gracefulinit exit $?"
        kill -0 "$(cat "$3")" && echo DAEMON ALIVE
    ''', mount_proc=False)
    assert "gracefulinit exit 0" in out, (out, err)
    assert "cannot list the remaining processes (/proc does not show gracefulinit) to send them SIGTERM" in err
    assert "grace period 1s expired; cannot list the remaining processes" in err, err
    assert "gracefulinit exits without them" in err, err
    assert "killed" not in err, err
    assert "DAEMON ALIVE" in out, (out, err)
