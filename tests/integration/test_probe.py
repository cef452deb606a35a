"""gracefulinit probe (gracefulinit(1), HEALTH PROBE) against real servers on loopback: Python's
http.server for well-behaved HTTP, small socket servers for bad ones, a small
UDP DNS server for names. The probe runs as a plain short-lived process, the
way HEALTHCHECK runs it, not as PID 1.

Every probe run and every server is bounded in time and stopped at teardown.
"""
import http.server
import os
import random
import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

from conftest import GRACEFULINIT
from gitest.net import free_port
from gitest.wait import wait_until

ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


class Run:
    def __init__(self, proc, elapsed):
        self.code = proc.returncode
        self.stdout = proc.stdout.decode(errors="replace")
        self.lines = proc.stderr.decode(errors="replace").splitlines()
        self.elapsed = elapsed


def probe(*args, wrap=(), limit=20):
    argv = list(wrap) + [GRACEFULINIT, "probe"] + list(args)
    started = time.monotonic()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=ENV, timeout=limit)
    return Run(proc, time.monotonic() - started)


def healthy(run):
    assert (run.code, run.lines, run.stdout) == (0, [], ""), vars(run)


def unhealthy(run, *words):
    """Exit 1 (never 2) and exactly one stderr line that says why."""
    assert run.code == 1, vars(run)
    assert len(run.lines) == 1, vars(run)
    assert run.lines[0].startswith("gracefulinit: probe"), vars(run)
    for word in words:
        assert word in run.lines[0], vars(run)
    return run.lines[0]


# ---------------------------------------------------------------- servers

class Handler(http.server.BaseHTTPRequestHandler):
    """GET /status/NNN answers NNN; /slow answers 200 after 5 s."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        if self.path.startswith("/slow"):
            self.server.stop.wait(5)
            code = 200
        elif self.path.startswith("/status/"):
            code = int(self.path.split("/")[2].split("?")[0])
        else:
            code = 200
        self.send_response(code)
        if code in (301, 302, 307):
            self.send_header("Location", "/status/500")
        body = b"ok\n"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the probe hangs up on purpose (timeouts): nothing to report


class HTTP6Server(HTTPServer):
    address_family = socket.AF_INET6


def serve_http(server_class, host):
    server = server_class((host, 0), Handler)
    server.requests = []
    server.stop = threading.Event()
    server.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def stop_http(server, thread):
    server.stop.set()
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def web():
    server, thread = serve_http(HTTPServer, "127.0.0.1")
    yield server
    stop_http(server, thread)


@pytest.fixture
def web6():
    try:
        server, thread = serve_http(HTTP6Server, "::1")
    except OSError as e:
        pytest.skip(f"no IPv6 loopback here: {e}")
    yield server
    stop_http(server, thread)


class RawServer:
    """Accepts connections on 127.0.0.1 and runs behaviour(conn, stop) on each."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.conns.append(conn)
            t = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self.threads.append(t)
            t.start()

    def _run(self, conn):
        try:
            self.behaviour(conn, self.stop)
        except OSError:
            pass  # the probe gave up and closed: expected

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(10)
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.fixture
def raw():
    servers = []

    def _raw(behaviour):
        servers.append(RawServer(behaviour))
        return servers[-1]
    yield _raw
    for s in servers:
        s.close()


def read_request(conn):
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data



# ------------------------------------------------------------ HTTP verdicts

@pytest.mark.parametrize("code", [200, 204, 302, 399])
def test_healthy_statuses(web, code):
    healthy(probe(f"http://127.0.0.1:{web.port}/status/{code}"))


@pytest.mark.parametrize("code", [404, 500, 503, 400])
def test_unhealthy_statuses(web, code):
    unhealthy(probe(f"http://127.0.0.1:{web.port}/status/{code}"), f"HTTP status {code}")


def test_redirect_is_not_followed(web):
    """302 is healthy as with curl -f; the 500 it points to is never asked for."""
    healthy(probe(f"http://127.0.0.1:{web.port}/status/302"))
    assert [path for path, _ in web.requests] == ["/status/302"]


def test_request_is_one_http11_get(web):
    healthy(probe(f"http://127.0.0.1:{web.port}/status/200?deep=1#fragment"))
    [(path, headers)] = web.requests
    assert path == "/status/200?deep=1"
    assert headers["Host"] == f"127.0.0.1:{web.port}"
    assert headers["Connection"] == "close"
    assert headers["User-Agent"].startswith("gracefulinit/")


def test_default_path_and_localhost(web):
    healthy(probe(f"http://localhost:{web.port}"))
    assert web.requests[0][0] == "/"
    assert web.requests[0][1]["Host"] == f"localhost:{web.port}"


def test_query_without_a_path(web):
    """http://h:80?x: the request target is /?x (it was refused as junk)."""
    healthy(probe(f"http://127.0.0.1:{web.port}?ready=1"))
    assert web.requests[0][0] == "/?ready=1"


def test_credentials_are_refused_without_echoing_them():
    run = probe("http://admin:hunter2@127.0.0.1:8080/health")
    unhealthy(run, "credentials are not supported")
    assert "hunter2" not in run.lines[0]


def test_ipv6_literal(web6):
    healthy(probe(f"http://[::1]:{web6.port}/status/200"))
    assert web6.requests[0][1]["Host"] == f"[::1]:{web6.port}"
    unhealthy(probe(f"http://[::1]:{web6.port}/status/500"), "HTTP status 500")


def test_refused_port():
    line = unhealthy(probe(f"http://127.0.0.1:{free_port()}/health"), "refused")
    assert "127.0.0.1" in line


# ------------------------------------------------------------ tcp://

def test_tcp_open(raw):
    server = raw(lambda conn, stop: stop.wait(10))
    healthy(probe(f"tcp://127.0.0.1:{server.port}"))
    healthy(probe(f"tcp://localhost:{server.port}/"))


def test_tcp_refused():
    unhealthy(probe(f"tcp://127.0.0.1:{free_port()}"), "refused")


# ------------------------------------------------------------ bad servers

def test_slow_response_times_out(web):
    run = probe("--timeout", "1s", f"http://127.0.0.1:{web.port}/slow")
    unhealthy(run, "timed out after 1s")
    assert 0.9 <= run.elapsed < 4, run.elapsed


def test_server_that_never_answers(raw):
    server = raw(lambda conn, stop: (read_request(conn), stop.wait(10)))
    run = probe("--timeout=700ms", f"http://127.0.0.1:{server.port}/")
    unhealthy(run, "timed out after 700ms", "waiting for the response")
    assert 0.6 <= run.elapsed < 4, run.elapsed


def trickle(conn, stop):
    read_request(conn)
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
        conn.sendall(bytes([byte]))
        if stop.wait(1):
            return


def test_trickling_server_times_out(raw):
    server = raw(trickle)
    run = probe("--timeout", "2s", f"http://127.0.0.1:{server.port}/")
    unhealthy(run, "timed out after 2s")
    assert 1.9 <= run.elapsed < 5, run.elapsed


def answer(data, then_wait=True):
    def behaviour(conn, stop):
        read_request(conn)
        conn.sendall(data)
        if then_wait:
            stop.wait(10)
        else:
            conn.close()
    return behaviour


@pytest.mark.parametrize("data", [
    b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)),
    b"<html>hello</html>\r\n\r\n",
], ids=["ssh", "binary", "html"])
def test_garbage_is_malformed(raw, data):
    server = raw(answer(data))
    run = probe("--timeout", "10s", f"http://127.0.0.1:{server.port}/")
    unhealthy(run, "malformed response")
    assert run.elapsed < 5, "junk must be refused at once, not at the timeout"


@pytest.mark.parametrize("line", [b"HTTP/1.1 2OO OK", b"HTTP/1.1 20 OK", b"HTTP/1.1 2000 OK", b"HTTP/9.9 200 OK",
                                  b"HTTP/1.1 200 OK\x00"])
def test_junk_status_line(raw, line):
    server = raw(answer(line + b"\r\n\r\n"))
    unhealthy(probe("--timeout", "10s", f"http://127.0.0.1:{server.port}/"), "malformed response")


def endless_headers(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stop.is_set():
        conn.sendall(b"X-Padding: " + b"x" * 1000 + b"\r\n")


def test_huge_header_block(raw):
    server = raw(endless_headers)
    run = probe("--timeout", "10s", f"http://127.0.0.1:{server.port}/")
    unhealthy(run, "malformed response", "header block larger than")
    assert run.elapsed < 5


def endless_body(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    while not stop.is_set():
        conn.sendall(b"400\r\n" + b"y" * 1024 + b"\r\n")


def test_endless_body_is_not_waited_for(raw):
    """The verdict is the status line's: a body that never ends does not matter."""
    server = raw(endless_body)
    run = probe("--timeout", "10s", f"http://127.0.0.1:{server.port}/")
    healthy(run)
    assert run.elapsed < 5


def test_closed_without_response(raw):
    server = raw(lambda conn, stop: (read_request(conn), conn.shutdown(socket.SHUT_RDWR)))
    unhealthy(probe(f"http://127.0.0.1:{server.port}/"), "connection closed without a response")


def test_closed_inside_headers(raw):
    server = raw(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", then_wait=False))
    unhealthy(probe(f"http://127.0.0.1:{server.port}/"), "closed before the end of the response headers")


def test_signals_end_the_probe(raw):
    """gracefulinit's main blocks the signals it forwards; a probe must still
    die of SIGTERM (Docker and people at a terminal stop it that way)."""
    server = raw(lambda conn, stop: (read_request(conn), stop.wait(10)))
    proc = subprocess.Popen([GRACEFULINIT, "probe", "--timeout", "30s", f"http://127.0.0.1:{server.port}/"],
                            stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    try:
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(5) == -signal.SIGTERM
    finally:
        proc.kill()
        proc.wait(5)
        proc.stderr.close()


# ------------------------------------------------------------ usage

@pytest.mark.parametrize("args,words", [
    ([], ["no URL given"]),
    (["--timeout"], ["option '--timeout' needs a value"]),
    (["--timeout", "soon", "http://127.0.0.1/"], ["--timeout: 'soon' is not a duration"]),
    (["--timeout", "0", "http://127.0.0.1/"], ["--timeout: '0'"]),
    (["--timeout", "off", "http://127.0.0.1/"], ["--timeout: 'off'"]),
    (["--verbose", "http://127.0.0.1/"], ["unknown option '--verbose'"]),
    (["http://127.0.0.1/", "http://127.0.0.2/"], ["one URL too many"]),
    (["https://127.0.0.1/health"], ["https is not supported"]),
    (["ftp://127.0.0.1/"], ["bad URL 'ftp://127.0.0.1/'"]),
    (["127.0.0.1:8000"], ["bad URL"]),
    (["tcp://127.0.0.1"], ["needs a port"]),
    (["http://127.0.0.1:99999/"], ["port above 65535"]),
    (["http://[::1/"], ["bad URL"]),
    (["http://127.0.0.1/a b"], ["bad URL"]),
])
def test_usage_errors_exit_1(args, words):
    """Docker reserves 2: usage errors are unhealthy, exit 1, said in one line."""
    unhealthy(probe(*args), *words)


def test_double_dash_ends_options(web):
    healthy(probe("--timeout", "3s", "--", f"http://127.0.0.1:{web.port}/"))


# ------------------------------------------------------------ names

class FakeDNS:
    """A UDP nameserver on a random 127.x.y.z:53 with fixed A records.
    Other names get NXDOMAIN; AAAA gets an empty answer. silent: never answers."""

    def __init__(self, records, silent=False, types=(1, 28), respond=None):
        self.records = records
        self.silent = silent
        self.types = types
        self.respond = respond or self._answer  # respond(msg, name, qtype, end) -> bytes or None
        self.queries = []
        self.ip = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((self.ip, 53))
        self.sock.settimeout(0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                msg, peer = self.sock.recvfrom(512)
            except (socket.timeout, OSError):
                continue
            name, qtype, end = self._question(msg)
            self.queries.append((name, qtype))
            reply = self.respond(msg, name, qtype, end) if not self.silent and qtype in self.types else None
            if reply is not None:
                self.sock.sendto(reply, peer)

    @staticmethod
    def _question(msg):
        pos, labels = 12, []
        while msg[pos]:
            labels.append(msg[pos + 1:pos + 1 + msg[pos]].decode())
            pos += 1 + msg[pos]
        qtype = struct.unpack("!H", msg[pos + 1:pos + 3])[0]
        return ".".join(labels), qtype, pos + 5

    def _answer(self, msg, name, qtype, end):
        qid = msg[:2]
        if name not in self.records:
            return qid + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0) + msg[12:end]
        if qtype != 1:
            return qid + struct.pack("!HHHHH", 0x8180, 1, 0, 0, 0) + msg[12:end]
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(self.records[name])
        return qid + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + msg[12:end] + rr

    def close(self):
        self.stop.set()
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def dns():
    servers = []

    def _dns(records, silent=False, types=(1, 28), respond=None):
        try:
            servers.append(FakeDNS(records, silent, types, respond))
        except OSError as e:
            pytest.skip(f"cannot bind a nameserver on loopback: {e}")
        return servers[-1]
    yield _dns
    for s in servers:
        s.close()


def with_files(tmp_path, resolv_conf, hosts):
    """Runs the probe in its own mount namespace with these files as
    /etc/resolv.conf and /etc/hosts: the host's are left alone."""
    (tmp_path / "resolv.conf").write_text(resolv_conf)
    (tmp_path / "hosts").write_text(hosts)
    script = 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", str(tmp_path / "resolv.conf"), str(tmp_path / "hosts")]


def test_name_from_dns_with_search_domain(tmp_path, web, dns):
    server = dns({"web.test.internal": "127.0.0.1"})
    wrap = with_files(tmp_path, f"nameserver {server.ip}\nsearch test.internal\n", "127.0.0.1 localhost\n")
    healthy(probe(f"http://web:{web.port}/status/200", wrap=wrap))
    # No dot in "web" (ndots 1): the search domain comes first, and answers.
    assert sorted(server.queries) == [("web.test.internal", 1), ("web.test.internal", 28)]
    assert web.requests[0][1]["Host"] == f"web:{web.port}"


def test_nameserver_that_ignores_aaaa(tmp_path, web, dns):
    """Some servers never answer AAAA: the A answer is used after one retry
    interval (1 s), not after the whole timeout."""
    server = dns({"web": "127.0.0.1"}, types=(1,))
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "8s", f"http://web:{web.port}/", wrap=wrap)
    healthy(run)
    assert 0.9 <= run.elapsed < 4, run.elapsed


def test_unknown_name(tmp_path, dns):
    server = dns({})
    wrap = with_files(tmp_path, f"nameserver {server.ip}\nsearch test.internal\n", "")
    unhealthy(probe("http://nope:8000/", wrap=wrap), "cannot resolve 'nope'", "no such host")
    names = [name for name, _ in server.queries]
    assert names.index("nope.test.internal") < names.index("nope")


def test_silent_nameserver_times_out(tmp_path, dns):
    server = dns({}, silent=True)
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "1500ms", "http://web:8000/", wrap=wrap)
    unhealthy(run, "timed out after 1.5s", "resolving")
    assert 1.4 <= run.elapsed < 5, run.elapsed
    # Queries are sent again while no answer comes (UDP may lose them).
    assert len(server.queries) >= 4


def test_no_nameserver_listening(tmp_path):
    """Linux answers a datagram to a closed loopback port with ICMP port
    unreachable: the probe gives up at once. (gVisor sends none: there the
    deadline ends it.)"""
    ip = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    wrap = with_files(tmp_path, f"nameserver {ip}\n", "")
    # The refusal could come back as the error of the second query's send,
    # which was dropped: then the probe waited out its whole timeout.
    for _ in range(5):
        run = probe("--timeout", "5s", "http://web:8000/", wrap=wrap)
        unhealthy(run, "cannot resolve 'web': no nameserver reachable")
        assert run.elapsed < 4, run.elapsed  # not the 5 s timeout


def test_hosts_file_wins_without_dns(tmp_path, web, dns):
    server = dns({}, silent=True)
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "127.0.0.1 myapp.local myapp\n")
    healthy(probe(f"http://myapp:{web.port}/", wrap=wrap))
    assert server.queries == []


def test_localhost_without_hosts_entry(tmp_path, web):
    wrap = with_files(tmp_path, "nameserver 127.0.0.1\n", "# empty\n")
    healthy(probe(f"http://localhost:{web.port}/", wrap=wrap))


def test_hosts_file_is_read_whole(tmp_path, web):
    """An entry past the first 64 KiB of /etc/hosts is found (it was cut)."""
    filler = "".join(f"10.9.{i // 250}.{i % 250 + 1} filler-host-{i:05d}.example.internal\n" for i in range(2000))
    assert len(filler) > 85_000
    wrap = with_files(tmp_path, "nameserver 127.0.0.1\n", filler + "127.0.0.1 late-entry\n")
    healthy(probe(f"http://late-entry:{web.port}/", wrap=wrap))


# ---- The probe never runs as root (adversarial review, issue 10)

def probe_status_while_waiting(web, *args, env=None, wrap=()):
    """Starts the probe (as root) against /slow, which answers after 5 s, and
    reads its /proc/PID/status while it waits on the server."""
    argv = list(wrap) + [GRACEFULINIT, "probe", *args, f"http://127.0.0.1:{web.port}/slow"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(ENV, **(env or {})))
    try:
        wait_until(lambda: web.requests, 10, what="the probe's request")
        target = proc.pid
        if wrap:  # unshare ... sh -c 'exec ...': the probe is the last of the chain
            target = wait_until(lambda: next((int(p) for p in os.listdir("/proc") if p.isdigit() and
                                              open(f"/proc/{p}/cmdline", "rb").read().startswith(
                                                  GRACEFULINIT.encode() + b"\0probe")), None), 10,
                                what="the probe's pid")
        with open(f"/proc/{target}/status") as f:
            status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    finally:
        web.stop.set()
        proc.wait(20)
    assert proc.returncode == 0, proc.stderr.read()
    return status


def assert_unprivileged(status, uid):
    assert status["Uid"].split() == [str(uid)] * 4, status["Uid"]
    assert status["Gid"].split()[0] == str(uid) or uid == 65534
    for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert status[key] == "0000000000000000", (key, status[key])
    assert status["NoNewPrivs"] == "1"


def test_probe_started_as_root_drops_to_nobody(web):
    assert_unprivileged(probe_status_while_waiting(web), 65534)


def test_probe_drops_without_any_etc_passwd(web, tmp_path):
    """65534 needs no passwd entry: an image with no /etc/passwd works."""
    (tmp_path / "empty").write_text("")
    wrap = ["unshare", "--mount", "sh", "-c", 'mount --bind "$1" /etc/passwd && shift && exec "$@"', "sh",
            str(tmp_path / "empty")]
    assert_unprivileged(probe_status_while_waiting(web, wrap=wrap), 65534)


def test_probe_takes_the_user_from_the_image_or_its_option(web):
    assert_unprivileged(probe_status_while_waiting(web, env={"GRACEFULINIT_USER": "4321:4321"}), 4321)
    web.stop.clear()
    web.requests.clear()
    assert_unprivileged(probe_status_while_waiting(web, "--user", "4322:4322"), 4322)


# ---- What the nameserver said, as soon as it is final (issue 10)

def header(msg, flags, answers=0):
    return msg[:2] + struct.pack("!HHHHH", flags, 1, answers, 0, 0)


def rcode(code):
    return lambda msg, name, qtype, end: header(msg, 0x8180 | code) + msg[12:end]


@pytest.mark.parametrize("code, words", [(2, "the nameserver failed to resolve it (SERVFAIL)"),
                                         (5, "the nameserver refused the query (REFUSED)"),
                                         (4, "the nameserver answered with an error")])
def test_nameserver_error_is_reported_at_once(tmp_path, dns, code, words):
    server = dns({}, respond=rcode(code))
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "8s", "http://web.example:8000/", wrap=wrap)
    unhealthy(run, f"cannot resolve 'web.example': {words}")
    assert run.elapsed < 4, run.elapsed  # not the 8 s timeout


def test_nxdomain_for_a_is_final_for_aaaa_too(tmp_path, dns):
    """NXDOMAIN means no such name, of any type: the AAAA query the server
    never answers is not waited for."""
    server = dns({}, types=(1,))
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "8s", "http://nope.example:8000/", wrap=wrap)
    unhealthy(run, "cannot resolve 'nope.example': no such host")
    assert run.elapsed < 4, run.elapsed  # not the 8 s timeout


def test_truncated_answer_without_an_address_says_so(tmp_path, dns):
    def truncated(msg, name, qtype, end):
        record = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + b"\x7f"  # 3 of its 4 address bytes
        return header(msg, 0x8380, answers=1) + msg[12:end] + record
    server = dns({}, respond=truncated)
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "8s", "http://big.example:8000/", wrap=wrap)
    unhealthy(run, "cannot resolve 'big.example': the nameserver's answer was cut short")
    assert run.elapsed < 4, run.elapsed  # not the 8 s timeout


def test_answer_for_another_name_is_not_taken(tmp_path, web, dns):
    """The id matches and the socket is connected, but the question is not
    the probe's: an address for evil.example must not be used for web."""
    def other_name(msg, name, qtype, end):
        question = b"\x04evil\x07example\x00" + msg[end - 4:end]
        if qtype != 1:
            return header(msg, 0x8180) + question
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
        return header(msg, 0x8180, answers=1) + question + rr
    server = dns({}, respond=other_name)
    wrap = with_files(tmp_path, f"nameserver {server.ip}\n", "")
    run = probe("--timeout", "1500ms", f"http://web.example:{web.port}/", wrap=wrap)
    unhealthy(run, "timed out after 1.5s", "resolving")
    assert web.requests == []
