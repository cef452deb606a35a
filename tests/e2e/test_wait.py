"""gracefulinit(1), WAITING FOR DEPENDENCIES, under the private dockerd with
docker-compose: the app's container starts before its dependency, a real
redis-server from Debian's package, answers, and its command starts only
once redis does, with no restart and no error in the logs. The two services
share a network namespace (network_mode: service:db): the private engine has
no bridge."""
import datetime
import os
import subprocess

import pytest

from conftest import COMPOSE
from gitest.rootfs import copy_with_libraries
from gitest.wait import wait_until

REDIS = "/usr/bin/redis-server"


def stamped(lines, text):
    """The time of the first line of `docker-compose logs -t` that has text."""
    for line in lines:
        if text in line:
            stamp = line.split("|", 1)[1].split()[0]
            return datetime.datetime.fromisoformat(stamp[:26].rstrip("Z")).timestamp()
    pytest.fail(f"{text!r} not in the logs:\n" + "\n".join(lines))


def test_compose_app_waits_for_redis(docker, base_image, tmp_path, record):
    if not os.path.exists(REDIS):
        pytest.fail("redis-server not found: apt-get install redis-server (scripts/deps.sh docker)")
    context = tmp_path / "redis"
    context.mkdir()
    copy_with_libraries(REDIS, str(context))
    db_tag = "gi-e2e/wait-redis:latest"
    docker.build(db_tag, f"FROM {base_image}\nCOPY . /\n", context=str(context))
    project = f"giwait{os.getpid()}"
    # redis answers only once the test says so, after the app has said it
    # waits; the app may restart on failure, and must not need to.
    (tmp_path / "docker-compose.yml").write_text(f"""version: "2.4"
services:
  db:
    image: {db_tag}
    network_mode: none
    entrypoint: ["/sbin/gracefulinit", "--user", "appuser", "--"]
    command: ["/bin/sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.1; done; exec /usr/bin/redis-server --port 6379 --save '' --appendonly no"]
  app:
    image: {base_image}
    network_mode: "service:db"
    restart: on-failure
    entrypoint: ["/sbin/gracefulinit", "--user", "appuser", "--wait", "tcp://127.0.0.1:6379", "--wait-timeout", "60s",
                 "--"]
    command: ["/bin/sh", "-c", "echo app: started; exec sleep 1000"]
""")
    env = dict(docker.env, DOCKER_HOST=f"unix://{docker.sock}", COMPOSE_PROJECT_NAME=project)
    compose = [COMPOSE, "-f", str(tmp_path / "docker-compose.yml")]

    def logs():
        return subprocess.run([*compose, "logs", "--no-color", "-t"], env=env, capture_output=True, text=True,
                              timeout=60).stdout.splitlines()
    try:
        up = subprocess.run([*compose, "up", "-d"], env=env, capture_output=True, text=True, timeout=180)
        assert up.returncode == 0, up.stdout + up.stderr
        app, db = f"{project}_app_1", f"{project}_db_1"
        wait_until(lambda: any("(--wait)" in line for line in logs()), 60, 0.5, what=lambda: "\n".join(logs()))
        assert not any("app: started" in line for line in logs())
        docker("exec", db, "touch", "/tmp/go")
        wait_until(lambda: any("app: started" in line for line in logs()), 60, 0.5, what=lambda: "\n".join(logs()))
        lines = logs()
        redis_ready = stamped(lines, "Ready to accept connections")
        waiting = stamped(lines, "gracefulinit: waiting for tcp://127.0.0.1:6379 (--wait)")
        ready = stamped(lines, "gracefulinit: tcp://127.0.0.1:6379 is ready after")
        started = stamped(lines, "app: started")
        # redis listens just before it logs so: 50 ms of slack for that.
        assert waiting < redis_ready <= started + 0.05, (waiting, redis_ready, started)
        # gracefulinit's line is on stderr, the app's on stdout: dockerd
        # stamps each stream as its own reader gets to it, so two lines
        # microseconds apart may come out in either order (CI saw 74 us).
        assert ready <= started + 0.05, (ready, started)
        assert docker.inspect(app, "{{.RestartCount}}") == "0"
        assert docker.inspect(app, "{{.State.Running}}") == "true"
        assert not [line for line in lines if "error" in line.lower()], "\n".join(lines)
        record("--wait under docker-compose: the app's start after redis answered",
               f"{(started - redis_ready) * 1000:.0f} ms (waited {(ready - waiting):.1f} s)")
        with open(os.path.join(os.environ.get("GRACEFULINIT_E2E_STATE", str(tmp_path)), "compose-wait.log"), "w") as f:
            f.write("\n".join(lines) + "\n")
    finally:
        subprocess.run([*compose, "down", "-t", "5"], env=env, capture_output=True, timeout=120)
