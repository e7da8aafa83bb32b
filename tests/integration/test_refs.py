"""Fields of several references (FT_REFS), through the information
system's businesses (issue 4: a system serves several businesses): the
form's checkboxes with CSRF, the record and list pages, the filter, an
edit down to one business and its history, errors, CSV export, an XLSX
import with a column mapping, and the JSON API in and out."""

import html
import io
import os
import re
import sys

try:
    import openpyxl  # noqa: F401
except ImportError:  # Debian's python3-openpyxl under another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import db_query, list_total, url  # noqa: E402

LOCATION_RE = re.compile(r"^/r/system/(\d+)$")


def business_id(db, name):
    """The id of the demo business called name (the first of that name)."""
    rows = db_query(db, "SELECT id FROM business WHERE name = ? ORDER BY id",
                    (name,))
    if not rows:
        raise AssertionError("no business %r in the demo data" % name)
    return rows[0][0]


def system_form(**over):
    """A valid system form without businesses, as (name, value) pairs."""
    fields = {"name": "影視資訊平台", "sourcing": "self",
              "environment": "prod"}
    fields.update(over)
    return list(fields.items())


class RefsTest(harness.ServedTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cable = business_id(cls.db, "有線電視")
        cls.cinema = business_id(cls.db, "電影院及錄影帶業")
        cls.media = business_id(cls.db, "市政行銷、新聞發布、媒體連繫業務")

    def join_rows(self, sid):
        """The businesses of system sid in the database file, ascending."""
        return [r[0] for r in db_query(
            self.db, "SELECT ref FROM system_business WHERE rec = ? "
            "ORDER BY ref", (sid,))]

    def link(self, bid, name):
        """How a record or list page links business bid."""
        return '<a href="/r/business/%d">%s</a>' % (bid, html.escape(name))

    def create_form(self, name, *businesses):
        """Create a system through the form; its id."""
        self.c.page("/r/system/new")
        pairs = system_form(name=name) + [("business", str(b))
                                          for b in businesses]
        resp = self.c.post_form("/r/system", pairs)
        self.assertEqual(resp.status, 303, resp)
        m = LOCATION_RE.match(resp.header("Location") or "")
        self.assertIsNotNone(m, resp.header("Location"))
        return int(m.group(1))

    # ---- the form ----

    def test_form_offers_checkboxes(self):
        """The new-system form lists the businesses as checkboxes of one
        group (a fieldset with a legend), the first with the id the error
        summary links to."""
        page = self.c.page("/r/system/new")
        self.assertEqual(page.status, 200, page)
        body = page.text
        self.assertContains('<fieldset class="refs"', body)
        self.assertContains("<legend>支持之業務", body)
        self.assertContains('<input type="checkbox" id="in-business" '
                            'name="business" value="', body)
        self.assertContains('name="business" value="%d"> 有線電視</label>'
                            % self.cable, body)
        self.assertNotContains('<select id="in-business"', body)

    def test_create_two_edit_to_one(self):
        """Two businesses through the form with CSRF: both on the record
        page and the list; an edit down to one; the history shows the
        change; the join table follows."""
        sid = self.create_form("雙業務系統", self.cinema, self.cable)
        self.assertEqual(self.join_rows(sid), sorted([self.cable,
                                                      self.cinema]))
        page = self.c.page("/r/system/%d" % sid)
        self.assertEqual(page.status, 200, page)
        both = "%s、%s" % (self.link(self.cable, "有線電視"),
                          self.link(self.cinema, "電影院及錄影帶業"))
        self.assertContains(both, page.text)
        listing = self.c.page(url("/r/system", q="雙業務系統"))
        self.assertEqual(list_total(listing.text), 1)
        self.assertContains(both, listing.text)

        # the edit form has both ticked, and the others not
        edit = self.c.page("/r/system/%d/edit" % sid)
        self.assertContains('name="business" value="%d" checked> 有線電視'
                            % self.cable, edit.text)
        self.assertContains('name="business" value="%d" checked> 電影院'
                            % self.cinema, edit.text)
        self.assertContains('name="business" value="%d"> 市政行銷'
                            % self.media, edit.text)

        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="雙業務系統", version="1")
                                + [("business", str(self.media))])
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(self.join_rows(sid), [self.media])
        page = self.c.page("/r/system/%d" % sid).text
        history = page[page.index('id="history"'):]
        # one change: before, both links; after, the one left
        self.assertContains("<td>支持之業務</td><td>%s</td><td>%s</td>"
                            % (both, self.link(
                                self.media,
                                "市政行銷、新聞發布、媒體連繫業務")),
                            history)
        api = self.c.get("/api/v1/system/%d/history" % sid).json()["items"]
        change = [h for h in api if h["field"] == "business"]
        self.assertEqual(len(change), 1)
        self.assertEqual(change[0]["before"], "%d,%d" % tuple(
            sorted([self.cable, self.cinema])))
        self.assertEqual(change[0]["after"], str(self.media))

        # none ticked empties the field
        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="雙業務系統", version="2"))
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(self.join_rows(sid), [])
        self.assertEqual(self.c.get("/api/v1/system/%d" % sid)
                         .json()["business"], [])

    def test_form_errors(self):
        """An id no business has is refused with a zh-TW message naming it
        (400, nothing written), and the form comes back with the valid
        choice still ticked."""
        before = db_query(self.db, "SELECT count(*) FROM system")[0][0]
        self.c.page("/r/system/new")
        resp = self.c.post_form("/r/system",
                                system_form(name="錯誤系統")
                                + [("business", str(self.cable)),
                                   ("business", "99999")])
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("找不到這個名稱或編號的資料：「99999」", resp.text)
        self.assertContains('href="#in-business"', resp.text)
        self.assertContains('name="business" value="%d" checked>'
                            % self.cable, resp.text)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM system")[0][0],
                         before)

    def test_filter(self):
        """f_business lists the systems that serve that business; the
        filter form offers the businesses."""
        a = self.create_form("篩選甲", self.cable, self.media)
        self.create_form("篩選乙", self.cinema)
        page = self.c.page(url("/r/system", f_business=self.media, q="篩選"))
        self.assertEqual(page.status, 200, page)
        self.assertEqual(list_total(page.text), 1)
        self.assertContains('href="/r/system/%d">篩選甲' % a, page.text)
        self.assertContains('<select name="f_business">', page.text)
        self.assertContains('<option value="%d" selected>市政行銷' % self.media,
                            page.text)
        api = self.c.get(url("/api/v1/system", f_business=self.cinema,
                             q="篩選")).json()
        self.assertEqual([r["name"] for r in api["items"]], ["篩選乙"])

    def test_demo_systems(self):
        """The demo systems serve their businesses (several for some)."""
        rows = db_query(self.db, "SELECT s.name, count(*) FROM system s "
                        "JOIN system_business j ON j.rec = s.id "
                        "GROUP BY s.id ORDER BY s.id")
        self.assertIn(("高雄市政府新聞局官網", 2), rows)
        self.assertIn(("公文交換系統", 1), rows)

    def test_export(self):
        """The CSV export names the businesses joined by 、; a name that
        holds 、 is written as its id, so the file imports back."""
        self.create_form("匯出系統", self.cable, self.cinema, self.media)
        resp = self.c.get(url("/r/system/export.csv", q="匯出系統"))
        self.assertEqual(resp.status, 200, resp)
        self.assertContains(",匯出系統,有線電視、電影院及錄影帶業、%d,"
                            % self.media, resp.text)

    def test_xlsx_import(self):
        """A spreadsheet's business cells, names separated by ；, 、 or ;,
        import through the column mapping; an unknown name is an error
        of its sheet row naming it, and nothing is written."""
        def xlsx(rows):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append(["資通系統名稱", "支持之業務", "開發方式", "環境"])
            for row in rows:
                ws.append(row)
            out = io.BytesIO()
            wb.save(out)
            return out.getvalue()

        def run(rows):
            self.c.page("/r/system/import")
            resp = self.c.post_multipart(
                "/r/system/import/upload",
                files={"file": ("systems.xlsx", xlsx(rows),
                                "application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")})
            self.assertEqual(resp.status, 303, resp)
            path = resp.header("Location")
            self.c.page(path)
            return self.c.post_form(path, {"col_0": "name",
                                           "col_1": "business",
                                           "col_2": "sourcing",
                                           "col_3": "environment"})

        resp = run([["試算表甲", "有線電視；市政行銷、新聞發布、媒體連繫業務",
                     "自行開發", "正式環境"],
                    ["試算表乙", "電影院及錄影帶業;有線電視", "self", "prod"]])
        self.assertEqual(resp.status, 200, resp)
        self.assertContains("已匯入 2 筆", resp.text)
        rows = db_query(self.db, "SELECT s.name, group_concat(j.ref) FROM "
                        "system s JOIN (SELECT * FROM system_business ORDER "
                        "BY ref) j ON j.rec = s.id WHERE s.name LIKE '試算表%' "
                        "GROUP BY s.id ORDER BY s.name")
        self.assertEqual(rows, [
            ("試算表乙", "%d,%d" % tuple(sorted([self.cable, self.cinema]))),
            ("試算表甲", "%d,%d" % tuple(sorted([self.cable, self.media]))),
        ])
        resp = run([["試算表丙", "有線電視", "self", "prod"],
                    ["試算表丁", "有線電視、無此業務", "self", "prod"]])
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("第 3 列", resp.text)
        self.assertContains("找不到這個名稱或編號的資料：「無此業務」", resp.text)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM system WHERE "
                                  "name = '試算表丙'")[0][0], 0)

    # ---- the JSON API ----

    def test_api_in_and_out(self):
        """An array of ids (and names) in, an array of ids out; PATCH
        replaces it; other members leave it; null and [] empty it."""
        resp = self.c.post_json("/api/v1/system", {
            "name": "API 系統", "sourcing": "self", "environment": "test",
            "business": [self.media, "有線電視", self.media]})
        self.assertEqual(resp.status, 201, resp)
        rec = resp.json()
        sid = rec["id"]
        self.assertEqual(rec["business"], sorted([self.cable, self.media]))
        self.assertEqual(self.join_rows(sid), sorted([self.cable,
                                                      self.media]))

        resp = self.c.patch_json("/api/v1/system/%d" % sid,
                                 {"business": [self.cinema]})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()["business"], [self.cinema])
        resp = self.c.patch_json("/api/v1/system/%d" % sid,
                                 {"host": "api.example.tw"})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()["business"], [self.cinema])
        self.assertEqual(resp.json()["version"], 3)
        resp = self.c.patch_json("/api/v1/system/%d" % sid, {"business": []})
        self.assertEqual(resp.json()["business"], [])
        resp = self.c.patch_json("/api/v1/system/%d" % sid,
                                 {"business": [self.cable]})
        resp = self.c.patch_json("/api/v1/system/%d" % sid, {"business": None})
        self.assertEqual(resp.json()["business"], [])
        self.assertEqual(self.join_rows(sid), [])
        listing = self.c.get(url("/api/v1/system", q="API 系統")).json()
        self.assertEqual(listing["items"][0]["business"], [])

    def test_api_errors(self):
        """Wrong values are 400 with the field, a zh-TW message and the
        item at fault; nothing is written."""
        def post(value, name="錯誤 API 系統"):
            return self.c.post_json("/api/v1/system", {
                "name": name, "sourcing": "self",
                "environment": "prod", "business": value})

        for value in ("有線電視", self.cable, {"id": 1}, [1.5], [[1]],
                      [True]):
            resp = post(value)
            self.assertEqual(resp.status, 400, (value, resp))
            self.assertEqual(resp.json()["fields"][0]["field"], "business")
            self.assertEqual(resp.json()["fields"][0]["message"], "參數錯誤")
        resp = post([self.cable, "有線電台"])
        self.assertEqual(resp.status, 400, resp)
        field = resp.json()["fields"][0]
        self.assertEqual(field["message"], "找不到這個名稱或編號的資料：「有線電台」")
        self.assertEqual(field["detail"], "有線電台")
        ids = [r[0] for r in db_query(self.db, "SELECT id FROM business "
                                      "WHERE archived = 0")]
        while len(ids) < 51:
            ids.append(self.c.post_json("/api/v1/business", {
                "name": "第 %d 項業務" % len(ids), "is_core": False,
                "mtd_kind": "owner"}).json()["id"])
        resp = post(ids[:50], "五十項業務系統")
        self.assertEqual(resp.status, 201, resp)
        self.assertEqual(len(resp.json()["business"]), 50)
        resp = post(ids[:51])
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.json()["fields"][0]["message"],
                         "最多可選 50 筆")
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM system "
                                  "WHERE name = '錯誤 API 系統'")[0][0], 0)

    def test_archived_business(self):
        """A business archived after a system chose it: the edit form
        still shows it, ticked and marked, and the system can be saved
        with it (it stays chosen); another archived business cannot be
        newly chosen, nor by a new system; unticked, it is gone."""
        def business(name):
            return self.c.post_json("/api/v1/business", {
                "name": name, "is_core": False, "mtd_kind": "owner"}).json()["id"]
        bid = business("將封存業務")
        other = business("另一封存業務")
        sid = self.create_form("封存測試系統", bid, self.cable)
        for b in (bid, other):
            self.assertEqual(self.c.post_json("/api/v1/business/%d/archive" % b,
                                              {}).status, 200)
        edit = self.c.page("/r/system/%d/edit" % sid).text
        self.assertContains('name="business" value="%d" checked> 將封存業務 '
                            '<span class="badge">已封存</span>' % bid, edit)
        self.assertNotContains('value="%d"' % other, edit)
        # Newly chosen, an archived business is refused (and nothing saved).
        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="封存測試系統二", version="1")
                                + [("business", str(bid)), ("business", str(other)),
                                   ("business", str(self.cable))])
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("這筆資料已封存，不能選取：「%d」" % other, resp.text)
        self.assertNotContains("這筆資料已封存，不能選取：「%d」" % bid, resp.text)
        resp = self.c.post_form("/r/system",
                                system_form(name="新系統選封存")
                                + [("business", str(bid))])
        self.assertEqual(resp.status, 400, resp)
        self.assertContains("這筆資料已封存，不能選取：「%d」" % bid, resp.text)
        # Kept as it was, the system saves with its other changes.
        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="封存測試系統二", version="1")
                                + [("business", str(bid)),
                                   ("business", str(self.cable))])
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(sorted(self.join_rows(sid)), sorted([bid, self.cable]))
        # So does the API, which sends the ids back as it read them.
        resp = self.c.patch_json("/api/v1/system/%d" % sid,
                                 {"name": "封存測試系統三"})
        self.assertEqual(resp.status, 200, resp.text)
        resp = self.c.patch_json("/api/v1/system/%d" % sid,
                                 {"business": "%d,%d" % (bid, other)})
        self.assertEqual(resp.status, 400, resp.text)
        # Unticked, it is gone, and cannot come back.
        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="封存測試系統三", version="3")
                                + [("business", str(self.cable))])
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(self.join_rows(sid), [self.cable])
        resp = self.c.post_form("/r/system/%d" % sid,
                                system_form(name="封存測試系統三", version="4")
                                + [("business", str(bid)),
                                   ("business", str(self.cable))])
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(self.join_rows(sid), [self.cable])

    def test_single_reference_to_archived(self):
        """An asset's system (one reference) archived after it was chosen:
        the edit form still offers it, selected and marked, so saving the
        form as it stands keeps it instead of silently emptying it."""
        sid = self.c.post_json("/api/v1/system", {
            "name": "將封存之系統", "sourcing": "self",
            "environment": "prod"}).json()["id"]
        aid = self.c.post_json("/api/v1/asset", {
            "name": "封存系統之主機", "class": "physical",
            "system": sid}).json()["id"]
        self.assertEqual(self.c.post_json("/api/v1/system/%d/archive" % sid,
                                          {}).status, 200)
        edit = self.c.page("/r/asset/%d/edit" % aid).text
        select = re.search(r'<select id="in-system" name="system".*?</select>',
                           edit, re.S).group(0)
        selected = re.findall(r'<option value="(\d*)" selected>([^<]*)</option>', select)
        self.assertEqual(selected, [(str(sid), "將封存之系統（已封存）")])
        # Saved as the browser sends it, the system stays.
        version = re.search(r'name="version" value="(\d+)"', edit).group(1)
        resp = self.c.post_form("/r/asset/%d" % aid, [
            ("name", "封存系統之主機（改名）"), ("class", "physical"),
            ("system", selected[0][0]), ("version", version)])
        self.assertEqual(resp.status, 303, resp)
        self.assertEqual(db_query(self.db, "SELECT name, system FROM asset WHERE id = ?",
                                  (aid,)), [("封存系統之主機（改名）", sid)])
        # A new asset's form, prefilled with it from the address, does not
        # offer it (it would be refused).
        new = self.c.page("/r/asset/new?system=%d" % sid).text
        select = re.search(r'<select id="in-system" name="system".*?</select>',
                           new, re.S).group(0)
        self.assertNotIn('value="%d"' % sid, select)
        # It cannot be newly chosen, by a new asset or another one.
        r = self.c.post_json("/api/v1/asset", {"name": "新主機", "class": "physical",
                                               "system": sid})
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual([(f["field"], f["message"]) for f in r.json()["fields"]],
                         [("system", "這筆資料已封存，不能選取")])
        other = self.c.post_json("/api/v1/asset", {"name": "另一主機",
                                                   "class": "physical"}).json()["id"]
        r = self.c.patch_json("/api/v1/asset/%d" % other, {"system": sid})
        self.assertEqual(r.status, 400, r.text)
        # Unchosen, it cannot come back.
        r = self.c.patch_json("/api/v1/asset/%d" % aid, {"system": None})
        self.assertEqual(r.status, 200, r.text)
        r = self.c.patch_json("/api/v1/asset/%d" % aid, {"system": sid})
        self.assertEqual(r.status, 400, r.text)


if __name__ == "__main__":
    harness.main()
