-- Rules (issue 9): "when this happens to a record of this kind, and it
-- matches these conditions, do these things". The definition (conditions
-- and actions) is structured JSON compiled by lib/crm_rule.c; entity and
-- trigger are columns of their own so the runner finds the rules of an
-- event through an index.
CREATE TABLE rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  entity VARCHAR(32) NOT NULL,                 -- the report catalogue's name: "tickets"
  trigger_kind ENUM('create', 'update', 'delete', 'time') NOT NULL,
  definition JSON NOT NULL,
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  -- Time rules: the last target date a pass finished, so the next pass
  -- reads a day or two of the date's index, not every record.
  timer_through DATE NULL,
  -- Round-robin assignment: the team member who had the last one.
  rr_last_user_id BIGINT UNSIGNED NULL,
  runs BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_run_at DATETIME NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY rules_event (entity, trigger_kind, enabled, id),
  KEY rules_time (trigger_kind, enabled, id),
  KEY rules_name (name, id),
  CONSTRAINT rules_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- "When a condition becomes true": the records that matched a rule's
-- conditions when last looked at, so it fires on the false-to-true edge
-- only, and again only after the record stopped matching.
CREATE TABLE rule_matches (
  rule_id BIGINT UNSIGNED NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  matched_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (rule_id, record_id),
  CONSTRAINT rule_matches_rule FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A time rule fires once per record per value of its date: a quote whose
-- expiry moves is reminded again, one that does not is reminded once.
CREATE TABLE rule_timers (
  rule_id BIGINT UNSIGNED NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  date_value DATE NOT NULL,
  fired_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (rule_id, record_id, date_value),
  CONSTRAINT rule_timers_rule FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The run log: one row per rule that matched a change or a date (or that
-- would have, past the depth limit): what, each action's outcome, errors.
CREATE TABLE rule_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  rule_id BIGINT UNSIGNED NOT NULL,
  audit_id BIGINT UNSIGNED NULL,               -- the change; NULL for a date
  entity VARCHAR(32) NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  record_name VARCHAR(300) NOT NULL DEFAULT '',
  trigger_kind ENUM('create', 'update', 'delete', 'time') NOT NULL,
  depth TINYINT UNSIGNED NOT NULL DEFAULT 0,
  status ENUM('done', 'error', 'loop') NOT NULL,
  actions JSON NOT NULL,                       -- [{"type", "ok", "detail"}]
  error VARCHAR(500) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY rule_runs_rule (rule_id, id),
  KEY rule_runs_created (created_at),          -- the timers part drops old runs
  CONSTRAINT rule_runs_rule FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The dates a time rule may run over, each read as a range of an index.
ALTER TABLE quotes ADD KEY quotes_valid_until (valid_until, id);
ALTER TABLE activities ADD KEY activities_at (at, id), ADD KEY activities_created (created_at, id);
ALTER TABLE tickets ADD KEY tickets_resolved (resolved_at, id);
ALTER TABLE leads ADD KEY leads_converted (converted_at, id);
ALTER TABLE opportunities ADD KEY opportunities_created (created_at, id),
  ADD KEY opportunities_closed (closed_at, id);
ALTER TABLE orders ADD KEY orders_shipped (shipped_on, id), ADD KEY orders_delivered (delivered_on, id);
