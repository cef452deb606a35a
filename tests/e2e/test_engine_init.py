"""gracefulinit as the engine's own init (gracefulinit(1), CONTAINERS): a
dockerd of its own started with --init-path pointing at the release binary,
and images that do not contain gracefulinit. docker run --init and
Compose's init: true then run it as /sbin/docker-init -- CMD; it takes no
flags there, only GRACEFULINIT_* from the container's environment."""
import os
import subprocess
import time

import pytest

from conftest import COMPOSE, GRACEFULINIT, make_scratch_context, private_engine
from gitest.wait import wait_until

TAG = "gi-e2e/no-init:latest"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    gen = private_engine("--init-path", GRACEFULINIT)
    docker = next(gen)
    context = tmp_path_factory.mktemp("no-init-context")
    make_scratch_context(str(context), with_gracefulinit=False)
    docker.build(TAG, 'FROM scratch\nCOPY . /\nENV PATH=/bin\nCMD ["/bin/sh"]\n', context=str(context))
    yield docker
    try:
        next(gen)
    except StopIteration:
        pass


def test_image_has_no_gracefulinit(engine):
    out = engine("run", "--rm", "--network", "none", TAG, "ls", "/sbin").stdout
    assert "gracefulinit" not in out


def test_docker_info_names_the_init(engine, record):
    """docker info shows the path given to --init-path; Docker reads its
    init's version in tini's format ("tini version X - git.Y"), so the
    commit shows as N/A."""
    info = engine("info", "--format", "{{json .InitBinary}} {{json .InitCommit}}").stdout.strip()
    record("docker info InitBinary InitCommit with --init-path gracefulinit", info)
    assert info == f'"{GRACEFULINIT}" {{"ID":"N/A","Expected":"N/A"}}', info


def test_docker_run_init_drains_a_shell_form_cmd_on_docker_stop(engine, record):
    name = f"gi-e2e-init-{os.getpid()}"
    engine("run", "-d", "--init", "--name", name, "--network", "none", "-e", "GRACEFULINIT_LOG=debug", TAG,
           "sh", "-c", "testapp --cleanup 1500; echo never: sh died of the SIGTERM")
    try:
        wait_until(lambda: "app start" in engine.logs(name), 20, what="the app to start")
        rows = engine.top(name)
        assert rows[0]["comm"] == "docker-init" and "--" in rows[0]["args"], rows
        took = engine.stop(name)
        record("docker stop, docker run --init (gracefulinit as docker-init), shell form, cleanup 1.5 s",
               f"{took:.2f} s")
        logs = engine.logs(name)
        assert "app cleanup-done" in logs, logs
        assert "gracefulinit: received SIGTERM; forwarded SIGTERM to process group" in logs, logs
        assert engine.exit_code(name) == 143
        assert 1.4 <= took < 8, took
    finally:
        engine("rm", "-f", name, check=False)


def test_compose_init_true_with_stop_grace_period(engine, tmp_path, record):
    """Debian's docker-compose (1.29): init: true, a 12 s drain under
    stop_grace_period: 20s, gracefulinit configured from the environment."""
    project = f"gie2e{os.getpid()}"
    (tmp_path / "docker-compose.yml").write_text(f"""version: "2.4"
services:
  app:
    image: {TAG}
    init: true
    network_mode: none
    stop_grace_period: 20s
    environment:
      GRACEFULINIT_USER: appuser
    command: ["testapp", "--cleanup", "12000"]
""")
    env = dict(engine.env, DOCKER_HOST=f"unix://{engine.sock}", COMPOSE_PROJECT_NAME=project)

    def compose(*args, timeout=120):
        return subprocess.run([COMPOSE, "-f", str(tmp_path / "docker-compose.yml"), *args], env=env,
                              capture_output=True, text=True, timeout=timeout, check=True)
    compose("up", "-d")
    try:
        name = f"{project}_app_1"
        wait_until(lambda: "app start" in engine.logs(name), 20, what="the app to start")
        rows = engine.top(name)
        assert {r["uid"] for r in rows} == {1000}, rows  # GRACEFULINIT_USER: nothing runs as root
        began = time.monotonic()
        compose("stop", timeout=60)
        took = time.monotonic() - began
        record("docker-compose stop, init: true, stop_grace_period 20s, cleanup 12 s", f"{took:.2f} s")
        logs = engine.logs(name)
        assert "app cleanup-done" in logs, logs
        assert engine.exit_code(name) == 0
        assert 11.5 <= took < 19, took
    finally:
        subprocess.run([COMPOSE, "-f", str(tmp_path / "docker-compose.yml"), "down"], env=env,
                       capture_output=True, timeout=120)
