-- 016: letter content under review (issue 9). SQLite flavour; keep in step
-- with ../postgres/016_content_versions.sql.
--
-- A content version is a whole library: methods.txt, templates/*.txt and
-- lessons/*.txt, stored as files. States: draft → in_review → approved
-- (→ retired), or in_review → returned → (edited) draft. Approved and
-- retired versions never change (the triggers). The store seeds version 1,
-- approved, from the embedded files right after this migration, and pins
-- every existing campaign to it.

CREATE TABLE content_versions (
    id             INTEGER PRIMARY KEY,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'returned', 'approved', 'retired')),
    title          TEXT NOT NULL DEFAULT '',
    author_id      INTEGER REFERENCES users(id),
    based_on       INTEGER REFERENCES content_versions(id),
    reviewer_id    INTEGER REFERENCES users(id),
    review_comment TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    approved_at    TIMESTAMP
);
CREATE INDEX content_versions_state ON content_versions (state, id);

CREATE TABLE content_files (
    version_id INTEGER NOT NULL REFERENCES content_versions(id),
    path       TEXT NOT NULL CHECK (path <> ''),
    body       TEXT NOT NULL,
    PRIMARY KEY (version_id, path)
);

-- Every transition, with who, when and the comment.
CREATE TABLE content_events (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES content_versions(id),
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    action     TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX content_events_version ON content_events (version_id, id);

CREATE TRIGGER content_files_frozen_update BEFORE UPDATE ON content_files
WHEN (SELECT state FROM content_versions WHERE id = OLD.version_id) IN ('approved', 'retired')
BEGIN
    SELECT RAISE(ABORT, 'content version approved: files are immutable');
END;
CREATE TRIGGER content_files_frozen_delete BEFORE DELETE ON content_files
WHEN (SELECT state FROM content_versions WHERE id = OLD.version_id) IN ('approved', 'retired')
BEGIN
    SELECT RAISE(ABORT, 'content version approved: files are immutable');
END;
CREATE TRIGGER content_files_frozen_insert BEFORE INSERT ON content_files
WHEN (SELECT state FROM content_versions WHERE id = NEW.version_id) IN ('approved', 'retired')
BEGIN
    SELECT RAISE(ABORT, 'content version approved: files are immutable');
END;

-- The version a campaign prints and shows; a letter's own version once the
-- campaign has moved on (NULL: the campaign's).
ALTER TABLE campaigns ADD COLUMN content_version_id INTEGER REFERENCES content_versions(id);
ALTER TABLE letters ADD COLUMN content_version_id INTEGER REFERENCES content_versions(id);
