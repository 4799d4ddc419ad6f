-- 051: Idempotency-Key on the API's creates and sends (issue 23). Keep in
-- step with ../postgres/051_idempotency_keys.sql.
--
-- A row per account and key: the first request claims it (status 0 while
-- it is answered), then holds its answer for 24 hours so that a retry gets
-- the same answer instead of a second school, account or send. The key is
-- kept only as its SHA-256; the answer (a one-time password, say) is sealed
-- with a key derived from the client's Idempotency-Key, which is never
-- stored. request_hash is the method, path, query and body of the first
-- request: the same key with another request is refused.

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_hash     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    location     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
