-- 018: new-scam alerts (issue 9, 及时公布最新犯罪手法): the education center
-- turns a method of an approved content version into an alert for one or
-- more running campaigns. The method's title and text are copied from the
-- approved version, so the alert never changes once made. SQLite flavour;
-- keep in step with ../postgres/018_alerts.sql.

CREATE TABLE alerts (
    id                 INTEGER PRIMARY KEY,
    content_version_id INTEGER NOT NULL REFERENCES content_versions(id),
    method_id          TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    created_by         INTEGER REFERENCES users(id),
    created_at         TIMESTAMP NOT NULL
);

CREATE TABLE alert_campaigns (
    alert_id    INTEGER NOT NULL REFERENCES alerts(id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    PRIMARY KEY (alert_id, campaign_id)
);
CREATE INDEX alert_campaigns_campaign ON alert_campaigns (campaign_id);
