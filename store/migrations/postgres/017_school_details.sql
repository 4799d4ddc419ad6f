-- 017: the details every letter of a school may print (issue 9).
-- PostgreSQL flavour; keep in step with ../sqlite/017_school_details.sql.

CREATE TABLE school_details (
    school_id      BIGINT PRIMARY KEY REFERENCES schools(id),
    phone          TEXT NOT NULL DEFAULT '',
    fee_rule       TEXT NOT NULL DEFAULT '',
    police_station TEXT NOT NULL DEFAULT '',
    police_phone   TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ NOT NULL,
    updated_by     BIGINT REFERENCES users(id)
);
