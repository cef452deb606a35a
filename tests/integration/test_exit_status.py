"""SPEC 6: exit statuses, in docker run's conventions."""
import pytest

from conftest import TESTAPP, app


@pytest.mark.parametrize("code", [0, 1, 3, 255])
def test_command_exit_code_is_passed_through(start, code):
    init = start(["--", TESTAPP, "--exit", str(code)])
    assert init.wait() == code
