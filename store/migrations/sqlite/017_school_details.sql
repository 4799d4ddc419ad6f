-- 017: the details every letter of a school may print (issue 9): its
-- phone for checking fee notices, its real fee rule, the partner police
-- station and its phone. SQLite flavour; keep in step with
-- ../postgres/017_school_details.sql. One row per school once filled in.

CREATE TABLE school_details (
    school_id      INTEGER PRIMARY KEY REFERENCES schools(id),
    phone          TEXT NOT NULL DEFAULT '',
    fee_rule       TEXT NOT NULL DEFAULT '',
    police_station TEXT NOT NULL DEFAULT '',
    police_phone   TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    updated_by     INTEGER REFERENCES users(id)
);
