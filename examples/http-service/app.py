"""A small HTTP service for Dockerfile.example: GET / and GET /health, from
Python's standard library alone, with the graceful shutdown a container stop
expects: on SIGTERM (or SIGINT) it stops accepting, finishes the requests in
flight and exits 0.

Configuration comes from the environment at run time, never baked into the
image. The API token too: the platform mounts it as a file, and gracefulinit's
--secret API_TOKEN reads the file that API_TOKEN_FILE names into API_TOKEN
(as root, before it drops to the app's user), so the app reads only its
environment.
"""
import http.server
import json
import os
import signal
import sys
import threading

PORT = int(os.environ.get("PORT", "8000"))


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "example-http"

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/":
            self.reply(200, {"service": "example-http", "uid": os.getuid(), "pid": os.getpid()})
        else:
            self.reply(404, {"error": "not found"})

    def reply(self, code, payload):
        body = (json.dumps(payload) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        # Health checks every few seconds would drown the log.
        if self.path != "/health":
            print(f"{self.address_string()} {fmt % args}", flush=True)


def main():
    token = os.environ.get("API_TOKEN")
    server = http.server.ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    server.daemon_threads = False  # server_close() waits for requests in flight

    def stop(signum, _frame):
        print(f"received {signal.Signals(signum).name}: draining and shutting down", flush=True)
        # shutdown() blocks until serve_forever() returns: not from its own thread.
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on :{PORT} as uid {os.getuid()}"
          f"{' with an API token' if token else ''}", flush=True)
    server.serve_forever()
    server.server_close()
    print("shutdown complete", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
