-- The automation area (issue 9), its shared part: what happened is read
-- from the audit log, which every writer already fills in the same
-- transaction as its change, in commit order (the chain's head is locked
-- until commit). Each consumer (rules, webhooks, notifications) keeps its
-- own cursor into it, so a slow or failing one never holds the others up.
-- The rules' own tables are in 044, mail in 045, calendar sync in 046.

-- How deep in a chain of rules a change was made: 0 by a person or a
-- program, n + 1 by a rule that reacted to a change of depth n. The rule
-- runner stops (and logs why) past its limit, so rules cannot loop.
ALTER TABLE audit_log ADD COLUMN depth TINYINT UNSIGNED NOT NULL DEFAULT 0;

-- A consumer's position in the audit log. Advanced in the same
-- transaction as the work an event caused, and only from the position it
-- was read at, so two runners never both act on one event. A new install
-- starts at the present: history is not replayed.
CREATE TABLE automation_cursors (
  name VARCHAR(32) NOT NULL,
  last_audit_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  events BIGINT UNSIGNED NOT NULL DEFAULT 0,   -- read since installed
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO automation_cursors (name, last_audit_id)
SELECT n.name, (SELECT IFNULL(MAX(id), 0) FROM audit_log) FROM (
  SELECT 'rules' AS name UNION ALL SELECT 'webhooks' UNION ALL SELECT 'notifications'
) n;

-- When each part of the job runner last finished a pass, and how it
-- ended: the automation page shows it, so an admin sees a stuck part.
CREATE TABLE automation_ticks (
  name VARCHAR(32) NOT NULL,
  ticked_at DATETIME NOT NULL,
  ok BOOLEAN NOT NULL DEFAULT TRUE,
  work INT UNSIGNED NOT NULL DEFAULT 0,        -- units done by the last pass
  error VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- In-app notifications. The unread count and a version that moves with
-- every change to a user's notifications live on the user's row, which
-- the session lookup reads anyway: the layout shows the count without a
-- query of its own, and the count's conditional request answers 304 from
-- the version alone. once_key makes a notification that a pass may find
-- again (a task due, an SLA near breach) arrive once.
ALTER TABLE users
  ADD COLUMN notify_unread INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN notify_version BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN notify_digest BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN notify_digest_at DATETIME NULL;

CREATE TABLE notifications (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('assigned', 'mention', 'task_due', 'sla_warning', 'quote_approved', 'rule', 'mail')
    NOT NULL,
  entity VARCHAR(32) NOT NULL,                 -- "ticket", "activity", ... as in the audit log
  entity_id BIGINT UNSIGNED NULL,
  title VARCHAR(300) NOT NULL,                 -- the record's name, as it was
  actor_id BIGINT UNSIGNED NULL,               -- who caused it; NULL: the system
  once_key VARCHAR(64) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  read_at DATETIME NULL,
  emailed_at DATETIME NULL,                    -- sent in a digest
  PRIMARY KEY (id),
  UNIQUE KEY notifications_once (user_id, kind, entity, entity_id, once_key),
  KEY notifications_user (user_id, id),
  KEY notifications_unread (user_id, read_at, id),
  CONSTRAINT notifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT notifications_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Outbound webhooks: each listens to event types, signs its JSON body
-- with its own secret (HMAC-SHA256), and is switched off after repeated
-- failures with the reason kept for the admin.
CREATE TABLE webhooks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  url VARCHAR(2000) NOT NULL,
  events VARCHAR(1000) NOT NULL DEFAULT '',    -- event types, comma-separated
  secret VARCHAR(64) NOT NULL,
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  failures INT UNSIGNED NOT NULL DEFAULT 0,    -- in a row; a success resets it
  disabled_at DATETIME NULL,
  disabled_reason VARCHAR(500) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  CONSTRAINT webhooks_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One event for one hook: queued, tried until delivered or given up,
-- each try's response kept.
CREATE TABLE webhook_deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  webhook_id BIGINT UNSIGNED NOT NULL,
  event VARCHAR(64) NOT NULL,
  audit_id BIGINT UNSIGNED NULL,               -- the change it tells of
  payload JSON NOT NULL,
  status ENUM('pending', 'delivered', 'failed') NOT NULL DEFAULT 'pending',
  attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  next_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  response_code SMALLINT UNSIGNED NULL,
  response_excerpt VARCHAR(500) NOT NULL DEFAULT '',
  error VARCHAR(500) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  delivered_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY webhook_deliveries_due (status, next_at, id),
  KEY webhook_deliveries_hook (webhook_id, id),
  CONSTRAINT webhook_deliveries_hook FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Managers automate; the admin role has every permission already.
INSERT INTO role_permissions (role_id, permission)
SELECT r.id, p.permission FROM roles r JOIN (
  SELECT 'manager' AS role, 'automation.rules' AS permission
) p ON p.role = r.name;
