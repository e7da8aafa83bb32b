"""Built-in TLS and the Host check beyond loopback (issue 3, item 11).

A throw-away self-signed certificate is made with openssl for each test
class.  Every server here listens on 127.0.0.1 and every request goes to
127.0.0.1: names such as isms.example only ever appear in Host headers.

Run alone: python3 tests/integration/test_tls.py (ISMS_BIN names the
binary, default build/dev/isms).
"""
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import init_db, raw_request, run  # noqa: E402

TOKEN = "0123456789abcdef0123456789abcdef"


def make_cert(directory, name="localhost"):
    """A self-signed certificate and its key (mode 600) in directory;
    returns (cert path, key path)."""
    cert = os.path.join(directory, name + "-cert.pem")
    key = os.path.join(directory, name + "-key.pem")
    res = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                          "-nodes", "-subj", "/CN=" + name, "-days", "1",
                          "-keyout", key, "-out", cert],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60, check=False)
    if res.returncode != 0:
        raise AssertionError("openssl req failed: %s"
                             % res.stderr.decode("utf-8", "replace"))
    os.chmod(key, 0o600)
    return cert, key


def client_context(version=None, legacy=False):
    """A client context that trusts any certificate (it is self-signed),
    pinned to one TLS version when version is given; legacy lowers
    OpenSSL's security level so that TLS 1.0 and 1.1 can be offered."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if version is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = version
            ctx.maximum_version = version
    if legacy:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def handshake(port, ctx):
    """Complete a TLS handshake with 127.0.0.1:port; returns the
    negotiated version ("TLSv1.3").  Raises ssl.SSLError or OSError when
    the handshake fails."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with ctx.wrap_socket(sock) as tls:
            return tls.version()


def https_request(port, path, ctx=None, method="GET", body=None,
                  headers=None):
    """One HTTPS request to 127.0.0.1:port; returns a harness.Response."""
    conn = http.client.HTTPSConnection("127.0.0.1", port,
                                       timeout=harness.HTTP_TIMEOUT,
                                       context=ctx or client_context())
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return harness.Response(resp.status, resp.reason, resp.headers,
                                resp.read())
    finally:
        conn.close()


def plain_request(port, host, path="/api/v1/health"):
    """GET path over plain HTTP from 127.0.0.1 with the Host header host;
    returns the status code."""
    status, head, _ = raw_request(
        port, ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
               % (path, host)).encode("ascii"))
    return status


class OpenSSLServer:
    """`openssl s_server` on a free loopback port that speaks only one
    TLS version: a control showing that the client really offers it."""

    FLAGS = {ssl.TLSVersion.TLSv1: "-tls1", ssl.TLSVersion.TLSv1_1: "-tls1_1"}

    def __init__(self, cert, key, version):
        self.proc = subprocess.Popen(
            ["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert,
             "-key", key, self.FLAGS[version], "-cipher",
             "DEFAULT:@SECLEVEL=0", "-www"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.port = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline().decode("ascii", "replace")
            if not line:
                break
            m = re.match(r"ACCEPT 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break

    def stop(self):
        """Kill the server (it ignores SIGTERM while idle in accept)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def client_offers(cert, key, version):
    """True when this Python and OpenSSL can negotiate version at all
    (against openssl s_server restricted to it)."""
    server = OpenSSLServer(cert, key, version)
    try:
        if server.port is None:
            return False
        try:
            handshake(server.port, client_context(version, True))
        except (ssl.SSLError, OSError):
            return False
        return True
    finally:
        server.stop()


class TlsTest(unittest.TestCase):
    """One TLS server for the class on a demo database."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tempdir()
        cls.dir = cls.tmp.name
        cls.db = init_db(os.path.join(cls.dir, "t.db"))
        cls.cert, cls.key = make_cert(cls.dir)
        cls.server = harness.Server(cls.db, ["--tls-cert", cls.cert,
                                             "--tls-key", cls.key])
        cls.server.__enter__()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()

    def test_health_over_tls13_and_tls12(self):
        """GET /api/v1/health answers over TLS 1.3 and over TLS 1.2."""
        for version, name in ((ssl.TLSVersion.TLSv1_3, "TLSv1.3"),
                              (ssl.TLSVersion.TLSv1_2, "TLSv1.2")):
            with self.subTest(version=name):
                ctx = client_context(version)
                self.assertEqual(handshake(self.port, ctx), name)
                resp = https_request(self.port, "/api/v1/health", ctx)
                self.assertEqual(resp.status, 200, resp.body[:200])
                self.assertEqual(resp.json(), {"status": "ok"})

    def test_tls11_and_tls10_are_refused(self):
        """TLS 1.1 and 1.0 handshakes fail, though the client can speak them."""
        for version, flag in ((ssl.TLSVersion.TLSv1_1, "-tls1_1"),
                              (ssl.TLSVersion.TLSv1, "-tls1")):
            with self.subTest(version=flag):
                if client_offers(self.cert, self.key, version):
                    with self.assertRaises((ssl.SSLError, OSError)):
                        handshake(self.port, client_context(version, True))
                    continue
                # This Python cannot offer the version: ask openssl.
                res = subprocess.run(
                    ["openssl", "s_client", "-connect",
                     "127.0.0.1:%d" % self.port, flag, "-cipher",
                     "DEFAULT:@SECLEVEL=0"], input=b"",
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    timeout=30, check=False)
                out = res.stdout.decode("utf-8", "replace")
                self.assertNotEqual(res.returncode, 0, out[-1000:])
                self.assertNotRegex(out, r"Cipher is [A-Z0-9]")
        self.assertTrue(self.server.alive())

    def test_security_headers_over_tls(self):
        """Over TLS responses carry HSTS and the CSRF cookie is Secure."""
        resp = https_request(self.port, "/login")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.header("Strict-Transport-Security"),
                         "max-age=31536000")
        cookie = resp.header("Set-Cookie") or ""
        self.assertRegex(cookie, r"^isms_csrf=[0-9a-f]{32}; ")
        self.assertIn("; Secure", cookie)

    def test_handler_cookies_become_secure(self):
        """A cookie set by a handler (the language switch) is Secure over TLS."""
        resp = https_request(
            self.port, "/lang", method="POST",
            body=("_csrf=%s&to=en&next=/" % TOKEN).encode(),
            headers={"Cookie": "isms_csrf=" + TOKEN,
                     "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 303, resp.body[:300])
        cookies = resp.headers.get_all("Set-Cookie") or []
        lang = [c for c in cookies if c.startswith("lang=")]
        self.assertEqual(len(lang), 1, cookies)
        self.assertEqual(lang[0].count("Secure"), 1, lang[0])

    def test_plain_http_to_the_tls_port(self):
        """Plain HTTP sent to the TLS port gets no answer and harms nothing."""
        try:
            status, _, _ = raw_request(
                self.port, b"GET /api/v1/health HTTP/1.1\r\n"
                           b"Host: 127.0.0.1\r\n\r\n", timeout=5)
            self.assertIsNone(status)
        except TimeoutError:
            pass  # waiting for a handshake that never comes is fine too
        self.assertTrue(self.server.alive())
        resp = https_request(self.port, "/api/v1/health")
        self.assertEqual(resp.status, 200)

    def test_access_log_names_the_peer(self):
        """The access line carries the client's address."""
        https_request(self.port, "/api/v1/health?peer-check=1")
        time.sleep(0.2)  # the line is written when the request completes
        self.assertRegex(self.server.read_stderr(),
                         r"access req=[0-9a-f]{16} method=GET "
                         r"path=/api/v1/health status=200 bytes=[0-9]+ "
                         r"us=[0-9]+ peer=127\.0\.0\.1")


class PlainHeadersTest(harness.ServedTestCase):
    def test_no_hsts_without_tls(self):
        """Plain HTTP responses carry no HSTS and no Secure cookie."""
        resp = self.c.get("/")
        self.assertEqual(resp.status, 200)
        self.assertIsNone(resp.header("Strict-Transport-Security"))
        self.assertNotIn("Secure", resp.header("Set-Cookie") or "")


class TlsRefusalTest(unittest.TestCase):
    """Options that must keep isms serve from starting."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tempdir()
        cls.dir = cls.tmp.name
        cls.db = init_db(os.path.join(cls.dir, "t.db"), demo=False)
        cls.cert, cls.key = make_cert(cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def serve(self, *args):
        """isms serve on 127.0.0.1:0 with args; fails when it starts."""
        try:
            return run("serve", "--db", self.db, "--listen", "127.0.0.1:0",
                       "--print-port", *args, timeout=15)
        except subprocess.TimeoutExpired:
            self.fail("isms serve %s started serving" % " ".join(args))

    def assertRefused(self, res, code, *needles):
        err = res.stderr.decode("utf-8", "replace")
        self.assertEqual(res.returncode, code, err)
        self.assertEqual(res.stdout, b"")
        self.assertTrue(err.startswith("isms: "), err)
        for needle in needles:
            self.assertIn(needle, err)

    def test_world_readable_key_is_refused(self):
        """A key file everyone may read is refused, naming the file."""
        key = os.path.join(self.dir, "open-key.pem")
        shutil.copyfile(self.key, key)
        os.chmod(key, 0o644)
        res = self.serve("--tls-cert", self.cert, "--tls-key", key)
        self.assertRefused(res, 77, key, "chmod 600")

    def test_only_one_of_cert_and_key(self):
        """--tls-cert without --tls-key, or the reverse, is a usage error."""
        for args in (("--tls-cert", self.cert), ("--tls-key", self.key)):
            with self.subTest(args=args[0]):
                self.assertRefused(self.serve(*args), 64, "--tls-cert",
                                   "--tls-key")

    def test_unreadable_and_invalid_files(self):
        """A missing or non-PEM file, or a key of another certificate, is named."""
        missing = os.path.join(self.dir, "missing.pem")
        junk = os.path.join(self.dir, "junk.pem")
        with open(junk, "w", encoding="ascii") as f:
            f.write("not a certificate\n")
        os.chmod(junk, 0o600)
        other_cert, other_key = make_cert(self.dir, "other")
        cases = (
            (("--tls-cert", missing, "--tls-key", self.key), 66, missing),
            (("--tls-cert", self.cert, "--tls-key", missing), 66, missing),
            (("--tls-cert", junk, "--tls-key", self.key), 65, junk),
            (("--tls-cert", self.cert, "--tls-key", junk), 65, junk),
            (("--tls-cert", self.cert, "--tls-key", other_key), 65, other_key),
        )
        for args, code, needle in cases:
            with self.subTest(args=args):
                self.assertRefused(self.serve(*args), code, needle)
        self.assertTrue(os.path.exists(other_cert))

    def test_bad_host_options(self):
        """A --host that is not a name, or a ninth --host, is refused."""
        for name in ("", "evil example", "isms.example:0", "isms.example:x",
                     "[::1", "a/b"):
            with self.subTest(host=name):
                self.assertRefused(self.serve("--host", name), 65, "--host")
        many = []
        for i in range(9):
            many += ["--host", "h%d.example" % i]
        self.assertRefused(self.serve(*many), 64, "--host")

    def test_wildcard_needs_host(self):
        """--listen 0.0.0.0 or [::] without --host is refused before listening."""
        for listen in ("0.0.0.0:0", "[::]:0"):
            with self.subTest(listen=listen):
                try:
                    res = run("serve", "--db", self.db, "--listen", listen,
                              "--print-port", timeout=15)
                except subprocess.TimeoutExpired:
                    self.fail("serve --listen %s started serving" % listen)
                self.assertRefused(res, 65, listen, "--host")


class HostTest(unittest.TestCase):
    """The Host check with --host names, over plain HTTP on loopback."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tempdir()
        cls.db = init_db(os.path.join(cls.tmp.name, "t.db"), demo=False)
        cls.server = harness.Server(cls.db, ["--host", "isms.example",
                                             "--host", "proxy.example:8443"])
        cls.server.__enter__()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.tmp.cleanup()

    def test_host_names(self):
        """--host names are served with the bound port or none; others get 421."""
        port = self.port
        cases = (
            ("isms.example:%d" % port, 200),
            ("ISMS.Example:%d" % port, 200),
            ("isms.example", 200),  # a reverse proxy's Host: $host
            ("proxy.example:8443", 200),
            ("proxy.example:%d" % port, 200),
            ("127.0.0.1:%d" % port, 200),  # loopback rules still hold
            ("localhost:%d" % port, 200),
            ("evil.example:%d" % port, 421),
            ("evil.example", 421),
            ("isms.example:%d" % (port + 1), 421),
            ("isms.example.evil:%d" % port, 421),
            ("xisms.example:%d" % port, 421),
            ("proxy.example", 421),  # --host gave port 8443
            ("proxy.example:8444", 421),
            ("isms.example:%d:%d" % (port, port), 421),
        )
        for host, want in cases:
            with self.subTest(host=host):
                self.assertEqual(plain_request(port, host), want)

    def test_refused_host_cannot_write(self):
        """A 421 request changes nothing."""
        before = harness.db_count(self.db, "member")
        body = b'{"name": "x"}'
        status, head, _ = raw_request(
            self.port, ("POST /api/v1/member HTTP/1.1\r\nHost: evil.example:%d"
                        "\r\nContent-Type: application/json\r\n"
                        "Content-Length: %d\r\nConnection: close\r\n\r\n"
                        % (self.port, len(body))).encode() + body)
        self.assertEqual(status, 421, head[:300])
        self.assertEqual(harness.db_count(self.db, "member"), before)


if __name__ == "__main__":
    harness.main()
