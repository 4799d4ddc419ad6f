-- 004: reminders sent to guardians of families that have not acknowledged,
-- so a campaign never sends a guardian more than its limit. PostgreSQL
-- flavour; keep in step with ../sqlite/004_acknowledgements.sql.

CREATE TABLE reminders (
    id          BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    letter_id   BIGINT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 1,
    error       TEXT NOT NULL DEFAULT '',
    sent_by     BIGINT REFERENCES users(id),
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX reminders_campaign_guardian ON reminders (campaign_id, guardian_id, status);

-- Reminder lists look for a campaign's letters not yet acknowledged.
CREATE INDEX letters_campaign_student_ack ON letters (campaign_id, acknowledged_at);
