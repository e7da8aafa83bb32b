"""Accounts through the real server: sign-in and the one-time password,
the password rules, the session cookie, lock-out and throttling, idle and
absolute session ends (on a test clock), log-out, CSRF, API tokens, the
administration pages and the audit trail (plan 玖.二, 附表十)."""

import hashlib
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (ADMIN_OTP, TEST_PASSWORD, Clock, Server, add_user,  # noqa: E402
                     db_count, db_query, db_state, run, totp)

# Messages of src/core/messages.def that the tests look for.
LOGIN_FAILED = "登入失敗：使用者 ID 或通行碼錯誤，或帳號已停用或暫時鎖定。"
LOGIN_SLOW = "嘗試次數過多，請稍候再試。"
LOGIN_EXPIRED = "您已因閒置逾時或使用時間屆滿而登出，請重新登入。"
SESSION_ENDED = "登入已因閒置逾時或使用時間屆滿而結束，請重新登入。"
STEP_OWED = "請先完成變更通行碼或多因子驗證。"
CSRF_MSG = "表單已過期或來源不明"
PW_TOO_SHORT = "通行碼長度不足。"
PW_CLASSES = "通行碼須包含英文大寫、小寫、數字、特殊符號中足夠的種類。"
PW_IS_LOGIN = "通行碼不得與使用者 ID 相同。"
PW_MISMATCH = "兩次輸入的新通行碼不一致。"
PW_TOO_LONG = "通行碼過長（上限 1,024 位元組），未予處理。"
PW_CURRENT = "目前通行碼不正確。"
PW_MUST_CHANGE = "您的通行碼為預設或已逾期，須先變更才能使用本系統"

VALID = {"name": "帳號測試業務", "is_core": "0", "mtd_kind": "owner"}
SESSION_RE = re.compile(r"^isms_session=([^;]*)(;.*)?$")
TOKEN_RE = re.compile(r'<code class="secret" id="token">(isms_[0-9a-f]{64})</code>')
OTP_RE = re.compile(r'<code class="secret" id="otp">([^<]+)</code>')
SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)</code>')
ALERT_RE = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.S)

MIN = 60
HOUR = 3600
DAY = 86400


def session_cookie(resp):
    """(value, attributes) of the isms_session Set-Cookie of resp, or None."""
    for value in resp.headers.get_all("Set-Cookie") or []:
        m = SESSION_RE.match(value)
        if m:
            attrs = [a.strip() for a in (m.group(2) or "").split(";") if a.strip()]
            return m.group(1), attrs
    return None


def alert(resp):
    """The text of the page's error paragraph (role=alert), or None."""
    m = ALERT_RE.search(resp.text)
    return m.group(1) if m else None


def field_error(resp, field):
    """The error shown under a form field, or None."""
    m = re.search(r'<p class="error" id="e-%s">(.*?)</p>' % re.escape(field), resp.text)
    return m.group(1) if m else None


def sha256(text):
    """SHA-256 of text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def audit_rows(db):
    """The audit trail as `isms audit export` prints it (a list of dicts)."""
    res = run("audit", "export", "--db", db)
    if res.returncode != 0:
        raise AssertionError("isms audit export failed: %s" % res.stderr.decode())
    return [json.loads(line) for line in res.stdout.decode("utf-8").splitlines() if line]


def file_bytes(db):
    """The database file and its WAL, as bytes."""
    out = b""
    for path in (db, db + "-wal"):
        if os.path.exists(path):
            with open(path, "rb") as f:
                out += f.read()
    return out


class AuthCase(harness.IsmsTestCase):
    """A demo database and one server for the test class, on a test clock
    (self.clock.advance moves the server's time forward).  After the class
    the audit trail must still verify."""

    per_test_server = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = Clock(cls.tmp.name)
        cls.passwords = {}
        cls.server = None
        if not cls.per_test_server:
            cls.server = Server(cls.db, env=cls.clock.env())
            cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server is not None and cls.server.proc is not None \
                    and not cls.server.proc.stdout.closed:
                cls.server.__exit__(None, None, None)
            res = run("audit", "verify", "--db", cls.db)
            if res.returncode != 0 and not getattr(cls, "tampered", False):
                raise AssertionError("isms audit verify failed after %s: %s"
                                     % (cls.__name__, res.stderr.decode("utf-8", "replace")))
        finally:
            super().tearDownClass()

    def setUp(self):
        if self.per_test_server:
            srv = Server(self.db, env=self.clock.env())
            srv.__enter__()
            type(self).server = srv
            self.addCleanup(srv.__exit__, None, None, None)

    # ---- clients and accounts ----

    def client(self, tidy=True):
        """A new anonymous client (HTML checked by tidy unless tidy=False)."""
        return self.server.client(self if tidy else None)

    def new_user(self, login, roles=("officer",)):
        """Create an account with the CLI; returns its one-time password."""
        return add_user(self.db, login, roles)

    def post_login(self, c, login, password):
        """POST the sign-in form from a fresh sign-in page."""
        c.token = None
        c.page("/login")
        return c.post_form("/login", {"login": login, "password": password})

    def change_password(self, c, current, new, confirm=None):
        """POST the password form of the signed-in client c."""
        c.token = None
        c.page("/account/password")
        return c.post_form("/account/password",
                           {"current": current, "password": new,
                            "confirm": new if confirm is None else confirm})

    def user(self, login, roles=("officer",), tidy=True):
        """A client signed in as login, created (and its one-time password
        changed) the first time."""
        c = self.client(tidy)
        if login not in self.passwords:
            otp = self.new_user(login, roles)
            r = self.post_login(c, login, otp)
            self.assertEqual(r.header("Location"), "/account/password", r)
            r = self.change_password(c, otp, TEST_PASSWORD)
            self.assertEqual(r.status, 303, r)
            self.passwords[login] = TEST_PASSWORD
        else:
            r = self.post_login(c, login, self.passwords[login])
            self.assertEqual(r.status, 303, r)
        c.token = None
        c.page("/account")
        return c

    def account_id(self, login):
        """The id of an account."""
        return db_query(self.db, "SELECT id FROM account WHERE login = ?", (login,))[0][0]

    def sessions(self, login):
        """Number of sessions of an account in the database."""
        return db_query(self.db, "SELECT count(*) FROM session WHERE account = ?",
                        (self.account_id(login),))[0][0]

    def assertToLogin(self, resp, what=""):
        """resp sends a browser to the sign-in page (its session is over)."""
        self.assertEqual(resp.status, 303, "%s: %r" % (what, resp))
        self.assertTrue(resp.header("Location").startswith("/login"),
                        "%s: %s" % (what, resp.header("Location")))

    def with_cookie(self, path, cookie, method="GET"):
        """A request that carries only the session cookie value given."""
        c = self.client(tidy=False)
        return c.request(method, path, cookies=False,
                         headers={"Cookie": "isms_session=%s" % cookie})

    # ---- multi-factor (privileged accounts) ----

    def enrol_admin(self):
        """Sign in the first administrator with its one-time password,
        change it and enrol TOTP; returns the signed-in client and stores
        the secret in the class."""
        c = self.client()
        otp = ADMIN_OTP[self.db]
        r = self.post_login(c, "admin", otp)
        self.assertEqual(r.header("Location"), "/account/password", r)
        r = self.change_password(c, otp, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/mfa"), r)
        c.token = None
        page = c.page("/account/mfa")
        self.assertEqual(page.status, 200, page)
        m = SECRET_RE.search(page.text)
        self.assertIsNotNone(m, "no TOTP secret on the enrolment page")
        type(self).admin_secret = m.group(1).replace(" ", "")
        r = c.post_form("/account/mfa", {"code": totp(self.admin_secret, self.clock.now())})
        self.assertEqual(r.status, 200, r)
        self.assertContains('id="recovery-codes"', r.text)
        self.passwords["admin"] = TEST_PASSWORD
        c.token = None
        self.assertEqual(c.page("/admin/users").status, 200)
        return c

    def admin(self):
        """A client signed in as the (enrolled) administrator: password,
        then a TOTP code of a step never used before."""
        if "admin" not in self.passwords:
            return self.enrol_admin()
        c = self.client()
        r = self.post_login(c, "admin", self.passwords["admin"])
        self.assertEqual((r.status, r.header("Location")), (303, "/login/mfa"), r)
        self.clock.advance(31)  # a new TOTP step: a code is good once
        c.token = None
        c.page("/login/mfa")
        r = c.post_form("/login/mfa", {"code": totp(self.admin_secret, self.clock.now())})
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)
        c.token = None
        self.assertEqual(c.page("/admin/users").status, 200)
        return c


class AnonymousTest(AuthCase):

    def test_home_redirects_to_login(self):
        """GET / without a session is 303 to exactly /login?next=%2F, every time
        (regression: the Location header once pointed into freed memory)."""
        c = self.client()
        for _ in range(20):
            r = c.get("/")
            self.assertEqual(r.status, 303, r)
            self.assertEqual(r.header("Location"), "/login?next=%2F")
        long_path = "/r/business/" + "1" * 18
        r = c.get(long_path)
        self.assertEqual(r.header("Location"), "/login?next=%2Fr%2Fbusiness%2F" + "1" * 18)
        r = c.get("/r/business")
        self.assertEqual(r.header("Location"), "/login?next=%2Fr%2Fbusiness")

    def test_overlong_password_at_sign_in(self):
        """A 1,025-byte password is refused before any hashing: 400 with the
        zh-TW message, no failure counted, nothing written."""
        c = self.client()
        c.page("/login")
        audit = db_count(self.db, "audit_event")
        r = c.post_form("/login", {"login": "admin", "password": "Aa1!" + "x" * 1021})
        self.assertEqual(r.status, 400, r)
        self.assertContains('<html lang="zh-TW">', r.text)
        self.assertEqual(alert(r), PW_TOO_LONG)
        self.assertIsNone(session_cookie(r))
        self.assertEqual(db_count(self.db, "audit_event"), audit)
        self.assertEqual(db_query(self.db, "SELECT failed FROM account WHERE login = 'admin'"),
                         [(0,)])

    def test_api_answers_401_json(self):
        """The API without a session or token is 401 JSON with WWW-Authenticate."""
        c = self.client()
        for method, body in (("GET", None), ("POST", b"{}")):
            r = c.request(method, "/api/v1/business", body=body,
                          headers={"Content-Type": "application/json"} if body else None)
            self.assertEqual(r.status, 401, r)
            self.assertTrue(r.header("Content-Type").startswith("application/json"), r)
            self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="isms"')
            self.assertEqual(r.json()["message"], "請先登入。")
        self.assertEqual(db_count(self.db, "business"), 45)

    def test_form_post_needs_login(self):
        """An anonymous form POST is 401, its page says 401 (not 403), and
        nothing is written."""
        c = self.client()
        c.page("/login")
        state = db_state(self.db)
        r = c.post_form("/r/business", VALID)
        self.assertEqual(r.status, 401, r)
        self.assertContains("請先登入。", r.text)
        title = re.search(r"<title>(.*?)</title>", r.text).group(1)
        self.assertTrue(title.startswith("401"), "the 401 page's title: %s" % title)
        self.assertEqual(db_state(self.db), state)

    def test_login_form_does_not_remember_passwords(self):
        """The sign-in form and its password input say autocomplete="off"
        (plan 玖.二.(三).2), and nothing asks for current-password."""
        r = self.client().page("/login")
        self.assertEqual(r.status, 200, r)
        form = re.search(r'<form[^>]*action="/login"[^>]*>', r.text)
        self.assertIsNotNone(form, "no sign-in form")
        self.assertIn('autocomplete="off"', form.group(0))
        pw = re.search(r'<input[^>]*type="password"[^>]*>', r.text)
        self.assertIsNotNone(pw, "no password input")
        self.assertIn('autocomplete="off"', pw.group(0))
        self.assertNotContains('current-password', r.text)
        self.assertNotContains('new-password', r.text)


class FirstSignInTest(AuthCase):

    STEP_PAGES = ("/", "/r/business", "/account", "/r/business/new", "/admin/users")

    def assertOwesChange(self, c):
        """Every page but the password form sends c to /account/password."""
        for path in self.STEP_PAGES:
            r = c.get(path)
            self.assertEqual((r.status, r.header("Location")), (303, "/account/password"),
                             "%s: %r" % (path, r))
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json()["message"], STEP_OWED)
        r = c.post_form("/r/business", VALID)
        self.assertEqual(r.status, 403, r)
        r = c.page("/account/password")
        self.assertEqual(r.status, 200, r)
        self.assertContains(PW_MUST_CHANGE, r.text)

    def test_init_password_then_mfa_enrolment(self):
        """`isms init`'s one-time password leads to the password form; after
        the change the privileged admin is sent to MFA enrolment."""
        c = self.client()
        otp = ADMIN_OTP[self.db]
        r = self.post_login(c, "admin", otp)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/password"), r)
        self.assertOwesChange(c)
        r = self.change_password(c, otp, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/mfa"), r)
        for path in ("/", "/admin/users", "/account"):
            r = c.get(path)
            self.assertEqual((r.status, r.header("Location")), (303, "/account/mfa"),
                             "%s: %r" % (path, r))
        # The one-time password is spent.
        r = self.post_login(self.client(), "admin", otp)
        self.assertEqual(r.status, 403, r)

    def test_user_add_password_rules(self):
        """A CLI one-time password must be changed; passwords breaking the
        rules are refused with the reason and change nothing; a good one
        opens the system."""
        login = "alice.chen-01"
        otp = self.new_user(login, ("staff",))
        c = self.client()
        r = self.post_login(c, login, otp)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/password"), r)
        self.assertOwesChange(c)
        uid = self.account_id(login)
        before = db_query(self.db, "SELECT pw_hash, pw_set_at, pw_preset FROM account "
                                   "WHERE id = ?", (uid,))
        hist = db_count(self.db, "password_history", "account = %d" % uid)
        cookie = c.cookies["isms_session"]
        cases = [
            ("too short", otp, "Ab1!xyz", None, "password", PW_TOO_SHORT),
            ("two classes", otp, "abcdefgh1234", None, "password", PW_CLASSES),
            ("the user ID", otp, "ALICE.CHEN-01", None, "password", PW_IS_LOGIN),
            ("confirm differs", otp, "Good-Passw0rd", "Good-Passw0rd?", "confirm", PW_MISMATCH),
            ("1,025 bytes", otp, "Aa1!" + "x" * 1021, None, "password", PW_TOO_LONG),
            ("wrong current", "Not-the-0tp", "Good-Passw0rd", None, "current", PW_CURRENT),
        ]
        for what, cur, new, confirm, field, msg in cases:
            with self.subTest(what):
                r = self.change_password(c, cur, new, confirm)
                self.assertEqual(r.status, 400, r)
                self.assertContains('<html lang="zh-TW">', r.text)
                self.assertEqual(field_error(r, field), msg)
                self.assertIsNone(session_cookie(r), "the session changed")
                self.assertEqual(db_query(self.db, "SELECT pw_hash, pw_set_at, pw_preset "
                                          "FROM account WHERE id = ?", (uid,)), before)
                self.assertEqual(db_count(self.db, "password_history",
                                          "account = %d" % uid), hist)
                self.assertEqual(c.cookies["isms_session"], cookie)
        self.assertEqual(len("Aa1!" + "x" * 1021), 1025)
        self.assertOwesChange(c)
        r = self.change_password(c, otp, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/account?changed=1"), r)
        for path in ("/", "/r/business", "/account"):
            self.assertEqual(c.get(path).status, 200, path)
        self.assertEqual(db_query(self.db, "SELECT pw_preset FROM account WHERE id = ?",
                                  (uid,)), [(0,)])
        # The one-time password no longer signs in; the new one does.
        self.assertEqual(self.post_login(self.client(), login, otp).status, 403)
        r = self.post_login(self.client(), login, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)

    def test_password_reuse_refused(self):
        """The new password may not be the current one."""
        c = self.user("reuse-user")
        r = self.change_password(c, TEST_PASSWORD, TEST_PASSWORD)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(field_error(r, "password"),
                         "新通行碼不得與目前或前幾次使用的通行碼相同。")


class SessionCookieTest(AuthCase):

    def assertSessionCookie(self, resp):
        """resp sets a well-formed session cookie; returns its value."""
        got = session_cookie(resp)
        self.assertIsNotNone(got, "no isms_session cookie: %r" % resp)
        value, attrs = got
        self.assertRegex(value, r"^[0-9a-f]{64}$")
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Strict", attrs)
        self.assertIn("Path=/", attrs)
        self.assertFalse([a for a in attrs if a.lower().startswith(("domain", "max-age",
                                                                      "expires"))],
                         "a session cookie must not outlive the browser: %s" % attrs)
        return value

    def assertStoredHashed(self, cookie):
        """The database keeps SHA-256(cookie), never the cookie itself."""
        hashes = [bytes(h) for (h,) in db_query(self.db, "SELECT id_hash FROM session")]
        self.assertIn(sha256(cookie), hashes)
        self.assertNotIn(cookie.encode("ascii"), hashes)
        self.assertNotIn(bytes.fromhex(cookie), hashes)
        raw = file_bytes(self.db)
        self.assertNotIn(cookie.encode("ascii"), raw, "the cookie is in the database file")
        self.assertNotIn(bytes.fromhex(cookie), raw, "the cookie's bytes are in the file")

    def test_cookie_rotates_at_sign_in_and_password_change(self):
        """isms_session is HttpOnly, SameSite=Strict, Path=/, 64 hex; it is new
        at sign-in and again after the password change, and the old one
        stops working (session fixation)."""
        login = "cookie-user"
        otp = self.new_user(login)
        c = self.client()
        r = self.post_login(c, login, otp)
        first = self.assertSessionCookie(r)
        self.assertStoredHashed(first)
        r = self.change_password(c, otp, TEST_PASSWORD)
        self.assertEqual(r.status, 303, r)
        second = self.assertSessionCookie(r)
        self.assertNotEqual(first, second)
        self.assertStoredHashed(second)
        self.assertNotIn(sha256(first), [bytes(h) for (h,) in
                                         db_query(self.db, "SELECT id_hash FROM session")])
        self.assertToLogin(self.with_cookie("/account", first), "the pre-change cookie")
        self.assertEqual(self.with_cookie("/account", second).status, 200)
        # Signing in again, even while presenting a valid cookie, gives a new one.
        r = self.post_login(c, login, TEST_PASSWORD)
        third = self.assertSessionCookie(r)
        self.assertNotIn(third, (first, second))
        self.assertStoredHashed(third)
        self.assertEqual(self.with_cookie("/account", third).status, 200)

    def test_forged_cookie_is_not_a_session(self):
        """A cookie that is not one the server made signs nobody in."""
        c = self.user("forger")
        real = c.cookies["isms_session"]
        for fake in ("0" * 64, real[:-1] + ("0" if real[-1] != "0" else "1"),
                     real.upper(), real + "0", sha256(real).hex()):
            with self.subTest(fake=fake[:12]):
                self.assertToLogin(self.with_cookie("/account", fake))


class LockoutTest(AuthCase):
    """Each test gets its own server (the throttle lives in its memory)."""

    per_test_server = True

    def sync_second(self):
        """Wait for the start of a wall-clock second, so that the next few
        quick requests happen within one second of the server's clock."""
        frac = time.time() % 1
        time.sleep(1.02 - frac)

    def test_lockout_after_five_failures(self):
        """Five wrong passwords lock the account: the right password then
        gets the same 403 and message; after 15 minutes it works again."""
        login = "lock-user"
        self.user(login)
        sessions = self.sessions(login)
        c = self.client()
        wrong = []
        for i in range(5):
            self.clock.advance(61)  # past the per-name throttle
            r = self.post_login(c, login, "Wrong-Passw0rd-%d" % i)
            self.assertEqual(r.status, 403, "attempt %d: %r" % (i + 1, r))
            self.assertIsNone(session_cookie(r))
            wrong.append(r)
        self.assertEqual(alert(wrong[0]), LOGIN_FAILED)
        uid = self.account_id(login)
        locked_until = db_query(self.db, "SELECT locked_until FROM account WHERE id = ?",
                                (uid,))[0][0]
        self.assertGreater(locked_until, self.clock.now() + 14 * MIN)
        self.clock.advance(61)
        right = self.post_login(c, login, TEST_PASSWORD)
        self.assertEqual(right.status, 403, right)
        self.assertIsNone(session_cookie(right))
        self.assertEqual(alert(right), alert(wrong[-1]))
        self.assertEqual(right.body, wrong[-1].body, "a locked account's answer differs")
        self.assertEqual(self.sessions(login), sessions)
        # Still locked at 14 minutes; open after 15 minutes and a bit.
        self.clock.advance(12 * MIN)
        self.assertEqual(self.post_login(c, login, TEST_PASSWORD).status, 403)
        self.clock.advance(3 * MIN + 5)
        r = self.post_login(c, login, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)
        self.assertIsNotNone(session_cookie(r))
        # The trail has the failures and the lock.
        rows = [row for row in audit_rows(self.db) if row["object"] == "account/" + login]
        failed = [row["detail"] for row in rows if row["action"] == "login-failed"]
        self.assertEqual(failed.count("wrong password"), 5, failed)
        self.assertGreaterEqual(failed.count("locked"), 2, failed)
        self.assertEqual([row["actor"] for row in rows if row["action"] == "lockout"],
                         ["system"])

    def test_name_throttle_answers_429(self):
        """After three failures for one name the next try at once is 429 with
        Retry-After, even with the right password; after the wait it works."""
        login = "throttle-user"
        self.user(login)
        c = self.client()
        self.post_login(c, login, "Wrong-Passw0rd-1")
        self.post_login(c, login, "Wrong-Passw0rd-2")
        self.sync_second()  # the next two within one second
        r = c.post_form("/login", {"login": login, "password": "Wrong-Passw0rd-3"})
        self.assertEqual(r.status, 403, r)
        r = c.post_form("/login", {"login": login, "password": TEST_PASSWORD})
        self.assertEqual(r.status, 429, r)
        self.assertEqual(alert(r), LOGIN_SLOW)
        self.assertIsNone(session_cookie(r))
        wait = r.header("Retry-After")
        self.assertRegex(wait or "", r"^[1-9][0-9]*$")
        self.assertLessEqual(int(wait), 60)
        self.clock.advance(int(wait) + 1)
        r = self.post_login(c, login, TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)

    def attempts(self, login):
        """Three wrong passwords and a fourth at once: (status, message,
        Retry-After, body with the login blanked) of each."""
        c = self.client()
        c.page("/login")
        out = []
        for i in range(4):
            if i == 2:
                self.sync_second()  # the third and fourth within one second
            r = c.post_form("/login", {"login": login, "password": "Wrong-Passw0rd-%d" % i})
            body = r.text.replace('value="%s"' % login, 'value=""')
            body = re.sub(r'name="_csrf" value="[0-9a-f]+"', "", body)
            out.append((r.status, alert(r), r.header("Retry-After"), body))
        return out

    def test_unknown_login_answers_like_a_known_one(self):
        """A login that does not exist gets exactly the answers a real one
        gets for wrong passwords: same statuses, message and throttle."""
        self.user("known-user")
        known = self.attempts("known-user")
        unknown = self.attempts("nobody-here")
        self.assertEqual([a[0] for a in known], [403, 403, 403, 429])
        self.assertEqual([a[1] for a in known],
                         [LOGIN_FAILED, LOGIN_FAILED, LOGIN_FAILED, LOGIN_SLOW])
        for i, (k, u) in enumerate(zip(known, unknown)):
            with self.subTest(attempt=i + 1):
                self.assertEqual(k[:3], u[:3])
                self.assertEqual(k[3], u[3], "the page differs")
        rows = audit_rows(self.db)
        self.assertTrue(any(row["action"] == "login-failed"
                            and row["object"] == "account/nobody-here" for row in rows))


class IdleTest(AuthCase):

    def test_idle_logout(self):
        """14 minutes idle is fine; 15 minutes and 31 s after the last use
        the session ends: the browser is sent to /login?next=%2F&expired=1
        (with the notice), a script gets 401."""
        c = self.user("idle-user")
        script = self.user("idle-user", tidy=False)
        self.assertEqual(self.sessions("idle-user"), 2)
        self.clock.advance(14 * MIN)
        self.assertEqual(c.get("/").status, 200)
        self.assertEqual(script.get("/api/v1/me").status, 200)
        self.clock.advance(15 * MIN + 31)
        r = c.get("/")
        self.assertEqual((r.status, r.header("Location")), (303, "/login?next=%2F&expired=1"), r)
        page = c.page(r.header("Location"))
        self.assertEqual(page.status, 200, page)
        self.assertContains(LOGIN_EXPIRED, page.text)
        r = script.get("/api/v1/me")
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json()["message"], SESSION_ENDED)
        self.assertEqual(self.sessions("idle-user"), 0)
        ends = [row["detail"] for row in audit_rows(self.db)
                if row["action"] == "session-end" and row["object"] == "account/idle-user"]
        self.assertEqual(ends, ["idle", "idle"])
        # Gone for good: the old cookie does not come back.
        self.assertToLogin(c.get("/account"))

    def test_idle_time_counts_from_last_use(self):
        """Use every 14 minutes keeps a session for an hour."""
        c = self.user("busy-user", tidy=False)
        for _ in range(5):
            self.clock.advance(14 * MIN)
            self.assertEqual(c.get("/account").status, 200)

    def test_absolute_lifetime(self):
        """Activity every 10 minutes keeps a session for 12 hours, not longer."""
        c = self.user("long-user", tidy=False)
        for i in range(71):
            self.clock.advance(10 * MIN)
            r = c.get("/account")
            self.assertEqual(r.status, 200, "after %d minutes: %r" % ((i + 1) * 10, r))
        self.clock.advance(9 * MIN)  # 11 h 59 min
        self.assertEqual(c.get("/account").status, 200)
        self.clock.advance(2 * MIN)  # 12 h 1 min
        r = c.get("/account")
        self.assertEqual((r.status, r.header("Location")),
                         (303, "/login?next=%2Faccount&expired=1"), r)
        ends = [row["detail"] for row in audit_rows(self.db)
                if row["action"] == "session-end" and row["object"] == "account/long-user"]
        self.assertEqual(ends, ["lifetime"])


class LogoutTest(AuthCase):

    def test_logout(self):
        """POST /logout with the session's token clears the cookie and ends
        the session: the old cookie no longer works."""
        c = self.user("bye-user")
        cookie = c.cookies["isms_session"]
        r = c.post_form("/logout", {})
        self.assertEqual((r.status, r.header("Location")), (303, "/login"), r)
        got = session_cookie(r)
        self.assertIsNotNone(got, "the cookie was not cleared")
        self.assertEqual(got[0], "")
        self.assertIn("Max-Age=0", got[1])
        self.assertNotIn("isms_session", c.cookies)
        self.assertToLogin(self.with_cookie("/account", cookie))
        self.assertEqual(self.sessions("bye-user"), 0)
        self.assertTrue(any(row["action"] == "logout" and row["actor"] == "bye-user"
                            for row in audit_rows(self.db)))

    def test_logout_needs_the_token(self):
        """A cross-site POST /logout (no token) is refused; the session stays."""
        c = self.user("stay-user")
        r = c.post_form("/logout", {}, token=None)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(c.get("/account").status, 200)

    def test_logout_everywhere(self):
        """"Log out everywhere" ends every session of the account, and no other."""
        a1 = self.user("many-user")
        a2 = self.user("many-user")
        a3 = self.user("many-user")
        other = self.user("other-user")
        self.assertEqual(self.sessions("many-user"), 3)
        r = a1.post_form("/account/logout-all", {})
        self.assertEqual((r.status, r.header("Location")), (303, "/login"), r)
        self.assertIn("Max-Age=0", session_cookie(r)[1])
        for c in (a1, a2, a3):
            self.assertToLogin(c.get("/account"))
        self.assertEqual(self.sessions("many-user"), 0)
        self.assertEqual(other.get("/account").status, 200)
        self.assertEqual(self.sessions("other-user"), 1)


class CsrfTest(AuthCase):

    def setUp(self):
        super().setUp()
        self.c = self.user("csrf-user")
        self.snap()

    def snap(self):
        """Remember the database's state (sign-ins write audit rows)."""
        self.state = db_state(self.db)

    def assertNothingWritten(self):
        self.assertEqual(db_state(self.db), self.state, "the database changed")

    def assertCsrfRefused(self, r):
        self.assertEqual(r.status, 403, r)
        if r.header("Content-Type").startswith("application/json"):
            self.assertIn(CSRF_MSG, r.json()["message"])
        else:
            self.assertContains(CSRF_MSG, r.text)
        self.assertNothingWritten()

    def test_form_without_token(self):
        """A signed-in form POST without _csrf is 403 and writes nothing."""
        self.assertCsrfRefused(self.c.post_form("/r/business", VALID, token=None))
        self.assertCsrfRefused(self.c.post_form("/r/business", VALID, token=""))

    def test_form_with_the_pre_login_token(self):
        """The isms_csrf cookie's token of before sign-in is not the session's."""
        c = self.client()
        c.page("/login")
        before = c.token
        self.assertEqual(c.cookies.get("isms_csrf"), before)
        r = c.post_form("/login", {"login": "csrf-user", "password": TEST_PASSWORD})
        self.assertEqual(r.status, 303, r)
        self.assertIn("isms_csrf", c.cookies)
        self.snap()
        self.assertCsrfRefused(c.post_form("/r/business", VALID, token=before))
        c.token = None
        self.assertNotEqual(c.csrf(), before)

    def test_form_with_another_sessions_token(self):
        """A token of another session (even of the same account) is refused."""
        other = self.user("csrf-user")
        self.assertNotEqual(other.csrf(), self.c.csrf())
        self.snap()
        self.assertCsrfRefused(self.c.post_form("/r/business", VALID, token=other.csrf()))
        stranger = self.user("csrf-other")
        self.snap()
        self.assertCsrfRefused(self.c.post_form("/r/business", VALID,
                                                token=stranger.csrf()))

    def test_form_with_the_right_token(self):
        """The control: the session's own token writes."""
        r = self.c.post_form("/r/business", VALID)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(db_count(self.db, "business"), self.state[3] + 1)

    def test_json_needs_the_header(self):
        """JSON writes need X-CSRF-Token (a JSON body cannot carry it); the
        token comes from GET /api/v1/me."""
        me = self.c.get("/api/v1/me").json()
        self.assertRegex(me["csrf"], r"^[0-9a-f]{32}$")
        self.assertIs(me["token"], False)
        self.c.token = None  # no automatic header
        body = {"name": "CSRF JSON", "is_core": False, "mtd_kind": "owner"}
        self.assertCsrfRefused(self.c.post_json("/api/v1/business", body))
        self.assertCsrfRefused(self.c.patch_json("/api/v1/business/1", {"core_system": "x"}))
        self.assertCsrfRefused(self.c.post_json("/api/v1/business", body,
                                                headers={"X-CSRF-Token": "0" * 32}))
        # A _csrf query parameter is no header either.
        self.assertCsrfRefused(self.c.post_json("/api/v1/business?_csrf=" + me["csrf"], body))
        hdr = {"X-CSRF-Token": me["csrf"]}
        r = self.c.post_json("/api/v1/business", body, headers=hdr)
        self.assertEqual(r.status, 201, r)
        r = self.c.patch_json("/api/v1/business/%d" % r.json()["id"],
                              {"core_system": "有權杖"}, headers=hdr)
        self.assertEqual(r.status, 200, r)

    def test_cross_origin_refused(self):
        """A request from another origin is refused even with the right token."""
        token = self.c.csrf()
        for hdrs in ({"Origin": "http://evil.example"},
                     {"Origin": "null"},
                     {"Origin": "http://127.0.0.1:%d" % (self.server.port + 1)},
                     {"Sec-Fetch-Site": "cross-site"}):
            with self.subTest(headers=hdrs):
                self.assertCsrfRefused(self.c.post_form("/r/business", VALID, headers=hdrs))
                self.assertCsrfRefused(self.c.post_json(
                    "/api/v1/business", {"name": "x", "is_core": False, "mtd_kind": "owner"},
                    headers=dict(hdrs, **{"X-CSRF-Token": token})))


class TokenTest(AuthCase):

    def make_token(self, c, name, scope, days=30):
        """Create a token on /account/tokens; returns the token."""
        r = c.post_form("/account/tokens", {"name": name, "scope": scope, "days": str(days)})
        self.assertEqual(r.status, 201, r)
        m = TOKEN_RE.search(r.text)
        self.assertIsNotNone(m, "no token on the page")
        return m.group(1)

    def bearer(self, method, path, token, body=None, headers=None):
        """A request with only the bearer token: no cookie, no CSRF, no Origin."""
        c = self.client(tidy=False)
        hdrs = {"Authorization": "Bearer " + token}
        if body is not None:
            hdrs["Content-Type"] = "application/json"
            body = json.dumps(body).encode("utf-8")
        hdrs.update(headers or {})
        return c.request(method, path, body=body, headers=hdrs, cookies=False)

    def test_token_shown_once_and_usable(self):
        """A write token from the form is shown once, stored hashed, and
        works for reads and writes without cookies or CSRF."""
        c = self.user("token-user")
        token = self.make_token(c, "報表腳本", "write")
        page = c.page("/account")
        self.assertContains("報表腳本", page.text)
        self.assertNotContains(token, page.text)
        self.assertNotContains(token[5:], page.text)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM api_token WHERE hash = ?",
                                  (sha256(token),)), [(1,)])
        self.assertNotIn(token[5:].encode(), file_bytes(self.db))
        r = self.bearer("GET", "/api/v1/business", token)
        self.assertEqual(r.status, 200, r)
        self.assertGreaterEqual(len(r.json()["items"]), 1)
        me = self.bearer("GET", "/api/v1/me", token).json()
        self.assertEqual((me["login"], me["token"]), ("token-user", True))
        self.assertNotIn("csrf", me)
        before = db_count(self.db, "business")
        r = self.bearer("POST", "/api/v1/business", token,
                        {"name": "權杖新增", "is_core": False, "mtd_kind": "owner"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(db_count(self.db, "business"), before + 1)
        # Not a browser session: HTML pages do not take tokens.
        r = self.bearer("GET", "/account", token)
        self.assertToLogin(r)

    def test_read_token_cannot_write(self):
        """A read-scope token reads but cannot POST (403)."""
        c = self.user("token-user")
        token = self.make_token(c, "唯讀", "read")
        self.assertEqual(self.bearer("GET", "/api/v1/business/1", token).status, 200)
        before = db_count(self.db, "business")
        r = self.bearer("POST", "/api/v1/business", token,
                        {"name": "唯讀不可寫", "is_core": False, "mtd_kind": "owner"})
        self.assertEqual(r.status, 403, r)
        r = self.bearer("PATCH", "/api/v1/business/1", token, {"core_system": "x"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(db_count(self.db, "business"), before)

    def test_revoked_token(self):
        """A revoked token is 401."""
        c = self.user("token-user")
        token = self.make_token(c, "待撤銷", "read")
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 200)
        tid = db_query(self.db, "SELECT id FROM api_token WHERE hash = ?", (sha256(token),))[0][0]
        r = c.post_form("/account/tokens/%d/revoke" % tid, {})
        self.assertEqual((r.status, r.header("Location")), (303, "/account"), r)
        r = self.bearer("GET", "/api/v1/business", token)
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="isms"')

    def test_someone_elses_token_cannot_be_revoked(self):
        """Revoking another account's token is 404 and the token still works."""
        token = self.make_token(self.user("token-user"), "別人的", "read")
        tid = db_query(self.db, "SELECT id FROM api_token WHERE hash = ?", (sha256(token),))[0][0]
        r = self.user("token-thief").post_form("/account/tokens/%d/revoke" % tid, {})
        self.assertEqual(r.status, 404, r)
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 200)

    def test_expired_token(self):
        """A one-day token is 401 once the day is over."""
        c = self.user("token-user")
        token = self.make_token(c, "一天", "read", days=1)
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 200)
        self.clock.advance(DAY - 10 * MIN)
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 200)
        self.clock.advance(11 * MIN)
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 401)

    def test_bad_tokens(self):
        """Malformed or unknown tokens are 401."""
        for token in ("isms_" + "0" * 64, "isms_" + "0" * 63, "x" * 69, ""):
            with self.subTest(token=token[:8]):
                self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 401)

    def test_cli_token(self):
        """`isms token create --scope read --days 1` prints a usable token."""
        self.user("cli-token-user")
        res = run("token", "create", "--user", "cli-token-user", "--name", "cli",
                  "--scope", "read", "--days", "1", "--db", self.db, env=self.clock.env())
        self.assertEqual(res.returncode, 0, res.stderr)
        token = res.stdout.decode().strip()
        self.assertRegex(token, r"^isms_[0-9a-f]{64}$")
        self.assertNotIn(token, res.stderr.decode())
        self.assertEqual(self.bearer("GET", "/api/v1/business", token).status, 200)
        r = self.bearer("POST", "/api/v1/business", token,
                        {"name": "CLI 唯讀", "is_core": False, "mtd_kind": "owner"})
        self.assertEqual(r.status, 403, r)


class AdminTest(AuthCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_secret = None

    def setUp(self):
        super().setUp()
        self.a = self.admin()

    def open_user(self, login):
        """The admin page of an account; returns (id, page response)."""
        uid = self.account_id(login)
        r = self.a.page("/admin/users/%d" % uid)
        self.assertEqual(r.status, 200, r)
        return uid, r

    def trail(self, action, obj):
        """Audit rows of action on obj (by the administrator, from HTTP)."""
        return [row for row in audit_rows(self.db)
                if row["action"] == action and row["object"] == obj]

    def test_add_user(self):
        """/admin/users adds an account (201) and shows its one-time password
        once; the password works for the first sign-in only."""
        r = self.a.post_form("/admin/users", [("login", "carol"), ("name", "王小明"),
                                              ("unit", "資訊室"), ("role", "staff"),
                                              ("role", "superior")])
        self.assertEqual(r.status, 201, r)
        m = OTP_RE.search(r.text)
        self.assertIsNotNone(m, "no one-time password shown")
        otp = m.group(1)
        uid, page = self.open_user("carol")
        self.assertNotContains(otp, page.text)
        self.assertNotContains(otp, self.a.page("/admin/users").text)
        self.assertEqual(sorted(role for (role,) in db_query(
            self.db, "SELECT role FROM account_role WHERE account = ?", (uid,))),
            ["staff", "superior"])
        c = self.client()
        r = self.post_login(c, "carol", otp)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/password"), r)
        rows = self.trail("user-add", "account/carol")
        self.assertEqual([row["actor"] for row in rows], ["admin"])

    def test_add_user_login_taken(self):
        """A user ID already taken (in any case) is 409 with the field's
        message, and nothing is written."""
        self.new_user("henry", ("staff",))
        audit = db_count(self.db, "audit_event")
        for login in ("henry", "HENRY"):
            with self.subTest(login=login):
                r = self.a.post_form("/admin/users", {"login": login, "name": "x",
                                                      "role": "staff"})
                self.assertEqual(r.status, 409, r)
                self.assertEqual(field_error(r, "login"), "此使用者 ID 已有人使用。")
                self.assertEqual(db_count(self.db, "account", "login = 'henry'"), 1)
                self.assertEqual(db_count(self.db, "audit_event"), audit)

    def test_grant_and_revoke_end_sessions(self):
        """A role change ends the account's sessions; the new rights hold
        from the next sign-in."""
        c = self.user("dave", ("staff",))
        self.assertEqual(c.get("/r/business/new").status, 403)
        uid, _ = self.open_user("dave")
        r = self.a.post_form("/admin/users/%d/roles" % uid, {"role": "officer", "grant": "1"})
        self.assertEqual((r.status, r.header("Location")), (303, "/admin/users/%d" % uid), r)
        self.assertToLogin(c.get("/account"))
        c = self.user("dave")
        self.assertEqual(c.get("/r/business/new").status, 200)
        r = self.a.post_form("/admin/users/%d/roles" % uid, {"role": "officer", "grant": "0"})
        self.assertEqual(r.status, 303, r)
        self.assertToLogin(c.get("/account"))
        c = self.user("dave")
        self.assertEqual(c.get("/r/business/new").status, 403)
        self.assertEqual(len(self.trail("role-grant", "account/dave")), 1)
        self.assertEqual([row["detail"] for row in self.trail("role-revoke", "account/dave")],
                         ["officer"])
        # The admin role needs a privileged account.
        r = self.a.post_form("/admin/users/%d/roles" % uid, {"role": "admin", "grant": "1"})
        self.assertEqual(r.status, 400, r)

    def test_grant_a_role_already_held(self):
        """Granting a role the account holds already changes nothing and is
        no error (auth_grant: "already held")."""
        self.new_user("ivan", ("staff",))
        uid, _ = self.open_user("ivan")
        r = self.a.post_form("/admin/users/%d/roles" % uid, {"role": "staff", "grant": "1"})
        self.assertEqual((r.status, r.header("Location")), (303, "/admin/users/%d" % uid), r)
        self.assertEqual(db_query(self.db, "SELECT role FROM account_role WHERE account = ?",
                                  (uid,)), [("staff",)])

    def test_reset_password(self):
        """A reset shows a new one-time password, ends the sessions and the
        old password stops working."""
        c = self.user("erin", ("staff",))
        uid, _ = self.open_user("erin")
        r = self.a.post_form("/admin/users/%d/reset" % uid, {})
        self.assertEqual(r.status, 200, r)
        otp = OTP_RE.search(r.text).group(1)
        self.assertToLogin(c.get("/account"))
        r = self.post_login(self.client(), "erin", TEST_PASSWORD)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(alert(r), LOGIN_FAILED)
        c = self.client()
        r = self.post_login(c, "erin", otp)
        self.assertEqual((r.status, r.header("Location")), (303, "/account/password"), r)
        # The earlier password may not come back.
        r = self.change_password(c, otp, TEST_PASSWORD)
        self.assertEqual(r.status, 400, r)
        r = self.change_password(c, otp, "Another-Passw0rd")
        self.assertEqual(r.status, 303, r)
        self.passwords["erin"] = "Another-Passw0rd"
        self.assertEqual(len(self.trail("password-reset", "account/erin")), 1)

    def test_disable_and_enable(self):
        """Disabling ends the session at once and sign-in fails with the
        generic message; tokens stop; enabling lets the user back in."""
        c = self.user("frank", ("staff",))
        r = c.post_form("/account/tokens", {"name": "t", "scope": "read", "days": "5"})
        token = TOKEN_RE.search(r.text).group(1)
        uid, _ = self.open_user("frank")
        r = self.a.post_form("/admin/users/%d/disable" % uid, {"reason": "離職"})
        self.assertEqual((r.status, r.header("Location")), (303, "/admin/users/%d" % uid), r)
        self.assertToLogin(c.get("/account"))
        self.assertEqual(self.sessions("frank"), 0)
        wrong = self.post_login(self.client(), "frank", "Wrong-Passw0rd")
        right = self.post_login(self.client(), "frank", TEST_PASSWORD)
        self.assertEqual(right.status, 403, right)
        self.assertEqual(alert(right), LOGIN_FAILED)
        self.assertEqual(alert(right), alert(wrong))
        r = self.client(tidy=False).request("GET", "/api/v1/business", cookies=False,
                                            headers={"Authorization": "Bearer " + token})
        self.assertEqual(r.status, 401, r)
        self.assertContains("離職", self.a.page("/admin/users/%d" % uid).text)
        r = self.a.post_form("/admin/users/%d/enable" % uid, {})
        self.assertEqual(r.status, 303, r)
        r = self.post_login(self.client(), "frank", TEST_PASSWORD)
        self.assertEqual((r.status, r.header("Location")), (303, "/"), r)
        self.assertEqual([row["detail"] for row in self.trail("user-disable", "account/frank")],
                         ["離職"])
        self.assertEqual(len(self.trail("user-enable", "account/frank")), 1)

    def test_cannot_disable_oneself(self):
        """The administrator cannot disable the account in use."""
        r = self.a.post_form("/admin/users/%d/disable" % self.account_id("admin"),
                             {"reason": "x"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(db_query(self.db, "SELECT disabled FROM account WHERE login = 'admin'"),
                         [(0,)])

    def test_settings_min_length(self):
        """password-min-length 10 shows in the rules and refuses 9 characters."""
        r = self.a.post_form("/admin/settings", {"password-min-length": "10"})
        self.assertEqual((r.status, r.header("Location")), (303, "/admin/settings?saved=1"), r)
        self.addCleanup(lambda: self.admin().post_form("/admin/settings",
                                                       {"password-min-length": "8"}))
        self.assertEqual(db_query(self.db, "SELECT value, updated_by FROM setting "
                                  "WHERE name = 'password-min-length'"), [("10", "admin")])
        otp = self.new_user("gina", ("staff",))
        c = self.client()
        self.post_login(c, "gina", otp)
        page = c.page("/account/password")
        self.assertContains("通行碼至少 10 個字元", page.text)
        r = self.change_password(c, otp, "Abcdef1!x")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(field_error(r, "password"), PW_TOO_SHORT)
        r = self.change_password(c, otp, "Abcdef1!xy")
        self.assertEqual(r.status, 303, r)
        rows = self.trail("setting", "password-min-length")
        self.assertEqual([(row["actor"], row["detail"]) for row in rows][-1],
                         ("admin", "8 -> 10"))

    def test_settings_mail_password_hidden(self):
        """mail-password (sensitive) is never filled into the settings
        page or the audit trail; an empty field keeps it (issue 6)."""
        secret = "Relay-S3cret-x"
        r = self.a.post_form("/admin/settings", {"mail-password": secret,
                                                 "mail-relay": "smtp://127.0.0.1:2525"})
        self.assertEqual(r.status, 303, r)
        self.addCleanup(lambda: self.admin().post_form(
            "/admin/settings", {"mail-relay": "", "mail-from": ""}))
        page = self.a.page("/admin/settings")
        self.assertNotIn(secret, page.text)
        self.assertIn('type="password"', page.text)
        self.assertContains("smtp://127.0.0.1:2525", page.text)
        r = self.a.post_form("/admin/settings", {"mail-password": "",
                                                 "mail-from": "isms@example.gov.tw"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(db_query(self.db, "SELECT value FROM setting "
                                  "WHERE name = 'mail-password'"), [(secret,)])
        self.assertEqual([row["detail"] for row in self.trail("setting", "mail-password")],
                         ["(sensitive)"])
        r = self.a.post_form("/admin/settings", {"mail-from": "bad\r\nBcc: x@evil.example"})
        self.assertEqual(r.status, 400, r)
        self.assertIsNotNone(field_error(r, "mail-from"))

    def test_settings_out_of_range(self):
        """Values outside the law's range are refused with 400 and nothing
        is stored, not even the good values sent with them."""
        for name, value in (("password-history", "2"), ("lockout-threshold", "6"),
                            ("lockout-minutes", "10"), ("session-idle-minutes", "16"),
                            ("password-min-length", "abc")):
            with self.subTest(setting=name):
                settings = db_query(self.db, "SELECT * FROM setting ORDER BY name")
                audit = db_count(self.db, "audit_event")
                r = self.a.post_form("/admin/settings",
                                     {name: value, "session-max-hours": "11"})
                self.assertEqual(r.status, 400, r)
                self.assertIsNotNone(field_error(r, name), "no error shown for %s" % name)
                self.assertEqual(db_query(self.db, "SELECT * FROM setting ORDER BY name"),
                                 settings)
                self.assertEqual(db_count(self.db, "audit_event"), audit)

    def test_settings_not_for_tokens(self):
        """An administrator's API token grants no administration."""
        r = self.a.post_form("/account/tokens", {"name": "admin-script", "scope": "write",
                                                 "days": "5"})
        self.assertEqual(r.status, 201, r)
        token = TOKEN_RE.search(r.text).group(1)
        c = self.client(tidy=False)
        auth = {"Authorization": "Bearer " + token}
        r = c.request("GET", "/api/v1/business", headers=auth, cookies=False)
        self.assertEqual(r.status, 200, r)  # the token itself is good
        for path in ("/admin/users", "/admin/settings", "/admin/audit", "/admin/audit.jsonl"):
            with self.subTest(path=path):
                r = c.request("GET", path, cookies=False,
                              headers=dict(auth, Accept="application/json"))
                self.assertIn(r.status, (401, 403), r)
                r = c.request("GET", path, headers=auth, cookies=False)
                self.assertNotEqual(r.status, 200, r)
                if r.status == 303:
                    self.assertTrue(r.header("Location").startswith("/login"), r)
        before = (db_count(self.db, "account"), db_query(self.db, "SELECT * FROM setting"))
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        for path, body in (("/admin/users", b"login=tokenmade&name=x&role=staff"),
                           ("/admin/settings", b"password-min-length=12")):
            r = c.request("POST", path, body=body, headers=dict(auth, **form), cookies=False)
            self.assertIn(r.status, (401, 403), r)
        self.assertEqual((db_count(self.db, "account"),
                          db_query(self.db, "SELECT * FROM setting")), before)

    def test_zz_audit_trail(self):
        """The trail has the administration above, verifies, and a changed
        row is found (the server stopped, the append-only trigger dropped)."""
        actions = {row["action"] for row in audit_rows(self.db)}
        for a in ("login", "login-failed", "password-change", "mfa-enroll", "mfa-ok",
                  "user-add", "setting"):
            self.assertIn(a, actions)
        res = run("audit", "verify", "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        type(self).server.__exit__(None, None, None)
        type(self).server = None
        res = subprocess.run(["sqlite3", self.db,
                              "DROP TRIGGER audit_event_no_update; "
                              "UPDATE audit_event SET detail='x' WHERE id=5;"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30,
                             check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = run("audit", "verify", "--db", self.db)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("row 5", res.stderr.decode())
        type(self).tampered = True  # the class's final verify expects this


if __name__ == "__main__":
    harness.main()
