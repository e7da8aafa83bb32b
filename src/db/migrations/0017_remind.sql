-- 0017_remind: reminders of the compliance calendar (issue 6, items 3-4):
-- what was decided for whom (so nothing goes out twice, across restarts
-- and crashes), the outgoing mail queue, in-app notifications, and the
-- secret address of each account's calendar feed.  Times here are Unix
-- seconds (INTEGER), as in 0003: the scheduler compares them on every
-- pass.

-- Every reminder decided, once per occurrence, kind of reminder and
-- account.  The scheduler records these rows, the notifications and the
-- queued mails in one transaction, so a reminder is decided exactly
-- once whatever happens afterwards.
CREATE TABLE remind_sent(
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  key TEXT NOT NULL,            -- d30, d7, d1 (days before the due date),
                                -- overdue:YYYY-MM-DD (that day's digest),
                                -- escalate (to the CISO, once)
  account INTEGER NOT NULL REFERENCES account(id),
  at INTEGER NOT NULL,          -- when it was decided
  PRIMARY KEY(occurrence, key, account)
) STRICT, WITHOUT ROWID;
CREATE INDEX remind_sent_account ON remind_sent(account, occurrence);

-- Mail waiting for, or done with, the relay: one per person and pass.
-- Delivery marks each one sent in its own transaction right after the
-- relay accepted it, so a crash in between can resend that one mail,
-- never lose one.
CREATE TABLE mail_outbox(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id), -- the recipient
  rcpt TEXT NOT NULL,           -- the address when it was queued
  subject TEXT NOT NULL,        -- zh-TW
  body TEXT NOT NULL,           -- zh-TW plain text
  made_on TEXT NOT NULL,        -- the Asia/Taipei day the text counts
                                -- days from (YYYY-MM-DD)
  status TEXT NOT NULL DEFAULT 'queued' CHECK(status IN ('queued', 'sent',
    'dropped', 'failed')),      -- dropped: moot before it went out;
                                -- failed: given up after many attempts
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,     -- not tried before then (backoff; also the
                                -- lease of a delivery in progress)
  attempts INTEGER NOT NULL DEFAULT 0, -- failed deliveries so far
  last_error TEXT,              -- why the last attempt failed, or why it
                                -- was dropped
  sent_at INTEGER               -- when the relay accepted it
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_at);

-- The reminders a mail carries; a mail whose occurrences are all closed
-- or void by the time it would go out is dropped, one with some is
-- written again without them.
CREATE TABLE mail_outbox_item(
  mail INTEGER NOT NULL REFERENCES mail_outbox(id),
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  key TEXT NOT NULL,            -- as in remind_sent
  PRIMARY KEY(mail, occurrence, key)
) STRICT, WITHOUT ROWID;

-- In-app notifications (shown on /notices to their account only).  The
-- text is made when shown, in the reader's language, from the kind, the
-- key and the occurrence.
CREATE TABLE notice(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  kind TEXT NOT NULL CHECK(kind IN ('due', 'overdue', 'escalate')),
  key TEXT NOT NULL,            -- the reminder key it came from
  created_at INTEGER NOT NULL,
  read_at INTEGER               -- NULL while unread
) STRICT;
CREATE INDEX notice_account ON notice(account, read_at);

-- The secret address of an account's calendar feed (/feed/TOKEN.ics):
-- only the SHA-256 of the token is kept; renewing replaces it.
CREATE TABLE feed_token(
  account INTEGER PRIMARY KEY REFERENCES account(id),
  hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the token text
  created_at INTEGER NOT NULL   -- made or last renewed
) STRICT;
