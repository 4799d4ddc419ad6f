-- 004: reminders sent to guardians of families that have not acknowledged,
-- so a campaign never sends a guardian more than its limit. SQLite flavour;
-- keep in step with ../postgres/004_acknowledgements.sql.

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    guardian_id INTEGER NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    letter_id   INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 1,
    error       TEXT NOT NULL DEFAULT '',
    sent_by     INTEGER REFERENCES users(id),
    at          TIMESTAMP NOT NULL
);
CREATE INDEX reminders_campaign_guardian ON reminders (campaign_id, guardian_id, status);

-- Reminder lists look for a campaign's letters not yet acknowledged.
CREATE INDEX letters_campaign_student_ack ON letters (campaign_id, acknowledged_at);
