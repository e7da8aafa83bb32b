"""Hostile and malformed requests: size limits, invalid UTF-8, CSRF,
media types, malformed JSON, undeclared parameters, huge headers and
query strings.  Each is refused with the right status, writes nothing,
and leaves the server answering."""

import time
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check_html, db_state, raw_request, url  # noqa: E402

VALID = {"name": "惡意輸入測試", "is_core": "0", "mtd_kind": "owner"}
UTF8_MSG = "傳送的資料不是有效的 UTF-8 文字"
CSRF_MSG = "表單已過期或來源不明"


class BadInputTest(harness.ServedTestCase):

    def setUp(self):
        super().setUp()
        self.c.page("/r/business/new")
        self.state = db_state(self.db)

    def tearDown(self):
        # Whatever a test sent, the server still answers.
        self.assertTrue(self.server.alive(), "the server died")
        self.assertEqual(self.server.client(self).get("/login").status, 200)

    def assertNothingWritten(self):
        """No table changed since setUp."""
        self.assertEqual(db_state(self.db), self.state, "the database changed")

    def assertRefused(self, resp, status, html=True):
        """resp has status; HTML error pages must be clean too."""
        self.assertEqual(resp.status, status, resp)
        if html:
            self.assertTrue(resp.header("Content-Type").startswith("text/html"), resp)
            check_html(self, resp.body, "%d page" % status)

    def head(self, path, extra="", body=b"", method="POST"):
        """A raw request head for path on this server."""
        return ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
                % (method, path, self.server.port, extra)).encode("ascii") + body

    # ---- sizes ----

    FORM_LIMIT = 2 << 20  # REG_FORM_MAX_BODY in src/registers/register_http.h

    def test_oversized_form_body(self):
        """A 3 MiB form (record forms take 2 MiB) is 413 and writes nothing."""
        body = "a" * (3 << 20)
        resp = self.c.post_form("/r/business", dict(VALID, description=body))
        self.assertRefused(resp, 413)
        self.assertContains("傳送的資料超過允許的大小", resp.text)
        self.assertNothingWritten()

    def test_refusal_links_back(self):
        """A refused form's error page links back to the page it came from
        when the Referer is this site's (sent same-origin only), escaped;
        a Referer of another site, or an odd one, gives no such link."""
        base = "http://127.0.0.1:%d" % self.server.port
        body = "a" * (3 << 20)
        for ref, want in ((base + "/r/business/new", "/r/business/new"),
                          (base + "/r/business?q=%22x%3C&page=2",
                           "/r/business?q=%22x%3C&amp;page=2"),
                          ("http://evil.example/r/business/new", None),
                          (base + ".evil.example/r/business/new", None),
                          (base + "//evil.example/", None),
                          ("javascript:alert(1)", None),
                          (base + '/r/"><script>', None)):
            with self.subTest(ref=ref):
                resp = self.c.post_form("/r/business", dict(VALID, description=body),
                                        headers={"Referer": ref})
                self.assertRefused(resp, 413)
                if want:
                    self.assertContains('<a href="%s">回上一頁</a>' % want, resp.text)
                else:
                    self.assertNotContains("回上一頁", resp.text)
                self.assertContains('<a href="/">回首頁</a>', resp.text)
        self.assertNothingWritten()

    def test_body_just_over_the_limit(self):
        """A form just over 2 MiB is 413; a big but allowed one is not."""
        pad = "a" * self.FORM_LIMIT
        resp = self.c.post_form("/r/business", dict(VALID, pad=pad))
        self.assertRefused(resp, 413)
        self.assertNothingWritten()
        resp = self.c.post_form("/r/business",
                                dict(VALID, pad="a" * (self.FORM_LIMIT - 4096)))
        self.assertEqual(resp.status, 303, resp)

    def test_lang_form_keeps_small_limit(self):
        """Routes without a declared limit keep the 64 KiB default: 65 KiB is 413."""
        resp = self.c.post_form("/lang", {"to": "en", "next": "/" + "a" * (65 * 1024)})
        self.assertRefused(resp, 413)

    def test_content_length_over_limit_small_body(self):
        """Content-Length above the limit is refused at once, before any body."""
        token = self.c.csrf()
        body = ("name=x&is_core=0&mtd_kind=owner&_csrf=%s" % token).encode()
        extra = ("Content-Type: application/x-www-form-urlencoded\r\n"
                 "Origin: %s\r\nCookie: isms_csrf=%s\r\nContent-Length: %d\r\n"
                 % (self.c.origin, token, 4 << 20))
        status, head, _ = raw_request(self.server.port, self.head("/r/business", extra, body))
        self.assertEqual(status, 413, head)
        self.assertNothingWritten()

    def test_malformed_content_length(self):
        """A Content-Length that is not a number is 400 and writes nothing (libmicrohttpd refuses it)."""
        port = self.server.port
        data = ("POST /r/business HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 12abc\r\nConnection: close\r\n\r\nname=x" % port).encode()
        status, head, body = raw_request(port, data)
        self.assertEqual(status, 400, head[:300])
        self.assertNotIn(b"name=x", body)
        self.assertNothingWritten()

    # ---- Host ----

    def test_foreign_host_is_refused(self):
        """A request naming another host (DNS rebinding) is 421 and can neither read nor write."""
        port = self.server.port
        for host in ("evil.example:%d" % port, "127.0.0.1:%d" % (port + 1),
                     "127.0.0.1.evil.example:%d" % port, ""):
            extra = ("Origin: http://%s\r\nSec-Fetch-Site: same-origin\r\n"
                     "Content-Type: application/json\r\nContent-Length: 2\r\n" % host)
            data = ("POST /api/v1/business HTTP/1.1\r\nHost: %s\r\n%s\r\n{}"
                    % (host, extra)).encode()
            status, head, _ = raw_request(port, data)
            self.assertEqual(status, 421, head[:300])
            status, head, body = raw_request(
                port, ("GET /api/v1/business HTTP/1.1\r\nHost: %s\r\n"
                       "Connection: close\r\n\r\n" % host).encode())
            self.assertEqual(status, 421, head[:300])
            self.assertNotIn(b"WebITR", body)
        for host in ("127.0.0.1:%d" % port, "localhost:%d" % port, "LOCALHOST:%d" % port):
            status, head, _ = raw_request(
                port, ("GET /login HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % host).encode())
            self.assertEqual(status, 200, host)
        self.assertNothingWritten()

    # ---- UTF-8 ----

    def test_invalid_utf8_in_form(self):
        """Raw %FF%FE in a form field is 400 with the zh-TW UTF-8 message."""
        token = self.c.csrf()
        body = ("name=%%FF%%FE&is_core=0&mtd_kind=owner&_csrf=%s" % token).encode()
        resp = self.c.post_raw_form("/r/business", body)
        self.assertRefused(resp, 400)
        self.assertContains(UTF8_MSG, resp.text)
        self.assertContains('<html lang="zh-TW">', resp.text)
        self.assertNothingWritten()

    def test_invalid_utf8_in_query(self):
        """Raw %FF%FE in a query string is 400, for pages and the API."""
        resp = self.c.get("/r/business?q=%FF%FE")
        self.assertRefused(resp, 400)
        self.assertContains("UTF-8", resp.text)
        resp = self.c.get("/api/v1/business?q=%C3%28")
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.json()["error"], "invalid")

    def test_invalid_utf8_in_json(self):
        """A JSON body with an invalid UTF-8 byte is 400 and writes nothing."""
        resp = self.c.post_json("/api/v1/business",
                                b'{"name": "\xff\xfe", "is_core": true, "mtd_kind": "owner"}')
        self.assertEqual(resp.status, 400, resp)
        self.assertNothingWritten()

    # ---- CSRF ----

    def test_csrf_missing_token(self):
        """A form post without _csrf is 403 and writes nothing."""
        resp = self.c.post_form("/r/business", VALID, token=None)
        self.assertRefused(resp, 403)
        self.assertContains(CSRF_MSG, resp.text)
        self.assertNothingWritten()

    def test_csrf_wrong_token(self):
        """A form post with another token than the cookie's is 403."""
        resp = self.c.post_form("/r/business", VALID, token="0" * 32)
        self.assertRefused(resp, 403)
        other = self.server.client(self)
        resp = self.c.post_form("/r/business", VALID, token=other.csrf())
        self.assertRefused(resp, 403)
        self.assertNothingWritten()

    def test_csrf_without_cookie(self):
        """A session's token sent by a client without its cookies is
        refused (401: nobody is signed in), and so is a token of another
        session (403)."""
        other = self.server.signed_in(self, "officer2")
        self.state = db_state(self.db)  # signing in is audited
        token = self.c.csrf()
        bare = self.server.client(self)
        resp = bare.post_form("/r/business", VALID, token=token)
        self.assertRefused(resp, 401)
        resp = other.post_form("/r/business", VALID, token=token)
        self.assertRefused(resp, 403)
        self.assertNothingWritten()

    def test_csrf_cross_origin(self):
        """The right token with Origin http://evil.example is 403."""
        resp = self.c.post_form("/r/business", VALID,
                                headers={"Origin": "http://evil.example"})
        self.assertRefused(resp, 403)
        resp = self.c.post_form("/r/business", VALID, headers={"Origin": "null"})
        self.assertRefused(resp, 403)
        resp = self.c.post_json("/api/v1/business", {"name": "x", "is_core": True,
                                                     "mtd_kind": "owner"},
                                headers={"Origin": "http://evil.example"})
        self.assertEqual(resp.status, 403, resp)
        self.assertNothingWritten()

    def test_csrf_sec_fetch_site(self):
        """The right token with Sec-Fetch-Site: cross-site is 403."""
        for site in ("cross-site", "same-site"):
            resp = self.c.post_form("/r/business", VALID, headers={"Sec-Fetch-Site": site})
            self.assertRefused(resp, 403)
        self.assertNothingWritten()
        resp = self.c.post_form("/r/business", VALID,
                                headers={"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(resp.status, 303, resp)

    def test_csrf_archive(self):
        """Archiving without the token is 403 and leaves the record active."""
        resp = self.c.post_form("/r/business/1/archive", {}, token=None)
        self.assertRefused(resp, 403)
        self.assertNothingWritten()

    # ---- JSON ----

    def test_json_wrong_media_type(self):
        """JSON sent as text/plain is 415 and writes nothing."""
        resp = self.c.post_json("/api/v1/business",
                                {"name": "x", "is_core": True, "mtd_kind": "owner"},
                                headers={"Content-Type": "text/plain"})
        self.assertEqual(resp.status, 415, resp)
        self.assertEqual(resp.header("Content-Type"), "application/json")
        resp = self.c.post_form("/api/v1/business", {"name": "x"})
        self.assertEqual(resp.status, 415, resp)
        self.assertNothingWritten()

    def test_malformed_json(self):
        """Malformed or non-object JSON is 400."""
        for body in (b'{"name": "x",', b"[1, 2]", b"", b'"name"',
                     b'{"name": "a", "name": "b", "is_core": true, "mtd_kind": "owner"}'):
            with self.subTest(body=body):
                resp = self.c.post_json("/api/v1/business", body)
                self.assertEqual(resp.status, 400, resp)
                self.assertEqual(resp.json()["error"], "invalid")
        self.assertNothingWritten()

    def test_unknown_json_key(self):
        """An unknown JSON key is 400 naming it."""
        resp = self.c.post_json("/api/v1/business", {"name": "x", "is_core": True,
                                                     "mtd_kind": "owner", "colour": "red"})
        self.assertEqual(resp.status, 400, resp)
        self.assertIn("colour", [f["field"] for f in resp.json()["fields"]])
        resp = self.c.patch_json("/api/v1/business/1", {"nmae": "typo"})
        self.assertEqual(resp.status, 400, resp)
        self.assertIn("nmae", [f["field"] for f in resp.json()["fields"]])
        self.assertNothingWritten()

    # ---- parameters ----

    def test_undeclared_form_params_dropped(self):
        """archived=1 and id=99 in a create form are ignored."""
        resp = self.c.post_form("/r/business",
                                dict(VALID, archived="1", id="99", version="7",
                                     created_at="2000-01-01T00:00:00Z"))
        self.assertEqual(resp.status, 303, resp)
        rid = int(resp.header("Location").rsplit("/", 1)[1])
        self.assertNotEqual(rid, 99)
        rec = self.c.get("/api/v1/business/%d" % rid).json()
        self.assertIs(rec["archived"], False)
        self.assertEqual(rec["version"], 1)
        self.assertNotEqual(rec["created_at"], "2000-01-01T00:00:00Z")
        self.assertEqual(self.c.get("/api/v1/business/99").status, 404)

    def test_bad_list_params(self):
        """per_page=100000 and page=abc are 400 on pages and the API."""
        for query in ({"per_page": 100000}, {"page": "abc"}, {"page": 0},
                      {"archived": 3}):
            with self.subTest(query=query):
                self.assertRefused(self.c.get(url("/r/business", **query)), 400)
                resp = self.c.get(url("/api/v1/business", **query))
                self.assertEqual(resp.status, 400, resp)
                self.assertEqual(resp.json()["error"], "invalid")

    def test_long_header(self):
        """A 100 KiB header gets an error status (4xx) and the server stays up."""
        extra = "X-Filler: %s\r\nConnection: close\r\n" % ("a" * (100 * 1024))
        status, head, _ = raw_request(self.server.port, self.head("/", extra, method="GET"))
        self.assertIsNotNone(status, "connection closed without a response")
        self.assertTrue(400 <= status < 500, head[:200])

    def test_many_headers(self):
        """More than 64 request headers (REQ_MAX_HEADERS) are 431."""
        extra = "".join("X-H%d: v\r\n" % i for i in range(1000)) + "Connection: close\r\n"
        status, head, _ = raw_request(self.server.port, self.head("/", extra, method="GET"))
        self.assertEqual(status, 431, head[:200])

    def test_many_query_params(self):
        """2000 query parameters: the connection is dropped within 3 s and the server stays up.

        libmicrohttpd 0.9.75 parses query arguments into its per-connection
        memory pool before isms sees the request; when they do not fit it
        cannot send any response.  isms shortens that connection's timeout
        to one second (server.c on_uri), so the client is not left hanging
        for the 30 s idle timeout.  Up to 512 parameters isms itself answers
        431 (test_600_query_params).
        """
        query = "&".join("p%d=1" % i for i in range(2000))
        started = time.monotonic()
        try:
            status, head, _ = raw_request(
                self.server.port,
                self.head("/r/business?" + query, "Connection: close\r\n", method="GET"),
                timeout=3)
        except TimeoutError:
            self.fail("the connection was still open after 3 s")
        self.assertLess(time.monotonic() - started, 3)
        if status is not None:
            self.assertTrue(400 <= status < 500, head[:200])
        self.assertEqual(self.c.get("/").status, 200)

    def test_600_query_params(self):
        """600 query parameters (more than the 512 kept) are 431."""
        query = "&".join("p%d=1" % i for i in range(600))
        self.assertRefused(self.c.get("/r/business?" + query), 431)


if __name__ == "__main__":
    harness.main()
