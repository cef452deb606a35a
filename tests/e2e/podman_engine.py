"""A podman of the suite's own: a storage root (vfs) under a temp dir, with
gracefulinit as containers.conf's init_path, rootful or rootless (uid), and
a FROM-scratch image imported as TAG; cleanup() removes it all."""
import os
import shutil
import signal
import subprocess
import tempfile

import pytest

from conftest import GRACEFULINIT, ensure_installed, make_scratch_context

PODMAN = "/usr/bin/podman"
TAG = "gi-e2e/no-init:latest"


class Podman:
    def __init__(self, root, uid=None):
        self.root, self.uid = root, uid
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": root,
                    "XDG_RUNTIME_DIR": os.path.join(root, "xdg"),
                    "CONTAINERS_CONF": os.path.join(root, "containers.conf"),
                    # Health checks run when a test says so: on a host with
                    # systemd, podman would also start a timer for each.
                    "DISABLE_HC_SYSTEMD": "true"}

    def __call__(self, *args, timeout=120, check=True, stdin=None):
        argv = [PODMAN, "--root", f"{self.root}/storage", "--runroot", f"{self.root}/run",
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
        if self.uid is not None:
            argv += ["--storage-opt", "vfs.ignore_chown_errors=true"]
            argv = ["setpriv", "--reuid", str(self.uid), "--regid", str(self.uid), "--clear-groups"] + argv
        proc = subprocess.run(argv + list(args), env=self.env, capture_output=True, text=True, timeout=timeout,
                              stdin=stdin)
        if check and proc.returncode != 0:
            pytest.fail(f"podman {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def logs(self, name):
        proc = self("logs", name, check=False)
        return proc.stdout + proc.stderr

    def inspect(self, name, fmt):
        return self("inspect", "-f", fmt, name).stdout.strip()

    def import_dir(self, context, tag, *changes):
        """The files under context as the image tag, with Dockerfile lines
        (changes) such as ENV or ENTRYPOINT."""
        tar = subprocess.Popen(["tar", "-C", context, "-c", "."], stdout=subprocess.PIPE)
        try:
            self("import", *(arg for change in changes for arg in ("--change", change)), "-", tag,
                 stdin=tar.stdout)
        finally:
            tar.stdout.close()
            tar.wait(30)


def make_podman(uid=None):
    ensure_installed()
    if not os.path.exists(PODMAN):
        pytest.fail("podman not found: scripts/deps.sh docker installs it")
    root = tempfile.mkdtemp(prefix="gi-podman-")
    os.chmod(root, 0o755)
    os.makedirs(os.path.join(root, "xdg"), mode=0o700)
    # A copy anyone can run: the rootless engine bind-mounts it as nobody.
    init = os.path.join(root, "gracefulinit")
    shutil.copy(GRACEFULINIT, init)
    os.chmod(init, 0o755)
    # This machine's hard limits are below podman's default ulimits, which
    # the runtime then cannot set.
    with open(os.path.join(root, "containers.conf"), "w") as f:
        f.write(f'[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                f'init_path = "{init}"\n')
    context = os.path.join(root, "context")
    make_scratch_context(context, with_gracefulinit=False)
    if uid is not None:
        for dirpath, dirnames, filenames in os.walk(root):
            for n in dirnames + filenames:
                os.lchown(os.path.join(dirpath, n), uid, uid)
        os.chown(root, uid, uid)
    podman = Podman(root, uid)
    podman.import_dir(context, TAG, "ENV PATH=/bin")
    return podman, init


def cleanup(podman):
    podman("rm", "-af", "-t", "0", check=False, timeout=60)
    # Rootless podman keeps a pause process (catatonit -P) to hold its user
    # namespace for the next command; it outlives the test unless killed.
    try:
        with open(os.path.join(podman.root, "xdg", "libpod", "tmp", "pause.pid")) as f:
            os.kill(int(f.read().strip()), signal.SIGKILL)
    except (OSError, ValueError):
        pass  # rootful, or gone already
    shutil.rmtree(podman.root, ignore_errors=True)
