-- 006: reminders are sent by a background job (kind 'reminders'), and the
-- per-guardian limit is held by the database: a sent reminder occupies one
-- of the guardian's numbered slots in the campaign (1 … the limit), unique,
-- so two jobs sending at once cannot both take the last one. A failed
-- reminder gives its slot back (slot NULL). jobs.outcome holds a job's
-- counts (JSON). SQLite flavour; keep in step with ../postgres/006_reminder_jobs.sql.

-- The kind CHECK changes, which SQLite does only by rebuilding the table.
-- Dropping jobs (foreign keys on) would cascade into job_chunks, so the
-- chunks move to a new table first; renaming jobs_new to jobs updates the
-- new chunks table's reference.
CREATE TABLE jobs_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('school_letters', 'campaign_letters', 'reminders')),
    school_id   INTEGER REFERENCES schools(id),
    campaign_id INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    params      TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    result_name TEXT NOT NULL DEFAULT '',
    result_size INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    claimed_by  TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMP,
    outcome     TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO jobs_new (id, kind, school_id, campaign_id, params, status, done, total, result_name, result_size, error,
    attempts, created_by, created_at, started_at, finished_at, claimed_by, lease_until)
SELECT id, kind, school_id, campaign_id, params, status, done, total, result_name, result_size, error,
    attempts, created_by, created_at, started_at, finished_at, claimed_by, lease_until FROM jobs;
CREATE TABLE job_chunks_new (
    job_id INTEGER NOT NULL REFERENCES jobs_new(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
);
INSERT INTO job_chunks_new (job_id, seq, data) SELECT job_id, seq, data FROM job_chunks;
DROP TABLE job_chunks;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
ALTER TABLE job_chunks_new RENAME TO job_chunks;
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_school ON jobs (school_id, id);
CREATE INDEX jobs_campaign ON jobs (campaign_id, id);

ALTER TABLE reminders ADD COLUMN slot INTEGER;
ALTER TABLE reminders ADD COLUMN job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL;
UPDATE reminders SET slot = (SELECT COUNT(*) FROM reminders r2 WHERE r2.campaign_id = reminders.campaign_id
    AND r2.guardian_id = reminders.guardian_id AND r2.status = 'sent' AND r2.id <= reminders.id)
WHERE status = 'sent';
CREATE UNIQUE INDEX reminders_slot ON reminders (campaign_id, guardian_id, slot);
CREATE INDEX reminders_job ON reminders (job_id);
