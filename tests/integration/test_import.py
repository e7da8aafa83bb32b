"""CSV import and export: the HTML upload, the API and the CLI; all or
nothing, error lines, headers by label or code, BOM, quoted newlines,
UTF-8, formula injection and the export → import round trip."""

import csv
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check_html, db_count, db_query, db_state  # noqa: E402

CODES = "seq,name,is_core,description,mtd_kind,mtd_hours"
LABELS = "項次,業務名稱,核心業務,業務內容,最大可容忍中斷時間,最大可容忍中斷時數"
CSV_UTF8_MSG = "檔案不是有效的 UTF-8 編碼"


def csv_bytes(header, *rows):
    """A CSV file (CRLF lines) of a header line and data lines."""
    return ("\r\n".join((header,) + rows) + "\r\n").encode("utf-8")


def good_rows(tag):
    """Three valid data rows for the CODES columns; names carry tag."""
    return ("801,%s甲,1,甲的說明,hours,8" % tag,
            "802,%s乙,否,,由系統權管單位訂之," % tag,
            "803,%s丙,0,,undefined," % tag)


class ImportTest(harness.ServedTestCase):

    def setUp(self):
        super().setUp()
        self.c.page("/r/business/import")

    def upload(self, data, filename="business.csv"):
        """POST data as the file of the import form."""
        return self.c.post_multipart("/r/business/import",
                                     files={"file": (filename, data, "text/csv")})

    def count(self, where="1"):
        """Business rows matching where."""
        return db_count(self.db, "business", where)

    def names(self, like):
        """Names of business rows whose name is LIKE like."""
        return [r[0] for r in db_query(self.db, "SELECT name FROM business WHERE name LIKE ?"
                                       " ORDER BY id", (like,))]

    def assertImportRefused(self, resp):
        """resp is the 400 import page, clean HTML."""
        self.assertEqual(resp.status, 400, resp)
        check_html(self, resp.body, "import errors")
        self.assertContains('class="error-summary"', resp.text)

    # ---- the HTML upload ----

    def test_upload_three_rows(self):
        """Three good rows import (success page) and add three records."""
        before = self.count()
        resp = self.upload(csv_bytes(CODES, *good_rows("上傳")))
        self.assertEqual(resp.status, 200, resp)
        check_html(self, resp.body, "import done")
        self.assertContains("已匯入 3 筆（新增 3 筆，更新 0 筆）", resp.text)
        self.assertEqual(self.count(), before + 3)
        self.assertEqual(db_query(self.db, "SELECT is_core, mtd_kind, mtd_hours FROM business"
                                  " WHERE name = '上傳甲'"), [(1, "hours", 8)])
        self.assertEqual(db_query(self.db, "SELECT is_core, mtd_kind FROM business"
                                  " WHERE name = '上傳乙'"), [(0, "owner")])

    def test_upload_bad_third_row_writes_nothing(self):
        """A bad mtd_kind on line 4 names 第 4 列 and the label; nothing is written."""
        state = db_state(self.db)
        rows = list(good_rows("壞列"))
        rows[2] = "803,壞列丙,0,,forever,"
        resp = self.upload(csv_bytes(CODES, *rows))
        self.assertImportRefused(resp)
        self.assertRegex(resp.text, r"<tr><td>第 4 列</td><td>最大可容忍中斷時間</td><td>[^<]+</td></tr>")
        self.assertNotContains("第 2 列", resp.text)
        self.assertEqual(db_state(self.db), state)

    def test_headers_by_label(self):
        """zh-TW labels work as column headers."""
        resp = self.upload(csv_bytes(LABELS, *good_rows("標籤")))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(self.names("標籤%"), ["標籤甲", "標籤乙", "標籤丙"])

    def test_headers_by_code_and_english(self):
        """Field codes and English labels work as column headers."""
        resp = self.upload(csv_bytes(CODES, *good_rows("代碼")))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(self.names("代碼%"), ["代碼甲", "代碼乙", "代碼丙"])
        resp = self.upload(csv_bytes("Business,Core business,Maximum tolerable downtime",
                                     "英文標頭,no,owner"))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(self.names("英文標頭"), ["英文標頭"])

    def test_bom(self):
        """A UTF-8 BOM before the header is skipped."""
        resp = self.upload(b"\xef\xbb\xbf" + csv_bytes(LABELS, *good_rows("BOM")))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(self.names("BOM%"), ["BOM甲", "BOM乙", "BOM丙"])

    def test_quoted_newlines_kept(self):
        """A newline inside a quoted cell is kept in the stored value."""
        data = csv_bytes(CODES, '811,"換行, ""引號""",0,"第一行\n第二行\r\n第三行",owner,')
        resp = self.upload(data)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(db_query(self.db, "SELECT description FROM business"
                                  " WHERE name = ?", ('換行, "引號"',)),
                         [("第一行\n第二行\n第三行",)])

    def test_invalid_utf8_file(self):
        """A file that is not UTF-8 (Big5) is 400 with the UTF-8 message."""
        state = db_state(self.db)
        data = csv_bytes(CODES) + "901,大五碼,0,,owner,\r\n".encode("big5")
        resp = self.upload(data)
        self.assertImportRefused(resp)
        self.assertContains(CSV_UTF8_MSG, resp.text)
        self.assertContains("第 2 列", resp.text)
        self.assertEqual(db_state(self.db), state)

    def test_unknown_column(self):
        """An unknown header is 400 naming the column."""
        state = db_state(self.db)
        resp = self.upload(csv_bytes(CODES + ",顏色", "821,未知欄,0,,owner,,紅"))
        self.assertImportRefused(resp)
        self.assertContains("<td>顏色</td>", resp.text)
        self.assertContains("無法辨識的欄位名稱", resp.text)
        self.assertEqual(db_state(self.db), state)

    def test_no_file(self):
        """Submitting the form without a file is 400, not a crash."""
        resp = self.c.post_multipart("/r/business/import", fields={"x": "1"})
        self.assertImportRefused(resp)

    # ---- export and round trip ----

    def export(self):
        """GET /r/business/export.csv (all records) as rows of cells."""
        resp = self.c.get("/r/business/export.csv?archived=2")
        self.assertEqual(resp.status, 200, resp)
        self.assertTrue(resp.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", resp.header("Content-Disposition"))
        self.assertTrue(resp.body.startswith(b"\xef\xbb\xbf"))
        return resp.body, list(csv.reader(io.StringIO(resp.body[3:].decode("utf-8"),
                                                      newline="")))

    def test_formula_injection_and_round_trip(self):
        """Formula cells are exported with a ' prefix and re-import unchanged, as updates only."""
        payloads = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "'=quoted"]
        ids = []
        for p in payloads:
            resp = self.c.post_json("/api/v1/business", {"name": p, "is_core": False,
                                                         "mtd_kind": "owner"})
            self.assertEqual(resp.status, 201, resp)
            ids.append(resp.json()["id"])
        raw, rows = self.export()
        header = rows[0]
        self.assertEqual(header[:3], ["id", "項次", "業務名稱"])
        by_id = {r[0]: r for r in rows[1:]}
        for rid, p in zip(ids, payloads):
            self.assertEqual(by_id[str(rid)][2], "'" + p)
        self.assertContains(b"'=HYPERLINK(\"\"http://x\"\")", raw)
        versions = db_query(self.db, "SELECT id, version, name FROM business ORDER BY id")
        total = self.count()
        resp = self.upload(raw, "export.csv")
        self.assertEqual(resp.status, 200, resp)
        # Every row has an id and unchanged values: nothing is added and no
        # record counts as updated.
        self.assertContains("已匯入 %d 筆（新增 0 筆，更新 0 筆）" % total, resp.text)
        self.assertEqual(self.count(), total)
        for rid, p in zip(ids, payloads):
            self.assertEqual(db_query(self.db, "SELECT name FROM business WHERE id = ?",
                                      (rid,)), [(p,)])
        # Re-importing an unchanged export changes no record.
        self.assertEqual(db_query(self.db, "SELECT id, version, name FROM business ORDER BY id"),
                         versions)

    # ---- the API ----

    def post_csv(self, data):
        """POST data to the import API as text/csv."""
        return self.c.request("POST", "/api/v1/business/import", body=data,
                              headers={"Content-Type": "text/csv; charset=utf-8",
                                       "Origin": self.c.origin})

    def test_api_import(self):
        """The API imports text/csv and answers {rows, created, updated}."""
        resp = self.post_csv(csv_bytes(CODES, *good_rows("API")))
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json(), {"rows": 3, "created": 3, "updated": 0})
        rid = db_query(self.db, "SELECT id FROM business WHERE name = 'API乙'")[0][0]
        resp = self.post_csv(csv_bytes("id,core_system", "%d,更新系統" % rid))
        self.assertEqual(resp.json(), {"rows": 1, "created": 0, "updated": 1})
        self.assertEqual(db_query(self.db, "SELECT name, core_system FROM business WHERE id = ?",
                                  (rid,)), [("API乙", "更新系統")])

    def test_api_import_bad_row(self):
        """A bad row makes the API answer 400 listing line and field; nothing is written."""
        state = db_state(self.db)
        rows = list(good_rows("API壞"))
        rows[1] = "802,API壞乙,maybe,,owner,"
        resp = self.post_csv(csv_bytes(CODES, *rows))
        self.assertEqual(resp.status, 400, resp)
        body = resp.json()
        self.assertEqual(body["error"], "invalid")
        self.assertEqual([(e["line"], e["field"]) for e in body["rows"]], [(3, "is_core")])
        self.assertEqual(db_state(self.db), state)

    def test_api_import_wrong_media_type(self):
        """The import API refuses a body that is not text/csv with 415."""
        state = db_state(self.db)
        resp = self.c.request("POST", "/api/v1/business/import",
                              body=csv_bytes(CODES, *good_rows("型別")),
                              headers={"Content-Type": "application/json"})
        self.assertEqual(resp.status, 415, resp)
        self.assertEqual(db_state(self.db), state)


class CliImportTest(unittest.TestCase):

    def setUp(self):
        self.dir = harness.make_tempdir(self).name
        self.db = harness.init_db(os.path.join(self.dir, "cli.db"))

    def write(self, name, data):
        """Write data to a file in the temp dir; returns its path."""
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_cli_bad_row_writes_nothing(self):
        """isms import with a bad row exits non-zero, names the line on stderr, writes nothing."""
        rows = list(good_rows("命令列"))
        rows[2] = "803,命令列丙,0,,forever,"
        path = self.write("bad.csv", csv_bytes(CODES, *rows))
        state = db_state(self.db)
        res = harness.run("import", "business", path, "--db", self.db)
        err = res.stderr.decode("utf-8")
        self.assertNotEqual(res.returncode, 0, err)
        self.assertIn("line 4: mtd_kind", err)
        self.assertEqual(res.stdout, b"")
        self.assertEqual(db_state(self.db), state)
        # The same in Traditional Chinese, the language when LANG does not
        # ask for English.
        res = harness.run("import", "business", path, "--db", self.db,
                          env={"ISMS_LANG": "", "LC_ALL": "", "LC_MESSAGES": "",
                               "LANG": "C.UTF-8"})
        err = res.stderr.decode("utf-8")
        self.assertNotEqual(res.returncode, 0, err)
        self.assertIn("匯入失敗，沒有任何資料被寫入", err)
        self.assertIn("第 4 列：mtd_kind：請從選項中選擇", err)
        self.assertEqual(db_state(self.db), state)

    def test_cli_good_file(self):
        """isms import of three good rows reports them and adds them."""
        path = self.write("good.csv", csv_bytes(LABELS, *good_rows("命令列")))
        res = harness.run("import", "business", path, "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("imported 3 rows (3 added, 0 updated)", res.stdout.decode("utf-8"))
        self.assertEqual(db_count(self.db, "business", "name LIKE '命令列%'"), 3)


if __name__ == "__main__":
    harness.main()
