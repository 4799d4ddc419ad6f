-- 010: job ids are never reused. Without AUTOINCREMENT SQLite hands out
-- max(id)+1, so once a purge deleted the newest jobs the next job got an id
-- an old /jobs/N link still pointed at. AUTOINCREMENT keeps the highest id
-- ever used in sqlite_sequence. SQLite flavour; keep in step with
-- ../postgres/010_job_ids_never_reused.sql (BIGSERIAL never reuses ids).
--
-- Adding AUTOINCREMENT means rebuilding the table, as 006 and 009 did.
-- Dropping jobs (foreign keys on) would cascade into job_chunks and set
-- reminders.job_id to NULL, so the chunks move to a new table first and the
-- reminders' job references are put back afterwards. The copied rows keep
-- their ids and the sequence starts at the highest of them (ids a purge
-- freed before this migration are beyond knowing).
CREATE TEMP TABLE reminder_job_refs AS SELECT id, job_id FROM reminders WHERE job_id IS NOT NULL;
CREATE TABLE jobs_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('school_letters', 'campaign_letters', 'reminders')),
    school_id   INTEGER REFERENCES schools(id),
    campaign_id INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    params      TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'cancelling', 'done', 'failed', 'cancelled')),
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
    attempts, created_by, created_at, started_at, finished_at, claimed_by, lease_until, outcome)
SELECT id, kind, school_id, campaign_id, params, status, done, total, result_name, result_size, error,
    attempts, created_by, created_at, started_at, finished_at, claimed_by, lease_until, outcome FROM jobs;
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
UPDATE reminders SET job_id = (SELECT r.job_id FROM reminder_job_refs r WHERE r.id = reminders.id)
WHERE id IN (SELECT id FROM reminder_job_refs);
DROP TABLE reminder_job_refs;
