-- 009: sign-in throttling that a burst cannot skip (login_throttle.go).
-- SQLite flavour; keep in step with ../postgres/009_login_throttle.sql.
--
-- One row per key: an (account, client) pair, an account across every
-- client (client = ''), or a client across every account (account = '').
-- An attempt is counted here before its password is checked, in the same
-- transaction that decides whether it may be checked at all. Accounts are
-- case-folded. Replaces login_failures (left in place, no longer written).

CREATE TABLE login_throttle (
    account      TEXT NOT NULL,
    client       TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    window_start TIMESTAMP NOT NULL,
    last_at      TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (account, client)
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
