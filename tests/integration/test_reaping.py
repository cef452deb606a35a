"""gracefulinit(1), RUNNING and START-UP: every orphan is reaped, as PID 1
and as a child subreaper when gracefulinit is not PID 1."""
import re
import signal

import pytest

from conftest import NO_SUBREAPER, TESTAPP, app, namespace_procs
from gitest.procfs import stat as proc_stat
from gitest.wait import wait_until


def zombies(init):
    return [p for p in namespace_procs(init) if p["state"] == "Z"]


def test_ten_thousand_orphaned_zombies_are_reaped(start, marker):
    init = start(["--", *app("--orphans", "10000", marker=marker)])
    marker.wait_for("app orphans 10000", timeout=60)
    # Only the command remains in the namespace: no zombie, no one else.
    wait_until(lambda: [p["comm"] for p in namespace_procs(init)] == ["testapp"], 20,
               what=f"the orphans to be reaped: {len(zombies(init))} zombies left")
    assert init.children() == [namespace_procs(init)[0]["pid"]]
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_orphans_burst_does_not_lose_the_main_exit(start, marker):
    """The command's own exit arrives among thousands of SIGCHLDs."""
    init = start(["--", *app("--orphans", "1000", "--exit", "5", marker=marker)])
    assert init.wait(60) == 5
    assert marker.has("app orphans 1000")


def reparented_orphan(marker):
    """A shell that starts a testapp in the background and exits as soon as
    it runs: the testapp is orphaned and reparented."""
    script = ('"$0" --name orphan --marker "$1" --cleanup 1000 & '
              'until grep -qs "orphan start" "$1"; do sleep 0.05; done; exit 3')
    return ["sh", "-c", script, TESTAPP, marker.path]


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_orphan_is_reparented_to_gracefulinit_and_drained(start, marker, pidns):
    init = start(["--grace", "5s", "--", *reparented_orphan(marker)], pidns=pidns)
    marker.wait_for("orphan signal TERM")
    orphan = int(re.search(r"orphan start pid=(\d+)", "\n".join(marker.lines())).group(1))
    if not pidns:
        # Not PID 1: gracefulinit is a child subreaper, so the orphan is
        # its child now, not the host init's.
        assert proc_stat(orphan)["ppid"] == init.pid
    else:
        assert init.children() and proc_stat(init.children()[0])["ppid"] == init.pid
    assert init.wait(10) == 3
    assert marker.has("orphan cleanup-done")


def test_orphaned_zombies_are_reaped_when_not_pid1(start, marker):
    """Reparented to gracefulinit (child subreaper) and reaped by it: its
    debug log counts the reaps; without the subreaper the host's init
    would reap them and the count would be 0."""
    init = start(["-v", "--", *app("--orphans", "500", marker=marker)], pidns=False)
    marker.wait_for("app orphans 500", timeout=30)
    [command] = wait_until(lambda: init.children() if len(init.children()) == 1 else None, 10,
                           what="gracefulinit to have the command as its only child")
    assert proc_stat(command)["comm"] == "testapp"
    wait_until(lambda: init.stderr().count("gracefulinit: reaped ") >= 500, 10,
               what=f"500 reaps in the debug log: {init.stderr().count('reaped ')}")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_subreaper_refused_is_a_notice_not_a_failure(start, marker):
    """qemu-user answers EINVAL to PR_SET_CHILD_SUBREAPER: gracefulinit says
    so and runs the command anyway, with its status passed through."""
    init = start(["--", *app("--exit", "5", marker=marker)], pidns=False, exec_via=NO_SUBREAPER)
    assert init.wait() == 5
    assert "cannot become a child subreaper (Invalid argument): orphans go to PID 1" in init.stderr()
    assert marker.has("app start")
