"""--secret under a real Docker engine and Debian's docker-compose: a secret
bind-mounted read-only at /run/secrets (root 0400), handed to an app that
runs as appuser and reads only environment variables. docker inspect shows
the path, never the value."""
import json
import os
import re
import subprocess

import pytest

from conftest import COMPOSE

VALUE = "^e2e-Zq7-s3cr3t"
ENTRYPOINT = 'ENTRYPOINT ["/sbin/gracefulinit", "--user", "appuser", "--secret", "API_TOKEN", "--"]'
CMD = 'CMD ["testapp", "--report", "--env", "API_TOKEN", "--env", "API_TOKEN_FILE", "--exit", "0"]'


def env_of(logs, var):
    m = re.search(rf"app env {var} (\S+)", logs)
    assert m, logs
    return None if m.group(1) == "unset" else bytes.fromhex(m.group(1)).decode()


def uid_of(logs):
    m = re.search(r"app status Uid:?\s+(\d+)", logs)
    assert m, logs
    return int(m.group(1))


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "api_token"
    path.write_text(VALUE + "\n")
    os.chmod(path, 0o400)
    return str(path)


def test_docker_secret_file_for_appuser(docker, image, container, secret_file, record):
    tag = image(ENTRYPOINT, CMD)
    name = container("-v", f"{secret_file}:/run/secrets/api_token:ro", "-e", "API_TOKEN_FILE=/run/secrets/api_token",
                     tag)
    docker.wait_exited(name, 30)
    logs = docker.logs(name)
    assert docker.exit_code(name) == 0, logs
    assert env_of(logs, "API_TOKEN") == VALUE
    assert env_of(logs, "API_TOKEN_FILE") is None
    assert uid_of(logs) == 1000
    env = json.loads(docker.inspect(name, "{{json .Config.Env}}"))
    assert "API_TOKEN_FILE=/run/secrets/api_token" in env
    assert VALUE not in docker("inspect", name).stdout
    assert VALUE not in docker("history", "--no-trunc", tag).stdout
    record("docker inspect .Config.Env with --secret", " ".join(e for e in env if "API_TOKEN" in e))


def test_docker_secret_refused_names_the_path(docker, image, container, tmp_path):
    tag = image(ENTRYPOINT, CMD)
    name = container("-e", "API_TOKEN_FILE=/run/secrets/missing", tag)
    docker.wait_exited(name, 30)
    assert docker.exit_code(name) == 125
    assert docker.logs(name).strip() == (
        "gracefulinit: --secret API_TOKEN: cannot read /run/secrets/missing: No such file or directory")


COMPOSE_FILE = """version: "3.8"
services:
  app:
    image: {tag}
    network_mode: none
    environment:
      API_TOKEN_FILE: /run/secrets/api_token
    secrets:
      - api_token
secrets:
  api_token:
    file: {secret}
"""


def test_compose_top_level_secrets(docker, image, secret_file, tmp_path):
    tag = image(ENTRYPOINT, CMD)
    project = tmp_path / "project"
    project.mkdir()
    (project / "docker-compose.yml").write_text(COMPOSE_FILE.format(tag=tag, secret=secret_file))
    env = dict(docker.env, DOCKER_HOST=f"unix://{docker.sock}", COMPOSE_PROJECT_NAME=f"gisecrets{os.getpid()}")

    def compose(*args, timeout=120):
        return subprocess.run([COMPOSE, "--no-ansi", *args], cwd=project, env=env, capture_output=True, text=True,
                              timeout=timeout)
    try:
        up = compose("up", "--abort-on-container-exit", "--exit-code-from", "app")
        out = up.stdout + up.stderr
        assert up.returncode == 0, out
        assert env_of(out, "API_TOKEN") == VALUE
        assert env_of(out, "API_TOKEN_FILE") is None
        assert uid_of(out) == 1000
        ids = compose("ps", "-q", "-a").stdout.split() or compose("ps", "-q").stdout.split()
        for cid in ids:
            assert VALUE not in docker("inspect", cid).stdout
    finally:
        compose("down", "--remove-orphans", timeout=60)
