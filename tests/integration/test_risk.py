#!/usr/bin/env python3
"""Risk assessment (plan 捌, forms 6 and 7): an officer records an
assessment and its risks through the JSON API; the values are computed;
the report with its heat map renders (tidy-checked by the harness); the
CISO accepts a risk, and editing the risk afterwards voids the
acceptance; a staff account and the officer cannot accept."""

import html
import re

import harness
from harness import ServedTestCase, db_query


class RiskTest(ServedTestCase):
    user = "officer-risk"
    roles = ("officer",)

    def api(self, c, method, path, body):
        """A JSON write with the session's CSRF header."""
        csrf = c.get("/api/v1/me").json()["csrf"]
        return c.send_json(method, path, body, headers={"X-CSRF-Token": csrf})

    def make(self, title, threshold=12, **risk):
        """An assessment and one risk in it; returns (campaign id, risk id)."""
        r = self.api(self.c, "POST", "/api/v1/risk_campaign",
                     {"year": 2026, "title": title, "threshold": threshold,
                      "status": "open"})
        self.assertEqual(r.status, 201, r)
        cid = r.json()["id"]
        body = {"campaign": cid, "asset_group": "機房設備", "threat": "電力中斷",
                "vulnerability": "單一電源", "catalog": "R01",
                "likelihood": 2, "impact": 3, "asset_value": 3,
                "treatment": "reduce", "owner": "總務科", "due": "2026-06-30"}
        body.update(risk)
        r = self.api(self.c, "POST", "/api/v1/risk", body)
        self.assertEqual(r.status, 201, r)
        return cid, r.json()["id"]

    def test_demo_assessment(self):
        """The reference agency's first assessment (issue 4, item 8): its
        risks, the two accepted by the CISO still valid (bound to the
        content as loaded), one waiting for acceptance (residual 12 above
        the threshold 8), and the report counting them."""
        cid = db_query(self.db, "SELECT id FROM risk_campaign WHERE title = "
                       "'115年度資訊資產風險評鑑'")[0][0]
        rows = db_query(self.db, "SELECT value, residual_value FROM risk "
                        "WHERE campaign = ? ORDER BY id", (cid,))
        self.assertEqual(len(rows), 11)
        accepted = db_query(self.db, "SELECT r.threat FROM risk_acceptance a "
                            "JOIN risk r ON r.id = a.risk WHERE r.campaign = ? "
                            "ORDER BY a.id", (cid,))
        self.assertEqual(len(accepted), 2)
        page = self.c.page("/r/risk_campaign/%d/report" % cid)
        self.assertEqual(page.status, 200, page)
        self.assertEqual(page.text.count('class="acc-valid"'), 2)
        self.assertEqual(page.text.count('class="acc-pending"'), 1)
        self.assertEqual(page.text.count('class="acc-stale"'), 0)
        for (threat,) in accepted:
            self.assertContains(html.escape(threat, quote=True), page.text)

    def test_value_is_computed(self):
        """value = likelihood × impact × asset value; a value sent is replaced."""
        _, rid = self.make("計算評鑑", value=5, residual_likelihood=1,
                           residual_impact=2)
        row = db_query(self.db, "SELECT value, residual_value FROM risk WHERE id = ?",
                       (rid,))[0]
        self.assertEqual(row, (18, 6))
        r = self.api(self.c, "PATCH", "/api/v1/risk/%d" % rid, {"likelihood": 3})
        self.assertEqual(r.status, 200, r)
        row = db_query(self.db, "SELECT value, residual_value FROM risk WHERE id = ?",
                       (rid,))[0]
        self.assertEqual(row, (27, 6))

    def test_bad_risks_refused(self):
        """Beyond the scale, an unknown catalog id or no asset: 400."""
        cid, _ = self.make("拒絕評鑑")
        for bad in ({"likelihood": 4}, {"catalog": "R999"}, {"asset_group": None}):
            body = {"campaign": cid, "asset_group": "群組", "threat": "t",
                    "likelihood": 1, "impact": 1, "asset_value": 1}
            body.update(bad)
            body = {k: v for k, v in body.items() if v is not None}
            r = self.api(self.c, "POST", "/api/v1/risk", body)
            self.assertEqual(r.status, 400, (bad, r))

    def test_report_and_heat_map(self):
        """The report lists the risks by value with a heat map cell count."""
        cid, rid = self.make("報告評鑑", threshold=8)
        r2 = self.api(self.c, "POST", "/api/v1/risk",
                      {"campaign": cid, "asset_group": "公文系統", "threat": "勒索軟體",
                       "likelihood": 3, "impact": 3, "asset_value": 3,
                       "treatment": "accept"})
        self.assertEqual(r2.status, 201, r2)
        r = self.c.get("/r/risk_campaign/%d/report" % cid)
        self.assertEqual(r.status, 200, r)
        self.assertContains("<svg", r.text)
        self.assertContains('fill="#f2a0a0"', r.text)
        # Highest value first: 勒索軟體 (27) before 電力中斷 (18).
        self.assertLess(r.text.index("勒索軟體"), r.text.index("電力中斷"))
        self.assertContains("待資通安全長核定接受", r.text)
        self.assertContains("共 2 項風險", r.text)
        # The campaign's record page links to the report.
        self.assertContains("/r/risk_campaign/%d/report" % cid,
                            self.c.get("/r/risk_campaign/%d" % cid).text)
        # The report of a risk id under another register is 404.
        self.assertEqual(self.c.get("/r/risk/%d/report" % rid).status, 404)

    def test_acceptance_bound_to_content(self):
        """The CISO accepts; an edit afterwards voids the acceptance."""
        _, rid = self.make("核定評鑑", treatment="accept", plan="明年汰換")
        ciso = self.server.signed_in(self, "ciso-risk", ("ciso",))
        page = ciso.page("/r/risk/%d" % rid)
        self.assertContains("/r/risk/%d/accept" % rid, page.text)
        r = ciso.post_form("/r/risk/%d/accept" % rid, {"note": "汰換前加強監控"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/r/risk/%d" % rid)
        page = self.c.get("/r/risk/%d" % rid).text
        self.assertContains("已核定接受", page)
        self.assertContains("ciso-risk", page)
        self.assertNotContains("接受已失效", page)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM audit_event"
                                  " WHERE action = 'risk-accept'")[0][0] >= 1, True)
        # Edit the risk: the acceptance no longer holds.
        r = self.api(self.c, "PATCH", "/api/v1/risk/%d" % rid, {"owner": "資訊室"})
        self.assertEqual(r.status, 200, r)
        page = self.c.get("/r/risk/%d" % rid).text
        self.assertContains("接受已失效：核定後風險已變更，須重新核定", page)
        self.assertContains("接受已失效", ciso.page("/r/risk/%d" % rid).text)
        # Renewed, it holds again.
        r = ciso.post_form("/r/risk/%d/accept" % rid, {})
        self.assertEqual(r.status, 303, r)
        self.assertNotContains("接受已失效", self.c.get("/r/risk/%d" % rid).text)

    def test_not_needed_is_refused(self):
        """A reduced risk within the threshold needs no acceptance: 400."""
        _, rid = self.make("免核定評鑑", residual_likelihood=1, residual_impact=1)
        ciso = self.server.signed_in(self, "ciso-risk2", ("ciso",))
        ciso.page("/r/risk/%d" % rid)
        self.assertEqual(ciso.post_form("/r/risk/%d/accept" % rid, {}).status, 400)

    def test_others_cannot_accept(self):
        """Staff and the officer get 403; nothing is stored."""
        _, rid = self.make("權限評鑑", treatment="accept")
        staff = self.server.signed_in(self, "clerk-risk", ("staff",))
        staff.page("/account")
        self.assertEqual(staff.post_form("/r/risk/%d/accept" % rid, {}).status, 403)
        self.c.page("/r/risk/%d" % rid)
        self.assertEqual(self.c.post_form("/r/risk/%d/accept" % rid, {}).status, 403)
        self.assertEqual(db_query(self.db, "SELECT count(*) FROM risk_acceptance"
                                  " WHERE risk = ?", (rid,))[0][0], 0)
        # Staff cannot read the asset area at all.
        self.assertEqual(staff.get("/r/risk/%d" % rid).status, 403)


if __name__ == "__main__":
    harness.main()
