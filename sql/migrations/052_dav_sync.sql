-- DAV sync without missed changes (and, at the end, recurring events and
-- their place). dav_version (046) comes from a sequence, which is not
-- transactional: a transaction may draw version 7,
-- another draw 8 and commit, a client sync and take 8 as its token, and
-- then 7 commit, below the token, never to be sent. So a sync reads and
-- hands out only versions that are settled: every transaction that drew
-- one of them has ended.
--
-- How a sync knows: each trigger takes a shared lock on the gate row
-- before it draws a version, and the lock is held to the end of the
-- transaction. Shared locks do not conflict, so writers never wait for
-- each other. A sync tries the row exclusively, without waiting (SKIP
-- LOCKED): when it gets it, no transaction that drew a version is open,
-- and every version up to the sequence's current value is settled. It
-- keeps that value in `safe`, so a sync that finds the gate busy (an
-- import's batch in flight) uses the last settled value instead: it may
-- be a little behind, never ahead. Tokens, getctag and the changes a sync
-- reads all stop at the settled value.
CREATE TABLE dav_sync_gate (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  safe BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;
-- Nothing is known settled until a sync first takes the gate.
INSERT INTO dav_sync_gate (id, safe) VALUES (1, 0);

DROP TRIGGER contacts_dav_insert;
DROP TRIGGER contacts_dav_update;
DROP TRIGGER activities_dav_insert;
DROP TRIGGER activities_dav_update;
-- The row is read (and locked) before the select list, so the lock is held
-- before the version is drawn.
CREATE TRIGGER contacts_dav_insert BEFORE INSERT ON contacts FOR EACH ROW
  SET NEW.dav_version = (SELECT NEXT VALUE FOR dav_version_seq FROM dav_sync_gate WHERE id = 1 LOCK IN SHARE MODE);
CREATE TRIGGER contacts_dav_update BEFORE UPDATE ON contacts FOR EACH ROW
  SET NEW.dav_version = (SELECT NEXT VALUE FOR dav_version_seq FROM dav_sync_gate WHERE id = 1 LOCK IN SHARE MODE);
CREATE TRIGGER activities_dav_insert BEFORE INSERT ON activities FOR EACH ROW
  SET NEW.dav_version = (SELECT NEXT VALUE FOR dav_version_seq FROM dav_sync_gate WHERE id = 1 LOCK IN SHARE MODE);
CREATE TRIGGER activities_dav_update BEFORE UPDATE ON activities FOR EACH ROW
  SET NEW.dav_version = (SELECT NEXT VALUE FOR dav_version_seq FROM dav_sync_gate WHERE id = 1 LOCK IN SHARE MODE);

-- A phone's recurring meeting survives a round trip: the RRULE and the
-- EXDATEs (occurrences deleted on the phone, as UTC times) are kept as
-- the client sent them, with the zone DTSTART was given in, so the series
-- is served back repeating at the same wall-clock time across daylight
-- saving. The activity itself stays the first occurrence, as the CRM's
-- calendar shows it. LOCATION is kept too. Added at the end of the table:
-- instant, whatever its size.
ALTER TABLE activities
  ADD COLUMN location VARCHAR(255) NULL,
  ADD COLUMN dav_rrule VARCHAR(500) NULL,
  ADD COLUMN dav_exdate TEXT NULL,
  ADD COLUMN dav_zone VARCHAR(64) NULL;
