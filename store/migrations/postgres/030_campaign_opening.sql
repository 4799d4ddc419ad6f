-- 030: a letter for its season (issue 19). PostgreSQL flavour; keep in step
-- with ../sqlite/030_campaign_opening.sql.
--
-- A campaign may carry an opening line (寒假将至，…) that every letter and
-- the parents' page print first. The line is reviewed content: it is one
-- of the openings of an approved content version (openings.txt), chosen
-- by its name; opening holds its text as approved, so a later content
-- version never changes what the campaign's letters say.
ALTER TABLE campaigns ADD COLUMN opening_name TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN opening TEXT NOT NULL DEFAULT '';
