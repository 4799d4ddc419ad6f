-- 020: a campaign's life (issue 11). PostgreSQL flavour; keep in step with
-- ../sqlite/020_campaign_states.sql.
--
-- draft → running → closed; purged is campaign_purges. A campaign also
-- counts as closed once its acknowledgement deadline has passed (read, not
-- stored: CampaignPhase). Campaigns made before this migration were live.

ALTER TABLE campaigns ADD COLUMN state TEXT NOT NULL DEFAULT 'running'
    CHECK (state IN ('draft', 'running', 'closed'));
ALTER TABLE campaigns ADD COLUMN closed_at TIMESTAMPTZ;
