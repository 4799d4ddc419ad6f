-- 050: read-only API tokens (issue 23). Keep in step with
-- ../sqlite/050_api_token_read_only.sql.
--
-- A read-only token reads what its account reads (GET) and is refused
-- anything else (403 read_only_token): a dashboard or a report script that
-- leaks cannot change or send anything.

ALTER TABLE api_tokens ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;
