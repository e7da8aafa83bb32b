#!/usr/bin/env python3
"""Procedures and drills (issue 5 item 6, plan 壹拾) over HTTP.

Procedures: the list shows the demo's approved notification and response
procedures in force with their version history; an approved version that
does not cover every item of its kind is refused with the zh-TW message
and an error on each missing item, which the form's summary names; a
second approved version of a kind is refused with a message naming the
one in force (form and API, with the name as "detail"); withdrawing the
old one lets the new one be approved; editing the approved version
itself is allowed; the unique index answers a restore (409) and an
import holding two approved versions (400, nothing written).

Drills: the result report's due day is computed on save (1/31 → end of
February, 3/31 → 4/30, ROC input, a value sent replaced); dates are
checked against today (a pinned test clock: 2027-03-10 in Taipei); the
list's frequency check shows each half year, year and the two-year
window as 已辦理 with the date or 未辦理, counting only held or reported
drills that are not archived; staff may neither read nor write, the
superior agency reads but cannot write.  Every HTML answer passes tidy
(harness)."""

import calendar
import csv
import io
import re

import harness
from harness import Clock, Server, ServedTestCase, db_count, db_query

NOTIFY_ITEMS = ["n_level", "n_impact", "n_internal", "n_others", "n_drill",
                "n_contact", "n_other"]
RESPONSE_ITEMS = ["r_team", "r_drill", "r_control", "r_recovery", "r_records",
                  "r_other"]
N_INCOMPLETE = ("通報作業規範須涵蓋資通安全事件通報應變及演練辦法第4條所列全部事項，"
                "始得核定；尚未涵蓋之事項標示如下。")
NOT_COVERED = "核定前須涵蓋此事項。"
DEMO_NOTIFY = "資通安全事件通報作業規範 v1.1 (#1)"
ONE_APPROVED = ("同一類別已有已核定之版本：%s。請先將該版本改為「已廢止」，"
                "再核定本版。")
UNIQUE = "此變更與其他資料衝突"


def procedure(**fields):
    """A complete approved notification procedure, changed by fields."""
    body = {"kind": "notify", "title": "資通安全事件通報作業規範",
            "doc_version": "v2.0", "effective": "2026-12-01",
            "approver": "資通安全長", "approved_on": "2026-11-20",
            "status": "approved"}
    body.update({k: "1" for k in NOTIFY_ITEMS})
    body.update(fields)
    return body


class ProcedureTest(ServedTestCase):
    user = "officer-irp"
    roles = ("officer",)

    def api(self, method, path, body):
        """A JSON write with the session's CSRF header."""
        csrf = self.c.get("/api/v1/me").json()["csrf"]
        return self.c.send_json(method, path, body, headers={"X-CSRF-Token": csrf})

    def in_force(self, kind):
        """The in-force paragraph of kind on the list page."""
        page = self.c.page("/r/ir_procedure").text
        label = {"notify": "通報作業規範", "response": "應變作業規範"}[kind]
        m = re.search(r'<p class="in-force">%s 現行核定版本：(.*?)</p>' % label, page)
        self.assertIsNotNone(m, page[:2000])
        return m.group(1)

    def test_1_demo_in_force(self):
        """The demo's two approved procedures are in force; each kind links
        to its version history; a record page links to its kind's."""
        got = self.in_force("notify")
        self.assertContains('<a href="/r/ir_procedure/1">資通安全事件通報作業規範 v1.1</a>'
                            '，生效日期 <time datetime="2025-03-01">', got)
        self.assertContains('href="/r/ir_procedure?f_kind=notify&amp;sort=effective'
                            '&amp;dir=desc">版本沿革</a>', got)
        self.assertContains('<a href="/r/ir_procedure/2">資通安全事件應變作業規範 v1.1</a>',
                            self.in_force("response"))
        rec = self.c.page("/r/ir_procedure/2").text
        self.assertContains('href="/r/ir_procedure?f_kind=response&amp;sort=effective'
                            '&amp;dir=desc">版本沿革</a>', rec)
        hist = self.c.page("/r/ir_procedure?f_kind=notify&sort=effective&dir=desc")
        self.assertEqual(hist.status, 200, hist)
        self.assertEqual(harness.list_total(hist.text), 1)

    def test_2_rules(self):
        """Incomplete, second approved, withdraw and approve, edit itself,
        restore refused, import of two refused."""
        before = db_count(self.db, "ir_procedure")
        # Two items not covered and no approver, through the form.
        self.c.page("/r/ir_procedure/new")
        r = self.c.post_form("/r/ir_procedure",
                             procedure(n_contact="", n_other="0", approver=""))
        self.assertEqual(r.status, 400, r)
        self.assertContains("核定狀態：" + N_INCOMPLETE, r.text)
        self.assertContains('<a href="#in-n_contact">資通安全事件通報窗口及聯繫方式：%s</a>'
                            % NOT_COVERED, r.text)
        self.assertContains('<a href="#in-n_other">其他資通安全事件通報相關事項：%s</a>'
                            % NOT_COVERED, r.text)
        self.assertNotContains('<a href="#in-n_level">', r.text)
        self.assertContains("核定人：已核定之作業程序須填寫核定人。", r.text)
        self.assertContains(ONE_APPROVED % DEMO_NOTIFY, r.text)
        self.assertEqual(db_count(self.db, "ir_procedure"), before)

        # Complete, but a version of the kind is approved: named, also
        # over the API, with the name as the detail.
        r = self.c.post_form("/r/ir_procedure", procedure())
        self.assertEqual(r.status, 400, r)
        self.assertContains(ONE_APPROVED % DEMO_NOTIFY, r.text)
        self.assertNotContains(N_INCOMPLETE, r.text)
        body = procedure()
        body.update({k: True for k in NOTIFY_ITEMS})
        r = self.api("POST", "/api/v1/ir_procedure", body)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"],
                         [{"field": "status", "message": ONE_APPROVED % DEMO_NOTIFY,
                           "detail": DEMO_NOTIFY}])

        # As a draft it is stored; once the old version is withdrawn it
        # can be approved, and it is the one in force.
        r = self.api("POST", "/api/v1/ir_procedure", dict(body, status="draft"))
        self.assertEqual(r.status, 201, r)
        new = r.json()["id"]
        r = self.api("PATCH", "/api/v1/ir_procedure/1", {"status": "withdrawn"})
        self.assertEqual(r.status, 200, r)
        r = self.api("PATCH", "/api/v1/ir_procedure/%d" % new, {"status": "approved"})
        self.assertEqual(r.status, 200, r)
        self.assertContains('<a href="/r/ir_procedure/%d">資通安全事件通報作業規範 v2.0</a>'
                            % new, self.in_force("notify"))

        # Editing the approved version itself is not a second one.
        rec = self.c.get("/api/v1/ir_procedure/%d" % new).json()
        fields = {}
        for k, v in rec.items():
            if k in ("id", "archived", "created_at", "created_by", "updated_at"):
                continue
            fields[k] = ("1" if v else "0") if isinstance(v, bool) else \
                ("" if v is None else str(v))
        fields["summary"] = "一小時內通報。"
        self.c.page("/r/ir_procedure/%d/edit" % new)
        r = self.c.post_form("/r/ir_procedure/%d" % new, fields)
        self.assertEqual(r.status, 303, r)

        # Archived, it no longer counts: the old one is approved again;
        # restoring the archived one would make two (409).
        self.c.page("/r/ir_procedure/%d" % new)
        r = self.c.post_form("/r/ir_procedure/%d/archive" % new, {})
        self.assertEqual(r.status, 303, r)
        r = self.api("PATCH", "/api/v1/ir_procedure/1", {"status": "approved"})
        self.assertEqual(r.status, 200, r)
        self.c.page("/r/ir_procedure/%d" % new)
        r = self.c.post_form("/r/ir_procedure/%d/restore" % new, {})
        self.assertEqual(r.status, 409, r)
        self.assertContains(UNIQUE, r.text)
        r = self.api("POST", "/api/v1/ir_procedure/%d/restore" % new, {})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"], "conflict")
        self.assertContains(UNIQUE, r.json()["message"])
        self.assertEqual(db_query(self.db, "SELECT archived FROM ir_procedure WHERE id = ?",
                                  (new,))[0][0], 1)

        # Import: a row approving a second response procedure names the
        # one in force on its line; two approved notification procedures
        # in one file, with none in force, are refused together.
        out = io.StringIO()
        w = csv.writer(out)
        cols = ["kind", "title", "doc_version", "approver", "approved_on",
                "status"] + RESPONSE_ITEMS
        w.writerow(cols)
        w.writerow(["response", "應變作業規範", "v3", "資通安全長", "2026-11-01",
                    "approved"] + ["1"] * len(RESPONSE_ITEMS))
        r = self.c.request("POST", "/api/v1/ir_procedure/import",
                           body=out.getvalue().encode("utf-8"),
                           headers={"Content-Type": "text/csv",
                                    "Origin": self.c.origin,
                                    "X-CSRF-Token": self.c.get("/api/v1/me").json()["csrf"]})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["rows"],
                         [{"line": 2, "field": "status",
                           "message": ONE_APPROVED % "資通安全事件應變作業規範 v1.1 (#2)",
                           "detail": "資通安全事件應變作業規範 v1.1 (#2)"}])
        # The command line names it too (English: ISMS_LANG=en).
        path = self.db + "-second.csv"
        with open(path, "w", encoding="utf-8") as f:
            f.write(out.getvalue())
        res = harness.run("import", "ir_procedure", path, "--db", self.db)
        self.assertEqual(res.returncode, 65, res)
        self.assertContains("line 2: status: A version of this kind is already approved: "
                            "資通安全事件應變作業規範 v1.1 (#2). Mark that version withdrawn "
                            "first", res.stderr.decode("utf-8"))
        r = self.api("PATCH", "/api/v1/ir_procedure/1", {"status": "draft"})
        self.assertEqual(r.status, 200, r)
        before = db_count(self.db, "ir_procedure")
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["kind", "title", "doc_version", "approver", "approved_on",
                    "status"] + NOTIFY_ITEMS)
        for ver in ("v4", "v5"):
            w.writerow(["notify", "通報作業規範", ver, "資通安全長", "2026-11-01",
                        "approved"] + ["1"] * len(NOTIFY_ITEMS))
        r = self.c.request("POST", "/api/v1/ir_procedure/import",
                           body=out.getvalue().encode("utf-8"),
                           headers={"Content-Type": "text/csv",
                                    "Origin": self.c.origin,
                                    "X-CSRF-Token": self.c.get("/api/v1/me").json()["csrf"]})
        self.assertEqual(r.status, 400, r)
        rows = r.json()["rows"]
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual((rows[0]["line"], rows[0]["field"]), (0, ""))
        self.assertContains(UNIQUE, rows[0]["message"])
        self.assertEqual(db_count(self.db, "ir_procedure"), before)
        self.assertContains("尚無核定版本", self.in_force("notify"))

    def test_3_english(self):
        """The English page names the items and the rule in English."""
        self.c.post_form("/lang", {"to": "en", "next": "/"})
        self.c.page("/r/ir_procedure/new")
        r = self.c.post_form("/r/ir_procedure", procedure(n_level="0", status="approved",
                                                          kind="response"))
        self.assertEqual(r.status, 400, r)
        self.assertContains("A response procedure can be approved only when it covers "
                            "every item of regulations Art. 5", r.text)
        self.assertContains('<a href="#in-r_team">The response team&#39;s organisation：'
                            'Must be covered before approval.</a>', r.text)
        self.c.post_form("/lang", {"to": "zh", "next": "/"})


def taipei_noon(y, m, d):
    """The Unix time of noon in Taipei (UTC+8) on y-m-d."""
    return calendar.timegm((y, m, d, 4, 0, 0, 0, 0, 0))


class DrillTest(harness.IsmsTestCase):
    """The demo drills (2026-05-12 and 2026-11-10 social engineering,
    2026-09-17 notification and response) seen on 10 March 2027."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = Clock(cls.tmp.name)
        cls.clock.advance(taipei_noon(2027, 3, 10) - cls.clock.now())
        cls.server = Server(cls.db, env=cls.clock.env())
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.c = self.server.signed_in(self, login="officer-drill")

    def api(self, method, path, body, c=None):
        c = c or self.c
        csrf = c.get("/api/v1/me").json()["csrf"]
        return c.send_json(method, path, body, headers={"X-CSRF-Token": csrf})

    def drill(self, **fields):
        body = {"kind": "social", "title": "演練", "held_on": "2027-01-05",
                "status": "held"}
        body.update(fields)
        return self.api("POST", "/api/v1/drill", body)

    def freq_rows(self):
        """The frequency table's rows as text, one string per <tr>."""
        page = self.c.page("/r/drill").text
        m = re.search(r'<table class="freq">(.*?)</table>', page, re.S)
        self.assertIsNotNone(m)
        rows = re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)
        return [re.sub(r"<[^>]+>", "", r) for r in rows[1:]]

    def test_1_due_computed(self):
        """1/31 → end of February (a leap year too), 3/31 → 4/30; an ROC
        date through the form; a due day sent is replaced."""
        for held, due in (("2027-01-31", "2027-02-28"), ("2024-01-31", "2024-02-29"),
                          ("2026-03-31", "2026-04-30")):
            r = self.drill(kind="other", held_on=held, report_due="2000-01-01")
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json()["report_due"], due)
            self.api("POST", "/api/v1/drill/%d/archive" % r.json()["id"], {})
        self.c.page("/r/drill/new")
        r = self.c.post_form("/r/drill", {"kind": "other", "title": "民國日期",
                                          "held_on": "116/1/31", "status": "held"})
        self.assertEqual(r.status, 303, r)
        did = int(r.header("Location").rsplit("/", 1)[1])
        self.assertEqual(db_query(self.db, "SELECT report_due FROM drill WHERE id = ?",
                                  (did,))[0][0], "2027-02-28")
        rec = self.c.page("/r/drill/%d" % did).text
        self.assertContains('<time datetime="2027-02-28">2027-02-28</time>'
                            '<span class="roc">（民國116年2月28日）</span>', rec)
        self.api("POST", "/api/v1/drill/%d/archive" % did, {})

    def test_2_dates_checked(self):
        """Against today (2027-03-10): a year ahead at most; a future drill
        is planned; the report after the drill; reported needs its date."""
        r = self.drill(held_on="2028-03-11", status="planned")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"][0]["field"], "held_on")
        self.assertContains("辦理日期不得晚於一年之後", r.json()["fields"][0]["message"])
        r = self.drill(held_on="2028-03-10", status="planned")
        self.assertEqual(r.status, 201, r)
        self.api("POST", "/api/v1/drill/%d/archive" % r.json()["id"], {})
        r = self.drill(held_on="2027-03-11")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"],
                         [{"field": "status",
                           "message": "辦理日期尚未到，辦理情形請選「規劃中」。"}])
        self.c.page("/r/drill/new")
        r = self.c.post_form("/r/drill", {"kind": "social", "title": "報告日期",
                                          "held_on": "2027-02-10",
                                          "report_sent": "2027-02-09", "status": "reported"})
        self.assertEqual(r.status, 400, r)
        self.assertContains("結果報告提出日期：結果報告提出日期不得早於辦理日期。", r.text)
        r = self.drill(status="reported")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"][0]["field"], "report_sent")

    def test_3_frequency_check(self):
        """Each period from the records; planned and archived drills do not
        count; the two-year window includes its first day."""
        rows = self.freq_rows()
        self.assertEqual(len(rows), 6, rows)
        self.assertIn("社交工程演練最近一次：2026-11-10（民國115年11月10日）", rows[0])
        self.assertIn("每半年一次", rows[0])
        self.assertTrue(rows[0].endswith("2027 年上半年（進行中）未辦理"), rows[0])
        self.assertEqual(rows[1], "2026 年下半年已辦理 2026-11-10（民國115年11月10日）")
        self.assertEqual(rows[2], "2026 年上半年已辦理 2026-05-12（民國115年5月12日）")
        self.assertTrue(rows[3].endswith("2027 年（進行中）未辦理"), rows[3])
        self.assertEqual(rows[4], "2026 年已辦理 2026-09-17（民國115年9月17日）")
        self.assertIn("每二年一次（C 級）", rows[5])
        self.assertTrue(rows[5].endswith("2025-03-10 起至今未辦理"), rows[5])
        self.assertIn("尚無紀錄", rows[5])
        self.assertContains("今天：2027-03-10", self.c.page("/r/drill").text)

        # Planned or archived: still not held.  Then held ones count.
        self.assertEqual(self.drill(held_on="2027-03-01", status="planned").status, 201)
        r = self.drill(kind="notify", held_on="2027-02-02")
        self.api("POST", "/api/v1/drill/%d/archive" % r.json()["id"], {})
        rows = self.freq_rows()
        self.assertTrue(rows[0].endswith("未辦理"), rows[0])
        self.assertTrue(rows[3].endswith("未辦理"), rows[3])
        self.assertEqual(self.drill(held_on="2027-01-05", report_sent="2027-01-20",
                                    status="reported").status, 201)
        self.assertEqual(self.drill(kind="bcp", held_on="2025-03-10").status, 201)
        self.assertEqual(self.drill(kind="notify", held_on="2027-03-10").status, 201)
        rows = self.freq_rows()
        self.assertTrue(rows[0].endswith(
            "2027 年上半年（進行中）已辦理 2027-01-05（民國116年1月5日）"), rows[0])
        self.assertTrue(rows[3].endswith(
            "2027 年（進行中）已辦理 2027-03-10（民國116年3月10日）"), rows[3])
        self.assertTrue(rows[5].endswith(
            "2025-03-10 起至今已辦理 2025-03-10（民國114年3月10日）"), rows[5])
        # The list shows kind, date, due and sent.
        page = self.c.page("/r/drill?f_kind=social&sort=held_on&dir=desc").text
        for head in ("演練類型", "結果報告期限", "結果報告提出日期"):
            self.assertContains(">%s</th>" % head, page)
        self.assertContains('title="依此欄排序">辦理日期</a>', page)
        self.assertContains('<time datetime="2027-02-05">', page)  # due of 1/5

    def test_4_roles(self):
        """Staff neither read nor write; the superior agency reads only."""
        staff = self.server.signed_in(self, login="staff-drill", roles=("staff",))
        self.assertEqual(staff.get("/r/drill").status, 403)
        self.assertEqual(staff.get("/api/v1/ir_procedure").status, 403)
        r = self.api("POST", "/api/v1/drill",
                     {"kind": "social", "title": "x", "held_on": "2027-01-05",
                      "status": "held"}, c=staff)
        self.assertEqual(r.status, 403, r)
        staff.page("/account")
        r = staff.post_form("/r/drill", {"kind": "social", "title": "x",
                                         "held_on": "2027-01-05", "status": "held"})
        self.assertEqual(r.status, 403, r)
        sup = self.server.signed_in(self, login="superior-drill", roles=("superior",))
        page = sup.page("/r/drill")
        self.assertEqual(page.status, 200, page)
        self.assertContains("演練頻率檢核", page.text)
        self.assertNotContains('href="/r/drill/new"', page.text)
        self.assertEqual(self.api("POST", "/api/v1/drill",
                                  {"kind": "social", "title": "x",
                                   "held_on": "2027-01-05", "status": "held"},
                                  c=sup).status, 403)


if __name__ == "__main__":
    harness.main()
