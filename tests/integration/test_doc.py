"""The document writer (src/reports/doc.c, odt.c, pdf.c) checked by
outside readers: the sample document of tests/unit/reports/doc_sample.h
(Chinese text in every kind of block, an ROC date, a 200-row table, a
row taller than a page, hostile strings, the signature block), written
by tests/integration/doc_sample.c, is

- as ODT: opened by Debian's python3-odf, converted to text and to PDF
  by LibreOffice headless; every text is there, the hostile strings
  intact, the footer's page fields count the pages, the table's header
  row repeats on the pages the table reaches;
- as PDF: read back by pdftotext (every paragraph, field and cell), with
  the Noto CJK font embedded (pdffonts), more than one page, "第 1 頁，
  共 N 頁" on the first page and the header row on every page of the
  table, the title in the metadata (pdfinfo).

Environment: ISMS_DOC_SAMPLE names the doc_sample program (ctest sets
it; build/dev/tests/doc_sample beside ISMS_BIN otherwise)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    from odf import opendocument, table as odf_table, text as odf_text  # noqa: E402
    from odf.namespaces import TABLENS, TEXTNS  # noqa: E402
except ImportError:
    # Debian's modules; the first python3 on PATH may be another one.
    sys.path.append("/usr/lib/python3/dist-packages")
    from odf import opendocument, table as odf_table, text as odf_text  # noqa: E402
    from odf.namespaces import TABLENS, TEXTNS  # noqa: E402

SAMPLE = os.environ.get("ISMS_DOC_SAMPLE") or os.path.join(
    os.path.dirname(harness.BIN), "tests", "doc_sample")
TITLE = "資通安全事件調查、處理及改善報告"
HEADER = "資產名稱"  # a header cell of the long table, used nowhere else
FOOTER = "本報告含機敏資訊，請依規定保管"


def squeeze(s):
    """s without white space: readers break lines and add spaces where
    the layout put them."""
    return re.sub(r"\s+", "", s)


def tool(name):
    path = shutil.which(name)
    if not path:
        raise AssertionError(name + " is not installed: run tools/deps.sh test")
    return path


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, timeout=240,
                          **kw)


def pdf_pages(path):
    out = run([tool("pdfinfo"), path]).stdout.decode("utf-8")
    return int(re.search(r"^Pages:\s+(\d+)$", out, re.M).group(1))


def pdf_text(path, page=None):
    args = [tool("pdftotext"), "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return run(args + [path, "-"]).stdout.decode("utf-8")


def odf_node_text(node):
    """The text of an odf element as LibreOffice shows it: text:s as
    spaces, text:tab as a tab, text:line-break as a line end."""
    out = []
    for n in node.childNodes:
        if n.nodeType == n.TEXT_NODE:
            out.append(str(n))
        elif n.qname == (TEXTNS, "s"):
            out.append(" " * int(n.attributes.get((TEXTNS, "c"), 1)))
        elif n.qname == (TEXTNS, "tab"):
            out.append("\t")
        elif n.qname == (TEXTNS, "line-break"):
            out.append("\n")
        else:
            out.append(odf_node_text(n))
    return "".join(out)


class DocTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="isms-doc-")
        cls.dir = cls.tmp.name
        r = subprocess.run([SAMPLE, cls.dir], capture_output=True,
                           timeout=120)
        if r.returncode != 0:
            raise AssertionError("doc_sample failed: %r" % (r.stderr,))
        with open(os.path.join(cls.dir, "sample.json"), encoding="utf-8") as fh:
            cls.want = json.load(fh)
        cls.odt = os.path.join(cls.dir, "sample.odt")
        cls.pdf = os.path.join(cls.dir, "sample.pdf")
        cls.lo = None

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def libreoffice(self, fmt, ext):
        """The ODT converted by LibreOffice to fmt; the output's path."""
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.assertIsNotNone(soffice,
                             "soffice not installed: run tools/deps.sh test")
        out = os.path.join(self.dir, "lo-" + ext)
        run([soffice, "--headless", "--norestore",
             "-env:UserInstallation=file://" + self.dir + "/profile",
             "--convert-to", fmt, "--outdir", out, self.odt])
        return os.path.join(out, "sample." + ext)

    def assert_all_texts(self, text, where):
        flat = squeeze(text)
        missing = [t for t in self.want["texts"] if squeeze(t) not in flat]
        self.assertEqual(missing, [], "texts missing from " + where)

    # ---- the sample itself ----

    def test_sample_is_complete(self):
        texts = self.want["texts"]
        self.assertEqual(self.want["rows"], 200)
        for h in self.want["hostile"]:
            self.assertIn(h, texts)
        self.assertIn("製表日期：民國115年1月7日", texts)
        self.assertIn("長列第%d行" % self.want["tall_lines"], texts)

    # ---- ODT ----

    def test_odt_python_odf(self):
        doc = opendocument.load(self.odt)
        paras = [odf_node_text(p) for p in
                 doc.text.getElementsByType(odf_text.P) +
                 doc.text.getElementsByType(odf_text.H)]
        lines = set()
        for p in paras:
            lines.update(p.split("\n"))
        missing = [t for t in self.want["texts"]
                   if t not in lines and t != FOOTER]
        self.assertEqual(missing, [])
        # The hostile strings are whole cells, unchanged.
        cells = [odf_node_text(c) for c in
                 doc.text.getElementsByType(odf_table.TableCell)]
        for h in self.want["hostile"]:
            self.assertIn(h, cells)
        # The long table: a header row, then every row; the cells are
        # strings, never formulas.
        tables = doc.text.getElementsByType(odf_table.Table)
        long_table = [t for t in tables
                      if t.getElementsByType(odf_table.TableHeaderRows)
                      and HEADER in odf_node_text(t)][0]
        head = long_table.getElementsByType(odf_table.TableHeaderRows)[0]
        self.assertEqual([odf_node_text(c) for c in
                          head.getElementsByType(odf_table.TableCell)],
                         ["編號", "資產名稱", "資產類別", "說明"])
        self.assertEqual(len(long_table.getElementsByType(
            odf_table.TableRow)), 201)
        for c in long_table.getElementsByType(odf_table.TableCell):
            self.assertNotIn((TABLENS, "formula"), c.attributes)
        # The footer lives in the master page, with the page fields.
        footer = odf_node_text(doc.masterstyles)
        self.assertIn(FOOTER, footer)
        self.assertIn("第 1 頁，共 1 頁", footer)  # the fields' placeholders
        self.assertIn(TITLE, str(doc.meta))

    def test_odt_libreoffice_text(self):
        path = self.libreoffice("txt:Text (encoded):UTF8", "txt")
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        lines = set(line.strip() for line in text.split("\n"))
        # Every paragraph, field and cell (the footer is not in the text
        # export); the hostile strings are whole lines.
        missing = [t for t in self.want["texts"]
                   if squeeze(t) not in squeeze(text) and t != FOOTER]
        self.assertEqual(missing, [])
        for h in self.want["hostile"]:
            self.assertIn(h, lines)
        # The numbered list is numbered.
        self.assertIn("1. 通報主管機關並取得通報編號", lines)
        self.assertIn("3. 保全證據並計算 SHA-256 雜湊值", lines)

    def test_odt_libreoffice_pages(self):
        path = self.libreoffice("pdf", "pdf")
        n = pdf_pages(path)
        self.assertGreater(n, 1)
        first = pdf_text(path, 1)
        self.assertIn("第 1 頁，共 %d 頁" % n, first)
        self.assertIn(FOOTER, first)
        self.assertIn("第 %d 頁，共 %d 頁" % (n, n), pdf_text(path, n))
        # The long table's header row is on every page it reaches.
        pages = [pdf_text(path, i) for i in range(1, n + 1)]
        on = [i for i, p in enumerate(pages) if "主機-" in p]
        self.assertGreater(len(on), 1)
        for i in on:
            self.assertIn(HEADER, pages[i], "page %d" % (i + 1))
        self.assert_all_texts("".join(pages), "LibreOffice's PDF")

    # ---- PDF ----

    def test_pdf_text(self):
        text = pdf_text(self.pdf)
        self.assert_all_texts(text, "pdftotext")
        lines = set(line.strip() for line in text.split("\n"))
        for h in self.want["hostile"]:
            self.assertIn(h, lines)
        # The row taller than a page comes out whole and in order.
        at = [text.find("長列第%d行\n" % i)
              for i in range(1, self.want["tall_lines"] + 1)]
        self.assertNotIn(-1, at)
        self.assertEqual(at, sorted(at))

    def test_pdf_pages_and_footer(self):
        n = pdf_pages(self.pdf)
        self.assertGreater(n, 1)
        pages = [pdf_text(self.pdf, i) for i in range(1, n + 1)]
        for i, page in enumerate(pages):
            self.assertIn("第 %d 頁，共 %d 頁" % (i + 1, n), page)
            self.assertIn(FOOTER, page)
        # The header row repeats on every page of the long table.
        on = [i for i, p in enumerate(pages) if "主機-" in p]
        self.assertGreater(len(on), 2)
        for i in on:
            self.assertEqual(pages[i].count(HEADER), 1, "page %d" % (i + 1))
        # The tall row spans pages: its lines are on more than one.
        tall = [i for i, p in enumerate(pages) if "長列第" in p]
        self.assertGreater(len(tall), 1)
        # The signature block, on the last page.
        for role in ("承辦人", "單位主管", "資通安全長"):
            self.assertIn(role, pages[-1])

    def test_pdf_fonts_and_metadata(self):
        out = run([tool("pdffonts"), self.pdf]).stdout.decode("utf-8")
        fonts = [line.split() for line in out.split("\n")[2:] if line]
        noto = [f for f in fonts if "NotoSansCJKtc" in f[0]]
        self.assertTrue(noto, out)
        for f in noto:
            # emb, sub, uni: embedded, subset, with a ToUnicode map
            self.assertEqual(f[-5:-2], ["yes", "yes", "yes"], out)
        self.assertTrue(any(f[0].endswith("NotoSansCJKtc-Bold") for f in noto))
        info = run([tool("pdfinfo"), self.pdf]).stdout.decode("utf-8")
        self.assertRegex(info, r"(?m)^Title:\s+%s$" % TITLE)
        self.assertRegex(info, r"(?m)^Creator:\s+isms ")
        self.assertRegex(info, r"(?m)^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)")


if __name__ == "__main__":
    harness.main()
