#!/usr/bin/env python3
"""A real HTTP server for the watchdog's tests: GET /health answers as the
mode file says, read afresh on each request:

    ok     200
    500    500
    hang   accepts, reads the request, never answers

Events go to the marker file, one line each: "start PID", "usr1 PID",
"term PID", "cleaned PID" (after --cleanup seconds of cleanup on SIGTERM).

usage: webapp.py PORT MODE_FILE MARKER [--cleanup SECONDS] [--ignore-term]
"""
import argparse
import http.server
import os
import signal
import socketserver
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("mode_file")
    parser.add_argument("marker")
    parser.add_argument("--cleanup", type=float, default=0.0)
    parser.add_argument("--ignore-term", action="store_true")
    args = parser.parse_args()

    def note(event):
        with open(args.marker, "a") as f:
            f.write(f"{event} {os.getpid()}\n")

    def mode():
        try:
            with open(args.mode_file) as f:
                return f.read().strip()
        except FileNotFoundError:
            return "ok"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            current = mode()
            if current == "hang":
                time.sleep(3600)
            self.send_response(500 if current == "500" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    def on_term(*_):
        note("term")
        if args.ignore_term:
            return
        time.sleep(args.cleanup)
        note("cleaned")
        os._exit(0)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGUSR1, lambda *_: note("usr1"))
    server = Server(("127.0.0.1", args.port), Handler)
    note("start")
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
