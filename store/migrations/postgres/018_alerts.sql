-- 018: new-scam alerts (issue 9). PostgreSQL flavour; keep in step with
-- ../sqlite/018_alerts.sql.

CREATE TABLE alerts (
    id                 BIGSERIAL PRIMARY KEY,
    content_version_id BIGINT NOT NULL REFERENCES content_versions(id),
    method_id          TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    created_by         BIGINT REFERENCES users(id),
    created_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE alert_campaigns (
    alert_id    BIGINT NOT NULL REFERENCES alerts(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    PRIMARY KEY (alert_id, campaign_id)
);
CREATE INDEX alert_campaigns_campaign ON alert_campaigns (campaign_id);
