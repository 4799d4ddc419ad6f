-- 016: letter content under review (issue 9). PostgreSQL flavour; keep in
-- step with ../sqlite/016_content_versions.sql.

CREATE TABLE content_versions (
    id             BIGSERIAL PRIMARY KEY,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'returned', 'approved', 'retired')),
    title          TEXT NOT NULL DEFAULT '',
    author_id      BIGINT REFERENCES users(id),
    based_on       BIGINT REFERENCES content_versions(id),
    reviewer_id    BIGINT REFERENCES users(id),
    review_comment TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    approved_at    TIMESTAMPTZ
);
CREATE INDEX content_versions_state ON content_versions (state, id);

CREATE TABLE content_files (
    version_id BIGINT NOT NULL REFERENCES content_versions(id),
    path       TEXT NOT NULL CHECK (path <> ''),
    body       TEXT NOT NULL,
    PRIMARY KEY (version_id, path)
);

CREATE TABLE content_events (
    id         BIGSERIAL PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES content_versions(id),
    at         TIMESTAMPTZ NOT NULL,
    user_id    BIGINT REFERENCES users(id),
    action     TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX content_events_version ON content_events (version_id, id);

CREATE FUNCTION content_files_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN v := NEW.version_id; ELSE v := OLD.version_id; END IF;
    IF (SELECT state FROM content_versions WHERE id = v) IN ('approved', 'retired') THEN
        RAISE EXCEPTION 'content version approved: files are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER content_files_frozen BEFORE INSERT OR UPDATE OR DELETE ON content_files
    FOR EACH ROW EXECUTE FUNCTION content_files_frozen();

ALTER TABLE campaigns ADD COLUMN content_version_id BIGINT REFERENCES content_versions(id);
ALTER TABLE letters ADD COLUMN content_version_id BIGINT REFERENCES content_versions(id);
