#!/usr/bin/env python3
"""test_mail.py: `isms mail test` against a real SMTP server (issue 6).

smtp_sink.py (Debian's python3-aiosmtpd, run with /usr/bin/python3)
receives the message; the test checks the envelope recipients, the
decoded subject and body, the header lines, STARTTLS required against a
relay that does not offer it, authentication, and that the password is
never printed.

Environment: ISMS_BIN is the binary, ISMS_SOURCE the source tree.
"""
import email
import email.header
import email.policy
import glob
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SINK = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "smtp_sink.py")
PASSWORD = "S3cret-relay-pass"


class Sink:
    """A running smtp_sink.py; messages() reads what it received."""

    def __init__(self, test_case, auth=None):
        self.dir = harness.make_tempdir(test_case).name
        args = ["/usr/bin/python3", SINK, self.dir]
        if auth:
            args += ["--auth", auth]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        test_case.addCleanup(self.stop)
        self.port = int(self.proc.stdout.readline())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=15)
            self.proc.stdout.close()

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.json"))):
            with open(path, encoding="utf-8") as f:
                out.append(json.load(f))
        return out


class MailTest(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tempdir(self).name
        self.db = os.path.join(self.tmp, "t.db")
        harness.init_db(self.db, demo=False)

    def isms(self, *args, lang="en"):
        return harness.run(*args, "--db", self.db, env={"ISMS_LANG": lang})

    def configure(self, port, tls="none", user=None):
        for name, value in (("mail-relay", "smtp://127.0.0.1:%d" % port),
                            ("mail-from", "isms@example.gov.tw"),
                            ("mail-starttls", tls)):
            r = self.isms("settings", "set", name, value)
            self.assertEqual(r.returncode, 0, r.stderr)
        if user:
            for name, value in (("mail-user", user),
                                ("mail-password", PASSWORD)):
                r = self.isms("settings", "set", name, value)
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_sent_and_received(self):
        sink = Sink(self)
        self.configure(sink.port)
        r = self.isms("mail", "test", "--to", "officer@example.gov.tw",
                      "--to", "ciso@example.gov.tw", lang="zh_TW")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("收件者 2 位", r.stdout.decode())
        [m] = sink.messages()
        self.assertEqual(m["mail_from"], "isms@example.gov.tw")
        self.assertEqual(m["rcpt_tos"],
                         ["officer@example.gov.tw", "ciso@example.gov.tw"])
        raw = m["data"]
        for line in raw.split("\r\n"):
            self.assertLessEqual(len(line), 76, line)
        msg = email.message_from_string(raw, policy=email.policy.default)
        self.assertEqual(str(msg["Subject"]), "isms 測試郵件")
        self.assertEqual(msg["From"], "isms@example.gov.tw")
        self.assertEqual(msg["To"],
                         "officer@example.gov.tw, ciso@example.gov.tw")
        self.assertTrue(msg["Date"].endswith("+0800"))
        self.assertRegex(msg["Message-ID"], r"^<[0-9a-f]{32}@example\.gov\.tw>$")
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        body = msg.get_content()
        self.assertIn("這是 isms 寄出的測試郵件", body)
        self.assertIn("smtp://127.0.0.1:%d" % sink.port, body)

    def test_starttls_required_refused(self):
        # The sink offers no STARTTLS: with "required" nothing may be sent
        # in clear text, and the reason is said.
        sink = Sink(self)
        self.configure(sink.port, tls="required")
        r = self.isms("mail", "test", "--to", "officer@example.gov.tw",
                      lang="zh_TW")
        self.assertEqual(r.returncode, 74)
        self.assertIn("郵件伺服器不支援 STARTTLS", r.stderr.decode())
        self.assertEqual(sink.messages(), [])
        # "optional" falls back to clear text.
        r = self.isms("settings", "set", "mail-starttls", "optional")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.isms("mail", "test", "--to", "officer@example.gov.tw")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(sink.messages()), 1)

    def test_default_is_starttls_required(self):
        r = self.isms("settings", "get", "mail-starttls")
        self.assertEqual(r.stdout.decode(), "required\n")

    def test_authentication(self):
        sink = Sink(self, auth="isms:" + PASSWORD)
        self.configure(sink.port, user="isms")
        r = self.isms("mail", "test", "--to", "officer@example.gov.tw")
        self.assertEqual(r.returncode, 0, r.stderr)
        [m] = sink.messages()
        self.assertEqual(m["login"], "isms")
        # A wrong password: refused, and the password is not printed.
        r = self.isms("settings", "set", "mail-password", "wrong-" + PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.isms("mail", "test", "--to", "officer@example.gov.tw")
        self.assertEqual(r.returncode, 74)
        self.assertIn("refused the user name or password", r.stderr.decode())
        self.assertNotIn(PASSWORD, (r.stdout + r.stderr).decode())
        self.assertEqual(len(sink.messages()), 1)

    def test_password_never_printed(self):
        r = self.isms("settings", "list")
        self.assertIn("mail-password\t(not set)\t", r.stdout.decode())
        r = self.isms("settings", "set", "mail-password", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        for args in (("settings", "list"), ("settings", "get",
                                            "mail-password"),
                     ("audit", "export")):
            r = self.isms(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(PASSWORD, (r.stdout + r.stderr).decode(), args)
        r = self.isms("settings", "list")
        self.assertIn("mail-password\t(set)\t", r.stdout.decode())
        self.assertEqual(self.isms("settings", "get",
                                   "mail-password").stdout, b"(set)\n")

    def test_bad_settings_and_addresses(self):
        cases = [
            ("mail-relay", "smtp://user:pw@mail.example.gov.tw"),
            ("mail-relay", "http://mail.example.gov.tw"),
            ("mail-relay", "smtp://mail.example.gov.tw:99999"),
            ("mail-from", "isms@example.gov.tw\r\nBcc: x@evil.example"),
            ("mail-from", "not an address"),
            ("mail-starttls", "maybe"),
            ("mail-user", "isms\r\nX: 1"),
        ]
        for name, value in cases:
            r = self.isms("settings", "set", name, value, lang="zh_TW")
            self.assertEqual(r.returncode, 65, (name, value))
            self.assertIn("的值不被接受", r.stderr.decode())
        r = self.isms("mail", "test", "--to",
                      "a@example.org\r\nBcc: x@evil.example", lang="zh_TW")
        self.assertEqual(r.returncode, 65)
        self.assertIn("不是有效的電子郵件地址", r.stderr.decode())

    def test_not_configured_and_usage(self):
        r = self.isms("mail", "test", "--to", "a@example.org", lang="zh_TW")
        self.assertEqual(r.returncode, 65)
        self.assertIn("尚未設定郵件轉送伺服器", r.stderr.decode())
        self.assertEqual(self.isms("mail", "test").returncode, 64)
        self.assertEqual(self.isms("mail", "send", "--to",
                                   "a@example.org").returncode, 64)
        self.assertEqual(self.isms("mail", "test", "--to").returncode, 64)

    def test_relay_down(self):
        sink = Sink(self)
        port = sink.port
        sink.stop()
        self.configure(port)
        r = self.isms("mail", "test", "--to", "a@example.org")
        self.assertEqual(r.returncode, 74)
        self.assertIn("could not connect to the mail relay",
                      r.stderr.decode())


if __name__ == "__main__":
    harness.main()
