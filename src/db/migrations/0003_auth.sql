-- 0003_auth: accounts, roles, sessions, API tokens, settings and the
-- hash chain of the audit trail (plan 玖.二, 附表十 識別與鑑別, 記錄事件).
-- Times in these tables are Unix seconds (INTEGER): they are compared on
-- every request.  Secrets are never stored: passwords as argon2id strings
-- that carry their own parameters, session ids, API tokens and recovery
-- codes as SHA-256.

-- Agency settings (STYLE.md C9), declared in src/db/settings.def; a row
-- exists only for a value changed from its default.
CREATE TABLE setting(
  name TEXT PRIMARY KEY,        -- e.g. 'password-min-length'
  value TEXT NOT NULL,          -- checked against the declaration
  updated_at TEXT NOT NULL,     -- UTC
  updated_by TEXT NOT NULL      -- who changed it
) STRICT;

-- One account per person (plan 玖.二.(二).2): never shared, disabled but
-- never deleted.  A privileged account is a separate user ID linked to
-- its owner's daily account (玖.二.(四).3).
CREATE TABLE account(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE, -- 使用者 ID
  name TEXT NOT NULL,           -- 姓名
  unit TEXT,                    -- 單位
  email TEXT,                   -- 電子郵件
  privileged INTEGER NOT NULL DEFAULT 0 CHECK(privileged IN (0, 1)),
                                -- 特權帳號
  owner INTEGER REFERENCES account(id), -- the daily account of a
                                -- privileged one
  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0, 1)), -- 停用
  disabled_reason TEXT,         -- why, e.g. 離職
  pw_hash TEXT,                 -- argon2id string with its parameters
  pw_set_at INTEGER,            -- when the password was set
  pw_preset INTEGER NOT NULL DEFAULT 1 CHECK(pw_preset IN (0, 1)),
                                -- set by an administrator or the CLI:
                                -- must be changed at the next login
  failed INTEGER NOT NULL DEFAULT 0, -- consecutive failed logins
  locked_until INTEGER NOT NULL DEFAULT 0, -- locked out until then
  last_login INTEGER,           -- last successful login
  totp_secret BLOB,             -- TOTP secret, NULL when not enrolled
  totp_step INTEGER NOT NULL DEFAULT 0, -- last accepted TOTP step (replay)
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- The roles of each account (the role table is data: src/auth/roles.def).
CREATE TABLE account_role(
  account INTEGER NOT NULL REFERENCES account(id),
  role TEXT NOT NULL,           -- a name from roles.def
  granted_at TEXT NOT NULL,     -- UTC
  granted_by TEXT NOT NULL,     -- who granted it
  PRIMARY KEY(account, role)
) STRICT, WITHOUT ROWID;

-- Earlier password hashes, for "not one of the last N".
CREATE TABLE password_history(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  hash TEXT NOT NULL,           -- argon2id string
  set_at INTEGER NOT NULL       -- when it was set
) STRICT;
CREATE INDEX password_history_account ON password_history(account, id);

-- Signed-in browsers.  The cookie holds 256 random bits; only their
-- SHA-256 is stored.
CREATE TABLE session(
  id_hash BLOB PRIMARY KEY,     -- SHA-256 of the cookie value
  account INTEGER NOT NULL REFERENCES account(id),
  state TEXT NOT NULL CHECK(state IN ('mfa', 'change', 'enroll', 'ok')),
                                -- the step still needed before 'ok'
  rights INTEGER NOT NULL,      -- the account's rights at sign-in
  csrf TEXT NOT NULL,           -- this session's CSRF token
  created_at INTEGER NOT NULL,  -- absolute lifetime counts from here
  seen_at INTEGER NOT NULL,     -- idle time counts from here
  source TEXT                   -- client address at sign-in
) STRICT, WITHOUT ROWID;
CREATE INDEX session_account ON session(account);

-- One-time recovery codes for multi-factor sign-in.
CREATE TABLE recovery_code(
  account INTEGER NOT NULL REFERENCES account(id),
  hash TEXT NOT NULL,           -- SHA-256 hex of the canonical code
  used_at INTEGER,              -- NULL until used (never twice)
  PRIMARY KEY(account, hash)
) STRICT, WITHOUT ROWID;

-- API tokens for scripts: made by a user for themselves, limited to a
-- subset of their rights, expiring, shown once.
CREATE TABLE api_token(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  name TEXT NOT NULL,           -- what it is for
  hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the token
  scope TEXT NOT NULL,          -- 'read' or 'write'
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used INTEGER,            -- last request made with it
  revoked_at INTEGER            -- NULL while valid
) STRICT;
CREATE INDEX api_token_account ON api_token(account);

-- The audit trail becomes a hash chain: every row carries the SHA-256 of
-- the previous row's hash and its own content (src/auth/audit.c).  Rows
-- written before this migration are sealed at the next start.
ALTER TABLE audit_event ADD COLUMN source TEXT; -- client address
ALTER TABLE audit_event ADD COLUMN prev_hash TEXT; -- hash of the row before
ALTER TABLE audit_event ADD COLUMN hash TEXT; -- hash of this row

-- The rows written before the chain existed are marked, so that only
-- they are ever sealed later (a row slipped in afterwards without a hash
-- stays unsealed and fails verification).
UPDATE audit_event SET prev_hash = 'legacy';

-- Append-only: a sealed row never changes; a row is removed only when it
-- is older than the retention (which is at least six months).
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN OLD.hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'audit_event is append-only');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-183 days')
BEGIN
  SELECT RAISE(ABORT, 'audit_event rows younger than the retention stay');
END;

-- 玖.二.(二).1.(5): approved exceptions to the password rules for a
-- system that cannot meet them (a register).
CREATE TABLE pw_exception(
  id INTEGER PRIMARY KEY,
  system TEXT NOT NULL,         -- 資通系統
  requirement TEXT NOT NULL,    -- 調整之通行碼要求
  reason TEXT NOT NULL,         -- 原因（功能限制）
  approver TEXT NOT NULL,       -- 核准人
  approved_on TEXT NOT NULL,    -- 核准日期 YYYY-MM-DD
  valid_until TEXT,             -- 有效期限 YYYY-MM-DD
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX pw_exception_list ON pw_exception(archived, system);
CREATE VIRTUAL TABLE pw_exception_fts USING fts5(body, tokenize='trigram',
  detail=none);
