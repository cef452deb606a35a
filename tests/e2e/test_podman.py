"""gracefulinit as Podman's init (gracefulinit(1), CONTAINERS): Debian's
podman runs it as /run/podman-init -- CMD with --init --init-path (or
containers.conf's init_path), rootful, and rootless as nobody. Each run has
a storage root of its own (vfs) under a temp dir, removed afterwards."""
import os
import time

import pytest

from gitest.wait import wait_until
from podman_engine import TAG, cleanup, make_podman

SHELL_FORM = "testapp --cleanup 1500; echo never: sh died of the SIGTERM"


def drain_on_stop(podman, record, what, *init_args):
    name = f"gi-e2e-podman-{os.getpid()}-{what}"
    podman("run", "-d", "--name", name, "--network", "none", "--init", *init_args, TAG, "sh", "-c", SHELL_FORM)
    wait_until(lambda: "app start" in podman.logs(name), 30, what="the app to start")
    cmdline = podman("exec", name, "cat", "/proc/1/cmdline").stdout.split("\0")
    assert cmdline[:2] == ["/run/podman-init", "--"], cmdline
    began = time.monotonic()
    podman("stop", "-t", "10", name, timeout=60)
    took = time.monotonic() - began
    record(f"podman stop, {what}, --init (gracefulinit), shell form, cleanup 1.5 s", f"{took:.2f} s")
    logs = podman.logs(name)
    assert "app cleanup-done" in logs, logs
    assert "gracefulinit: received SIGTERM; forwarded SIGTERM to process group" in logs, logs
    code = podman.inspect(name, "{{.State.ExitCode}}")
    assert code == "143", code
    assert 1.4 <= took < 8, took


def test_rootful_podman_init_path(record):
    if os.geteuid() != 0:
        pytest.skip("rootful podman needs root")
    podman, init = make_podman()
    try:
        drain_on_stop(podman, record, "rootful", "--init-path", init)
    finally:
        cleanup(podman)


def test_rootless_podman_init_path_from_containers_conf(record):
    """As nobody, with no subordinate ids (one uid mapped): the init comes
    from containers.conf's init_path."""
    if os.geteuid() != 0:
        pytest.skip("the test starts the rootless engine as nobody from root")
    podman, _ = make_podman(uid=65534)
    try:
        drain_on_stop(podman, record, "rootless")
    finally:
        cleanup(podman)
