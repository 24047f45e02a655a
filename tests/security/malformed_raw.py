#!/usr/bin/env python3
"""Requests curl will not send as they are: a Content-Length that does not
match the body, a Content-Length that is not a number, a header line with
no colon. Prints the status line nginx answered with, or "closed" when the
connection ended without an answer (as nginx does when the client stops
sending before the body it announced).

usage: malformed_raw.py PORT CASE COOKIE BODY
  CASE: long-length   Content-Length 100 bytes more than the body, then
                      the client half-closes its side
        short-length  Content-Length 10 bytes less than the body
        bad-length    Content-Length "12abc"
        no-colon      a header line without a colon
"""
import socket
import sys

port, case, cookie, body = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()
length = {"long-length": len(body) + 100, "short-length": max(len(body) - 10, 0)}.get(case, len(body))
head = ["POST /customers/contacts HTTP/1.1", "Host: 127.0.0.1",
        "Content-Type: application/x-www-form-urlencoded", "Cookie: " + cookie,
        "Connection: close"]
head.append("Content-Length: 12abc" if case == "bad-length" else "Content-Length: %d" % length)
if case == "no-colon":
    head.append("X-Broken header without a colon")
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
if case == "long-length":
    s.shutdown(socket.SHUT_WR)
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
s.close()
line = data.split(b"\r\n", 1)[0].decode("latin-1")
print(line if line else "closed")
# The short case leaves 10 bytes that nginx reads as a second request.
