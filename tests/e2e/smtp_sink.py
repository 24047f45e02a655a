"""A local SMTP sink for the mail tests: each message received is saved,
as received, to DIR/<n>.eml (with the envelope in DIR/<n>.env).
Usage: python3 smtp_sink.py HOST PORT DIR"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller


class Save:
    def __init__(self, directory):
        self.directory = directory
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.directory, "%d" % self.n)
        with open(base + ".env", "w") as f:
            f.write("%s\n%s\n" % (envelope.mail_from, " ".join(envelope.rcpt_tos)))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def main():
    host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(directory, exist_ok=True)
    c = Controller(Save(directory), hostname=host, port=port)
    c.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()


if __name__ == "__main__":
    main()
