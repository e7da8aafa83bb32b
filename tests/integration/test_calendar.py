#!/usr/bin/env python3
"""The compliance calendar (issue 6 item 2, plan 肆, 玖, 壹拾伍) over HTTP.

The demo agency (level C, first approved 2019-08-15) has this year's and
next year's duties; the calendar page's counts and its overdue filter
agree with the database and today's Taipei date; bad filters are 400.
An occurrence closes only with a note and evidence: a file whose kind is
read from its bytes (a program named .pdf is refused, nothing written;
over 20 MB is 413) with its SHA-256 recorded and checked on download,
or a link to a record that exists; a closed one cannot be closed again
(409); the owner group may close its own (an IT account closes the
privileged-account review) but not another group's (403); reopening
needs a reason and the officer's or CISO's rights, and the history keeps
every step; staff read the calendar without a close form, contractors
may not read it.  Every HTML answer passes tidy (harness)."""

import datetime
import hashlib
import re
import time

import harness
from harness import Clock, Server, ServedTestCase, db_count, db_query

TAIPEI = datetime.timezone(datetime.timedelta(hours=8))
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
NEED_NOTE = "請說明辦理情形。"
NEED_EVIDENCE = "結案須有佐證：請上傳檔案，或連結本系統中的紀錄。"
BAD_LINK = "佐證紀錄連結無法辨識"
LINK_MISSING = "連結的紀錄不存在，或您無權查閱。"
NOT_OWNER = "僅負責群組之成員、資通安全專職人員、策略規劃組或資通安全長可以結案。"
NOT_MANAGER = "僅資通安全專職人員、策略規劃組或資通安全長可以重新開啟。"


def today():
    return datetime.datetime.now(TAIPEI).date()


def open_of(db, owner=None):
    """(id, duty, due) of the open occurrences, soonest first."""
    sql = "SELECT id, duty, due_on FROM occurrence WHERE status = 'open'"
    args = ()
    if owner:
        sql += " AND owner = ?"
        args = (owner,)
    return db_query(db, sql + " ORDER BY due_on, id", args)


class CalendarPageTest(ServedTestCase):
    user = "cal-officer"
    roles = ("officer",)

    def test_this_and_next_year(self):
        """A C-level agency's calendar holds this year's and next year's
        duties, the statutory ones of level C among them."""
        y = today().year
        years = {r[0] for r in db_query(
            self.db, "SELECT substr(due_on, 1, 4) FROM occurrence")}
        # Last year's too: the demo keeps a year of closed history.
        self.assertEqual(years, {str(y - 1), str(y), str(y + 1)})
        duties = {r[0] for r in db_query(self.db, "SELECT duty FROM occurrence")}
        for d in ("privileged_account_review", "management_review",
                  "training_general", "device_log_review"):
            self.assertIn(d, duties)
        html = self.c.page("/r/duty/calendar").text
        self.assertIn("民國%d年12月" % (y - 1911), html)
        self.assertIn("民國%d年1月" % (y + 1 - 1911), html)
        self.assertIn("管理審查", html)

    def test_counts_and_overdue(self):
        """The counts and the overdue filter follow the database."""
        day = today().isoformat()
        soon = (today() + datetime.timedelta(days=30)).isoformat()
        lo, hi = "%d-01-01" % today().year, "%d-12-31" % (today().year + 1)
        # This year and next, and what is still open from before.
        rows = [r for r in db_query(self.db, "SELECT id, status, due_on FROM occurrence")
                if lo <= r[2] <= hi or (r[1] == "open" and r[2] < lo)]
        done = sum(1 for r in rows if r[1] == "done")
        overdue = [r[0] for r in rows if r[1] == "open" and r[2] < day]
        due_soon = sum(1 for r in rows if r[1] == "open" and day <= r[2] <= soon)
        on_track = sum(1 for r in rows if r[1] == "open" and r[2] > soon)
        html = self.c.page("/r/duty/calendar").text
        self.assertIn("已完成 %d 項、進行中 %d 項、即將到期 %d 項、逾期 %d 項。"
                      % (done, on_track, due_soon, len(overdue)), html)
        html = self.c.page("/r/duty/calendar?status=overdue").text
        shown = sorted(int(x) for x in re.findall(r'href="/r/duty/calendar/(\d+)"', html))
        self.assertEqual(shown, sorted(overdue))

    def test_filters(self):
        """Year (ROC or AD) and owner filters; bad ones are 400."""
        y = today().year + 1
        html = self.c.page("/r/duty/calendar?year=%d&owner=protection" % (y - 1911)).text
        ids = [int(x) for x in re.findall(r'href="/r/duty/calendar/(\d+)"', html)]
        want = [r[0] for r in db_query(
            self.db, "SELECT id FROM occurrence WHERE owner = 'protection' "
            "AND due_on LIKE ?", ("%d-%%" % y,))]
        self.assertEqual(sorted(ids), sorted(want))
        self.assertTrue(ids)
        for q in ("status=late", "owner=nobody", "chapter=3", "year=abc"):
            self.assertEqual(self.c.get("/r/duty/calendar?" + q).status, 400, q)
        self.assertEqual(self.c.get("/r/agency/calendar").status, 404)


class CloseTest(ServedTestCase):
    user = "cal-closer"
    roles = ("officer",)

    def close(self, oid, fields=None, files=None, c=None):
        return (c or self.c).post_multipart("/r/duty/calendar/%d/close" % oid,
                                            fields or {}, files or {})

    def test_file_evidence(self):
        """Note and evidence required; the kind comes from the bytes; the
        hash is kept and checked; closing twice is 409."""
        oid = open_of(self.db, "protection")[0][0]
        self.c.page("/r/duty/calendar/%d" % oid)
        files_before = db_count(self.db, "evidence_file")
        r = self.close(oid, {"note": ""}, {"file": ("a.pdf", PDF, "application/pdf")})
        self.assertEqual(r.status, 400)
        self.assertIn(NEED_NOTE, r.text)
        r = self.close(oid, {"note": "已辦理"})
        self.assertEqual(r.status, 400)
        self.assertIn(NEED_EVIDENCE, r.text)
        with open(harness.BIN, "rb") as fh:
            elf = fh.read(65536)
        r = self.close(oid, {"note": "已辦理"},
                       {"file": ("report.pdf", elf, "application/pdf")})
        self.assertEqual(r.status, 400)
        self.assertIn("檔案內容與副檔名不符", r.text)
        r = self.close(oid, {"note": "已辦理"},
                       {"file": ("big.pdf", PDF + b"0" * (20 << 20), "application/pdf")})
        self.assertEqual(r.status, 413)
        self.assertEqual(db_count(self.db, "evidence_file"), files_before)
        self.assertEqual(db_query(self.db, "SELECT status FROM occurrence WHERE id = ?",
                                  (oid,))[0][0], "open")
        r = self.close(oid, {"note": "已完成弱點掃描"},
                       {"file": ("scan-report.pdf", PDF, "application/pdf")})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("Location"), "/r/duty/calendar/%d" % oid)
        row = db_query(self.db, "SELECT o.status, o.note, o.closed_by, f.sha256, f.mime "
                       "FROM occurrence o JOIN evidence_file f ON f.id = o.evidence "
                       "WHERE o.id = ?", (oid,))[0]
        self.assertEqual(row, ("done", "已完成弱點掃描", self.user,
                               hashlib.sha256(PDF).hexdigest(), "application/pdf"))
        html = self.c.page("/r/duty/calendar/%d" % oid).text
        self.assertIn("已完成", html)
        self.assertIn(hashlib.sha256(PDF).hexdigest(), html)
        r = self.c.get("/r/duty/calendar/%d/evidence" % oid)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, PDF)
        self.assertEqual(r.header("X-Evidence-SHA256"), hashlib.sha256(PDF).hexdigest())
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="evidence-\d+\.pdf"$')
        r = self.close(oid, {"note": "again"}, {"file": ("a.pdf", PDF, "application/pdf")})
        self.assertEqual(r.status, 409)
        self.assertEqual(db_query(self.db, "SELECT kind, by FROM occurrence_event "
                                  "WHERE occurrence = ?", (oid,)), [("closed", self.user)])
        self.assertEqual(db_count(self.db, "audit_event",
                                  "action = 'duty-closed' AND object = 'occurrence/%d'" % oid), 1)

    def test_link_evidence(self):
        """A link must name an existing record; a full address works."""
        oid = open_of(self.db, "protection")[1][0]
        self.c.page("/r/duty/calendar/%d" % oid)
        for link, msg in (("abc", BAD_LINK), ("/r/drill/999", LINK_MISSING),
                          ("/r/nosuch/1", LINK_MISSING), ("/r/drill/1/edit", BAD_LINK)):
            r = self.close(oid, {"note": "x", "link": link})
            self.assertEqual(r.status, 400, link)
            self.assertIn(msg, r.text)
        r = self.close(oid, {"note": "見風險評鑑", "link": "http://127.0.0.1:8080/r/risk_campaign/1"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT status, link_reg, link_id, evidence "
                                  "FROM occurrence WHERE id = ?", (oid,))[0],
                         ("done", "risk_campaign", 1, None))
        self.assertIn('href="/r/risk_campaign/1"',
                      self.c.page("/r/duty/calendar/%d" % oid).text)

    def test_reopen(self):
        """Reopening needs a reason; the history keeps both steps."""
        oid = open_of(self.db, "strategy")[0][0]
        self.c.page("/r/duty/calendar/%d" % oid)
        self.assertEqual(self.close(oid, {"note": "ok", "pick": "risk_campaign:1"}).status, 303)
        r = self.c.post_form("/r/duty/calendar/%d/reopen" % oid, {"reason": " "})
        self.assertEqual(r.status, 400)
        r = self.c.post_form("/r/duty/calendar/%d/reopen" % oid, {"reason": "佐證不足"})
        self.assertEqual(r.status, 303)
        self.assertEqual(db_query(self.db, "SELECT status, note, link_id FROM occurrence "
                                  "WHERE id = ?", (oid,))[0], ("open", None, None))
        self.assertEqual(db_query(self.db, "SELECT kind, note FROM occurrence_event "
                                  "WHERE occurrence = ? ORDER BY id", (oid,)),
                         [("closed", "ok"), ("reopened", "佐證不足")])
        html = self.c.page("/r/duty/calendar/%d" % oid).text
        self.assertIn("重新開啟", html)
        self.assertIn("佐證不足", html)
        r = self.c.post_form("/r/duty/calendar/%d/reopen" % oid, {"reason": "again"})
        self.assertEqual(r.status, 409)


class NewYearTest(harness.IsmsTestCase):
    def test_still_overdue_after_new_year(self):
        """On 10 January, last year's open duties are still overdue on the
        default calendar and the dashboard (the window starts on 1
        January, what is late is kept)."""
        clock = Clock(self.tmp.name)
        jan10 = datetime.datetime(today().year + 1, 1, 10, 10, 0, tzinfo=TAIPEI)
        clock.advance(int(jan10.timestamp() - time.time()))
        late = [r[0] for r in db_query(
            self.db, "SELECT id FROM occurrence WHERE status = 'open' "
            "AND due_on < ?", ("%d-01-01" % jan10.year,))]
        self.assertTrue(late)
        with Server(self.db, env=clock.env()) as srv:
            c = srv.signed_in(self, "ny1", ("officer",))
            html = c.page("/r/duty/calendar?status=overdue").text
            shown = [int(x) for x in re.findall(r'href="/r/duty/calendar/(\d+)"', html)]
            for oid in late:
                self.assertIn(oid, shown)
            html = c.page("/dashboard").text
            for oid in late[:3]:
                self.assertIn('href="/r/duty/calendar/%d"' % oid, html)


class OwnerTest(harness.IsmsTestCase):
    def test_owner_groups(self):
        """IT staff see their own duties with mine=1 and close the IT
        group's duties only; staff read without a close form; contractors
        may not read."""
        with Server(self.db) as srv:
            c = srv.signed_in(self, "it1", ("it",))
            html = c.page("/r/duty/calendar?mine=1").text
            shown = sorted(int(x) for x in re.findall(r'href="/r/duty/calendar/(\d+)"', html))
            y = today().year
            self.assertEqual(shown, sorted(r[0] for r in db_query(
                self.db, "SELECT id FROM occurrence WHERE owner = 'it' "
                "AND due_on BETWEEN ? AND ?", ("%d-01-01" % y, "%d-12-31" % (y + 1)))))
            self.assertTrue(shown)
            mine = open_of(self.db, "it")[0][0]
            other = open_of(self.db, "protection")[0][0]
            html = c.page("/r/duty/calendar/%d" % other).text
            self.assertNotIn('action="/r/duty/calendar/%d/close"' % other, html)
            r = c.post_multipart("/r/duty/calendar/%d/close" % other,
                                 {"note": "x", "link": "/r/system/1"}, {})
            self.assertEqual(r.status, 403)
            self.assertIn(NOT_OWNER, r.text)
            c.page("/r/duty/calendar/%d" % mine)
            r = c.post_multipart("/r/duty/calendar/%d/close" % mine,
                                 {"note": "已完成特權帳號審查", "link": "/r/system/1"}, {})
            self.assertEqual(r.status, 303, r.text[:300])
            r = c.post_form("/r/duty/calendar/%d/reopen" % mine, {"reason": "x"})
            self.assertEqual(r.status, 403)
            self.assertIn(NOT_MANAGER, r.text)
            s = srv.signed_in(self, "staff1", ("staff",))
            html = s.page("/r/duty/calendar/%d" % mine).text
            self.assertNotIn("/reopen", html)
            k = srv.signed_in(self, "vendor1", ("contractor",))
            self.assertEqual(k.get("/r/duty/calendar").status, 403)


if __name__ == "__main__":
    harness.main()
