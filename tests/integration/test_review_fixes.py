"""The fixes of the security review (commit 96c12ff), one test each,
through the real binary: wrong MFA codes count towards the lock-out; an
expired privileged approval ends sessions and tokens; nobody approves
their own application through a second account; privileged accounts can
be made on the admin page; a review disables only its own undecided
accounts; syslog escapes control characters; --behind-proxy; a cut audit
head and a forged legacy row fail verify; control characters in text
parameters are refused; settings ranges within the plan.

Every test has its own database, server and test clock."""

import os
import re
import socket
import subprocess
import sys
import time
import unittest
from urllib.parse import quote, urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (ADMIN_OTP, TEST_PASSWORD, Clock, Server, db_query,  # noqa: E402
                     run, totp)

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)</code>')
TAIPEI = 8 * 3600


def session_cookie(resp):
    """The isms_session Set-Cookie header of resp, or None."""
    for value in resp.headers.get_all("Set-Cookie") or []:
        if value.startswith("isms_session="):
            return value
    return None


class FixCase(unittest.TestCase):
    """A fresh database (no demo data) and a test clock per test."""

    def setUp(self):
        self.tmp = harness.make_tempdir(self)
        self.db = harness.init_db(os.path.join(self.tmp.name, "t.db"), demo=False)
        self.clock = Clock(self.tmp.name)
        self.passwords = {"admin": ADMIN_OTP[self.db]}
        self.secrets = {}

    # ---- processes ----

    def isms(self, *args):
        """Run `isms ARGS --db DB` on the test clock; raise when it fails;
        returns its stdout."""
        res = run(*(list(args) + ["--db", self.db]), env=self.clock.env())
        if res.returncode != 0:
            raise AssertionError("isms %s failed (%d): %s" % (
                " ".join(args), res.returncode, res.stderr.decode("utf-8", "replace")))
        return res.stdout.decode("utf-8")

    def serve(self, extra=()):
        """A server on the test clock, stopped (and checked) at the end."""
        srv = Server(self.db, extra, env=self.clock.env())
        srv.__enter__()
        self.addCleanup(srv.__exit__, None, None, None)
        return srv

    # ---- accounts ----

    def uid(self, login):
        return db_query(self.db, "SELECT id FROM account WHERE login = ?", (login,))[0][0]

    def post_login(self, c, login, password, headers=None):
        c.token = None
        c.cookies.pop("isms_session", None)
        c.page("/login")
        return c.post_form("/login", {"login": login, "password": password},
                           headers=headers)

    def daily(self, srv, login, roles=("staff",)):
        """A daily account (made with the CLI the first time), signed in."""
        if login not in self.passwords:
            out = self.isms("user", "add", login, "--name", login,
                            *sum((["--role", r] for r in roles), []))
            self.passwords[login] = out.strip().splitlines()[-1]
        c = srv.client()
        self.passwords[login] = c.login(login, self.passwords[login])
        return c

    def enrol(self, srv, login):
        """First sign-in of a privileged account: its one-time password,
        a new password, then TOTP enrolment; returns the client."""
        c = srv.client()
        r = self.post_login(c, login, self.passwords[login])
        self.assertEqual((r.status, r.header("Location")), (303, "/account/password"), r)
        c.token = None
        c.page("/account/password")
        r = c.post_form("/account/password", {"current": self.passwords[login],
                                               "password": TEST_PASSWORD,
                                               "confirm": TEST_PASSWORD})
        self.assertEqual((r.status, r.header("Location")), (303, "/account/mfa"), r)
        self.passwords[login] = TEST_PASSWORD
        c.token = None
        page = c.page("/account/mfa")
        secret = SECRET_RE.search(page.text).group(1).replace(" ", "")
        r = c.post_form("/account/mfa", {"code": totp(secret, self.clock.now())})
        self.assertEqual(r.status, 200, r)
        self.secrets[login] = secret
        c.token = None
        c.page("/account")
        return c

    def mfa_login(self, srv, login):
        """Sign in an enrolled account: password, then the code of a new
        TOTP step."""
        c = srv.client()
        r = self.post_login(c, login, self.passwords[login])
        self.assertEqual((r.status, r.header("Location")), (303, "/login/mfa"), r)
        self.clock.advance(31)  # a code is good once per step
        c.token = None
        c.page("/login/mfa")
        r = c.post_form("/login/mfa", {"code": totp(self.secrets[login], self.clock.now())})
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)
        c.token = None
        c.page("/account")
        return c

    # ---- privileged applications ----

    def taipei_date(self, at=None):
        """The date in Taipei at Unix time at (the clock's now)."""
        return time.strftime("%Y-%m-%d", time.gmtime(
            (self.clock.now() if at is None else at) + TAIPEI))

    def apply(self, c, login, until=None):
        """The signed-in daily client c applies for privileged account
        login; returns the application's id."""
        c.token = None
        c.page("/account/privileged")
        r = c.post_form("/account/privileged", {"login": login, "reason": "維運主機",
                                                "valid_until": until or self.taipei_date()})
        self.assertEqual((r.status, r.header("Location")), (303, "/account/privileged"), r)
        return db_query(self.db, "SELECT max(id) FROM priv_request WHERE login = ?",
                        (login,))[0][0]

    def decide(self, c, rid, approve=True):
        c.token = None
        c.page("/admin/privileged")
        return c.post_form("/admin/privileged/%d/decide" % rid,
                           {"approve": "1" if approve else "0", "note": "ok"})

    def privileged(self, srv, owner, login, approver, until=None):
        """Privileged account login of daily account owner (signed in),
        from an application approved by approver; one-time password
        stored."""
        rid = self.apply(owner, login, until)
        r = self.decide(approver, rid)
        self.assertEqual(r.status, 303, r)
        out = self.isms("user", "add", login, "--name", login, "--privileged",
                        "--owner", owner.login_name, "--role", "admin",
                        "--request", str(rid))
        self.passwords[login] = out.strip().splitlines()[-1]
        return rid


def signed(c, login):
    """Remember on the client which account it is."""
    c.login_name = login
    return c


class MfaLockoutTest(FixCase):

    def test_wrong_codes_across_sign_ins_lock(self):
        """Five wrong codes over three sign-ins (right password each time) lock the account."""
        srv = self.serve()
        self.enrol(srv, "admin")
        secret = self.secrets["admin"]
        for n in (2, 2, 1):
            self.clock.advance(61)
            c = srv.client()
            r = self.post_login(c, "admin", TEST_PASSWORD)
            self.assertEqual((r.status, r.header("Location")), (303, "/login/mfa"), r)
            c.token = None
            c.page("/login/mfa")
            for _ in range(n):
                self.clock.advance(61)  # past the per-name MFA throttle
                now = self.clock.now()
                near = {totp(secret, now + k * 30) for k in range(-3, 4)}
                wrong = next("%06d" % i for i in range(1000000) if "%06d" % i not in near)
                r = c.post_form("/login/mfa", {"code": wrong})
                self.assertIn(r.status, (403, 303), r)
        locked = db_query(self.db, "SELECT locked_until FROM account WHERE login = 'admin'")
        self.assertGreater(locked[0][0], self.clock.now())
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM audit_event WHERE "
                                  "action = 'lockout' AND object = 'account/admin'"), [(1,)])
        # The right password is refused now.
        self.clock.advance(61)
        r = self.post_login(srv.client(), "admin", TEST_PASSWORD)
        self.assertEqual(r.status, 403, r)


class PrivilegeExpiryTest(FixCase):

    def test_session_and_token_end_with_the_approval(self):
        """After the approval's last day a live session goes to /login and the token is 401."""
        srv = self.serve()
        ciso = self.daily(srv, "ciso1", ("ciso",))
        owner = signed(self.daily(srv, "pat"), "pat")
        # The last day of the approval ends 10 minutes after the session
        # starts (Taipei midnight), well within the idle time.
        tp = self.clock.now() + TAIPEI
        end = tp - tp % 86400 + 86400 - 600  # 23:50 in Taipei
        if end < tp + 120:
            end += 86400
        until = time.strftime("%Y-%m-%d", time.gmtime(end))
        self.privileged(srv, owner, "pat-root", ciso, until)
        self.enrol(srv, "pat-root")
        self.clock.advance(end - (self.clock.now() + TAIPEI))
        c = self.mfa_login(srv, "pat-root")
        token = self.isms("token", "create", "--user", "pat-root", "--name", "t",
                          "--scope", "read", "--days", "5").strip()
        auth = {"Authorization": "Bearer " + token}
        self.assertEqual(c.get("/account").status, 200)
        self.assertEqual(c.request("GET", "/api/v1/me", headers=auth, cookies=False).status,
                         200)
        self.clock.advance(660)  # 00:01 the day after the last day
        self.assertEqual(self.taipei_date(), time.strftime(
            "%Y-%m-%d", time.gmtime(end + 660)))
        token_r = c.request("GET", "/api/v1/me", headers=auth, cookies=False)
        page = c.get("/account")
        self.assertEqual((token_r.status, page.status,
                          (page.header("Location") or "").split("?")[0]),
                         (401, 303, "/login"), (token_r, page))


class SelfApprovalTest(FixCase):

    def test_own_privileged_ciso_cannot_approve(self):
        """P's privileged account with the ciso role cannot approve P's application (403)."""
        srv = self.serve()
        ciso = self.daily(srv, "ciso1", ("ciso",))
        owner = signed(self.daily(srv, "pat"), "pat")
        self.privileged(srv, owner, "pat-root", ciso)
        self.isms("user", "grant", "pat-root", "ciso")
        root = self.enrol(srv, "pat-root")
        rid = self.apply(owner, "pat-root2")
        r = self.decide(root, rid)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(db_query(self.db, "SELECT status FROM priv_request WHERE id = ?",
                                  (rid,)), [("pending",)])
        # Someone else's ciso may.
        self.assertEqual(self.decide(ciso, rid).status, 303)


class AdminPageAddTest(FixCase):

    def test_privileged_account_on_the_admin_page(self):
        """POST /admin/users with privileged, owner, role admin and request is 201; no request 400."""
        srv = self.serve()
        ciso = self.daily(srv, "ciso1", ("ciso",))
        owner = self.daily(srv, "olive")
        admin = self.enrol(srv, "admin")
        rid = self.apply(owner, "olive-root")
        self.assertEqual(self.decide(ciso, rid).status, 303)
        rid2 = self.apply(owner, "olive-root2")
        self.assertEqual(self.decide(ciso, rid2).status, 303)
        admin.token = None
        admin.page("/admin/users")
        r = admin.post_form("/admin/users", [("login", "olive-root"), ("name", "Olive"),
                                             ("privileged", "1"), ("owner", "olive"),
                                             ("role", "admin"), ("request", str(rid))])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(db_query(self.db, "SELECT privileged, owner FROM account "
                                  "WHERE login = 'olive-root'"), [(1, self.uid("olive"))])
        self.assertEqual(db_query(self.db, "SELECT status FROM priv_request WHERE id = ?",
                                  (rid,)), [("used",)])
        r = admin.post_form("/admin/users", [("login", "olive-root2"), ("name", "Olive"),
                                             ("privileged", "1"), ("owner", "olive"),
                                             ("role", "admin")])
        self.assertEqual(r.status, 400, r)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM account "
                                  "WHERE login = 'olive-root2'"), [(0,)])


class ReviewDisableTest(FixCase):

    def test_disable_only_undecided_accounts_of_the_review(self):
        """A review cannot disable an account outside it, nor decide an item twice (409)."""
        srv = self.serve()
        c = self.daily(srv, "ciso1", ("ciso",))
        self.daily(srv, "victim")
        c.token = None
        c.page("/admin/reviews")
        r = c.post_form("/admin/reviews", {"kind": "privileged"})
        self.assertEqual(r.status, 303, r)
        review = r.header("Location")
        self.assertRegex(review, r"^/admin/reviews/\d+$")
        c.token = None
        c.page(review)
        r = c.post_form(review + "/decide", {"account": str(self.uid("victim")),
                                             "decision": "disable"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(db_query(self.db, "SELECT disabled FROM account "
                                  "WHERE login = 'victim'"), [(0,)])
        admin = str(self.uid("admin"))
        r = c.post_form(review + "/decide", {"account": admin, "decision": "keep"})
        self.assertEqual(r.status, 303, r)
        r = c.post_form(review + "/decide", {"account": admin, "decision": "disable"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(db_query(self.db, "SELECT disabled FROM account "
                                  "WHERE login = 'admin'"), [(0,)])
        self.assertEqual(db_query(self.db, "SELECT decision FROM review_item "
                                  "WHERE account = ?", (int(admin),)), [("keep",)])


class SyslogInjectionTest(FixCase):

    def test_reason_cannot_forge_a_line(self):
        """A disable reason with LF + "<85>1" reaches syslog escaped, on one line."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        self.addCleanup(sock.close)
        self.isms("settings", "set", "audit-syslog",
                  "udp:127.0.0.1:%d" % sock.getsockname()[1])
        srv = self.serve()
        admin = self.enrol(srv, "admin")
        self.isms("user", "add", "leaver", "--name", "leaver", "--role", "staff")
        uid = self.uid("leaver")
        admin.token = None
        admin.page("/admin/users/%d" % uid)
        r = admin.post_form("/admin/users/%d/disable" % uid,
                            {"reason": "left\n<85>1 forged\r\tx"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(db_query(self.db, "SELECT detail FROM audit_event WHERE "
                                  "action = 'user-disable'"), [("left\n<85>1 forged\r\tx",)])
        while True:
            data = sock.recv(65536)
            if b'action="user-disable"' in data:
                break
        self.assertNotIn(b"\n", data)
        self.assertNotIn(b"\r", data)
        self.assertNotIn(b"\t", data)
        self.assertEqual(len(re.findall(rb"(?m)^<85>1", data)), 1, data)
        self.assertTrue(data.startswith(b"<85>1 "), data)
        self.assertIn(b"left\\n<85>1 forged\\r\\tx", data)


class BehindProxyTest(FixCase):

    def sign_ins(self, srv, headers):
        """A failed and a good sign-in with headers; (source of the
        failure's audit row, session cookie of the good one)."""
        c = srv.client()
        r = self.post_login(c, "prox", "Wrong-Passw0rd", headers)
        self.assertEqual(r.status, 403, r)
        source = db_query(self.db, "SELECT source FROM audit_event WHERE action = "
                          "'login-failed' ORDER BY id DESC LIMIT 1")[0][0]
        r = self.post_login(c, "prox", TEST_PASSWORD, headers)
        self.assertEqual(r.status, 303, r)
        return source, session_cookie(r)

    def test_forwarded_for_and_proto(self):
        """--behind-proxy: source from X-Forwarded-For, Secure from X-Forwarded-Proto; else ignored."""
        headers = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
        with Server(self.db, ["--behind-proxy"], env=self.clock.env()) as srv:
            self.daily(srv, "prox")
            source, cookie = self.sign_ins(srv, headers)
            self.assertEqual(source, "198.51.100.7")
            self.assertIn("Secure", [a.strip() for a in cookie.split(";")], cookie)
            self.clock.advance(61)
            source, _ = self.sign_ins(srv, {"X-Forwarded-For": "203.0.113.9, 198.51.100.8"})
            self.assertEqual(source, "198.51.100.8")
        self.clock.advance(61)
        with Server(self.db, env=self.clock.env()) as srv:
            source, cookie = self.sign_ins(srv, headers)
            self.assertEqual(source, "127.0.0.1")
            self.assertNotIn("Secure", cookie)


class AuditHeadTest(FixCase):

    def verify(self):
        res = run("audit", "verify", "--db", self.db)
        return res.returncode, (res.stdout + res.stderr).decode("utf-8", "replace")

    def sqlite(self, sql):
        res = subprocess.run(["sqlite3", self.db, sql], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=30, check=False)
        self.assertEqual(res.returncode, 0, res.stderr)

    def activity(self):
        with Server(self.db, env=self.clock.env()) as srv:
            self.daily(srv, "walker")
            self.post_login(srv.client(), "walker", "Wrong-Passw0rd")

    def test_cut_head_fails_verify(self):
        """Deleting the first audit row (trigger dropped) makes verify fail at row 2."""
        self.activity()
        self.assertEqual(self.verify()[0], 0)
        self.sqlite("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event "
                    "WHERE id = (SELECT min(id) FROM audit_event);")
        self.assertEqual(db_query(self.db, "SELECT min(id) FROM audit_event"), [(2,)])
        code, out = self.verify()
        self.assertNotEqual(code, 0, out)
        self.assertIn("row 2", out)

    def test_forged_legacy_row_is_not_sealed(self):
        """A legacy-marked row after the chain started stays unsealed; verify names it."""
        self.activity()
        forged = db_query(self.db, "SELECT max(id) + 1 FROM audit_event")[0][0]
        self.sqlite("INSERT INTO audit_event(id, at, actor, action, object, detail, "
                    "source, prev_hash, hash) VALUES(%d, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ',"
                    " 'now'), 'admin', 'user-enable', 'account/walker', NULL, 'cli', "
                    "'legacy', NULL);" % forged)
        self.activity()
        self.assertGreater(db_query(self.db, "SELECT max(id) FROM audit_event")[0][0], forged)
        self.assertEqual(db_query(self.db, "SELECT hash FROM audit_event WHERE id = ?",
                                  (forged,)), [(None,)])
        code, out = self.verify()
        self.assertNotEqual(code, 0, out)
        self.assertIn("row %d: it has no hash" % forged, out)


class ControlCharacterTest(FixCase):

    def test_nul_and_c0_refused(self):
        """A password with %00 (the right one before it) and a login with %01 are 400."""
        srv = self.serve()
        self.daily(srv, "nul-user")
        for body in ("login=nul-user&password=%s%%00junk" % quote(TEST_PASSWORD, safe=""),
                     "login=nul-user%%01&password=%s" % quote(TEST_PASSWORD, safe="")):
            with self.subTest(body=body):
                c = srv.client()
                c.page("/login")
                r = c.post_raw_form("/login", (body + "&" + urlencode(
                    {"_csrf": c.csrf()})).encode("ascii"))
                self.assertEqual(r.status, 400, r)
                self.assertIsNone(session_cookie(r))
        r = self.post_login(srv.client(), "nul-user", TEST_PASSWORD)
        self.assertEqual(r.status, 303, r)  # the account itself is fine


class SettingsRangeTest(FixCase):

    def test_plan_ranges(self):
        """password-min-classes 2, password-max-age-days 91 and session-max-hours 13 are refused."""
        for name, bad, good in (("password-min-classes", "2", "3"),
                                ("password-max-age-days", "91", "90"),
                                ("session-max-hours", "13", "12")):
            with self.subTest(setting=name):
                res = run("settings", "set", name, bad, "--db", self.db)
                self.assertNotEqual(res.returncode, 0, res.stdout)
                res = run("settings", "set", name, good, "--db", self.db)
                self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM setting WHERE "
                                  "(name, value) IN (VALUES ('password-min-classes', '2'), "
                                  "('password-max-age-days', '91'), "
                                  "('session-max-hours', '13'))"), [(0,)])


if __name__ == "__main__":
    harness.main()
