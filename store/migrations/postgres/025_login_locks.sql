-- 025: the record of sign-in locks (login_locks.go), so that an account's
-- owner is told of a lock and of who lifted it even after it has ended.
-- PostgreSQL flavour; keep in step with ../sqlite/025_login_locks.sql.
--
-- One row per lock of an account (LoginAccountKey), written in the
-- transaction whose attempt locked it; unlocked_at and unlocked_by are set
-- when an administrator lifts it early (unlocked_by: who, as people read
-- it; '' for a password reset). Rows go after LoginLockMemory.

CREATE TABLE login_locks (
    id           BIGSERIAL PRIMARY KEY,
    account      TEXT NOT NULL,
    locked_at    TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ NOT NULL,
    unlocked_at  TIMESTAMPTZ,
    unlocked_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_locks_account ON login_locks (account, locked_at);
