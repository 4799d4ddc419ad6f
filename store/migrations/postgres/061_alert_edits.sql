-- 061: alerts people can trust (issue 22): an alert is edited and withdrawn
-- by the education center (audited), and a withdrawn one leaves the
-- parents' pages at once, on every instance: each change of a campaign's
-- alerts bumps its alerts_version, which the parent page reads with the
-- letter and compares with the alert block it cached. PostgreSQL flavour; keep
-- in step with ../sqlite/061_alert_edits.sql.

ALTER TABLE alerts ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN updated_by BIGINT REFERENCES users(id);
ALTER TABLE alerts ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN withdrawn_by BIGINT REFERENCES users(id);
ALTER TABLE campaigns ADD COLUMN alerts_version BIGINT NOT NULL DEFAULT 0;
