"""gracefulinit(1), STOPPING, with real servers from Debian's packages: one
stop request per process, one that can take effect, whatever the image's
STOPSIGNAL. Each server runs in shell form, where /bin/sh dies of the stop
signal first and the server is a member of the command's group."""
import signal
import socket
import threading
import urllib.request

import pytest

from gitest import nginx
from gitest.net import free_port
from gitest.wait import wait_until

NGINX = nginx.NGINX
DOWNLOAD_BYTES = 48 << 20



@pytest.fixture
def nginx_site(tmp_path):
    """An nginx that serves a 48 MiB file at 16 MiB/s (3 s a download)."""
    nginx.need_nginx()
    root = tmp_path / "www"
    root.mkdir()
    with open(root / "big", "wb") as f:
        f.truncate(DOWNLOAD_BYTES)
    port = free_port()
    nginx.write_conf(tmp_path / "nginx.conf", tmp_path, port, f"root {root};\n        limit_rate 16m;",
                     first_lines="user root root;")
    command = f"{NGINX} -e {tmp_path}/error.log -c {tmp_path}/nginx.conf -g 'daemon off;'; echo nginx exited"
    return port, ["sh", "-c", command]


def start_download(port):
    """Reads the file in a thread; result holds the bytes read, or the error."""
    result = {}

    def run():
        got = 0
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/big", timeout=30) as r:
                while chunk := r.read(1 << 16):
                    got += len(chunk)
                    result["started"] = True
        except OSError as e:
            result["error"] = repr(e)
        result["bytes"] = got
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_until(lambda: result.get("started") or "bytes" in result, 10, what="the download to start")
    return thread, result


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def test_nginx_stopsignal_quit_shell_form_finishes_the_download(start, nginx_site):
    """The official nginx image's STOPSIGNAL QUIT, shell-form CMD, no flag:
    /bin/sh dies of the QUIT, and nginx, which catches it and is draining,
    must not get the SIGTERM of a leftover (its fast stop)."""
    port, command = nginx_site
    init = start(["--", *command])
    wait_until(lambda: listening(port), 10, what="nginx to listen")
    thread, result = start_download(port)
    init.signal(signal.SIGQUIT)
    status = init.wait(30)
    thread.join(30)
    assert result.get("bytes") == DOWNLOAD_BYTES, (result, init.stderr())
    assert status == 128 + signal.SIGQUIT, init.stderr()  # the shell's death
    assert "sent SIGTERM" not in init.stderr(), init.stderr()
