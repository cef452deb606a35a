#!/usr/bin/env python3
"""--wait's costs, side by side with wait-for-it (Debian's package), the
tool it replaces (gracefulinit(1), WAITING FOR DEPENDENCIES):

  lag       from the moment a TCP dependency listens to the moment the
            command starts, over --runs runs each: gracefulinit --wait
            tcp://... -- CMD against wait-for-it HOST:PORT -- CMD. CMD is
            date(1), writing the wall-clock time it started at; the listener's
            time is taken right after listen(2) returns.
  attempts  connect(2) calls against a dependency that stays down (nothing
            listens) for --down seconds, counted by strace -f across every
            process each tool starts.

usage: bench/wait.py [--runs N] [--down SECONDS] [--quick] [--out FILE]
       (root for the strace count; a release build)
"""
import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(ROOT, "tests", "lib")]

from gitest.net import free_port  # noqa: E402
from gitest.wait import wait_until  # noqa: E402

BUILD = os.environ.get("GRACEFULINIT_BUILD", os.path.join(ROOT, "build", "release"))
GRACEFULINIT = os.environ.get("GRACEFULINIT", os.path.join(BUILD, "src", "gracefulinit"))
WAIT_FOR_IT = "/usr/bin/wait-for-it"


def tools(port, stamp):
    command = ["/bin/sh", "-c", f"date +%s.%N > {stamp}"]
    return {
        "gracefulinit": [GRACEFULINIT, "-q", "--wait", f"tcp://127.0.0.1:{port}", "--", *command],
        "wait-for-it": [WAIT_FOR_IT, "-q", "-t", "0", f"127.0.0.1:{port}", "--", *command],
    }


def one_lag(name, delay):
    """Seconds from listen(2) to the command's start."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        stamp = os.path.join(tmp, "stamp")
        proc = subprocess.Popen(tools(port, stamp)[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            time.sleep(delay)
            with socket.socket() as listener:
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind(("127.0.0.1", port))
                listener.listen(64)
                ready = time.time()
                wait_until(lambda: os.path.exists(stamp) and open(stamp).read().strip(), 30,
                           what=f"{name}'s command to start")
                with open(stamp) as f:
                    return float(f.read()) - ready
        finally:
            subprocess.run(["pkill", "-KILL", "-s", str(proc.pid)], check=False)
            proc.wait()


def lags(runs):
    out = {}
    for name in ("gracefulinit", "wait-for-it"):
        # The dependency comes up at a random point of the retry cycle.
        values = [one_lag(name, random.uniform(1.0, 2.0)) for _ in range(runs)]
        out[name] = {"median_ms": statistics.median(values) * 1000, "max_ms": max(values) * 1000,
                     "min_ms": min(values) * 1000, "runs": runs}
    return out


def attempts(seconds):
    """connect(2) calls to a port nothing listens on, over `seconds`."""
    out = {}
    for name in ("gracefulinit", "wait-for-it"):
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            trace = os.path.join(tmp, "trace")
            argv = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", trace] + tools(port, os.path.join(tmp, "s"))[name]
            # A session of its own: strace, the tool and whatever it started
            # (the waiters change group, not session) all go at the end.
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(seconds)
            subprocess.run(["pkill", "-KILL", "-s", str(proc.pid)], check=False)
            proc.wait()
            with open(trace) as f:
                calls = len(re.findall(rf"connect\(.*sin_port=htons\({port}\)", f.read()))
        out[name] = {"connects": calls, "per_second": calls / seconds, "seconds": seconds}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--down", type=float, default=30)
    parser.add_argument("--quick", action="store_true", help="3 runs, 5 s down: a smoke test of the bench")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.down = 3, 5
    for path, what in ((GRACEFULINIT, "a release build"), (WAIT_FOR_IT, "scripts/deps.sh bench")):
        if not os.path.exists(path):
            sys.exit(f"wait.py: {path} is missing: {what}")
    result = {"lag": lags(args.runs), "attempts": attempts(args.down)}
    g, w = result["lag"]["gracefulinit"], result["lag"]["wait-for-it"]
    print(f"lag from ready to started over {args.runs} runs (median / max):")
    print(f"  gracefulinit --wait  {g['median_ms']:7.1f} / {g['max_ms']:7.1f} ms")
    print(f"  wait-for-it          {w['median_ms']:7.1f} / {w['max_ms']:7.1f} ms"
          f"   ({w['median_ms'] / g['median_ms']:.1f}x gracefulinit's median)")
    a, b = result["attempts"]["gracefulinit"], result["attempts"]["wait-for-it"]
    print(f"connect(2) calls against a dependency down for {args.down:.0f} s:")
    print(f"  gracefulinit --wait  {a['connects']:5d} ({a['per_second']:.1f}/s)")
    print(f"  wait-for-it          {b['connects']:5d} ({b['per_second']:.1f}/s)")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
    # The design's bound (the backoff's cap, plus an attempt and a fork):
    # generous, as a smoke test's on a loaded machine.
    if g["max_ms"] > 1000 or a["connects"] == 0 or b["connects"] == 0:
        sys.exit("wait.py: a figure is out of any sane range; see above")


if __name__ == "__main__":
    main()
