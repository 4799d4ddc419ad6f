-- 010: job ids are never reused. PostgreSQL flavour; keep in step with
-- ../sqlite/010_job_ids_never_reused.sql, which rebuilds the jobs table with
-- AUTOINCREMENT. jobs.id is a BIGSERIAL here: its sequence never hands out
-- an id twice, even after a purge deleted the newest jobs, so nothing
-- changes.
SELECT 1;
