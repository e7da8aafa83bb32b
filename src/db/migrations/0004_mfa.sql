-- 0004_mfa: a TOTP secret being enrolled is kept on the server between
-- showing its QR code and the first code that confirms it.
ALTER TABLE account ADD COLUMN totp_pending BLOB; -- secret being enrolled
