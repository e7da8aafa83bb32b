#!/usr/bin/env python3
"""Incidents (plan 壹拾, issue 5) through the real server: the level from
the regulation's matrix (highest matching row, the deciding row shown),
a proposed level confirmed by the CISO (never by its proposer), the
workflow in order, the three legal clocks (met, late, overdue, the
report month counted as 行政程序法 §48 counts), re-notification after a
level change, a closed incident locked until reopened with a reason,
the notification text with its 7 fields, the short report form for
every user, append-only steps and timeline, and bad input refused."""

import calendar
import datetime
import html
import re
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile

import harness
from harness import IsmsTestCase, Server, db_query

TPE = datetime.timezone(datetime.timedelta(hours=8))


def rules():
    path = os.path.join(harness.SOURCE, "data", "rules", "incident.json")
    with open(path, encoding="utf-8") as fh:
        return {s["name"]: s for s in json.load(fh)["sets"]}


def taipei(ts):
    """Unix time ts as the Taipei text a user types."""
    return datetime.datetime.fromtimestamp(ts, TPE).strftime("%Y-%m-%d %H:%M")


def month_after(d):
    """行政程序法 §48: the period starts the next day and ends the day
    before the corresponding day a month later, or the month's last day
    when it has none (3/31 → 4/30, 1/30 → end of February)."""
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


class IncidentTest(IsmsTestCase):
    def setUp(self):
        tmp = harness.make_tempdir(self)
        self.db = harness.init_db(tmp.name + "/i.db")
        self.ciso_pw = harness.add_user(self.db, "ciso1", ("ciso",))
        self.both_pw = harness.add_user(self.db, "both1", ("officer", "ciso"))
        self.staff_pw = harness.add_user(self.db, "staff1", ("staff",))

    def create(self, o, title="官網首頁遭置換", ago=2 * 3600, **more):
        self.aware = int(self.now() - ago) // 60 * 60
        body = {"title": title, "aware_at": taipei(self.aware),
                "description": "民眾來電告知首頁出現不明圖片"}
        body.update(more)
        r = o.post_json("/api/v1/incident", body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def now(self):
        return datetime.datetime.now().timestamp()

    def assess(self, c, iid, facts, status=303, **extra):
        c.page("/r/incident/%d/assess" % iid)
        fields = {"x_%s_%s" % f: "1" for f in facts}
        fields.update(extra)
        r = c.post_form("/r/incident/%d/assess" % iid, fields)
        self.assertEqual(r.status, status, r.text[:500])
        return r

    def step(self, c, iid, step, status=303, **extra):
        c.page("/r/incident/%d" % iid)
        fields = {"step": step}
        fields.update(extra)
        r = c.post_form("/r/incident/%d/step" % iid, fields)
        self.assertEqual(r.status, status, r.text[:500])
        return r

    def latest(self, iid):
        return db_query(self.db, "SELECT level, row_id, proposed FROM incident_assessment "
                        "WHERE incident = ? ORDER BY id DESC LIMIT 1", (iid,))[0]

    def test_level_from_matrix(self):
        law = rules()["115"]
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off1", ("officer",))
            iid = self.create(o)
            # Not assessed: the notify clock runs (overdue: 2 h ago), the
            # containment clock waits for the level.
            r = o.page("/r/incident/%d" % iid)
            self.assertIn('class="clock overdue"', r.text)
            self.assertIn('class="clock waiting"', r.text)
            self.assertIn("未評定", r.text)
            # Serious tampering of a core system (not CI): level 3.
            self.assess(o, iid, [("core", "tamper_serious")])
            level, row, _ = self.latest(iid)
            self.assertEqual(level, 3)
            # A major incident (3–4) asks for the CISO's meeting until the
            # timeline records one.
            self.assertIn("尚無「資通安全長召開會議」紀錄", o.page("/r/incident/%d" % iid).text)
            r = o.post_form("/r/incident/%d/timeline" % iid,
                            {"kind": "meeting", "text": "資通安全長召開應變會議"})
            self.assertEqual(r.status, 303)
            self.assertIn("已召開", o.page("/r/incident/%d" % iid).text)
            # Who only reads incidents records nothing.
            it = srv.signed_in(self, "it1", ("it",))
            self.assertEqual(it.get("/r/incident/%d" % iid).status, 200)
            for path, fields in (("assess", {"x_core_leak_minor": "1"}),
                                 ("step", {"step": "notified"}),
                                 ("timeline", {"kind": "note", "text": "x"}),
                                 ("level", {"level": "1", "reason": "x"})):
                it.page("/r/incident/%d" % iid)
                r = it.post_form("/r/incident/%d/%s" % (iid, path), fields)
                self.assertEqual(r.status, 403, path)
            rows = {x["id"]: x for x in law["rows"]}
            self.assertIn(row, rows)
            self.assertEqual(rows[row]["level"], 3)
            r = o.page("/r/incident/%d/assess" % iid)
            self.assertIn(html.escape(rows[row]["text"], quote=False), r.text)
            self.assertIn('name="x_core_tamper_serious" value="1" '
                          'aria-label="', r.text)
            # Several facts: the highest decides (一般公務機密 leak → 3,
            # beyond the downtime of a non-core system → 2).
            self.assess(o, iid, [("noncore", "down_beyond_mtd"),
                                 ("classified", "leak_minor")])
            level, row, _ = self.latest(iid)
            self.assertEqual(level, 3)
            self.assertIn("classified", rows[row]["kinds"])
            # A non-core system down within its downtime is level 1 only
            # when daily work is affected.
            self.assess(o, iid, [("noncore", "down_within_mtd")])
            self.assertEqual(self.latest(iid)[0], 0)
            self.assess(o, iid, [("noncore", "down_within_mtd")], daily_work="1")
            self.assertEqual(self.latest(iid)[0], 1)
            # Level 1: the containment clock is 72 h from awareness.
            r = o.page("/r/incident/%d" % iid)
            due = datetime.datetime.fromtimestamp(self.aware + 72 * 3600, datetime.timezone.utc)
            self.assertIn('<time datetime="%s">' % due.strftime("%Y-%m-%dT%H:%M:%SZ"), r.text)
            # Every assessment is kept.
            self.assertEqual(db_query(self.db, "SELECT count(*) FROM incident_assessment "
                                      "WHERE incident = ?", (iid,))[0][0], 4)

    def test_proposed_level_and_the_ciso(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off2", ("officer",))
            iid = self.create(o)
            # A different level needs a reason.
            self.assess(o, iid, [("core", "leak_minor")], status=400, proposed="4")
            self.assess(o, iid, [("core", "leak_minor")], proposed="4",
                        reason="外洩資料含大量個資")
            self.assertEqual(self.latest(iid), (2, self.latest(iid)[1], 4))
            r = o.page("/r/incident/%d" % iid)
            self.assertIn("待資通安全長確認", r.text)
            # Until confirmed the clocks use the higher level (36 h).
            due = datetime.datetime.fromtimestamp(self.aware + 36 * 3600, datetime.timezone.utc)
            self.assertIn('<time datetime="%s">' % due.strftime("%Y-%m-%dT%H:%M:%SZ"), r.text)
            # The officer cannot confirm; the CISO can, with a reason.
            r = o.post_form("/r/incident/%d/level" % iid, {"level": "3", "reason": "x"})
            self.assertEqual(r.status, 403)
            c = srv.client(self)
            c.login("ciso1", self.ciso_pw)
            c.page("/r/incident/%d/assess" % iid)
            r = c.post_form("/r/incident/%d/level" % iid, {"level": "3"})
            self.assertEqual(r.status, 400)
            r = c.post_form("/r/incident/%d/level" % iid, {"level": "3", "reason": "經查屬核心業務資訊嚴重洩漏"})
            self.assertEqual(r.status, 303, r.text[:400])
            r = c.post_form("/r/incident/%d/level" % iid, {"level": "3", "reason": "again"})
            self.assertEqual(r.status, 409, "nothing left to confirm")
            r = o.page("/r/incident/%d" % iid)
            self.assertNotIn("待資通安全長確認", r.text)
            self.assertIn("第三級", r.text)
            # Nobody confirms their own proposal.
            b = srv.client(self)
            b.login("both1", self.both_pw)
            self.assess(b, iid, [("core", "leak_minor")], proposed="1", reason="影響輕微")
            # Its author is not offered the decision form, but told why.
            r = b.page("/r/incident/%d/assess" % iid)
            self.assertNotIn('action="/r/incident/%d/level"' % iid, r.text)
            self.assertIn("此等級由您提出，須由另一位具核可權限者", r.text)
            r = b.post_form("/r/incident/%d/level" % iid, {"level": "1", "reason": "自己"})
            self.assertEqual(r.status, 403)
            # Another CISO is offered it.
            r = c.page("/r/incident/%d/assess" % iid)
            self.assertIn('action="/r/incident/%d/level"' % iid, r.text)
            self.assertNotIn("此等級由您提出", r.text)

    def test_workflow_clocks_and_lock(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off3", ("officer",))
            iid = self.create(o, ago=3 * 3600)
            # In order only; notification needs a level.
            self.step(o, iid, "recovered", status=409)
            self.step(o, iid, "notified", status=409)
            self.assess(o, iid, [("core", "tamper_minor")])  # level 2
            self.step(o, iid, "notified", at=taipei(self.aware - 60), status=400)
            self.step(o, iid, "notified", at=taipei(self.aware + 40 * 60),
                      channel="國家資通安全通報應變網站", reference="NCERT-001")
            self.step(o, iid, "report", status=409)
            # Recovered at +80 h: late for level 2 (72 h).
            self.step(o, iid, "recovered", at=taipei(self.aware + 80 * 3600))
            r = o.page("/r/incident/%d" % iid)
            self.assertEqual(r.text.count('class="clock met"'), 1, "notified in time")
            self.assertEqual(r.text.count('class="clock late"'), 1, "recovered late")
            # The report is due a month after the recovery day (Taipei).
            rec_day = datetime.datetime.fromtimestamp(self.aware + 80 * 3600, TPE).date()
            due_day = month_after(rec_day)
            due = datetime.datetime(due_day.year, due_day.month, due_day.day, 23, 59, 59,
                                    tzinfo=TPE).astimezone(datetime.timezone.utc)
            self.assertIn('<time datetime="%s">' % due.strftime("%Y-%m-%dT%H:%M:%SZ"), r.text)
            self.step(o, iid, "report", at=taipei(self.aware + 81 * 3600))
            self.step(o, iid, "closed")
            self.assertEqual(o.get("/r/incident/open").text.count("/r/incident/%d\"" % iid), 0)
            # Closed: no edit by form or API, no archive, no timeline.
            page = o.page("/r/incident/%d/edit" % iid)
            version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
            r = o.post_form("/r/incident/%d" % iid, {"title": "改名", "aware_at": taipei(self.aware),
                                                     "description": "x", "version": version})
            self.assertEqual(r.status, 409)
            self.assertIn("此事件已結案，不可修改", r.text)
            # Its page says so and offers no edit or archive.
            page = o.page("/r/incident/%d" % iid)
            self.assertIn('class="notice locked-note"', page.text)
            self.assertNotIn('href="/r/incident/%d/edit"' % iid, page.text)
            self.assertNotIn('action="/r/incident/%d/archive"' % iid, page.text)
            r = o.send_json("PATCH", "/api/v1/incident/%d" % iid, {"title": "改名"})
            self.assertEqual(r.status, 409, r)
            r = o.post_form("/r/incident/%d/archive" % iid, {})
            self.assertEqual(r.status, 409)
            r = o.send_json("POST", "/api/v1/incident/%d/archive" % iid, {})
            self.assertEqual(r.status, 409, r)
            self.assertIn("此事件已結案", r.json()["message"])
            r = o.post_form("/r/incident/%d/timeline" % iid, {"kind": "note", "text": "後補"})
            self.assertEqual(r.status, 409)
            self.assertEqual(db_query(self.db, "SELECT title FROM incident WHERE id = ?",
                                      (iid,))[0][0], "官網首頁遭置換")
            # Reopening needs a reason; then the change is possible and kept
            # in the record's history.
            self.step(o, iid, "reopened", status=400)
            self.step(o, iid, "reopened", note="補正根因分析")
            r = o.send_json("PATCH", "/api/v1/incident/%d" % iid, {"root_cause": "CMS 外掛漏洞"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(db_query(self.db, "SELECT count(*) FROM reg_history WHERE "
                                      "register = 'incident' AND record_id = ? AND "
                                      "field = 'root_cause'", (iid,))[0][0], 1)
            steps = [s for (s,) in db_query(self.db, "SELECT step FROM incident_step "
                                            "WHERE incident = ? ORDER BY id", (iid,))]
            self.assertEqual(steps, ["notified", "recovered", "report", "closed", "reopened"])
        self.assertEqual(harness.run("audit", "verify", "--db", self.db).returncode, 0)

    def test_renotify_after_level_change(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off4", ("officer",))
            iid = self.create(o)
            self.assess(o, iid, [("core", "tamper_minor")])
            self.step(o, iid, "notified")
            self.assertNotIn("應續行通報", o.page("/r/incident/%d" % iid).text)
            self.assess(o, iid, [("core", "tamper_serious")])
            self.assertIn("等級已變更，應續行通報", o.page("/r/incident/%d" % iid).text)
            self.step(o, iid, "notified", note="續行通報")
            self.assertNotIn("應續行通報", o.page("/r/incident/%d" % iid).text)
            self.assertEqual(db_query(self.db, "SELECT level FROM incident_step WHERE "
                                      "incident = ? ORDER BY id", (iid,)), [(2,), (3,)])

    def test_notification_text(self):
        law = rules()["115"]
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off5", ("officer",))
            site = db_query(self.db, "SELECT id FROM system WHERE name = "
                            "'高雄市政府新聞局官網'")[0][0]
            iid = self.create(o, support_needed="需技術服務中心協助鑑識", systems=[site])
            self.assertIn('href="/r/system/%d">高雄市政府新聞局官網' % site,
                          o.page("/r/incident/%d" % iid).text)
            self.assess(o, iid, [("core", "tamper_minor")])
            o.page("/r/incident/%d" % iid)
            r = o.post_form("/r/incident/%d/timeline" % iid,
                            {"kind": "containment", "text": "暫停官網服務並改以維護頁面"})
            self.assertEqual(r.status, 303)
            text = o.page("/r/incident/%d/notification" % iid).text
            m = re.search(r'<textarea id="notification-text"[^>]*>(.*?)</textarea>',
                                  text, re.S)
            body = html.unescape(m.group(1))
            lines = body.strip().split("\n")
            items = law["notification_fields"]["items"]
            self.assertEqual(len(lines), 7)
            for n, (line, item) in enumerate(zip(lines, items), 1):
                self.assertTrue(line.startswith("%d. %s：" % (n, item["name"])), line)
            agency = db_query(self.db, "SELECT name FROM agency LIMIT 1")[0][0]
            self.assertIn(agency, lines[0])
            self.assertIn("民國", lines[1])
            self.assertIn("（受影響之資通系統：高雄市政府新聞局官網）", lines[2])
            self.assertIn("第二級", lines[3])
            self.assertIn("暫停官網服務並改以維護頁面", lines[4])
            self.assertIn("需技術服務中心協助鑑識", lines[5])

    def test_report_documents(self):
        """The investigation report as ODT (opened by LibreOffice) and PDF
        (pdftotext): every one of the 7 items of 施行細則 §12, the
        fields and timeline entries they are made of, ROC dates, and
        missing parts marked, never dropped."""
        law = rules()["115"]
        items = [i["name"] for i in law["report_items"]["items"]]
        self.assertEqual(len(items), 7)
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off8", ("officer",))
            iid = self.create(o, root_cause="CMS 外掛未更新<&>", prevention="導入 WAF")
            self.assess(o, iid, [("core", "tamper_minor")])
            self.step(o, iid, "notified", reference="NCERT-1151124-07")
            o.page("/r/incident/%d" % iid)
            for kind, text in (("containment", "改以維護頁面"),
                               ("evidence", "保全網頁伺服器日誌")):
                r = o.post_form("/r/incident/%d/timeline" % iid,
                                {"kind": kind, "text": text, "sha256": "" if kind != "evidence"
                                 else "0f" * 32})
                self.assertEqual(r.status, 303, r.text[:300])
            self.step(o, iid, "recovered")
            odt = o.get("/r/incident/%d/report.odt" % iid)
            self.assertEqual(odt.status, 200)
            self.assertEqual(odt.header("Content-Type"), "application/vnd.oasis.opendocument.text")
            pdf = o.get("/r/incident/%d/report.pdf" % iid)
            self.assertEqual(pdf.status, 200)
            self.assertTrue(pdf.body.startswith(b"%PDF-"))
            self.assertEqual(o.get("/r/system/%d/report.pdf" % iid).status, 404)
        soffice = shutil.which("soffice")
        self.assertIsNotNone(soffice, "soffice missing: run tools/deps.sh test")
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "r.odt")
            with open(src, "wb") as fh:
                fh.write(odt.body)
            subprocess.run([soffice, "--headless", "--norestore",
                            "-env:UserInstallation=file://" + d + "/profile",
                            "--convert-to", "txt:Text (encoded):UTF8", "--outdir", d, src],
                           check=True, capture_output=True, timeout=180)
            with open(os.path.join(d, "r.txt"), encoding="utf-8-sig") as fh:
                odt_text = fh.read()
            pdf_path = os.path.join(d, "r.pdf")
            with open(pdf_path, "wb") as fh:
                fh.write(pdf.body)
            pdf_text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], check=True,
                                      capture_output=True).stdout.decode("utf-8")
        agency = db_query(self.db, "SELECT name FROM agency LIMIT 1")[0][0]
        aware_roc = datetime.datetime.fromtimestamp(self.aware, TPE)
        roc = "民國%d年%d月%d日" % (aware_roc.year - 1911, aware_roc.month, aware_roc.day)
        for what, text in (("ODT", odt_text), ("PDF", pdf_text)):
            flat = re.sub(r"\s+", "", text)
            for n, item in enumerate(items):
                self.assertIn(re.sub(r"\s+", "", item), flat, "%s: item %d" % (what, n + 1))
            for want in ("資通安全事件調查、處理及改善報告", agency, "第二級", roc,
                         "CMS外掛未更新<&>", "導入WAF", "改以維護頁面", "保全網頁伺服器日誌",
                         "0f" * 32, "NCERT-1151124-07", "（尚未填寫）", "資通安全長"):
                self.assertIn(re.sub(r"\s+", "", want), flat, "%s: %s" % (what, want))

    def test_evidence_files(self):
        """An evidence file is kept with the SHA-256 isms computes; its
        kind is read from its bytes (a renamed program is refused as a
        PDF); it downloads unchanged from its own incident only; the row
        can be neither changed nor deleted."""
        import hashlib
        pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
        log = "2026-11-24 09:01:02 GET /index.php?id=1'-- 200\n".encode() * 50
        with open(harness.BIN, "rb") as fh:
            elf = fh.read(65536)
        kept = db_query(self.db, "SELECT count(*) FROM evidence_file")[0][0]
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off9", ("officer",))
            iid = self.create(o)
            other = self.create(o, title="另一事件")
            o.page("/r/incident/%d" % iid)

            def send(name, data, **fields):
                body = {"kind": "evidence", "text": "保全 " + name}
                body.update(fields)
                return o.post_multipart("/r/incident/%d/timeline" % iid, body,
                                        {"file": (name, data, "application/octet-stream")})
            r = send("access.log", log)
            self.assertEqual(r.status, 303, r.text[:300])
            r = send("report.pdf", pdf, sha256=hashlib.sha256(pdf).hexdigest().upper())
            self.assertEqual(r.status, 303, r.text[:300])
            # Refused: a program named .pdf, an unknown kind, a wrong hash.
            r = send("invoice.pdf", elf)
            self.assertEqual(r.status, 400)
            self.assertIn("檔案內容與副檔名不符", r.text)
            r = send("tool.exe", elf)
            self.assertEqual(r.status, 400)
            self.assertIn("不接受此類檔案", r.text)
            r = send("report.pdf", pdf, sha256="0" * 64)
            self.assertEqual(r.status, 400)
            self.assertIn("SHA-256 不符", r.text)
            rows = db_query(self.db, "SELECT e.sha256, f.sha256, f.mime, f.size, f.id "
                            "FROM incident_event e JOIN evidence_file f ON f.id = e.file "
                            "WHERE e.incident = ? ORDER BY e.id", (iid,))
            self.assertEqual([(x[0], x[2], x[3]) for x in rows],
                             [(hashlib.sha256(log).hexdigest(), "text/plain", len(log)),
                              (hashlib.sha256(pdf).hexdigest(), "application/pdf", len(pdf))])
            self.assertEqual(db_query(self.db, "SELECT count(*) FROM evidence_file")[0][0],
                             kept + 2, "nothing kept from the refused uploads")
            fid = rows[1][4]
            r = o.get("/r/incident/%d/evidence?file=%d" % (iid, fid))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, pdf)
            self.assertEqual(r.header("Content-Type"), "application/pdf")
            self.assertEqual(r.header("X-Evidence-SHA256"), hashlib.sha256(pdf).hexdigest())
            self.assertIn('href="/r/incident/%d/evidence?file=%d"' % (iid, fid),
                          o.page("/r/incident/%d" % iid).text)
            # Only through its own incident.
            self.assertEqual(o.get("/r/incident/%d/evidence?file=%d" % (other, fid)).status, 404)
            self.assertEqual(o.get("/r/incident/%d/evidence?file=999" % iid).status, 404)
        con = sqlite3.connect(self.db)
        for sql in ("UPDATE evidence_file SET data = x'00'", "DELETE FROM evidence_file"):
            with self.assertRaises(sqlite3.DatabaseError, msg=sql):
                con.execute(sql)
        # Bytes changed behind isms's back (triggers dropped): the download
        # refuses to pass them off as the evidence.
        con.execute("DROP TRIGGER evidence_file_fixed")
        con.execute("UPDATE evidence_file SET data = x'00' WHERE id = ?", (fid,))
        con.commit()
        con.close()
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off10", ("officer",))
            r = o.get("/r/incident/%d/evidence?file=%d" % (iid, fid))
            self.assertEqual(r.status, 500)

    def test_demo_history(self):
        """The reference agency's past incident (demo data): assessed level
        1 by its row, closed, every clock met, its report complete."""
        iid = db_query(self.db, "SELECT id FROM incident WHERE title LIKE "
                       "'官網遭分散式阻斷服務攻擊%'")[0][0]
        self.assertEqual(self.latest(iid)[:2], (1, "115-1-down-noncore"))
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off11", ("officer",))
            page = o.page("/r/incident/%d" % iid).text
            self.assertIn("已結案", page)
            self.assertIn("第一級", page)
            self.assertEqual(page.count('class="clock met"'), 3)
            self.assertNotIn('href="/r/incident/%d"' % iid, o.page("/r/incident/open").text)
            r = o.get("/r/incident/%d/report.pdf" % iid)
            self.assertEqual(r.status, 200)

    def test_anyone_reports(self):
        with Server(self.db) as srv:
            s = srv.client(self)
            s.login("staff1", self.staff_pw)
            self.assertEqual(s.get("/r/incident").status, 403)
            self.assertIn('href="/incident/report"', s.page("/").text)
            self.assertNotIn("未結案之資通安全事件", s.page("/").text)
            s.page("/incident/report")
            r = s.post_form("/incident/report", {"title": "", "description": ""})
            self.assertEqual(r.status, 400)
            r = s.post_form("/incident/report", {"title": "電腦跳出勒索訊息",
                                                 "description": "<script>alert(1)</script>檔案無法開啟",
                                                 "contact": "分機 321"})
            self.assertEqual((r.status, r.header("Location")), (303, "/incident/report?sent=1"))
            self.assertIn("已送出", s.page("/incident/report?sent=1").text)
            row = db_query(self.db, "SELECT id, reporter, aware_at FROM incident "
                           "WHERE title = '電腦跳出勒索訊息'")[0]
            self.assertEqual(row[1], "staff1")
            o = srv.signed_in(self, "off6", ("officer",))
            r = o.page("/r/incident/open")
            self.assertIn('href="/r/incident/%d">電腦跳出勒索訊息' % row[0], r.text)
            self.assertIn("未結案之資通安全事件 1 件，其中 0 件", o.page("/").text)
            r = o.page("/r/incident/%d" % row[0])
            self.assertNotIn("<script>alert(1)</script>", r.text)
            self.assertIn("&lt;script&gt;", r.text)

    def test_bad_input_and_append_only(self):
        with Server(self.db) as srv:
            o = srv.signed_in(self, "off7", ("officer",))
            r = o.post_json("/api/v1/incident", {"title": "t", "aware_at": "明天",
                                                 "description": "d"})
            self.assertEqual(r.status, 400)
            iid = self.create(o)
            self.assess(o, iid, [("core", "leak_minor")])
            self.step(o, iid, "bogus", status=400)
            self.step(o, iid, "notified", at="2026-13-01 10:00", status=400)
            o.page("/r/incident/%d" % iid)
            for bad in ("abc", "g" * 64, "a" * 63):
                r = o.post_form("/r/incident/%d/timeline" % iid,
                                {"kind": "evidence", "text": "磁碟映像", "sha256": bad})
                self.assertEqual(r.status, 400, bad)
            r = o.post_form("/r/incident/%d/timeline" % iid,
                            {"kind": "evidence", "text": "磁碟映像", "sha256": "AB" * 32})
            self.assertEqual(r.status, 303)
            self.assertEqual(db_query(self.db, "SELECT sha256 FROM incident_event "
                                      "WHERE incident = ?", (iid,))[0][0], "ab" * 32)
            self.assertEqual(o.get("/r/system/%d/assess" % iid).status, 404)
            self.step(o, iid, "notified")
        con = sqlite3.connect(self.db)
        for sql in ("UPDATE incident_event SET text = 'x'", "DELETE FROM incident_event",
                    "UPDATE incident_step SET at = 'x'", "DELETE FROM incident_step",
                    "UPDATE incident_assessment SET level = 4"):
            with self.assertRaises(sqlite3.DatabaseError, msg=sql):
                con.execute(sql)
        con.close()


if __name__ == "__main__":
    harness.main()
