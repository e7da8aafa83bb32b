"""Read-only pages on the demo database: content, tidy HTML, search,
filters, paging, errors, language switch, headers, caching, keep-alive."""

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check_html, list_rows, list_total, url  # noqa: E402

REGISTERS = ("agency", "org_unit", "member", "business", "policy", "goal_metric")


def esc(s):
    """s escaped as isms's HTML writer escapes text."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def demo_rows(register):
    """The rows of register in data/demo/reference-agency.json."""
    with open(os.path.join(harness.SOURCE, "data", "demo", "reference-agency.json"),
              encoding="utf-8") as f:
        data = json.load(f)
    for reg in data["registers"]:
        if reg["register"] == register:
            return reg["rows"]
    raise AssertionError("no %s in the demo data" % register)


class PagesTest(harness.ServedTestCase):

    def page(self, path, status=200):
        """GET path, check the status and the HTML; returns the text."""
        resp = self.c.page(path)
        self.assertEqual(resp.status, status, "%s: %r" % (path, resp))
        self.assertTrue(resp.header("Content-Type").startswith("text/html"))
        check_html(self, resp.body, path)
        return resp.text

    def test_home(self):
        """The home page names the reference agency and its level C."""
        body = self.page("/")
        self.assertContains("高雄市政府新聞局", body)
        self.assertContains("C 級", body)
        self.assertContains('<html lang="zh-TW">', body)

    def test_register_lists_are_clean_html(self):
        """Every register's list page answers 200 with tidy-clean HTML."""
        for name in REGISTERS:
            with self.subTest(register=name):
                self.page("/r/%s" % name)

    def test_business_list_count_and_duplicates(self):
        """/r/business shows 45 records and warns of the two duplicated names."""
        body = self.page("/r/business")
        self.assertContains("共 45 筆", body)
        warn = re.search(r'<section class="warnings".*?</section>', body, re.S)
        self.assertIsNotNone(warn, "no duplicate warning section")
        for name in ("WebITR 差勤服務系統", "高雄銀行公庫服務網"):
            self.assertContains("名稱重複：「%s」出現 2 次" % name, warn.group(0))

    def test_every_demo_business_is_listed(self):
        """All 45 business names of the demo data appear on one page."""
        body = self.page(url("/r/business", per_page=100))
        names = [r["name"] for r in demo_rows("business")]
        self.assertEqual(len(names), 45)
        self.assertEqual(list_rows(body), 45)
        for name in names:
            self.assertContains(">%s<" % esc(name), body)

    def test_search(self):
        """Search finds WebITR twice and folds 臺 and 台 together."""
        self.assertEqual(list_total(self.page(url("/r/business", q="WebITR"))), 2)
        tai = list_total(self.page(url("/r/business", q="臺")))
        self.assertGreater(tai, 0)
        self.assertEqual(list_total(self.page(url("/r/business", q="台"))), tai)

    def test_filter_core(self):
        """f_is_core=1 keeps the 3 core businesses."""
        body = self.page(url("/r/business", f_is_core=1))
        self.assertEqual(list_total(body), 3)
        self.assertEqual(list_rows(body), 3)

    def test_pagination(self):
        """per_page=10&page=5 shows the last 5 of 45 records."""
        body = self.page("/r/business?per_page=10&page=5")
        self.assertEqual(list_rows(body), 5)
        self.assertContains("第 41–45 筆，共 45 筆", body)
        self.assertContains('rel="prev"', body)
        self.assertNotIn('rel="next"', body)

    def test_record_and_edit_pages(self):
        """The record page and the edit form of business 1 are clean HTML."""
        first = demo_rows("business")[0]["name"]
        body = self.page("/r/business/1")
        self.assertContains(esc(first), body)
        body = self.page("/r/business/1/edit")
        self.assertContains('name="version"', body)
        self.assertContains('value="%s"' % esc(first), body)
        self.page("/r/business/new")
        self.page("/r/business/import")

    def test_unknown_register(self):
        """An unknown register is 404: HTML for pages, JSON for the API.
        The error page declares its (empty) icon as every page does, so
        that the browser asks for no /favicon.ico, which would be another
        404 in its console."""
        body = self.page("/r/nope", status=404)
        self.assertContains('<link rel="icon" href="data:,">', body)
        self.page("/r/business/99999", status=404)
        resp = self.c.get("/api/v1/nope")
        self.assertEqual(resp.status, 404)
        self.assertEqual(resp.header("Content-Type"), "application/json")
        self.assertEqual(resp.json()["error"], "not_found")

    def test_health_api(self):
        """GET /api/v1/health answers 200 {"status": "ok"} (ui_routes.def)."""
        resp = self.c.get("/api/v1/health")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json(), {"status": "ok"})

    def test_head(self):
        """HEAD / answers 200 with the headers and no body."""
        resp = self.c.request("HEAD", "/")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.body, b"")
        self.assertTrue(resp.header("Content-Type").startswith("text/html"))

    def test_head_content_length(self):
        """HEAD / announces no Content-Length or the one GET / sends (RFC 9110 8.6)."""
        get = self.c.get("/")
        head = self.c.request("HEAD", "/")
        length = head.header("Content-Length")
        if length is not None:
            self.assertEqual(int(length), len(get.body),
                             "HEAD announces a different Content-Length than GET sends")

    def test_method_not_allowed(self):
        """DELETE on an existing path is 405, and the list is unchanged."""
        resp = self.c.request("DELETE", "/r/business")
        self.assertEqual(resp.status, 405)
        check_html(self, resp.body, "405 page")
        self.assertEqual(list_total(self.page("/r/business")), 45)

    def test_english(self):
        """POST /lang to=en switches the shell and <html lang> to English."""
        self.c.page("/")
        resp = self.c.post_form("/lang", {"to": "en", "next": "/"})
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(resp.header("Location"), "/")
        self.assertEqual(self.c.cookies.get("lang"), "en")
        body = self.page("/")
        self.assertContains("Cyber Security Maintenance Plan System", body)
        self.assertContains('<html lang="en">', body)
        self.assertContains("Records 1–45 of 45", self.page("/r/business"))
        # And back.
        resp = self.c.post_form("/lang", {"to": "zh", "next": "/r/business"})
        self.assertEqual(resp.header("Location"), "/r/business")
        self.assertContains('<html lang="zh-TW">', self.page("/"))

    def test_lang_never_redirects_off_site(self):
        """POST /lang with next=//evil.example (or /<TAB>/, /\\, a space) redirects to / instead."""
        for bad in ("//evil.example/", "/\t/evil.example/x", "/\\evil.example",
                    "/\n/evil.example", "/ /evil.example", "http://evil.example/"):
            resp = self.c.post_form("/lang", {"to": "en", "next": bad})
            self.assertEqual(resp.status, 303, repr(bad))
            self.assertEqual(resp.header("Location"), "/", repr(bad))
        resp = self.c.post_form("/lang", {"to": "zh", "next": "/r/business?q=%E5%8F%B0&page=2"})
        self.assertEqual(resp.header("Location"), "/r/business?q=%E5%8F%B0&page=2")

    def test_security_headers_everywhere(self):
        """CSP, nosniff and Referrer-Policy are on pages, errors, API and static."""
        css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', self.page("/")).group(1)
        cases = [("GET", "/"), ("GET", "/r/business"), ("GET", "/r/nope"),
                 ("GET", "/nowhere"), ("GET", "/api/v1/business/1"),
                 ("GET", "/api/v1/nope"), ("GET", css), ("GET", "/static/nope.css"),
                 ("DELETE", "/r/business"), ("HEAD", "/"),
                 ("POST", "/r/business"),
                 ("GET", "/r/business?" + "&".join("p%d=1" % i for i in range(600)))]
        for method, path in cases:
            with self.subTest(method=method, path=path):
                resp = self.c.request(method, path)
                csp = resp.header("Content-Security-Policy") or ""
                self.assertContains("frame-ancestors 'none'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertNotIn("unsafe-eval", csp)
                self.assertEqual(resp.header("X-Content-Type-Options"), "nosniff")
                self.assertTrue(resp.header("Referrer-Policy"))

    def test_static_caching(self):
        """A hashed asset URL is cacheable with an ETag; If-None-Match gives 304."""
        css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', self.page("/")).group(1)
        resp = self.c.get(css)
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.header("Content-Type").startswith("text/css"))
        self.assertRegex(resp.header("Cache-Control") or "", r"max-age=\d+")
        etag = resp.header("ETag")
        self.assertRegex(etag or "", r'^"[^"]+"$')
        self.assertGreater(len(resp.body), 0)
        again = self.c.get(css, headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        self.assertEqual(again.header("ETag"), etag)
        # Register pages are never cached.
        self.assertEqual(self.c.get("/r/business").header("Cache-Control"), "no-store")

    def test_keep_alive(self):
        """Two requests on one connection both succeed without Connection: close."""
        conn = self.c.connection()
        try:
            first = self.c.get("/", conn=conn)
            sock = conn.sock
            self.assertIsNotNone(sock, "the server closed the connection")
            second = self.c.get("/r/business", conn=conn)
            self.assertIs(conn.sock, sock, "a new connection was opened")
        finally:
            conn.close()
        for resp in (first, second):
            self.assertEqual(resp.status, 200)
            self.assertNotEqual((resp.header("Connection") or "").lower(), "close")


class TidyCheckTest(unittest.TestCase):
    """The HTML checker itself: it must catch what the pages are checked for."""

    PAGE = ('<!DOCTYPE html>\n<html lang="zh-TW"><head><meta charset="utf-8">'
            "<title>t</title></head><body><nav><a href=\"/\" aria-current=\"page\">"
            "首頁</a></nav><main><table><tr><td>%s</td></tr></table>"
            '<input type="text" name="n" inputmode="numeric"></main></body></html>\n')

    def test_clean_page_passes(self):
        """HTML5 elements, aria-* and inputmode are not reported."""
        self.assertEqual(harness.tidy_problems(self.PAGE % "x"), [])

    def test_escaped_attribute_fails(self):
        """aria-current=&quot;page&quot; (an escaped attribute) is reported."""
        bad = self.PAGE.replace('aria-current="page"', "aria-current=&quot;page&quot;")
        self.assertTrue(harness.tidy_problems(bad))

    def test_broken_markup_fails(self):
        """An unclosed quote, a bare & and a stray tag are reported."""
        for bad in (self.PAGE.replace('name="n"', 'name="n'),
                    self.PAGE % "a & b <c",
                    self.PAGE % "<td>x</p></b>"):
            with self.subTest(bad=bad[-120:]):
                self.assertTrue(harness.tidy_problems(bad))


if __name__ == "__main__":
    harness.main()
