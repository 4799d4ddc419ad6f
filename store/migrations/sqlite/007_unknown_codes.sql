-- 007: unknown parent codes per client and minute, shared by every instance
-- behind the load balancer, so a client guessing codes is limited however
-- its requests are spread. Only misses write here (rare); successful page
-- views never touch it. Rows older than a few minutes are purged.
-- Same text for SQLite and PostgreSQL.
CREATE TABLE unknown_code_hits (
    client       TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (client, window_start)
);
