-- The one search box: a Mroonga (Groonga) full-text index with bigram
-- tokens, which finds Chinese words without a dictionary and Latin words
-- by prefix, at a million contacts in milliseconds. InnoDB's FULLTEXT has
-- no CJK parser in MariaDB, and an n-gram table of our own would hold some
-- sixty rows per contact.
--
-- A Mroonga table does not roll back with InnoDB: the program writes a
-- record's row after its transaction commits, every list joins back to the
-- InnoDB record (so a stale row is never shown), and `crmctl search
-- rebuild` makes the index whole again (nightly, and after a bulk load).
-- team_id is the owner's team when the row was written, for the search of
-- a team-scoped role; the join re-checks access on the live record.
-- The server needs the plugin: plugin-load-add = ha_mroonga (INSTALL).
CREATE TABLE search_index (
  entity TINYINT UNSIGNED NOT NULL,
  id BIGINT UNSIGNED NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  PRIMARY KEY (entity, id),
  KEY search_owner (owner_id),
  KEY search_team (team_id),
  FULLTEXT KEY search_body (body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"'
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4;
