"""gracefulinit under Docker Swarm (docs/swarm.md): a private dockerd in
swarm mode, in a network namespace of its own with its own bridge and
iptables, torn down with everything in it. No routing mesh (the kernel has
no IPVS): tasks join a swarm-scoped bridge network, and clients reach each
task at its own address from inside the engine's network namespace.

- secrets: a Swarm secret through --secret NAME (NAME_FILE), never shown by
  inspect or the logs; one the user cannot read is the usual clear error;
- rolling updates (--force, then a new image) of Debian's nginx, behind an
  entrypoint script and in exec form, start-first, with --stop-signal QUIT
  and --stop-grace-period, under load through a balancer that follows
  Swarm late: requests sent, completed, refused and failed, for
  gracefulinit, tini (--init) and no init;
- health: Swarm replaces a task whose `gracefulinit probe` or
  `gracefulinit health` HEALTHCHECK fails."""
import collections
import hashlib
import os
import secrets as pysecrets
import threading
import time

import pytest

from conftest import APPUSER_UID, build_base_image, private_engine
from gitest.httpload import Load
from gitest.nginx import NGINX, need_nginx, write_conf
from gitest.rootfs import copy_with_libraries
from gitest.wait import wait_until

PORT = 8080
NETWORK = "gi-swarm-net"


@pytest.fixture(scope="module")
def swarm(tmp_path_factory):
    engine_gen = private_engine(own_netns=True)
    engine = next(engine_gen)
    try:
        engine("swarm", "init", "--advertise-addr", "127.0.0.1", "--task-history-limit", "10")
        engine("network", "create", "--driver", "bridge", "--scope", "swarm", NETWORK)
        build_base_image(engine, str(tmp_path_factory.mktemp("swarm-base")))
        yield engine
    finally:
        try:
            services = engine("service", "ls", "-q", check=False).stdout.split()
            if services:
                engine("service", "rm", *services, check=False)
            engine("swarm", "leave", "--force", check=False, timeout=60)
        finally:
            engine_gen.close()


def tasks(engine, service):
    return engine.api('/tasks?filters={"service":["%s"]}' % service)


def running_tasks(engine, service):
    """The tasks Swarm means to run and reports running (healthy, where the
    image has a health check): what a load balancer following it would use."""
    return [t for t in tasks(engine, service)
            if t["DesiredState"] == "running" and t["Status"]["State"] == "running"]


def container_of(task):
    return task["Status"].get("ContainerStatus", {}).get("ContainerID")


def ended_logs(engine, service):
    """The logs of the task that ended last, to say why it ended."""
    ended = [t for t in tasks(engine, service) if container_of(t) and t["Status"]["State"] != "running"]
    if not ended:
        return "no task has ended"
    last = max(ended, key=lambda t: t["Status"]["Timestamp"])
    return f"{last['Status']}, logs: {engine.logs(container_of(last))[-2000:]}"


def wait_running(engine, service, replicas, timeout=90):
    def running():
        now = running_tasks(engine, service)
        return now if len(now) == replicas else None
    return wait_until(running, timeout, 0.2, what=lambda: f"{replicas} running tasks of {service}; "
                      f"{len(tasks(engine, service))} tasks in all; the last to end: {ended_logs(engine, service)}")


def remove_service(engine, service):
    """The service and its containers, gone before the next test; one that
    was never created is no second error."""
    engine("service", "rm", service, check=False)
    label = f"label=com.docker.swarm.service.name={service}"
    wait_until(lambda: not engine("ps", "-aq", "--filter", label).stdout.split(), 60, 0.2,
               what=f"the containers of {service} to go")


# ---------------------------------------------------------------- secrets

def test_secret_reaches_the_app_as_a_variable_and_nowhere_else(swarm):
    value = "sw-" + pysecrets.token_hex(12)
    swarm("secret", "create", "gi_db_password", "-", input=value)
    service = "gi-secret"
    try:
        secret_reaches_the_app(swarm, service, value)
    finally:
        try:
            remove_service(swarm, service)
        finally:
            swarm("secret", "rm", "gi_db_password", check=False)


def secret_reaches_the_app(swarm, service, value):
    digest = hashlib.sha256(value.encode()).hexdigest()
    swarm("service", "create", "--detach", "--name", service, "--restart-condition", "none",
          "--secret", "gi_db_password", "-e", "DB_PASSWORD_FILE=/run/secrets/gi_db_password",
          "gi-e2e/base:latest",
          "/sbin/gracefulinit", "--user", "appuser", "--secret", "DB_PASSWORD", "--",
          "sh", "-c", 'echo "sha256 $(printf %s "$DB_PASSWORD" | sha256sum)"; '
          'echo "file variable: ${DB_PASSWORD_FILE:-unset}"; echo "uid $(id -u)"; exec sleep 1000')
    task = wait_running(swarm, service, 1)[0]
    cid = container_of(task)
    swarm.wait_log(cid, "uid ")
    logs = swarm.logs(cid)
    assert f"sha256 {digest}" in logs
    assert "file variable: unset" in logs
    assert f"uid {APPUSER_UID}" in logs
    shown = {
        "docker service inspect": swarm("service", "inspect", service).stdout,
        "docker inspect (task)": swarm("inspect", task["ID"]).stdout,
        "docker inspect (container)": swarm("inspect", cid).stdout,
        "docker service logs": swarm("service", "logs", "--raw", service).stdout,
        "docker logs": logs,
        "docker secret inspect": swarm("secret", "inspect", "gi_db_password").stdout,
    }
    for where, text in shown.items():
        if value in text:  # an assert would print the value
            pytest.fail(f"the secret's value is shown by {where}")
    assert "/run/secrets/gi_db_password" in shown["docker inspect (container)"]


def test_secret_the_user_cannot_read_is_one_line_and_125(swarm):
    """The service runs as uid 1000 from the start (--user on the service),
    and the secret is root's 0400: gracefulinit cannot read it."""
    value = "sw-" + pysecrets.token_hex(12)
    swarm("secret", "create", "gi_locked", "-", input=value)
    service = "gi-secret-locked"
    try:
        swarm("service", "create", "--detach", "--name", service, "--restart-condition", "none",
              "--user", str(APPUSER_UID),
              "--secret", "source=gi_locked,target=locked,uid=0,gid=0,mode=0400",
              "-e", "DB_PASSWORD_FILE=/run/secrets/locked",
              "gi-e2e/base:latest", "/sbin/gracefulinit", "--secret", "DB_PASSWORD", "--", "echo", "never")
        done = wait_until(lambda: [t for t in tasks(swarm, service) if t["Status"]["State"] in ("failed", "complete")],
                          60, 0.2, what=lambda: f"the task of {service} to end: {tasks(swarm, service)}")
        assert done[0]["Status"]["ContainerStatus"]["ExitCode"] == 125
        logs = swarm.logs(container_of(done[0]))
        assert logs == "gracefulinit: --secret DB_PASSWORD: cannot read /run/secrets/locked: Permission denied\n"
        if value in swarm("service", "logs", "--raw", service).stdout:
            pytest.fail("the secret's value is in the service's logs")
    finally:
        try:
            remove_service(swarm, service)
        finally:
            swarm("secret", "rm", "gi_locked", check=False)


# ---------------------------------------------------------------- rolling updates

START_SH = """#!/bin/sh
# An entrypoint script as many images have one: it prepares, then runs the
# server without exec, so the shell stays its parent.
echo "start.sh: serving {version}"
{nginx} -e stderr -c /etc/nginx/nginx.conf
echo "start.sh: nginx exited $?"
"""
BODY = 256 * 1024
RATE = "128k"  # each download takes 2 s: requests are in flight at every stop
# Retries to spare: one probe slowed by the load on two cores must not make
# Swarm replace a task in the middle of the measurement.
HEALTHCHECK = ('HEALTHCHECK --interval=1s --timeout=3s --retries=5 '
               f'CMD ["/sbin/gracefulinit", "probe", "http://127.0.0.1:{PORT}/health"]')
INITS = {
    # name: (image flavour, docker service create flags)
    "gracefulinit": ("gi", ()),
    "tini (--init)": ("plain", ("--init",)),
    "no init": ("plain", ()),
}
FORMS = {
    # name: the service's command (its Args), if not the image's CMD
    "entrypoint script": (),
    "exec form": (NGINX, "-e", "stderr", "-c", "/etc/nginx/nginx.conf"),
}


def nginx_images(engine, tmp_path):
    """gi-e2e/web-{gi,plain}:{v1,v2}: nginx behind start.sh, serving /big
    slowly and /health, with X-Version naming the version. "gi" has
    gracefulinit as its ENTRYPOINT and starts as root; "plain" starts as
    appuser, which neither tini nor a shell can switch to themselves."""
    need_nginx()
    for version in ("v1", "v2"):
        context = tmp_path / f"web-{version}"
        (context / "www").mkdir(parents=True)
        (context / "etc" / "nginx").mkdir(parents=True)
        copy_with_libraries(NGINX, str(context))
        (context / "www" / "big").write_bytes(os.urandom(BODY))
        (context / "www" / "health").write_text("ok\n")
        write_conf(str(context / "etc" / "nginx" / "nginx.conf"), "/tmp", PORT,
                   f"root /www;\n        add_header X-Version {version} always;\n"
                   f"        location /big {{ limit_rate {RATE}; }}",
                   first_lines="daemon off;", host="0.0.0.0", error_log="stderr")
        (context / "start.sh").write_text(START_SH.format(version=version, nginx=NGINX))
        os.chmod(context / "start.sh", 0o755)
        common = ["FROM gi-e2e/base:latest", "COPY . /", HEALTHCHECK, 'CMD ["/start.sh"]']
        engine.build(f"gi-e2e/web-gi:{version}", "\n".join(
            common + [f'ENTRYPOINT ["/sbin/gracefulinit", "--user", "appuser", "--stop-signal", "QUIT", '
                      f'"--stop-delay", "{STOP_DELAY}", "--"]']) + "\n",
            context=str(context))
        engine.build(f"gi-e2e/web-plain:{version}", "\n".join(common + ["USER appuser"]) + "\n",
                     context=str(context))


LAG = 5  # seconds; Traefik's Swarm provider polls every 15 s by default
STOP_DELAY = "5s"  # Swarm's own 2 s wait plus this outlast LAG (docs/swarm.md)


class Balancer:
    """A load balancer that follows Swarm LAG seconds late: it adds a task
    once Swarm reports it running, and drops it LAG seconds after Swarm has
    marked it for shutdown, as one that polls or gossips would."""

    def __init__(self, engine, service):
        self.engine, self.service = engine, service
        self.current = []
        self._addresses = {}
        self._leaving = {}  # task ID: when Swarm was first seen stopping it
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._refresh()
        self._thread.start()

    def _refresh(self):
        now = time.monotonic()
        chosen = []
        for task in tasks(self.engine, self.service):
            if task["DesiredState"] != "running" and task["ID"] in self._addresses:
                self._leaving.setdefault(task["ID"], now)
            serving = task["DesiredState"] == "running" and task["Status"]["State"] == "running"
            leaving = self._leaving.get(task["ID"])
            if serving or (leaving is not None and now - leaving < LAG):
                chosen.append((self.address(task), PORT))
        self.current = chosen

    def address(self, task):
        """The task's container's address on NETWORK: a swarm-scoped bridge
        network's task attachments have none."""
        if task["ID"] not in self._addresses:
            container = self.engine.api(f"/containers/{container_of(task)}/json")
            self._addresses[task["ID"]] = container["NetworkSettings"]["Networks"][NETWORK]["IPAddress"]
        return self._addresses[task["ID"]]

    def _run(self):
        try:
            while not self._stop.wait(0.1):
                self._refresh()
        except BaseException as e:  # pytest.fail's too: a frozen balancer would blame the init
            self.error = e

    def __call__(self):
        return self.current

    def check(self):
        if self.error is not None:
            raise AssertionError(f"the balancer stopped following Swarm: {self.error!r}")

    def close(self):
        self._stop.set()
        self._thread.join(10)


def nginx_exited_gracefully(logs):
    """The master's own "exit" notice is its last word after a graceful
    stop; a process killed outright says nothing more."""
    notices = [line for line in logs.splitlines() if "[notice]" in line]
    return bool(notices) and notices[-1].endswith(": exit")


def rolling_updates(engine, flavour, flags, command):
    """Two updates of a two-task service under load: --force, then v2.
    Returns the load's summary, the old tasks' ends and the updates' time."""
    service = "gi-web-" + flavour + ("-init" if flags else "") + ("-exec" if command else "")
    engine("service", "create", "--detach", "--name", service, "--replicas", "2", "--network", NETWORK,
           "--stop-signal", "QUIT", "--stop-grace-period", "10s",
           "--update-order", "start-first", "--update-parallelism", "1", "--update-delay", "0s",
           "--update-monitor", "1s", *flags, f"gi-e2e/web-{flavour}:v1", *command)
    balancer, loads = None, []
    try:
        first = {t["ID"] for t in wait_running(engine, service, 2)}
        balancer = Balancer(engine, service)
        # Downloads that are in flight at every stop, and small requests,
        # a few hundred a second, that would meet a closed port.
        loads += [Load(balancer, "/big", clients=4, netns_pid=engine.pid).start(),
                  Load(balancer, "/health", clients=4, netns_pid=engine.pid, pause=0.01).start()]
        time.sleep(3)
        began = time.monotonic()
        engine("service", "update", "--force", service, timeout=300)
        wait_running(engine, service, 2)
        engine("service", "update", "--image", f"gi-e2e/web-{flavour}:v2", service, timeout=300)
        now = wait_running(engine, service, 2)
        converged = time.monotonic()
        health = [engine.inspect(container_of(t), "{{.State.Health.Status}}") for t in now]
        assert health == ["healthy", "healthy"], (service, health)
        took = converged - began
        # Past the balancer's lag, and past the connects it sent to old
        # tasks' addresses that are gone (EHOSTUNREACH after some 3 s).
        time.sleep(LAG + 5)
        summaries = [load.stop() for load in loads]
        balancer.check()
        summary = {key: sum(s[key] for s in summaries) for key in summaries[0]}
        # Past the balancer's lag, every answer is the new image's.
        versions = {r[4].get("X-Version") for load in loads for r in load.requests
                    if r[1] > converged + LAG + 0.5 and r[4]}
        assert versions == {"v2"}, (service, versions, summary)
        old = [t for t in tasks(engine, service) if t["ID"] not in {n["ID"] for n in now}]
        assert len(old) == 4, old
        assert first <= {t["ID"] for t in old}
        ends = []
        for task in old:
            cid = container_of(task)
            engine.wait_exited(cid, 30)
            ends.append((engine.exit_code(cid), nginx_exited_gracefully(engine.logs(cid))))
        return summary, ends, took, loads[0].problems() + loads[1].problems()
    finally:
        for load in loads:
            load.close()
        if balancer:
            balancer.close()
        remove_service(engine, service)


def test_rolling_updates_under_load(swarm, tmp_path, record):
    nginx_images(swarm, tmp_path)
    rows = {}
    for form, command in FORMS.items():
        for name, (flavour, flags) in INITS.items():
            rows[form, name] = rolling_updates(swarm, flavour, flags, command)
    lines = ["| CMD | init | sent | completed | refused | failed | old tasks' exit | nginx drained | two updates |",
             "|---|---|---|---|---|---|---|---|---|"]
    for (form, name), (summary, ends, took, _) in rows.items():
        lines.append(f"| {form} | {name} | {summary['sent']} | {summary['completed']} | {summary['refused']} | "
                     f"{summary['failed']} | {', '.join(str(code) for code, _ in ends)} | "
                     f"{sum(graceful for _, graceful in ends)} of {len(ends)} | {took:.1f} s |")
    for (form, name), (_, _, _, problems) in rows.items():
        if problems:
            why = collections.Counter(detail for *_, detail in problems)
            lines.append(f"\n{form}, {name}: " + ", ".join(f"{n} {d}" for d, n in why.most_common()))
    table = "\n".join(lines)
    record(f"Swarm rolling updates (--force, then a new image; 2 tasks, start-first, QUIT, 10 s grace, "
           f"a balancer {LAG} s behind, gracefulinit --stop-delay {STOP_DELAY})",
           "\n" + table)
    with open(os.path.join(os.environ.get("GRACEFULINIT_E2E_STATE", str(tmp_path)), "swarm-rolling.md"), "w") as f:
        f.write(table + "\n")
    for form in FORMS:
        summary, ends, _, problems = rows[form, "gracefulinit"]
        assert summary["completed"] > 0
        assert summary["refused"] == 0 and summary["failed"] == 0, (form, problems[:10])
        assert ends == [(0, True)] * 4, (form, ends)
    # What docs/swarm.md says of the others. Behind the script, nginx never
    # hears the QUIT and Swarm kills it at the grace period; in exec form it
    # drains, but closes its port while the balancer still sends to it.
    for name in ("tini (--init)", "no init"):
        _, ends, _, _ = rows["entrypoint script", name]
        assert ends == [(137, False)] * 4, (name, ends)
        summary, ends, _, _ = rows["exec form", name]
        assert ends == [(0, True)] * 4, (name, ends)
        assert summary["refused"] + summary["failed"] > 0, (name, summary)


# ---------------------------------------------------------------- health

def health_image(engine, tmp_path, entrypoint, healthcheck):
    context = tmp_path / "health"
    (context / "www").mkdir(parents=True, exist_ok=True)
    (context / "www" / "health").write_text("ok\n")
    tag = f"gi-e2e/health-{healthcheck[1]}:latest"
    engine.build(tag, "\n".join([
        "FROM gi-e2e/base:latest", "COPY www /www",
        f"HEALTHCHECK --interval=1s --timeout=3s --retries=2 --start-period=5s CMD {healthcheck}",
        f"ENTRYPOINT {entrypoint}",
        f'CMD ["httpd", "-f", "-p", "{PORT}", "-h", "/www"]']).replace("'", '"') + "\n", context=str(context))
    return tag


@pytest.mark.parametrize("check", ["probe", "health"])
def test_swarm_replaces_a_task_whose_check_fails(swarm, tmp_path, check):
    """The app stops answering its health URL (its file is removed): with
    the probe, the engine's check fails; with `health`, the watchdog's
    verdict (--on-unhealthy none: Swarm acts) is what the check reports."""
    url = f"http://127.0.0.1:{PORT}/health"
    if check == "probe":
        entrypoint = ["/sbin/gracefulinit", "--user", "appuser", "--"]
        healthcheck = ["/sbin/gracefulinit", "probe", url]
    else:
        entrypoint = ["/sbin/gracefulinit", "--user", "appuser", "--health", url, "--health-interval", "1s",
                      "--health-retries", "2", "--on-unhealthy", "none", "--"]
        healthcheck = ["/sbin/gracefulinit", "health"]
    tag = health_image(swarm, tmp_path, str(entrypoint), healthcheck)
    service = f"gi-health-{check}"
    swarm("service", "create", "--detach", "--name", service, "--network", NETWORK, tag)
    try:
        first = wait_running(swarm, service, 1)[0]
        swarm("exec", container_of(first), "rm", "/www/health")
        replaced = wait_until(lambda: [t for t in running_tasks(swarm, service) if t["ID"] != first["ID"]],
                              90, 0.2, what=lambda: f"a new task of {service}: {tasks(swarm, service)}")
        old = [t for t in tasks(swarm, service) if t["ID"] == first["ID"]][0]
        assert "unhealthy" in old["Status"].get("Err", ""), old["Status"]
        health = swarm.inspect(container_of(replaced[0]), "{{.State.Health.Status}}")
        assert health == "healthy"
    finally:
        remove_service(swarm, service)
