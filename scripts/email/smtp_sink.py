#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd from PyPI) that appends every message it accepts to a
JSON-lines file: {"mail_from", "rcpt_tos", "data"}. Prints `ready` once listening.

Usage: smtp_sink.py PORT OUT.jsonl
"""

import asyncio
import json
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(
                json.dumps(
                    {
                        "mail_from": envelope.mail_from,
                        "rcpt_tos": envelope.rcpt_tos,
                        "data": envelope.content.decode("utf-8", "replace"),
                    }
                )
                + "\n"
            )
        return "250 Message accepted for delivery"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
