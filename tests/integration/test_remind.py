#!/usr/bin/env python3
"""test_remind.py: reminders of the compliance calendar (issue 6, items
3 and 4) from `isms serve --tick 1` to a real SMTP sink.

A small agency (no profile, so only its own duties) has two duties: one
of the protection group due in 7 days and one of the IT staff 5 days
overdue, on a test clock set to 10:00 Asia/Taipei on 15 June.  The sink
(smtp_sink.py, Debian's python3-aiosmtpd) must receive: the 7-day
reminder for the protection account with an address (the one without
gets the notification only), the overdue digest for the IT account, and
the escalation to the CISO naming the owner group; zh-TW subjects with
the count, bodies naming each duty, its ROC due date, the days left or
overdue and its address under base-url.  Then: a restart of the server
and `isms calendar tick` send nothing twice; a day later each overdue
owner and the CISO get a new digest and nothing else; with the relay
down mail stays queued with its error and goes out once a relay is back;
a reminder queued for an occurrence that is closed before the relay
comes back is dropped, and a closed occurrence gets no more reminders;
notifications are shown to their account only.

Environment: ISMS_BIN is the binary, ISMS_SOURCE the source tree.
"""
import datetime
import email
import email.policy
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Clock, Server, db_query  # noqa: E402
from test_mail import Sink  # noqa: E402

TAIPEI = datetime.timezone(datetime.timedelta(hours=8))
DAY = 86400
BASE = "https://isms.example.gov.tw"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
WAIT = 30  # seconds to wait for the scheduler


def roc(d):
    """The ROC form of date d, as mail shows it."""
    return "民國%d年%d月%d日" % (d.year - 1911, d.month, d.day)


def decoded(m):
    """(recipients, subject, body) of a message the sink kept."""
    msg = email.message_from_string(m["data"], policy=email.policy.default)
    return m["rcpt_tos"], str(msg["Subject"]), msg.get_content()


class RemindTest(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.make_tempdir(self).name
        self.db = os.path.join(self.tmp, "t.db")
        harness.init_db(self.db, demo=False)
        # 10:00 in Taipei on 15 June of this year.
        self.today = datetime.date(datetime.datetime.now(TAIPEI).year, 6, 15)
        target = datetime.datetime(self.today.year, 6, 15, 10, 0, tzinfo=TAIPEI)
        self.clock = Clock(self.tmp)
        self.clock.advance(int(target.timestamp() - time.time()))
        self.soon = self.today + datetime.timedelta(days=7)
        self.late = self.today - datetime.timedelta(days=5)
        path = os.path.join(self.tmp, "duties.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("name,chapter,owner,frequency,first_due,basis\n")
            f.write("防火牆規則檢視,9,protection,once,%s,計畫玖.八\n" % self.soon)
            f.write("主機弱點修補,9,it,once,%s,\n" % self.late)
        self.isms("import", "duty", path)
        self.passwords = {}
        for login, role, mail in (("prot-a", "protection", True),
                                  ("prot-b", "protection", False),
                                  ("it-a", "it", True),
                                  ("ciso-a", "ciso", True),
                                  ("off-a", "officer", True)):
            args = ["user", "add", login, "--name", "測試" + login,
                    "--role", role]
            if mail:
                args += ["--email", "%s@example.gov.tw" % login]
            r = self.isms(*args)
            self.passwords[login] = r.stdout.decode().strip().splitlines()[-1]
        self.isms("settings", "set", "base-url", BASE)
        self.sink = None

    def isms(self, *args, ok=True):
        r = harness.run(*args, "--db", self.db,
                        env=dict(self.clock.env(), ISMS_LANG="zh_TW"))
        if ok:
            self.assertEqual(r.returncode, 0, (args, r.stderr.decode()))
        return r

    def relay(self):
        """Start a new sink and make it the relay."""
        self.sink = Sink(self)
        for name, value in (("mail-relay", "smtp://127.0.0.1:%d" % self.sink.port),
                            ("mail-from", "isms@example.gov.tw"),
                            ("mail-starttls", "none")):
            self.isms("settings", "set", name, value)
        return self.sink

    def serve(self):
        return Server(self.db, ["--tick", "1"], env=self.clock.env())

    def wait_for(self, what, cond):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            v = cond()
            if v:
                return v
            time.sleep(0.2)
        self.fail("waited %d s for %s" % (WAIT, what))

    def wait_mails(self, sink, n):
        self.wait_for("%d mails" % n, lambda: len(sink.messages()) >= n)
        time.sleep(1.5)  # a duplicate would arrive within a tick or two
        msgs = sink.messages()
        self.assertEqual(len(msgs), n, [decoded(m)[:2] for m in msgs])
        return sorted((decoded(m) for m in msgs), key=lambda x: x[0])

    def occ(self, name):
        return db_query(self.db, "SELECT o.id FROM occurrence o JOIN duty d"
                        " ON o.duty = 'agency:' || d.id WHERE d.name = ?",
                        (name,))[0][0]

    def sent_count(self):
        return db_query(self.db, "SELECT count(*) FROM mail_outbox")[0][0]

    def client(self, server, login):
        c = server.client(self)
        self.passwords[login] = c.login(login, self.passwords[login])
        return c

    def admin(self, server):
        """The first administrator signed in: password changed, TOTP
        enrolled."""
        c = server.client(self)
        otp = harness.ADMIN_OTP[self.db]
        c.page("/login")
        r = c.post_form("/login", {"login": "admin", "password": otp})
        self.assertEqual(r.header("Location"), "/account/password")
        c.token = None
        c.page("/account/password")
        r = c.post_form("/account/password", {"current": otp, "password": harness.TEST_PASSWORD,
                                              "confirm": harness.TEST_PASSWORD})
        self.assertEqual(r.header("Location"), "/account/mfa")
        c.token = None
        m = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', c.page("/account/mfa").text)
        r = c.post_form("/account/mfa", {"code": harness.totp(m.group(1), self.clock.now())})
        self.assertEqual(r.status, 200)
        c.token = None
        c.page("/account")
        return c

    def test_reminders(self):
        sink = self.relay()

        # ---- day 0: the 7-day reminder, an overdue digest, escalation ----
        with self.serve():
            mails = self.wait_mails(sink, 3)
        fw, patch = self.occ("防火牆規則檢視"), self.occ("主機弱點修補")
        (to_ciso, s_ciso, b_ciso), (to_it, s_it, b_it), (to_prot, s_prot, b_prot) = mails
        self.assertEqual(to_prot, ["prot-a@example.gov.tw"])
        self.assertEqual(s_prot, "【isms】1 項資通安全應辦事項即將到期")
        for text in ("測試prot-a 您好", "防火牆規則檢視", roc(self.soon), "尚餘 7 日",
                     "依據：計畫玖.八", "%s/r/duty/calendar/%d" % (BASE, fw),
                     "截至%s" % roc(self.today)):
            self.assertIn(text, b_prot)
        self.assertNotIn("主機弱點修補", b_prot)
        self.assertEqual(to_it, ["it-a@example.gov.tw"])
        self.assertEqual(s_it, "【isms】1 項資通安全應辦事項已逾期")
        for text in ("主機弱點修補", roc(self.late), "已逾期 5 日",
                     "%s/r/duty/calendar/%d" % (BASE, patch)):
            self.assertIn(text, b_it)
        self.assertEqual(to_ciso, ["ciso-a@example.gov.tw"])
        self.assertEqual(s_ciso, "【isms】1 項資通安全應辦事項已逾期")
        for text in ("主機弱點修補（新逾期）", roc(self.late), "已逾期 5 日",
                     "負責群組：資訊人員"):
            self.assertIn(text, b_ciso)
        self.assertEqual(
            sorted(db_query(self.db, "SELECT a.login, n.kind, n.occurrence FROM notice n"
                            " JOIN account a ON a.id = n.account")),
            [("ciso-a", "escalate", patch), ("it-a", "overdue", patch),
             ("prot-a", "due", fw), ("prot-b", "due", fw)])

        # ---- restart, and the command line: nothing twice ----
        with self.serve():
            time.sleep(3)
        r = self.isms("calendar", "tick")
        self.assertIn("提醒：0 則，站內通知 0 則，排入郵件 0 封", r.stdout.decode())
        self.assertEqual(len(sink.messages()), 3)
        self.assertEqual(self.sent_count(), 3)

        # ---- a day later: new overdue digests only ----
        self.clock.advance(DAY)
        with self.serve():
            mails = self.wait_mails(sink, 5)
        new = [m for m in mails if "已逾期 6 日" in m[2]]
        self.assertEqual(sorted(m[0][0] for m in new),
                         ["ciso-a@example.gov.tw", "it-a@example.gov.tw"])
        self.assertNotIn("新逾期", [m for m in new if m[0][0].startswith("ciso")][0][2])
        self.assertEqual(sum(1 for m in mails if m[0] == ["prot-a@example.gov.tw"]), 1)
        # Only the first overdue digest made a notification.
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM notice")[0][0], 4)

        # ---- relay down: queued with the error, sent once it is back ----
        sink.stop()
        self.clock.advance(DAY)
        with self.serve() as srv:
            self.wait_for("failed attempts", lambda: db_query(
                self.db, "SELECT count(*) FROM mail_outbox WHERE status = 'queued'"
                " AND attempts >= 1 AND last_error LIKE '%無法連線%'")[0][0] == 2)
            c = self.client(srv, "off-a")
            self.assertEqual(c.get("/admin/mail").status, 403)
            html = self.admin(srv).page("/admin/mail").text
            self.assertIn("無法連線到郵件轉送伺服器", html)
            self.assertIn("待寄郵件 2 封。", html)
            self.assertIn("it-a &lt;it-a@example.gov.tw&gt;", html)
            sink2 = self.relay()
            self.clock.advance(120)  # past the one-minute backoff
            mails = self.wait_mails(sink2, 2)
            self.assertTrue(all("已逾期 7 日" in m[2] for m in mails))

            # ---- moot: queued, then closed before the relay is back ----
            sink2.stop()
            self.clock.advance(5 * DAY)  # 21 June: the 1-day reminder
            self.wait_for("the 1-day reminder queued", lambda: db_query(
                self.db, "SELECT count(*) FROM mail_outbox m JOIN mail_outbox_item i"
                " ON i.mail = m.id WHERE i.key = 'd1' AND m.attempts >= 1")[0][0] == 1)
            c = self.client(srv, "prot-a")
            c.page("/r/duty/calendar/%d" % fw)
            r = c.post_multipart("/r/duty/calendar/%d/close" % fw, {"note": "已檢視"},
                                 {"file": ("review.pdf", PDF, "application/pdf")})
            self.assertEqual(r.status, 303, r.text[:300])
            sink3 = self.relay()
            self.clock.advance(600)
            mails = self.wait_mails(sink3, 2)
            self.assertEqual(sorted(m[0][0] for m in mails),
                             ["ciso-a@example.gov.tw", "it-a@example.gov.tw"])
            self.wait_for("the moot mail dropped", lambda: db_query(
                self.db, "SELECT count(*) FROM mail_outbox WHERE status = 'dropped'"
                " AND rcpt = 'prot-a@example.gov.tw'")[0][0] == 1)

            # ---- a closed occurrence is not reminded of again ----
            self.clock.advance(DAY)
            time.sleep(3)
            self.assertEqual(db_query(self.db, "SELECT count(*) FROM remind_sent"
                                      " WHERE occurrence = ? AND at > ?",
                                      (fw, int(self.clock.now()) - DAY // 2))[0][0], 0)
            self.wait_mails(sink3, 4)  # the day's two overdue digests

            # ---- notifications: one's own only ----
            prot_b = self.client(srv, "prot-b")
            html = prot_b.page("/notices").text
            self.assertIn("防火牆規則檢視", html)
            self.assertIn("（現已完成）", html)
            self.assertNotIn("主機弱點修補", html)
            self.assertIn('href="/notices"', html)
            it = self.client(srv, "it-a")
            html = it.page("/").text
            self.assertIn("通知（1 則未讀）", html)
            html = it.page("/notices").text
            self.assertIn("主機弱點修補", html)
            self.assertNotIn("防火牆規則檢視", html)
            theirs = db_query(self.db, "SELECT n.id FROM notice n JOIN account a"
                              " ON a.id = n.account WHERE a.login = 'prot-b'")[0][0]
            mine = db_query(self.db, "SELECT n.id FROM notice n JOIN account a"
                            " ON a.id = n.account WHERE a.login = 'it-a'")[0][0]
            self.assertEqual(it.post_form("/notices/%d/read" % theirs, {}).status, 404)
            self.assertIsNone(db_query(self.db, "SELECT read_at FROM notice WHERE id = ?",
                                       (theirs,))[0][0])
            r = it.post_form("/notices/%d/read" % mine, {})
            self.assertEqual((r.status, r.header("Location")), (303, "/notices"))
            self.assertIn("通知</a>", it.page("/notices").text)
            self.assertEqual(prot_b.post_form("/notices/read-all", {}).status, 303)
            self.assertEqual(db_query(self.db, "SELECT count(*) FROM notice n JOIN account a"
                                      " ON a.id = n.account WHERE a.login = 'prot-b'"
                                      " AND n.read_at IS NULL")[0][0], 0)


class NoRelayTest(unittest.TestCase):
    """Without a relay: mail waits in the queue, notifications still
    appear."""

    def test_no_relay(self):
        tmp = harness.make_tempdir(self).name
        db = os.path.join(tmp, "t.db")
        harness.init_db(db, demo=True)
        for login, mail in (("ciso-x", True), ("ciso-y", False)):
            args = ["user", "add", login, "--name", login, "--role", "ciso", "--db", db]
            r = harness.run(*(args + (["--email", login + "@example.gov.tw"] if mail else [])))
            self.assertEqual(r.returncode, 0, r.stderr)
        r = harness.run("calendar", "tick", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mail: no relay set (mail-relay, mail-from): 1 mails stay queued",
                      r.stdout.decode())
        overdue = db_query(db, "SELECT count(*) FROM occurrence WHERE status = 'open'"
                           " AND due_on < date('now', '+8 hours')")[0][0]
        self.assertGreater(overdue, 0, "the demo calendar has overdue duties")
        self.assertEqual(db_query(db, "SELECT rcpt, status, attempts FROM mail_outbox"),
                         [("ciso-x@example.gov.tw", "queued", 0)])
        # Both CISOs are told of every overdue duty, with or without an
        # address.
        self.assertEqual(db_query(db, "SELECT count(*) FROM notice GROUP BY account"),
                         [(overdue,), (overdue,)])


class SettingsTest(unittest.TestCase):
    """remind-days and base-url are checked like every setting."""

    def test_checked(self):
        tmp = harness.make_tempdir(self).name
        db = os.path.join(tmp, "t.db")
        harness.init_db(db, demo=False)

        def isms(*args):
            return harness.run(*args, "--db", db, env={"ISMS_LANG": "zh_TW"})
        self.assertEqual(isms("settings", "get", "remind-days").stdout, b"30,7,1\n")
        self.assertEqual(isms("settings", "get", "base-url").stdout,
                         b"http://127.0.0.1:8080\n")
        for name, value, why in (
                ("remind-days", "30,7,7", "不可重複"),
                ("remind-days", "400", "0 至 365"),
                ("remind-days", "7 days", "以逗號分隔"),
                ("base-url", "isms.example.gov.tw", "https://主機"),
                ("base-url", "https://u:p@isms.example.gov.tw", "不含帳號"),
                ("base-url", "javascript:alert(1)", "https://主機")):
            r = isms("settings", "set", name, value)
            self.assertEqual(r.returncode, 65, (name, value))
            self.assertIn("的值不被接受", r.stderr.decode())
            self.assertIn(why, r.stderr.decode())
        for name, value in (("remind-days", "14, 3"), ("remind-days", ""),
                            ("base-url", "https://isms.example.gov.tw/isms")):
            self.assertEqual(isms("settings", "set", name, value).returncode, 0,
                             (name, value))
        self.assertEqual(isms("settings", "get", "base-url").stdout,
                         b"https://isms.example.gov.tw/isms\n")


if __name__ == "__main__":
    harness.main()
