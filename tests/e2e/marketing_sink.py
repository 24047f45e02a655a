"""A fast local SMTP sink for the marketing tests and the bench: asyncio,
no dependencies, many messages per connection. For each message it
appends "<Message-ID>\t<recipient>" to LOG (flushed at once, so a test
reads what was accepted) and, with --save DIR, the raw message to
DIR/<n>.eml. --delay S waits S seconds before accepting each message (a
slow relay, so a send can be killed half way).
Usage: python3 marketing_sink.py HOST PORT LOG [--save DIR] [--delay S]"""
import argparse
import asyncio
import os
import re

MSGID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.I | re.M)


class Sink:
    def __init__(self, log, save, delay):
        self.log = open(log, "ab", buffering=0)
        self.save = save
        self.delay = delay
        self.n = 0

    async def session(self, reader, writer):
        def say(line):
            writer.write(line.encode() + b"\r\n")

        say("220 sink ready")
        rcpts = []
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                cmd = line.strip().upper()
                if cmd.startswith(b"EHLO"):
                    writer.write(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                elif cmd.startswith(b"HELO"):
                    say("250 sink")
                elif cmd.startswith(b"MAIL FROM"):
                    rcpts = []
                    say("250 OK")
                elif cmd.startswith(b"RCPT TO"):
                    rcpts.append(line.strip()[8:].strip().strip(b"<>").decode())
                    say("250 OK")
                elif cmd == b"DATA":
                    say("354 go on")
                    await writer.drain()
                    data = bytearray()
                    while True:
                        chunk = await reader.readline()
                        if not chunk or chunk == b".\r\n":
                            break
                        if chunk.startswith(b".."):
                            chunk = chunk[1:]
                        data += chunk
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    self.accept(bytes(data), rcpts)
                    say("250 OK queued")
                elif cmd == b"QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:
                    say("250 OK")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def accept(self, data, rcpts):
        self.n += 1
        head = data.split(b"\r\n\r\n", 1)[0]
        m = MSGID.search(head)
        msgid = m.group(1).decode() if m else "-"
        if self.save:
            path = os.path.join(self.save, "%d.eml" % self.n)
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.rename(path + ".tmp", path)
        self.log.write(("".join("%s\t%s\n" % (msgid, r) for r in rcpts)).encode())


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("log")
    p.add_argument("--save")
    p.add_argument("--delay", type=float, default=0)
    a = p.parse_args()
    if a.save:
        os.makedirs(a.save, exist_ok=True)
    sink = Sink(a.log, a.save, a.delay)
    server = await asyncio.start_server(sink.session, a.host, a.port, reuse_address=True)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
