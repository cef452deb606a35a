"""Debian's nginx-light for the tests that need a real server: where it is,
and a configuration that keeps everything it writes in one directory, so
that it runs as root or as any user who owns that directory."""
import os
import shutil

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def need_nginx():
    if not os.path.exists(NGINX):
        pytest.fail("nginx not found: apt-get install nginx-light (scripts/deps.sh test)")


def write_conf(path, state_dir, port, server, first_lines="", host="127.0.0.1", error_log=None):
    """nginx.conf at path: one worker, its pid, error log (unless error_log
    names another place) and temporary files in state_dir, one server on
    host:port whose body is server."""
    with open(path, "w") as f:
        f.write(f"""{first_lines}
worker_processes 1;
pid {state_dir}/nginx.pid;
error_log {error_log or f'{state_dir}/error.log'} notice;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {state_dir}/body;
    proxy_temp_path {state_dir}/proxy;
    fastcgi_temp_path {state_dir}/fastcgi;
    uwsgi_temp_path {state_dir}/uwsgi;
    scgi_temp_path {state_dir}/scgi;
    server {{
        listen {host}:{port};
        {server}
    }}
}}
""")
    os.chmod(path, 0o644)
