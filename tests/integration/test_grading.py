"""Protection-need grading (附表九) and the 附表十 baseline through the
real server: an officer grades, the CISO approves, the system's level and
core mark follow, the baseline lists the controls of that level under the
rule set in force (cumulative), states are recorded with history, a raised
level marks the newly applicable controls, and the gap list sums it up."""

import json
import os
import re

import harness
from harness import IsmsTestCase, Server

SUMMARY = re.compile(r'class="summary"[^>]*>([^<]+)<')


def counts(text):
    """The numbers of the baseline summary line."""
    m = SUMMARY.search(text)
    return [int(x) for x in re.findall(r"\d+", m.group(1))] if m else None


LEVELS = {"普": 1, "中": 2, "高": 3}


def set_diff(level):
    """(newly applicable, no longer listed) for a system at level (1..3)
    under the 115 rules versus 110, from the data file itself."""
    path = os.path.join(harness.SOURCE, "data", "rules", "baseline.json")
    with open(path, encoding="utf-8") as fh:
        sets = {s["name"]: s for s in json.load(fh)["sets"]}
    lv = {c["id"]: LEVELS[c["level"]] for s in sets.values() for c in s["controls"]}
    now = [c for c in sets["115"]["controls"] if lv[c["id"]] <= level]
    new = [c for c in now if not any(lv[f] <= level for f in c.get("from") or [])]
    kept = {f for c in now for f in c.get("from") or []}
    gone = [c for c in sets["110"]["controls"]
            if lv[c["id"]] <= level and c["id"] not in kept]
    return len(new), len(gone)


def asset_level(client, aid):
    """The protection level an asset's page shows (from its system)."""
    r = client.get("/r/asset/%d" % aid)
    m = re.search(r"<dt>防護需求等級（依所屬資通系統）</dt><dd>(?:<a [^>]*>)?([^<]+)<",
                  r.text)
    return m.group(1) if m else None


class GradingTest(IsmsTestCase):
    demo = False

    def setUp(self):
        tmp = harness.make_tempdir(self)
        self.db = harness.init_db(tmp.name + "/g.db", demo=False)
        self.ciso_pw = harness.add_user(self.db, "ciso1", ("ciso",))

    def test_grade_approve_baseline_and_gaps(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off1", ("officer",))
            r = o.post_json("/api/v1/system", {"name": "新聞局官網", "sourcing": "outsourced",
                                               "environment": "prod"})
            self.assertEqual(r.status, 201, r)
            sid = r.json()["id"]
            # Not graded: the baseline says so and lists nothing.
            r = o.get("/r/system/%d/baseline" % sid)
            self.assertEqual(r.status, 200)
            self.assertIsNone(counts(r.text))
            # An asset takes its level from its system: none yet.
            r = o.post_json("/api/v1/asset", {"name": "官網主機", "class": "physical",
                                              "system": sid})
            self.assertEqual(r.status, 201, r)
            aid = r.json()["id"]
            r = o.post_json("/api/v1/asset", {"name": "無系統之資產", "class": "info"})
            lone = r.json()["id"]
            self.assertEqual(asset_level(o, aid), "未分級")
            self.assertEqual(asset_level(o, lone), "未連結資通系統")
            # All four dimensions and a justification are required.
            o.page("/r/system/%d/grading" % sid)
            r = o.post_form("/r/system/%d/grading" % sid, {"c": "1", "i": "2", "a": "2"})
            self.assertEqual(r.status, 400)
            r = o.post_form("/r/system/%d/grading" % sid,
                            {"c": "1", "i": "2", "a": "2", "l": "1", "justification": "中斷影響對外發布"})
            self.assertEqual(r.status, 303)
            # The officer cannot approve; neither can whoever graded.
            r = o.page("/r/system/%d/grading" % sid)
            self.assertNotIn('name="grading"', r.text)
            gid = harness.db_query(self.db, "SELECT max(id) FROM grading")[0][0]
            r = o.post_form("/r/system/%d/grading/decide" % sid, {"grading": gid, "approve": "1"})
            self.assertEqual(r.status, 403)
            c = srv.client(self)
            c.login("ciso1", self.ciso_pw)
            c.page("/r/system/%d/grading" % sid)
            r = c.post_form("/r/system/%d/grading/decide" % sid,
                            {"grading": gid, "approve": "1", "note": "同意"})
            self.assertEqual(r.status, 303)
            r = c.post_form("/r/system/%d/grading/decide" % sid, {"grading": gid, "approve": "1"})
            self.assertEqual(r.status, 409, "a grading decided twice")
            rec = o.get("/api/v1/system/%d" % sid).json()
            self.assertEqual(rec["level"], "mid")
            self.assertEqual(asset_level(o, aid), "中")
            # 中 under the 115 rules (in force today): 45 普 + 17 中 controls.
            o.token = None
            r = o.page("/r/system/%d/baseline" % sid)
            self.assertEqual(counts(r.text), [62, 0, 0, 0, 0, 62])
            r110 = o.get("/r/system/%d/baseline?set=110" % sid)
            self.assertEqual(counts(r110.text), [58, 0, 0, 0, 0, 58])
            # What the 115 amendment changed for this 中 system.
            added, gone = set_diff(2)
            self.assertGreater(added, 0)
            self.assertIn("依 115 年修正，本系統新增適用 %d 項、不再列出 %d 項" % (added, gone),
                          r.text)
            self.assertEqual(r.text.count('class="tag set-new"'), added)
            self.assertNotIn('class="set-diff"', r110.text)
            # Record states; "not applicable" needs the approved exemption.
            r = o.post_form("/r/system/%d/baseline" % sid,
                            {"control": "115-01", "status": "implemented", "evidence": "程序書 v1"})
            self.assertEqual(r.status, 303)
            r = o.post_form("/r/system/%d/baseline" % sid, {"control": "115-02", "status": "na"})
            self.assertEqual(r.status, 400)
            r = o.post_form("/r/system/%d/baseline" % sid,
                            {"control": "115-02", "status": "na", "exemption": "115-03-01 核准"})
            self.assertEqual(r.status, 303)
            r = o.post_form("/r/system/%d/baseline" % sid,
                            {"control": "115-03", "status": "planned", "due": "2027-13-01"})
            self.assertEqual(r.status, 400)
            r = o.post_form("/r/system/%d/baseline" % sid, {"control": "nope", "status": "planned"})
            self.assertEqual(r.status, 400)
            r = o.page("/r/system/%d/baseline" % sid)
            self.assertEqual(counts(r.text), [62, 1, 0, 0, 1, 60])
            hist = harness.db_query(self.db, "SELECT count(*) FROM control_history WHERE system = ?",
                                    (sid,))
            self.assertEqual(hist[0][0], 2)
            # Re-graded 高 and approved: core, all 80 controls, the 18
            # 高 ones marked new.
            o.page("/r/system/%d/grading" % sid)
            r = o.post_form("/r/system/%d/grading" % sid,
                            {"c": "3", "i": "2", "a": "2", "l": "1", "justification": "新增個資功能"})
            self.assertEqual(r.status, 303)
            gid2 = harness.db_query(self.db, "SELECT max(id) FROM grading")[0][0]
            c.page("/r/system/%d/grading" % sid)
            r = c.post_form("/r/system/%d/grading/decide" % sid, {"grading": gid2, "approve": "1"})
            self.assertEqual(r.status, 303)
            rec = o.get("/api/v1/system/%d" % sid).json()
            self.assertEqual((rec["level"], rec["is_core"]), ("high", True))
            self.assertEqual(asset_level(o, aid), "高")
            r = o.get("/r/system/%d/baseline" % sid)
            self.assertEqual(counts(r.text)[0], 80)
            self.assertEqual(len(re.findall(r'<tr id="c-[^"]+" class="cs-[a-z]+ new"', r.text)), 18)
            # The gap list: one system, 80 apply, 2 done, 78 to do.
            r = o.get("/r/system/gaps")
            self.assertEqual(r.status, 200)
            self.assertIn("<td>80</td><td>2</td><td>0</td><td>78</td>", r.text)
            self.assertEqual(o.get("/r/business/gaps").status, 404)
            self.assertEqual(o.get("/r/business/1/grading").status, 404)
        # Every step is audited, and the chain holds.
        actions = [a for (a,) in harness.db_query(
            self.db, "SELECT action FROM audit_event WHERE action LIKE 'grading%' OR action = 'control'")]
        self.assertEqual(actions.count("grading"), 2)
        self.assertEqual(actions.count("grading-approve"), 2)
        self.assertEqual(actions.count("control"), 2)
        self.assertEqual(harness.run("audit", "verify", "--db", self.db).returncode, 0)

    def test_staff_cannot_grade(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off2", ("officer",))
            sid = o.post_json("/api/v1/system", {"name": "S", "sourcing": "self",
                                                 "environment": "test"}).json()["id"]
            s = srv.signed_in(self, "it1", ("staff",))
            self.assertEqual(s.get("/r/system/%d/grading" % sid).status, 403)
            i = srv.signed_in(self, "it2", ("it",))
            r = i.get("/r/system/%d/grading" % sid)
            self.assertEqual(r.status, 200)
            self.assertIn('name="justification"', r.text)


class DemoBaselineTest(IsmsTestCase):
    """The reference agency's demo: its website is graded 中 with real gaps."""

    def test_demo_has_gaps(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off3", ("officer",))
            r = o.get("/r/system/gaps")
            self.assertEqual(r.status, 200)
            self.assertIn("高雄市政府新聞局官網", r.text)
            m = re.search(r"共 (\d+) 項", r.text)
            self.assertIsNotNone(m)
            self.assertEqual(int(m.group(1)), 62 - 16)


if __name__ == "__main__":
    harness.main()
