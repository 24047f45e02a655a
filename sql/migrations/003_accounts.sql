-- Accounts: the companies a business sells to and serves. Each has an
-- owner; a role's scope (own, team, all) decides who else reaches it,
-- enforced in every statement's WHERE clause.
CREATE TABLE accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  industry VARCHAR(100) NOT NULL DEFAULT '',
  website VARCHAR(255) NOT NULL DEFAULT '',
  phone VARCHAR(50) NOT NULL DEFAULT '',
  city VARCHAR(100) NOT NULL DEFAULT '',
  annual_revenue DECIMAL(15,2) NULL,
  notes TEXT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY accounts_name (name, id),
  KEY accounts_owner (owner_id, name, id),
  CONSTRAINT accounts_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
