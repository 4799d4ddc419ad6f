-- 002: what signing in needs. SQLite flavour; keep in step with
-- ../postgres/002_accounts.sql. Secrets (session and API tokens) are stored
-- only as the hex SHA-256 of the token, so a copy of the database does not
-- let anyone sign in.

-- Browser sessions, shared by every instance of the service.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins per key ("user:NAME" or "ip:ADDRESS") in a fixed window
-- that starts at the first failure.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);

-- Per-user tokens for scripts (Authorization: Bearer …).
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Uploaded files kept between a preview and its confirmation, so that any
-- instance can finish what another began. Removed when used or expired.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    class_id   INTEGER REFERENCES classes(id) ON DELETE CASCADE,
    filename   TEXT NOT NULL DEFAULT '',
    data       BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_expires ON uploads (expires_at);
