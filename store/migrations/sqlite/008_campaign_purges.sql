-- 008: purging a finished campaign's personal data (app purge). SQLite
-- flavour; keep in step with ../postgres/008_campaign_purges.sql.
--
-- A purge deletes the campaign's letters (tokens, relations, quiz answers,
-- who acknowledged), reminders and job results, and keeps the figures of the
-- overview per class in campaign_class_figures. campaign_purges records that
-- it happened; a purged campaign takes no new letters (the trigger), so a
-- late print or job cannot bring personal data back.

CREATE TABLE campaign_purges (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    purged_at   TIMESTAMP NOT NULL,
    purged_by   INTEGER REFERENCES users(id),
    detail      TEXT NOT NULL DEFAULT ''
);

-- One row per class of a participating school, as the overview counted it
-- at the purge (active students then). class_id has no foreign key and the
-- class's name, grade and number are copied: the figures outlive the class.
CREATE TABLE campaign_class_figures (
    campaign_id      INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    class_id         INTEGER NOT NULL,
    class_name       TEXT NOT NULL,
    grade            INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    students         INTEGER NOT NULL DEFAULT 0,
    produced         INTEGER NOT NULL DEFAULT 0,
    delivered        INTEGER NOT NULL DEFAULT 0,
    opened           INTEGER NOT NULL DEFAULT 0,
    acknowledged     INTEGER NOT NULL DEFAULT 0,
    ack_qr           INTEGER NOT NULL DEFAULT 0,
    ack_sms          INTEGER NOT NULL DEFAULT 0,
    ack_typed        INTEGER NOT NULL DEFAULT 0,
    ack_paper        INTEGER NOT NULL DEFAULT 0,
    quiz_answered    INTEGER NOT NULL DEFAULT 0,
    quiz_score_sum   INTEGER NOT NULL DEFAULT 0,
    reminders_sent   INTEGER NOT NULL DEFAULT 0,
    reminders_failed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, class_id)
);
CREATE INDEX campaign_class_figures_school ON campaign_class_figures (campaign_id, school_id);

CREATE TRIGGER letters_refuse_purged BEFORE INSERT ON letters
WHEN EXISTS (SELECT 1 FROM campaign_purges WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'campaign purged: no new letters');
END;
