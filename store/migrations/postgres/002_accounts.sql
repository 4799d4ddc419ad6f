-- 002: what signing in needs. PostgreSQL flavour; keep in step with
-- ../sqlite/002_accounts.sql. Secrets (session and API tokens) are stored
-- only as the hex SHA-256 of the token, so a copy of the database does not
-- let anyone sign in.

-- Browser sessions, shared by every instance of the service.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins per key ("user:NAME" or "ip:ADDRESS") in a fixed window
-- that starts at the first failure.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMPTZ NOT NULL
);

-- Per-user tokens for scripts (Authorization: Bearer …).
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Uploaded files kept between a preview and its confirmation, so that any
-- instance can finish what another began. Removed when used or expired.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    school_id  BIGINT NOT NULL REFERENCES schools(id),
    class_id   BIGINT REFERENCES classes(id) ON DELETE CASCADE,
    filename   TEXT NOT NULL DEFAULT '',
    data       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX uploads_expires ON uploads (expires_at);
