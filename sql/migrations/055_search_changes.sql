-- The search indexes on a Galera cluster. search_index and kb_search are
-- Mroonga tables (006_search.sql says why), and Galera replicates InnoDB
-- tables only: each node's index holds just what was written through that
-- node. This log is InnoDB, written by triggers in the same transaction as
-- the record, so it reaches every node; the customers job runner replays
-- it into the index of every server [database] host names
-- (modules/customers/search_follow.c), and prunes it after a day. On one
-- server the runner only prunes it.
-- entity: 1 contact, 2 account (search_index's numbers), 3 knowledge base
-- article (kb_search).
CREATE TABLE search_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity TINYINT UNSIGNED NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY search_changes_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (1, NEW.id);
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (1, NEW.id);
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (1, OLD.id);
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (2, NEW.id);
CREATE TRIGGER accounts_search_update AFTER UPDATE ON accounts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (2, NEW.id);
CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (2, OLD.id);
CREATE TRIGGER kb_articles_search_insert AFTER INSERT ON kb_articles FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (3, NEW.id);
CREATE TRIGGER kb_articles_search_update AFTER UPDATE ON kb_articles FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (3, NEW.id);
CREATE TRIGGER kb_articles_search_delete AFTER DELETE ON kb_articles FOR EACH ROW
  INSERT INTO search_changes (entity, record_id) VALUES (3, OLD.id);
