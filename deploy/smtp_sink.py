"""A mail server for the cluster test: accepts every message and writes it to a directory.

One file per message (``<time>-<uuid>.eml``), so the test can count what really left
the portal and stop or restart the "mail server" at will. Loopback only.

    python deploy/smtp_sink.py --port 2525 --dir /tmp/sink
"""

import argparse
import os
import signal
import time
import uuid

from aiosmtpd.controller import Controller


class DirectoryHandler:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time():.6f}-{uuid.uuid4().hex}"
        tmp = os.path.join(self.directory, f".{name}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            content = envelope.original_content or envelope.content
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        # Atomic: a reader never counts a half-written message.
        os.rename(tmp, os.path.join(self.directory, f"{name}.eml"))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(DirectoryHandler(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"smtp sink on {args.host}:{args.port} -> {args.dir}", flush=True)
    done = []
    signal.signal(signal.SIGTERM, lambda *_: done.append(1))
    signal.signal(signal.SIGINT, lambda *_: done.append(1))
    try:
        while not done:
            time.sleep(0.2)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
