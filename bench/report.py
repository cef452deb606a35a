#!/usr/bin/env python3
"""Turns the raw samples bench/run.sh collected into docs/benchmarks.md and an
SVG chart (gnuplot). Usage: report.py OUT_DIR PAGE.md CHART.svg

Every table gives the median, p99 where it applies and min-max, and the ratio
of each init to the best peer (gracefulinit excluded): below 1 is better than
every peer. Nothing is dropped: every init measured gets its row.
"""
import collections
import os
import subprocess
import sys

from gitest import linkmap

GI = "gracefulinit"
PEERS = ["tini", "dumb-init", "catatonit"]
INITS = [GI] + PEERS
NOISE = 0.05  # ratio up to 1.05 on a shared machine: "within noise", still not a pass


def load(out):
    samples = collections.defaultdict(lambda: collections.defaultdict(list))
    extra = collections.defaultdict(list)
    for name in sorted(os.listdir(out)):
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(out, name)) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                metric, init, value = parts[0], parts[1], int(parts[2])
                samples[metric][init].append(value)
                if len(parts) > 3:
                    extra[metric].append((init, value, parts[3]))
    env = {}
    with open(os.path.join(out, "env.txt")) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            env[key] = value
    return samples, extra, env


def quantile(values, q):
    """Nearest-rank quantile of a non-empty list."""
    s = sorted(values)
    rank = max(1, min(len(s), int(-(-q * len(s) // 1))))
    return s[rank - 1]


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def fmt(value, unit):
    if value is None:
        return "n/a"
    if unit == "ns->us":
        return f"{value / 1000:.1f} µs"
    if unit == "ns->ms":
        return f"{value / 1e6:.2f} ms"
    if unit == "ns->s":
        return f"{value / 1e9:.2f} s"
    if unit == "kB":
        return f"{value:,.0f} kB"
    if unit == "B":
        return f"{value:,.0f} B"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def ratio_text(value, best):
    if value is None or best is None or best <= 0:
        return "n/a"
    return f"{value / best:.2f}"


def best_peer(values):
    """(name, value) of the lowest value among the peers that were measured."""
    got = [(values[p], p) for p in PEERS if values.get(p) is not None]
    if not got:
        return None, None
    value, name = min(got)
    return name, value


def verdict(value, best, lower_is_better=True):
    if value is None or best is None:
        return "not measured"
    if not lower_is_better:
        value, best = best, value
    if value <= best:
        return "**yes**"
    if best > 0 and value <= best * (1 + NOISE):
        return "no: within 5% (noise on a shared machine)"
    return "**no**"


class Page:
    def __init__(self):
        self.lines = []
        self.headline = []  # (metric, gi text, best peer text, ratio, target, holds)
        self.chart = []     # (label, {init: ratio to best peer})

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(str(c) for c in row) + " |")
        self.add("")


def distribution_table(page, data, unit, inits, p99=True, what="median"):
    """Rows of median, p99, min-max and ratio to the best peer's median."""
    medians = {i: median(data[i]) for i in inits if data.get(i)}
    best_name, best = best_peer(medians)
    header = ["init", "samples", what] + (["p99"] if p99 else []) + ["min - max", "ratio to best peer"]
    rows = []
    for i in inits:
        v = data.get(i)
        if not v:
            rows.append([i, 0, "not measured"] + (["-"] if p99 else []) + ["-", "-"])
            continue
        row = [i, len(v), fmt(medians[i], unit)]
        if p99:
            row.append(fmt(quantile(v, 0.99), unit))
        row += [f"{fmt(min(v), unit)} - {fmt(max(v), unit)}", "-" if i == "bare" else ratio_text(medians[i], best)]
        rows.append(row)
    page.table(header, rows)
    return medians, best_name, best


def chart_entry(page, label, medians, best):
    if best:
        page.chart.append((label, {i: medians[i] / best for i in INITS if medians.get(i) is not None}))


def parse_link_map(path):
    """Bytes the binary holds per input file, from the GNU ld map, and for each
    libc member the code outside libc that first pulled it in (ld records one
    reason per archive member; a chain of libc members is followed up)."""
    with open(path) as f:
        text = f.read()
    reasons = {}
    head, _, rest = text.partition("Archive member included to satisfy reference by file (symbol)")
    block, _, _ = rest.partition("\n\n\n")
    member = None
    for line in block.splitlines():
        # With link-time optimisation ld names the object whose IR held the
        # reference: "spawn.c.o (symbol from plugin) (_Fork)".
        line = line.replace(" (symbol from plugin)", "")
        if not line.strip():
            continue
        if not line.startswith(" "):
            parts = line.split()
            member = parts[0]
            if len(parts) > 1:
                reasons.setdefault(member, (parts[1], " ".join(parts[2:]).strip("()")))
                member = None
        elif member:
            parts = line.split()
            # Two members can share a name (musl has two free.lo): the first
            # reason is the one that leads out of libc.
            reasons.setdefault(member, (parts[0], " ".join(parts[1:]).strip("()")))
            member = None
    sizes = collections.Counter()
    for section, size, obj in linkmap.placed_sections(text):
        if not section.startswith((".bss", ".tbss", ".comment", ".note")):
            sizes[obj] += size
    return sizes, reasons


def is_libc(obj):
    """musl's libc.a, not an archive whose name ends the same (libgi_capng_libc.a)."""
    return os.path.basename(obj.split("(", 1)[0]) == "libc.a"


def origin(obj):
    if is_libc(obj):
        return "musl libc"
    if "cap-ng" in obj:
        return "libcap-ng"
    if obj.endswith(("crt1.o", "crti.o", "crtn.o", "crtbeginS.o", "crtendS.o", "crtbegin.o", "crtend.o")) or \
            "libgcc" in obj:
        return "C runtime (crt, libgcc)"
    return "gracefulinit's own code"


def short(obj):
    m = obj.rsplit("(", 1)
    return m[1].rstrip(")") if len(m) == 2 else os.path.basename(obj)


def section_size_breakdown(page, map_path, file_size):
    sizes, reasons = parse_link_map(map_path)
    by_origin = collections.Counter()
    for obj, n in sizes.items():
        by_origin[origin(obj)] += n
    total = sum(by_origin.values())
    page.add("### Where gracefulinit's bytes go", "",
             "From the linker's map of this build (`build/release/gracefulinit.map`): code, read-only "
             "data and data per origin; the rest of the file is ELF headers and alignment.", "")
    rows = [[o, f"{n:,} B", f"{100 * n / file_size:.0f}%"] for o, n in by_origin.most_common()]
    rows.append(["headers, alignment", f"{file_size - total:,} B", f"{100 * (file_size - total) / file_size:.0f}%"])
    page.table(["origin", "bytes", "of the file"], rows)

    # libc members by what outside libc first pulled them in.
    def root(obj, depth=0):
        requester, symbol = reasons.get(obj, ("?", "?"))
        if is_libc(requester) and requester != obj and depth < 50:
            return root(requester, depth + 1)
        return short(requester), symbol
    pulled = collections.defaultdict(lambda: [0, set()])
    for obj, n in sizes.items():
        if origin(obj) != "musl libc":
            continue
        who, symbol = root(obj)
        pulled[(who, symbol)][0] += n
        pulled[(who, symbol)][1].add(short(obj).replace(".lo", ""))
    page.add("musl's share, by the call outside libc that first pulled each part in. The linker "
             "records one reason per archive member, the first it met: a part several callers need "
             "shows under one of them only.", "")
    rows = []
    for (who, symbol), (n, members) in sorted(pulled.items(), key=lambda kv: -kv[1][0])[:15]:
        biggest = sorted(members, key=lambda m: -sizes.get(next(o for o in sizes if short(o) == m + ".lo"), 0))
        rows.append([f"`{symbol}` from {who.replace('.c.o', '.c').replace('.o', '')}", f"{n:,} B",
                     ", ".join(biggest[:6]) + (", ..." if len(biggest) > 6 else "")])
    page.table(["pulled in by", "bytes", "largest parts"], rows)


def section_size(page, s, extra, out):
    page.add("## Binary size", "",
             "The file as shipped: gracefulinit's static musl release binary (stripped, libcap-ng "
             "linked in), Debian's `tini-static` and `catatonit` (both static glibc), and `dumb-init`, "
             "which is dynamic: its row adds the shared libraries it loads.", "")
    size = {i: s["size"][i][0] for i in INITS if s["size"].get(i)}
    libs = [(path, v) for (i, v, path) in extra.get("size-libs", []) if i == "dumb-init"]
    if "dumb-init" in size:
        size["dumb-init"] += sum(v for _, v in libs)
    best_name, best = best_peer(size)
    rows = []
    for i in INITS:
        if i not in size:
            continue
        note = ""
        if i == "dumb-init":
            note = "binary {:,} B + {}".format(s["size"][i][0], " + ".join(
                f"{os.path.basename(p)} {v:,} B" for p, v in libs))
        elif i == GI:
            note = "static-pie musl" if s["static"].get(GI, [0])[0] else "**not static**"
        else:
            note = "static glibc"
        rows.append([i, fmt(size[i], "B"), f"{size[i] / 1024:.1f} KiB", ratio_text(size[i], best), note])
    if s["size-dynamic"].get("tini"):
        v = s["size-dynamic"]["tini"][0]
        rows.append(["(tini, dynamic)", fmt(v, "B"), f"{v / 1024:.1f} KiB", "-", "not compared: needs libc.so.6"])
    page.table(["init", "size", "", "ratio to best peer", "note"], rows)
    gi = size.get(GI)
    map_path = os.path.join(out, "gracefulinit.map")
    if gi is not None and os.path.exists(map_path):
        section_size_breakdown(page, map_path, gi)
    page.headline.append(("binary size", fmt(gi, "B"), f"{fmt(best, 'B')} ({best_name})",
                          ratio_text(gi, best), "≤ 81,920 B (the budget)",
                          "**yes**" if gi is not None and gi <= 81920 else "**no**"))
    chart_entry(page, "size", size, best)


def section_idle(page, s, env):
    page.add("## Resident memory while the command sleeps", "",
             "`Rss` and `Pss` of the init from `/proc/PID/smaps_rollup`, all inits running at once, "
             "each PID 1 of its own namespace with a sleeping command.", "")
    rss = {i: s["rss"][i][0] for i in INITS if s["rss"].get(i)}
    pss = {i: s["pss"][i][0] for i in INITS if s["pss"].get(i)}
    best_name, best = best_peer(rss)
    pbest_name, pbest = best_peer(pss)
    anon = {i: s["anon"][i][0] for i in INITS if s["anon"].get(i)}
    rows = [[i, fmt(rss.get(i), "kB"), ratio_text(rss.get(i), best), fmt(pss.get(i), "kB"),
             ratio_text(pss.get(i), pbest), fmt(anon.get(i), "kB")] for i in INITS]
    page.table(["init", "Rss", "ratio to best peer", "Pss", "ratio to best peer", "of which anonymous"], rows)
    page.add("Most of each Rss is the binary's own text: on a page fault the kernel maps up to 64 kB "
             "of the file around the faulting page (`fault_around_bytes`), so a small binary is mapped "
             "almost whole. *Anonymous* is the memory the process really owns (data, heap, stack). "
             "dumb-init's Pss is low because its libc pages are shared with every other process "
             "using glibc.", "")
    page.headline.append(("idle Rss", fmt(rss.get(GI), "kB"), f"{fmt(best, 'kB')} ({best_name})",
                          ratio_text(rss.get(GI), best), "below every peer",
                          "**yes**" if rss.get(GI) is not None and best and rss[GI] < best else "**no**"))
    chart_entry(page, "idle Rss", rss, best)

    seconds = env.get("params", "").split("idle=")[-1].split("s")[0]
    page.add("## Idle wake-ups", "",
             f"Context switches of the init (voluntary + involuntary, `/proc/PID/status`) over {seconds} s "
             "while its command sleeps, all inits measured over the same seconds.", "")
    wake = {i: s["wakeups"][i][0] for i in INITS if s["wakeups"].get(i) is not None and s["wakeups"].get(i)}
    page.table(["init", "wake-ups", "per second"],
               [[i, fmt(wake.get(i), ""), f"{wake[i] / float(seconds):.2f}" if i in wake else "-"] for i in INITS])
    best_name, best = best_peer(wake)
    page.headline.append(("idle wake-ups", fmt(wake.get(GI), ""), f"{fmt(best, '')} ({best_name})", "-",
                          "zero", "**yes**" if wake.get(GI) == 0 else "**no**"))


def paired(data, a, b):
    """Per-round differences a - b (samples are in round order for every init)."""
    return [x - y for x, y in zip(data.get(a, []), data.get(b, []))]


def spread_row(label, v, unit):
    return [label, fmt(median(v), unit), fmt(quantile(v, .99), unit), f"{fmt(min(v), unit)} - {fmt(max(v), unit)}"]


def section_launch(page, s):
    page.add("## Launch overhead", "",
             "`INIT -- /bin/true` against bare `/bin/true`, each as PID 1 of a fresh PID and mount "
             "namespace with its own /proc, from `clone()` to `wait4()` in the driver, interleaved "
             "(one launch of each configuration in turn). Overhead is each launch minus the bare "
             "launch of the same round. *CPU time* is the init's and its `/bin/true`'s together "
             "(`wait4`'s rusage): the work a launch costs, without the waiting for a CPU that a busy "
             "machine adds to the wall time.", "")
    inits = INITS + ["gracefulinit-user"]
    results = {}
    for metric, label in (("launch", "wall time"), ("launch-cpu", "CPU time")):
        data = s[metric]
        page.add(f"### Launch, {label}", "")
        distribution_table(page, data, "ns->us", ["bare"] + inits)
        overhead = {i: paired(data, i, "bare") for i in inits}
        page.add(f"Overhead over bare `/bin/true`, {label}:", "")
        medians, best_name, best = distribution_table(page, overhead, "ns->us", inits)
        page.headline.append((f"launch overhead, {label} (median)", fmt(medians.get(GI), "ns->us"),
                              f"{fmt(best, 'ns->us')} ({best_name})", ratio_text(medians.get(GI), best),
                              "≤ best peer", verdict(medians.get(GI), best)))
        chart_entry(page, f"launch, {label}", medians, best)
        results[metric] = medians

    page.add("## Identity switch at start-up", "")
    page.add("`gracefulinit --user nobody -- /bin/true` against `gracefulinit -- /bin/true` (as root: "
             "groups, gid, uid, every capability set cleared, no_new_privs), interleaved in the launch "
             "run above; the cost is the paired difference. The peers have no identity switch: "
             "*gracefulinit-user* in the launch tables compares gracefulinit with `--user` to them "
             "without.", "")
    rows = []
    for metric, label in (("launch", "wall time"), ("launch-cpu", "CPU time")):
        data = s[metric]
        rows.append(spread_row(f"without --user, {label}", data[GI], "ns->us"))
        rows.append(spread_row(f"with --user nobody, {label}", data["gracefulinit-user"], "ns->us"))
        cost = paired(data, "gracefulinit-user", GI)
        rows.append(spread_row(f"**cost of --user, {label}**", cost, "ns->us"))
        page.headline.append((f"--user cost at start-up, {label} (median)", fmt(median(cost), "ns->us"),
                              "-", "-", "-", "-"))
    page.table(["", "median", "p99", "min - max"], rows)


def section_signal(page, s):
    page.add("## Signal latency", "",
             "From `kill(SIGUSR1)` on the init (taken just before the call) to the command's handler "
             "(`CLOCK_MONOTONIC` in the handler, sent back through a FIFO), one signal in flight at a "
             "time, the inits in turn.", "")
    medians, best_name, best = distribution_table(page, s["signal"], "ns->us", INITS)
    lost = {i: len(s["signal-lost"].get(i, [])) for i in INITS}
    if any(lost.values()):
        page.add("Signals lost (no handler run within 2 s): " +
                 ", ".join(f"{i} {n}" for i, n in lost.items()) + ".", "")
    page.headline.append(("signal latency (median)", fmt(medians.get(GI), "ns->us"),
                          f"{fmt(best, 'ns->us')} ({best_name})", ratio_text(medians.get(GI), best),
                          "≤ best peer", verdict(medians.get(GI), best)))
    chart_entry(page, "signal latency", medians, best)


def section_stop(page, s):
    page.add("## Stop latency", "",
             "SIGTERM on the init to the init's exit (seen by the driver through a pidfd). The command "
             "exits at once on SIGTERM. *Exec form* runs it directly; *shell form* runs "
             "`/bin/sh -c 'testapp stopper FIFO; exit 0'`, as Dockerfile's `CMD app args` does. "
             "*Handler ran* is the share of runs in which the application's SIGTERM handler ran before "
             "the namespace ended: an init that signals only its direct child (the shell) stops fast "
             "because the kernel SIGKILLs the application when PID 1 exits, not because the "
             "application shut down cleanly. Each init runs with its default options.", "")
    for metric, label in (("stop", "exec form"), ("stop-shell", "shell form")):
        page.add(f"### {label.capitalize()}", "")
        medians, best_name, best = distribution_table(page, s[metric], "ns->ms", INITS)
        graceful = s[metric + "-graceful"]
        page.add("Handler ran: " + ", ".join(
            f"{i} {100 * sum(graceful[i]) / len(graceful[i]):.0f}%" for i in INITS if graceful.get(i)) + ".", "")
        page.headline.append((f"stop latency, {label} (median)", fmt(medians.get(GI), "ns->ms"),
                              f"{fmt(best, 'ns->ms')} ({best_name})", ratio_text(medians.get(GI), best),
                              "≤ best peer", verdict(medians.get(GI), best)))
        chart_entry(page, f"stop, {label}", medians, best)


def section_orphans(page, s, env):
    params = dict(p.split("=") for p in env.get("params", "").split())
    n = int(params.get("orphans", "0"))
    page.add("## Reaping", "",
             f"{n:,} orphans per run: the command forks batches of 100 children that exit at once but "
             "stay unreaped until the batch is complete, then the batch's parent exits, so the init "
             "inherits 100 zombies at a time. Time is from the first fork to the moment the init has "
             "no child left but the command (the command polls `/proc/1/task/1/children`). *Peak "
             "zombies* is the most the init had unreaped right after a batch was handed over; *peak "
             "Rss* is the init's `VmHWM` at the end. Fork speed bounds all inits alike; the "
             "differences are the reaping.", "")
    medians, best_name, best = distribution_table(page, s["orphans-time"], "ns->s", INITS, p99=False)
    page.add("CPU time the init itself spent during the run (`/proc/1/schedstat`, the scheduler's own "
             "accounting): the cost of reaping, much less sensitive to a busy machine than the wall time.", "")
    cpu_medians, cpu_best_name, cpu_best = distribution_table(page, s["orphans-cpu"], "ns->ms", INITS, p99=False)
    page.table(["init", "orphans/s (median)", "peak zombies (max)", "peak Rss (max)"],
               [[i, f"{n / (medians[i] / 1e9):,.0f}" if medians.get(i) else "-",
                 fmt(max(s["orphans-peak"][i]), "") if s["orphans-peak"].get(i) else "-",
                 fmt(max(s["orphans-hwm"][i]), "kB") if s["orphans-hwm"].get(i) else "-"] for i in INITS])
    page.headline.append((f"reaping {n:,} orphans (median time)", fmt(medians.get(GI), "ns->s"),
                          f"{fmt(best, 'ns->s')} ({best_name})", ratio_text(medians.get(GI), best),
                          "throughput ≥ best peer's", verdict(medians.get(GI), best)))
    page.headline.append(("reaping: init's CPU time (median)", fmt(cpu_medians.get(GI), "ns->ms"),
                          f"{fmt(cpu_best, 'ns->ms')} ({cpu_best_name})", ratio_text(cpu_medians.get(GI), cpu_best),
                          "-", "-"))
    chart_entry(page, "reaping time", medians, best)
    chart_entry(page, "reaping CPU", cpu_medians, cpu_best)


def section_escalate(page, s, env):
    params = dict(p.split("=") for p in env.get("params", "").split())
    page.add("## Escalation precision (gracefulinit only)", "",
             f"`gracefulinit --grace {params.get('grace')}` with a command that ignores SIGTERM: the "
             "command's death (its pidfd) minus the SIGTERM minus the grace period, and the same for "
             "gracefulinit's own exit. The peers have no grace period to measure.", "")
    page.table(["", "runs", "median", "p99", "min - max"],
               [[label, len(v), fmt(median(v), "ns->ms"), fmt(quantile(v, .99), "ns->ms"),
                 f"{fmt(min(v), 'ns->ms')} - {fmt(max(v), 'ns->ms')}"]
                for label, v in (("SIGKILL late by", s["escalate"].get(GI, [])),
                                 ("exit late by", s["escalate-exit"].get(GI, []))) if v])
    v = s["escalate"].get(GI)
    if v:
        page.headline.append(("SIGKILL after --grace (median, max)",
                              f"+{fmt(median(v), 'ns->ms')}, +{fmt(max(v), 'ns->ms')}", "-", "-", "-", "-"))


def write_chart(page, chart_path, data_dir):
    data = os.path.join(data_dir, "chart.dat")
    with open(data, "w") as f:
        f.write("# metric " + " ".join(INITS) + "\n")
        for label, ratios in page.chart:
            f.write('"%s" %s\n' % (label, " ".join(f"{ratios.get(i, float('nan')):.4f}" for i in INITS)))
    script = os.path.join(data_dir, "chart.gp")
    with open(script, "w") as f:
        f.write(f"""set terminal svg size 900,420 dynamic font "sans,11" background rgb "white"
set output "{chart_path}"
set title "Each init divided by the best peer (lower is better; 1 = best peer)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y 2
set yrange [0.03:8]
set ytics ("1/32" 0.03125, "1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8)
set grid ytics
set key top left horizontal
set xtics rotate by -20 scale 0
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 1 dt 2
plot "{data}" using 2:xtic(1) title "gracefulinit" lc rgb "#1b7837", \\
     "" using 3 title "tini" lc rgb "#4575b4", \\
     "" using 4 title "dumb-init" lc rgb "#fdae61", \\
     "" using 5 title "catatonit" lc rgb "#abd9e9"
""")
    subprocess.run(["gnuplot", script], check=True)


REQUIRED = ["size", "rss", "pss", "wakeups", "launch", "launch-cpu", "signal", "stop", "stop-shell", "orphans-time", "orphans-cpu"]


def check_complete(s):
    """Every init has samples for every metric: a bench that silently lost
    one would otherwise still write a page (and quick mode would pass)."""
    missing = [f"{m}/{i}" for m in REQUIRED for i in INITS if not s[m].get(i)]
    missing += [f"launch/{i}" for i in ("bare", "gracefulinit-user") if not s["launch"].get(i)]
    missing += ["escalate/gracefulinit"] if not s["escalate"].get(GI) else []
    if missing:
        sys.exit("report.py: no samples for " + ", ".join(missing))


def main():
    out, page_path, chart_path = sys.argv[1:4]
    s, extra, env = load(out)
    check_complete(s)
    page = Page()
    body = Page()
    section_size(body, s, extra, out)
    section_idle(body, s, env)
    section_launch(body, s)
    section_signal(body, s)
    section_stop(body, s)
    section_orphans(body, s, env)
    section_escalate(body, s, env)
    write_chart(body, chart_path, out)

    page.add("# Benchmarks: gracefulinit, tini, dumb-init and catatonit", "",
             "Generated by `bench/run.sh` (see the end of this page); do not edit by hand.", "")
    if env.get("mode") != "full":
        page.add(f"**{env.get('mode')} run: tiny sample counts, for checking the bench code only.**", "")
    page.add("Every init runs as PID 1 of a fresh PID namespace with its own /proc, as in a "
             "container. The inits are measured interleaved in one run (one sample of each in "
             "turn), and compared as ratios to the best peer, because the machine is shared and "
             "absolute times drift. Ratio below 1: gracefulinit is better than every peer.", "")
    page.add("## Machine", "")
    page.table(["", ""], [
        ["date", env.get("date")], ["CPU", f"{env.get('cpu')} ({env.get('cpus')} CPUs)"],
        ["memory", env.get("memory")], ["kernel", env.get("kernel")], ["OS", env.get("os")],
        ["compiler", env.get("compiler")], ["gracefulinit", env.get("gracefulinit")],
        ["peers (Debian)", f"tini {env.get('tini')}, dumb-init {env.get('dumb-init')}, "
                           f"catatonit {env.get('catatonit')}"],
        ["load average before / after", f"{env.get('load_before')} / {env.get('load_after')}"],
        ["parameters", f"`{env.get('params')}`"]])
    page.add("## Headline", "")
    headline = Page()
    headline.table(["metric", "gracefulinit", "best peer", "ratio", "target", "holds"], body.headline)
    page.lines.extend(headline.lines)
    # The same table alone, for the README and for reports.
    with open(os.path.join(out, "headline.md"), "w") as f:
        f.write("\n".join(headline.lines))
    page.add(f"![each init divided by the best peer]({os.path.basename(chart_path)})", "")
    page.lines.extend(body.lines)
    # Reading the numbers is written by hand (bench/notes.md), for the run
    # it names: a page regenerated later keeps it, so it says which run.
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    if env.get("mode") == "full" and os.path.exists(notes):
        with open(notes) as f:
            page.add(f.read().rstrip("\n"), "")
    page.add("## How to run", "",
             "    bench/run.sh           # full run, about 6-10 minutes; rewrites this page and the chart",
             "    bench/run.sh --quick   # seconds; writes under build/release/bench/quick only (CTest label `bench`)",
             "",
             "It builds the release binary (CMake `release` preset) and the bench programs, "
             "`gibench` (the driver, in `bench/`) and `testapp` (the command, in `tests/helpers/`), both static musl, "
             "so that the tools do not dominate what they measure, installs the peers "
             "(`scripts/deps.sh bench`), runs every metric for every init and writes this page. "
             "Raw samples (one line per sample) stay in `build/release/bench/full/`. Needs root.", "")
    with open(page_path, "w") as f:
        f.write("\n".join(page.lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
