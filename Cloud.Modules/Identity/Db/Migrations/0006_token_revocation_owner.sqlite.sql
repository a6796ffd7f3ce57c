-- Revocations remember whose token they end (the per-user cap counts them) and are loaded incrementally by time.
ALTER TABLE token_revocations ADD COLUMN user_id VARCHAR(64) NULL;
CREATE INDEX IF NOT EXISTS token_revocations_user ON token_revocations (user_id, kind);
CREATE INDEX IF NOT EXISTS token_revocations_revoked ON token_revocations (revoked_at);
