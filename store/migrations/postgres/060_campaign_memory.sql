-- 060: campaigns side by side, for real (issue 22). PostgreSQL flavour; keep in
-- step with ../sqlite/060_campaign_memory.sql.
--
-- started_at: when the campaign last started (a notice tells the school's
-- staff "新的宣传活动已开始"); campaigns running before this migration
-- started when they were made.
-- campaign_memory: the campaign a user last worked in, per school (scope_id;
-- 0 for the center's district-wide pages): a page about one campaign keeps
-- it until the user picks another.
-- campaign_seen: the campaigns a user has been shown or whose notice they
-- dismissed: the notice of a new campaign is shown until then.

ALTER TABLE campaigns ADD COLUMN started_at TIMESTAMPTZ;
UPDATE campaigns SET started_at = created_at WHERE state <> 'draft';

CREATE TABLE campaign_memory (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope_id    BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, scope_id)
);

CREATE TABLE campaign_seen (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, campaign_id)
);
