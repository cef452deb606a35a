"""/proc as the tests read it, in one place. Each reader returns None (or an
empty list) for a process that has gone, rather than raising."""
import os
import sys

from gitest.wait import wait_until

GONE = (FileNotFoundError, ProcessLookupError)


def status(pid):
    """/proc/PID/status as a dict of its fields' text; None when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            lines = f.read().splitlines()
    except GONE:
        return None
    fields = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def stat(pid):
    """/proc/PID/stat as a dict (pid, comm, state, ppid, pgrp, session,
    tpgid); None when gone. comm may hold spaces and parentheses: the fields
    start after the last ')'."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except GONE:
        return None
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return {"pid": int(pid), "comm": comm, "state": fields[0], "ppid": int(fields[1]),
            "pgrp": int(fields[2]), "session": int(fields[3]), "tpgid": int(fields[5])}


def children(pid):
    """pid's children (its main thread's), oldest first."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(w) for w in f.read().split()]
    except GONE:
        return []


def cmdline(pid):
    """The command line, words joined by spaces; "" when gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except GONE:
        return ""


def context_switches(pid):
    """Voluntary plus involuntary context switches so far."""
    fields = status(pid) or {}
    return int(fields.get("voluntary_ctxt_switches", 0)) + int(fields.get("nonvoluntary_ctxt_switches", 0))


def pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def descendants(root):
    """Every process whose chain of parents reaches root, as the host sees it."""
    by_parent = {}
    for pid in pids():
        st = stat(pid)
        if st:
            by_parent.setdefault(st["ppid"], []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def namespace_pid1(outer, timeout=10, gone=lambda: False):
    """The PID 1 of the namespace that `unshare --pid --fork` (pid outer)
    started, as the host numbers it: outer's first child. Returns None when
    gone() says the run ended before its PID 1 was seen (a usage error);
    fails after timeout seconds."""
    found = wait_until(lambda: (children(outer) or [None])[0] or gone(), timeout, 0.001,
                       what=f"PID 1 of the namespace under {outer}")
    return found if found is not True else None


if __name__ == "__main__":
    # scripts/demo.sh: `python3 -m gitest.procfs pid1 OUTER` prints the PID 1.
    if len(sys.argv) == 3 and sys.argv[1] == "pid1":
        print(namespace_pid1(int(sys.argv[2])))
    else:
        sys.exit("usage: python3 -m gitest.procfs pid1 OUTER_PID")
