#!/usr/bin/env python3
"""Goals computed from records (issue 6, item 5; plan 肆.二.(一)) over HTTP.

Availability: a system with outages entered through the API in 114 (2025)
— planned maintenance, two overlapping unplanned outages and one across
Taipei midnight at the month's end — shows on /r/goal_metric/kpi?year=114
the hand-computed values per month (99.65 % in April, 99.93 % in May,
100.00 % in June, no data before its first outage and after it was
archived), each linked to its outages and marked 未達 against 99.97 %; the
demo's September (a 3 h 35 min DDoS on the website) is 99.50 % for the
website and 99.90 % for the agency.  The outage register refuses an end
before the start and a time in the future, and shows how long an ongoing
outage has lasted.

Drill results: a CSV with a repeat clicker and a recipient written in two
cases, imported on a social-engineering drill, gives the rates over
unique recipients on the drill's page and in the table; a new import
replaces the old one (audited); a broken file (a flag not understood, a
column missing, not UTF-8, no file) is refused with the zh-TW message and
its line, and nothing is written; a drill of another kind (400), a
planned one (400) and an archived one (409) are refused; read-only roles
(the CISO, the superior agency) see no form and get 403.

Tiles: the demo's four metrics are bound and show their values against
the targets in words; the incident timeliness table counts the demo's
incident with every deadline met.  A goal metric bound to a computed
value needs % as its unit.  Staff read the page (plan area), contractors
do not.  Every HTML answer passes tidy (harness)."""

import re
from datetime import date, timedelta

from harness import ServedTestCase, db_count, db_query

AVAIL_TARGET = "目標值 ≥ 99.97%"


def cells(page, name):
    """The cells' text of the availability row of system name."""
    m = re.search(r'<tr><th scope="row"><a href="/r/system/(\d+)">%s</a></th>'
                  r'(.*?)</tr>' % re.escape(name), page, re.S)
    if not m:
        raise AssertionError("no row for %s" % name)
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)]


def agency_cells(page):
    """The cells' text of the whole agency's row."""
    m = re.search(r'<tr class="agency"><th scope="row">全機關</th>(.*?)</tr>',
                  page, re.S)
    if not m:
        raise AssertionError("no agency row")
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)]


class KpiTest(ServedTestCase):
    user = "officer-kpi"
    roles = ("officer",)

    def api(self, method, path, body):
        """A JSON write with the session's CSRF header."""
        csrf = self.c.get("/api/v1/me").json()["csrf"]
        return self.c.send_json(method, path, body,
                                headers={"X-CSRF-Token": csrf})

    def upload(self, drill, data, name="results.csv", client=None):
        """POST a results file to drill."""
        c = client or self.c
        c.page("/r/drill/%d" % drill)
        return c.post_multipart("/r/drill/%d/results" % drill,
                                files={"file": (name, data, "text/csv")})

    # ---- availability ----

    def test_1_availability(self):
        """Hand-computed months of a system with outages in 2025."""
        r = self.api("POST", "/api/v1/system",
                     {"name": "測試系統", "sourcing": "self",
                      "environment": "prod"})
        self.assertEqual(r.status, 201, r)
        sid = r.json()["id"]
        outages = [
            # Its first outage: the system is counted from 4/1 00:00.
            ("planned", "2025-04-01 00:00", "2025-04-01 08:00", "例行維護"),
            # Overlapping: 10:00-12:00 counts once, two hours.
            ("unplanned", "2025-04-10 10:00", "2025-04-10 11:00", "當機"),
            ("unplanned", "114/04/10 10:30", "114/04/10 12:00", "當機（續）"),
            # Across Taipei midnight: 30 minutes in April, 30 in May.
            ("unplanned", "2025-04-30 23:30", "2025-05-01 00:30", "斷線"),
        ]
        for kind, start, end, cause in outages:
            r = self.api("POST", "/api/v1/outage",
                         {"system": sid, "kind": kind, "started": start,
                          "ended": end, "cause": cause})
            self.assertEqual(r.status, 201, r)
        page = self.c.page("/r/goal_metric/kpi?year=114")
        self.assertEqual(page.status, 200, page)
        row = cells(page.text, "測試系統")
        self.assertEqual(len(row), 14)  # 12 months, the year, downtime
        # Before its first outage: no data, not 100 %.
        self.assertEqual(row[0:3], ["—無資料"] * 3)
        # April: 150 min down in 30 days less 8 h = 42,720 min.
        self.assertEqual(row[3], "99.65% 未達")
        # May: 30 min in 44,640 min = 99.9328 %.
        self.assertEqual(row[4], "99.93% 未達")
        self.assertEqual(row[5], "100.00%")
        # The year: 180 min in 275 days less 8 h = 395,520 min.
        self.assertEqual(row[12], "99.95% 未達")
        self.assertEqual(row[13], "3 小時 0 分")
        self.assertContains('<a href="/r/outage?f_system=%d">99.65%%</a>' % sid,
                            page.text)
        self.assertContains('<a href="/r/outage?f_system=%d&amp;f_kind=unplanned">'
                            % sid, page.text)
        # The demo's systems have no data in 2025: the agency is this one,
        # and the tile shows that year whole (to 2026-01-01 00:00).
        self.assertEqual(agency_cells(page.text)[3], "99.65% 未達")
        tile = re.search(r'<article class="kpi-tile missed" id="kpi-1">(.*?)'
                         r'</article>', page.text, re.S)
        self.assertIsNotNone(tile)
        self.assertContains("<strong>99.95%</strong>", tile.group(1))
        self.assertContains("民國 114 年", tile.group(1))
        self.assertContains("非預期中斷 3 小時 0 分／運作時間 6,592 小時 0 分",
                            tile.group(1))
        # An archived system leaves the table and the agency's sum.
        r = self.api("POST", "/api/v1/system/%d/archive" % sid, {})
        self.assertEqual(r.status, 200, r)
        page = self.c.page("/r/goal_metric/kpi?year=114")
        self.assertNotContains("測試系統", page.text)
        self.assertEqual(agency_cells(page.text)[3], "—無資料")

    def test_2_demo_september(self):
        """The demo's DDoS month, and its links."""
        page = self.c.page("/r/goal_metric/kpi?year=115").text
        website = cells(page, "高雄市政府新聞局官網")
        # 215 min in 30 days: 99.5023 %.
        self.assertEqual(website[8], "99.50% 未達")
        # 10 min outside 8 h of maintenance in March: 99.9774 %.
        self.assertEqual(website[2], "99.98%")
        # The agency: 215 min in 5 × 43,200 min.
        self.assertEqual(agency_cells(page)[8], "99.90% 未達")
        # The time-and-attendance system's first record is in February.
        self.assertEqual(cells(page, "WebITR 差勤服務系統")[0], "—無資料")

    def test_3_outage_rules(self):
        """End before start, the future, an ongoing outage's duration."""
        self.c.page("/r/outage/new")
        r = self.c.post_form("/r/outage", {
            "system": "公文交換系統", "kind": "unplanned",
            "started": "2026-03-01 10:00", "ended": "2026-03-01 09:00",
            "cause": "測試"})
        self.assertEqual(r.status, 400, r)
        self.assertContains("恢復時間須晚於中斷開始時間", r.text)
        r = self.c.post_form("/r/outage", {
            "system": "公文交換系統", "kind": "unplanned",
            "started": "2099-03-01 10:00", "cause": "測試"})
        self.assertEqual(r.status, 400, r)
        self.assertContains("時間不可晚於現在", r.text)
        before = db_count(self.db, "outage")
        r = self.c.post_form("/r/outage", {
            "system": "公文交換系統", "kind": "unplanned",
            "started": "2026-03-01 10:00", "cause": "測試中"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(db_count(self.db, "outage"), before + 1)
        page = self.c.page(r.header("Location")).text
        self.assertContains("（仍中斷中）", page)
        r = self.api("POST", "/api/v1/outage/%d/archive"
                     % int(r.header("Location").rsplit("/", 1)[1]), {})
        self.assertEqual(r.status, 200, r)

    # ---- drill results ----

    def test_4_import(self):
        """Rates over unique recipients; a new import replaces the old."""
        data = ("\ufeff收件人,單位,開啟,點閱\r\n"
                "a@example.gov.tw,秘書室,2026/11/10 09:31,N\r\n"
                "b@example.gov.tw,人事室,N,N\r\n"
                "A@Example.gov.tw,秘書室,Y,Y\r\n"  # a again: clicked
                "c@example.gov.tw,會計室,是,否\r\n"
                "a@example.gov.tw,秘書室,,Y\r\n"   # a clicks again
                "d@example.gov.tw,會計室,,\r\n").encode("utf-8")
        r = self.upload(3, data)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/r/drill/3")
        self.assertEqual(db_count(self.db, "drill_result", "drill = 3"), 6)
        self.assertEqual(db_query(self.db, "SELECT recipient FROM drill_result"
                                  " WHERE drill = 3 AND line = 4")[0][0],
                         "a@example.gov.tw")
        page = self.c.page("/r/drill/3").text
        # 4 recipients: a and c opened (50 %), a clicked (25 %).
        self.assertContains("收件人 4 人（結果檔 6 列）", page)
        self.assertContains("社交工程演練郵件開啟率 50.0%</strong>（2 人）", page)
        self.assertContains("社交工程演練附件點閱率 25.0%</strong>（1 人）", page)
        self.assertContains("目標值 &lt; 5% · <span class=\"kpi-missed\">", page)
        self.assertContains("點閱連結或附件者視為已開啟郵件", page)
        kpi = self.c.page("/r/goal_metric/kpi").text
        self.assertContains('<a href="/r/drill/3">50.0%（2 人）</a>', kpi)
        # The audit trail names the drill and the counts.
        row = db_query(self.db, "SELECT actor, detail FROM audit_event WHERE"
                       " action = 'drill-results' AND object = 'drill/3'"
                       " ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(row[0], self.user)
        self.assertTrue(row[1].startswith("lines=6 recipients=4 sha256="), row)
        # A second import replaces the first whole.
        r = self.upload(3, "recipient,opened,clicked\nz@example.gov.tw,1,0\n"
                        .encode("utf-8"), name="second.csv")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(db_count(self.db, "drill_result", "drill = 3"), 1)
        self.assertEqual(db_query(self.db, "SELECT file, lines FROM"
                                  " drill_result_set WHERE drill = 3"),
                         [("second.csv", 1)])
        page = self.c.page("/r/drill/3").text
        self.assertContains("社交工程演練郵件開啟率 100.0%</strong>（1 人）", page)

    def test_5_broken_files(self):
        """Refused with the zh-TW message and line; nothing written."""
        before = db_query(self.db, "SELECT drill, line, recipient, opened,"
                          " clicked FROM drill_result ORDER BY drill, line")
        audits = db_count(self.db, "audit_event", "action = 'drill-results'")
        cases = [
            ("收件人,開啟,點閱\na,Y,N\nb,maybe,N\n".encode("utf-8"),
             ["第 3 列", "無法辨識「maybe」：請填 Y/N、是/否、1/0 或時間（空白表示無）"]),
            ("收件人,開啟\na,Y\n".encode("utf-8"),
             ["點閱", "檔案缺少此欄位（標題列須有收件人、開啟及點閱三欄）"]),
            ("收件人,開啟,點閱\n,Y,N\n".encode("utf-8"),
             ["第 2 列", "收件人不可空白"]),
            ("收件人,開啟,點閱\n".encode("big5") + b"a,Y,N\n",
             ["檔案不是有效的 UTF-8 編碼"]),
            ("收件人,開啟,點閱\n".encode("utf-8"), ["檔案沒有任何資料列"]),
        ]
        for data, wanted in cases:
            with self.subTest(data=data[:40]):
                r = self.upload(1, data)
                self.assertEqual(r.status, 400, r)
                self.assertContains("匯入失敗，沒有任何資料被寫入", r.text)
                for w in wanted:
                    self.assertContains(w, r.text)
                # The form is offered again, open.
                self.assertContains('<details class="kpi-import" open>', r.text)
        self.c.page("/r/drill/1")
        r = self.c.post_multipart("/r/drill/1/results", fields={})
        self.assertEqual(r.status, 400, r)
        self.assertContains("請選擇要匯入的 CSV 檔案", r.text)
        self.assertEqual(db_query(self.db, "SELECT drill, line, recipient,"
                                  " opened, clicked FROM drill_result"
                                  " ORDER BY drill, line"), before)
        self.assertEqual(db_count(self.db, "audit_event",
                                  "action = 'drill-results'"), audits)

    def test_5b_file_name_masked(self):
        """The results file's name is kept masked (王小明_<TW_ID>.csv)."""
        ok = "收件人,開啟,點閱\na,Y,N\n".encode("utf-8")
        r = self.upload(3, ok, name="王小明_A123456789.csv")
        self.assertIn(r.status, (200, 303), r)
        files = [row[0] for row in db_query(self.db, "SELECT file FROM drill_result_set"
                                            " WHERE drill = 3")]
        self.assertEqual(files, ["王小明_<TW_ID>.csv"])
        self.assertNotContains("A123456789", self.c.page("/r/drill/3").text)

    def test_6_wrong_drills(self):
        """Another kind, a planned drill, an archived drill."""
        ok = "收件人,開啟,點閱\na,Y,N\n".encode("utf-8")
        r = self.upload(2, ok)  # the notification and response drill
        self.assertEqual(r.status, 400, r)
        self.assertContains("只有社交工程演練可以匯入收件人結果。", r.text)
        soon = (date.today() + timedelta(days=30)).isoformat()
        r = self.api("POST", "/api/v1/drill",
                     {"kind": "social", "title": "下次社交工程演練",
                      "held_on": soon, "status": "planned"})
        self.assertEqual(r.status, 201, r)
        planned = r.json()["id"]
        r = self.upload(planned, ok)
        self.assertEqual(r.status, 400, r)
        self.assertContains("演練尚在規劃中，辦理後才能匯入結果。", r.text)
        self.assertNotContains('class="kpi-import"',
                               self.c.page("/r/drill/%d" % planned).text)
        r = self.api("POST", "/api/v1/drill/%d/archive" % planned, {})
        self.assertEqual(r.status, 200, r)
        r = self.upload(planned, ok)
        self.assertEqual(r.status, 409, r)
        self.assertContains("此演練紀錄已封存，不能匯入結果；請先恢復使用。", r.text)
        self.assertEqual(db_count(self.db, "drill_result",
                                  "drill = %d" % planned), 0)
        r = self.upload(999, ok)
        self.assertEqual(r.status, 404, r)

    def test_7_read_only_roles(self):
        """The CISO and the superior agency read, cannot import."""
        before = db_count(self.db, "drill_result")
        ok = "收件人,開啟,點閱\na,Y,N\n".encode("utf-8")
        for login, role in (("ciso-kpi", "ciso"), ("superior-kpi", "superior")):
            with self.subTest(role=role):
                c = self.server.signed_in(self, login, (role,))
                page = c.page("/r/drill/1")
                self.assertEqual(page.status, 200, page)
                self.assertContains("社交工程演練郵件開啟率", page.text)
                self.assertNotContains('class="kpi-import"', page.text)
                r = self.upload(1, ok, client=c)
                self.assertEqual(r.status, 403, r)
        self.assertEqual(db_count(self.db, "drill_result"), before)

    # ---- tiles and the metrics ----

    def test_0_tiles(self):
        """The demo's four metrics, each in words against its target (run
        first: the imports below change the drill rates)."""
        page = self.c.page("/r/goal_metric/kpi").text
        tiles = re.findall(r'<article class="kpi-tile (\w+)" id="kpi-(\d+)">'
                           r'(.*?)</article>', page, re.S)
        self.assertEqual([(s, i) for s, i, _ in tiles],
                         [("met", "1"), ("met", "2"), ("missed", "3"),
                          ("missed", "4")])
        avail, timely, opened, clicked = (t[2] for t in tiles)
        self.assertContains(AVAIL_TARGET, avail)
        self.assertContains("達成目標", avail)
        self.assertContains('href="/r/outage"', avail)
        self.assertContains('role="img"', avail)
        self.assertContains('stroke-dasharray', avail)
        self.assertContains("<strong>100.0%</strong>", timely)
        self.assertContains("1 件全部時限內完成（已判定 1 件）", timely)
        # The May drill: 10 and 3 of 112 recipients.
        self.assertContains("<strong>8.9%</strong>", opened)
        self.assertContains("未達成目標", opened)
        self.assertContains("10 人（收件人 112 人）", opened)
        self.assertContains("<strong>2.7%</strong>", clicked)
        self.assertContains("3 人（收件人 112 人）", clicked)
        # The timeliness table: the demo's incident met all three.
        m = re.search(r'<tr><th scope="row">民國 115 年</th>(.*?)</tr>',
                      page[page.index('id="timeliness"'):], re.S)
        self.assertIsNotNone(m)
        self.assertEqual(re.findall(r">(\d+／\d+)（(\S+?)）<", m.group(1)),
                         [("1／1", "100.0%")] * 4)
        # The metric's page shows its tile.
        rec = self.c.page("/r/goal_metric/3").text
        self.assertContains("目前達成情形", rec)
        self.assertContains('<article class="kpi-tile missed" id="kpi-3">', rec)

    def test_9_metric_unit_and_roles(self):
        """A computed metric's unit is %; staff read, contractors do not."""
        self.c.page("/r/goal_metric/1/edit")
        goal = db_query(self.db, "SELECT goal FROM goal_metric WHERE id = 1")
        r = self.c.post_form("/r/goal_metric/1", {
            "goal": goal[0][0],
            "metric": "資通系統可用性", "comparator": ">=", "target": "99.97",
            "unit": "小時", "kpi": "availability", "version": "1"})
        self.assertEqual(r.status, 400, r)
        self.assertContains("自動計算之指標以百分比表示，單位請填百分比符號（％）", r.text)
        staff = self.server.signed_in(self, "staff-kpi", ("staff",))
        r = staff.get("/r/goal_metric/kpi")
        self.assertEqual(r.status, 200, r)
        r = self.upload(1, "收件人,開啟,點閱\na,Y,N\n".encode("utf-8"),
                        client=staff)
        self.assertEqual(r.status, 403, r)
        contractor = self.server.signed_in(self, "vendor-kpi", ("contractor",))
        self.assertEqual(contractor.get("/r/goal_metric/kpi").status, 403)
        # Other registers have no such page.
        self.assertEqual(self.c.get("/r/system/kpi").status, 404)
        self.assertEqual(self.c.get("/r/goal_metric/kpi?year=0").status, 400)


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
