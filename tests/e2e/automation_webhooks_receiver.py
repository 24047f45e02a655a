#!/usr/bin/env python3
"""A webhook receiver for tests/e2e/automation_webhooks.sh: records every
request it gets, one JSON line per request in LOG (path, the X-CRM-*
headers, Content-Type, the body), and answers by path:
  /ok/...        200 "received"
  /flaky/...     500 the first time a path is seen, 200 after
  /fail/...      500 always
  /redirect/...  302 to /ok/... (which must not be followed)
usage: automation_webhooks_receiver.py HOST PORT LOG [DELAY] (PORT 0: any
free port; DELAY: seconds to wait before each answer, for a test that
must catch the sender half way); prints "ready PORT" once it listens."""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST, PORT, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
DELAY = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
lock = threading.Lock()
seen = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body, extra=None):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace")
        with lock:
            seen[self.path] = seen.get(self.path, 0) + 1
            count = seen[self.path]
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(json.dumps({
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "event": self.headers.get("X-CRM-Event"),
                    "delivery": self.headers.get("X-CRM-Delivery"),
                    "timestamp": self.headers.get("X-CRM-Timestamp"),
                    "signature": self.headers.get("X-CRM-Signature"),
                    "body": body,
                }) + "\n")
        if DELAY:
            time.sleep(DELAY)
        if self.path.startswith("/ok/"):
            self.answer(200, "received")
        elif self.path.startswith("/flaky/"):
            self.answer(500 if count == 1 else 200, "not yet" if count == 1 else "received at last")
        elif self.path.startswith("/redirect/"):
            self.answer(302, "moved", {"Location": "/ok" + self.path[len("/redirect"):]})
        else:
            self.answer(500, "always broken \u2603")


server = ThreadingHTTPServer((HOST, PORT), Handler)
print("ready", server.server_address[1], flush=True)
server.serve_forever()
