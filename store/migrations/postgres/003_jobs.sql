-- 003: background jobs (letters of a school, or of a whole campaign) and
-- their results. PostgreSQL flavour; keep in step with ../sqlite/003_jobs.sql.
--
-- A job is claimed by one instance for a lease (claimed_by, lease_until);
-- the runner renews the lease while it works. A job whose lease ran out
-- (its instance died) is claimed again by whichever instance looks next.
-- The result (a ZIP) is stored in the database in chunks, so any instance
-- can serve the download and no shared folder is needed.
--
-- Kinds: a school's or a campaign's letters, and reminder sending (006).
-- A queued job can be cancelled at once; a running one becomes 'cancelling'
-- until its worker notices at its next progress or lease check and marks it
-- 'cancelled'. outcome holds a finished job's counts (JSON). Job ids are
-- never reused, even after a purge deleted the newest jobs, so an old
-- /jobs/N link never opens another job (SQLite: AUTOINCREMENT; PostgreSQL's
-- BIGSERIAL never reuses).

CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('school_letters', 'campaign_letters', 'reminders')),
    school_id   BIGINT REFERENCES schools(id),
    campaign_id BIGINT REFERENCES campaigns(id) ON DELETE CASCADE,
    params      TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'cancelling', 'done', 'failed', 'cancelled')),
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    result_name TEXT NOT NULL DEFAULT '',
    result_size BIGINT NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_by  BIGINT REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    claimed_by  TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMPTZ,
    outcome     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_school ON jobs (school_id, id);
CREATE INDEX jobs_campaign ON jobs (campaign_id, id);

CREATE TABLE job_chunks (
    job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
