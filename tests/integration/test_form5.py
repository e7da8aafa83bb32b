"""Form 5 (plan 柒.一.3, 資訊及資通系統資產清冊) exported as XLSX, ODS and
CSV: each file is opened by a real reader (Debian's python3-openpyxl and
python3-odf, and LibreOffice headless) and compared
cell by cell with the database: the title, the ROC date, the Chinese
headers, the protection level from the asset's system, and a hostile
cell that must stay text (issue 4, item 7)."""

import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import db_query  # noqa: E402

try:
    import openpyxl  # noqa: E402
    from odf import opendocument, table as odf_table, text as odf_text  # noqa: E402
    from odf.namespaces import OFFICENS  # noqa: E402
except ImportError:
    # Debian's modules; the first python3 on PATH may be another one.
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl  # noqa: E402
    from odf import opendocument, table as odf_table, text as odf_text  # noqa: E402
    from odf.namespaces import OFFICENS  # noqa: E402

HEADERS = ["資訊及資通系統名稱", "資產名稱", "資產類別", "擁有者", "管理者",
           "使用者", "存放位置", "防護需求等級", "財產編號", "保管人", "廠牌",
           "型號", "數量", "核心資產", "含第三方元件", "危害國家資通安全產品"]
CLASSES = {"info": "資訊資產", "software": "軟體資產", "physical": "實體資產",
           "service": "支援服務資產"}
LEVELS = {"low": "普", "mid": "中", "high": "高", None: "未分級"}
HOSTILE = "=cmd|' /C calc'!A0"


def roc_today():
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
    return "製表日期：民國%d年%d月%d日" % (now.year - 1911, now.month, now.day)


def expected(db, where="a.archived = 0"):
    """Form 5's data rows from the database, as the reader shows them
    (None for an empty cell, the quantity as a number)."""
    rows = db_query(db, """
        SELECT s.id, s.name, a.name, a.class, a.owner, a.custodian, a.user,
               a.location, s.level, a.property_no, a.keeper, a.brand,
               a.model, a.quantity, a.is_core, a.third_party, a.ns_concern
        FROM asset a LEFT JOIN system s ON s.id = a.system
        WHERE %s ORDER BY a.name, a.id""" % where)
    out = []
    yes = {1: "是", 0: "否", None: None}
    for r in rows:
        sid = r[0]
        out.append([r[1], r[2], CLASSES[r[3]], r[4], r[5], r[6], r[7],
                    LEVELS[r[8]] if sid else None, r[9], r[10], r[11], r[12],
                    r[13], yes[r[14]], yes[r[15]], yes[r[16]]])
    return out


def ods_rows(data):
    """Rows of the first table of an .ods: (value, value type) per cell,
    trailing empty cells dropped."""
    doc = opendocument.load(io.BytesIO(data))
    tab = doc.spreadsheet.getElementsByType(odf_table.Table)[0]
    rows = []
    for tr in tab.getElementsByType(odf_table.TableRow):
        cells = []
        for tc in tr.getElementsByType(odf_table.TableCell):
            kind = tc.attributes.get((OFFICENS, "value-type"))
            paras = ["".join(str(n) for n in p.childNodes)
                     for p in tc.getElementsByType(odf_text.P)]
            if kind == "float":
                cells.append((int(tc.attributes[(OFFICENS, "value")]), kind))
            elif paras:
                cells.append(("\n".join(paras), kind))
            else:
                cells.append((None, kind))
        while cells and cells[-1][0] is None:
            cells.pop()
        rows.append(cells)
    return rows


class Form5Test(harness.ServedTestCase):
    def get(self, ext, query=""):
        r = self.c.get("/r/asset/form5.%s%s" % (ext, query))
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn('filename="form5.%s"' % ext,
                      r.header("Content-Disposition"))
        return r

    def title(self):
        agency = db_query(self.db, "SELECT name FROM agency LIMIT 1")[0][0]
        return agency + " 資訊及資通系統資產清冊"

    def check_sheet(self, rows, want):
        """rows: lists of plain values from a reader."""
        self.assertEqual(rows[0][0], self.title())
        self.assertEqual(rows[1][0], roc_today())
        self.assertEqual(rows[2], HEADERS)
        body = [r + [None] * (16 - len(r)) for r in rows[3:]]
        self.assertEqual(len(body), len(want))
        for got, exp in zip(body, want):
            self.assertEqual(got, exp)

    def test_demo_xlsx(self):
        want = expected(self.db)
        self.assertGreaterEqual(len(want), 14)
        r = self.get("xlsx")
        self.assertTrue(r.header("Content-Type").startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"))
        wb = openpyxl.load_workbook(io.BytesIO(r.body))
        ws = wb.worksheets[0]
        self.assertEqual(ws.title, "資產清冊")
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        self.check_sheet(rows, want)
        self.assertTrue(ws.cell(row=3, column=1).font.b)
        self.assertEqual(ws.cell(row=4, column=2).font.name, "Noto Sans CJK TC")
        # The demo website is graded 中; its assets say so.
        site = [w for w in want if w[0] == "高雄市政府新聞局官網"]
        self.assertTrue(site)
        self.assertTrue(all(w[7] == "中" for w in site))
        # Audited, after the read.
        ev = db_query(self.db, "SELECT actor, object, detail FROM audit_event "
                      "WHERE action = 'export' ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(ev, ("officer1", "asset", "form5 xlsx, all"))

    def test_demo_ods(self):
        r = self.get("ods")
        self.assertEqual(r.header("Content-Type"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        z = zipfile.ZipFile(io.BytesIO(r.body))
        first = z.infolist()[0]
        self.assertEqual(first.filename, "mimetype")
        self.assertEqual(first.compress_type, zipfile.ZIP_STORED)
        styles = z.read("styles.xml").decode("utf-8")
        self.assertIn('fo:language="zh" fo:country="TW"', styles)
        self.assertIn("Noto Sans CJK TC", styles)
        rows = ods_rows(r.body)
        self.check_sheet([[v for v, _ in row] for row in rows],
                         expected(self.db))
        # Text cells are strings; the quantity is a number.
        self.assertEqual(rows[3][1][1], "string")
        self.assertEqual(rows[3][12][1], "float")

    def test_demo_csv(self):
        r = self.get("csv")
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"),
                                           newline="")))
        conv = [[None if v == "" else v for v in row] for row in rows]
        want = [[None if v is None else str(v) for v in w]
                for w in expected(self.db)]
        self.check_sheet(conv, want)

    def test_filters(self):
        want = expected(self.db, "a.archived = 0 AND a.class = 'physical'")
        self.assertTrue(want)
        wb = openpyxl.load_workbook(io.BytesIO(
            self.get("xlsx", "?f_class=physical").body))
        rows = [list(x) for x in wb.worksheets[0].iter_rows(values_only=True)]
        self.check_sheet(rows, want)
        ev = db_query(self.db, "SELECT detail FROM audit_event WHERE "
                      "action = 'export' ORDER BY id DESC LIMIT 1")[0][0]
        self.assertEqual(ev, "form5 xlsx, filtered")

    def test_other_registers(self):
        for ext in ("xlsx", "ods", "csv"):
            self.assertEqual(self.c.get("/r/system/form5." + ext).status, 404)
        self.assertEqual(self.anonymous().get("/r/asset/form5.xlsx").status,
                         303)

    def test_links(self):
        r = self.c.page("/r/asset?f_is_core=1")
        for ext in ("xlsx", "ods", "csv"):
            self.assertContains('href="/r/asset/form5.%s?page=1&amp;'
                                'f_is_core=1"' % ext, r.text)

    def test_zz_hostile_cell(self):
        # Named zz_ so it runs last: it adds an asset.
        self.c.page("/r/asset/new")
        r = self.c.post_form("/r/asset", {"name": HOSTILE, "class": "info",
                                          "owner": "@SUM(1+1)"})
        self.assertEqual(r.status, 303, r.text[:400])
        q = "?q=" + "calc"
        wb = openpyxl.load_workbook(io.BytesIO(self.get("xlsx", q).body))
        ws = wb.worksheets[0]
        self.assertEqual(ws.cell(row=4, column=2).value, HOSTILE)
        self.assertEqual(ws.cell(row=4, column=2).data_type, "s")
        self.assertEqual(ws.cell(row=4, column=4).value, "@SUM(1+1)")
        self.assertEqual(ws.cell(row=4, column=4).data_type, "s")
        rows = ods_rows(self.get("ods", q).body)
        self.assertEqual(rows[3][1], (HOSTILE, "string"))
        self.assertEqual(rows[3][3], ("@SUM(1+1)", "string"))
        text = self.get("csv", q).body.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[3][1], "'" + HOSTILE)
        self.assertEqual(rows[3][3], "'@SUM(1+1)")

    def test_libreoffice(self):
        # LibreOffice itself (tools/deps.sh test installs it) opens both
        # files and writes them back as CSV; every cell must match.
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.assertIsNotNone(soffice, "soffice not installed: run tools/deps.sh test")
        want = [[None if v is None else str(v) for v in w]
                for w in expected(self.db)]
        with tempfile.TemporaryDirectory() as d:
            for ext in ("xlsx", "ods"):
                src = os.path.join(d, "form5." + ext)
                with open(src, "wb") as fh:
                    fh.write(self.get(ext).body)
                out = os.path.join(d, ext)
                subprocess.run([soffice, "--headless", "--norestore",
                                "-env:UserInstallation=file://" + d + "/profile",
                                "--convert-to",
                                "csv:Text - txt - csv (StarCalc):44,34,76",
                                "--outdir", out, src], check=True,
                               capture_output=True, timeout=180)
                with open(os.path.join(out, "form5.csv"),
                          encoding="utf-8", newline="") as fh:
                    rows = [[None if v == "" else v for v in row]
                            for row in csv.reader(fh)]
                self.check_sheet(rows, want)

if __name__ == "__main__":
    harness.main()
