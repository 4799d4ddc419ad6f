-- 061: alerts people can trust (issue 22): an alert is edited and withdrawn
-- by the education center (audited), and a withdrawn one leaves the
-- parents' pages at once, on every instance: each change of a campaign's
-- alerts bumps its alerts_version, which the parent page reads with the
-- letter and compares with the alert block it cached. SQLite flavour; keep
-- in step with ../postgres/061_alert_edits.sql.

ALTER TABLE alerts ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE alerts ADD COLUMN updated_by INTEGER REFERENCES users(id);
ALTER TABLE alerts ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE alerts ADD COLUMN withdrawn_by INTEGER REFERENCES users(id);
ALTER TABLE campaigns ADD COLUMN alerts_version INTEGER NOT NULL DEFAULT 0;
