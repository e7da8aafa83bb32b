#!/usr/bin/env python3
"""Form 7 extended by the agency (issue 4): an officer adds the agency's
own risk type through the register's form; the catalog page shows it
beside the shipped reference entries (marked 機關自訂 / 參考表) and
filters both by asset class; a risk created from its prefill link names
its A-id and its page suggests the type's countermeasures; once the
type is archived a new risk naming it is refused with the zh-TW message
(unknown A-ids too; shipped ids still work); hostile strings in a type
are escaped on the catalog page, in the prefill link and in the
prefilled form.  Every HTML answer passes tidy (harness)."""

import html
import json
import os
import re
from urllib.parse import parse_qs, urlsplit

import harness
from harness import ServedTestCase, db_query, url

CATALOG = os.path.join(harness.SOURCE, "data", "rules", "risk_catalog.json")
ARCHIVED_MSG = "此機關自訂風險類型已封存，不能再選用；請改選其他風險類型，或先還原該類型。"
UNKNOWN_MSG = "表單 7 中沒有此風險類型代碼"


def shipped():
    """The shipped catalog: {id: set of zh-TW asset class names}."""
    with open(CATALOG, encoding="utf-8") as f:
        data = json.load(f)
    return {e["id"]: set(e["asset_classes"]) for e in data["entries"]}


def row_ids(body):
    """The catalog ids of the rows of the catalog table, in order."""
    return re.findall(r'<tr id="cat-([A-Z][0-9]+)"', body)


class RiskCatalogTest(ServedTestCase):
    user = "officer-cat"
    roles = ("officer",)

    def api(self, method, path, body):
        """A JSON write with the session's CSRF header."""
        csrf = self.c.get("/api/v1/me").json()["csrf"]
        return self.c.send_json(method, path, body, headers={"X-CSRF-Token": csrf})

    def new_type(self, **fields):
        """A risk type made through the register's form; returns its id."""
        body = {"type": "公文系統憑證過期", "threat": "憑證過期致服務中斷",
                "vulnerability": "未追蹤憑證到期日", "software": "1",
                "countermeasures": "建立憑證到期清冊\r\n\r\n  到期前 30 日通知  ",
                "family": "System and communications protection"}
        body.update(fields)
        self.c.page("/r/risk_type/new")
        r = self.c.post_form("/r/risk_type", body)
        self.assertEqual(r.status, 303, r)
        return int(r.header("Location").rsplit("/", 1)[1])

    def campaign(self, title):
        r = self.api("POST", "/api/v1/risk_campaign",
                     {"year": 2026, "title": title, "threshold": 12, "status": "open"})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def test_agency_type_in_catalog_with_filter(self):
        """The type shows as A<id>, 機關自訂, beside the reference entries;
        the asset-class filter applies to both kinds."""
        tid = self.new_type(type="機房門禁卡遺失", threat="門禁卡遺失遭冒用",
                            software="", physical="1", service="1",
                            countermeasures="遺失即停用\n每季清查門禁卡",
                            family="")
        aid = "A%d" % tid
        # The family was given in English and is stored in Chinese.
        other = self.new_type()
        self.assertEqual(db_query(self.db, "SELECT family FROM risk_type WHERE id = ?",
                                  (other,))[0][0], "系統與通訊保護")
        page = self.c.page("/r/risk/catalog")
        self.assertEqual(page.status, 200, page)
        ids = row_ids(page.text)
        ref = shipped()
        # Shipped entries first in file order, then the agency's by id.
        self.assertEqual(ids[:len(ref)], list(ref))
        self.assertIn(aid, ids[len(ref):])
        self.assertIn("A%d" % other, ids[len(ref):])
        row = re.search(r'<tr id="cat-%s".*?</tr>' % aid, page.text, re.S).group(0)
        self.assertContains('<span class="src src-agency">機關自訂</span>', row)
        self.assertContains('href="/r/risk_type/%d"' % tid, row)
        self.assertContains("實體資產、支援服務資產", row)
        self.assertContains("<li>遺失即停用</li><li>每季清查門禁卡</li>", row)
        r01 = re.search(r'<tr id="cat-R01".*?</tr>', page.text, re.S).group(0)
        self.assertContains('<span class="src src-ref">參考表</span>', r01)
        self.assertContains('<span class="tag family">', page.text)
        self.assertContains("共 %d 項：參考表 %d 項、機關自訂" % (len(ids), len(ref)),
                            page.text)
        # Blank lines and surrounding spaces are not countermeasures.
        orow = re.search(r'<tr id="cat-A%d".*?</tr>' % other, page.text, re.S).group(0)
        self.assertContains("<li>建立憑證到期清冊 <span class=\"tag family\">"
                            "系統與通訊保護</span></li><li>到期前 30 日通知 <span", orow)
        # The filter, by key or by Chinese name.
        for cls, name in (("physical", "實體資產"), ("software", "軟體資產"),
                          ("資訊資產", "資訊資產")):
            body = self.c.page(url("/r/risk/catalog", **{"class": cls})).text
            got = row_ids(body)
            want = [i for i, classes in ref.items() if name in classes]
            self.assertEqual(got[:len(want)], want, cls)
            self.assertEqual(aid in got, name in ("實體資產",), cls)
            self.assertEqual("A%d" % other in got, name == "軟體資產", cls)
        self.assertContains('<option value="physical" selected>',
                            self.c.page("/r/risk/catalog?class=physical").text)
        # A class that is not one of the four: 400 with the reason.
        r = self.c.get("/r/risk/catalog?class=cloud")
        self.assertEqual(r.status, 400, r)
        self.assertContains("沒有此資產類別", r.text)
        # Only the risk register has a catalog.
        self.assertEqual(self.c.get("/r/asset/catalog").status, 404)
        # The pages that link to it; the type's page shows its id.
        self.assertContains('href="/r/risk/catalog"', self.c.page("/r/risk").text)
        self.assertContains('href="/r/risk/catalog"', self.c.page("/r/risk_type").text)
        rec = self.c.page("/r/risk_type/%d" % tid).text
        self.assertContains("表單 7 代碼：<strong>%s</strong>" % aid, rec)
        self.assertContains('href="/r/risk/catalog#cat-%s"' % aid, rec)

    def test_risk_from_prefill_link(self):
        """The row's link opens the create form with catalog, threat and
        vulnerability filled in; the risk saved from it names the A-id and
        its page suggests the type's countermeasures."""
        tid = self.new_type(type="預填類型", threat="預填威脅", vulnerability="預填弱點",
                            countermeasures="對策甲\n對策乙", family="存取控制")
        aid = "A%d" % tid
        cid = self.campaign("預填評鑑")
        page = self.c.page("/r/risk/catalog").text
        m = re.search(r'<tr id="cat-%s".*?<td class="use"><a href="([^"]+)"' % aid,
                      page, re.S)
        self.assertIsNotNone(m)
        link = html.unescape(m.group(1))
        self.assertEqual(urlsplit(link).path, "/r/risk/new")
        self.assertEqual(parse_qs(urlsplit(link).query),
                         {"catalog": [aid], "threat": ["預填威脅"],
                          "vulnerability": ["預填弱點"]})
        form = self.c.page(link)
        self.assertEqual(form.status, 200, form)
        self.assertContains('name="catalog" type="text" value="%s"' % aid, form.text)
        self.assertContains('name="threat" type="text" value="預填威脅"', form.text)
        self.assertContains('name="vulnerability" type="text" value="預填弱點"', form.text)
        # Submit the form as a browser would, the rest filled in by hand.
        fields = dict(parse_qs(urlsplit(link).query))
        fields = {k: v[0] for k, v in fields.items()}
        fields.update({"campaign": str(cid), "asset_group": "公文系統",
                       "likelihood": "2", "impact": "2", "asset_value": "2"})
        r = self.c.post_form("/r/risk", fields)
        self.assertEqual(r.status, 303, r)
        rid = int(r.header("Location").rsplit("/", 1)[1])
        self.assertEqual(db_query(self.db, "SELECT catalog, threat FROM risk WHERE id = ?",
                                  (rid,))[0], (aid, "預填威脅"))
        rec = self.c.page("/r/risk/%d" % rid).text
        self.assertContains("建議之風險對策", rec)
        self.assertContains("依表單 7 風險類型 %s「預填類型」：" % aid, rec)
        self.assertContains('<li>對策甲 <span class="tag family">存取控制</span></li>', rec)
        self.assertContains('href="/r/risk/catalog#cat-%s"' % aid, rec)
        # A shipped entry's suggestions, in English too.
        r = self.api("POST", "/api/v1/risk",
                     {"campaign": cid, "asset_group": "機房", "threat": "t",
                      "catalog": "R01", "likelihood": 1, "impact": 1,
                      "asset_value": 1})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        self.assertContains("依表單 7 風險類型 R01", self.c.page("/r/risk/%d" % rid).text)
        self.c.post_form("/lang", {"to": "en", "next": "/"})
        en = self.c.page("/r/risk/%d" % rid).text
        self.assertContains("Suggested countermeasures", en)
        self.assertContains("From form 7 risk type R01 (Human operating error):", en)
        self.c.post_form("/lang", {"to": "zh", "next": "/"})
        # Prefill of a field the register does not have is dropped; a
        # value with a control character is left out.
        form = self.c.page("/r/risk/new?nosuch=1&owner=%01x&plan=a%0Ab").text
        self.assertNotContains("nosuch", form)
        self.assertContains('name="owner" type="text" value=""', form)
        self.assertContains(">a\nb</textarea>", form)

    def test_archived_type_refused(self):
        """After archiving, a new risk naming the type is refused (API and
        form) with the zh-TW message, and the catalog drops it; unknown
        A-ids are refused; shipped ids still work; restoring allows it."""
        tid = self.new_type(type="封存類型")
        aid = "A%d" % tid
        cid = self.campaign("封存評鑑")
        body = {"campaign": cid, "asset_group": "群組", "threat": "t",
                "catalog": aid, "likelihood": 1, "impact": 1, "asset_value": 1}
        r = self.api("POST", "/api/v1/risk", body)
        self.assertEqual(r.status, 201, r)
        self.c.page("/r/risk_type/%d" % tid)
        r = self.c.post_form("/r/risk_type/%d/archive" % tid, {})
        self.assertEqual(r.status, 303, r)
        r = self.api("POST", "/api/v1/risk", body)
        self.assertEqual(r.status, 400, r)
        self.assertContains(ARCHIVED_MSG, r.text)
        self.c.page("/r/risk/new")
        r = self.c.post_form("/r/risk", dict(body, campaign=str(cid)))
        self.assertEqual(r.status, 400, r)
        self.assertContains(ARCHIVED_MSG, r.text)
        self.assertNotIn(aid, row_ids(self.c.page("/r/risk/catalog").text))
        # The type's page offers no prefill any more.
        self.assertNotContains("/r/risk/new?catalog=",
                               self.c.page("/r/risk_type/%d" % tid).text)
        # Ids that name nothing.
        for bad in ("A999999", "A0", "A01", "a%d" % tid, "R999"):
            r = self.api("POST", "/api/v1/risk", dict(body, catalog=bad))
            self.assertEqual(r.status, 400, (bad, r))
            self.assertContains(UNKNOWN_MSG, r.text)
        # Shipped ids still work.
        r = self.api("POST", "/api/v1/risk", dict(body, catalog="R01"))
        self.assertEqual(r.status, 201, r)
        # Restored, the type may be named again.
        r = self.c.post_form("/r/risk_type/%d/restore" % tid, {})
        self.assertEqual(r.status, 303, r)
        r = self.api("POST", "/api/v1/risk", body)
        self.assertEqual(r.status, 201, r)

    def test_type_rules(self):
        """At least one asset class; the family must be a 附表十 family."""
        self.c.page("/r/risk_type/new")
        base = {"type": "規則類型", "threat": "威脅", "countermeasures": "對策"}
        r = self.c.post_form("/r/risk_type", dict(base, info="0"))
        self.assertEqual(r.status, 400, r)
        self.assertContains("請至少選擇一類適用的資產類別。", r.text)
        r = self.c.post_form("/r/risk_type", dict(base, info="1", family="防火牆"))
        self.assertEqual(r.status, 400, r)
        self.assertContains("附表十沒有此構面", r.text)
        r = self.c.post_form("/r/risk_type", dict(base, info="1"))
        self.assertEqual(r.status, 303, r)

    def test_hostile_strings_escaped(self):
        """Markup in a type is text on the catalog page, in its prefill
        link and in the prefilled form."""
        evil = '<script>alert(1)</script>"\'&'
        tid = self.new_type(type="類型" + evil, threat="威脅" + evil,
                            vulnerability='"><img src=x onerror=alert(2)>',
                            countermeasures="對策" + evil)
        page = self.c.page("/r/risk/catalog")
        self.assertEqual(page.status, 200, page)
        self.assertNotContains("<script>alert", page.text)
        self.assertNotContains("<img src=x", page.text)
        self.assertContains("類型&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;",
                            page.text)
        self.assertContains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", page.text)
        m = re.search(r'<tr id="cat-A%d".*?<td class="use"><a href="([^"]+)"' % tid,
                      page.text, re.S)
        self.assertIsNotNone(m)
        self.assertNotRegex(m.group(1), r"[<>\"' ]")
        link = html.unescape(m.group(1))
        self.assertEqual(parse_qs(urlsplit(link).query)["threat"], ["威脅" + evil])
        form = self.c.page(link).text
        self.assertNotContains("<script>alert", form)
        self.assertNotContains("<img src=x", form)
        self.assertContains('value="威脅&lt;script&gt;alert(1)&lt;/script&gt;'
                            '&quot;&#39;&amp;"', form)

    def test_who_sees_what(self):
        """Read-only roles see the catalog without prefill links; staff do
        not see it at all."""
        auditor = self.server.signed_in(self, "auditor-cat", ("auditor",))
        page = auditor.page("/r/risk/catalog")
        self.assertEqual(page.status, 200, page)
        self.assertContains('id="cat-R01"', page.text)
        self.assertNotContains('class="use"', page.text)
        self.assertNotContains("/r/risk/new?", page.text)
        staff = self.server.signed_in(self, "staff-cat", ("staff",))
        self.assertEqual(staff.get("/r/risk/catalog").status, 403)
        self.assertEqual(self.anonymous().get("/r/risk/catalog").status, 303)


if __name__ == "__main__":
    harness.main()
