"""gracefulinit(1), RELOADING ON CHANGE: --watch sends the command a signal,
or restarts it, when a file or directory changes, as PID 1 and as the
unprivileged user. Each change is made here for real, step by step as the
tool that makes it would (an editor, the kubelet), and each outcome is a
line in testapp's marker: "app signal HUP", "app start ...".

A change's action comes --watch-settle after it; the tests use 300 ms and
wait up to seconds for it, then wait past a second settle to see that no
second action follows. The latency itself is the benchmark's
(bench/watch.py)."""
import os
import shutil
import signal
import threading
import time
import urllib.request

import pytest

from conftest import Marker, app
from gitest import nginx, procfs
from gitest.net import free_port
from gitest.wait import wait_until

APP_UID = 4321
SETTLE = ["--watch-settle", "300ms"]
QUIET = 1.2  # past the settle time: a second action would have come by then
# Where a test counts the actions of a burst exactly: a pause of the test
# itself on a loaded machine must not split the burst in two.
SLOW_SETTLE = ["--watch-settle", "1500ms"]
SLOW_QUIET = 3.0


def signals(marker, name):
    return sum(l.endswith(f"signal {name}") for l in marker.lines())


def expect_signals(marker, name, count, init, quiet=QUIET):
    marker.wait_for(f"signal {name}", timeout=10, count=count)
    time.sleep(quiet)
    assert signals(marker, name) == count, (marker.lines(), init.stderr())


@pytest.fixture
def cfg(public_dir):
    """A directory the app's user may read, for what is watched."""
    path = public_dir / "cfg"
    path.mkdir()
    os.chmod(path, 0o755)
    return path


@pytest.fixture
def app_marker(public_dir):
    """testapp's marker, where the app's user may write it."""
    return Marker(public_dir / "marker")


def watched(start, marker, *watch, settle=SETTLE):
    init = start(["--user", str(APP_UID), *[a for w in watch for a in ("--watch", w)], *settle, "--",
                  *app(marker=marker, name="app")])
    marker.wait_for("app start")
    return init


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)
    os.chmod(path, 0o644)


def test_a_write_sends_hup_once(start, cfg, app_marker):
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = watched(start, app_marker, str(conf))
    write(conf, "b\n", "a")
    expect_signals(app_marker, "HUP", 1, init)
    assert f"{conf} changed (--watch): SIGHUP" in init.stderr(), init.stderr()
    assert init.running()


def test_an_editors_replace(start, cfg, app_marker):
    """vim and most editors: a new file, then renamed over the old one."""
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = watched(start, app_marker, str(conf))
    write(cfg / ".app.conf.swp", "b\n")
    os.rename(cfg / ".app.conf.swp", conf)
    expect_signals(app_marker, "HUP", 1, init)
    # The replaced file is watched in turn: a write to it is a change too.
    write(conf, "c\n", "a")
    expect_signals(app_marker, "HUP", 2, init)


def kubelet_volume(cfg, stamp, text):
    """What the kubelet's atomic writer leaves: ..STAMP/app.conf, ..data ->
    ..STAMP, app.conf -> ..data/app.conf."""
    data = cfg / f"..{stamp}"
    data.mkdir()
    os.chmod(data, 0o755)
    write(data / "app.conf", text)
    os.symlink(f"..{stamp}", cfg / "..data")
    os.symlink("..data/app.conf", cfg / "app.conf")


def kubelet_swap(cfg, old, new, text):
    """The kubelet's update, step by step: a new timestamped directory, a
    symlink ..data_tmp to it renamed over ..data, the old directory removed."""
    data = cfg / f"..{new}"
    data.mkdir()
    os.chmod(data, 0o755)
    write(data / "app.conf", text)
    os.symlink(f"..{new}", cfg / "..data_tmp")
    os.rename(cfg / "..data_tmp", cfg / "..data")
    shutil.rmtree(cfg / f"..{old}")


def test_the_kubelets_swap_is_one_action_per_path(start, cfg, app_marker):
    """The directory with HUP, the file through its symlinks with USR1: one
    swap, one of each, and the next swap again (the file watched is the new
    one, the old one gone with its directory)."""
    kubelet_volume(cfg, "2026_12_07_1", "v1\n")
    init = watched(start, app_marker, str(cfg), f"{cfg}/app.conf:USR1", settle=SLOW_SETTLE)
    kubelet_swap(cfg, "2026_12_07_1", "2026_12_07_2", "v2\n")
    expect_signals(app_marker, "HUP", 1, init, SLOW_QUIET)
    assert signals(app_marker, "USR1") == 1, app_marker.lines()
    kubelet_swap(cfg, "2026_12_07_2", "2026_12_07_3", "v3\n")
    expect_signals(app_marker, "HUP", 2, init, SLOW_QUIET)
    assert signals(app_marker, "USR1") == 2, app_marker.lines()
    err = init.stderr()
    assert err.count(f"{cfg} changed (--watch): SIGHUP") == 2, err
    assert err.count(f"{cfg}/app.conf changed (--watch): SIGUSR1") == 2, err
    assert "v2" not in err and "v3" not in err, err  # contents are never logged


def test_a_burst_of_writes_is_one_action(start, cfg, app_marker):
    """100 writes, 5 ms apart: within the settle time of each other."""
    conf = cfg / "app.conf"
    write(conf, "")
    init = watched(start, app_marker, str(conf), settle=SLOW_SETTLE)
    for i in range(100):
        write(conf, f"{i}\n", "a")
        time.sleep(0.005)
    expect_signals(app_marker, "HUP", 1, init, SLOW_QUIET)


def test_a_path_created_after_start_and_removed_and_back(start, cfg, app_marker):
    """Nothing of new/sub/app.conf exists at first: the watch is on cfg, then
    moves down as the directories appear."""
    conf = cfg / "new" / "sub" / "app.conf"
    init = watched(start, app_marker, str(conf))
    (cfg / "new").mkdir()
    time.sleep(QUIET)
    assert signals(app_marker, "HUP") == 0, app_marker.lines()  # a directory on the way is no change
    (cfg / "new" / "sub").mkdir()
    os.chmod(cfg / "new", 0o755)
    os.chmod(cfg / "new" / "sub", 0o755)
    write(conf, "a\n")
    expect_signals(app_marker, "HUP", 1, init)
    conf.unlink()
    expect_signals(app_marker, "HUP", 2, init)
    write(conf, "b\n")
    expect_signals(app_marker, "HUP", 3, init)


def test_a_custom_signal_and_the_variables(start, cfg, app_marker):
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = start(["--user", str(APP_UID), "--", *app(marker=app_marker, name="app")],
                 env={"GRACEFULINIT_WATCH": f"{conf}:USR2", "GRACEFULINIT_WATCH_SETTLE": "300ms"})
    app_marker.wait_for("app start")
    write(conf, "b\n", "a")
    expect_signals(app_marker, "USR2", 1, init)
    assert signals(app_marker, "HUP") == 0, app_marker.lines()


def test_a_sigio_sent_to_gracefulinit_is_forwarded(start, cfg, app_marker):
    """The watch's wake-ups are a signal of their own, which queues: a SIGIO
    sent with kill(1) while a change's wake-up is pending still reaches the
    app, and the change still comes (gracefulinit is stopped meanwhile, so
    that both are pending at once)."""
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = watched(start, app_marker, str(conf))
    init.signal(signal.SIGSTOP)
    wait_until(lambda: procfs.stat(init.pid)["state"] == "T", 5, what="gracefulinit stopped")
    write(conf, "b\n", "a")
    init.signal(signal.SIGIO)
    init.signal(signal.SIGCONT)
    app_marker.wait_for("app signal IO")
    expect_signals(app_marker, "HUP", 1, init)
    assert signals(app_marker, "IO") == 1, app_marker.lines()


def test_restart_with_quit_as_the_stop_signal(start, cfg, app_marker):
    """nginx's STOPSIGNAL: the restart's own QUIT is no stop from outside."""
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = start(["--user", str(APP_UID), "--stop-signal", "QUIT", "--watch", f"{conf}:restart", *SETTLE, "--",
                  *app("--stop-after-signals", "1", marker=app_marker, name="app")])
    app_marker.wait_for("app start")
    write(conf, "b\n", "a")
    app_marker.wait_for("app start", count=2, timeout=15)
    assert app_marker.has("app signal QUIT"), app_marker.lines()
    assert init.running()


def test_restart_brings_a_rotated_secret(start, cfg, app_marker):
    """A Swarm secret is 0444: the user reads it again for the new run."""
    secret = cfg / "db_password"
    write(secret, "first-pw-7f3a")
    os.chmod(secret, 0o444)
    init = start(["--user", str(APP_UID), "--secret", f"DB_PASSWORD={secret}", "--watch", f"{secret}:restart",
                  *SETTLE, "--", *app("--env", "DB_PASSWORD", marker=app_marker, name="app")])
    app_marker.wait_for("app env DB_PASSWORD")
    os.chmod(secret, 0o644)
    write(secret, "second-pw-9c1d")
    os.chmod(secret, 0o444)
    app_marker.wait_for("app start", count=2, timeout=15)
    app_marker.wait_for("app env DB_PASSWORD", count=2)
    envs = [l for l in app_marker.lines() if "env DB_PASSWORD" in l]
    assert envs == ["app env DB_PASSWORD " + v.encode().hex() for v in ("first-pw-7f3a", "second-pw-9c1d")], envs
    assert app_marker.has("app signal TERM"), app_marker.lines()  # the graceful stop, as docker stop's
    err = init.stderr()
    assert f"{secret} changed (--watch): restart" in err, err
    assert "restarting it in 100ms (restart 1)" in err, err
    assert "pw-" not in err, err
    assert init.running()
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def test_no_signal_once_the_stop_has_begun(start, cfg, app_marker):
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = start(["--user", str(APP_UID), "--watch", str(conf), *SETTLE, "--",
                  *app("--cleanup", "2000", marker=app_marker, name="app")])
    app_marker.wait_for("app start")
    write(conf, "b\n", "a")
    expect_signals(app_marker, "HUP", 1, init)  # the watch works
    init.signal(signal.SIGTERM)
    app_marker.wait_for("app cleanup-start")
    write(conf, "c\n", "a")
    assert init.wait() == 0
    assert signals(app_marker, "HUP") == 1, app_marker.lines()


def test_no_wake_ups_with_a_watch_set(start, cfg, public_dir):
    """PID 1 sleeps while nothing changes: its context switches do not move
    in 3 s (the command is a plain sleep, which wakes nobody)."""
    conf = cfg / "app.conf"
    write(conf, "a\n")
    init = start(["--user", str(APP_UID), "--watch", f"{conf},{cfg}:USR1", "--", "sleep", "60"])
    wait_until(lambda: init.children(), 10, what="the command")
    time.sleep(0.5)
    before = procfs.status(init.pid)["voluntary_ctxt_switches"]
    time.sleep(3)
    assert procfs.status(init.pid)["voluntary_ctxt_switches"] == before
    # The watch was set all along: a write now is a HUP, which ends sleep.
    write(conf, "b\n", "a")
    assert init.wait() == 128 + signal.SIGHUP


@pytest.mark.parametrize("args, line", [
    (["--watch", ""], "--watch: '' is not an absolute path"),
    (["--watch", "/a,,/b"], "--watch: '' is not an absolute path"),
    (["--watch", "cfg/app.conf"], "--watch: 'cfg/app.conf' is not an absolute path"),
    (["--watch", "/etc/hosts:FOO"], "--watch: 'FOO' is not restart or a signal gracefulinit forwards"),
    (["--watch", "/etc/hosts:KILL"], "--watch: 'KILL' is not restart or a signal gracefulinit forwards"),
    (["--watch-settle", "1s"], "--watch-settle needs --watch"),
    (["--watch", "/etc/hosts", "--watch-settle", "soon"], "--watch-settle: 'soon'"),
])
def test_bad_input_is_one_line_and_125(start, args, line):
    init = start([*args, "--", "sleep", "60"])
    assert init.wait() == 125
    err = init.stderr()
    assert line in err, err
    assert len(err.splitlines()) == 1, err


def test_a_path_the_user_cannot_read_is_refused_at_start(start, tmp_path, app_marker):
    """tmp_path is root's alone (0700): the user cannot search it, so cannot
    watch what is in it, nor anything below it that does not exist yet."""
    secret = tmp_path / "key"
    write(secret, "k")
    for path in (secret, tmp_path / "later" / "key"):
        init = start(["--user", str(APP_UID), "--watch", f"{path}:restart", "--", *app(marker=app_marker, name="app")])
        assert init.wait() == 125
        err = init.stderr()
        assert f"--watch {path}: Permission denied" in err, err
        assert len(err.splitlines()) == 1, err
    assert not app_marker.has("app start"), app_marker.lines()


# ------------------------------------------------------------ a real server

NGINX = nginx.NGINX


def get(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
        return r.status, r.read().decode()


def test_nginx_reloads_its_included_config_and_no_request_fails(start, public_dir):
    """nginx-light as the app's user, its site in an included file: an
    editor's save of the file is one HUP, nginx serves the new content, and
    a client that keeps asking throughout sees no failure. nginx reloads in
    place: its master process stays the same."""
    nginx.need_nginx()
    port = free_port()
    site = public_dir / "conf.d" / "site.conf"
    site.parent.mkdir()
    os.chmod(site.parent, 0o755)
    write(site, 'location = / { return 200 "v1\\n"; }\n')
    conf = public_dir / "nginx.conf"
    nginx.write_conf(conf, public_dir, port, f"include {site};")
    init = start(["--user", str(APP_UID), "--watch", str(site), *SETTLE, "--",
                  NGINX, "-e", f"{public_dir}/error.log", "-c", str(conf), "-g", "daemon off;"])
    wait_until(lambda: _answers(port), 10, what=lambda: f"nginx to answer; {init.stderr()}")
    assert get(port) == (200, "v1\n")
    master = init.children()[0]
    assert procfs.status(master)["Uid"].split()[0] == str(APP_UID)

    results = {"ok": 0, "failed": [], "v2": 0}
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                status, body = get(port)
                results["ok"] += status == 200
                results["v2"] += body == "v2\n"
                if status != 200:
                    results["failed"].append(status)
            except OSError as e:
                results["failed"].append(repr(e))
    threads = [threading.Thread(target=client, daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        write(public_dir / "conf.d" / ".site.conf.tmp", 'location = / { return 200 "v2\\n"; }\n')
        os.rename(public_dir / "conf.d" / ".site.conf.tmp", site)
        wait_until(lambda: results["v2"] > 0, 10, what=lambda: f"v2 from nginx; {init.stderr()}")
        time.sleep(1)  # and requests on after the reload
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    print(f"nginx reload: {results['ok']} requests answered 200, {results['v2']} of them v2, "
          f"{len(results['failed'])} failed")
    assert results["failed"] == [], results["failed"][:5]
    assert results["ok"] > 50, results
    assert get(port) == (200, "v2\n")
    assert init.children() == [master]  # reloaded, not restarted
    assert init.stderr().count(f"{site} changed (--watch): SIGHUP") == 1, init.stderr()
    init.signal(signal.SIGQUIT)  # nginx's STOPSIGNAL
    assert init.wait() == 0


def _answers(port):
    try:
        return get(port)[0] == 200
    except OSError:
        return False
