-- Leads, part two: web-to-lead forms, the rules that assign new leads to
-- owners, and the per-address counters that rate-limit the public forms.

-- A form another site embeds (or links to): its public address is
-- /sales/forms/<token>. fields and required are comma-separated lead
-- fields (first_name,last_name,company,title,email,phone,city,country,
-- message); stamp_key signs the time each page was served, so a POST
-- that comes back too soon (a bot) is refused without storing anything.
-- owner_id is who gets a lead no rule matches (or every lead, when
-- use_rules is off).
CREATE TABLE lead_forms (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  token CHAR(43) NOT NULL,
  stamp_key BINARY(32) NOT NULL,
  fields VARCHAR(200) NOT NULL,
  required VARCHAR(200) NOT NULL DEFAULT '',
  source VARCHAR(50) NOT NULL DEFAULT 'web',
  owner_id BIGINT UNSIGNED NOT NULL,
  use_rules BOOLEAN NOT NULL DEFAULT TRUE,
  thanks VARCHAR(1000) NOT NULL DEFAULT '',
  redirect_url VARCHAR(500) NOT NULL DEFAULT '',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY lead_forms_token (token),
  KEY lead_forms_name (name, id),
  CONSTRAINT lead_forms_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE leads ADD CONSTRAINT leads_form FOREIGN KEY (form_id) REFERENCES lead_forms (id),
  ADD KEY leads_score (score, id);

-- Assignment rules, tried in position order; the first that matches a
-- new lead names its owner. country and city narrow the rule ('' matches
-- any: a rule with neither matches every lead); the owner is user_id, or
-- the next active member of team_id after last_user_id (round-robin: the
-- row is locked while the pointer moves, so two workers never hand out
-- the same turn).
CREATE TABLE lead_rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  position INT NOT NULL DEFAULT 0,
  name VARCHAR(100) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT '',
  city VARCHAR(100) NOT NULL DEFAULT '',
  user_id BIGINT UNSIGNED NULL,
  team_id BIGINT UNSIGNED NULL,
  last_user_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY lead_rules_order (active, position, id),
  CONSTRAINT lead_rules_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT lead_rules_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- POSTs to a public form per client address in fixed windows (the
-- window's start): one row per form, address and window, counted with
-- INSERT ... ON DUPLICATE KEY UPDATE; old windows are swept as new ones
-- are counted.
CREATE TABLE lead_form_hits (
  form_id BIGINT UNSIGNED NOT NULL,
  ip VARCHAR(45) NOT NULL,
  window_start DATETIME NOT NULL,
  hits INT NOT NULL DEFAULT 0,
  PRIMARY KEY (form_id, ip, window_start),
  KEY lead_form_hits_window (window_start),
  CONSTRAINT lead_form_hits_form FOREIGN KEY (form_id) REFERENCES lead_forms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
