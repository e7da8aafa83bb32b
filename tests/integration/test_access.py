"""The route × role matrix through the real server.

Every route of the route table (the ROUTE lines of src/**/*_routes.def)
is sent, for every register, by one signed-in account per role (and by
nobody), with a valid CSRF token and a harmless body.  Each answer is
classified (allowed, denied, sign-in needed, ...) and compared with a
table written here from PRODUCT.md's roles, not from src/auth/roles.def:
the point is to catch the code and the product disagreeing."""

import glob
import os
import re
import sys
import uuid
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ADMIN_OTP, TEST_PASSWORD, Clock, Server, add_user, db_query, totp  # noqa: E402

SRC = os.path.join(harness.SOURCE, "src")

# ---- what PRODUCT.md says each role may do ----

AREAS = ("plan", "asset", "incident", "review", "training", "vendor")
ALL = frozenset(AREAS)

# The area of each register (src/registry.c).
REGISTER_AREA = {
    "agency": "plan", "business": "plan", "policy": "plan", "goal_metric": "plan",
    "org_unit": "plan", "member": "plan", "pw_exception": "asset",
    "system": "asset", "asset": "asset", "risk_campaign": "asset", "risk": "asset",
    "risk_type": "asset", "incident": "incident", "ir_procedure": "incident",
    "drill": "incident", "intel": "incident", "intel_share": "incident",
    "duty": "plan", "outage": "asset",
}


def role(reads=(), writes=(), users=False, settings=False, audit=False,
         approve=False, review=False):
    """One role's rights: areas read and written, and the global rights."""
    return {"reads": frozenset(reads) | frozenset(writes), "writes": frozenset(writes),
            "users": users, "settings": settings, "audit": audit,
            "approve": approve, "review": review}


EXPECTED_ROLES = {
    # 資通安全長: approves, sees everything, reads the trail; no
    # administration, writes no registers.
    "ciso": role(reads=ALL, audit=True, approve=True, review=True),
    # 資通安全專職人員: the day-to-day owner of the programme.
    "officer": role(reads=ALL, writes=("plan", "asset", "incident", "review",
                                       "training", "vendor"), audit=True),
    # 推動小組 (策略規劃組, 資安防護組, 績效管理組): their group's registers.
    "strategy": role(reads=ALL, writes=("plan",)),
    "protection": role(reads=ALL, writes=("asset", "incident", "vendor")),
    "performance": role(reads=ALL, writes=("review",)),
    # 資訊人員: system owners.
    "it": role(reads=("plan", "asset", "incident"), writes=("asset",)),
    # 一般使用者: see the plan.
    "staff": role(reads=("plan",)),
    # 稽核人員: read everything, record audits, read the trail.
    "auditor": role(reads=ALL, writes=("review",), audit=True),
    # 委外廠商: their own supervision only.
    "contractor": role(reads=("vendor",)),
    # 上級機關: read-only, receives reports and incident notifications.
    "superior": role(reads=("plan", "incident", "review")),
    # 系統管理者 (a privileged account): accounts and settings, reads all.
    "admin": role(reads=ALL, users=True, settings=True, audit=True, review=True),
}

GLOBAL_PERMS = {"PERM_USERS": "users", "PERM_SETTINGS": "settings",
                "PERM_AUDIT": "audit", "PERM_APPROVE": "approve",
                "PERM_REVIEW": "review"}

ALLOWED, DENIED, LOGIN = "ALLOWED", "DENIED", "LOGIN"
SHORT = {"ALLOWED": "A", "DENIED": "D", "LOGIN": "L", "STEP": "S", "CSRF": "C",
         "ERROR": "E", "NOROUTE": "N", "OTHER": "?"}
FORBIDDEN_MSG = "您的角色沒有此項權限。"
CSRF_MSG = "表單已過期或來源不明"
STEP_MSG = "請先完成變更通行碼或多因子驗證。"
# Refusals of handlers that check more than the route's permission, after
# the router let the request through (so, for the matrix, ALLOWED): who
# may close or reopen an occurrence of the calendar depends on its owner
# group (test_calendar.py tests these).
HANDLER_MSGS = ("僅負責群組之成員、資通安全專職人員、策略規劃組或資通安全長可以結案。",
                "僅資通安全專職人員、策略規劃組或資通安全長可以重新開啟。")
STEP_PAGES = ("/account/password", "/account/mfa", "/login/mfa")


def expected(who, perm, reg):
    """What should happen when who (a role or "anonymous") uses a route
    with permission perm, on register reg (or None)."""
    if perm == "PERM_PUBLIC":
        return ALLOWED
    if who == "anonymous":
        return LOGIN
    rights = EXPECTED_ROLES[who]
    if perm in ("PERM_PENDING", "PERM_USER"):
        return ALLOWED
    if perm == "PERM_REG_READ":
        return ALLOWED if REGISTER_AREA[reg] in rights["reads"] else DENIED
    if perm == "PERM_REG_WRITE":
        return ALLOWED if REGISTER_AREA[reg] in rights["writes"] else DENIED
    if perm in GLOBAL_PERMS:
        return ALLOWED if rights[GLOBAL_PERMS[perm]] else DENIED
    raise AssertionError("no expectation for %s" % perm)


# ---- the route table ----

ROUTE_RE = re.compile(r'^ROUTE\(HTTP_(\w+),\s*"([^"]*)",\s*\w+,\s*(PERM_\w+),\s*([^,]+),',
                      re.M)


def route_files():
    """The .def files src/routes.c assembles the table from."""
    return sorted(glob.glob(os.path.join(SRC, "features", "*", "*_routes.def"))
                  + [os.path.join(SRC, "registers", "registers_routes.def"),
                     os.path.join(SRC, "ui", "ui_routes.def")])


def route_table():
    """[(method, pattern, perm, flags)] of every ROUTE line."""
    out = []
    for path in route_files():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = len(re.findall(r"^ROUTE\(", text, re.M))
        found = ROUTE_RE.findall(text)
        if len(found) != lines:
            raise AssertionError("%s: %d ROUTE lines, %d understood"
                                 % (path, lines, len(found)))
        out += [(m, p, perm, flags.strip()) for m, p, perm, flags in found]
    return out


def register_names():
    """The registers of src/registry.c, in order."""
    with open(os.path.join(SRC, "registry.c"), encoding="utf-8") as f:
        return re.findall(r"&reg_(\w+)", f.read())


def role_names():
    """The roles of src/auth/roles.def."""
    with open(os.path.join(SRC, "auth", "roles.def"), encoding="utf-8") as f:
        return re.findall(r'^ROLE\("([a-z_]+)"', f.read(), re.M)


class Step:
    """One request of the walk: a route with its placeholders filled."""

    def __init__(self, method, pattern, perm, flags, reg, path):
        self.method = method
        self.pattern = pattern
        self.perm = perm
        self.flags = flags
        self.reg = reg
        self.path = path

    @property
    def label(self):
        return "%s %s" % (self.method, self.path)

    @property
    def phase(self):
        """Destructive requests go last: archive and restore pairs, the
        administration of the test account, log out everywhere, log out."""
        p = self.pattern
        if p.endswith("/archive") or p.endswith("/restore"):
            return 1
        if re.match(r"^/admin/users/\{id\}/(reset|disable|enable)$", p):
            return 2
        if p == "/account/logout-all":
            return 3
        if p == "/logout":
            return 4
        return 0

    def sort_key(self, index):
        if self.phase == 1:
            return (1, self.reg or "", self.pattern.replace("/restore", "/archive"),
                    self.pattern.endswith("/restore"), index)
        if self.phase == 2:
            order = ("reset", "disable", "enable")
            return (2, "", "", order.index(self.pattern.rsplit("/", 1)[1]), index)
        return (self.phase, "", "", 0, index)


def steps(victim_id):
    """Every route instance, in the order of the walk."""
    regs = register_names()
    out = []
    for method, pattern, perm, flags in route_table():
        for reg in (regs if "{reg}" in pattern else [None]):
            path = pattern
            if reg:
                path = path.replace("{reg}", reg)
            if pattern.startswith("/admin/users/{id}"):
                # Administer the walk's test account, never the walker.
                path = path.replace("{id}", str(victim_id))
            path = path.replace("{id}", "1").replace("{file}", "app.css")
            if "{" in path:
                raise AssertionError("unknown placeholder in %s" % pattern)
            out.append(Step(method, pattern, perm, flags, reg, path))
    return [s for _, s in sorted(enumerate(out), key=lambda p: p[1].sort_key(p[0]))]


# ---- sending and classifying ----

def send(c, step):
    """Send step with c's CSRF token and a harmless body."""
    if step.method == "GET":
        return c.request("GET", step.path)
    token = c.token or ""
    origin = {"Origin": c.origin}
    if "ROUTE_JSON_BODY" in step.flags:
        return c.request(step.method, step.path, body=b"{}",
                         headers=dict(origin, **{"Content-Type": "application/json",
                                                 "X-CSRF-Token": token}))
    if "ROUTE_CSV_BODY" in step.flags:
        return c.request(step.method, step.path, body=b"",
                         headers=dict(origin, **{"Content-Type": "text/csv",
                                                 "X-CSRF-Token": token}))
    if "ROUTE_UPLOAD" in step.flags:
        boundary = "----isms" + uuid.uuid4().hex
        body = ("--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n"
                "--%s--\r\n" % (boundary, token, boundary)).encode("ascii")
        return c.request(step.method, step.path, body=body, headers=dict(
            origin, **{"Content-Type": "multipart/form-data; boundary=%s" % boundary}))
    fields = [("_csrf", token)]
    if step.path == "/lang":
        fields += [("to", "zh"), ("next", "/")]
    return c.request(step.method, step.path, body=urlencode(fields).encode("ascii"),
                     headers=dict(origin, **{"Content-Type":
                                             "application/x-www-form-urlencoded"}))


def message_of(resp):
    """The error message of an HTML or JSON error response."""
    ctype = resp.header("Content-Type") or ""
    if ctype.startswith("application/json"):
        try:
            return resp.json().get("message", "")
        except ValueError:
            return ""
    return resp.text


def classify(resp):
    """ALLOWED, DENIED (the role lacks the right), LOGIN (not signed in),
    STEP (a step is owed), CSRF, ERROR (5xx), NOROUTE (405) or OTHER."""
    status = resp.status
    loc = resp.header("Location") or ""
    cleared = any("isms_session=;" in v and "Max-Age=0" in v
                  for v in resp.headers.get_all("Set-Cookie") or [])
    if status == 401:
        return LOGIN
    if status in (301, 302, 303, 307, 308):
        if loc in STEP_PAGES:
            return "STEP"
        if loc.startswith("/login") and not cleared:
            return LOGIN
        return ALLOWED  # the handler ran (log-out clears the cookie itself)
    if status == 403:
        msg = message_of(resp)
        if FORBIDDEN_MSG in msg:
            return DENIED
        if CSRF_MSG in msg:
            return "CSRF"
        if STEP_MSG in msg:
            return "STEP"
        if any(m in msg for m in HANDLER_MSGS):
            return ALLOWED
        return "OTHER"
    if status == 405:
        return "NOROUTE"
    if status >= 500:
        return "ERROR"
    return ALLOWED


class AccessTest(harness.IsmsTestCase):
    """One server; each role's walk is done once and cached."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = Clock(cls.tmp.name)
        cls.server = Server(cls.db, env=cls.clock.env())
        cls.server.__enter__()
        cls.victim_id = None
        cls.results = {}      # who -> {label: (observed, expected, status)}
        cls.admin_secret = None
        cls.passwords = {}

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        res = harness.run("audit", "verify", "--db", cls.db)
        try:
            if res.returncode != 0:
                raise AssertionError("isms audit verify failed: %s" % res.stderr.decode())
        finally:
            super().tearDownClass()

    # ---- sign-in ----

    @classmethod
    def login_of(cls, who):
        return "acc-" + who

    @classmethod
    def sign_in(cls, who):
        """A client signed in as the account of role who (made the first
        time); None for the administrator when MFA enrolment is missing."""
        c = cls.server.client()
        if who == "anonymous":
            c.page("/login")
            return c
        if who == "admin":
            return cls.sign_in_admin(c)
        login = cls.login_of(who)
        if login not in cls.passwords:
            cls.passwords[login] = add_user(cls.db, login, (who,))
        cls.passwords[login] = c.login(login, cls.passwords[login])
        if not c.token:
            raise AssertionError("no CSRF token for %s" % login)
        return c

    @classmethod
    def sign_in_admin(cls, c):
        """The first administrator, with its password changed and TOTP
        enrolled (or a new TOTP step's code at later sign-ins)."""
        if cls.admin_secret is None:
            otp = ADMIN_OTP[cls.db]
            c.page("/login")
            r = c.post_form("/login", {"login": "admin", "password": otp})
            assert r.header("Location") == "/account/password", r
            c.token = None
            c.page("/account/password")
            r = c.post_form("/account/password", {"current": otp, "password": TEST_PASSWORD,
                                                  "confirm": TEST_PASSWORD})
            assert r.header("Location") == "/account/mfa", r
            c.token = None
            page = c.page("/account/mfa")
            assert page.status == 200, page
            m = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text)
            assert m, "no TOTP secret on /account/mfa"
            cls.admin_secret = m.group(1).replace(" ", "")
            r = c.post_form("/account/mfa", {"code": totp(cls.admin_secret, cls.clock.now())})
            assert r.status == 200, r
        else:
            c.page("/login")
            r = c.post_form("/login", {"login": "admin", "password": TEST_PASSWORD})
            assert r.header("Location") == "/login/mfa", r
            cls.clock.advance(31)  # a fresh TOTP step
            c.token = None
            c.page("/login/mfa")
            r = c.post_form("/login/mfa", {"code": totp(cls.admin_secret, cls.clock.now())})
            assert r.header("Location") == "/", r
        c.token = None
        c.page("/account")
        return c

    # ---- the walk ----

    @classmethod
    def walk(cls, who):
        """Send every step as who; returns {label: (observed, expected, status)}."""
        if who in cls.results:
            return cls.results[who]
        if cls.victim_id is None:
            add_user(cls.db, "acc-victim", ("staff",))
            cls.victim_id = db_query(cls.db, "SELECT id FROM account WHERE login = ?",
                                     ("acc-victim",))[0][0]
        c = cls.sign_in(who)
        if c is None:
            cls.results[who] = None
            return None
        out = {}
        for step in steps(cls.victim_id):
            resp = send(c, step)
            out[step.label] = (classify(resp), expected(who, step.perm, step.reg),
                               resp.status)
            if who != "anonymous" and step.phase >= 3:
                c = cls.sign_in(who)  # the walk's session ended on purpose
        cls.results[who] = out
        return out

    @classmethod
    def walk_all(cls):
        for who in ["anonymous"] + role_names():
            cls.walk(who)

    def matrix(self):
        """The rows with a mismatch, every role a column: observed letter,
        '!' where it differs from the expectation."""
        self.walk_all()
        whos = [w for w in ["anonymous"] + role_names() if self.results.get(w)]
        labels = [s.label for s in steps(self.victim_id)]
        bad = [lab for lab in labels
               if any(self.results[w][lab][0] != self.results[w][lab][1] for w in whos)]
        width = max([len(lab) for lab in bad] + [10])
        heads = [w[:5] for w in whos]
        lines = ["%-*s %s" % (width, "", " ".join("%-6s" % h for h in heads))]
        for lab in bad:
            cells = []
            for w in whos:
                obs, exp, status = self.results[w][lab]
                cell = SHORT.get(obs, "?") + ("!" + SHORT.get(exp, "?") if obs != exp else "")
                cells.append("%-6s" % cell)
            lines.append("%-*s %s" % (width, lab, " ".join(cells)))
        lines.append("A allowed, D denied (403), L sign-in needed, S step owed, C CSRF "
                     "refused, E 5xx, N 405; X!Y = got X, expected Y")
        return "%d of %d requests differ from the expectation:\n%s" % (
            sum(1 for w in whos for lab in labels
                if self.results[w][lab][0] != self.results[w][lab][1]),
            len(labels) * len(whos), "\n".join(lines))

    def check(self, who):
        out = self.walk(who)
        if out is None:
            self.fail("%s was not walked" % who)
        wrong = sorted(lab for lab, (obs, exp, _) in out.items() if obs != exp)
        if wrong:
            details = ", ".join("%s: %s (HTTP %d), expected %s"
                                % (lab, out[lab][0], out[lab][2], out[lab][1])
                                for lab in wrong[:8])
            self.fail("%s: %d wrong: %s\n%s" % (who, len(wrong), details, self.matrix()))

    # ---- the table itself ----

    def test_route_table(self):
        """The table parses, every permission has an expectation, every
        register an area, every role of roles.def a row here."""
        table = route_table()
        self.assertGreater(len(table), 40)
        for method, pattern, perm, flags in table:
            with self.subTest(route="%s %s" % (method, pattern)):
                self.assertIn(method, ("GET", "POST", "PATCH", "PUT", "DELETE"))
                self.assertNotEqual(perm, "PERM_INVALID")
                expected("admin", perm, "business")
        self.assertEqual(sorted(register_names()), sorted(REGISTER_AREA))
        self.assertEqual(sorted(role_names()), sorted(EXPECTED_ROLES))
        labels = [s.label for s in steps(1)]
        self.assertEqual(len(labels), len(set(labels)), "two routes give the same request")
        self.assertEqual(labels[-1], "POST /logout")

    def test_anonymous(self):
        """Nobody signed in: only the public routes answer."""
        self.check("anonymous")

    def test_admin_walk_keeps_the_walkers(self):
        """The walks never disabled a walking account."""
        self.walk_all()
        self.assertEqual(db_query(self.db, "SELECT login FROM account WHERE disabled = 1 "
                                  "AND login LIKE 'acc-%' AND login != 'acc-victim'"), [])


def _role_test(who):
    def test(self):
        self.check(who)
    test.__doc__ = "The %s role's column of the matrix." % who
    return test


for _who in EXPECTED_ROLES:
    setattr(AccessTest, "test_role_%s" % _who, _role_test(_who))


if __name__ == "__main__":
    harness.main()
