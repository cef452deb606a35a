#!/usr/bin/env python3
"""--watch's latency and idle cost, side by side with what users write
without it: inotifywait (Debian's inotify-tools) piped into a shell loop
that signals the app (gracefulinit(1), RELOADING ON CHANGE).

  latency   from a write to a watched file (taken right after close(2)) to
            the moment the app's SIGUSR1 handler runs (testapp echo, which
            writes CLOCK_MONOTONIC to a FIFO), over --runs runs: gracefulinit
            --watch FILE:USR1 with --watch-settle 0, 100ms and 1s, and the
            inotifywait loop, which has no settle time. The goal is the
            settle time plus under 50 ms.
  burst     signals the app gets for 100 writes 5 ms apart, with the default
            --watch-settle (1s) and with the loop.
  idle      voluntary context switches of every process each tool runs
            besides the app, over --idle seconds in which nothing changes.

usage: bench/watch.py [--runs N] [--idle SECONDS] [--quick] [--out FILE]
       (a release build; inotify-tools for the comparison)
"""
import argparse
import json
import os
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(ROOT, "tests", "lib")]

from gitest import procfs  # noqa: E402
from gitest.wait import wait_until  # noqa: E402

BUILD = os.environ.get("GRACEFULINIT_BUILD", os.path.join(ROOT, "build", "release"))
GRACEFULINIT = os.environ.get("GRACEFULINIT", os.path.join(BUILD, "src", "gracefulinit"))
TESTAPP = os.environ.get("TESTAPP", os.path.join(BUILD, "tests", "helpers", "testapp"))
INOTIFYWAIT = "/usr/bin/inotifywait"


def command(tool, watched, fifo, settle):
    app = [TESTAPP, "echo", fifo]
    if tool == "gracefulinit":
        return [GRACEFULINIT, "-q", "--watch", f"{watched}:USR1", "--watch-settle", settle, "--", *app]
    # What a Dockerfile without gracefulinit does: the watcher beside the app.
    loop = (f'{TESTAPP} echo {fifo} & app=$!; '
            f'{INOTIFYWAIT} -m -q -e modify,attrib,move_self,delete_self {watched} | '
            'while read -r _; do kill -USR1 $app; done')
    return ["/bin/sh", "-c", loop]


class Run:
    """One tool with its app, in a session of its own, killed at the end."""

    def __init__(self, tool, settle="0"):
        self.tmp = tempfile.TemporaryDirectory()
        self.watched = os.path.join(self.tmp.name, "app.conf")
        with open(self.watched, "w") as f:
            f.write("0\n")
        self.fifo = os.path.join(self.tmp.name, "fifo")
        os.mkfifo(self.fifo)
        self.proc = subprocess.Popen(command(tool, self.watched, self.fifo, settle), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.reader = os.open(self.fifo, os.O_RDONLY)
        assert self.record() == 0, "the app's READY record"
        # The watcher is in place once its descriptor is: gracefulinit's
        # before it starts the app, inotifywait's a moment after.
        time.sleep(0.3)

    def record(self):
        data = b""
        while len(data) < 8:
            chunk = os.read(self.reader, 8 - len(data))
            if not chunk:
                raise RuntimeError("the app closed its FIFO")
            data += chunk
        return struct.unpack("q", data)[0]

    def latency_ms(self):
        with open(self.watched, "a") as f:
            f.write("x\n")
        changed = time.monotonic_ns()
        return (self.record() - changed) / 1e6

    def close(self):
        # gracefulinit starts the app in a process group of its own: the
        # session's group alone would leave it running.
        for pid in procfs.descendants(self.proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        os.close(self.reader)
        self.tmp.cleanup()


def latencies(tool, settle, runs):
    run = Run(tool, settle)
    try:
        values = []
        for _ in range(runs):
            values.append(run.latency_ms())
            time.sleep(0.05)
        return {"median_ms": statistics.median(values), "max_ms": max(values), "runs": runs}
    finally:
        run.close()


def burst_signals(tool, writes=100):
    """The records the app writes for a burst: one per signal it got."""
    run = Run(tool, "1s")
    try:
        for i in range(writes):
            with open(run.watched, "a") as f:
                f.write(f"{i}\n")
            time.sleep(0.005)
        time.sleep(2.5)
        os.set_blocking(run.reader, False)
        try:
            data = os.read(run.reader, 1 << 16)
        except BlockingIOError:
            data = b""
        return {"writes": writes, "signals": len(data) // 8}
    finally:
        run.close()


def idle_switches(tool, seconds):
    """Voluntary context switches of the tool's own processes (not the app's)."""
    run = Run(tool)
    try:
        def tool_pids():
            pids = [run.proc.pid] + procfs.descendants(run.proc.pid)
            return [p for p in pids if not procfs.cmdline(p).startswith(TESTAPP)]
        wait_until(lambda: len(tool_pids()) >= (1 if tool == "gracefulinit" else 3), 5, what=f"{tool}'s processes")
        pids = tool_pids()

        def total():
            return sum(int((procfs.status(p) or {}).get("voluntary_ctxt_switches", 0)) for p in pids)
        before = total()
        time.sleep(seconds)
        return {"switches": total() - before, "processes": len(pids), "seconds": seconds}
    finally:
        run.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=10)
    parser.add_argument("--quick", action="store_true", help="3 runs, 2 s idle, no 1 s settle: a smoke test")
    parser.add_argument("--out", help="the results as JSON")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.idle = 3, 2
    settles = ["0", "100ms"] + ([] if args.quick else ["1s"])
    results = {"latency": {}, "burst": {}, "idle": {}}
    for settle in settles:
        results["latency"][f"gracefulinit settle {settle}"] = latencies("gracefulinit", settle, args.runs)
    have_peer = os.access(INOTIFYWAIT, os.X_OK)
    if have_peer:
        results["latency"]["inotifywait loop"] = latencies("inotifywait", "0", args.runs)
    for tool in ["gracefulinit"] + (["inotifywait"] if have_peer else []):
        results["burst"][tool] = burst_signals(tool)
        results["idle"][tool] = idle_switches(tool, args.idle)

    print(f"latency from a write to the app's signal handler over {args.runs} runs (median / max):")
    for name, r in results["latency"].items():
        print(f"  {name:28s} {r['median_ms']:8.1f} / {r['max_ms']:8.1f} ms")
    base = results["latency"]["gracefulinit settle 0"]["median_ms"]
    if have_peer:
        peer = results["latency"]["inotifywait loop"]["median_ms"]
        print(f"  (the inotifywait loop's median is {peer / base:.1f}x gracefulinit's with --watch-settle 0)")
    else:
        print("  (no inotifywait: apt-get install inotify-tools for the comparison)")
    print("signals the app got for a burst of 100 writes, 5 ms apart:")
    for tool, r in results["burst"].items():
        print(f"  {tool:28s} {r['signals']:5d}")
    print(f"voluntary context switches while nothing changes for {args.idle:.0f} s:")
    for tool, r in results["idle"].items():
        print(f"  {tool:28s} {r['switches']:5d} ({r['processes']} process{'es' if r['processes'] > 1 else ''})")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    # A smoke test that can fail: a signal later than the settle time plus
    # a second is no debounce, and a watcher that wakes while idle polls.
    for name, r in results["latency"].items():
        settle_ms = {"0": 0, "100ms": 100, "1s": 1000}[name.split()[-1]] if name.startswith("gracefulinit") else 0
        if not settle_ms <= r["median_ms"] < settle_ms + 1000:
            sys.exit(f"{name}: median {r['median_ms']:.1f} ms is not within a second after the settle time")
    if results["burst"]["gracefulinit"]["signals"] != 1:
        sys.exit("gracefulinit did not make one signal of the burst")
    if results["idle"]["gracefulinit"]["switches"] != 0:
        sys.exit("gracefulinit woke up while nothing changed")


if __name__ == "__main__":
    main()
