#!/usr/bin/env python3
"""Masking the remaining free text where it enters isms (issue 7, part 3):
an incident's timeline entries (the evidence notes, with or without an
evidence file), the notes of its workflow steps (the reason to reopen
among them), the reason of an assessment that proposes another level and
of the CISO's decision on it, the reason to reopen a calendar
occurrence, and the reason given to reveal encrypted values.

All but the last follow the preview-then-confirm flow of the register
forms: text with personal data is not stored (no entry, no step, no
assessment, no decision, no evidence file, no history row, no audit row)
but shown again with everything as typed (the matrix's ticks among it),
the preview (the masked text with <mark>s, the count per entity, the
operator) and 確認遮蔽並儲存; 預覽遮蔽 only previews; a file that came
with an entry must be chosen again; once confirmed only the masked text
is stored, the indicators the entry is about (IP address, domain,
SHA-256, CVE id) untouched.  The reveal reason goes into the audit trail
masked with the agency's default operator, without a preview; encrypt
and hash become replace there.

A refused step, entry, assessment or decision (a bad SHA-256, a file of
the wrong kind or too big, a bad time or one before the awareness, a
hash that is not the file's, a step out of order, a missing reason)
comes back the same way, with its status (400, 409, 413), the error
next to its control and in the summary, and what was typed kept.  A
step or an entry sent with its time empty keeps the time of its first
sending through the preview.

After every test no original identifier is in any table these flows
write, in the bytes of the database or its log, or in the server's log.
Every operator is used at least once.  Every HTML answer passes tidy
(harness)."""

import datetime
import hashlib
import io
import os
import re
import subprocess
import time
import zipfile

import harness
from harness import Server, db_count, db_query

TPE = datetime.timezone(datetime.timedelta(hours=8))
TW_ID = "A123456789"
MOBILE = "0912-345-678"
EMAIL = "wang.xiaoming@example.com"
ORIGINALS = (TW_ID, MOBILE, EMAIL, "0912345678")
SHA = hashlib.sha256(b"sample").hexdigest()
INDICATORS = ("203.0.113.5", "evil.example.net", SHA, "CVE-2024-12345")
# A timeline entry with three identifiers and four indicators.
TEXT = ("保全受害者資料：身分證 %s，手機 %s，電子郵件 %s；攻擊來源 203.0.113.5，"
        "中繼站網域 evil.example.net，樣本 SHA-256 %s，利用 CVE-2024-12345。"
        % (TW_ID, MOBILE, EMAIL, SHA))
REPLACED = ("保全受害者資料：身分證 <TW_ID>，手機 <PHONE>，電子郵件 <EMAIL>；"
            "攻擊來源 203.0.113.5，中繼站網域 evil.example.net，樣本 SHA-256 %s，"
            "利用 CVE-2024-12345。" % SHA)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PENDING = "內容含有個人資料，尚未儲存"
CONFIRM = harness.MASK_CONFIRM
BAD_OP = harness.MASK_BAD_OP
NONE_FOUND = "未偵測到需遮蔽之個人資料"
REFILE = "請於確認前重新選擇檔案"
NOTHING_LEFT = "遮蔽個人資料後沒有剩下任何文字"
PANEL_RE = harness.MASK_PANEL_RE
MASKED_RE = harness.MASK_MASKED_RE
marks = harness.mask_marks
counts = harness.mask_counts
unescape = harness.unescape


def shown(panel):
    """The masked text a preview panel shows, without its marks."""
    return unescape(re.sub(r"</?mark[^>]*>", "", MASKED_RE.search(panel).group(1)))


def taipei(ts):
    return datetime.datetime.fromtimestamp(ts, TPE).strftime("%Y-%m-%d %H:%M")


class NotesCase(harness.IsmsTestCase):
    """A demo database, one server, an officer (self.c)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = harness.Clock(cls.tmp.name)
        cls.server = Server(cls.db, env=cls.clock.env())
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.c = self.server.signed_in(self, login="notes-officer", roles=("officer",))

    def tearDown(self):
        self.assert_nowhere()

    def assert_nowhere(self, originals=ORIGINALS):
        """No original identifier in a table these flows write, in the
        bytes of the database or its log, or in the server's log."""
        for table in ("incident_event", "incident_step", "incident_assessment",
                      "incident_decision", "evidence_file", "occurrence",
                      "occurrence_event", "audit_event", "reg_history", "incident",
                      "incident_fts"):
            text = repr(db_query(self.db, "SELECT * FROM " + table))
            for o in originals:
                self.assertFalse(o in text or o.lower() in text, "%s holds %s" % (table, o))
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                for o in originals:
                    self.assertFalse(o.encode() in data or o.lower().encode() in data,
                                     "%s holds %s" % (path, o))
        log = self.server.read_stderr()
        for o in originals:
            self.assertFalse(o in log, "the server's log holds %s" % o)

    def new_incident(self, title):
        """A new incident (no personal data), aware of three hours ago."""
        aware = int(datetime.datetime.now().timestamp()) - 3 * 3600
        r = self.c.post_form("/r/incident", {"title": title, "aware_at": taipei(aware),
                                             "description": "官網首頁遭置換"})
        self.assertEqual(r.status, 303, r.text[:300])
        return int(r.header("Location").rsplit("/", 1)[1])

    def counts_of(self, iid):
        """What a refused or previewed post must leave as it was."""
        return (db_count(self.db, "incident_event", "incident = %d" % iid),
                db_count(self.db, "incident_step", "incident = %d" % iid),
                db_count(self.db, "evidence_file"), db_count(self.db, "audit_event"))


class TimelineTest(NotesCase):

    def timeline(self, iid, fields, files=None):
        body = {"kind": "evidence"}
        body.update(fields)
        if files:
            return self.c.post_multipart("/r/incident/%d/timeline" % iid, body, files)
        return self.c.post_form("/r/incident/%d/timeline" % iid, body)

    def test_preview_then_confirm(self):
        """Personal data in an entry: 200 with the form again (the typed
        text, the kind and time chosen, the preview), the incident's state
        below it; nothing stored.  Confirmed: the masked text only, with
        the indicators as typed."""
        iid = self.new_incident("時間軸遮蔽")
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        r = self.timeline(iid, {"text": TEXT, "at": "", "kind": "investigation"})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertContains('name="mask_confirm" value="1"', r.text)
        self.assertContains(CONFIRM, r.text)
        self.assertContains('<option value="investigation" selected>', r.text)
        self.assertContains('action="/r/incident/%d/timeline"' % iid, r.text)
        self.assertContains('<details class="ir-form" open>', r.text)
        self.assertContains(">%s</textarea>" % TEXT, r.text)
        self.assertContains('class="ir-status"', r.text)  # the incident's state
        self.assertContains('href="/r/incident/%d"' % iid, r.text)
        self.assertNotContains(REFILE, r.text)  # no file came
        panels = {m.group(1): m.group(0) for m in PANEL_RE.finditer(r.text)}
        self.assertEqual(set(panels), {"text"})
        p = panels["text"]
        self.assertEqual(counts(p), {"TW_ID": 1, "PHONE": 1, "EMAIL": 1})
        self.assertEqual([k for k, _ in marks(p)], ["TW_ID", "PHONE", "EMAIL"])
        self.assertEqual(shown(p), REPLACED)
        self.assertRegex(p, r'<select id="mo-text" name="mask_op_text">'
                         r'<option value="replace" selected>')
        self.assertEqual(self.counts_of(iid), before)
        # Confirmed with the default operator.
        r = self.timeline(iid, {"text": TEXT, "kind": "investigation", "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("Location"), "/r/incident/%d" % iid)
        rows = db_query(self.db, "SELECT kind, text, file FROM incident_event"
                        " WHERE incident = ?", (iid,))
        self.assertEqual(rows, [("investigation", REPLACED, None)])
        for ind in INDICATORS:
            self.assertIn(ind, rows[0][1])
        page = self.c.page("/r/incident/%d" % iid).text
        self.assertContains("&lt;TW_ID&gt;", page)
        self.assertContains("evil.example.net", page)
        # The audit row names the kind, never the text.
        self.assertEqual(db_query(self.db, "SELECT detail FROM audit_event WHERE action ="
                                  " 'incident-event' AND object = ?", ("incident/%d" % iid,)),
                         [("investigation",)])

    def test_file_comes_again(self):
        """An entry with an evidence file: neither is stored before the
        confirmation, and the page says to choose the file again; confirmed
        with the file again (partial masking), both are stored."""
        iid = self.new_incident("證據檔遮蔽")
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        pdf = {"file": ("scan.pdf", PDF, "application/pdf")}
        fields = {"text": "當事人手機 %s 之通聯紀錄" % MOBILE, "sha256": hashlib.sha256(PDF).hexdigest()}
        r = self.timeline(iid, fields, pdf)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(REFILE, r.text)
        self.assertContains('value="%s"' % hashlib.sha256(PDF).hexdigest(), r.text)
        self.assertEqual(counts(PANEL_RE.search(r.text).group(0)), {"PHONE": 1})
        self.assertEqual(self.counts_of(iid), before)
        # The preview of another operator, still nothing stored.
        r = self.timeline(iid, dict(fields, mask_op_text="partial", mask_preview="1"), pdf)
        self.assertEqual(r.status, 200)
        self.assertEqual(marks(PANEL_RE.search(r.text).group(0)), [("PHONE", "0912*****678")])
        self.assertContains('<option value="partial" selected>', r.text)
        self.assertEqual(self.counts_of(iid), before)
        r = self.timeline(iid, dict(fields, mask_op_text="partial", mask_confirm="1"), pdf)
        self.assertEqual(r.status, 303, r.text[:300])
        rows = db_query(self.db, "SELECT e.text, e.sha256, f.sha256 FROM incident_event e"
                        " JOIN evidence_file f ON f.id = e.file WHERE e.incident = ?", (iid,))
        self.assertEqual(rows, [("當事人手機 0912*****678 之通聯紀錄",
                                 hashlib.sha256(PDF).hexdigest(),
                                 hashlib.sha256(PDF).hexdigest())])
        self.assertEqual(db_count(self.db, "evidence_file"), before[2] + 1)

    def test_preview_button_and_errors(self):
        """預覽遮蔽 never stores, even with mask_confirm; without findings
        it says so.  An unknown operator, or a text that masking would
        empty, is 400 with the form again; nothing stored."""
        iid = self.new_incident("預覽按鈕")
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        r = self.timeline(iid, {"text": TEXT, "mask_preview": "1", "mask_confirm": "1"})
        self.assertEqual(r.status, 200)
        self.assertEqual(len(PANEL_RE.findall(r.text)), 1)
        r = self.timeline(iid, {"text": "來源 198.51.100.7", "mask_preview": "1"})
        self.assertEqual(r.status, 200)
        self.assertContains(NONE_FOUND, r.text)
        self.assertEqual(PANEL_RE.findall(r.text), [])
        self.assertContains('<button type="submit">儲存</button>', r.text)
        r = self.timeline(iid, {"text": TEXT, "mask_confirm": "1", "mask_op_text": "scramble"})
        self.assertEqual(r.status, 400)
        self.assertContains(BAD_OP, r.text)
        self.assertContains(">%s</textarea>" % TEXT, r.text)
        r = self.timeline(iid, {"text": TW_ID, "mask_confirm": "1", "mask_op_text": "redact"})
        self.assertEqual(r.status, 400)
        self.assertContains(NOTHING_LEFT, r.text)
        self.assertEqual(self.counts_of(iid), before)
        # Without personal data the entry is stored at once, as before.
        r = self.timeline(iid, {"text": "來源 198.51.100.7"})
        self.assertEqual(r.status, 303, r.text[:300])


class StepTest(NotesCase):

    def step(self, iid, step, status=303, **extra):
        fields = {"step": step}
        fields.update(extra)
        r = self.c.post_form("/r/incident/%d/step" % iid, fields)
        self.assertEqual(r.status, status, r.text[:500])
        return r

    def test_step_notes(self):
        """A step's note: the preview, then encrypt; the reason to reopen:
        the preview with the typed step, channel and reference, then redact.
        The audit rows name the step and its time only."""
        iid = self.new_incident("步驟說明遮蔽")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.c.post_form("/r/incident/%d/assess" % iid, {"x_core_tamper_minor": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        note = "已電話通知當事人（%s）" % MOBILE
        r = self.step(iid, "notified", 200, note=note, channel="國家資通安全通報應變網站",
                      reference="NCERT-1151124-09")
        self.assertContains(PENDING, r.text)
        self.assertContains('<option value="notified" selected>', r.text)
        self.assertContains('value="NCERT-1151124-09"', r.text)
        self.assertContains('name="note" maxlength="4000" value="%s"' % note, r.text)
        p = PANEL_RE.search(r.text)
        self.assertEqual(p.group(1), "note")
        self.assertEqual(counts(p.group(0)), {"PHONE": 1})
        self.assertEqual(self.counts_of(iid), before)
        self.step(iid, "notified", note=note, channel="國家資通安全通報應變網站",
                  reference="NCERT-1151124-09", mask_confirm="1", mask_op_note="encrypt")
        stored = db_query(self.db, "SELECT note, channel, reference FROM incident_step"
                          " WHERE incident = ?", (iid,))
        self.assertEqual(len(stored), 1)
        self.assertRegex(stored[0][0], r"^已電話通知當事人（<PHONE:e:[a-zA-F]+>）$")
        self.assertEqual(stored[0][1:], ("國家資通安全通報應變網站", "NCERT-1151124-09"))
        self.step(iid, "recovered")
        self.step(iid, "report")
        self.step(iid, "closed", note="結案")
        # Reopening needs a reason, masked like any note.
        self.step(iid, "reopened", 400)
        before = self.counts_of(iid)
        reason = "申請人 %s 來函要求更正（%s）" % (TW_ID, EMAIL)
        r = self.step(iid, "reopened", 200, note=reason)
        self.assertEqual(counts(PANEL_RE.search(r.text).group(0)), {"TW_ID": 1, "EMAIL": 1})
        self.assertContains('<option value="reopened" selected>', r.text)
        self.assertNotContains('action="/r/incident/%d/timeline"' % iid, r.text)  # closed
        r = self.step(iid, "reopened", 200, note=reason, mask_op_note="redact",
                      mask_preview="1")
        self.assertContains('<mark class="removed" data-entity="TW_ID">', r.text)
        self.assertEqual(self.counts_of(iid), before)
        self.step(iid, "reopened", note=reason, mask_op_note="redact", mask_confirm="1")
        self.assertEqual(db_query(self.db, "SELECT note FROM incident_step WHERE incident = ?"
                                  " AND step = 'reopened'", (iid,)),
                         [("申請人  來函要求更正（）",)])
        details = [d for (d,) in db_query(self.db, "SELECT detail FROM audit_event WHERE"
                                          " action = 'incident-step' AND object = ?",
                                          ("incident/%d" % iid,))]
        self.assertEqual([d.split(" ")[0] for d in details],
                         ["notified", "recovered", "report", "closed", "reopened"])


class MetadataTest(NotesCase):
    """Short metadata is masked with replace, whatever the agency's
    default operator, without a preview, before anything is stored: a
    step's channel and reference, the name of an evidence file as sent
    (its extension kept, its bytes and SHA-256 the file's).  The entities
    are those of the setting mask-entities."""

    def setting(self, name, value):
        res = harness.run("settings", "set", name, value, "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)

    def tearDown(self):
        self.setting("mask-operator", "replace")
        self.setting("mask-entities", "default")
        super().tearDown()

    def test_step_channel_reference(self):
        iid = self.new_incident("通報管道遮蔽")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.c.post_form("/r/incident/%d/assess" % iid, {"x_core_tamper_minor": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.c.page("/r/incident/%d" % iid)
        self.setting("mask-operator", "encrypt")
        audits = db_count(self.db, "audit_event")
        # No note: stored at once, the metadata masked with replace.
        r = self.c.post_form("/r/incident/%d/step" % iid, {
            "step": "notified", "channel": "電話 %s" % MOBILE,
            "reference": "函%s號／統編 04595257" % TW_ID})
        self.assertEqual(r.status, 303, r.text[:300])
        # UBN is off by default: left as typed.
        self.assertEqual(db_query(self.db, "SELECT channel, reference FROM incident_step"
                                  " WHERE incident = ?", (iid,)),
                         [("電話 <PHONE>", "函<TW_ID>號／統編 04595257")])
        self.assertEqual(db_count(self.db, "audit_event"), audits + 1)
        # The entities are the agency's: with UBN on, it is masked too.
        self.setting("mask-entities", "default,UBN")
        r = self.c.post_form("/r/incident/%d/step" % iid, {
            "step": "notified", "channel": EMAIL,
            "reference": "統編 04595257", "note": "續行通報"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT channel, reference, note FROM incident_step"
                                  " WHERE incident = ? ORDER BY id DESC LIMIT 1", (iid,)),
                         [("<EMAIL>", "統編 <UBN>", "續行通報")])
        page = self.c.page("/r/incident/%d" % iid).text
        self.assertContains("電話 &lt;PHONE&gt;", page)
        # White space only, full-width too, is no channel or reference.
        r = self.c.post_form("/r/incident/%d/step" % iid, {
            "step": "notified", "channel": "\u3000\u3000", "reference": " \t "})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT channel, reference FROM incident_step"
                                  " WHERE incident = ? ORDER BY id DESC LIMIT 1", (iid,)),
                         [(None, None)])

    def test_timeline_file_name(self):
        """The evidence file of a timeline entry is kept under its name
        masked (its extension kept), with its own SHA-256; a text without
        personal data is stored at once, whatever the file's name holds."""
        iid = self.new_incident("證據檔名遮蔽")
        self.c.page("/r/incident/%d" % iid)
        self.setting("mask-operator", "hash")
        sha = hashlib.sha256(PDF).hexdigest()
        for sent, kept in (("王小明_%s.pdf" % TW_ID, "王小明_<TW_ID>.pdf"),
                           ("%s.PDF" % EMAIL, "<EMAIL>.PDF"),
                           ("手機%s.pdf" % MOBILE, "手機<PHONE>.pdf"),
                           (" .pdf", "evidence.pdf")):
            r = self.c.post_multipart("/r/incident/%d/timeline" % iid,
                                      {"kind": "evidence", "text": "掃描報告"},
                                      {"file": (sent, PDF, "application/pdf")})
            self.assertEqual(r.status, 303, (sent, r.text[:500]))
            row = db_query(self.db, "SELECT f.id, f.name, f.sha256, e.sha256 FROM incident_event e"
                           " JOIN evidence_file f ON f.id = e.file WHERE e.incident = ?"
                           " ORDER BY e.id DESC LIMIT 1", (iid,))[0]
            self.assertEqual(row[1:], (kept, sha, sha), sent)
            r = self.c.get("/r/incident/%d/evidence?file=%d" % (iid, row[0]))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, PDF)
            self.assertEqual(r.header("X-Evidence-SHA256"), sha)

    def test_calendar_file_name(self):
        """The evidence file that closes an occurrence likewise: the page
        shows the masked name, the download keeps the extension."""
        oids = [oid for (oid,) in db_query(
            self.db, "SELECT id FROM occurrence WHERE status = 'open'"
            " AND owner = 'strategy' ORDER BY due_on, id LIMIT 2")]
        sha = hashlib.sha256(PDF).hexdigest()
        for oid, sent, kept in ((oids[0], "王小明_%s.pdf" % TW_ID, "王小明_&lt;TW_ID&gt;.pdf"),
                                (oids[1], "%s.pdf" % EMAIL, "&lt;EMAIL&gt;.pdf")):
            self.c.page("/r/duty/calendar/%d" % oid)
            r = self.c.post_multipart("/r/duty/calendar/%d/close" % oid, {"note": "已辦理"},
                                      {"file": (sent, PDF, "application/pdf")})
            self.assertEqual(r.status, 303, r.text[:500])
            page = self.c.page("/r/duty/calendar/%d" % oid).text
            self.assertContains(kept, page)
            r = self.c.get("/r/duty/calendar/%d/evidence" % oid)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, PDF)
            self.assertEqual(r.header("X-Evidence-SHA256"), sha)
            self.assertRegex(r.header("Content-Disposition"),
                             r'^attachment; filename="evidence-\d+\.pdf"$')


class CalendarReopenTest(NotesCase):

    def done_occurrence(self):
        oid = db_query(self.db, "SELECT id FROM occurrence WHERE status = 'open'"
                       " AND owner = 'strategy' ORDER BY due_on, id LIMIT 1")[0][0]
        self.c.page("/r/duty/calendar/%d" % oid)
        r = self.c.post_multipart("/r/duty/calendar/%d/close" % oid,
                                  {"note": "已辦理", "pick": "risk_campaign:1"})
        self.assertEqual(r.status, 303, r.text[:300])
        return oid

    def reopen(self, oid, fields):
        return self.c.post_form("/r/duty/calendar/%d/reopen" % oid, fields)

    def test_reason_preview_then_confirm(self):
        """The reason to reopen: the page again with the reopening form,
        the typed reason and its preview; not reopened, nothing written.
        Confirmed with hash: the history and the audit row hold the
        token."""
        oid = self.done_occurrence()
        events = db_count(self.db, "occurrence_event", "occurrence = %d" % oid)
        audits = db_count(self.db, "audit_event")
        reason = "當事人 %s 反映佐證含其手機 %s" % (TW_ID, MOBILE)
        r = self.reopen(oid, {"reason": reason})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertContains('action="/r/duty/calendar/%d/reopen"' % oid, r.text)
        self.assertContains(">%s</textarea>" % reason, r.text)
        p = PANEL_RE.search(r.text)
        self.assertEqual(p.group(1), "reason")
        self.assertEqual(counts(p.group(0)), {"TW_ID": 1, "PHONE": 1})
        self.assertContains(CONFIRM, r.text)
        self.assertEqual(db_query(self.db, "SELECT status FROM occurrence WHERE id = ?",
                                  (oid,)), [("done",)])
        self.assertEqual(db_count(self.db, "occurrence_event", "occurrence = %d" % oid), events)
        self.assertEqual(db_count(self.db, "audit_event"), audits)
        r = self.reopen(oid, {"reason": reason, "mask_op_reason": "bogus", "mask_confirm": "1"})
        self.assertEqual(r.status, 400)
        self.assertContains(BAD_OP, r.text)
        r = self.reopen(oid, {"reason": "佐證錯誤", "mask_preview": "1"})
        self.assertEqual(r.status, 200)
        self.assertContains(NONE_FOUND, r.text)
        self.assertEqual(db_count(self.db, "occurrence_event", "occurrence = %d" % oid), events)
        r = self.reopen(oid, {"reason": reason, "mask_op_reason": "hash", "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        token = r"^當事人 <TW_ID:h:[a-zA-F]+> 反映佐證含其手機 <PHONE:h:[a-zA-F]+>$"
        self.assertEqual(db_count(self.db, "occurrence_event", "occurrence = %d" % oid),
                         events + 1)
        note = db_query(self.db, "SELECT kind, note FROM occurrence_event WHERE"
                        " occurrence = ? ORDER BY id DESC LIMIT 1", (oid,))[0]
        self.assertEqual(note[0], "reopened")
        self.assertRegex(note[1], token)
        audit = db_query(self.db, "SELECT detail FROM audit_event WHERE action ="
                         " 'duty-reopened' AND object = ? ORDER BY id DESC LIMIT 1",
                         ("occurrence/%d" % oid,))
        self.assertEqual(audit, [(note[1],)])
        self.assertEqual(db_query(self.db, "SELECT status FROM occurrence WHERE id = ?",
                                  (oid,)), [("open",)])
        self.assertContains("&lt;TW_ID:h:", self.c.page("/r/duty/calendar/%d" % oid).text)

    def test_plain_reason(self):
        """A reason without personal data reopens at once, as before."""
        oid = self.done_occurrence()
        r = self.reopen(oid, {"reason": "佐證不足"})
        self.assertEqual(r.status, 303, r.text[:300])
        r = self.reopen(oid, {"reason": "again"})
        self.assertEqual(r.status, 409)


class RevealReasonTest(NotesCase):
    """The reason of a reveal is audited masked with the default operator;
    encrypt and hash become replace there."""

    def encrypted(self):
        aware = int(datetime.datetime.now().timestamp()) - 3600
        r = self.c.post_form("/r/incident", {
            "title": "加密事件", "aware_at": taipei(aware),
            "description": "當事人手機 " + MOBILE, "mask_op_description": "encrypt",
            "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        return int(r.header("Location").rsplit("/", 1)[1])

    def reveal(self, rid, reason):
        r = self.c.post_form("/r/incident/%d/reveal" % rid,
                             {"field": "description", "reason": reason})
        return r

    def last_detail(self):
        return db_query(self.db, "SELECT detail FROM audit_event WHERE action ="
                        " 'mask-reveal' ORDER BY id DESC LIMIT 1")[0][0]

    def setting(self, op):
        res = harness.run("settings", "set", "mask-operator", op, "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_reason_masked(self):
        rid = self.encrypted()
        try:
            for op, want in (("replace", "申請人 <TW_ID> 要求"),
                             ("encrypt", "申請人 <TW_ID> 要求"),
                             ("hash", "申請人 <TW_ID> 要求"),
                             ("partial", "申請人 A12****789 要求")):
                self.setting(op)
                r = self.reveal(rid, "申請人 %s 要求" % TW_ID)
                self.assertEqual(r.status, 200, (op, r.text[:300]))
                self.assertContains("當事人手機 " + MOBILE, r.text)  # revealed
                self.assertEqual(self.last_detail(), "description; 1/1; " + want, op)
            # Redact: a reason that is nothing but personal data is no
            # reason; nothing revealed, nothing audited.
            self.setting("redact")
            n = db_count(self.db, "audit_event")
            r = self.reveal(rid, TW_ID)
            self.assertEqual(r.status, 400)
            self.assertContains(NOTHING_LEFT, r.text)
            self.assertNotContains(MOBILE, r.text)
            self.assertEqual(db_count(self.db, "audit_event"), n)
            r = self.reveal(rid, "調閱 %s 資料" % TW_ID)
            self.assertEqual(r.status, 200)
            self.assertEqual(self.last_detail(), "description; 1/1; 調閱  資料")
        finally:
            self.setting("replace")


NEED_REASON = "請說明理由"
NEED_TEXT = "請填寫內容"
AT_FILLED = "已填入第一次送出的時間"
REFILE_ERR = "所選擇的檔案沒有保存"
TPE_SECONDS_RE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


def control(page, cid):
    """The start tag of the control with id cid (None without one)."""
    m = re.search(r'<(?:input|select|textarea) id="%s"[^>]*>' % re.escape(cid), page)
    return m.group(0) if m else None


def value_of(page, cid):
    """The value attribute of input cid, unescaped."""
    tag = control(page, cid)
    return unescape(re.search(r' value="([^"]*)"', tag).group(1))


class FormCase(NotesCase):
    """Helpers for the forms that come back with an error."""

    def assert_refused(self, r, status, cid, message):
        """r is the page again with status, message next to control cid
        (marked invalid and described by it) and in the summary, linked
        to it."""
        self.assertEqual(r.status, status, r.text[:500])
        tag = control(r.text, cid)
        self.assertIsNotNone(tag, cid)
        self.assertIn('aria-invalid="true"', tag)
        self.assertRegex(tag, r'aria-describedby="e-%s[" ]' % cid)
        self.assertRegex(r.text, r'<span class="error" id="e-%s">[^<]*%s'
                         % (re.escape(cid), re.escape(message)))
        self.assertRegex(r.text, r'<div class="error-summary"[^>]*><p>[^<]*</p><ul>'
                         r'(?:<li>.*?</li>)*<li><a href="#%s">[^<]*%s'
                         % (re.escape(cid), re.escape(message)))


class AssessReasonTest(FormCase):
    """The reason of an assessment that proposes another level, and the
    CISO's reason to decide it: masked after a preview, the page coming
    back with the matrix as ticked."""

    def assess(self, iid, fields):
        return self.c.post_form("/r/incident/%d/assess" % iid, fields)

    def rows(self, iid):
        return (db_count(self.db, "incident_assessment", "incident = %d" % iid),
                db_count(self.db, "incident_decision", "incident = %d" % iid),
                db_count(self.db, "audit_event"))

    def assert_as_typed(self, page, reason, proposed="3"):
        """The assessment form as posted: core/tamper_minor and daily work
        ticked (nothing else), the proposal and the reason."""
        ticked = re.findall(r'<input type="checkbox" name="(\w+)" value="1"[^>]*checked>', page)
        self.assertEqual(ticked, ["x_core_tamper_minor", "daily_work"])
        self.assertRegex(control(page, "ir-proposed") + page,
                         r'<option value="%s" selected>' % proposed)
        self.assertEqual(value_of(page, "ir-assess-reason"), reason)

    def test_proposal_reason(self):
        """Personal data in the reason of a proposal: 200 with the matrix
        as ticked, the proposal, the reason and its preview; nothing
        stored.  Partial masking confirmed: only the masked reason is kept
        and shown; the audit row has the levels and facts, no reason."""
        iid = self.new_incident("評估理由遮蔽")
        before = self.rows(iid)
        self.c.page("/r/incident/%d/assess" % iid)
        reason = "申請人 %s 來電（手機 %s）稱外洩資料含個資" % (TW_ID, MOBILE)
        fields = {"x_core_tamper_minor": "1", "daily_work": "1", "proposed": "3",
                  "reason": reason}
        r = self.assess(iid, fields)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertContains(CONFIRM, r.text)
        self.assertContains('action="/r/incident/%d/assess"' % iid, r.text)
        self.assert_as_typed(r.text, reason)
        panels = {m.group(1): m.group(0) for m in PANEL_RE.finditer(r.text)}
        self.assertEqual(set(panels), {"reason"})
        self.assertEqual(counts(panels["reason"]), {"TW_ID": 1, "PHONE": 1})
        self.assertEqual(self.rows(iid), before)
        # The preview of another operator; still nothing stored.
        r = self.assess(iid, dict(fields, mask_op_reason="partial", mask_preview="1"))
        self.assertEqual(r.status, 200)
        self.assertEqual(marks(PANEL_RE.search(r.text).group(0)),
                         [("TW_ID", "A12****789"), ("PHONE", "0912*****678")])
        self.assert_as_typed(r.text, reason)
        self.assertEqual(self.rows(iid), before)
        r = self.assess(iid, dict(fields, mask_op_reason="partial", mask_confirm="1"))
        self.assertEqual(r.status, 303, r.text[:300])
        masked = "申請人 A12****789 來電（手機 0912*****678）稱外洩資料含個資"
        self.assertEqual(db_query(self.db, "SELECT level, proposed, reason, daily_work FROM"
                                  " incident_assessment WHERE incident = ?", (iid,)),
                         [(2, 3, masked, 1)])
        self.assertEqual(db_query(self.db, "SELECT detail FROM audit_event WHERE action ="
                                  " 'incident-assess' AND object = ?", ("incident/%d" % iid,)),
                         [("level 2, proposed 3, core:tamper_minor",)])
        page = self.c.page("/r/incident/%d/assess" % iid).text
        self.assertEqual(value_of(page, "ir-assess-reason"), masked)
        self.assertNotContains(TW_ID, page)

    def test_reason_not_kept(self):
        """Without another level the reason is not kept, so it needs no
        preview: saved at once, with no reason."""
        iid = self.new_incident("依判定等級")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.assess(iid, {"x_core_tamper_minor": "1", "proposed": "0",
                              "reason": "申請人 %s 來電" % TW_ID})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT proposed, reason FROM incident_assessment"
                                  " WHERE incident = ?", (iid,)), [(None, None)])

    def test_reason_not_kept_not_checked(self):
        """A reason that goes with no proposal of another level (none, or
        the computed level itself) is thrown away, so it is neither masked
        nor checked: an unknown operator or a reason that masking would
        empty does not refuse the assessment (it was 400 before), a
        preview shows no panel for it, and nothing of it is stored."""
        iid = self.new_incident("理由不保存")
        self.c.page("/r/incident/%d/assess" % iid)
        fields = {"x_core_tamper_minor": "1"}
        for proposed in ("0", "2"):  # 2 is the computed level
            r = self.assess(iid, dict(fields, proposed=proposed, reason=TW_ID,
                                      mask_op_reason="redact", mask_confirm="1"))
            self.assertEqual(r.status, 303, (proposed, r.text[:500]))
            r = self.assess(iid, dict(fields, proposed=proposed,
                                      reason="申請人 %s" % TW_ID,
                                      mask_op_reason="scramble"))
            self.assertEqual(r.status, 303, (proposed, r.text[:500]))
        before = self.rows(iid)
        r = self.assess(iid, dict(fields, proposed="0", reason="申請人 %s" % TW_ID,
                                  mask_op_reason="scramble", mask_preview="1"))
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(PANEL_RE.findall(r.text), [])
        self.assertNotContains(BAD_OP, r.text)
        self.assertEqual(self.rows(iid), before)
        self.assertEqual(db_query(self.db, "SELECT level, proposed, reason FROM"
                                  " incident_assessment WHERE incident = ?", (iid,)),
                         [(2, None, None)] * 4)

    def test_assessment_errors(self):
        """A proposal without a reason, an unknown operator or a reason
        masking empties: 400, the page again as posted, nothing stored."""
        iid = self.new_incident("評估錯誤")
        before = self.rows(iid)
        self.c.page("/r/incident/%d/assess" % iid)
        fields = {"x_core_tamper_minor": "1", "daily_work": "1", "proposed": "3"}
        r = self.assess(iid, dict(fields, reason="  "))
        self.assert_refused(r, 400, "ir-assess-reason", NEED_REASON)
        self.assert_as_typed(r.text, "  ")
        r = self.assess(iid, dict(fields, reason="申請人 %s" % TW_ID,
                                  mask_op_reason="scramble", mask_confirm="1"))
        self.assert_refused(r, 400, "ir-assess-reason", BAD_OP)
        self.assert_as_typed(r.text, "申請人 %s" % TW_ID)
        r = self.assess(iid, dict(fields, reason=TW_ID, mask_op_reason="redact",
                                  mask_confirm="1"))
        self.assert_refused(r, 400, "ir-assess-reason", NOTHING_LEFT)
        self.assert_as_typed(r.text, TW_ID)
        self.assertEqual(self.rows(iid), before)

    def test_decision_reason(self):
        """The CISO's reason: the preview with the level chosen, then hash;
        a missing reason is 400 with the level kept.  The decision, the
        assessment page, the notification and the report hold no
        original; the audit row has the levels only."""
        iid = self.new_incident("確認理由遮蔽")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.assess(iid, {"x_core_tamper_minor": "1", "proposed": "3",
                              "reason": "影響範圍擴大"})
        self.assertEqual(r.status, 303, r.text[:300])
        ciso = self.server.signed_in(self, login="notes-ciso", roles=("ciso",))
        page = ciso.page("/r/incident/%d/assess" % iid).text
        self.assertContains('action="/r/incident/%d/level"' % iid, page)
        before = self.rows(iid)

        def decide(fields):
            return ciso.post_form("/r/incident/%d/level" % iid, fields)
        r = decide({"level": "4"})
        self.assert_refused(r, 400, "ir-decide-reason", NEED_REASON)
        self.assertRegex(control(r.text, "ir-decide-level") + r.text,
                         r'<select id="ir-decide-level"[^>]*>(?:<option[^>]*>[^<]*</option>)*'
                         r'<option value="4" selected>')
        reason = "經承辦人 %s 查證屬實，聯絡信箱 %s" % (TW_ID, EMAIL)
        r = decide({"level": "4", "reason": reason})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertEqual(value_of(r.text, "ir-decide-reason"), reason)
        self.assertRegex(r.text, r'<option value="4" selected>')
        self.assertEqual(counts(PANEL_RE.search(r.text).group(0)), {"TW_ID": 1, "EMAIL": 1})
        self.assertEqual(self.rows(iid), before)
        r = decide({"level": "4", "reason": reason, "mask_op_reason": "hash",
                    "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        stored = db_query(self.db, "SELECT level, reason FROM incident_decision"
                          " WHERE incident = ?", (iid,))
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored[0][0], 4)
        self.assertRegex(stored[0][1], r"^經承辦人 <TW_ID:h:[a-zA-F]+> 查證屬實，"
                         r"聯絡信箱 <EMAIL:h:[a-zA-F]+>$")
        self.assertEqual(db_query(self.db, "SELECT detail FROM audit_event WHERE action ="
                                  " 'incident-level' AND object = ?", ("incident/%d" % iid,)),
                         [("level 4 (computed 2, proposed 3)",)])
        page = self.c.page("/r/incident/%d/assess" % iid).text
        self.assertContains("經承辦人 &lt;TW_ID:h:", page)
        # Where an incident is shown or exported: no original.
        for path in ("/r/incident/%d" % iid, "/r/incident/%d/notification" % iid,
                     "/api/v1/incident/%d" % iid):
            text = self.c.get(path).text
            for o in ORIGINALS:
                self.assertNotIn(o, text, path)
        r = self.c.get("/r/incident/%d/report.odt" % iid)
        self.assertEqual(r.status, 200)
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            odt = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
        self.assertIn("確認理由遮蔽", odt)
        r = self.c.get("/r/incident/%d/report.pdf" % iid)
        self.assertEqual(r.status, 200)
        pdf = subprocess.run(["pdftotext", "-", "-"], input=r.body, check=True,
                             capture_output=True).stdout.decode("utf-8")
        self.assertIn("確認理由遮蔽", pdf)
        for o in ORIGINALS:
            self.assertNotIn(o, odt)
            self.assertNotIn(o, pdf)


class EntryErrorTest(FormCase):
    """A refused timeline entry or step comes back with what was typed."""

    def timeline(self, iid, fields, files=None):
        body = {"kind": "investigation", "text": TEXT}
        body.update(fields)
        if files:
            return self.c.post_multipart("/r/incident/%d/timeline" % iid, body, files)
        return self.c.post_form("/r/incident/%d/timeline" % iid, body)

    def assert_entry_kept(self, page, at=None):
        """The timeline form open with the kind, time and text posted."""
        self.assertContains('<details class="ir-form" open>', page)
        self.assertContains('<option value="investigation" selected>', page)
        self.assertContains(">%s</textarea>" % TEXT, page)
        if at is not None:
            self.assertEqual(value_of(page, "ir-ev-at"), at)

    def test_timeline_errors(self):
        """A bad SHA-256, a file of the wrong kind, a file too big, a bad
        time, a hash that is not the file's (before and after the
        confirmation): the error at its control with what was typed, the
        masking preview too; nothing stored."""
        iid = self.new_incident("時間軸錯誤")
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        r = self.timeline(iid, {"sha256": "xyz", "at": "2026-11-24 25:00"})
        self.assert_refused(r, 400, "ir-sha256", "SHA-256 應為 64 個十六進位字元")
        self.assert_refused(r, 400, "ir-ev-at", "時間格式不正確")
        self.assert_entry_kept(r.text, "2026-11-24 25:00")
        self.assertEqual(value_of(r.text, "ir-sha256"), "xyz")
        self.assertEqual(counts(PANEL_RE.search(r.text).group(0)),
                         {"TW_ID": 1, "PHONE": 1, "EMAIL": 1})
        self.assertContains(PENDING, r.text)
        with open(harness.BIN, "rb") as fh:
            elf = fh.read(65536)
        r = self.timeline(iid, {}, {"file": ("invoice.pdf", elf, "application/pdf")})
        self.assert_refused(r, 400, "ir-file", "檔案內容與副檔名不符")
        self.assert_entry_kept(r.text)
        self.assertContains(REFILE_ERR, r.text)
        big = b"x" * ((20 << 20) + 1)
        r = self.timeline(iid, {}, {"file": ("big.txt", big, "text/plain")})
        self.assert_refused(r, 413, "ir-file", "檔案超過 20 MB 上限")
        self.assert_entry_kept(r.text)
        pdf = {"file": ("scan.pdf", PDF, "application/pdf")}
        r = self.timeline(iid, {"sha256": "0" * 64}, pdf)
        self.assert_refused(r, 400, "ir-sha256", "SHA-256 不符")
        self.assertEqual(value_of(r.text, "ir-sha256"), "0" * 64)
        r = self.timeline(iid, {"sha256": "0" * 64, "mask_confirm": "1"}, pdf)
        self.assert_refused(r, 400, "ir-sha256", "SHA-256 不符")
        self.assert_entry_kept(r.text)
        self.assertContains(REFILE_ERR, r.text)
        self.assertEqual(self.counts_of(iid), before)
        # A text of white space only is no text, as an empty one.
        for blank in ("", "   ", " \t\r\n ", "\u3000\u3000", " \u00a0\u3000 "):
            r = self.timeline(iid, {"text": blank, "mask_confirm": "1"})
            self.assert_refused(r, 400, "ir-text", NEED_TEXT)
        self.assertEqual(self.counts_of(iid), before)
        # Put right, it is stored.
        r = self.timeline(iid, {"sha256": hashlib.sha256(PDF).hexdigest().upper(),
                                "mask_confirm": "1"}, pdf)
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT text, sha256 FROM incident_event"
                                  " WHERE incident = ?", (iid,)),
                         [(REPLACED, hashlib.sha256(PDF).hexdigest())])

    def test_step_errors(self):
        """A step out of order or before a level (409), a bad time or one
        before the awareness, a reopening without a reason (400): the
        error at its control, the step, time, channel, reference and note
        as typed, the note's preview; nothing stored."""
        iid = self.new_incident("步驟錯誤")
        before = self.counts_of(iid)
        self.c.page("/r/incident/%d" % iid)
        note = "已通知當事人 %s" % EMAIL
        typed = {"note": note, "channel": "電話", "reference": "TEL-01"}

        def step(step, **extra):
            fields = dict(typed, step=step)
            fields.update(extra)
            return self.c.post_form("/r/incident/%d/step" % iid, fields)

        def kept(page, chosen, at):
            self.assertContains('<option value="%s" selected>' % chosen, page)
            self.assertEqual(value_of(page, "ir-step-at"), at)
            self.assertEqual(value_of(page, "ir-channel"), "電話")
            self.assertEqual(value_of(page, "ir-reference"), "TEL-01")
            self.assertEqual(value_of(page, "ir-note"), note)
            self.assertEqual(counts(PANEL_RE.search(page).group(0)), {"EMAIL": 1})
        r = step("recovered", at="2026-11-24 10:00")
        self.assert_refused(r, 409, "ir-step", "此步驟不符處理順序")
        kept(r.text, "recovered", "2026-11-24 10:00")
        r = step("notified", at="昨天")
        self.assert_refused(r, 409, "ir-step", "請先完成事件等級評估")
        self.assert_refused(r, 409, "ir-step-at", "時間格式不正確")
        kept(r.text, "notified", "昨天")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.c.post_form("/r/incident/%d/assess" % iid, {"x_core_tamper_minor": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        before = self.counts_of(iid)
        early = taipei(int(time.time()) - 5 * 3600)
        r = step("notified", at=early)
        self.assert_refused(r, 400, "ir-step-at", "步驟時間不得早於知悉時間")
        kept(r.text, "notified", early)
        self.assertEqual(self.counts_of(iid), before)
        step("notified", mask_confirm="1")
        step("recovered", note="")
        step("report", note="")
        step("closed", note="")
        before = self.counts_of(iid)
        # A reason of white space only is none, as an empty one.
        for blank in ("", "   ", " \t\r\n ", "\u3000\u3000", " \u00a0\u3000 "):
            r = step("reopened", note=blank, channel="電話", reference="TEL-01")
            self.assert_refused(r, 400, "ir-note", NEED_REASON)
            self.assertContains('<option value="reopened" selected>', r.text)
        self.assertEqual(self.counts_of(iid), before)


class TimeCarriedTest(FormCase):
    """A step or an entry previewed with its time empty keeps the time of
    its first sending, not the later one of its confirmation."""

    def carried(self, page, cid):
        """The time the form came back with in control cid (Taipei, to the
        second, said so), as a Unix time near now."""
        at = value_of(page, cid)
        self.assertRegex(at, "^%s$" % TPE_SECONDS_RE)
        self.assertContains(AT_FILLED, page)
        self.assertRegex(control(page, cid), r'aria-describedby="h-%s"' % cid)
        t = datetime.datetime.strptime(at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TPE)
        self.assertLess(abs(t.timestamp() - self.clock.now()), 120)
        return at, int(t.timestamp())

    def test_step_time_carried(self):
        iid = self.new_incident("步驟時間")
        self.c.page("/r/incident/%d/assess" % iid)
        r = self.c.post_form("/r/incident/%d/assess" % iid, {"x_core_tamper_minor": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.c.page("/r/incident/%d" % iid)
        note = "以手機 %s 通知當事人" % MOBILE
        r = self.c.post_form("/r/incident/%d/step" % iid,
                             {"step": "notified", "at": "", "note": note})
        self.assertEqual(r.status, 200, r.text[:300])
        at, t = self.carried(r.text, "ir-step-at")
        self.clock.advance(300)  # five minutes reading the preview
        r = self.c.post_form("/r/incident/%d/step" % iid,
                             {"step": "notified", "at": at, "note": note,
                              "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        row = db_query(self.db, "SELECT at, recorded_at, note FROM incident_step"
                       " WHERE incident = ?", (iid,))[0]
        utc = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        self.assertEqual(row[0], utc.strftime("%Y-%m-%dT%H:%M:%SZ"))
        recorded = datetime.datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        self.assertGreaterEqual(recorded - t, 300)
        self.assertEqual(row[2], "以手機 <PHONE> 通知當事人")
        # A time typed in is never touched, and says nothing of filling.
        r = self.c.post_form("/r/incident/%d/step" % iid,
                             {"step": "notified", "at": at, "note": note})
        self.assertEqual(r.status, 200)
        self.assertNotContains(AT_FILLED, r.text)

    def test_entry_time_carried(self):
        iid = self.new_incident("時間軸時間")
        self.c.page("/r/incident/%d" % iid)
        r = self.c.post_form("/r/incident/%d/timeline" % iid,
                             {"kind": "communication", "text": TEXT, "at": ""})
        self.assertEqual(r.status, 200, r.text[:300])
        at, t = self.carried(r.text, "ir-ev-at")
        self.clock.advance(300)
        r = self.c.post_form("/r/incident/%d/timeline" % iid,
                             {"kind": "communication", "text": TEXT, "at": at,
                              "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        utc = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        self.assertEqual(db_query(self.db, "SELECT at FROM incident_event WHERE incident = ?",
                                  (iid,)), [(utc.strftime("%Y-%m-%dT%H:%M:%SZ"),)])


if __name__ == "__main__":
    harness.main()
