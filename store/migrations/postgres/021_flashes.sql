-- 021: what a page shows once after a redirect (issue 11: a form that
-- creates something redirects, so a refresh cannot submit it again). Keep in
-- step with ../sqlite/021_flashes.sql.
--
-- A flash belongs to the user who caused it, is read once (deleted as it
-- is read) and expires after a few minutes: it may hold a one-time password
-- on its way to the administrator's screen, which must not linger.

CREATE TABLE flashes (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX flashes_expires ON flashes (expires_at);
