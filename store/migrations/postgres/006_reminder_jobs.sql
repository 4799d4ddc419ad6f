-- 006: reminders are sent by a background job (kind 'reminders', 003), and the
-- per-guardian limit is held by the database: a sent reminder occupies one
-- of the guardian's numbered slots in the campaign (1 … the limit), unique,
-- so two jobs sending at once cannot both take the last one. A failed
-- reminder gives its slot back (slot NULL). PostgreSQL flavour; keep in step with ../sqlite/006_reminder_jobs.sql.

ALTER TABLE reminders ADD COLUMN slot INTEGER;
ALTER TABLE reminders ADD COLUMN job_id BIGINT REFERENCES jobs(id) ON DELETE SET NULL;
UPDATE reminders SET slot = (SELECT COUNT(*) FROM reminders r2 WHERE r2.campaign_id = reminders.campaign_id
    AND r2.guardian_id = reminders.guardian_id AND r2.status = 'sent' AND r2.id <= reminders.id)
WHERE status = 'sent';
CREATE UNIQUE INDEX reminders_slot ON reminders (campaign_id, guardian_id, slot);
CREATE INDEX reminders_job ON reminders (job_id);
