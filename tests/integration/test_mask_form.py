#!/usr/bin/env python3
"""Masking where text enters isms (issue 7, part 3) over HTTP.

Free text that may carry personal data (the incident register's FF_MASK
fields, the short incident report, the calendar's closing note) is shown
masked before it is saved: a form whose text has findings is not stored
but shown again with a preview (the masked text with <mark>s, the count
per entity, the operator with the agency's default chosen) and the
button 確認遮蔽並儲存, which posts mask_confirm=1.  Only the masked text
is ever written: the record, its history, its search body, the audit
trail and the server's log never hold an original identifier (checked
in the tables and in the database's bytes).  Each operator stores what
it says; hash and encrypt use the key file beside the database, made
on first need with mode 0600.  The JSON API and CSV import mask with the
default operator and say so ("masked").  The officer and the CISO may
reveal encrypted values (audited, never cached); the protection group
may not (403), nor staff, who cannot read incidents.  A refused close
of a calendar occurrence shows its form again with the typed note.
Every HTML answer passes tidy (harness)."""

import os
import re
import stat

import harness
from harness import Server, add_user, db_count, db_query, run

TW_ID = "A123456789"
CARD = "4111 1111 1111 1111"
MOBILE = "0912-345-678"
EMAIL = "wang.xiaoming@example.com"
ORIGINALS = (TW_ID, CARD, MOBILE, EMAIL, "0912345678", "4111111111111111")
TEXT = ("民眾來電反映個資外洩：身分證 %s，手機 %s，信用卡 %s，"
        "電子郵件 %s。攻擊來源 203.0.113.5，惡意網域 evil.example.net，"
        "利用 CVE-2024-12345。" % (TW_ID, MOBILE, CARD, EMAIL))
# TEXT with each identifier replaced by its kind (the replace operator).
REPLACED = ("民眾來電反映個資外洩：身分證 <TW_ID>，手機 <PHONE>，信用卡 <CARD>，"
            "電子郵件 <EMAIL>。攻擊來源 203.0.113.5，惡意網域 evil.example.net，"
            "利用 CVE-2024-12345。")
PENDING = "內容含有個人資料，尚未儲存"
CONFIRM = harness.MASK_CONFIRM
BAD_OP = harness.MASK_BAD_OP
FORBIDDEN = "僅資通安全專職人員或資通安全長可以還原加密內容。"
NEED_REASON = "請說明還原事由。"
NEED_EVIDENCE = "結案須有佐證：請上傳檔案，或連結本系統中的紀錄。"
GROWN = ("遮蔽後超過此欄位之長度上限：遮蔽標記（尤其加密及雜湊）可能比原來的個人資料長。"
         "請將此欄改用較短的遮蔽方式（如「取代為類別標記」或「刪除」），或縮短內容。")
TOO_LONG = "內容過長"
PANEL_RE = harness.MASK_PANEL_RE
MASKED_RE = harness.MASK_MASKED_RE
marks = harness.mask_marks
counts = harness.mask_counts
unescape = harness.unescape


class MaskCase(harness.IsmsTestCase):
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
        self.c = self.server.signed_in(self, login="mask-officer", roles=("officer",))

    def tearDown(self):
        self.assert_nowhere()

    def assert_nowhere(self, originals=ORIGINALS):
        """No original identifier in any table the tests write (the search
        index folds case, so lower case too), in the database's or its
        log's bytes, or in the server's log."""
        sources = {
            "incident": "SELECT * FROM incident",
            "incident_fts": "SELECT * FROM incident_fts",
            "reg_history": "SELECT * FROM reg_history",
            "audit_event": "SELECT * FROM audit_event",
            "occurrence_event": "SELECT * FROM occurrence_event",
        }
        for name, sql in sources.items():
            text = repr(db_query(self.db, sql))
            for o in originals:
                self.assertNotIn(o, text, name)
                self.assertNotIn(o.lower(), text, name)
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                for o in originals:
                    self.assertNotIn(o.encode(), data, path)
                    self.assertNotIn(o.lower().encode(), data, path)
        log = self.server.read_stderr()
        for o in originals:
            self.assertNotIn(o, log)

    def incident(self, **fields):
        base = {"title": "個資外洩通報", "aware_at": "2026-11-20 09:30",
                "description": TEXT}
        base.update(fields)
        return base

    def last_incident(self):
        return db_query(self.db, "SELECT id, title, description FROM incident"
                        " ORDER BY id DESC LIMIT 1")[0]


class PreviewTest(MaskCase):

    def test_preview_stores_nothing(self):
        """Text with findings is not stored: the form comes back (200)
        with the typed text, one preview per field with findings, the
        counts, the default operator chosen and the confirm button."""
        before = (db_count(self.db, "incident"), db_count(self.db, "reg_history"),
                  db_count(self.db, "audit_event"))
        self.c.page("/r/incident/new")
        r = self.c.post_form("/r/incident", self.incident(title="帳號 %s 遭冒用" % TW_ID))
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertContains(CONFIRM, r.text)
        self.assertContains('name="mask_confirm" value="1"', r.text)
        # The typed text is in the form again (escaped), not stored.
        self.assertContains(TW_ID, r.text)
        panels = {m.group(1): m.group(0) for m in PANEL_RE.finditer(r.text)}
        self.assertEqual(set(panels), {"title", "description"})
        d = panels["description"]
        self.assertEqual(counts(d), {"TW_ID": 1, "PHONE": 1, "CARD": 1, "EMAIL": 1})
        self.assertEqual(marks(d), [("TW_ID", "&lt;TW_ID&gt;"), ("PHONE", "&lt;PHONE&gt;"),
                                    ("CARD", "&lt;CARD&gt;"), ("EMAIL", "&lt;EMAIL&gt;")])
        shown = unescape(re.sub(r"</?mark[^>]*>", "", MASKED_RE.search(d).group(1)))
        self.assertEqual(shown, REPLACED)
        self.assertContains("身分證統一編號 1 處", d)
        self.assertContains("信用卡號 1 處", d)
        self.assertRegex(d, r'<select id="mo-description" name="mask_op_description">'
                         r'<option value="replace" selected>取代為類別標記</option>')
        for label in ("刪除", "部分遮蔽", "雜湊", "加密（可由授權人員還原）"):
            self.assertContains(label, d)
        after = (db_count(self.db, "incident"), db_count(self.db, "reg_history"),
                 db_count(self.db, "audit_event"))
        self.assertEqual(before, after)

    def test_preview_button(self):
        """預覽遮蔽 previews even after a confirmation and never stores;
        without findings it says so."""
        n = db_count(self.db, "incident")
        r = self.c.post_form("/r/incident", self.incident(mask_preview="1",
                                                          mask_confirm="1"))
        self.assertEqual(r.status, 200)
        self.assertEqual(len(PANEL_RE.findall(r.text)), 1)
        r = self.c.post_form("/r/incident", self.incident(
            description="主機 203.0.113.5 遭掃描", mask_preview="1"))
        self.assertEqual(r.status, 200)
        self.assertContains("未偵測到需遮蔽之個人資料", r.text)
        self.assertEqual(PANEL_RE.findall(r.text), [])
        self.assertEqual(db_count(self.db, "incident"), n)

    def test_no_findings_saves_at_once(self):
        r = self.c.post_form("/r/incident", self.incident(
            title="網站遭掃描", description="來源 198.51.100.7，網域 scan.example.org"))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(self.last_incident()[2], "來源 198.51.100.7，網域 scan.example.org")

    def test_errors_and_preview_together(self):
        """A field error and findings: 400 with both, nothing stored."""
        n = db_count(self.db, "incident")
        r = self.c.post_form("/r/incident", self.incident(title=""))
        self.assertEqual(r.status, 400)
        self.assertContains("資料未儲存", r.text)
        self.assertEqual(len(PANEL_RE.findall(r.text)), 1)
        self.assertEqual(db_count(self.db, "incident"), n)

    def test_bad_operator(self):
        n = db_count(self.db, "incident")
        r = self.c.post_form("/r/incident", self.incident(
            mask_confirm="1", mask_op_description="scramble"))
        self.assertEqual(r.status, 400)
        self.assertContains(BAD_OP, r.text)
        r = self.c.post_form("/r/incident", self.incident(
            mask_confirm="1", mask_op_description="Replace!"))
        self.assertEqual(r.status, 400)
        self.assertEqual(db_count(self.db, "incident"), n)


class ConfirmTest(MaskCase):

    def test_confirm_stores_masked_only(self):
        """Confirmed: 303; the record, its history and its search body hold
        the masked text; indicators survive; an edit masks again."""
        r = self.c.post_form("/r/incident", self.incident(mask_confirm="1"))
        self.assertEqual(r.status, 303, r.text[:300])
        rid, title, desc = self.last_incident()
        self.assertEqual(r.header("Location"), "/r/incident/%d" % rid)
        self.assertEqual(desc, REPLACED)
        self.assertEqual(title, "個資外洩通報")
        page = self.c.page("/r/incident/%d" % rid).text
        self.assertContains("&lt;TW_ID&gt;", page)
        self.assertContains("evil.example.net", page)
        self.assertContains("CVE-2024-12345", page)
        self.assertNotContains("還原加密內容", page)  # nothing encrypted
        # The search finds the record by its indicator, not by the ID.
        self.assertContains('href="/r/incident/%d"' % rid,
                            self.c.page("/r/incident?q=evil.example.net").text)
        self.assertNotContains('href="/r/incident/%d"' % rid,
                               self.c.page("/r/incident?q=" + TW_ID).text)
        # An edit: the new identifier is previewed, then masked; the
        # history's before and after are masked texts.
        edit = self.c.page("/r/incident/%d/edit" % rid).text
        version = re.search(r'name="version" value="(\d+)"', edit).group(1)
        fields = self.incident(description=REPLACED + "補充：承辦人手機 0933-123-456",
                               version=version)
        r = self.c.post_form("/r/incident/%d" % rid, fields)
        self.assertEqual(r.status, 200)
        self.assertEqual([m[0] for m in marks(PANEL_RE.search(r.text).group(0))],
                         ["PHONE"])
        r = self.c.post_form("/r/incident/%d" % rid, dict(fields, mask_confirm="1"))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(self.last_incident()[2], REPLACED + "補充：承辦人手機 <PHONE>")
        hist = db_query(self.db, "SELECT before, after FROM reg_history"
                        " WHERE register = 'incident' AND record_id = ?"
                        " AND field = 'description'",
                        (rid,))
        self.assertEqual(hist, [(REPLACED, REPLACED + "補充：承辦人手機 <PHONE>")])
        self.assert_nowhere(ORIGINALS + ("0933-123-456",))

    def test_each_operator(self):
        """replace, redact, partial, hash (the same value gives the same
        token) and encrypt (the key file beside the database, 0600)."""
        key = self.db + ".maskkey"
        self.assertFalse(os.path.exists(key))  # made on first need only
        text = "身分證 %s 手機 %s" % (TW_ID, MOBILE)
        stored = {}
        for op in ("replace", "redact", "partial", "hash", "encrypt", "hash"):
            r = self.c.post_form("/r/incident", self.incident(
                title="運算子 " + op, description=text, mask_confirm="1",
                mask_op_description=op))
            self.assertEqual(r.status, 303, (op, r.text[:300]))
            stored.setdefault(op, []).append(self.last_incident()[2])
            if op in ("replace", "redact", "partial"):
                self.assertFalse(os.path.exists(key), op)
        self.assertEqual(stored["replace"], ["身分證 <TW_ID> 手機 <PHONE>"])
        self.assertEqual(stored["redact"], ["身分證  手機"])  # trimmed
        self.assertEqual(stored["partial"], ["身分證 A12****789 手機 0912*****678"])
        h1, h2 = stored["hash"]
        self.assertRegex(h1, r"^身分證 <TW_ID:h:[a-zA-F]+> 手機 <PHONE:h:[a-zA-F]+>$")
        self.assertEqual(h1, h2)
        self.assertRegex(stored["encrypt"][0],
                         r"^身分證 <TW_ID:e:[a-zA-F]+> 手機 <PHONE:e:[a-zA-F]+>$")
        st = os.stat(key)
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(st.st_size, 32)
        with open(key, "rb") as f:
            secret = f.read()
        with open(self.db, "rb") as f:
            self.assertNotIn(secret, f.read())

    def test_preview_shows_chosen_operator(self):
        r = self.c.post_form("/r/incident", self.incident(
            description="身分證 " + TW_ID, mask_preview="1", mask_op_description="partial"))
        self.assertEqual(r.status, 200)
        d = PANEL_RE.search(r.text).group(0)
        self.assertEqual(marks(d), [("TW_ID", "A12****789")])
        self.assertContains('<option value="partial" selected>', d)
        r = self.c.post_form("/r/incident", self.incident(
            description="身分證 " + TW_ID, mask_preview="1", mask_op_description="redact"))
        d = PANEL_RE.search(r.text).group(0)
        self.assertContains('<mark class="removed" data-entity="TW_ID">', d)

    def test_report_form(self):
        """The short report form every user may file masks too."""
        r = self.c.post_form("/incident/report", {"title": "可疑來電",
                                                 "description": TEXT})
        self.assertEqual(r.status, 200)
        self.assertContains(CONFIRM, r.text)
        self.assertEqual([m.group(1) for m in PANEL_RE.finditer(r.text)], ["description"])
        r = self.c.post_form("/incident/report", {"title": "可疑來電", "description": TEXT,
                                                 "mask_confirm": "1"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(self.last_incident()[2], REPLACED)


class TokenCase(MaskCase):
    """MaskCase with a write token of the officer (self.auth)."""

    def setUp(self):
        super().setUp()
        if "token" not in type(self).__dict__:  # one per class: its database
            res = run("token", "create", "--user", "mask-officer", "--name", "t",
                      "--scope", "write", "--db", self.db)
            self.assertEqual(res.returncode, 0, res.stderr)
            type(self).token = res.stdout.decode().strip().splitlines()[-1]
        self.auth = {"Authorization": "Bearer " + self.token}


class ApiTest(TokenCase):

    def test_api_masks_with_default(self):
        """POST and PATCH mask with the default operator and say so; a
        PATCH masks only what it sends."""
        r = self.c.post_json("/api/v1/incident", {
            "title": "API 通報", "aware_at": "2026-11-20T01:30:00Z",
            "description": TEXT}, headers=self.auth)
        self.assertEqual(r.status, 201, r.text)
        body = r.json()
        self.assertEqual(body["description"], REPLACED)
        self.assertEqual(body["masked"], {"count": 4, "operator": "replace",
                                          "entities": {"TW_ID": 1, "PHONE": 1,
                                                       "CARD": 1, "EMAIL": 1}})
        rid = body["id"]
        r = self.c.patch_json("/api/v1/incident/%d" % rid,
                              {"measures": "通知當事人 " + EMAIL}, headers=self.auth)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["measures"], "通知當事人 <EMAIL>")
        self.assertEqual(r.json()["masked"]["count"], 1)
        self.assertEqual(r.json()["description"], REPLACED)
        # A register without masked fields answers as before.
        r = self.c.post_json("/api/v1/member", {"name": "李小華", "title": "技士"},
                             headers=self.auth)
        self.assertEqual(r.status, 201, r.text)
        self.assertNotIn("masked", r.json())

    def test_setting_changes_operator(self):
        res = run("settings", "set", "mask-operator", "partial", "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        try:
            r = self.c.post_json("/api/v1/incident", {
                "title": "部分遮蔽", "aware_at": "2026-11-20T01:30:00Z",
                "description": "身分證 " + TW_ID}, headers=self.auth)
            self.assertEqual(r.status, 201, r.text)
            self.assertEqual(r.json()["description"], "身分證 A12****789")
            self.assertEqual(r.json()["masked"]["operator"], "partial")
            # The form preselects the agency's default.
            r = self.c.post_form("/r/incident", self.incident(description="身分證 " + TW_ID))
            self.assertContains('<option value="partial" selected>', r.text)
        finally:
            run("settings", "set", "mask-operator", "replace", "--db", self.db)

    def test_import_masks(self):
        csv = ("title,aware_at,description\r\n"
               "匯入事件,2026-11-20 09:30,\"%s\"\r\n" % TEXT).encode("utf-8")
        r = self.c.request("POST", "/api/v1/incident/import", body=csv,
                           headers=dict(self.auth, **{"Content-Type": "text/csv"}))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["masked"]["count"], 4)
        self.assertEqual(self.last_incident()[2], REPLACED)

    def test_cli_import_masks(self):
        path = os.path.join(self.tmp.name, "in.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("title,aware_at,description\n命令列匯入,2026-11-20 09:30,身分證 %s\n" % TW_ID)
        res = run("import", "incident", path, "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("TW_ID 1", res.stdout.decode())
        self.assertEqual(self.last_incident()[2], "身分證 <TW_ID>")


class GrownTest(TokenCase):
    """A value within its field's limit as typed, over it once masked
    (an encrypted token is some 85 characters), is refused with a message
    that says why and what to do, not "too long"; nothing is stored."""

    TITLE = "通報：%s、%s、%s" % (TW_ID, TW_ID, TW_ID)  # 40 characters

    def assert_grown(self, text):
        self.assertContains(GROWN, text)
        self.assertNotContains(TOO_LONG + "<", text)

    def test_form_api_import(self):
        before = db_count(self.db, "incident")
        r = self.c.post_form("/r/incident", self.incident(
            title=self.TITLE, mask_op_title="encrypt", mask_confirm="1"))
        self.assertEqual(r.status, 400, r.text[:300])
        self.assert_grown(r.text)
        r = self.c.post_form("/incident/report", {
            "title": self.TITLE, "description": "說明", "mask_op_title": "encrypt",
            "mask_confirm": "1"})
        self.assertEqual(r.status, 400, r.text[:300])
        self.assert_grown(r.text)
        # Typed over the limit, it is too long as before.
        r = self.c.post_form("/r/incident", self.incident(
            title="長" * 201, mask_op_title="encrypt", mask_confirm="1"))
        self.assertEqual(r.status, 400, r.text[:300])
        self.assertContains(TOO_LONG, r.text)
        self.assertNotContains(GROWN, r.text)
        self.assertEqual(db_count(self.db, "incident"), before)
        res = run("settings", "set", "mask-operator", "encrypt", "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        try:
            r = self.c.post_json("/api/v1/incident", {
                "title": self.TITLE, "aware_at": "2026-11-20T01:30:00Z",
                "description": "說明"}, headers=self.auth)
            self.assertEqual(r.status, 400, r.text)
            self.assertEqual([(f["field"], f["message"]) for f in r.json()["fields"]],
                             [("title", GROWN)])
            csv = ("title,aware_at,description\r\n"
                   "%s,2026-11-20 09:30,說明\r\n" % self.TITLE).encode("utf-8")
            r = self.c.request("POST", "/api/v1/incident/import", body=csv,
                               headers=dict(self.auth, **{"Content-Type": "text/csv"}))
            self.assertEqual(r.status, 400, r.text)
            self.assertIn(GROWN, r.text)
            self.assertEqual(db_count(self.db, "incident"), before)
        finally:
            run("settings", "set", "mask-operator", "replace", "--db", self.db)
        # With replace it fits, and is stored.
        r = self.c.post_form("/r/incident", self.incident(
            title=self.TITLE, mask_op_title="replace", mask_confirm="1"))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(self.last_incident()[1], "通報：<TW_ID>、<TW_ID>、<TW_ID>")


class SettingsTest(harness.IsmsTestCase):

    def test_settings_checked(self):
        for name, value in (("mask-operator", "scramble"), ("mask-entities", "TW_ID,FOO"),
                            ("mask-entities", "")):
            res = run("settings", "set", name, value, "--db", self.db)
            self.assertEqual(res.returncode, 65, (name, value))
        for name, value in (("mask-operator", "encrypt"), ("mask-entities", "all"),
                            ("mask-entities", "tw_id, phone")):
            res = run("settings", "set", name, value, "--db", self.db)
            self.assertEqual(res.returncode, 0, (name, value, res.stderr))

    def test_entities_setting(self):
        """Only the kinds of mask-entities are masked."""
        run("settings", "set", "mask-entities", "PHONE", "--db", self.db)
        with Server(self.db) as s:
            c = s.signed_in(self, login="ent-officer", roles=("officer",))
            r = c.post_form("/r/incident", {"title": "t", "aware_at": "2026-11-20 09:30",
                                            "description": "身分證 %s 手機 %s" % (TW_ID, MOBILE),
                                            "mask_confirm": "1"})
            self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(db_query(self.db, "SELECT description FROM incident"
                                  " ORDER BY id DESC LIMIT 1")[0][0],
                         "身分證 %s 手機 <PHONE>" % TW_ID)


class KeyedPreviewTest(MaskCase):
    """Its own database: the preview of hash and encrypt makes the key."""

    def test_hash_and_encrypt_preview(self):
        """Each token is marked whole, and the text between is kept."""
        for op, tag in (("hash", "h"), ("encrypt", "e")):
            r = self.c.post_form("/r/incident", self.incident(
                description="身分證 %s 手機 %s。" % (TW_ID, MOBILE), mask_preview="1",
                mask_op_description=op))
            d = PANEL_RE.search(r.text).group(0)
            got = marks(d)
            self.assertEqual([k for k, _ in got], ["TW_ID", "PHONE"], op)
            for kind, text in got:
                self.assertRegex(text, r"^&lt;%s:%s:[a-zA-F]+&gt;$" % (kind, tag), op)
            shown = unescape(re.sub(r"</?mark[^>]*>", "", MASKED_RE.search(d).group(1)))
            self.assertRegex(shown, r"^身分證 <TW_ID:%s:[a-zA-F]+> 手機 <PHONE:%s:[a-zA-F]+>。$"
                             % (tag, tag))
        self.assertTrue(os.path.exists(self.db + ".maskkey"))
        self.assertEqual(db_count(self.db, "incident"), 1)  # the demo's only


class KeyRaceTest(MaskCase):
    """Eight writers that need the key at about the same time on a fresh
    database all succeed and all use the one key file.  (Whether two
    workers really race for O_EXCL depends on the scheduling; the
    loser's retry in register_mask.c is not forced here.)"""

    def test_concurrent_first_use(self):
        import threading
        res = run("settings", "set", "mask-operator", "encrypt", "--db", self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = run("token", "create", "--user", "mask-officer", "--name", "race",
                  "--scope", "write", "--db", self.db)
        auth = {"Authorization": "Bearer " + res.stdout.decode().strip().splitlines()[-1]}
        self.assertFalse(os.path.exists(self.db + ".maskkey"))
        statuses = []

        def post(i):
            c = self.server.client()
            r = c.post_json("/api/v1/incident", {
                "title": "同時 %d" % i, "aware_at": "2026-11-20T01:30:00Z",
                "description": "身分證 " + TW_ID}, headers=auth)
            statuses.append(r.status)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [201] * 8)
        # Every token opens with the one key: each record reveals its ID.
        for (rid,) in db_query(self.db, "SELECT id FROM incident WHERE title LIKE '同時%'"):
            r = self.c.post_form("/r/incident/%d/reveal" % rid,
                                 {"field": "description", "reason": "檢查"})
            self.assertEqual(r.status, 200, r.text[:300])
            self.assertContains("已還原 1 處加密內容（共 1 處）", r.text)


class RevealTest(MaskCase):

    def encrypted(self):
        r = self.c.post_form("/r/incident", self.incident(
            title="加密 " + TW_ID, mask_confirm="1", mask_op_description="encrypt",
            mask_op_title="encrypt"))
        self.assertEqual(r.status, 303, r.text[:300])
        return self.last_incident()[0]

    def test_officer_reveals(self):
        rid = self.encrypted()
        page = self.c.page("/r/incident/%d" % rid).text
        self.assertEqual(len(re.findall(r'action="/r/incident/%d/reveal"' % rid, page)), 2)
        n = db_count(self.db, "audit_event")
        r = self.c.post_form("/r/incident/%d/reveal" % rid,
                             {"field": "description", "reason": "警方來函調查"})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertContains("已還原 4 處加密內容（共 4 處）", r.text)
        revealed = re.search(r'<div class="longtext revealed">(.*?)</div>', r.text, re.S)
        self.assertEqual(unescape(revealed.group(1)), TEXT)
        rows = db_query(self.db, "SELECT actor, action, object, detail FROM audit_event"
                        " WHERE id > (SELECT max(id) - 1 FROM audit_event)")
        self.assertEqual(db_count(self.db, "audit_event"), n + 1)
        self.assertEqual(rows, [("mask-officer", "mask-reveal", "incident/%d" % rid,
                                 "description; 4/4; 警方來函調查")])
        # The record itself still holds tokens only.
        self.assertRegex(self.last_incident()[2], r"<TW_ID:e:[a-zA-F]+>")

    def test_ciso_reveals(self):
        rid = self.encrypted()
        c = self.server.signed_in(self, login="mask-ciso", roles=("ciso",))
        self.assertContains('action="/r/incident/%d/reveal"' % rid,
                            c.page("/r/incident/%d" % rid).text)
        r = c.post_form("/r/incident/%d/reveal" % rid, {"field": "title", "reason": "稽核"})
        self.assertEqual(r.status, 200)
        self.assertContains("加密 " + TW_ID, r.text)

    def test_others_refused(self):
        rid = self.encrypted()
        c = self.server.signed_in(self, login="mask-protect", roles=("protection",))
        clerk = self.server.signed_in(self, login="mask-clerk", roles=("staff",))
        n = db_count(self.db, "audit_event")
        page = c.page("/r/incident/%d" % rid).text
        self.assertNotContains("/reveal", page)
        r = c.post_form("/r/incident/%d/reveal" % rid,
                        {"field": "description", "reason": "想看"})
        self.assertEqual(r.status, 403)
        self.assertContains(FORBIDDEN, r.text)
        self.assertNotContains(TW_ID, r.text)
        r = clerk.post_form("/r/incident/%d/reveal" % rid,
                            {"field": "description", "reason": "想看"})
        self.assertEqual(r.status, 403)
        self.assertNotContains(TW_ID, r.text)
        self.assertEqual(db_count(self.db, "audit_event"), n)

    def test_bad_requests(self):
        rid = self.encrypted()
        n = db_count(self.db, "audit_event")
        for fields, msg in (({"field": "description", "reason": "  "}, NEED_REASON),
                            ({"field": "reporter", "reason": "x"}, None),
                            ({"field": "nosuch", "reason": "x"}, None)):
            r = self.c.post_form("/r/incident/%d/reveal" % rid, fields)
            self.assertEqual(r.status, 400, fields)
            if msg:
                self.assertContains(msg, r.text)
        # Nothing encrypted in the field: 400 with the reason.
        r = self.c.post_form("/r/incident/1/reveal", {"field": "description", "reason": "x"})
        self.assertEqual(r.status, 400)
        self.assertContains("此欄位沒有加密內容", r.text)
        self.assertEqual(self.c.post_form("/r/incident/99999/reveal",
                                          {"field": "description", "reason": "x"}).status, 404)
        # Without the CSRF token: 403.
        r = self.c.post_form("/r/incident/%d/reveal" % rid,
                             {"field": "description", "reason": "x"}, token=None)
        self.assertEqual(r.status, 403)
        self.assertEqual(db_count(self.db, "audit_event"), n)


class CalendarNoteTest(MaskCase):

    PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

    def open_occurrence(self):
        return db_query(self.db, "SELECT id FROM occurrence WHERE status = 'open'"
                        " ORDER BY due_on, id LIMIT 1")[0][0]

    def close(self, oid, fields, files=None):
        return self.c.post_multipart("/r/duty/calendar/%d/close" % oid, fields, files)

    def test_note_preview_then_confirm(self):
        oid = self.open_occurrence()
        note = "已通知當事人（手機 %s，%s）" % (MOBILE, EMAIL)
        pdf = {"file": ("scan.pdf", self.PDF, "application/pdf")}
        r = self.close(oid, {"note": note}, pdf)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertContains(PENDING, r.text)
        self.assertContains(">%s</textarea>" % note, r.text)
        panel = PANEL_RE.search(r.text).group(0)
        self.assertEqual(counts(panel), {"PHONE": 1, "EMAIL": 1})
        self.assertContains("請於確認前重新選擇檔案", r.text)
        self.assertEqual(db_query(self.db, "SELECT status FROM occurrence WHERE id = ?",
                                  (oid,)), [("open",)])
        r = self.close(oid, {"note": note, "mask_confirm": "1", "mask_op_note": "partial"}, pdf)
        self.assertEqual(r.status, 303, r.text[:300])
        rows = db_query(self.db, "SELECT note FROM occurrence_event WHERE occurrence = ?"
                        " AND kind = 'closed'", (oid,))
        self.assertEqual(len(rows), 1)
        self.assertNotIn(MOBILE, rows[0][0])
        self.assertIn("0912*****678", rows[0][0])

    def test_refused_close_keeps_the_note(self):
        """No evidence: 400 with the occurrence's form again, the typed note
        and link in it (no more bare error page)."""
        oid = self.open_occurrence()
        r = self.close(oid, {"note": "已辦理完成", "link": ""})
        self.assertEqual(r.status, 400)
        self.assertContains(NEED_EVIDENCE, r.text)
        self.assertContains('action="/r/duty/calendar/%d/close"' % oid, r.text)
        self.assertContains(">已辦理完成</textarea>", r.text)
        r = self.close(oid, {"note": "見紀錄", "link": "/r/nosuch/1"})
        self.assertEqual(r.status, 400)
        self.assertContains('value="/r/nosuch/1"', r.text)
        self.assertContains(">見紀錄</textarea>", r.text)


if __name__ == "__main__":
    harness.main()
