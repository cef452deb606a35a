"""Dockerfile.example, built for real and stopped.

No registry is reachable, so the base image its FROM names is made here from
Debian's packages (make_base_image.sh: debootstrap --variant=minbase) and
`docker import`ed under that name; the tarball is cached in the build tree.
The build reaches Debian's package registry, so it alone runs with
--network host; the container runs with --network none.
"""
import os
import re
import subprocess
import time

import pytest

from conftest import E2E_STATE, HERE, SOURCE_DIR
from gitest.wait import wait_until

DOCKERFILE = os.path.join(SOURCE_DIR, "Dockerfile.example")
BASE_TARBALL = os.path.join(E2E_STATE, "debian-bookworm-minbase.tar")
TAG = "gi-e2e/example-http:latest"


def base_images():
    """The images Dockerfile.example's stages start FROM (stage names aside)."""
    with open(DOCKERFILE) as f:
        text = f.read()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, re.MULTILINE | re.IGNORECASE)
    return sorted(set(froms) - set(stages))


@pytest.fixture(scope="module")
def example_image(docker, record):
    (base,) = base_images()
    assert re.fullmatch(r"debian:bookworm-\d{8}-slim", base), f"FROM {base}: not a pinned tag"
    if not os.path.exists(BASE_TARBALL):
        os.makedirs(E2E_STATE, exist_ok=True)
        began = time.monotonic()
        subprocess.run([os.path.join(HERE, "make_base_image.sh"), BASE_TARBALL], check=True, timeout=900)
        record("base image: debootstrap minbase (not cached)", f"{time.monotonic() - began:.0f} s")
    else:
        record("base image: debootstrap minbase", "cached in the build tree")
    began = time.monotonic()
    docker("import", "--change", 'CMD ["bash"]', BASE_TARBALL, base, timeout=300)
    record("base image: docker import", f"{time.monotonic() - began:.1f} s")

    began = time.monotonic()
    docker("build", "-q", "--network", "host", "-f", DOCKERFILE, "-t", TAG, SOURCE_DIR, timeout=1200)
    record("Dockerfile.example: docker build (no layer cache)", f"{time.monotonic() - began:.0f} s")
    record("image size: base " + base, f"{docker.image_size(base) / 1e6:.1f} MB")
    record("image size: Dockerfile.example", f"{docker.image_size(TAG) / 1e6:.1f} MB")
    return TAG


def test_final_stage_has_no_build_tools(docker, example_image):
    proc = docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", example_image, "-c",
                  "for t in gcc cc cmake make musl-gcc; do command -v $t; done; ls /src /opt/libcap-ng 2>&1; true")
    assert "/usr/bin" not in proc.stdout, proc.stdout
    assert proc.stdout.count("No such file or directory") == 2, proc.stdout


def test_only_the_service_is_copied_into_the_image(docker, example_image):
    proc = docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/ls", example_image, "-A", "/app")
    assert proc.stdout.split() == ["app.py"], proc.stdout
    assert docker.inspect(example_image, "{{.Config.User}}") in ("", "root")  # gracefulinit drops, not USER
    assert docker.inspect(example_image, "{{json .Config.ExposedPorts}}") == '{"8000/tcp":{}}'
    health = docker.inspect(example_image, "{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.StartPeriod}}")
    assert health.startswith('["CMD","/sbin/gracefulinit","probe",') and not health.endswith(" 0"), health


def test_no_secrets_in_env_or_build_args(docker, example_image):
    env = docker.inspect(example_image, "{{json .Config.Env}}")
    assert not re.search(r"(?i)(token|secret|password|key)=", env), env
    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", example_image).stdout
    assert not re.search(r"(?i)\b(ARG|ENV)\b.*(token|secret|password)", history), history


def test_example_takes_its_token_through_secret(docker, example_image, container, tmp_path):
    """Root 0400 on the host, read by gracefulinit as root; the app, uid
    10001, could not read the file itself and gets API_TOKEN instead."""
    token = tmp_path / "api_token"
    token.write_text("example-Zq7-token\n")
    os.chmod(token, 0o400)
    name = container("--mount", f"type=bind,src={token},dst=/run/secrets/api_token,readonly",
                     "-e", "API_TOKEN_FILE=/run/secrets/api_token", example_image)
    docker.wait_log(name, "listening on :8000 as uid 10001 with an API token", timeout=30)
    denied = docker("exec", "-u", "10001", name, "cat", "/run/secrets/api_token", check=False)
    assert denied.returncode != 0 and "Permission denied" in denied.stderr, denied
    assert "example-Zq7-token" not in docker("inspect", name).stdout
    docker.stop(name)
    assert docker.exit_code(name) == 0


def test_example_reports_healthy_then_stops_cleanly(docker, example_image, container, record):
    # The image's 30 s interval is for production; the test checks every second.
    name = container("--health-interval", "1s", example_image)
    began = time.monotonic()

    def healthy():
        state = docker.inspect(name, "{{.State.Status}} {{.State.Health.Status}}")
        if state.startswith("exited"):
            pytest.fail(f"{name} exited {docker.exit_code(name)}: {docker.logs(name)}")
        return state == "running healthy"
    wait_until(healthy, 60, what=f"{name} to report healthy")
    record("Dockerfile.example: start to healthy (health interval 1 s)", f"{time.monotonic() - began:.1f} s")

    rows = docker.top(name)
    assert [p["comm"] for p in rows][:2] == ["gracefulinit", "python3"], rows
    assert all(p["uid"] == 10001 for p in rows), rows

    took = docker.stop(name)
    record("Dockerfile.example: docker stop (docker stop -t 10)", f"{took:.2f} s")
    logs = docker.logs(name)
    assert "received SIGTERM: draining and shutting down" in logs, logs
    assert "shutdown complete" in logs
    assert "gracefulinit: received SIGTERM; forwarded SIGTERM" in logs
    assert docker.exit_code(name) == 0
    assert took < 5
