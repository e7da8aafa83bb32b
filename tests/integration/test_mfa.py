"""Multi-factor sign-in through the real server: enrolment with the
secret shown on the page, codes checked against RFC 6238 computed here,
replay refused, one-time recovery codes, and no way to replace an
enrolled factor with a session alone."""

import base64
import hashlib
import hmac
import re
import struct
import time

import harness
from harness import IsmsTestCase, Server

NEW_PASSWORD = "Adm1n-Passw0rd!"


def totp(secret_b32, at=None):
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) of secret at time at."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7fffffff) % 1000000)


class TotpHelperTest(IsmsTestCase):
    demo = False

    def test_rfc6238_vector(self):
        """The helper itself gives the RFC 6238 SHA-1 value at T=59 (last 6 digits)."""
        secret = base64.b32encode(b"12345678901234567890").decode()
        self.assertEqual(totp(secret, 59), "287082")


class MfaTest(IsmsTestCase):

    def setUp(self):
        # Each test starts from a fresh database: admin not yet enrolled.
        tmp = harness.make_tempdir(self)
        self.db = harness.init_db(tmp.name + "/mfa.db")

    def enrol_admin(self, srv):
        """Sign in as admin, change the password, enrol; returns (client,
        secret, recovery codes, time of the enrolment code)."""
        c = srv.client(self)
        c.page("/login")
        r = c.post_form("/login", {"login": "admin", "password": harness.ADMIN_OTP[self.db]})
        self.assertEqual(r.header("Location"), "/account/password")
        c.token = None
        c.page("/account/password")
        r = c.post_form("/account/password", {"current": harness.ADMIN_OTP[self.db],
                                               "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
        self.assertEqual(r.header("Location"), "/account/mfa")
        c.token = None
        r = c.page("/account/mfa")
        self.assertEqual(r.status, 200)
        secret = re.search(r'id="totp-secret">([A-Z2-7]{32})<', r.text).group(1)
        self.assertContains('src="data:image/svg+xml;base64,', r.text)
        r = c.post_form("/account/mfa", {"code": "000000" if totp(secret) != "000000" else "111111"})
        self.assertEqual(r.status, 400)
        self.assertContains(secret, r.text)  # the same key after a wrong code
        now = time.time()
        r = c.post_form("/account/mfa", {"code": totp(secret, now)})
        self.assertEqual(r.status, 200, r)
        codes = re.findall(r"<li><code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", r.text)
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        c.token = None
        self.assertEqual(c.get("/admin/users").status, 200)
        return c, secret, codes, now

    def sign_in_password(self, srv):
        c = srv.client(self)
        c.page("/login")
        r = c.post_form("/login", {"login": "admin", "password": NEW_PASSWORD})
        self.assertEqual(r.header("Location"), "/login/mfa")
        self.assertEqual(c.get("/admin/users").header("Location"), "/login/mfa")
        c.token = None
        c.page("/login/mfa")
        return c

    def test_enrol_sign_in_replay_and_recovery(self):
        """Enrol, sign in with the next code, replay refused, recovery codes once each."""
        with Server(self.db) as srv:
            _, secret, codes, t0 = self.enrol_admin(srv)
            c = self.sign_in_password(srv)
            # The enrolment's step is used: its code is refused (replay)...
            r = c.post_form("/login/mfa", {"code": totp(secret, t0)})
            self.assertEqual(r.status, 403)
            # ...the next step's code is accepted once.
            nxt = totp(secret, t0 + 30)
            r = c.post_form("/login/mfa", {"code": nxt})
            self.assertEqual(r.status, 303, r)
            self.assertEqual(r.header("Location"), "/")
            d = self.sign_in_password(srv)
            r = d.post_form("/login/mfa", {"code": nxt})
            self.assertEqual(r.status, 403, "a TOTP code was accepted twice")
            r = d.post_form("/login/mfa", {"code": codes[0].lower().replace("-", " ")})
            self.assertEqual(r.status, 303)
            e = self.sign_in_password(srv)
            r = e.post_form("/login/mfa", {"code": codes[0]})
            self.assertEqual(r.status, 403, "a recovery code was accepted twice")
        rows = harness.db_query(self.db, "SELECT count(*) FROM recovery_code "
                                         "WHERE used_at IS NOT NULL")
        self.assertEqual(rows[0][0], 1)
        # Only hashes are stored.
        stored = [h for (h,) in harness.db_query(self.db, "SELECT hash FROM recovery_code")]
        self.assertEqual(len(stored), 10)
        for code in codes:
            self.assertNotIn(code, stored)
            self.assertIn(hashlib.sha256(code.encode()).hexdigest(), stored)

    def test_enrolled_factor_cannot_be_replaced(self):
        """With a signed-in session alone, POST /account/mfa cannot enrol a new key (409)."""
        with Server(self.db) as srv:
            c, secret, _, _ = self.enrol_admin(srv)
            r = c.post_form("/account/mfa", {"code": totp(secret)})
            self.assertEqual(r.status, 409)
            r = c.get("/account/mfa")
            self.assertNotContains('id="totp-secret"', r.text)
        rows = harness.db_query(self.db, "SELECT totp_pending IS NULL FROM account "
                                         "WHERE login = 'admin'")
        self.assertEqual(rows[0][0], 1)
        enrols = harness.db_query(self.db, "SELECT count(*) FROM audit_event "
                                           "WHERE action = 'mfa-enroll'")
        self.assertEqual(enrols[0][0], 1)


if __name__ == "__main__":
    harness.main()
