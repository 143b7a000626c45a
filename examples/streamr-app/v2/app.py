"""streamr-app 2.0: the Stream Lifecycle System (standard library only).

Streams move through scheduled -> live -> ended. Serves GET /streams, /streams/live, /health and
/version on $HOST:$PORT
(HOST defaults to 127.0.0.1).
"""
import json
import os
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "2.0.0"

LIFECYCLE = ("scheduled", "live", "ended")

STREAMS = [
    {"id": "s-1001", "title": "Morning market update", "status": "live"},
    {"id": "s-1002", "title": "Release party", "status": "scheduled"},
    {"id": "s-1003", "title": "Weekly retro", "status": "ended"},
]


def revision():
    """The git revision of the release this process runs: REVISION in the working directory, else git."""
    try:
        with open("REVISION", encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        pass
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


REVISION = revision()  # read once at start: a process that was not restarted keeps reporting its own code


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        routes = {
            "/health": lambda: {"status": "ok"},
            "/version": lambda: {"revision": REVISION, "version": VERSION},
            "/streams": lambda: {"streams": STREAMS, "lifecycle": list(LIFECYCLE)},
            "/streams/live": lambda: {"streams": [s for s in STREAMS if s["status"] == "live"]},
        }
        route = routes.get(self.path.split("?")[0])
        if route is None:
            self.reply(404, {"detail": "Not Found"})
        else:
            self.reply(200, route())

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    print(f"streamr-app {VERSION} at {REVISION} listening on {host}:{port}", flush=True)
    ThreadingHTTPServer((host, port), Handler).serve_forever()
