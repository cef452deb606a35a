"""gracefulinit(1), HEALTH WATCHDOG and RESTARTING under a real Docker
engine: a real HTTP server (busybox httpd) hangs (SIGSTOP), the watchdog
notices, and either exits 124 so that the engine's restart policy brings up
the container again, or restarts the server in place. moby#28400: Docker
itself only marks such a container unhealthy. With gracefulinit health as
the image's HEALTHCHECK, the engine, docker-compose's depends_on and the
watchdog agree."""
import datetime
import json
import os
import re
import subprocess
import time

import pytest

from conftest import COMPOSE, make_scratch_context, private_engine
from gitest.wait import wait_until

WATCH = ["--health", "http://127.0.0.1:8080/", "--health-interval", "300ms", "--health-timeout", "500ms",
         "--health-retries", "2"]
HTTPD = 'CMD ["httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/www"]'
# A stopped server: the probe's own deadline or the init's cut-off at
# --health-timeout, whichever comes first, says so.
TIMED_OUT = r"timed out after 500ms( \(--health-timeout\)| waiting for the response)"


def httpd_image(image, *options):
    entry = json.dumps(["/sbin/gracefulinit", "--user", "appuser", *WATCH, *options, "--"])
    return image("RUN mkdir -p /www && echo ok > /www/index.html", f"ENTRYPOINT {entry}", HTTPD)


def restarts(docker, name):
    return int(docker.inspect(name, "{{.RestartCount}}"))


def test_unhealthy_exit_and_the_engine_restarts_the_container(docker, image, container):
    name = container("--restart", "unless-stopped", httpd_image(image))
    docker.wait_log(name, "gracefulinit: healthy")
    docker("exec", name, "killall", "-STOP", "httpd")
    wait_until(lambda: restarts(docker, name) >= 1 and docker.running(name), 60,
               what=f"the engine to restart {name}: {docker.logs(name)}")
    logs = docker.logs(name)
    assert re.search(r"unhealthy after 2 failed checks: " + TIMED_OUT, logs), logs
    assert "unhealthy; forwarded SIGTERM to process group" in logs, logs
    docker.wait_log(name, "gracefulinit: healthy", count=2, timeout=30)
    # docker stop is obeyed as ever: no watchdog exit, no engine restart.
    docker.stop(name, timeout=10)
    assert docker.exit_code(name) == 143
    assert restarts(docker, name) == 1


def test_restart_in_place_keeps_the_container(docker, image, container):
    name = container(httpd_image(image, "--on-unhealthy", "restart"))
    docker.wait_log(name, "gracefulinit: healthy")
    docker("exec", name, "killall", "-STOP", "httpd")
    docker.wait_log(name, "restarting it in 100ms (restart 1)", timeout=30)
    docker.wait_log(name, "gracefulinit: healthy", count=2, timeout=30)
    assert docker.running(name)
    assert restarts(docker, name) == 0
    # Nothing runs as root, the new server included.
    rows = docker.top(name)
    assert rows and all(r["uid"] == 1000 for r in rows), rows


# ------------------------------------------------- gracefulinit health

HEALTHCHECK = 'HEALTHCHECK --interval=1s --timeout=5s --start-period=60s --retries=1 CMD ["/sbin/gracefulinit", "health"]'


def engine_health(docker, name):
    state = json.loads(docker.inspect(name, "{{json .State.Health}}"))
    last = state["Log"][-1] if state.get("Log") else {}
    return state["Status"], last.get("ExitCode"), last.get("Output", "").strip()


def test_docker_inspect_follows_gracefulinit_health(docker, image, container):
    """docker run --read-only; the init runs as appuser, the engine's check
    (and docker exec) as root: the engine sees the watchdog's verdict."""
    tag = image("RUN mkdir -p /www && echo ok > /www/index.html", HEALTHCHECK,
                f"ENTRYPOINT {json.dumps(['/sbin/gracefulinit', '--user', 'appuser', *WATCH, '--on-unhealthy', 'none', '--'])}",
                HTTPD)
    name = container("--read-only", tag)
    wait_until(lambda: engine_health(docker, name)[0] == "healthy", 60, 0.5,
               what=lambda: f"docker's health: {engine_health(docker, name)} {docker.logs(name)}")
    assert engine_health(docker, name)[1:] == (0, "healthy")
    docker("exec", name, "killall", "-STOP", "httpd")
    wait_until(lambda: engine_health(docker, name)[0] == "unhealthy", 60, 0.5,
               what=lambda: f"docker's health: {engine_health(docker, name)}")
    code, why = engine_health(docker, name)[1:]
    assert code == 1 and re.fullmatch("unhealthy: " + TIMED_OUT, why), (code, why)
    run = docker("exec", name, "/sbin/gracefulinit", "health", check=False)
    assert run.returncode == 1 and re.fullmatch("unhealthy: " + TIMED_OUT, run.stdout.strip()), run
    docker("exec", name, "killall", "-CONT", "httpd")
    wait_until(lambda: engine_health(docker, name)[0] == "healthy", 60, 0.5, what="healthy again")
    # Nothing of the container's own runs as root (the engine's check, a
    # docker exec through runc, is root's: the image has no USER).
    rows = [r for r in docker.top(name) if r["comm"] in ("gracefulinit", "httpd") and " health" not in r["args"]]
    assert rows and all(r["uid"] == 1000 for r in rows), rows


def started_at(docker, name):
    text = docker.inspect(name, "{{.State.StartedAt}}")  # RFC 3339, nanoseconds, UTC
    return datetime.datetime.fromisoformat(text[:26].rstrip("Z") + "+00:00").timestamp()


def test_compose_depends_on_service_healthy(docker, image, tmp_path):
    """docker-compose starts the client only once the watchdog says the app
    is healthy: its check answers 404 until /www/ready exists."""
    tag = image("RUN mkdir -p /www && echo ok > /www/index.html && chown appuser /www", HEALTHCHECK,
                'ENTRYPOINT ["/sbin/gracefulinit", "--user", "appuser", "--health", "http://127.0.0.1:8080/ready", '
                '"--health-interval", "300ms", "--health-start-period", "5m", "--"]', HTTPD)
    project = f"gihealth{os.getpid()}"
    (tmp_path / "docker-compose.yml").write_text(f"""version: "2.4"
services:
  app:
    image: {tag}
    network_mode: none
  client:
    image: {tag}
    network_mode: none
    entrypoint: ["sleep", "1000"]
    depends_on:
      app:
        condition: service_healthy
""")
    env = dict(docker.env, DOCKER_HOST=f"unix://{docker.sock}", COMPOSE_PROJECT_NAME=project)
    compose = [COMPOSE, "-f", str(tmp_path / "docker-compose.yml")]
    up = subprocess.Popen([*compose, "up", "-d"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        app = f"{project}_app_1"
        wait_until(lambda: docker("ps", "-q", "--filter", f"name={app}").stdout.strip(), 60, what="the app")
        wait_until(lambda: engine_health(docker, app)[2] == "starting", 30, 0.5,
                   what=lambda: f"the app starting: {engine_health(docker, app)}")
        time.sleep(3)  # a few of the engine's checks: all "starting", no client yet
        assert up.poll() is None, up.communicate()[0]
        ready = time.time()
        docker("exec", "-u", "appuser", app, "touch", "/www/ready")
        out = up.communicate(timeout=120)[0]
        assert up.returncode == 0, out
        client = f"{project}_client_1"
        assert started_at(docker, client) >= ready - 0.5, (started_at(docker, client), ready)
        assert engine_health(docker, app)[:2] == ("healthy", 0)
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()
        subprocess.run([*compose, "down", "-t", "5"], env=env, capture_output=True, timeout=120)


# ------------------------------------------------------------ Docker Swarm

@pytest.fixture(scope="module")
def swarm(tmp_path_factory):
    """An engine of its own in swarm mode (the routing mesh needs IPVS, which
    this kernel lacks: nothing is published) with the test image built in it."""
    for engine in private_engine():
        engine("swarm", "init", "--advertise-addr", "127.0.0.1", timeout=120)
        context = tmp_path_factory.mktemp("swarm-context")
        make_scratch_context(str(context))
        (context / "www").mkdir()
        (context / "www" / "index.html").write_text("ok\n")
        entry = json.dumps(["/sbin/gracefulinit", "--user", "appuser", *WATCH, "--"])
        engine.build("gi-e2e/swarm:latest", f'FROM scratch\nCOPY . /\nENV PATH=/bin:/sbin\n{HEALTHCHECK}\n'
                     f'ENTRYPOINT {entry}\n{HTTPD}\n', context=str(context))
        yield engine


def service_tasks(swarm, service):
    out = swarm("service", "ps", "--no-trunc", "--format", "{{.ID}} {{.CurrentState}} {{.Error}}", service).stdout
    return [line for line in out.splitlines() if line.strip()]


def task_containers(swarm, service):
    return swarm("ps", "-q", "--filter", f"label=com.docker.swarm.service.name={service}").stdout.split()


def test_swarm_replaces_the_task_that_turned_unhealthy(swarm):
    service = "gi-watchdog"
    swarm("service", "create", "--detach", "--name", service,
          "--restart-condition", "any", "--restart-delay", "1s", "gi-e2e/swarm:latest", timeout=120)
    try:
        first = wait_until(lambda: task_containers(swarm, service), 60, what="the first task's container")[0]
        wait_until(lambda: "gracefulinit: healthy" in swarm.logs(first), 30, what="the first task healthy")
        # Swarm's view of the task is the watchdog's, through gracefulinit health.
        wait_until(lambda: engine_health(swarm, first)[:2] == ("healthy", 0), 60, 0.5,
                   what=lambda: f"the engine's health: {engine_health(swarm, first)}")
        swarm("exec", first, "killall", "-STOP", "httpd")
        # The task exits 124; Swarm starts another one, which turns healthy.
        second = wait_until(lambda: [c for c in task_containers(swarm, service) if c != first[:12] and c != first],
                            90, what=f"a new task: {service_tasks(swarm, service)}")[0]
        wait_until(lambda: "gracefulinit: healthy" in swarm.logs(second), 30, what="the new task healthy")
        assert swarm.inspect(first, "{{.State.ExitCode}}") == "124"
        assert "unhealthy after 2 failed checks" in swarm.logs(first)
    finally:
        swarm("service", "rm", service, check=False, timeout=120)
