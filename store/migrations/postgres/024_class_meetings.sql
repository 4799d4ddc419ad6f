-- 024: anti-fraud class meetings (主题班会) held, per class and campaign
-- (class_meetings.go). Keep in step with ../sqlite/024_class_meetings.sql.
-- held_on is the day in China, 'YYYY-MM-DD'; recorded_by is who recorded it
-- (NULL for the command line). Not personal data: a purge keeps it.
CREATE TABLE class_meetings (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    class_id    BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    held_on     TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, class_id)
);
