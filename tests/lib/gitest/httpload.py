"""HTTP clients that keep asking while an engine replaces the server under
them: each request goes to one of the addresses a callable names at that
moment (what a load balancer would know), and ends as one of

    completed  status 200 and the whole body Content-Length announced
    refused    the connection was refused: nobody listened there any more
    failed     anything else: reset, cut short, another status, a timeout

Clients may run in another network namespace (a private engine's), entered
by their own threads only: setns(2) of a network namespace is per thread."""
import ctypes
import errno
import os
import socket
import threading
import time

CLONE_NEWNET = 0x40000000


def enter_netns(pid):
    """Moves the calling thread into pid's network namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns into the network namespace of {pid}")
    finally:
        os.close(fd)


def get(address, path, timeout=20):
    """One HTTP/1.0 GET: (outcome, headers dict or None, detail)."""
    try:
        with socket.create_connection(address, timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: test\r\n\r\n".encode())
            data = bytearray()
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except ConnectionRefusedError:
        return "refused", None, "refused"
    except OSError as e:
        return "failed", None, errno.errorcode.get(e.errno, str(e))
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    if not lines[0].startswith("HTTP/1.1 200") and not lines[0].startswith("HTTP/1.0 200"):
        return "failed", headers, lines[0] or "no reply"
    if len(body) != int(headers.get("Content-Length", -1)):
        return "failed", headers, f"cut short at {len(body)} of {headers.get('Content-Length')} bytes"
    return "completed", headers, ""


class Load:
    """clients threads asking for path from targets() until stop(), each
    pausing pause seconds between its requests."""

    def __init__(self, targets, path, clients=4, netns_pid=None, pause=0.0):
        self.targets, self.path, self.netns_pid, self.pause = targets, path, netns_pid, pause
        self.requests = []  # (address, began, ended, outcome, headers, detail)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]
        self.errors = []

    def start(self):
        for t in self._threads:
            t.start()
        return self

    def _client(self, index):
        try:
            if self.netns_pid:
                enter_netns(self.netns_pid)
            turn = index
            while not self._done.is_set():
                targets = self.targets()
                if not targets:
                    time.sleep(0.05)
                    continue
                address = targets[turn % len(targets)]
                turn += 1
                began = time.monotonic()
                outcome, headers, detail = get(address, self.path)
                with self._lock:
                    self.requests.append((address, began, time.monotonic(), outcome, headers, detail))
                if self.pause:
                    time.sleep(self.pause)
        except Exception as e:  # a client that dies must fail the test, not thin the load
            self.errors.append(repr(e))

    def close(self, timeout=30):
        """Ends the clients without a verdict (a test that failed first),
        and waits for them: a client holds its network namespace."""
        self._done.set()
        for t in self._threads:
            if t.is_alive():
                t.join(timeout)

    def stop(self, timeout=60):
        self._done.set()
        for t in self._threads:
            t.join(timeout)
        assert not any(t.is_alive() for t in self._threads), "a client did not finish"
        assert not self.errors, self.errors
        return self.summary()

    def summary(self):
        with self._lock:
            outcomes = [r[3] for r in self.requests]
        return {"sent": len(outcomes), "completed": outcomes.count("completed"),
                "refused": outcomes.count("refused"), "failed": outcomes.count("failed")}

    def problems(self):
        with self._lock:
            return [r for r in self.requests if r[3] != "completed"]
