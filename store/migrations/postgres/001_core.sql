-- 001: the core of the product. PostgreSQL flavour; keep in step with
-- ../sqlite/001_core.sql. Booleans are BOOLEAN; times are TIMESTAMPTZ;
-- dates (birth date, deadline) are TEXT 'YYYY-MM-DD' or '' as on SQLite.

CREATE TABLE schools (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (name <> ''),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE classes (
    id           BIGSERIAL PRIMARY KEY,
    school_id    BIGINT NOT NULL REFERENCES schools(id),
    grade        INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 12),
    number       INTEGER NOT NULL CHECK (number >= 0),
    name         TEXT NOT NULL,
    head_teacher TEXT NOT NULL DEFAULT '',
    UNIQUE (school_id, grade, number)
);

CREATE TABLE students (
    id         BIGSERIAL PRIMARY KEY,
    school_id  BIGINT NOT NULL REFERENCES schools(id),
    class_id   BIGINT NOT NULL REFERENCES classes(id),
    number     TEXT NOT NULL CHECK (number <> ''),
    name       TEXT NOT NULL CHECK (name <> ''),
    gender     TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, number)
);
CREATE INDEX students_class ON students (class_id, active);

-- Siblings share a guardian: one row per (school, mobile, name) when the
-- mobile is known; guardians without a mobile belong to one student each.
CREATE TABLE guardians (
    id        BIGSERIAL PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    name      TEXT NOT NULL DEFAULT '',
    relation  TEXT NOT NULL DEFAULT '',
    mobile    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX guardians_school_mobile_name ON guardians (school_id, mobile, name) WHERE mobile <> '';
CREATE INDEX guardians_school ON guardians (school_id);

CREATE TABLE student_guardians (
    student_id  BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (student_id, guardian_id)
);
CREATE INDEX student_guardians_guardian ON student_guardians (guardian_id);

CREATE TABLE users (
    id                   BIGSERIAL PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name         TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL CHECK (role IN ('district_admin', 'reviewer', 'school_admin', 'teacher')),
    school_id            BIGINT REFERENCES schools(id),
    password_hash        TEXT NOT NULL DEFAULT '',
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE teacher_classes (
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, class_id)
);
CREATE INDEX teacher_classes_class ON teacher_classes (class_id);

CREATE TABLE campaigns (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (name <> ''),
    term         TEXT NOT NULL DEFAULT '',
    ack_deadline TEXT NOT NULL DEFAULT '',
    quiz_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE campaign_schools (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    school_id   BIGINT NOT NULL REFERENCES schools(id),
    PRIMARY KEY (campaign_id, school_id)
);
CREATE INDEX campaign_schools_school ON campaign_schools (school_id);

CREATE TABLE campaign_templates (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    age_group   TEXT NOT NULL,
    template    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, age_group)
);

CREATE TABLE letters (
    id              BIGSERIAL PRIMARY KEY,
    campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
    student_id      BIGINT NOT NULL REFERENCES students(id),
    token           TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'produced' CHECK (status IN ('produced', 'delivered', 'opened', 'acknowledged')),
    produced_at     TIMESTAMPTZ NOT NULL,
    first_opened_at TIMESTAMPTZ,
    last_opened_at  TIMESTAMPTZ,
    acknowledged_at TIMESTAMPTZ,
    ack_channel     TEXT NOT NULL DEFAULT '',
    ack_relation    TEXT NOT NULL DEFAULT '',
    quiz_answers    TEXT NOT NULL DEFAULT '',
    quiz_score      INTEGER,
    ack_entered_by  BIGINT REFERENCES users(id),
    UNIQUE (campaign_id, student_id)
);
CREATE INDEX letters_campaign_status ON letters (campaign_id, status);
CREATE INDEX letters_student ON letters (student_id);

CREATE TABLE audit_log (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
