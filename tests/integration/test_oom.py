"""gracefulinit(1), LOGGING: a child the kernel's OOM killer ends is named,
for the main command and for any other child (an orphan reparented to
gracefulinit), and the last stop notice goes to the termination log
Kubernetes shows. The memory cgroup is the test's own, on this machine's
hierarchy (v1 or v2)."""
import os
import re
import signal
import time
import uuid

import pytest

from conftest import app, kill_runs

ALLOCATE = "import time; b = bytearray(256 << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(30)"


@pytest.fixture
def memory_cgroup(started_runs):
    """A fresh memory cgroup limited to 64 MiB; exec_via to run in it."""
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers") and \
            "memory" in open("/sys/fs/cgroup/cgroup.controllers").read():
        path, limit = f"/sys/fs/cgroup/gi-oom-{uuid.uuid4().hex[:8]}", "memory.max"
    elif os.path.isdir("/sys/fs/cgroup/memory"):
        path, limit = f"/sys/fs/cgroup/memory/gi-oom-{uuid.uuid4().hex[:8]}", "memory.limit_in_bytes"
    else:
        pytest.fail("no memory cgroup controller on this machine")
    os.mkdir(path)
    with open(os.path.join(path, limit), "w") as f:
        f.write(str(64 << 20))
    swap = os.path.join(path, "memory.swap.max")
    if os.path.exists(swap):
        with open(swap, "w") as f:
            f.write("0")
    yield ["sh", "-c", f'echo $$ > {path}/cgroup.procs && exec "$@"', "sh"]
    kill_runs(started_runs)  # rmdir fails while anything is in it
    for _ in range(100):
        try:
            os.rmdir(path)
            break
        except OSError:
            time.sleep(0.05)


def test_main_command_killed_by_the_oom_killer_is_named(start, memory_cgroup, tmp_path):
    record = tmp_path / "termination-log"
    record.write_text("")
    init = start(["--", "python3", "-c", ALLOCATE], exec_via=memory_cgroup,
                 env={"GRACEFULINIT_TERMINATION_LOG": str(record)})
    assert init.wait(30) == 128 + signal.SIGKILL
    line = re.search(r"gracefulinit: \d+ \(python3\) was killed by the kernel's OOM killer \(memory limit 64 MiB\)",
                     init.stderr())
    assert line, init.stderr()
    assert record.read_text() == line.group(0) + "\n"


def test_oom_kill_named_with_a_long_proc_self_cgroup(start, memory_cgroup, tmp_path):
    """cgroup v1 without a cgroup namespace (Kubernetes with the systemd
    driver) lists a dozen long paths: /proc/self/cgroup passes 1,024 bytes,
    and the memory cgroup's line comes after that. gracefulinit reads it
    whole. The padded file is bind-mounted over PID 1's before it starts."""
    padded = tmp_path / "cgroup"
    pad = ('for i in $(seq 40); do echo "$((i + 100)):fake_$i:/kubepods.slice/kubepods-burstable.slice/'
           'kubepods-burstable-pod$i.slice"; done')
    script = memory_cgroup[2].replace(' && exec "$@"', f' && {{ {pad}; cat /proc/1/cgroup; }} > {padded} && '
                                      f'mount --bind {padded} /proc/1/cgroup && exec "$@"')
    init = start(["--", "python3", "-c", ALLOCATE], exec_via=[*memory_cgroup[:2], script, *memory_cgroup[3:]])
    assert init.wait(30) == 128 + signal.SIGKILL
    assert os.path.getsize(padded) > 2048
    assert re.search(r"\d+ \(python3\) was killed by the kernel's OOM killer \(memory limit 64 MiB\)",
                     init.stderr()), init.stderr()


def test_orphan_killed_by_the_oom_killer_is_named(start, memory_cgroup, tmp_path):
    """The shell exits once python3 runs; python3, reparented to
    gracefulinit and ignoring the leftovers' SIGTERM, then allocates, and
    gracefulinit reaps and names it."""
    ready = tmp_path / "ready"
    orphan = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
              f"open('{ready}', 'w').close(); time.sleep(0.5); " + ALLOCATE)
    script = f'python3 -c "{orphan}" & while ! [ -e {ready} ]; do sleep 0.01; done; exit 0'
    init = start(["--", "sh", "-c", script], exec_via=memory_cgroup)
    assert init.wait(30) == 0
    assert re.search(r"\d+ \(python3\) was killed by the kernel's OOM killer \(memory limit 64 MiB\)",
                     init.stderr()), init.stderr()


def test_sigkill_from_someone_else_is_no_oom_kill(start, marker, memory_cgroup):
    init = start(["--", *app(marker=marker)], exec_via=memory_cgroup)
    marker.wait_for("app start")
    os.kill(init.children()[0], signal.SIGKILL)
    assert init.wait() == 137
    assert "OOM" not in init.stderr()


def test_last_stop_notice_goes_to_the_termination_log(start, marker, tmp_path):
    record = tmp_path / "termination-log"
    record.write_text("old\n")
    init = start(["--grace", "1s", "--", *app("--ignore-term", marker=marker)],
                 env={"GRACEFULINIT_TERMINATION_LOG": str(record)})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert re.fullmatch(r"gracefulinit: grace period 1s expired; killed 1 process: \d+ \(testapp\)\n",
                        record.read_text()), record.read_text()


def test_missing_termination_log_is_not_created(start, marker, tmp_path):
    record = tmp_path / "none"
    init = start(["--grace", "1s", "--", *app("--ignore-term", marker=marker)],
                 env={"GRACEFULINIT_TERMINATION_LOG": str(record)})
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait(10) == 137
    assert not record.exists()
