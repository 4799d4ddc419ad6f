-- 010: usernames are unique whatever their case ("Center" and "center" are
-- one account; usernames.go). The upgrade refuses to run, naming them, when
-- accounts differ only in case (refuseCaseDuplicateUsernames). Sign-in looks
-- accounts up by lower(username), which this index serves.
-- Same text for SQLite and PostgreSQL.
CREATE UNIQUE INDEX users_username_folded ON users (lower(username));
