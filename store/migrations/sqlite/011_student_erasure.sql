-- 011: erased families (retention.go). An erased student keeps its row,
-- class and active flag, so every campaign's figures stay exact, but its
-- name, number, gender and birth date are replaced and erased_at is set;
-- its guardians' names, relations and mobiles are blanked.
ALTER TABLE students ADD COLUMN erased_at TIMESTAMP;
