-- 0005_review: applications for privileged accounts and the periodic
-- reviews of accounts (plan 玖.二.(二).3 and 玖.二.(四)).

-- 玖.二.(四).1: a privileged account is used only after a formal
-- application, reviewed for its necessity, approved by the CISO (or a
-- delegate); the record is kept.
CREATE TABLE priv_request(
  id INTEGER PRIMARY KEY,
  owner INTEGER NOT NULL REFERENCES account(id), -- the applicant's daily
                                -- account
  login TEXT NOT NULL,          -- the privileged user ID asked for
  reason TEXT NOT NULL,         -- 申請理由（必要性）
  valid_until TEXT NOT NULL,    -- 使用期限 'YYYY-MM-DD'
  status TEXT NOT NULL CHECK(status IN ('pending', 'approved', 'rejected',
    'used')),                   -- used: the account was made from it
  requested_at TEXT NOT NULL,   -- UTC
  decided_by TEXT,              -- 核准人 (login)
  decided_at TEXT,              -- UTC
  note TEXT,                    -- 審查意見
  account INTEGER REFERENCES account(id) -- the account made from it
) STRICT;
CREATE INDEX priv_request_status ON priv_request(status, id);

-- A review campaign: the quarterly review of privileged accounts
-- (玖.二.(四).5) or the periodic review of every account's rights
-- (玖.二.(二).3).
CREATE TABLE review(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('privileged', 'accounts')),
  period TEXT NOT NULL,         -- '2026-Q4' (privileged) or '2026-H2'
  opened_at TEXT NOT NULL,      -- UTC
  opened_by TEXT NOT NULL,      -- who
  closed_at TEXT,               -- UTC, NULL while open
  closed_by TEXT,               -- who closed it
  UNIQUE(kind, period)
) STRICT;

-- One account in a review, with the rights it had and the decision.
CREATE TABLE review_item(
  review INTEGER NOT NULL REFERENCES review(id),
  account INTEGER NOT NULL REFERENCES account(id),
  roles TEXT NOT NULL,          -- its roles when the review opened
  decision TEXT CHECK(decision IS NULL OR decision IN ('keep', 'disable')),
                                -- 保留 / 停用 (離職、不再需要)
  note TEXT,                    -- 說明
  decided_by TEXT,              -- who
  decided_at TEXT,              -- UTC
  PRIMARY KEY(review, account)
) STRICT, WITHOUT ROWID;
