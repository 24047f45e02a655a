-- What every request needs and an admin rarely changes (a role's
-- permissions and field rules, the settings) is kept by each worker and
-- read again only when this version moves. Triggers move it in the same
-- transaction as the change, so the first request after the commit sees
-- the new version in its identity lookup (lib/crm_confcache.c).
CREATE TABLE config_version (
  id TINYINT UNSIGNED NOT NULL,
  version BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO config_version (id, version) VALUES (1, 1);

CREATE TRIGGER role_permissions_config_insert AFTER INSERT ON role_permissions FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER role_permissions_config_update AFTER UPDATE ON role_permissions FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER role_permissions_config_delete AFTER DELETE ON role_permissions FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER role_field_rules_config_insert AFTER INSERT ON role_field_rules FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER role_field_rules_config_update AFTER UPDATE ON role_field_rules FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER role_field_rules_config_delete AFTER DELETE ON role_field_rules FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
-- A role's rows go by ON DELETE CASCADE, which fires no trigger.
CREATE TRIGGER roles_config_delete AFTER DELETE ON roles FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER settings_config_insert AFTER INSERT ON settings FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER settings_config_update AFTER UPDATE ON settings FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER settings_config_delete AFTER DELETE ON settings FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
