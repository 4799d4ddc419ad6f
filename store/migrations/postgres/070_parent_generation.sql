-- 070: the generation of what parent pages show beside the letter itself
-- (parent_reader.go). Keep in step with ../sqlite/070_parent_generation.sql.
-- Every instance caches a campaign's, class's and school's part of the
-- parent page; any change to those rows bumps n, which every view reads
-- with its letter, so a change made through any instance shows on the
-- next view everywhere. An insert into campaigns, classes or schools
-- changes no cached row (a new id), so only their updates and deletes bump.
-- Once a statement: the bump holds the row until the writer commits, so
-- writers of these rarely written tables take turns.
CREATE TABLE parent_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO parent_generation (id, n) VALUES (1, 0);

CREATE FUNCTION parent_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE parent_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER parent_generation_campaigns AFTER UPDATE OR DELETE ON campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION parent_generation_bump();
CREATE TRIGGER parent_generation_classes AFTER UPDATE OR DELETE ON classes
    FOR EACH STATEMENT EXECUTE FUNCTION parent_generation_bump();
CREATE TRIGGER parent_generation_schools AFTER UPDATE OR DELETE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION parent_generation_bump();
CREATE TRIGGER parent_generation_details AFTER INSERT OR UPDATE OR DELETE ON school_details
    FOR EACH STATEMENT EXECUTE FUNCTION parent_generation_bump();
CREATE TRIGGER parent_generation_meetings AFTER INSERT OR UPDATE OR DELETE ON class_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION parent_generation_bump();
