-- Identity and access: roles with permissions, teams, sessions, API
-- tokens, sign-in throttling, two-factor secrets, and the audit log.

CREATE TABLE teams (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY teams_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- scope: which records of others a role reaches: its own, its team's, all.
CREATE TABLE roles (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  scope ENUM('own', 'team', 'all') NOT NULL DEFAULT 'own',
  require_2fa BOOLEAN NOT NULL DEFAULT FALSE,
  builtin BOOLEAN NOT NULL DEFAULT FALSE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY roles_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per permission a role has; '*' is every permission.
CREATE TABLE role_permissions (
  role_id BIGINT UNSIGNED NOT NULL,
  permission VARCHAR(64) NOT NULL,
  PRIMARY KEY (role_id, permission),
  CONSTRAINT role_permissions_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Fields a role may not read (hidden) or may read but not change (readonly).
CREATE TABLE role_field_rules (
  role_id BIGINT UNSIGNED NOT NULL,
  entity VARCHAR(64) NOT NULL,
  field VARCHAR(64) NOT NULL,
  access ENUM('hidden', 'readonly') NOT NULL,
  PRIMARY KEY (role_id, entity, field),
  CONSTRAINT role_field_rules_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO roles (name, description, scope, builtin) VALUES
  ('admin', 'Everything, including users, roles and settings', 'all', TRUE),
  ('manager', 'Their team''s customers, deals and tickets; reports', 'team', TRUE),
  ('sales', 'Their own customers, leads, quotes and orders', 'own', TRUE),
  ('support', 'Tickets and the knowledge base; customers to look up', 'own', TRUE),
  ('marketing', 'Segments, campaigns and tracked links', 'all', TRUE),
  ('read-only', 'Sees what it is granted and changes nothing', 'all', TRUE);

INSERT INTO role_permissions (role_id, permission)
SELECT r.id, p.permission FROM roles r JOIN (
  SELECT 'admin' AS role, '*' AS permission
  UNION ALL SELECT 'manager', 'customers.read' UNION ALL SELECT 'manager', 'customers.write'
  UNION ALL SELECT 'manager', 'sales.read' UNION ALL SELECT 'manager', 'sales.write'
  UNION ALL SELECT 'manager', 'sales.quote.approve' UNION ALL SELECT 'manager', 'service.read'
  UNION ALL SELECT 'manager', 'service.write' UNION ALL SELECT 'manager', 'marketing.read'
  UNION ALL SELECT 'manager', 'reports.read' UNION ALL SELECT 'manager', 'admin.audit'
  UNION ALL SELECT 'sales', 'customers.read' UNION ALL SELECT 'sales', 'customers.write'
  UNION ALL SELECT 'sales', 'sales.read' UNION ALL SELECT 'sales', 'sales.write'
  UNION ALL SELECT 'sales', 'reports.read'
  UNION ALL SELECT 'support', 'customers.read' UNION ALL SELECT 'support', 'service.read'
  UNION ALL SELECT 'support', 'service.write'
  UNION ALL SELECT 'marketing', 'customers.read' UNION ALL SELECT 'marketing', 'marketing.read'
  UNION ALL SELECT 'marketing', 'marketing.write' UNION ALL SELECT 'marketing', 'reports.read'
  UNION ALL SELECT 'read-only', 'customers.read' UNION ALL SELECT 'read-only', 'sales.read'
  UNION ALL SELECT 'read-only', 'service.read' UNION ALL SELECT 'read-only', 'reports.read'
) p ON p.role = r.name;

ALTER TABLE users
  ADD COLUMN role_id BIGINT UNSIGNED NULL AFTER password_hash,
  ADD COLUMN team_id BIGINT UNSIGNED NULL AFTER role_id,
  ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE AFTER active,
  ADD COLUMN totp_secret VARCHAR(64) NULL,
  ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_login_at DATETIME NULL,
  ADD CONSTRAINT users_role FOREIGN KEY (role_id) REFERENCES roles (id),
  ADD CONSTRAINT users_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;

-- Users from before roles existed: administrators become admin, others read-only.
UPDATE users SET role_id = (SELECT id FROM roles WHERE name = IF(users.is_admin, 'admin', 'read-only'));
ALTER TABLE users MODIFY role_id BIGINT UNSIGNED NOT NULL, DROP COLUMN is_admin;

-- The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  token_hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  csrf_token CHAR(43) NOT NULL,
  second_factor_ok BOOLEAN NOT NULL DEFAULT FALSE,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  last_seen_at DATETIME NOT NULL,
  idle_expires_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL,
  ended_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_user (user_id, ended_at),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  token_hash BINARY(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  expires_at DATETIME NULL,
  last_used_at DATETIME NULL,
  revoked_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY api_tokens_token (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Recovery codes for two-factor sign-in: shown once, stored hashed.
CREATE TABLE recovery_codes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  code_hash BINARY(32) NOT NULL,
  used_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY recovery_codes_code (user_id, code_hash),
  CONSTRAINT recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed sign-ins per account name and per client address. The key is
-- what was typed, whether or not such a user exists.
CREATE TABLE login_throttle (
  throttle_key VARCHAR(320) NOT NULL,
  failures INT UNSIGNED NOT NULL DEFAULT 0,
  blocked_until DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (throttle_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every change and sign-in, chained: hash = SHA-256(prev_hash || row).
-- Nothing in the application updates or deletes these rows.
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at DATETIME(6) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  action VARCHAR(32) NOT NULL,
  entity VARCHAR(64) NOT NULL,
  entity_id BIGINT UNSIGNED NULL,
  changes JSON NOT NULL,
  prev_hash BINARY(32) NOT NULL,
  hash BINARY(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY audit_entity (entity, entity_id, id),
  KEY audit_user (user_id, id),
  KEY audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The head of the chain: one row, locked by each writer so the chain
-- never forks under concurrent transactions.
CREATE TABLE audit_head (
  id TINYINT UNSIGNED NOT NULL,
  last_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_hash BINARY(32) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, REPEAT(CHAR(0), 32));

CREATE TABLE settings (
  name VARCHAR(64) NOT NULL,
  value VARCHAR(1000) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO settings (name, value) VALUES
  ('company_name', 'Example Ltd'),
  ('base_currency', 'USD'),
  ('time_zone', 'UTC'),
  ('smtp_relay', ''),
  ('session_idle_minutes', '60'),
  ('session_max_hours', '12');
