#!/usr/bin/python3
"""smtp_sink.py: a real SMTP server for test_mail.py (Debian's
python3-aiosmtpd; run it with /usr/bin/python3).

    smtp_sink.py DIR [--auth USER:PASSWORD]

Listens on a free port of 127.0.0.1, prints the port as the first line
on stdout, and writes every message it accepts to DIR/N.json
({"mail_from", "rcpt_tos", "data", "login"}) until SIGTERM or the end of
stdin.  It offers no STARTTLS.  With --auth, AUTH PLAIN and LOGIN are
offered over plain text and only USER with PASSWORD is accepted.
"""
import asyncio
import json
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) \
            else None
        with open(os.path.join(self.out, "%d.json" % self.n), "w") as f:
            json.dump({"mail_from": envelope.mail_from,
                       "rcpt_tos": envelope.rcpt_tos,
                       "data": envelope.original_content.decode("ascii"),
                       "login": login}, f)
        return "250 OK"


def main():
    out = sys.argv[1]
    creds = None
    if len(sys.argv) == 4 and sys.argv[2] == "--auth":
        creds = sys.argv[3].split(":", 1)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    kw = {}
    if creds:
        def check(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and
                  auth_data.login.decode() == creds[0] and
                  auth_data.password.decode() == creds[1])
            return AuthResult(success=ok, handled=False, auth_data=auth_data)
        kw = {"authenticator": check, "auth_require_tls": False,
              "auth_required": True}
    c = Controller(Sink(out), hostname="127.0.0.1", port=port, **kw)
    c.start()
    print(port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()),
                     daemon=True).start()
    done.wait()
    c.stop()


if __name__ == "__main__":
    main()
