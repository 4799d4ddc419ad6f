-- 005: the relation (父亲, 奶奶 …) is kept per child on the link as well as
-- on the guardian: siblings' rosters may spell it differently (父亲/爸爸) for
-- the same shared guardian, and each child's roster should read back as it
-- was written. guardians.relation stays the first non-empty spelling.
-- Same text for SQLite and PostgreSQL.
ALTER TABLE student_guardians ADD COLUMN relation TEXT NOT NULL DEFAULT '';
UPDATE student_guardians SET relation = (SELECT g.relation FROM guardians g WHERE g.id = student_guardians.guardian_id);
