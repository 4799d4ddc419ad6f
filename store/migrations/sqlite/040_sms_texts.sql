-- 040: texts through the SMS providers (issue 20). SQLite flavour; keep in
-- step with ../postgres/040_sms_texts.sql.
--
-- A reminder row is one text to one guardian about one letter. Besides its
-- slot of the per-guardian limit (006: status 'sent' holds a slot, 'failed'
-- gives it back) it now records how it went: the provider, the text's key
-- (sms_key: unique, written before the provider sees the text, so a job
-- started again never texts a family twice), the provider's message ID,
-- where delivery stands, the provider's raw code (for the log and the
-- audit), the reason in stable terms (sms.Reason, shown in Chinese), the
-- segments billed and their cost, when the delivery report came and when
-- to ask for it next.
--
-- delivery: sending (recorded, the request under way), awaiting (taken,
-- no report yet), delivered, undelivered (the report says it failed),
-- failed (refused when sent: it never left), sent (a gateway without
-- reports took it; final), unsure (the request broke off: not sent again,
-- a report may settle it), limited (not sent: the guardian had the most
-- reminders allowed). Rows from before are 'sent' or 'failed'.

ALTER TABLE reminders ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE reminders ADD COLUMN sms_key TEXT;
ALTER TABLE reminders ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE reminders ADD COLUMN delivery TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE reminders ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE reminders ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reminders ADD COLUMN segments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminders ADD COLUMN cost_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminders ADD COLUMN reported_at TIMESTAMP;
ALTER TABLE reminders ADD COLUMN next_poll_at TIMESTAMP;
ALTER TABLE reminders ADD COLUMN alert_id INTEGER REFERENCES alerts(id) ON DELETE SET NULL;
UPDATE reminders SET delivery = 'failed' WHERE status = 'failed';
UPDATE reminders SET provider = 'http';
CREATE UNIQUE INDEX reminders_sms_key ON reminders (sms_key);
CREATE INDEX reminders_message ON reminders (provider, message_id);
CREATE INDEX reminders_delivery ON reminders (delivery, next_poll_at);

-- The templates as the provider approved them, entered by the education
-- center (one per provider and kind): the code, the approved text with its
-- variables, and which field each variable carries (JSON, {"1":"school"}).
CREATE TABLE sms_templates (
    provider   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('reminder', 'alert')),
    code       TEXT NOT NULL,
    text       TEXT NOT NULL,
    bind       TEXT NOT NULL DEFAULT '{}',
    updated_by INTEGER REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider, kind)
);

-- A job may wait for its time (a send asked for in the quiet hours goes
-- at 08:00): no instance claims it before run_at.
ALTER TABLE jobs ADD COLUMN run_at TIMESTAMP;

-- Work one instance at a time does for all of them (asking the provider
-- for delivery reports): whoever holds the row's lease does it.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMP
);
