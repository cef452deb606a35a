#!/usr/bin/env python3
"""The watchdog's costs, side by side (gracefulinit(1), HEALTH WATCHDOG):

  cpu       CPU per check: Docker's own HEALTHCHECK running `gracefulinit
            probe` every second (each check a `docker exec`: dockerd,
            containerd, the shim, runc) against the watchdog checking the same
            URL at the same interval, under one private dockerd. Both count the
            engine's processes and the container's cgroup; the server's own
            work is in both (testapp's one-process HTTP server: busybox httpd
            would add a fork of its own to every check).
  detect    from SIGSTOP of the server to the watchdog's verdict, against
            interval x retries + timeout
  restart   from the watchdog's decision to the new command running, beyond
            the drain and the 100 ms restart delay
  memory    PID 1's VmRSS with the watchdog and without
  wakeups   PID 1's context switches over a quiet window, without --health and
            with one check a second

usage: bench/watchdog.py [--seconds N] [--out FILE]   (root; a release build)
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(ROOT, "tests", "lib"), os.path.join(ROOT, "tests", "e2e")]

from gitest import procfs  # noqa: E402
from gitest.wait import wait_until  # noqa: E402

BUILD = os.environ.get("GRACEFULINIT_BUILD", os.path.join(ROOT, "build", "release"))
GRACEFULINIT = os.environ.get("GRACEFULINIT", os.path.join(BUILD, "src", "gracefulinit"))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=True):
    """utime + stime (+ what reaped children used) of pid, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def engine_pids(root):
    """dockerd, containerd and every shim of the private engine at root."""
    found = []
    for pid in procfs.pids():
        cmd = procfs.cmdline(pid)
        if root in cmd and any(w in cmd for w in ("dockerd", "containerd")):
            found.append(pid)
    return found


def cgroup_usage(pid):
    """The CPU the cgroup of pid used so far, in seconds: cgroup v2's
    cpu.stat, or v1's cpuacct.usage."""
    with open(f"/proc/{pid}/cgroup") as f:
        lines = dict(line.rstrip("\n").split(":", 2)[1:] for line in f)
    if "cpuacct" in lines or "cpu,cpuacct" in lines:
        path = lines.get("cpuacct") or lines["cpu,cpuacct"]
        for mount in ("cpuacct", "cpu,cpuacct"):
            try:
                with open(f"/sys/fs/cgroup/{mount}{path}/cpuacct.usage") as f:
                    return int(f.read()) / 1e9
            except FileNotFoundError:
                continue
    with open(f"/sys/fs/cgroup{lines['']}/cpu.stat") as f:
        return int(re.search(r"usage_usec (\d+)", f.read()).group(1)) / 1e6


def measure_cpu(docker, name, seconds):
    """CPU of the engine's processes and of the container over a window."""
    pid = int(docker.inspect(name, "{{.State.Pid}}"))
    pids = engine_pids(docker.root)
    before = sum(cpu_seconds(p) for p in pids) + cgroup_usage(pid)
    time.sleep(seconds)
    pids = set(pids) | set(engine_pids(docker.root))
    after = sum(cpu_seconds(p) for p in pids) + cgroup_usage(pid)
    return after - before


def bench_cpu(seconds):
    from conftest import make_scratch_context, private_engine
    results = {}
    for docker in private_engine():
        with tempfile.TemporaryDirectory() as context:
            make_scratch_context(context)
            docker.build("gi-bench/web:latest", 'FROM scratch\nCOPY . /\nENV PATH=/bin:/sbin\n'
                         'CMD ["testapp", "http", "8080"]\n', context=context)
        url = "http://127.0.0.1:8080/"
        runs = {
            "docker HEALTHCHECK (gracefulinit probe)": [
                "--health-cmd", f"/sbin/gracefulinit probe {url}", "--health-interval", "1s",
                "--health-timeout", "5s", "--health-retries", "3",
                "--entrypoint", "/sbin/gracefulinit", "gi-bench/web:latest", "--user", "appuser", "--",
                "testapp", "http", "8080"],
            "gracefulinit --health (the watchdog)": [
                "--entrypoint", "/sbin/gracefulinit", "gi-bench/web:latest", "--user", "appuser",
                "--health", url, "--health-interval", "1s", "--health-timeout", "5s", "--",
                "testapp", "http", "8080"],
            "neither (idle baseline)": [
                "--entrypoint", "/sbin/gracefulinit", "gi-bench/web:latest", "--user", "appuser", "--",
                "testapp", "http", "8080"],
        }
        for label, args in runs.items():
            name = "gi-bench-" + str(len(results))
            docker("run", "-d", "--name", name, "--network", "none", *args)
            time.sleep(3)  # past the start, first checks settled
            results[label] = measure_cpu(docker, name, seconds)
            docker("rm", "-f", name)
    base = results["neither (idle baseline)"]
    per_check = {k: (v - base) / seconds for k, v in results.items() if "baseline" not in k}
    return results, per_check


# ------------------------------------------------ in a PID namespace of its own

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    """gracefulinit as PID 1 of a fresh namespace, stderr with timestamps."""

    def __init__(self, args):
        self.lines = []
        self.proc = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                                      GRACEFULINIT, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        os.set_blocking(self.proc.stderr.fileno(), False)
        self.pid = procfs.namespace_pid1(self.proc.pid, gone=lambda: self.proc.poll() is not None)

    def read(self):
        while True:
            line = self.proc.stderr.readline()
            if not line:
                return
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_line(self, text, timeout=30, after=0.0):
        def seen():
            self.read()
            return next((t for t, l in self.lines if text in l and t >= after), None)
        return wait_until(seen, timeout, 0.002, what=f"{text!r}: {self.lines}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


def web_command(port):
    return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", "/"]



def app_pid(run):
    return wait_until(lambda: next(iter(procfs.children(run.pid)), None), 10, what="the app")


def bench_detect(interval, timeout, retries, rounds):
    times = []
    for _ in range(rounds):
        port = free_port()
        run = Run(["--health", f"http://127.0.0.1:{port}/", "--health-interval", interval, "--health-timeout",
                   timeout, "--health-retries", str(retries), "--on-unhealthy", "none", "--",
                   *web_command(port)])
        try:
            run.wait_line("gracefulinit: healthy")
            stopped = time.monotonic()
            os.kill(app_pid(run), signal.SIGSTOP)
            times.append(run.wait_line("unhealthy after", after=stopped) - stopped)
        finally:
            run.stop()
    return times


def bench_restart(rounds):
    """Decision (the verdict line) to the new command's first sign of life
    (its start line), less the drain (till the exit line) and the delay."""
    figures = []
    for _ in range(rounds):
        port = free_port()
        run = Run(["-v", "--health", f"http://127.0.0.1:{port}/", "--health-interval", "200ms", "--health-timeout",
                   "200ms", "--health-retries", "1", "--on-unhealthy", "restart", "--", *web_command(port)])
        try:
            run.wait_line("gracefulinit: healthy")
            old = app_pid(run)
            os.kill(old, signal.SIGSTOP)
            decided = run.wait_line("unhealthy after")
            exited = run.wait_line("restarting it in 100ms", after=decided)

            def new_app():
                return next((p for p in procfs.children(run.pid)
                             if p != old and "http.server" in procfs.cmdline(p)), None)
            wait_until(new_app, 30, 0.0005, what="the new run's exec")
            started = time.monotonic()
            figures.append({"drain": exited - decided, "start": started - exited - 0.1})
        finally:
            run.stop()
    return figures


def rss_and_wakeups(args, seconds):
    run = Run([*args, "--", "sleep", "1000"])
    try:
        time.sleep(2)
        before = procfs.context_switches(run.pid)
        time.sleep(seconds)
        wakeups = procfs.context_switches(run.pid) - before
        rss = int(procfs.status(run.pid)["VmRSS"].split()[0])
        return rss, wakeups
    finally:
        run.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/watchdog.py: needs root (PID namespaces, dockerd)")
    report = {}
    quiet_rss, quiet_wake = rss_and_wakeups([], args.seconds)
    watch_rss, watch_wake = rss_and_wakeups(["--health-cmd", "true", "--health-interval", "1s"], args.seconds)
    report["memory_kb"] = {"without --health": quiet_rss, "with --health-cmd, 1 s": watch_rss}
    report["wakeups"] = {f"without --health, {args.seconds} s": quiet_wake,
                         f"with a check a second, {args.seconds} s": watch_wake}
    det = bench_detect("1s", "1s", 3, args.rounds)
    report["detect_s"] = {"interval 1s, timeout 1s, retries 3 (bound 1s x 3 + 1s = 4 s)": det}
    report["restart_s"] = bench_restart(args.rounds)
    totals, per_check = bench_cpu(args.seconds)
    report["cpu_s_total"] = totals
    report["cpu_ms_per_check"] = {k: v * 1000 for k, v in per_check.items()}
    docker_ms = report["cpu_ms_per_check"]["docker HEALTHCHECK (gracefulinit probe)"]
    ours_ms = report["cpu_ms_per_check"]["gracefulinit --health (the watchdog)"]
    report["cpu_ratio"] = docker_ms / ours_ms if ours_ms > 0 else None
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
