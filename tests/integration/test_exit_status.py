"""gracefulinit(1), EXIT STATUS: exit statuses, in docker run's conventions."""
import os
import signal

import pytest

from conftest import TESTAPP, app


@pytest.mark.parametrize("code", [0, 1, 3, 255])
def test_command_exit_code_is_passed_through(start, code):
    init = start(["--", TESTAPP, "--exit", str(code)])
    assert init.wait() == code


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGSEGV])
def test_command_killed_by_signal_gives_128_plus_n(start, sig):
    # The shell kills itself, so no signal goes through gracefulinit; ulimit
    # keeps SIGSEGV from leaving a core file in the test directory.
    init = start(["--", "sh", "-c", f"ulimit -c 0; kill -{sig.name[3:]} $$; exit 7"])
    assert init.wait() == 128 + sig


def test_command_killed_from_outside_gives_137(start, marker):
    """The OOM killer's case: SIGKILL straight to the command."""
    init = start(["--", *app(marker=marker)])
    marker.wait_for("app start")
    os.kill(init.children()[0], signal.SIGKILL)
    assert init.wait() == 137


def test_command_not_found_gives_127(start):
    init = start(["--", "no-such-command-gracefulinit"])
    assert init.wait() == 127
    assert "gracefulinit: cannot run 'no-such-command-gracefulinit': No such file or directory" in init.stderr()


def test_missing_path_gives_127(start, tmp_path):
    missing = str(tmp_path / "nowhere" / "app")
    init = start(["--", missing])
    assert init.wait() == 127
    assert f"cannot run '{missing}'" in init.stderr()


def test_command_not_executable_gives_126(start, tmp_path):
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o644)
    init = start(["--", str(script)])
    assert init.wait() == 126
    assert f"gracefulinit: cannot run '{script}': Permission denied" in init.stderr()


def test_directory_as_command_gives_126(start, tmp_path):
    init = start(["--", str(tmp_path)])
    assert init.wait() == 126
    assert f"cannot run '{tmp_path}'" in init.stderr()


@pytest.mark.parametrize("args, message", [
    (["--bogus", "--", TESTAPP], "unknown option '--bogus'"),
    (["-Z", TESTAPP], "unknown option '-Z'"),
    (["--grace", "banana", "--", TESTAPP], "'banana' is not a duration"),
    (["--grace=10x", TESTAPP], "'10x' is not a duration"),
    (["--grace", "0.0001", TESTAPP], "--grace: '0.0001' is more precise than a millisecond"),
    (["--grace", "525601m", TESTAPP], "--grace: '525601m' is longer than a duration may be (365 days)"),
    (["-vZ", TESTAPP], "unknown option '-Z' in '-vZ'"),
    ([], "no command given"),
    (["--"], "no command given"),
    (["--grace", "1s"], "no command given"),
    (["--grace"], "needs a value"),
    (["--rewrite", "TERM:BANANA", TESTAPP], "BANANA"),
    (["--exit-map", "300:0", TESTAPP], "300"),
])
def test_usage_error_gives_125_with_message(start, marker, args, message):
    init = start(args + (["--marker", marker.path] if args and args[-1] == TESTAPP else []))
    assert init.wait() == 125
    err = init.stderr()
    assert message in err
    assert err.startswith("gracefulinit: ")
    assert marker.lines() == []  # the command never ran


def test_exit_map_maps_exit_status(start):
    init = start(["--exit-map", "3:0", "--", TESTAPP, "--exit", "3"])
    assert init.wait() == 0


def test_exit_map_leaves_other_statuses_alone(start):
    init = start(["-e", "3:0,4:9", "--", TESTAPP, "--exit", "5"])
    assert init.wait() == 5


def test_exit_map_maps_death_by_signal(start, marker):
    """A JVM that dies of SIGTERM (143) reported as a clean stop."""
    init = start(["--exit-map", "143:0", "--", "sh", "-c", "kill -TERM $$"])
    assert init.wait() == 0


def test_exit_map_applies_after_a_forwarded_stop(start, marker):
    init = start(["-e", "42:0", "--", *app("--term-exit", "42", marker=marker)])
    marker.wait_for("app start")
    init.signal(signal.SIGTERM)
    assert init.wait() == 0
    assert marker.has("app exit 42")


def test_exit_map_flag_wins_over_variable(start):
    init = start(["--exit-map", "3:4", "--", TESTAPP, "--exit", "3"], env={"GRACEFULINIT_EXIT_MAP": "3:0"})
    assert init.wait() == 4


def test_exit_map_from_variable(start):
    init = start(["--", TESTAPP, "--exit", "3"], env={"GRACEFULINIT_EXIT_MAP": "3:0"})
    assert init.wait() == 0


def test_command_is_found_on_path(start, tmp_path):
    script = tmp_path / "my-app"
    script.write_text("#!/bin/sh\nexit 6\n")
    script.chmod(0o755)
    init = start(["--", "my-app"], env={"PATH": f"{tmp_path}:/usr/bin:/bin"})
    assert init.wait() == 6


def test_options_end_at_the_command(start):
    """The command's own options (even ones gracefulinit knows) are its own."""
    init = start([TESTAPP, "--exit", "3", "-v"])
    assert init.wait() == 2  # testapp: unknown argument '-v'
    init = start(["-q", TESTAPP, "--exit", "3"])
    assert init.wait() == 3


def script(path, code, mode=0o755):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\nexit {code}\n")
    path.chmod(mode)
    return path


def test_path_search_passes_over_a_copy_that_may_not_run(start, tmp_path):
    """execvp's rule: EACCES in one directory, the next one still runs."""
    script(tmp_path / "a" / "my-app", 5, mode=0o644)
    script(tmp_path / "b" / "my-app", 6)
    init = start(["--", "my-app"], env={"PATH": f"{tmp_path}/missing:{tmp_path}/a:{tmp_path}/b:/usr/bin:/bin"})
    assert init.wait() == 6


def test_path_search_with_only_a_copy_that_may_not_run_gives_126(start, tmp_path):
    script(tmp_path / "a" / "my-app", 5, mode=0o644)
    init = start(["--", "my-app"], env={"PATH": f"{tmp_path}/missing:{tmp_path}/a:/usr/bin"})
    assert init.wait() == 126
    assert "gracefulinit: cannot run 'my-app': Permission denied" in init.stderr()


def test_path_search_passes_over_a_file_in_place_of_a_directory(start, tmp_path):
    (tmp_path / "file").write_text("")
    script(tmp_path / "b" / "my-app", 6)
    init = start(["--", "my-app"], env={"PATH": f"{tmp_path}/file:{tmp_path}/b:/usr/bin:/bin"})
    assert init.wait() == 6


def test_empty_path_entry_is_the_current_directory(start, tmp_path):
    script(tmp_path / "my-app", 4)
    init = start(["--", "my-app"], env={"PATH": "/usr/bin:"},
                 exec_via=("sh", "-c", f'cd "{tmp_path}" && exec "$@"', "sh"))
    assert init.wait() == 4


def test_name_too_long_for_a_file_gives_126(start):
    """As musl's execvp: ENAMETOOLONG before any directory is tried."""
    init = start(["--", "x" * 300])
    assert init.wait() == 126
    assert "name too long" in init.stderr()  # musl: "Filename", glibc: "File name"
