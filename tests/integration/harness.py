"""Shared helpers for the integration tests (STYLE.md C13.2).

The tests run the real isms binary: ISMS_BIN names it (ctest sets it;
build/dev/isms by default) and ISMS_SOURCE names the source root (the
directory two levels above this file by default).  Only the Python 3
standard library is used.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import signal
import socket
import sqlite3
import struct
import subprocess
import tempfile
import time
import unittest
import uuid
from urllib.parse import quote, urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.environ.get("ISMS_SOURCE") or
                         os.path.dirname(os.path.dirname(HERE)))
BIN = os.path.abspath(os.environ.get("ISMS_BIN") or
                      os.path.join(SOURCE, "build", "dev", "isms"))

START_TIMEOUT = 10  # seconds to wait for the port line
STOP_TIMEOUT = 15   # seconds to wait for a clean exit after SIGTERM
HTTP_TIMEOUT = 15   # seconds per HTTP request


# ---- processes ----

def run(*args, env=None, stdin=None, cwd=None, timeout=30):
    """Run isms with args (ISMS_DB unset unless env sets it; messages in
    English, ISMS_LANG=en, unless env says otherwise); returns the
    CompletedProcess with bytes stdout and stderr."""
    full_env = dict(os.environ)
    full_env.pop("ISMS_DB", None)
    full_env["ISMS_LANG"] = "en"
    if env:
        full_env.update(env)
    return subprocess.run([BIN] + [str(a) for a in args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=full_env, cwd=cwd, timeout=timeout, check=False)


def make_tempdir(test_case=None):
    """A temporary directory, removed at the end of test_case (or by the
    caller through the returned object's cleanup())."""
    tmp = tempfile.TemporaryDirectory(prefix="isms-it-")
    if test_case is not None:
        test_case.addCleanup(tmp.cleanup)
    return tmp


# One-time password of the first administrator of each database made by
# init_db(), by path.
ADMIN_OTP = {}

# Current passwords of the accounts made by Server.signed_in(), by
# (database, login).
PASSWORDS = {}

# The password every test account ends up with (meets the plan's rules).
TEST_PASSWORD = "Test-Passw0rd!"


def init_db(path, demo=True, fast_hash=True):
    """Run `isms init --db PATH [--demo]`; raise when it fails.  The first
    administrator's one-time password goes into ADMIN_OTP[path].  With
    fast_hash, argon2id is set to its cheapest allowed cost so that the
    many sign-ins of the tests stay quick (the benchmark measures the
    real cost)."""
    args = ["init", "--db", path] + (["--demo"] if demo else [])
    res = run(*args)
    if res.returncode != 0:
        raise AssertionError("isms init failed (%d): %s" %
                             (res.returncode, res.stderr.decode("utf-8", "replace")))
    ADMIN_OTP[path] = res.stdout.decode("utf-8").strip().splitlines()[-1]
    if fast_hash:
        for name, value in (("password-hash-memory-kib", "8192"),
                            ("password-hash-ops", "1")):
            r = run("settings", "set", name, value, "--db", path)
            if r.returncode != 0:
                raise AssertionError("isms settings set failed: %s" %
                                     r.stderr.decode("utf-8", "replace"))
    return path


def add_user(path, login, roles=("officer",), privileged=False, owner=None,
             name=None):
    """Create an account with the CLI; returns its one-time password."""
    args = ["user", "add", login, "--name", name or login, "--db", path]
    for r in roles:
        args += ["--role", r]
    if privileged:
        args.append("--privileged")
    if owner:
        args += ["--owner", owner]
    res = run(*args)
    if res.returncode != 0:
        raise AssertionError("isms user add failed (%d): %s" %
                             (res.returncode, res.stderr.decode("utf-8", "replace")))
    return res.stdout.decode("utf-8").strip().splitlines()[-1]


def db_query(path, sql, params=()):
    """Rows of a query on the database file at path, through a read-only
    connection: a verification read never checkpoints or removes the WAL
    of a running server."""
    con = sqlite3.connect("file:%s?mode=ro" % quote(os.path.abspath(path)),
                          uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def db_count(path, table, where="1"):
    """Number of rows of table matching where."""
    return db_query(path, "SELECT count(*) FROM %s WHERE %s" % (table, where))[0][0]


STATE_TABLES = ("agency", "org_unit", "member", "business", "policy",
                "goal_metric", "reg_history", "audit_event")


def db_state(path):
    """Row counts and the newest history row: equal states mean nothing
    was written."""
    counts = tuple(db_count(path, t) for t in STATE_TABLES)
    last = db_query(path, "SELECT max(rowid) FROM reg_history")[0][0]
    return counts + (last,)


class Clock:
    """A test clock for ISMS_TEST_CLOCK (src/core/time.c): a file whose
    integer content the binary adds to the real time at every call.
    env() gives the environment for Server(env=...) and run(env=...)."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "clock")
        self.offset = 0
        self._write()

    def _write(self):
        tmp = self.path + ".new"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % self.offset)
        os.replace(tmp, self.path)  # never a half-written file

    def advance(self, seconds):
        """Move the clock forward by seconds."""
        self.offset += int(seconds)
        self._write()

    def now(self):
        """The time as the binary sees it now (Unix seconds)."""
        return time.time() + self.offset

    def env(self):
        """The environment that puts a process on this clock."""
        return {"ISMS_TEST_CLOCK": self.path}


def totp(secret, at):
    """The RFC 6238 code (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret
    at Unix time at."""
    secret = secret.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    off = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7fffffff)
                     % 1000000)


class Server:
    """`isms serve` on a free loopback port, as a context manager.

    On exit the server gets SIGTERM; it must exit with 0 and log
    "stopped; database closed" on stderr.
    """

    def __init__(self, db_path, extra_args=(), env=None):
        self.db_path = db_path
        self.extra_args = list(extra_args)
        self.env = dict(env or {})  # extra environment, e.g. ISMS_TEST_CLOCK
        self.proc = None
        self.port = None
        self._err = None
        self.stderr_text = ""

    def __enter__(self):
        self._err = tempfile.TemporaryFile()
        env = dict(os.environ)
        env.pop("ISMS_DB", None)
        env["ISMS_LANG"] = "en"
        env.update(self.env)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db_path, "--listen", "127.0.0.1:0",
             "--print-port"] + self.extra_args,
            stdout=subprocess.PIPE, stderr=self._err, env=env)
        line = self._read_line(START_TIMEOUT)
        if not line.strip().isdigit():
            self._kill()
            raise AssertionError("isms serve printed no port: %r; stderr: %s"
                                 % (line, self.read_stderr()))
        self.port = int(line)
        return self

    def _read_line(self, timeout):
        deadline = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while not buf.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buf += chunk
        return buf.decode("ascii", "replace")

    def read_stderr(self):
        """Everything the server wrote on stderr so far."""
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace")

    def alive(self):
        """True while the server process runs."""
        return self.proc.poll() is None

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        """SIGTERM, then check the clean shutdown; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._kill()
                raise AssertionError("isms serve ignored SIGTERM")
        self.proc.stdout.close()
        self.stderr_text = self.read_stderr()
        self._err.close()
        return self.proc.returncode

    def __exit__(self, exc_type, exc, tb):
        code = self.stop()
        if exc_type is None:
            if code != 0:
                raise AssertionError("isms serve exited with %d; stderr:\n%s"
                                     % (code, self.stderr_text[-4000:]))
            if "stopped; database closed" not in self.stderr_text:
                raise AssertionError("no clean shutdown line; stderr:\n%s"
                                     % self.stderr_text[-4000:])
        return False

    def open_fds(self, path):
        """How many of the server's file descriptors are open on path."""
        real = os.path.realpath(path)
        fd_dir = "/proc/%d/fd" % self.proc.pid
        count = 0
        for fd in os.listdir(fd_dir):
            try:
                if os.readlink(os.path.join(fd_dir, fd)) == real:
                    count += 1
            except OSError:
                pass  # closed meanwhile
        return count

    def client(self, test=None):
        """A new client with an empty cookie jar; with test, every HTML
        response it receives must pass check_html()."""
        return Client(self.port, test)

    def signed_in(self, test=None, login="officer1", roles=("officer",)):
        """A new client signed in as login (created with roles through the
        CLI the first time)."""
        key = (self.db_path, login)
        if key not in PASSWORDS:
            PASSWORDS[key] = add_user(self.db_path, login, roles)
        c = self.client(test)
        PASSWORDS[key] = c.login(login, PASSWORDS[key])
        return c


# ---- HTTP ----

class Response:
    """A finished HTTP response."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # http.client.HTTPMessage
        self.body = body        # bytes

    @property
    def text(self):
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    def json(self):
        """The body parsed as JSON."""
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        """One header's value or None."""
        return self.headers.get(name)

    def __repr__(self):
        return "<Response %d %s: %r>" % (self.status, self.reason, self.body[:300])


CSRF_RE = re.compile(r'<input type="hidden" name="_csrf" value="([0-9a-f]+)">')
KEEP_COOKIES = ("isms_csrf", "lang", "isms_session")


class Client:
    """An HTTP/1.1 client on one port with a cookie jar for isms_csrf and
    lang.  Each request opens a new connection unless conn (from
    connection()) is given, as keep-alive tests do."""

    def __init__(self, port, test=None):
        self.port = port
        self.test = test  # when set, every HTML response is tidy-checked
        self.host = "127.0.0.1"
        self.origin = "http://%s:%d" % (self.host, port)
        self.cookies = {}
        self.token = None

    def connection(self):
        """A new http.client connection to the server."""
        return http.client.HTTPConnection(self.host, self.port, timeout=HTTP_TIMEOUT)

    def _cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in sorted(self.cookies.items()))

    def _store_cookies(self, headers):
        for value in headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            name, _, val = pair.partition("=")
            name = name.strip()
            if name in KEEP_COOKIES:
                if "Max-Age=0" in value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val.strip()

    def request(self, method, path, body=None, headers=None, conn=None,
                cookies=True):
        """Send one request; returns a Response.  conn reuses a connection."""
        hdrs = {}
        if cookies and self.cookies:
            hdrs["Cookie"] = self._cookie_header()
        if headers:
            hdrs.update(headers)
        # A signed-in browser script sends the session's CSRF token in a
        # header with every non-form state change (JSON, CSV, no body);
        # forms carry it as a field (post_form decides).
        ctype = hdrs.get("Content-Type", "")
        if (method != "GET" and self.token and "isms_session" in self.cookies
                and "X-CSRF-Token" not in hdrs
                and not ctype.startswith("application/x-www-form-urlencoded")
                and not ctype.startswith("multipart/form-data")):
            hdrs["X-CSRF-Token"] = self.token
        own = conn is None
        c = conn or self.connection()
        try:
            try:
                c.request(method, path, body=body, headers=hdrs)
            except (BrokenPipeError, ConnectionResetError):
                # The server may answer (413) and close before a large
                # body is sent whole; its answer is still there to read.
                pass
            resp = c.getresponse()
            data = resp.read()
            out = Response(resp.status, resp.reason, resp.headers, data)
        finally:
            if own:
                c.close()
        self._store_cookies(out.headers)
        ctype = out.header("Content-Type") or ""
        if self.test is not None and ctype.startswith("text/html") and out.body:
            check_html(self.test, out.body, "%s %s (%d)" % (method, path[:80], out.status))
        return out

    def get(self, path, headers=None, conn=None):
        """GET path."""
        return self.request("GET", path, headers=headers, conn=conn)

    def page(self, path="/"):
        """GET an HTML page and remember its CSRF token."""
        resp = self.get(path)
        m = CSRF_RE.search(resp.text)
        if m:
            self.token = m.group(1)
        return resp

    def csrf(self):
        """This client's CSRF token, fetching a page first when needed."""
        if not self.token:
            self.page("/account" if "isms_session" in self.cookies else "/login")
        if not self.token:
            raise AssertionError("no CSRF token")
        return self.token

    def login(self, login, password, new_password=TEST_PASSWORD):
        """Sign in; when the password must be changed first (a one-time
        password), change it to new_password.  Returns the password that
        works now.  Raises when sign-in fails."""
        self.token = None
        self.cookies.pop("isms_session", None)
        self.page("/login")
        r = self.post_form("/login", {"login": login, "password": password})
        if r.status != 303:
            raise AssertionError("sign-in of %s failed: %r" % (login, r))
        self.token = None
        where = r.header("Location")
        if where == "/account/password":
            self.page(where)
            r = self.post_form(where, {"current": password,
                                       "password": new_password,
                                       "confirm": new_password})
            if r.status != 303:
                raise AssertionError("password change of %s failed: %r" % (login, r))
            password = new_password
            where = r.header("Location")
        self.token = None
        self.page("/account")
        return password

    def form_headers(self, extra=None):
        """Headers of a same-origin form post."""
        hdrs = {"Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin}
        if extra:
            hdrs.update(extra)
        return hdrs

    def post_form(self, path, fields, token=True, headers=None):
        """POST fields (dict or list of pairs) urlencoded, with the CSRF
        token (token=True), a given token (str) or none (token=None)."""
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if token is True:
            items.append(("_csrf", self.csrf()))
        elif isinstance(token, str):
            items.append(("_csrf", token))
        body = urlencode(items).encode("ascii")
        return self.request("POST", path, body=body,
                            headers=self.form_headers(headers))

    def post_raw_form(self, path, body, headers=None):
        """POST an already encoded urlencoded body (bytes)."""
        return self.request("POST", path, body=body,
                            headers=self.form_headers(headers))

    def send_json(self, method, path, obj, headers=None):
        """Send obj as a JSON body (obj may be bytes already encoded)."""
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode("utf-8")
        hdrs = {"Content-Type": "application/json", "Origin": self.origin}
        if headers:
            hdrs.update(headers)
        return self.request(method, path, body=body, headers=hdrs)

    def post_json(self, path, obj, headers=None):
        """POST JSON."""
        return self.send_json("POST", path, obj, headers)

    def patch_json(self, path, obj, headers=None):
        """PATCH JSON."""
        return self.send_json("PATCH", path, obj, headers)

    def post_multipart(self, path, fields=None, files=None, token=True,
                       headers=None):
        """POST multipart/form-data; files maps a field name to
        (filename, bytes, content_type)."""
        boundary = "----isms" + uuid.uuid4().hex
        parts = []
        items = list((fields or {}).items())
        if token is True:
            items.append(("_csrf", self.csrf()))
        elif isinstance(token, str):
            items.append(("_csrf", token))
        for name, value in items:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                          "\r\n\r\n" % (boundary, name)).encode("utf-8")
                         + (value if isinstance(value, bytes) else str(value).encode("utf-8"))
                         + b"\r\n")
        for name, (filename, data, ctype) in (files or {}).items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                          "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
                          % (boundary, name, filename, ctype)).encode("utf-8")
                         + data + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % boundary).encode("ascii")
        hdrs = {"Content-Type": "multipart/form-data; boundary=%s" % boundary,
                "Origin": self.origin}
        if headers:
            hdrs.update(headers)
        return self.request("POST", path, body=body, headers=hdrs)


def raw_request(port, data, timeout=5):
    """Send raw bytes on a new socket and read one response.  Returns
    (status, header text, body bytes); status is None when the server
    closed the connection without answering.  Raises TimeoutError when
    no complete response arrives within timeout seconds."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    deadline = time.monotonic() + timeout
    out = b""
    try:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer before reading everything
        while True:
            head, sep, body = out.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no response within %ss" % timeout)
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                raise TimeoutError("no response within %ss" % timeout)
            if not chunk:
                break
            out += chunk
    finally:
        sock.close()
    head, _, body = out.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(m.group(1)) if m else None), head.decode("latin-1"), body


def url(path, **query):
    """path with query parameters (UTF-8, percent-encoded)."""
    if not query:
        return path
    return path + "?" + urlencode(query, quote_via=quote)


# ---- page content ----

COUNT_RE = re.compile(r'<p class="count" role="status">[^<]*?(?:共|of) (\d+)')


def list_total(body):
    """The total of a register list page ("共 N 筆")."""
    m = COUNT_RE.search(body)
    if not m:
        raise AssertionError("no record count on the page")
    return int(m.group(1))


def list_rows(body):
    """Number of record rows in a register list table."""
    m = re.search(r'<table class="list">.*?<tbody>(.*?)</tbody>', body, re.S)
    return len(re.findall(r"<tr[ >]", m.group(1))) if m else 0


# ---- tidy ----

# Attributes of HTML5 and WAI-ARIA that tidy 5.6 calls "proprietary".
HTML5_ATTRS = {"inputmode", "autocomplete", "enterkeyhint", "hidden",
               "role", "translate", "loading", "decoding", "spellcheck"}
# Tidy warnings that are harmless: its HTML5 gaps, table summaries, and
# empty inline elements, which are valid HTML.
IGNORED_WARNINGS = (
    re.compile(r'<\w+> proprietary attribute "(aria-[a-z]+|data-[a-z0-9-]+)"$'),
    re.compile(r"<table> lacks \"summary\" attribute"),
    re.compile(r"<\w+> is not recognized!"),
    re.compile(r"discarding unexpected <(main|nav|section|time|search)>"),
    re.compile(r"trimming empty <(span|p)>"),
)
# An attribute value that is not quoted, or quoted with an entity
# (aria-current=&quot;page&quot;): tidy 5.6 does not warn about these.
UNQUOTED_ATTR_RE = re.compile(r"""<[a-zA-Z][a-zA-Z0-9]*\s(?:[^>"']|"[^"]*"|'[^']*')*?"""
                              r"""\s[a-zA-Z_:][-a-zA-Z0-9_:.]*=(?!["'])([^\s>]*)""")


_tidy_cache = {}


def tidy_problems(body):
    """The tidy errors and unacceptable warnings of an HTML document."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body in _tidy_cache:
        return _tidy_cache[body]
    res = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "yes",
                          "-utf8"], input=body, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=30, check=False)
    problems = []
    for line in res.stderr.decode("utf-8", "replace").splitlines():
        msg = re.sub(r"^line \d+ column \d+ - ", "", line).strip()
        if not msg:
            continue
        if msg.startswith("Error:"):
            problems.append(line)
            continue
        if not msg.startswith("Warning:"):
            continue  # tidy's summary and info lines
        text = msg[len("Warning:"):].strip()
        m = re.match(r'<\w+> proprietary attribute "([^"]+)"$', text)
        if m and m.group(1) in HTML5_ATTRS:
            continue
        if any(p.search(text) for p in IGNORED_WARNINGS):
            continue
        problems.append(line)
    for m in UNQUOTED_ATTR_RE.finditer(body.decode("utf-8", "replace")):
        problems.append("unquoted attribute value: %s" % m.group(0)[-120:])
    _tidy_cache[body] = problems
    return problems


def check_html(test, body, what="page"):
    """Fail test when body is not clean HTML by tidy's judgement."""
    problems = tidy_problems(body)
    if problems:
        test.fail("%s: tidy found problems:\n%s" % (what, "\n".join(problems[:30])))


class IsmsTestCase(unittest.TestCase):
    """Base class: temp dir and demo database per test class."""

    demo = True

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="isms-it-")
        cls.db = os.path.join(cls.tmp.name, "t.db")
        init_db(cls.db, demo=cls.demo)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertContains(self, needle, body):
        """needle occurs in body; the failure message stays short."""
        if needle not in body:
            self.fail("%r not found in the %d-character body" % (needle, len(body)))

    def assertNotContains(self, needle, body):
        """needle does not occur in body; shows where it does."""
        at = body.find(needle)
        if at >= 0:
            self.fail("%r found in the body: ...%s..." % (needle, body[max(0, at - 80):at + 80]))


class ServedTestCase(IsmsTestCase):
    """Base class: a demo database and one server for the test class; each
    test gets a fresh client (self.c) whose HTML responses are checked."""

    # The account each test signs in with, and its roles.
    user = "officer1"
    roles = ("officer",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.password = add_user(cls.db, cls.user, cls.roles)
        cls.server = Server(cls.db)
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.c = self.server.client(self)
        type(self).password = self.c.login(self.user, self.password)

    def anonymous(self):
        """A client that is not signed in."""
        return self.server.client(self)


# ---- masking previews (registers/register_mask_pages.c) ----

MASK_CONFIRM = "確認遮蔽並儲存"
MASK_BAD_OP = "無法辨識的遮蔽方式"
MASK_PANEL_RE = re.compile(
    r'<section class="mask-preview" id="mp-(\w+)".*?</section>', re.S)
MASK_MASKED_RE = re.compile(r'<div class="masked">(.*?)</div>', re.S)


def mask_marks(panel):
    """(entity, text) of each <mark> of a masking preview panel."""
    return re.findall(r'<mark data-entity="(\w+)"[^>]*>(.*?)</mark>', panel)


def mask_counts(panel):
    """{entity: count} of a masking preview panel."""
    return {e: int(n) for e, n in
            re.findall(r'<span data-entity="(\w+)" data-count="(\d+)">', panel)}


def unescape(html):
    """The text of HTML-escaped output."""
    return (html.replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def main():
    """unittest.main with verbose output, for `python3 test_x.py`."""
    if not os.access(BIN, os.X_OK):
        raise SystemExit("isms binary not found at %s; build it or set ISMS_BIN" % BIN)
    unittest.main(verbosity=2)
