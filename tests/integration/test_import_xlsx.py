"""The two-step import with a column mapping (docs/pages/
register-import-map.md): the agency's asset list as an XLSX file made by
openpyxl, with Chinese headers in another order than the register's and
an extra column; the proposed mapping, the confirmed import, a bad row
that imports nothing and is named by its sheet row, and a file detected
as XLSX by content whatever its name."""

import io
import os
import re
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check_html, db_query, db_state  # noqa: E402

try:
    import openpyxl  # noqa: F401
except ImportError:  # Debian's python3-openpyxl under another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl  # noqa: E402

HEADERS = ["財產編號", "資產名稱", "保管人", "廠牌", "型號", "數量", "資產類別",
           "核心資產", "舊系統代號", "存放位置"]
# the field each header should be proposed as ("" = skip)
PROPOSED = ["property_no", "name", "keeper", "brand", "model", "quantity",
            "class", "is_core", "", "location"]


def xlsx_bytes(rows):
    """An XLSX file whose first sheet holds HEADERS and rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "資產清冊"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def asset_rows(tag):
    """Three good rows of the agency's asset list; property numbers carry
    tag."""
    return [
        ["%s-001" % tag, "%s公文伺服器" % tag, "王小明", "Dell", "R740", 2,
         "實體資產", True, "OLD-17", "機房 A"],
        ["%s-002" % tag, "%s防火牆" % tag, "陳美玲", "Fortinet", "FG-200F", 1,
         "實體資產", False, None, "機房 B"],
        ["%s-003" % tag, "%s公文系統原始碼" % tag, "林志豪", None, None, 1,
         "軟體資產", True, "OLD-20", None],
    ]


def selected(body):
    """{column index: selected option value} of the mapping form."""
    out = {}
    for m in re.finditer(r'<select name="col_(\d+)"[^>]*>(.*?)</select>',
                         body, re.S):
        sel = re.search(r'<option value="([^"]*)" selected>', m.group(2))
        out[int(m.group(1))] = sel.group(1) if sel else None
    return out


class ImportXlsxTest(harness.ServedTestCase):

    def upload(self, data, filename="資產清冊.xlsx",
               ctype="application/vnd.openxmlformats-officedocument"
                     ".spreadsheetml.sheet"):
        """Step 1; returns the response."""
        return self.c.post_multipart("/r/asset/import/upload",
                                     files={"file": (filename, data, ctype)})

    def mapping_page(self, data, **kw):
        """Steps 1 and 2: the mapping page's path and response."""
        self.c.page("/r/asset/import")
        resp = self.upload(data, **kw)
        self.assertEqual(resp.status, 303, resp)
        path = resp.header("Location")
        self.assertRegex(path, r"^/r/asset/import/\d+$")
        page = self.c.get(path)
        self.assertEqual(page.status, 200, page)
        check_html(self, page.body, "mapping page")
        return path, page

    def confirm(self, path, mapping):
        """Step 3 with mapping {index: field}."""
        return self.c.post_form(path, {"col_%d" % i: v
                                       for i, v in mapping.items()})

    def test_asset_list(self):
        """Proposed mapping from the Chinese headers, the extra column
        skipped; confirming imports the three assets."""
        path, page = self.mapping_page(xlsx_bytes(asset_rows("XL")))
        self.assertContains("XLSX 試算表", page.text)
        got = selected(page.text)
        self.assertEqual([got[i] for i in range(len(HEADERS))], PROPOSED)
        resp = self.confirm(path, dict(enumerate(PROPOSED)))
        self.assertEqual(resp.status, 200, resp)
        check_html(self, resp.body, "import done")
        self.assertContains("已匯入 3 筆（新增 3 筆，更新 0 筆）", resp.text)
        rows = db_query(self.db, "SELECT property_no, name, keeper, brand, model,"
                        " quantity, class, is_core, location FROM asset"
                        " WHERE property_no LIKE 'XL-%' ORDER BY property_no")
        self.assertEqual(rows, [
            ("XL-001", "XL公文伺服器", "王小明", "Dell", "R740", 2, "physical", 1,
             "機房 A"),
            ("XL-002", "XL防火牆", "陳美玲", "Fortinet", "FG-200F", 1, "physical",
             0, "機房 B"),
            ("XL-003", "XL公文系統原始碼", "林志豪", None, None, 1, "software", 1,
             None),
        ])
        # the kept file is gone once imported
        self.assertEqual(self.c.get(path).status, 404)

    def test_bad_row_imports_nothing(self):
        """A bad class on the sheet's row 4 names 第 4 列; nothing is written
        and the form comes back with the chosen mapping."""
        rows = asset_rows("BAD")
        rows[2][6] = "不存在的類別"
        state = db_state(self.db)
        path, _ = self.mapping_page(xlsx_bytes(rows))
        resp = self.confirm(path, dict(enumerate(PROPOSED)))
        self.assertEqual(resp.status, 400, resp)
        check_html(self, resp.body, "import errors")
        self.assertRegex(resp.text, r"<tr><td>第 4 列</td><td>資產類別</td>")
        self.assertNotContains("第 2 列", resp.text)
        self.assertNotContains("第 3 列", resp.text)
        self.assertEqual(db_state(self.db), state)
        self.assertEqual(selected(resp.text)[0], "property_no")

    def test_detected_by_content(self):
        """An XLSX named .csv with a CSV type is read as XLSX."""
        path, page = self.mapping_page(xlsx_bytes(asset_rows("REN")),
                                       filename="assets.csv", ctype="text/csv")
        self.assertContains("XLSX 試算表", page.text)
        self.assertContains("公文伺服器", page.text)

    def test_file_name_masked(self):
        """The uploaded file's name is kept masked: its personal data never
        reaches the import_upload table or the mapping page."""
        data = "編碼,品名,資產類別\r\nCSV-9,名稱遮蔽,實體資產\r\n".encode("utf-8")
        path, page = self.mapping_page(data, filename="王小明_A123456789.csv",
                                       ctype="text/csv")
        self.assertNotContains("A123456789", page.text)
        self.assertContains("王小明_&lt;TW_ID&gt;.csv", page.text)
        names = [r[0] for r in db_query(self.db, "SELECT filename FROM import_upload")]
        self.assertIn("王小明_<TW_ID>.csv", names)
        self.assertFalse(any("A123456789" in n for n in names), names)

    def test_csv_with_mapping(self):
        """A CSV whose headers are not field names maps too."""
        data = "編碼,品名,資產類別\r\nCSV-1,對應匯入,實體資產\r\n".encode("utf-8")
        path, page = self.mapping_page(data, filename="a.csv", ctype="text/csv")
        self.assertContains("CSV 文字檔", page.text)
        self.assertEqual(selected(page.text), {0: "", 1: "", 2: "class"})
        resp = self.confirm(path, {0: "property_no", 1: "name", 2: "class"})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(db_query(self.db, "SELECT name FROM asset WHERE"
                                  " property_no = 'CSV-1'"), [("對應匯入",)])

    def test_mapping_errors(self):
        """A field mapped twice, or nothing mapped, is refused."""
        path, _ = self.mapping_page(xlsx_bytes(asset_rows("MAP")))
        resp = self.confirm(path, {0: "name", 1: "name"})
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("欄位名稱重複", resp.text)
        resp = self.confirm(path, {})
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("沒有任何一欄對應到欄位", resp.text)

    def test_broken_files(self):
        """A damaged zip and a zip without a sheet are refused at upload."""
        self.c.page("/r/asset/import")
        resp = self.upload(b"PK\x03\x04" + b"\x00" * 100)
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("不是有效的 XLSX", resp.text)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        resp = self.upload(buf.getvalue())
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("XLSX 檔已損壞", resp.text)

    def test_other_account(self):
        """Another account cannot open someone's kept file."""
        path, _ = self.mapping_page(xlsx_bytes(asset_rows("OWN")))
        other = self.server.signed_in(self, login="officer2")
        self.assertEqual(other.get(path).status, 404)


if __name__ == "__main__":
    harness.main()
