"""Writes through the HTML forms and the JSON API: create, validate,
escape, update with history, optimistic locking, archive and restore."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check_html, db_count, db_query, list_total, url  # noqa: E402

LOCATION_RE = re.compile(r"^/r/business/(\d+)$")


def business(**over):
    """A complete, valid business form."""
    fields = {
        "seq": "901",
        "name": "整合測試業務",
        "is_core": "1",
        "description": "第一行\n第二行",
        "core_system": "測試系統",
        "importance": "測試用",
        "failure_impact": "無",
        "mtd_kind": "hours",
        "mtd_hours": "48",
    }
    fields.update(over)
    return fields


class WritesTest(harness.ServedTestCase):

    def setUp(self):
        super().setUp()
        self.c.page("/r/business/new")

    # ---- helpers ----

    def rows(self):
        """Business rows in the database file, archived included."""
        return db_count(self.db, "business")

    def api_total(self, **query):
        """The total of GET /api/v1/business (all, archived included)."""
        query.setdefault("archived", 2)
        resp = self.c.get(url("/api/v1/business", **query))
        self.assertEqual(resp.status, 200, resp)
        return resp.json()["total"]

    def create_api(self, **fields):
        """Create a business through the API; returns the record."""
        body = {"name": "API 業務", "is_core": False, "mtd_kind": "owner"}
        body.update(fields)
        resp = self.c.post_json("/api/v1/business", body)
        self.assertEqual(resp.status, 201, resp)
        return resp.json()

    def get_api(self, rid):
        """GET /api/v1/business/<rid> as JSON."""
        resp = self.c.get("/api/v1/business/%d" % rid)
        self.assertEqual(resp.status, 200, resp)
        return resp.json()

    def field_errors(self, resp):
        """The field names of a JSON error response."""
        return [f["field"] for f in resp.json().get("fields", [])]

    # ---- tests ----

    def test_create_via_form(self):
        """A complete form creates the record and redirects (303) to it."""
        before = self.rows()
        resp = self.c.post_form("/r/business", business())
        self.assertEqual(resp.status, 303, resp)
        m = LOCATION_RE.match(resp.header("Location") or "")
        self.assertIsNotNone(m, resp.header("Location"))
        rid = int(m.group(1))
        self.assertEqual(self.rows(), before + 1)
        page = self.c.page("/r/business/%d" % rid)
        self.assertEqual(page.status, 200)
        check_html(self, page.body, "record page")
        self.assertContains("整合測試業務", page.text)
        self.assertContains("第一行\n第二行", page.text)
        rec = self.get_api(rid)
        self.assertEqual(rec["name"], "整合測試業務")
        self.assertIs(rec["is_core"], True)
        self.assertEqual(rec["mtd_hours"], 48)
        self.assertEqual(rec["version"], 1)

    def test_create_via_api_types(self):
        """POST /api/v1/business answers 201 with typed values."""
        rec = self.create_api(name="型別測試", seq=902, is_core=True,
                              mtd_kind="hours", mtd_hours=12)
        self.assertIsInstance(rec["id"], int)
        self.assertIs(rec["is_core"], True)
        self.assertEqual(rec["mtd_hours"], 12)
        self.assertIsInstance(rec["mtd_hours"], int)
        self.assertEqual(rec["seq"], 902)
        self.assertIs(rec["archived"], False)
        self.assertIsNone(rec["description"])
        rec = self.create_api(name="型別測試二", is_core=False)
        self.assertIs(rec["is_core"], False)
        self.assertIsNone(rec["mtd_hours"])
        self.assertEqual(db_query(self.db, "SELECT is_core, mtd_hours FROM business"
                                  " WHERE id = ?", (rec["id"],)), [(0, None)])

    def test_missing_name_is_refused(self):
        """A form without the required name is 400 with its field error; nothing written."""
        before, total = self.rows(), self.api_total()
        resp = self.c.post_form("/r/business", business(name=""))
        self.assertEqual(resp.status, 400, resp)
        check_html(self, resp.body, "form with errors")
        self.assertContains('class="error" id="e-name"', resp.text)
        self.assertContains('id="in-name"', resp.text)
        self.assertContains("此欄位必填", resp.text)
        # The other values are kept in the form.
        self.assertContains('value="測試系統"', resp.text)
        resp = self.c.post_json("/api/v1/business", {"is_core": True, "mtd_kind": "owner"})
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.field_errors(resp), ["name"])
        # Full-width (U+3000) and no-break spaces are no name either.
        for blank in ("\u3000\u3000", " \u00a0\u3000\t"):
            resp = self.c.post_form("/r/business", business(name=blank))
            self.assertEqual(resp.status, 400, resp)
            self.assertContains("此欄位必填", resp.text)
            resp = self.c.post_json("/api/v1/business", {"name": blank, "is_core": True,
                                                         "mtd_kind": "owner"})
            self.assertEqual(resp.status, 400, resp)
            self.assertEqual(self.field_errors(resp), ["name"])
        self.assertEqual(self.rows(), before)
        self.assertEqual(self.api_total(), total)

    def test_hours_needed_for_kind_hours(self):
        """mtd_kind=hours without mtd_hours is a field error on mtd_hours."""
        before = self.rows()
        resp = self.c.post_form("/r/business", business(mtd_hours=""))
        self.assertEqual(resp.status, 400, resp)
        self.assertContains('id="e-mtd_hours"', resp.text)
        resp = self.c.post_json("/api/v1/business", {"name": "x", "is_core": True,
                                                     "mtd_kind": "hours"})
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.field_errors(resp), ["mtd_hours"])
        # And hours are refused for other kinds.
        resp = self.c.post_json("/api/v1/business", {"name": "x", "is_core": True,
                                                     "mtd_kind": "owner", "mtd_hours": 3})
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.rows(), before)

    def test_invalid_enum(self):
        """A value outside the enum is 400 on the form and the API."""
        before = self.rows()
        resp = self.c.post_form("/r/business", business(mtd_kind="forever", mtd_hours=""))
        self.assertEqual(resp.status, 400, resp)
        self.assertContains('id="e-mtd_kind"', resp.text)
        resp = self.c.post_json("/api/v1/business", {"name": "x", "is_core": "maybe",
                                                     "mtd_kind": "forever"})
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(sorted(self.field_errors(resp)), ["is_core", "mtd_kind"])
        self.assertEqual(self.rows(), before)

    def test_dates(self):
        """approved_on 2025-02-29 is refused; the ROC date 114/11/24 is stored as 2025-11-24."""
        before = db_count(self.db, "policy")
        base = {"kind": "policy", "text": "日期測試", "status": "approved",
                "approver": "局長"}
        resp = self.c.post_json("/api/v1/policy", dict(base, approved_on="2025-02-29"))
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.field_errors(resp), ["approved_on"])
        resp = self.c.post_form("/r/policy", dict(base, approved_on="2025-02-29"))
        self.assertEqual(resp.status, 400, resp)
        self.assertContains('id="e-approved_on"', resp.text)
        self.assertEqual(db_count(self.db, "policy"), before)
        resp = self.c.post_form("/r/policy", dict(base, approved_on="114/11/24"))
        self.assertEqual(resp.status, 303, resp)
        rid = int(resp.header("Location").rsplit("/", 1)[1])
        self.assertEqual(db_query(self.db, "SELECT approved_on FROM policy WHERE id = ?",
                                  (rid,)), [("2025-11-24",)])
        resp = self.c.get("/api/v1/policy/%d" % rid)
        self.assertEqual(resp.json()["approved_on"], "2025-11-24")

    def test_script_is_escaped(self):
        """A <script> name is stored verbatim but escaped in HTML and JSON."""
        payload = "<script>alert(1)</script>"
        resp = self.c.post_form("/r/business", business(name=payload, description=payload))
        self.assertEqual(resp.status, 303, resp)
        rid = int(resp.header("Location").rsplit("/", 1)[1])
        self.assertEqual(db_query(self.db, "SELECT name FROM business WHERE id = ?", (rid,)),
                         [(payload,)])
        for path in ("/r/business/%d" % rid, "/r/business/%d/edit" % rid,
                     url("/r/business", q="alert", archived=2)):
            page = self.c.page(path)
            self.assertEqual(page.status, 200)
            self.assertContains("&lt;script&gt;alert(1)&lt;/script&gt;", page.text)
            self.assertNotContains("<script>alert", page.text)
            check_html(self, page.body, path)
        raw = self.c.get("/api/v1/business/%d" % rid)
        self.assertContains(b"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", raw.body)
        self.assertNotContains(b"<script", raw.body)
        self.assertEqual(raw.json()["name"], payload)

    def test_sql_metacharacters_stored_verbatim(self):
        """'; DROP TABLE business; -- is stored and read back exactly."""
        payload = "'; DROP TABLE business; --"
        rec = self.create_api(name=payload, core_system='a"b\\c%_')
        self.assertEqual(self.get_api(rec["id"])["name"], payload)
        self.assertEqual(db_query(self.db, "SELECT name, core_system FROM business WHERE id = ?",
                                  (rec["id"],)), [(payload, 'a"b\\c%_')])
        resp = self.c.post_form("/r/business", business(name=payload + " form"))
        self.assertEqual(resp.status, 303, resp)
        self.assertGreater(self.rows(), 45)
        page = self.c.page(url("/r/business", q="DROP TABLE"))
        self.assertEqual(list_total(page.text), 2)

    def test_edit_records_history(self):
        """An edit through the form shows 異動前/異動後 and the API history lists it."""
        rec = self.create_api(name="歷程測試", core_system="舊系統")
        rid = rec["id"]
        form = self.c.page("/r/business/%d/edit" % rid)
        self.assertContains('name="version" value="1"', form.text)
        resp = self.c.post_form("/r/business/%d" % rid,
                                {"version": "1", "name": "歷程測試", "is_core": "0",
                                 "mtd_kind": "owner", "core_system": "新系統"})
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(resp.header("Location"), "/r/business/%d" % rid)
        page = self.c.page("/r/business/%d" % rid)
        check_html(self, page.body, "record with history")
        hist = re.search(r'<section id="history".*?</section>', page.text, re.S).group(0)
        self.assertContains("異動前", hist)
        self.assertContains("異動後", hist)
        self.assertRegex(hist, r"<td>核心資通系統</td><td>舊系統</td><td>新系統</td>")
        resp = self.c.get("/api/v1/business/%d/history" % rid)
        self.assertEqual(resp.status, 200, resp)
        items = resp.json()["items"]
        self.assertEqual(items[0]["action"], "create")
        updates = [i for i in items if i["action"] == "update"]
        self.assertEqual(updates, [dict(updates[0], field="core_system",
                                        before="舊系統", after="新系統")])
        self.assertEqual(self.get_api(rid)["version"], 2)

    def test_stale_patch_conflicts(self):
        """PATCH with a stale version is 409 and changes nothing."""
        rec = self.create_api(name="鎖定測試")
        rid = rec["id"]
        resp = self.c.patch_json("/api/v1/business/%d" % rid,
                                 {"core_system": "第一次", "version": 1})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()["version"], 2)
        before = db_query(self.db, "SELECT * FROM business WHERE id = ?", (rid,))
        resp = self.c.patch_json("/api/v1/business/%d" % rid,
                                 {"core_system": "過期", "version": 1})
        self.assertEqual(resp.status, 409, resp)
        self.assertEqual(resp.json()["error"], "conflict")
        self.assertEqual(db_query(self.db, "SELECT * FROM business WHERE id = ?", (rid,)),
                         before)
        self.assertEqual(self.get_api(rid)["core_system"], "第一次")
        # The form says so too.
        resp = self.c.post_form("/r/business/%d" % rid,
                                {"version": "1", "name": "鎖定測試", "is_core": "0",
                                 "mtd_kind": "owner", "core_system": "過期"})
        self.assertEqual(resp.status, 409, resp)
        check_html(self, resp.body, "409 form")
        self.assertEqual(db_query(self.db, "SELECT * FROM business WHERE id = ?", (rid,)),
                         before)

    def test_archive_and_restore(self):
        """Archive hides a record from the default list only; restore brings it back."""
        rec = self.create_api(name="封存測試")
        rid = rec["id"]
        q = "封存測試"
        self.assertEqual(list_total(self.c.page(url("/r/business", q=q)).text), 1)
        resp = self.c.post_form("/r/business/%d/archive" % rid, {})
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(list_total(self.c.page(url("/r/business", q=q)).text), 0)
        for archived in (1, 2):
            page = self.c.page(url("/r/business", q=q, archived=archived))
            self.assertEqual(list_total(page.text), 1)
            check_html(self, page.body, "archived list")
        self.assertIs(self.get_api(rid)["archived"], True)
        page = self.c.page("/r/business/%d" % rid)
        self.assertContains('action="/r/business/%d/restore"' % rid, page.text)
        check_html(self, page.body, "archived record")
        resp = self.c.post_form("/r/business/%d/restore" % rid, {})
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(list_total(self.c.page(url("/r/business", q=q)).text), 1)
        self.assertIs(self.get_api(rid)["archived"], False)
        actions = [i["action"] for i in
                   self.c.get("/api/v1/business/%d/history" % rid).json()["items"]]
        self.assertEqual(actions, ["create", "archive", "restore"])

    def test_no_hard_delete(self):
        """DELETE /api/v1/business/<id> is 405 and the row stays."""
        rec = self.create_api(name="刪不掉")
        before = self.rows()
        for path in ("/api/v1/business/%d" % rec["id"], "/r/business/%d" % rec["id"]):
            resp = self.c.request("DELETE", path, headers={"Origin": self.c.origin})
            self.assertEqual(resp.status, 405, resp)
        self.assertEqual(self.rows(), before)
        self.assertEqual(self.get_api(rec["id"])["name"], "刪不掉")


class OtherProcessTest(harness.IsmsTestCase):
    """The server shares its database with the CLI (register_store.c notices
    writes made elsewhere): what one process commits the other must see.

    Regression: db_open() reads the file header with fopen()/fclose()
    (db.c looks_like_sqlite) in every worker thread.  close() drops every
    POSIX lock the process holds on the file, so the SQLite connections of
    the workers already running lose their locks; the next CLI run then
    checkpoints and deletes the server's live WAL, and later writes of the
    server vanish for other processes (and with more threads the server
    reports "database disk image is malformed" and loses acknowledged
    writes)."""

    def export_business(self):
        """stdout of `isms export business` on the test database."""
        res = harness.run("export", "business", "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.stdout.decode("utf-8")

    def test_server_writes_visible_to_cli(self):
        """With two worker connections open, a record created through the API shows in `isms export`."""
        with harness.Server(self.db, ["--threads", "4"]) as srv:
            c = srv.signed_in(self)
            for _ in range(400):
                if srv.open_fds(self.db) >= 2:
                    break
                self.assertEqual(c.get("/api/v1/business/1").status, 200)
            self.assertGreaterEqual(srv.open_fds(self.db), 2,
                                    "could not get two worker connections open")
            self.assertContains("WebITR", self.export_business())
            names = []
            for i in range(3):
                name = "跨行程可見%d" % i
                resp = c.post_json("/api/v1/business",
                                   {"name": name, "is_core": False, "mtd_kind": "owner"})
                self.assertEqual(resp.status, 201, resp)
                names.append(name)
                if name not in self.export_business():
                    self.fail("%s was committed by the server (201) but `isms export`"
                              " does not see it" % name)
            for _ in range(20):
                resp = c.get(url("/api/v1/business", archived=2))
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.json()["total"], 48)
        self.assertEqual(db_query(self.db, "PRAGMA integrity_check"), [("ok",)])
        for name in names:
            self.assertEqual(db_count(self.db, "business", "name = '%s'" % name), 1)


if __name__ == "__main__":
    harness.main()
