#!/usr/bin/env python3
"""Masking the remaining free text where it enters isms (issue 7, part 3):
an incident's timeline entries (the evidence notes, with or without an
evidence file), the notes of its workflow steps (the reason to reopen
among them), the reason to reopen a calendar occurrence, and the reason
given to reveal encrypted values.

The first three follow the preview-then-confirm flow of the register
forms: text with personal data is not stored (no entry, no step, no
evidence file, no history row, no audit row) but shown again with the
typed text, the preview (the masked text with <mark>s, the count per
entity, the operator) and 確認遮蔽並儲存; 預覽遮蔽 only previews; a file
that came with an entry must be chosen again; once confirmed only the
masked text is stored, the indicators the entry is about (IP address,
domain, SHA-256, CVE id) untouched.  The reveal reason goes into the
audit trail masked with the agency's default operator, without a
preview; encrypt and hash become replace there.  After every test no
original identifier is in any table these flows write, in the bytes of
the database or its log, or in the server's log.  Every operator is used
at least once.  Every HTML answer passes tidy (harness)."""

import datetime
import hashlib
import os
import re

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
CONFIRM = "確認遮蔽並儲存"
NONE_FOUND = "未偵測到需遮蔽之個人資料"
REFILE = "請於確認前重新選擇檔案"
BAD_OP = "無法辨識的遮蔽方式"
NOTHING_LEFT = "遮蔽個人資料後沒有剩下任何文字"
PANEL_RE = re.compile(r'<section class="mask-preview" id="mp-(\w+)".*?</section>', re.S)
MASKED_RE = re.compile(r'<div class="masked">(.*?)</div>', re.S)


def marks(panel):
    """(entity, text) of each <mark> of a preview panel."""
    return re.findall(r'<mark data-entity="(\w+)"[^>]*>(.*?)</mark>', panel)


def counts(panel):
    """{entity: count} of a preview panel."""
    return {e: int(n) for e, n in
            re.findall(r'<span data-entity="(\w+)" data-count="(\d+)">', panel)}


def unescape(html):
    return (html.replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))


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
        cls.server = Server(cls.db)
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
        for table in ("incident_event", "incident_step", "occurrence",
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


if __name__ == "__main__":
    harness.main()
