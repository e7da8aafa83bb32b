"""Asset labels (plan 柒.一.4): the printable A4 sheet with property
number, keeper, brand, model, the core mark and a QR code per asset that
opens the asset's page; the list's filters select the labels; other
registers have no labels."""

import base64
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import db_query  # noqa: E402

QR_RE = re.compile(r'<img class="qr" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" '
                   r'alt="([^"]*)">')


class LabelsTest(harness.ServedTestCase):
    demo = False

    def add_asset(self, name, pno, core, keeper="王小明"):
        self.c.page("/r/asset/new")
        r = self.c.post_form("/r/asset", {
            "name": name, "class": "physical", "property_no": pno,
            "keeper": keeper, "brand": "Acer", "model": "M-%s" % pno,
            "is_core": "1" if core else "0"})
        self.assertEqual(r.status, 303, r.text[:400])
        return int(r.header("Location").rsplit("/", 1)[1])

    def setUp(self):
        super().setUp()
        if not db_query(self.db, "SELECT count(*) FROM asset")[0][0]:
            self.ids = [self.add_asset("伺服器甲", "LB-0001", True),
                        self.add_asset("個人電腦乙", "LB-0002", False),
                        self.add_asset("印表機丙", "LB-0003", False)]
        else:
            self.ids = [row[0] for row in
                        db_query(self.db, "SELECT id FROM asset ORDER BY id")]

    def test_sheet(self):
        r = self.c.page("/r/asset/labels")
        self.assertEqual(r.status, 200)
        body = r.text
        for pno in ("LB-0001", "LB-0002", "LB-0003"):
            self.assertContains(pno, body)
        self.assertContains("王小明", body)
        self.assertContains("M-LB-0002", body)
        self.assertContains('class="labels sheet"', body)
        self.assertContains('<button type="button" class="print" hidden>', body)
        qrs = QR_RE.findall(body)
        self.assertEqual(len(qrs), 3)
        urls = sorted(alt for _, alt in qrs)
        want = sorted("http://127.0.0.1:%d/r/asset/%d" % (self.server.port, i)
                      for i in self.ids)
        self.assertEqual(urls, want)
        for b64, _ in qrs:
            svg = base64.b64decode(b64).decode("utf-8")
            self.assertTrue(svg.startswith("<svg"), svg[:40])
            self.assertIn("<path", svg)
        # One core mark, for the core asset; no inline styles (CSP).
        self.assertEqual(body.count('class="core-mark"'), 1)
        self.assertNotIn(" style=", body)

    def test_filtered(self):
        r = self.c.page("/r/asset/labels?f_is_core=1")
        self.assertEqual(r.status, 200)
        self.assertContains("LB-0001", r.text)
        self.assertNotContains("LB-0002", r.text)
        self.assertEqual(len(QR_RE.findall(r.text)), 1)
        r = self.c.page("/r/asset/labels?q=%s" % "LB-0003")
        self.assertEqual(len(QR_RE.findall(r.text)), 1)
        self.assertContains("LB-0003", r.text)
        r = self.c.page("/r/asset/labels?asset=%d" % self.ids[1])
        self.assertEqual(len(QR_RE.findall(r.text)), 1)
        self.assertContains("LB-0002", r.text)
        self.assertEqual(self.c.get("/r/asset/labels?asset=999999").status, 404)

    def test_links(self):
        r = self.c.page("/r/asset?f_is_core=1")
        self.assertContains('href="/r/asset/labels?page=1&amp;f_is_core=1"', r.text)
        r = self.c.page("/r/asset/%d" % self.ids[0])
        self.assertContains('href="/r/asset/labels?asset=%d"' % self.ids[0], r.text)

    def test_other_registers(self):
        for reg in ("system", "business", "nosuch"):
            self.assertEqual(self.c.get("/r/%s/labels" % reg).status, 404, reg)

    def test_print_css(self):
        r = self.c.get("/static/app.css")
        self.assertEqual(r.status, 200)
        css = r.text
        self.assertIn(".labels.sheet", css)
        self.assertIn("size: A4", css)
        self.assertRegex(css, r"@media print \{[^@]*(@[^@]*)*@page")


if __name__ == "__main__":
    harness.main()
