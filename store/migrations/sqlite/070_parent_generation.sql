-- 070: the generation of what parent pages show beside the letter itself
-- (parent_reader.go). Keep in step with ../postgres/070_parent_generation.sql.
-- Every instance caches a campaign's, class's and school's part of the
-- parent page; any change to those rows bumps n, which every view reads
-- with its letter, so a change made through any instance shows on the
-- next view everywhere. An insert into campaigns, classes or schools
-- changes no cached row (a new id), so only their updates and deletes bump.
CREATE TABLE parent_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO parent_generation (id, n) VALUES (1, 0);

CREATE TRIGGER parent_generation_campaigns_update AFTER UPDATE ON campaigns
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_campaigns_delete AFTER DELETE ON campaigns
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_classes_update AFTER UPDATE ON classes
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_classes_delete AFTER DELETE ON classes
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_schools_update AFTER UPDATE ON schools
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_schools_delete AFTER DELETE ON schools
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_details_insert AFTER INSERT ON school_details
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_details_update AFTER UPDATE ON school_details
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_details_delete AFTER DELETE ON school_details
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_meetings_insert AFTER INSERT ON class_meetings
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_meetings_update AFTER UPDATE ON class_meetings
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parent_generation_meetings_delete AFTER DELETE ON class_meetings
BEGIN UPDATE parent_generation SET n = n + 1 WHERE id = 1; END;
