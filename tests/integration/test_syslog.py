"""Audit events forwarded to the agency's SIEM as RFC 5424 syslog over
UDP (setting audit-syslog), received here by a socket on 127.0.0.1."""

import re
import socket

import harness
from harness import IsmsTestCase, Server

LINE = re.compile(r'^<85>1 (\S+) (\S+) isms (\d+) audit \[isms@32473 id="(\d+)" '
                  r'actor="([^"]*)" action="([^"]*)" object="([^"]*)" '
                  r'source="([^"]*)" hash="([0-9a-f]{64})"\]( \ufeff(.*))?$')


class SyslogTest(IsmsTestCase):

    def setUp(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.addCleanup(self.sock.close)
        self.target = "udp:127.0.0.1:%d" % self.sock.getsockname()[1]

    def recv(self):
        data = self.sock.recv(65536).decode("utf-8")
        m = LINE.match(data)
        self.assertIsNotNone(m, data)
        return m

    def test_bad_target_refused(self):
        """A target that is neither udp: nor unix: is refused with the reason."""
        r = harness.run("settings", "set", "audit-syslog", "tcp:10.0.0.5:514",
                        "--db", self.db)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"udp:ADDRESS:PORT", r.stderr)

    def test_events_are_forwarded_with_their_hash(self):
        """The setting change itself, then a failed sign-in, arrive as RFC 5424 lines whose hash is the row's."""
        r = harness.run("settings", "set", "audit-syslog", self.target, "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = self.recv()
        self.assertEqual((m.group(6), m.group(7), m.group(8)),
                         ("setting", "audit-syslog", "cli"))
        with Server(self.db) as srv:
            c = srv.client(self)
            c.page("/login")
            c.post_form("/login", {"login": "nobody", "password": "wrong"})
            m = self.recv()
        self.assertEqual((m.group(5), m.group(6), m.group(7), m.group(8)),
                         ("anonymous", "login-failed", "account/nobody", "127.0.0.1"))
        self.assertEqual(m.group(11), "unknown account")
        row = harness.db_query(self.db, "SELECT hash FROM audit_event WHERE id = ?",
                               (int(m.group(4)),))
        self.assertEqual(row[0][0], m.group(9))


if __name__ == "__main__":
    harness.main()
