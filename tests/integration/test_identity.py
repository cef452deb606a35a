"""gracefulinit(1), OPTIONS and USERS AND CAPABILITIES: --user and --cap.
gracefulinit switches itself before it forks, so both PID 1 and the command
must show the new identity, empty capability sets but the --cap list, and
no_new_privs.

Fixture users live in test-owned passwd and group files, bind-mounted over
/etc/passwd and /etc/group in the test's own mount namespace (unshare
--mount-proc makes one) before gracefulinit is exec'd as PID 1.
"""
import os
import shlex
import shutil
import signal
import subprocess
import tempfile

import pytest

from conftest import GRACEFULINIT, TESTAPP, app
from gitest.wait import wait_until

APP_UID = 4321
PASSWD = """root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
appuser:x:4321:4321:app:/home/app:/bin/sh
"""
GROUP = """root:x:0:
nogroup:x:65534:
appuser:x:4321:
audio2:x:5001:appuser
video2:x:5002:someone,appuser
other:x:5003:someone
"""
NO_CAPS = "0000000000000000"
NET_BIND_SERVICE = f"{1 << 10:016x}"
CAP_KEYS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


def bind_etc(tmp_path, passwd_text, group_text):
    """A sh -c that bind-mounts these passwd and group files over /etc's,
    then execs gracefulinit (which stays PID 1)."""
    passwd = tmp_path / "passwd"
    group = tmp_path / "group"
    passwd.write_text(passwd_text)
    group.write_text(group_text)
    # Read by a non-root gracefulinit too: world-readable like the real ones.
    passwd.chmod(0o644)
    group.chmod(0o644)
    script = (f"mount --bind {shlex.quote(str(passwd))} /etc/passwd && "
              f"mount --bind {shlex.quote(str(group))} /etc/group && exec \"$@\"")
    return ["sh", "-c", script, "sh"]


@pytest.fixture
def etc(tmp_path):
    return bind_etc(tmp_path, PASSWD, GROUP)


def report_fields(text):
    """testapp --report's "app status KEY VALUE" lines as a dict, plus HOME."""
    fields = {}
    for line in text.splitlines():
        words = line.split(" ", 3)
        if len(words) >= 3 and words[1] == "status":
            fields[words[2]] = words[3] if len(words) > 3 else ""
        elif len(words) >= 2 and words[1] in ("home", "bind"):
            fields[words[1]] = words[2] if len(words) > 2 else ""
    return fields


def ids(value):
    return value.split()


def groups(value):
    return sorted(int(g) for g in value.split())


def run_report(start, args, *cmd_args, exec_via=(), env=None):
    """Runs testapp --report (and cmd_args) to completion; returns (exit
    status, command's fields, stderr)."""
    init = start(list(args) + ["--", TESTAPP, "--report"] + list(cmd_args) + ["--exit", "0"],
                 exec_via=exec_via, env=env)
    code = init.wait()
    return code, report_fields(init.stdout()), init.stderr()


def run_both(start, args, exec_via=(), env=None):
    """Keeps the command running while PID 1's status is read; returns
    (PID 1's status, command's fields, stderr)."""
    init = start(list(args) + ["--", TESTAPP, "--report"], exec_via=exec_via, env=env)
    wait_until(lambda: " start pid=" in init.stdout(), 10, what=f"testapp to start; stderr: {init.stderr()}")
    pid1 = init.status()
    init.signal(signal.SIGTERM)
    assert init.wait() == 0, init.stderr()
    return pid1, report_fields(init.stdout()), init.stderr()


def assert_status(status, uid, gid, group_list, caps, nnp="1"):
    assert ids(status["Uid"]) == [str(uid)] * 4
    assert ids(status["Gid"]) == [str(gid)] * 4
    assert groups(status["Groups"]) == sorted(group_list)
    for key in CAP_KEYS:
        assert status[key] == caps.get(key, NO_CAPS), key
    assert status["NoNewPrivs"] == nnp


def test_named_user_switches_pid1_and_command(start, etc):
    pid1, cmd, err = run_both(start, ["--user", "appuser"], exec_via=etc)
    assert_status(pid1, APP_UID, APP_UID, [4321, 5001, 5002], {})
    assert_status(cmd, APP_UID, APP_UID, [4321, 5001, 5002], {})
    assert cmd["home"] == "/home/app"
    # Nothing to say about an identity switch that worked.
    assert all("received SIGTERM" in line for line in err.splitlines()), err


def test_numeric_uid_without_entry(start, etc):
    code, cmd, _ = run_report(start, ["--user", "4999"], exec_via=etc)
    assert code == 0
    assert_status(cmd, 4999, 4999, [], {})
    assert cmd["home"] == "/"


def test_numeric_uid_with_entry_uses_it(start, etc):
    code, cmd, _ = run_report(start, ["--user", str(APP_UID)], exec_via=etc)
    assert code == 0
    assert_status(cmd, APP_UID, APP_UID, [4321, 5001, 5002], {})
    assert cmd["home"] == "/home/app"


@pytest.mark.parametrize("spec, gid", [("appuser:other", 5003), ("appuser:777", 777), ("4999:other", 5003)])
def test_user_and_group(start, etc, spec, gid):
    code, cmd, _ = run_report(start, ["--user", spec], exec_via=etc)
    assert code == 0
    # GROUP is the primary group; supplementary groups stay the user's
    # memberships in /etc/group (none for a uid without an entry).
    if spec.startswith("appuser"):
        assert_status(cmd, APP_UID, gid, sorted({gid, 5001, 5002}), {})
    else:
        assert_status(cmd, 4999, gid, [], {})


def test_home_replaces_the_inherited_one(start, etc):
    code, cmd, _ = run_report(start, ["--user", "appuser"], exec_via=etc, env={"HOME": "/root"})
    assert code == 0
    assert cmd["home"] == "/home/app"


def test_variable_and_flag_wins(start, etc):
    code, cmd, _ = run_report(start, [], exec_via=etc, env={"GRACEFULINIT_USER": "appuser",
                                                             "GRACEFULINIT_CAPS": "NET_BIND_SERVICE"})
    assert code == 0
    assert ids(cmd["Uid"]) == [str(APP_UID)] * 4
    assert cmd["CapAmb"] == NET_BIND_SERVICE
    code, cmd, _ = run_report(start, ["--user", "4999"], exec_via=etc, env={"GRACEFULINIT_USER": "appuser"})
    assert code == 0
    assert ids(cmd["Uid"]) == ["4999"] * 4


def unprivileged_ports_start():
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        return int(f.read())


def test_cap_net_bind_service_lets_the_user_bind_port_80(start, etc):
    if unprivileged_ports_start() <= 80:
        pytest.skip("net.ipv4.ip_unprivileged_port_start lets anyone bind port 80")
    pid1, _, _ = run_both(start, ["--user", "appuser", "--cap", "NET_BIND_SERVICE"], exec_via=etc)
    # PID 1 keeps it only so the command can: not effective for itself.
    assert_status(pid1, APP_UID, APP_UID, [4321, 5001, 5002],
                  {"CapInh": NET_BIND_SERVICE, "CapPrm": NET_BIND_SERVICE, "CapBnd": NET_BIND_SERVICE,
                   "CapAmb": NET_BIND_SERVICE})
    code, cmd, _ = run_report(start, ["--user", "appuser", "--cap", "cap_net_bind_service"], "--bind",
                              "127.0.0.1:80", exec_via=etc)
    assert code == 0
    assert_status(cmd, APP_UID, APP_UID, [4321, 5001, 5002], {key: NET_BIND_SERVICE for key in CAP_KEYS})
    assert cmd["bind"] == "ok"


def test_without_cap_the_user_cannot_bind_port_80(start, etc):
    if unprivileged_ports_start() <= 80:
        pytest.skip("net.ipv4.ip_unprivileged_port_start lets anyone bind port 80")
    code, cmd, _ = run_report(start, ["--user", "appuser"], "--bind", "127.0.0.1:80", exec_via=etc)
    assert code == 0
    assert cmd["bind"] == "EACCES"


def test_cap_as_root_reduces_root_to_the_list(start):
    pid1, cmd, _ = run_both(start, ["--cap", "NET_BIND_SERVICE,cap_chown"])
    both = f"{(1 << 10) | (1 << 0):016x}"
    assert_status(pid1, 0, 0, [], {"CapInh": both, "CapPrm": both, "CapBnd": both, "CapAmb": both})
    assert_status(cmd, 0, 0, [], {key: both for key in CAP_KEYS})


def setuid_root_copy(program):
    """A setuid-root copy of program where every user can run it, on a
    filesystem that honours setuid bits; removed afterwards."""
    where = tempfile.mkdtemp(prefix="gi-setuid-", dir="/var/tmp")
    os.chmod(where, 0o755)
    copy = os.path.join(where, os.path.basename(program) + "-suid")
    shutil.copy(program, copy)
    os.chown(copy, 0, 0)
    os.chmod(copy, 0o4755)
    yield copy
    shutil.rmtree(where)


@pytest.fixture
def setuid_copy():
    yield from setuid_root_copy(TESTAPP)


def test_setuid_program_gains_no_root(start, etc, setuid_copy):
    # Control: without gracefulinit, the same user does get euid 0 from it.
    control = subprocess.run(["setpriv", "--reuid", str(APP_UID), "--regid", str(APP_UID), "--clear-groups",
                              setuid_copy, "--report", "--exit", "0"], capture_output=True, text=True, timeout=10)
    if ids(report_fields(control.stdout)["Uid"])[1] != "0":
        pytest.skip(f"setuid bits are not honoured here: {control.stdout}")
    # Run by the command (a shell), as the setuid program would be in an image.
    init = start(["--user", "appuser", "--", "sh", "-c", f"{shlex.quote(setuid_copy)} --report --exit 0"],
                 exec_via=etc)
    assert init.wait() == 0
    cmd = report_fields(init.stdout())
    assert ids(cmd["Uid"]) == [str(APP_UID)] * 4
    assert cmd["CapEff"] == NO_CAPS and cmd["CapPrm"] == NO_CAPS
    assert cmd["NoNewPrivs"] == "1"


@pytest.mark.parametrize("args, message", [
    (["--user", "nosuchuser"], "unknown user 'nosuchuser'"),
    (["--user", "appuser:nosuchgroup"], "unknown group 'nosuchgroup'"),
    (["--user", "appuser", "--cap", "NET_BIND_SERVICE,SYS_BOGUS"], "unknown capability 'SYS_BOGUS'"),
    (["--cap", "cap_"], "unknown capability 'cap_'"),
    (["--user", "appuser:"], "empty group"),
    (["--user", "4294967295"], "out of range"),
])
def test_bad_identity_is_125_and_nothing_starts(start, etc, args, message):
    init = start(args + ["--", TESTAPP, "--report", "--exit", "0"], exec_via=etc)
    assert init.wait() == 125
    assert message in init.stderr()
    assert init.stderr().count("\n") == 1
    assert init.stdout() == ""


def test_missing_capability_as_root_is_125(start, etc):
    # The engine did not grant it: root cannot hand it on, and says so.
    init = start(["--user", "appuser", "--cap", "SYS_ADMIN", "--", TESTAPP, "--exit", "0"],
                 exec_via=etc + ["setpriv", "--bounding-set", "-sys_admin"])
    assert init.wait() == 125
    assert "cap_sys_admin" in init.stderr()
    assert init.stdout() == ""


def non_root(uid):
    return ["setpriv", "--reuid", str(uid), "--regid", str(uid), "--clear-groups"]


def test_non_root_start_runs_the_command_with_one_notice(start, etc):
    init = start(["--user", "nobody", "--", TESTAPP, "--report", "--exit", "7"], exec_via=etc + non_root(APP_UID))
    assert init.wait() == 7
    cmd = report_fields(init.stdout())
    assert ids(cmd["Uid"]) == [str(APP_UID)] * 4
    assert cmd["NoNewPrivs"] == "1"
    lines = init.stderr().splitlines()
    assert len(lines) == 1 and "not root" in lines[0] and "nobody" in lines[0], lines


def test_non_root_start_as_the_requested_user_is_silent(start, etc):
    init = start(["--user", "appuser", "--", TESTAPP, "--report", "--exit", "0"], exec_via=etc + non_root(APP_UID),
                 env={"HOME": "/root"})
    assert init.wait() == 0
    assert init.stderr() == ""
    cmd = report_fields(init.stdout())
    assert ids(cmd["Uid"]) == [str(APP_UID)] * 4
    assert cmd["NoNewPrivs"] == "1"
    # Already the user: --user is honoured, HOME included.
    assert cmd["home"] == "/home/app"


def test_without_user_or_cap_nothing_changes(start):
    code, cmd, _ = run_report(start, [])
    assert code == 0
    assert ids(cmd["Uid"]) == ["0"] * 4
    assert cmd["NoNewPrivs"] == "0"
    assert cmd["CapBnd"] != NO_CAPS


def test_non_root_start_cannot_keep_a_capability_it_lacks(start, etc):
    init = start(["--cap", "NET_BIND_SERVICE", "--", TESTAPP, "--report", "--exit", "0"],
                 exec_via=etc + non_root(APP_UID))
    assert init.wait() == 0
    lines = init.stderr().splitlines()
    assert len(lines) == 1 and "cannot keep capability cap_net_bind_service" in lines[0], lines
    cmd = report_fields(init.stdout())
    for key in ("CapInh", "CapPrm", "CapEff", "CapAmb"):
        assert cmd[key] == NO_CAPS, key
    assert cmd["NoNewPrivs"] == "1"


@pytest.mark.parametrize("dropped, message", [
    ("-setgid", "cannot set the supplementary groups of 'appuser'"),
    ("-setuid", "cannot switch to user 4321"),
    ("-setpcap", "cannot drop the bounding set"),
])
def test_a_failed_switch_step_is_125_and_nothing_starts(start, etc, dropped, message):
    # Root without the capability that step needs: it must stop start-up,
    # not carry on half-switched.
    init = start(["--user", "appuser", "--", TESTAPP, "--report", "--exit", "0"],
                 exec_via=etc + ["setpriv", "--bounding-set", dropped])
    assert init.wait() == 125
    assert message in init.stderr()
    assert init.stderr().count("\n") == 1
    assert init.stdout() == ""


def test_many_supplementary_groups(start, tmp_path):
    # More than gracefulinit's first guess (16): the list must grow, not be cut.
    etc = bind_etc(tmp_path, PASSWD, GROUP + "".join(f"g{n}:x:{n}:appuser\n" for n in range(6000, 6040)))
    code, cmd, _ = run_report(start, ["--user", "appuser"], exec_via=etc)
    assert code == 0
    assert groups(cmd["Groups"]) == sorted([4321, 5001, 5002] + list(range(6000, 6040)))


# ---- The first passwd line that matches decides (adversarial review, issue 10)

def bind_etc_bytes(tmp_path, passwd, group=GROUP):
    """bind_etc for a passwd file that Python's text mode cannot write (NUL)."""
    where = tmp_path / "bytes"
    where.mkdir()
    argv = bind_etc(where, "", group)
    (where / "passwd").write_bytes(passwd)
    return argv


@pytest.mark.parametrize("passwd, user, line, reason", [
    (b"appuser:x:4321:4321::/" + b"h" * 4095 + b":/bin/sh\nappuser:x:0:0::/r:/bin/sh\n", "appuser", 1,
     "home directory longer than 4095 bytes"),
    (b"root:x:0:0::/root:/bin/sh\nappuser:x:4294967295:4321::/h:/bin/sh\nappuser:x:0:0::/r:/bin/sh\n", "appuser", 2,
     "uid is not a number from 0 to 4294967294"),
    (b"n" * 256 + b":x:4321:4321::/h:/bin/sh\nok:x:4321:0::/r:/bin/sh\n", "4321", 1,
     "user name longer than 255 bytes"),
    (b"root\0x:x:4321:4321::/home/app:/bin/sh\n", "4321", 1, "a NUL byte in the user name or home directory"),
], ids=["long_home", "uid_-1", "long_name", "nul_in_name"])
def test_unusable_first_match_is_refused_never_skipped(start, tmp_path, passwd, user, line, reason):
    """Each of these ran the command as root, or with root's groups, before:
    a later line for the same name won, or "root\\0x" was taken for root."""
    init = start(["--user", user, "--", TESTAPP, "--report", "--exit", "0"], exec_via=bind_etc_bytes(tmp_path, passwd))
    assert init.wait() == 125
    assert init.stderr() == f"gracefulinit: --user: user '{user}': line {line} of /etc/passwd: {reason}\n"
    assert init.stdout() == ""


def test_group_membership_is_by_exact_name(start, tmp_path):
    """CRLF member lists and a fifth field grant nothing, as in the C library."""
    group = "root:x:0:\napp:x:4321:\ncrlf:x:5001:appuser\r\nfive:x:5002:appuser:x\nreal:x:5003:appuser\n"
    pid1, cmd, err = run_both(start, ["--user", "appuser"], exec_via=bind_etc(tmp_path, PASSWD, group))
    assert groups(cmd["Groups"]) == [4321, 5003], err


@pytest.fixture
def setuid_gracefulinit():
    yield from setuid_root_copy(GRACEFULINIT)


def test_setuid_install_is_refused(setuid_gracefulinit):
    """Any user could otherwise run a command as root and keep DAC_OVERRIDE."""
    run = subprocess.run(["setpriv", "--reuid", str(APP_UID), "--regid", str(APP_UID), "--clear-groups",
                          setuid_gracefulinit, "--cap", "DAC_OVERRIDE", "--", "id", "-u"],
                         capture_output=True, text=True, timeout=10,
                         # LeakSanitizer cannot run in a setuid process (sanitizer build).
                         env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ASAN_OPTIONS": "detect_leaks=0"})
    if run.returncode == 0 and run.stdout.strip() == str(APP_UID):
        pytest.skip("setuid bits are not honoured here")
    assert run.returncode == 125, run
    assert run.stdout == ""
    assert run.stderr == (f"gracefulinit: installed setuid or setgid (uid {APP_UID}, euid 0, gid {APP_UID}, "
                          f"egid {APP_UID}): refusing to run\n")


@pytest.mark.parametrize("user", ["root", "0"])
def test_user_root_says_so_once(start, etc, user):
    code, cmd, err = run_report(start, ["--user", user], exec_via=etc)
    assert code == 0
    assert err == (f"gracefulinit: --user {user} is uid 0: the command runs as root, without capabilities but "
                   "--cap and with no_new_privs\n")
    assert ids(cmd["Uid"]) == ["0"] * 4 and cmd["CapEff"] == NO_CAPS


def test_init_leaves_its_start_directory(start, tmp_path):
    """umount of the volume gracefulinit was started in must not find it busy;
    the command keeps the directory it was started in."""
    volume = tmp_path / "volume"
    volume.mkdir()
    init = start(["--", TESTAPP], exec_via=["sh", "-c", f"cd {shlex.quote(str(volume))} && exec \"$@\"", "sh"])
    wait_until(lambda: " start pid=" in init.stdout(), 10, what="testapp to start and set its handlers")
    assert os.readlink(f"/proc/{init.pid}/cwd") == "/"
    assert os.readlink(f"/proc/{init.children()[0]}/cwd") == str(volume)
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


@pytest.mark.parametrize("spec, want", [("appuser", "appuser"), (str(APP_UID), "appuser"), ("4999", None)])
def test_user_and_logname_name_the_account(start, etc, spec, want):
    """With --user, USER and LOGNAME say who the command runs as, as login
    and su set them; a uid with no passwd entry has no name, so an inherited
    USER=root goes rather than lie."""
    init = start(["--user", spec, "--", *app("--env", "USER", "--env", "LOGNAME", "--exit", "0")], exec_via=etc,
                 env={"USER": "root", "LOGNAME": "root"})
    assert init.wait() == 0, init.stderr()
    for var in ("USER", "LOGNAME"):
        line = next(l for l in init.stdout().splitlines() if l.startswith(f"app env {var} "))
        assert line == (f"app env {var} {want.encode().hex()}" if want else f"app env {var} unset"), line
