-- Outbox messages that carry a secret (OTPs) say when their body may be blanked.
ALTER TABLE outbox ADD COLUMN redact_after TIMESTAMPTZ;
CREATE INDEX outbox_redact_after ON outbox (redact_after) WHERE redact_after IS NOT NULL;
