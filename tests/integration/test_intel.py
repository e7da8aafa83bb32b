#!/usr/bin/env python3
"""Threat intelligence and its sharing (issue 7 part 1, plan 壹拾壹) over HTTP.

The demo's intelligence: the DDoS warning links the demo incident and a
risk, its page shows the plan's rule for intrusion intelligence
(壹拾壹.二.(二)), each indicator with its kind, and its sharing records;
the leak report holds only masked tokens.  Created through the form
(defanged indicators stored exactly as typed, incidents and risks as
checkboxes) and the JSON API; an unrecognised indicator line is refused
with the zh-TW message naming the line, over the form, the API and an
import; high-impact intrusion intelligence needs a linked incident or
the response; validity before receipt is refused.  Sharing: the §4
confirmation must be 是, any channel but the platform needs who approved
it, not before the intelligence was received; the intelligence page
counts and links its sharing records and offers a new one with the
intelligence filled in.  CSV export and import round trip (updates only,
nothing changed); staff may not read, the superior agency reads but
cannot write.  Every HTML answer passes tidy (harness)."""

import csv
import html
import io
import re

import harness
from harness import ServedTestCase, db_count, db_query, list_total, url

DDOS = "針對政府機關網站之分散式阻斷服務攻擊活動警訊"
PHISH = "冒名市府資訊中心之帳號驗證釣魚郵件"
INCIDENT = "官網遭分散式阻斷服務攻擊，服務中斷約 3 小時"
RISK_PHISH = "同仁點擊釣魚郵件致帳號密碼外洩或電腦遭植入惡意程式"
RULE_INTRUSION = ("（二）入侵攻擊情資：由資通安全專職(責)人員判斷有無立即之危險，"
                  "必要時採取立即之通報應變措施")
IOC_MSG = ("無法辨識的威脅指標（行號：內容）：%s。每行須為一項 IPv4／IPv6 位址、"
           "網域名稱、網址、MD5／SHA-1／SHA-256 雜湊值或 CVE 編號。")
INTRUSION_MSG = ("影響評估為「高」之入侵攻擊情資，須判斷有無立即之危險並記錄：請連結"
                 "相關資通安全事件，或填寫所採取之因應措施（計畫壹拾壹.二.(二)）。")
NOT_CLEARED = "分享前須確認內容不含不得分享之資訊（資通安全情資分享辦法第4條），請選「是」。"
APPROVAL = "以主管機關指定方式以外之管道分享須經核准，請填寫核准人。"
SHARE_EARLY = "分享日期不得早於情資之接獲日期。"

INDICATORS = ("hxxps://evil-login[.]example/owa\n"
              "evil-login[.]example\n"
              "192.0.2[.]10\n"
              "2001:db8::10\n"
              "CVE-2026-11111\n"
              "d41d8cd98f00b204e9800998ecf8427e")


def id_of(db, table, col, value):
    return db_query(db, "SELECT id FROM %s WHERE %s = ?" % (table, col), (value,))[0][0]


class IntelTest(ServedTestCase):
    user = "officer-intel"
    roles = ("officer",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ddos = id_of(cls.db, "intel", "title", DDOS)
        cls.phish = id_of(cls.db, "intel", "title", PHISH)
        cls.incident = id_of(cls.db, "incident", "title", INCIDENT)
        cls.risk = id_of(cls.db, "risk", "threat", RISK_PHISH)

    def api(self, method, path, body, c=None):
        c = c or self.c
        csrf = c.get("/api/v1/me").json()["csrf"]
        return c.send_json(method, path, body, headers={"X-CSRF-Token": csrf})

    def intel(self, **fields):
        body = {"title": "測試情資", "received": "2026-11-01", "category": "info",
                "status": "new"}
        body.update(fields)
        return self.api("POST", "/api/v1/intel", body)

    def share(self, **fields):
        body = {"intel": self.phish, "shared_on": "2026-10-07",
                "recipient": "高雄市政府資訊中心", "channel": "platform",
                "cleared": True}
        body.update(fields)
        return self.api("POST", "/api/v1/intel_share", body)

    # ---- the demo ----

    def test_1_demo(self):
        """The DDoS warning links the incident and a risk and shows the
        plan's rule and its indicators by kind; the phishing report counts
        its one sharing record; the leak report holds tokens only."""
        page = self.c.page("/r/intel/%d" % self.ddos)
        self.assertEqual(page.status, 200, page)
        text = page.text
        self.assertContains('<a href="/r/incident/%d">%s</a>'
                            % (self.incident, html.escape(INCIDENT)), text)
        self.assertContains("<dt>因應原則（計畫壹拾壹.二）</dt>", text)
        self.assertContains(RULE_INTRUSION, text)
        self.assertContains("<li><code>203.0.113.0/24</code> IPv4 位址</li>", text)
        self.assertContains("<li><code>192.0.2[.]77</code> IPv4 位址</li>", text)
        self.assertContains("<li><code>botnet-c2[.]example</code> 網域名稱</li>", text)
        self.assertContains('href="/r/intel_share?f_intel=%d">分享紀錄（0 筆）</a>'
                            % self.ddos, text)
        page = self.c.page("/r/intel/%d" % self.phish).text
        self.assertContains('href="/r/intel_share?f_intel=%d">分享紀錄（1 筆）</a>'
                            % self.phish, page)
        self.assertContains('<a class="button" href="/r/intel_share/new?intel=%d">'
                            '新增分享紀錄</a>' % self.phish, page)
        self.assertContains("SHA-256 雜湊值</li>", page)
        self.assertContains("MD5 雜湊值</li>", page)
        self.assertContains("<code>2001:db8:4b::23</code> IPv6 位址", page)
        self.assertContains("<code>hxxps://mail-kcg-gov-tw[.]example/owa/auth/login.aspx"
                            "</code> 網址", page)
        shares = self.c.page("/r/intel_share?f_intel=%d" % self.phish)
        self.assertEqual(list_total(shares.text), 1)
        self.assertContains("國家資通安全通報應變網站情資分享功能", shares.text)
        # The leak report: masked tokens, no identifiers.
        content = db_query(self.db, "SELECT content FROM intel WHERE category = "
                           "'sensitive'")[0][0]
        for token in ("<NAME>", "<PHONE>", "<TW_ID>"):
            self.assertIn(token, content)
        self.assertIsNone(re.search(r"[A-Z][12]\d{8}|09\d{8}", content), content)
        # The list: category, impact, status; filters.
        listing = self.c.page(url("/r/intel", f_category="intrusion"))
        self.assertEqual(list_total(listing.text), 2)
        self.assertEqual(list_total(self.c.page(
            url("/r/intel", f_incidents=str(self.incident))).text), 1)
        self.assertEqual(list_total(self.c.page(
            url("/r/intel", f_risks=str(self.risk))).text), 1)
        # A search finds an indicator as typed.
        self.assertEqual(list_total(self.c.page(
            url("/r/intel", q="botnet-c2[.]example")).text), 1)
        self.assertContains('<a href="/r/intel_share">情資分享紀錄</a>',
                            self.c.page("/r/intel").text)

    # ---- create ----

    def test_2_form(self):
        """Through the form: defanged indicators stored as typed, incident
        and risk ticked; then an unrecognised line named with its number."""
        self.c.page("/r/intel/new")
        form = [("title", "表單建立之情資"), ("source", "N-ISAC"),
                ("received", "115/11/20"), ("valid_until", "2026-12-20"),
                ("category", "intrusion"), ("kind", "exploit"),
                ("content", "攻擊者利用 VPN 設備漏洞"), ("indicators", INDICATORS),
                ("impact", "high"), ("within_risk", "0"), ("plan_adjusted", "1"),
                ("analyst", "資通安全專職人員"), ("status", "new"),
                ("incidents", str(self.incident)), ("risks", str(self.risk))]
        r = self.c.post_form("/r/intel", form)
        self.assertEqual(r.status, 303, r)
        iid = int(r.header("Location").rsplit("/", 1)[1])
        row = db_query(self.db, "SELECT received, indicators FROM intel WHERE id = ?",
                       (iid,))[0]
        self.assertEqual(row, ("2026-11-20", INDICATORS))
        self.assertEqual(db_query(self.db, "SELECT ref FROM intel_incidents WHERE rec = ?",
                                  (iid,)), [(self.incident,)])
        self.assertEqual(db_query(self.db, "SELECT ref FROM intel_risks WHERE rec = ?",
                                  (iid,)), [(self.risk,)])
        page = self.c.page("/r/intel/%d" % iid).text
        for line, kind in (("hxxps://evil-login[.]example/owa", "網址"),
                           ("evil-login[.]example", "網域名稱"),
                           ("192.0.2[.]10", "IPv4 位址"), ("2001:db8::10", "IPv6 位址"),
                           ("CVE-2026-11111", "CVE 漏洞編號"),
                           ("d41d8cd98f00b204e9800998ecf8427e", "MD5 雜湊值")):
            self.assertContains("<li><code>%s</code> %s</li>" % (line, kind), page)

        before = db_count(self.db, "intel")
        self.c.page("/r/intel/new")
        bad = [(k, v) for k, v in form if k != "indicators"]
        bad.append(("indicators", "192.0.2.1\nevil site\n\nexample.com\n1.2.3.999"))
        r = self.c.post_form("/r/intel", bad)
        self.assertEqual(r.status, 400, r)
        self.assertContains("威脅指標：" + IOC_MSG % "2: evil site", r.text)
        self.assertContains("威脅指標：" + IOC_MSG % "5: 1.2.3.999", r.text)
        self.assertContains('href="#in-indicators"', r.text)
        self.assertEqual(db_count(self.db, "intel"), before)

    def test_3_api_rules(self):
        """Over the API: the indicator error with its detail, the
        intrusion rule (incident or response), validity, impact once
        assessed."""
        r = self.intel(indicators="example.com\nnot an indicator")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"],
                         [{"field": "indicators", "message": IOC_MSG % "2: not an indicator",
                           "detail": "2: not an indicator"}])
        r = self.intel(category="intrusion", impact="high")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"],
                         [{"field": "response", "message": INTRUSION_MSG}])
        r = self.intel(category="intrusion", impact="high", incidents=[self.incident])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["incidents"], [self.incident])
        r = self.intel(category="intrusion", impact="high", response="已封鎖來源")
        self.assertEqual(r.status, 201, r)
        r = self.intel(valid_until="2026-10-31")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"],
                         [{"field": "valid_until", "message": "有效期限不得早於接獲日期。"}])
        r = self.intel(status="assessed")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"][0]["field"], "impact")
        # PATCH keeps the rule: removing the incident of a high intrusion.
        iid = self.intel(category="intrusion", impact="high",
                         incidents=[self.incident]).json()["id"]
        r = self.api("PATCH", "/api/v1/intel/%d" % iid, {"incidents": []})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"][0]["field"], "response")

    # ---- sharing ----

    def test_4_share(self):
        """The §4 confirmation, approval off the platform, the date; the
        new-sharing link fills the intelligence in."""
        r = self.share(cleared=False)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"], [{"field": "cleared", "message": NOT_CLEARED}])
        r = self.share(channel="email")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"], [{"field": "approved_by", "message": APPROVAL}])
        r = self.share(shared_on="2026-10-04")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["fields"], [{"field": "shared_on", "message": SHARE_EARLY}])
        before = db_count(self.db, "intel_share")
        r = self.share(channel="email", approved_by="資通安全長")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(db_count(self.db, "intel_share"), before + 1)

        form = self.c.page("/r/intel_share/new?intel=%d" % self.ddos).text
        self.assertContains('<option value="%d" selected>' % self.ddos, form)
        r = self.c.post_form("/r/intel_share", {
            "intel": str(self.ddos), "shared_on": "2026-09-16", "recipient": "N-ISAC",
            "channel": "fax", "cleared": "0"})
        self.assertEqual(r.status, 400, r)
        self.assertContains("核准人：" + APPROVAL, r.text)
        self.assertContains(NOT_CLEARED, r.text)
        r = self.c.post_form("/r/intel_share", {
            "intel": str(self.ddos), "shared_on": "2026-09-16", "recipient": "N-ISAC",
            "channel": "fax", "approved_by": "資通安全長", "cleared": "1"})
        self.assertEqual(r.status, 303, r)
        self.assertContains('href="/r/intel_share?f_intel=%d">分享紀錄（1 筆）</a>'
                            % self.ddos, self.c.page("/r/intel/%d" % self.ddos).text)

    # ---- import and export ----

    def post_csv(self, reg, data):
        return self.c.request("POST", "/api/v1/%s/import" % reg, body=data,
                              headers={"Content-Type": "text/csv; charset=utf-8",
                                       "Origin": self.c.origin,
                                       "X-CSRF-Token": self.c.get("/api/v1/me").json()["csrf"]})

    def test_5_round_trip(self):
        """The export re-imports unchanged (updates only, no version
        moves, indicators, incidents and risks intact); an import row
        with a bad indicator is refused naming its line, nothing
        written."""
        for reg in ("intel", "intel_share"):
            resp = self.c.get("/r/%s/export.csv" % reg)
            self.assertEqual(resp.status, 200, resp)
            raw = resp.body
            rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
            before = db_query(self.db, "SELECT id, version FROM %s ORDER BY id" % reg)
            self.assertEqual(len(rows) - 1, db_count(self.db, reg, "archived = 0"))
            r = self.post_csv(reg, raw)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {"rows": len(rows) - 1, "created": 0, "updated": 0})
            self.assertEqual(db_query(self.db, "SELECT id, version FROM %s ORDER BY id" % reg),
                             before)
        self.assertEqual(rows[0][:2], ["id", "情資"])
        resp = self.c.get("/r/intel/export.csv")
        rows = list(csv.DictReader(io.StringIO(resp.body[3:].decode("utf-8"),
                                               newline="")))
        ddos = [r for r in rows if r["情資標題"] == DDOS][0]
        # The incident's title holds "，", a separator of several
        # references: the export writes its id, which imports back.
        self.assertEqual(ddos["相關資通安全事件"], str(self.incident))
        self.assertEqual(ddos["威脅指標"],
                         "203.0.113.0/24\n192.0.2[.]77\nbotnet-c2[.]example")
        self.assertEqual(ddos["情資分類"], "入侵攻擊情資")

        before = db_count(self.db, "intel")
        data = ("title,received,category,status,indicators\n"
                "甲,2026-11-01,info,new,example.com\n"
                "乙,2026-11-01,info,new,\"192.0.2.1\nnot-an-ioc here\"\n").encode("utf-8")
        r = self.post_csv("intel", data)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["rows"],
                         [{"line": 3, "field": "indicators",
                           "message": IOC_MSG % "2: not-an-ioc here",
                           "detail": "2: not-an-ioc here"}])
        self.assertEqual(db_count(self.db, "intel"), before)

    # ---- roles ----

    def test_6_roles(self):
        """Staff neither read nor write; the superior reads only."""
        staff = self.server.signed_in(self, login="staff-intel", roles=("staff",))
        self.assertEqual(staff.get("/r/intel").status, 403)
        self.assertEqual(staff.get("/api/v1/intel_share").status, 403)
        sup = self.server.signed_in(self, login="superior-intel", roles=("superior",))
        page = sup.page("/r/intel/%d" % self.phish)
        self.assertEqual(page.status, 200, page)
        self.assertContains("分享紀錄（", page.text)
        self.assertNotContains("新增分享紀錄", page.text)
        r = self.api("POST", "/api/v1/intel",
                     {"title": "x", "received": "2026-11-01", "category": "info",
                      "status": "new"}, c=sup)
        self.assertEqual(r.status, 403, r)


if __name__ == "__main__":
    harness.main()
