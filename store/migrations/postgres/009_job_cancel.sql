-- 009: a job can be cancelled. A queued job becomes 'cancelled' at once; a
-- running one becomes 'cancelling' until its worker notices at its next
-- progress or lease check and marks it 'cancelled' (or, should the worker
-- be gone, the next claim does once the lease runs out). PostgreSQL
-- flavour; keep in step with ../sqlite/009_job_cancel.sql.
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('queued', 'running', 'cancelling', 'done', 'failed', 'cancelled'));
