"""gracefulinit(1), SECRETS: --secret puts a file's content into the
command's environment. The file is read as root, before the identity switch;
the value never enters gracefulinit's own environment block, its memory after
the fork, or any message. Every refusal is exit 125 before anything starts."""
import os
import re
import signal

import pytest

from conftest import GRACEFULINIT, TESTAPP
from gitest.wait import wait_until

# Its first byte, '^', appears in no message gracefulinit writes.
VALUE = "^Zq7-s3cr3t-value"
APP_UID = 4321


def env_of(text, var):
    """testapp --env's view: the value, or None when unset."""
    m = re.search(rf"^app env {var} (\S+)$", text, re.M)
    assert m, text
    word = m.group(1)
    return None if word == "unset" else "" if word == "-" else bytes.fromhex(word).decode()


def secret(tmp_path, content, name="token", mode=0o400):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    os.chmod(path, mode)
    return str(path)


def run_env(start, args, *vars_, env=None, exec_via=()):
    """Runs testapp --env VAR... to completion: (status, {VAR: value}, stderr)."""
    words = [w for v in vars_ for w in ("--env", v)]
    init = start(list(args) + ["--", TESTAPP, *words, "--exit", "0"], env=env, exec_via=exec_via)
    code = init.wait()
    out = init.stdout()
    return code, ({v: env_of(out, v) for v in vars_} if code == 0 else out), init.stderr()


def test_root_only_file_for_an_unprivileged_user(start, tmp_path):
    """A 0400 root file in a 0700 root directory: only root could read it, and
    the command runs as nobody."""
    path = secret(tmp_path, VALUE + "\n")
    os.chmod(tmp_path, 0o700)
    code, got, err = run_env(start, ["--user", "nobody", "--secret", "API_TOKEN"], "API_TOKEN", "API_TOKEN_FILE",
                             env={"API_TOKEN_FILE": path})
    assert code == 0, err
    assert got == {"API_TOKEN": VALUE, "API_TOKEN_FILE": None}


def test_name_and_path(start, tmp_path):
    path = secret(tmp_path, VALUE)
    code, got, err = run_env(start, ["--secret", f"DB_PASSWORD={path},OTHER"], "DB_PASSWORD", "OTHER")
    assert code == 0, err
    assert got == {"DB_PASSWORD": VALUE, "OTHER": None}


def test_variable_form_and_several(start, tmp_path):
    a, b = secret(tmp_path, "first\n", "a"), secret(tmp_path, VALUE, "b")
    code, got, err = run_env(start, [], "A", "B", "A_FILE",
                             env={"GRACEFULINIT_SECRETS": f"A,B={b}", "A_FILE": a})
    assert code == 0, err
    assert got == {"A": "first", "B": VALUE, "A_FILE": None}


def test_newlines_inside_stay(start, tmp_path):
    pem = "-----BEGIN PRIVATE KEY-----\nMIIB" + VALUE + "\n-----END PRIVATE KEY-----"
    path = secret(tmp_path, pem + "\n\n")
    code, got, err = run_env(start, ["--secret", f"KEY={path}"], "KEY")
    assert code == 0, err
    assert got == {"KEY": pem}


def test_kubernetes_secret_volume(start, tmp_path):
    """Keys are symlinks through ..data to a timestamped directory."""
    volume = tmp_path / "volume"
    stamp = volume / "..2026_12_01_10_00_00.000000001"
    stamp.mkdir(parents=True)
    (stamp / "api-token").write_text(VALUE)
    os.chmod(stamp / "api-token", 0o400)
    os.symlink(stamp.name, volume / "..data")
    os.symlink("..data/api-token", volume / "api-token")
    code, got, err = run_env(start, ["--user", "nobody", "--secret", "API_TOKEN"], "API_TOKEN",
                             env={"API_TOKEN_FILE": str(volume / "api-token")})
    assert code == 0, err
    assert got == {"API_TOKEN": VALUE}


def environ(pid):
    with open(f"/proc/{pid}/environ", "rb") as f:
        return f.read().split(b"\0")


def dynamic(path):
    """Whether the ELF file has a program interpreter (PT_INTERP)."""
    import struct
    with open(path, "rb") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == 3 for i in range(phnum))


def writable_memory(pid):
    """Every writable mapping of pid, read through /proc/PID/mem. Mappings
    over 64 MiB are ASan's shadow (sanitizer build): gracefulinit maps no
    such thing itself."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if "w" not in fields[1] or end - start > 64 << 20:
                continue
            try:
                mem.seek(start)
                yield mem.read(end - start)
            except OSError:
                continue


@pytest.mark.parametrize("pidns", [True, False], ids=["pid1", "subreaper"])
def test_value_only_in_the_commands_environment(start, tmp_path, pidns):
    path = secret(tmp_path, VALUE)
    init = start(["--user", "nobody", "--secret", "API_TOKEN", "--", TESTAPP, "--env", "API_TOKEN"],
                 env={"API_TOKEN_FILE": path}, pidns=pidns)
    wait_until(lambda: "app env" in init.stdout(), 10, what=f"testapp to start; stderr: {init.stderr()}")
    assert env_of(init.stdout(), "API_TOKEN") == VALUE
    (command,) = init.children()
    assert f"API_TOKEN={VALUE}".encode() in environ(command)
    assert not any(e.startswith(b"API_TOKEN_FILE=") for e in environ(command))
    own = environ(init.pid)
    assert f"API_TOKEN_FILE={path}".encode() in own
    assert not any(VALUE.encode() in e for e in own)
    # Nor anywhere in the static binary's memory: its copy goes as soon as
    # fork() returns in gracefulinit, which on a busy machine can be after the
    # command has already started and printed. (The sanitizer build is
    # dynamic: glibc's lazy-binding trampoline saves vector registers, which
    # its SSE string functions left holding 16 bytes of the value, on the
    # stack. musl's static binary has neither.)
    if not dynamic(GRACEFULINIT):
        wait_until(lambda: not any(VALUE.encode() in chunk for chunk in writable_memory(init.pid)), 5,
                   what="gracefulinit to drop its copy of the value")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0


def dontdump_mappings(pid, size_kb):
    """The mappings of pid of size_kb that core dumps leave out (smaps' dd)."""
    found, size = 0, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if line.startswith("Size:"):
                size = int(line.split()[1])
            elif line.startswith("VmFlags:") and size == size_kb and " dd" in line:
                found += 1
    return found


def test_root_only_secret_kept_across_restarts(start, tmp_path, public_dir):
    """gracefulinit(1), RESTARTING: the restarted command gets the value read
    as root at start, though its user cannot read the file; the value is in
    no core dump; the health check never sees it."""
    path = secret(tmp_path, VALUE)
    os.chmod(tmp_path, 0o700)
    runs, seen = public_dir / "runs", public_dir / "check-saw"
    script = f'echo "$API_TOKEN" >> {runs}; [ $(wc -l < {runs}) -ge 3 ] && exec sleep 1000; exit 1'
    init = start(["--user", "nobody", "--secret", "API_TOKEN", "--restart", "on-failure",
                  "--health-cmd", f'echo "[$API_TOKEN]" > {seen}.$$ && mv {seen}.$$ {seen}', "--health-interval", "100ms",
                  "--", "sh", "-c", script], env={"API_TOKEN_FILE": path})
    wait_until(lambda: runs.exists() and runs.read_text().count("\n") >= 3, 20, what=f"three runs: {init.stderr()}")
    assert runs.read_text().splitlines() == [VALUE] * 3
    wait_until(seen.exists, 20, what="a check")
    assert seen.read_text() == "[]\n"
    # One mapping of the entry's size (33 pages), marked do-not-dump.
    assert dontdump_mappings(init.pid, 132) == 1
    assert VALUE[1:] not in init.stderr()
    init.signal(signal.SIGTERM)
    assert init.wait() == 143


@pytest.mark.parametrize("form", ["NAME_FILE", "NAME=PATH"])
def test_rotated_secret_reaches_the_restarted_command(start, public_dir, form):
    """gracefulinit(1), RESTARTING: each restart reads the secret again as
    the user (Swarm's secrets are 0444, Kubernetes' 0644): a rotated value
    reaches the new run; the value is never in a line."""
    path = public_dir / "token"
    path.write_text("first-value")
    os.chmod(path, 0o444)
    runs = public_dir / "runs"
    rotated = public_dir / "rotated"
    script = (f'echo "$API_TOKEN" >> {runs}; [ $(wc -l < {runs}) -ge 2 ] && exec sleep 1000; '
              f'while [ ! -e {rotated} ]; do sleep 0.1; done; exit 1')
    spec, env = ("API_TOKEN", {"API_TOKEN_FILE": str(path)}) if form == "NAME_FILE" else (f"API_TOKEN={path}", {})
    init = start(["--user", "nobody", "--secret", spec, "--restart", "on-failure", "--", "sh", "-c", script], env=env)
    wait_until(lambda: runs.exists() and runs.read_text().count("\n") >= 1, 20, what=f"the first run: {init.stderr()}")
    # A rotation as Kubernetes and editors do it: a new file renamed over the old.
    (public_dir / "token.new").write_text("second-value")
    os.chmod(public_dir / "token.new", 0o444)
    os.rename(public_dir / "token.new", path)
    rotated.touch()
    wait_until(lambda: runs.read_text().count("\n") >= 2, 20, what=f"the second run: {init.stderr()}")
    assert runs.read_text().splitlines() == ["first-value", "second-value"]
    assert "first-value" not in init.stderr() and "second-value" not in init.stderr()
    init.signal(signal.SIGTERM)
    assert init.wait() == 143


def test_restarted_command_keeps_the_working_directory(start, public_dir):
    """A restart starts where the first run did (WORKDIR), and a secret given
    by a relative path is read again from there, as the user."""
    (public_dir / "sec").mkdir()
    token = public_dir / "sec" / "token"
    token.write_text("first-value")
    os.chmod(token, 0o444)
    runs = public_dir / "runs"
    script = (f'echo "$(pwd) $API_TOKEN" >> {runs}; [ $(wc -l < {runs}) -ge 2 ] && exec sleep 1000; '
              f'while [ ! -e {public_dir}/rotated ]; do sleep 0.1; done; exit 1')
    init = start(["--user", "nobody", "--secret", "API_TOKEN", "--restart", "on-failure", "--", "sh", "-c", script],
                 env={"API_TOKEN_FILE": "sec/token"}, cwd=str(public_dir))
    wait_until(lambda: runs.exists() and runs.read_text().count("\n") >= 1, 20, what=lambda: init.stderr())
    (public_dir / "sec" / "token.new").write_text("second-value")
    os.rename(public_dir / "sec" / "token.new", token)
    (public_dir / "rotated").touch()
    wait_until(lambda: runs.read_text().count("\n") >= 2, 20, what=lambda: init.stderr())
    assert runs.read_text().splitlines() == [f"{public_dir} first-value", f"{public_dir} second-value"]
    assert "cannot read" not in init.stderr()
    init.signal(signal.SIGTERM)
    assert init.wait() == 143


def test_verbose_log_never_shows_the_value(start, tmp_path):
    path = secret(tmp_path, VALUE)
    code, got, err = run_env(start, ["-v", "--secret", "API_TOKEN"], "API_TOKEN", env={"API_TOKEN_FILE": path})
    assert code == 0, err
    assert got == {"API_TOKEN": VALUE}
    assert f"--secret API_TOKEN: set from {path}" in err
    assert VALUE[0] not in err and VALUE[1:] not in err


def test_neither_variable_set_changes_nothing(start):
    code, got, err = run_env(start, ["-v", "--secret", "API_TOKEN"], "API_TOKEN", env={"API_TOKEN": "plain"})
    assert code == 0, err
    assert got == {"API_TOKEN": "plain"}
    assert "--secret API_TOKEN: API_TOKEN_FILE is not set: nothing to read" in err


def test_largest_value_an_environment_string_holds(start, tmp_path):
    """"K=" + value + NUL is exactly the kernel's 131072 bytes: it execs."""
    path = secret(tmp_path, "v" * (131072 - 3))
    init = start(["--secret", f"K={path}", "--", "/bin/sh", "-c", 'test ${#K} -eq 131069'])
    assert init.wait() == 0, init.stderr()


def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return str(path)


REFUSALS = {
    "missing": (lambda t: str(t / "absent"), "API_TOKEN", "cannot read {path}: No such file or directory"),
    "directory": (lambda t: str(t), "API_TOKEN", "{path} is not a regular file"),
    "fifo": (fifo, "API_TOKEN", "{path} is not a regular file"),
    "device": (lambda t: "/dev/zero", "API_TOKEN", "/dev/zero is not a regular file"),
    "nul": (lambda t: secret(t, VALUE + "\0rest"), "API_TOKEN",
            "{path} holds a NUL byte, which no environment string can"),
    "too_long": (lambda t: secret(t, "v" * (131072 - 2)), "K",
                 "{path} is longer than an environment string can be (131072 bytes with 'K=')"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_start_nothing(start, tmp_path, case):
    make, var, message = REFUSALS[case]
    path = make(tmp_path)
    init = start(["--secret", var, "--", TESTAPP, "--env", var], env={f"{var}_FILE": path})
    assert init.wait(timeout=10) == 125  # a FIFO must not hang start-up
    err = init.stderr()
    assert err == f"gracefulinit: --secret {var}: {message.format(path=path)}\n"
    assert init.stdout() == ""  # the command never started
    assert VALUE[0] not in err


def test_unreadable_file(start, tmp_path):
    """Started as another user than root, a root 0400 file cannot be read."""
    path = secret(tmp_path, VALUE)
    os.chmod(tmp_path, 0o755)
    init = start(["--secret", f"API_TOKEN={path}", "--", TESTAPP, "--env", "API_TOKEN"],
                 exec_via=["setpriv", "--reuid", str(APP_UID), "--regid", str(APP_UID), "--clear-groups"])
    assert init.wait() == 125
    assert init.stderr() == f"gracefulinit: --secret API_TOKEN: cannot read {path}: Permission denied\n"
    assert init.stdout() == ""


def test_both_variables_set(start, tmp_path):
    path = secret(tmp_path, VALUE)
    init = start(["--secret", "API_TOKEN", "--", TESTAPP], env={"API_TOKEN": "plain", "API_TOKEN_FILE": path})
    assert init.wait() == 125
    assert init.stderr() == "gracefulinit: --secret API_TOKEN: both API_TOKEN and API_TOKEN_FILE are set\n"
    assert init.stdout() == ""


@pytest.mark.parametrize("spec, message", [
    ("API-TOKEN", "--secret: 'API-TOKEN' is not a variable name (letters, digits, '_'; not a digit first)"),
    ("1TOKEN", "--secret: '1TOKEN' is not a variable name (letters, digits, '_'; not a digit first)"),
    ("A=", "--secret A: empty path after '='"),
    ("A,A", "--secret A: given twice"),
])
def test_bad_names(start, spec, message):
    init = start(["--secret", spec, "--", TESTAPP])
    assert init.wait() == 125
    assert init.stderr() == f"gracefulinit: {message}\n"
    assert init.stdout() == ""


def test_second_secret_failing_leaves_nothing_started(start, tmp_path):
    good = secret(tmp_path, VALUE, "good")
    init = start(["--secret", f"GOOD={good},BAD={tmp_path}/absent", "--", TESTAPP, "--env", "GOOD"])
    assert init.wait() == 125
    assert "--secret BAD: cannot read" in init.stderr()
    assert init.stdout() == ""
