-- Service: tickets with their thread and attachments, categories and
-- assignment rules, SLA policies on business calendars, customer status
-- links and satisfaction, the knowledge base, and the outgoing mail queue.
-- Times are UTC DATETIMEs; business hours are in the calendar's zone.

-- Working calendars: hours per weekday (several spans a day allowed)
-- and holidays, in the calendar's time zone.
CREATE TABLE business_calendars (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY business_calendars_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE business_hours (
  calendar_id BIGINT UNSIGNED NOT NULL,
  weekday TINYINT NOT NULL,              -- 1 Monday .. 7 Sunday (ISO)
  opens TIME NOT NULL,
  closes TIME NOT NULL,                  -- after opens, the same day
  PRIMARY KEY (calendar_id, weekday, opens),
  CONSTRAINT business_hours_calendar FOREIGN KEY (calendar_id) REFERENCES business_calendars (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE holidays (
  calendar_id BIGINT UNSIGNED NOT NULL,
  day DATE NOT NULL,
  name VARCHAR(100) NOT NULL DEFAULT '',
  PRIMARY KEY (calendar_id, day),
  CONSTRAINT holidays_calendar FOREIGN KEY (calendar_id) REFERENCES business_calendars (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO business_calendars (name, is_default) VALUES ('Office hours', TRUE);
INSERT INTO business_hours (calendar_id, weekday, opens, closes)
SELECT c.id, d.weekday, '09:00:00', '17:00:00' FROM business_calendars c JOIN (
  SELECT 1 AS weekday UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) d
WHERE c.name = 'Office hours';

-- One policy per priority: targets in business minutes.
CREATE TABLE sla_policies (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  priority ENUM('low', 'normal', 'high', 'urgent') NOT NULL,
  name VARCHAR(100) NOT NULL,
  first_response_minutes INT NOT NULL,
  resolution_minutes INT NOT NULL,
  calendar_id BIGINT UNSIGNED NOT NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY sla_policies_priority (priority),
  CONSTRAINT sla_policies_calendar FOREIGN KEY (calendar_id) REFERENCES business_calendars (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO sla_policies (priority, name, first_response_minutes, resolution_minutes, calendar_id)
SELECT p.priority, p.name, p.fr, p.res, c.id FROM business_calendars c JOIN (
  SELECT 'urgent' AS priority, 'Urgent' AS name, 60 AS fr, 480 AS res
  UNION ALL SELECT 'high', 'High', 240, 960
  UNION ALL SELECT 'normal', 'Normal', 480, 2400
  UNION ALL SELECT 'low', 'Low', 960, 4800) p
WHERE c.name = 'Office hours';

CREATE TABLE ticket_categories (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  team_id BIGINT UNSIGNED NULL,          -- the team new tickets of it go to
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY ticket_categories_name (name),
  CONSTRAINT ticket_categories_team FOREIGN KEY (team_id) REFERENCES teams (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO ticket_categories (name) VALUES ('General'), ('Billing'), ('Repair'), ('Delivery');

-- Tickets. owner_id is the agent responsible (the assignee), so SCOPE()
-- works as elsewhere; an unassigned ticket has owner_id NULL and is in
-- every agent's "unassigned" queue. requester_* name whoever opened it
-- from outside when no contact matches.
CREATE TABLE tickets (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  subject VARCHAR(200) NOT NULL,
  description TEXT NULL,
  contact_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NULL,
  order_id BIGINT UNSIGNED NULL,
  requester_name VARCHAR(200) NOT NULL DEFAULT '',
  requester_email VARCHAR(254) NOT NULL DEFAULT '',
  category_id BIGINT UNSIGNED NULL,
  priority ENUM('low', 'normal', 'high', 'urgent') NOT NULL DEFAULT 'normal',
  status ENUM('new', 'open', 'pending', 'resolved', 'closed') NOT NULL DEFAULT 'new',
  channel ENUM('phone', 'email', 'web', 'walk_in') NOT NULL DEFAULT 'phone',
  owner_id BIGINT UNSIGNED NULL,
  team_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NULL,       -- NULL: the public form
  -- SLA: the policy's targets as due times; paused while pending on the
  -- customer (the business minutes paused so far move the due times).
  sla_policy_id BIGINT UNSIGNED NULL,
  first_response_due DATETIME NULL,
  resolution_due DATETIME NULL,
  first_responded_at DATETIME NULL,
  paused_at DATETIME NULL,
  paused_minutes INT NOT NULL DEFAULT 0,
  first_response_breached BOOLEAN NOT NULL DEFAULT FALSE,
  resolution_breached BOOLEAN NOT NULL DEFAULT FALSE,
  resolved_at DATETIME NULL,
  closed_at DATETIME NULL,
  -- The customer's status link and survey link (secrets, not ids).
  public_token CHAR(43) NULL,
  public_revoked_at DATETIME NULL,
  csat_token CHAR(43) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY tickets_public (public_token),
  UNIQUE KEY tickets_csat (csat_token),
  KEY tickets_owner (owner_id, status, id),
  KEY tickets_team (team_id, status, id),
  KEY tickets_status (status, id),
  KEY tickets_due (status, resolution_due, id),
  KEY tickets_contact (contact_id, created_at, id),
  KEY tickets_account (account_id, created_at, id),
  KEY tickets_created (created_at, id),
  CONSTRAINT tickets_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT tickets_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT tickets_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT tickets_category FOREIGN KEY (category_id) REFERENCES ticket_categories (id),
  CONSTRAINT tickets_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT tickets_team FOREIGN KEY (team_id) REFERENCES teams (id),
  CONSTRAINT tickets_created_by FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT tickets_sla FOREIGN KEY (sla_policy_id) REFERENCES sla_policies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The thread: public replies (to the customer), internal notes (staff
-- only), and the customer's own messages (from the status link or mail).
CREATE TABLE ticket_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ticket_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('public', 'internal', 'customer') NOT NULL,
  body TEXT NOT NULL,
  author_id BIGINT UNSIGNED NULL,        -- staff; NULL for the customer
  author_name VARCHAR(200) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY ticket_messages_ticket (ticket_id, id),
  CONSTRAINT ticket_messages_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id),
  CONSTRAINT ticket_messages_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Files kept on disk under crm.conf [service] attachments (outside the
-- web root), named by their id; served only through the module.
CREATE TABLE ticket_attachments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ticket_id BIGINT UNSIGNED NOT NULL,
  message_id BIGINT UNSIGNED NULL,
  filename VARCHAR(255) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  sha256 BINARY(32) NOT NULL,
  public BOOLEAN NOT NULL DEFAULT FALSE, -- shown on the status link
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY ticket_attachments_ticket (ticket_id, id),
  CONSTRAINT ticket_attachments_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id),
  CONSTRAINT ticket_attachments_message FOREIGN KEY (message_id) REFERENCES ticket_messages (id),
  CONSTRAINT ticket_attachments_created_by FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Assignment: rules in order, by category (NULL: any), within a team,
-- round-robin (last_user_id is the pointer) or to the member with the
-- fewest open tickets.
CREATE TABLE ticket_rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  position INT NOT NULL DEFAULT 0,
  name VARCHAR(100) NOT NULL,
  category_id BIGINT UNSIGNED NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  method ENUM('round_robin', 'least_open') NOT NULL DEFAULT 'round_robin',
  last_user_id BIGINT UNSIGNED NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY ticket_rules_order (active, position, id),
  CONSTRAINT ticket_rules_category FOREIGN KEY (category_id) REFERENCES ticket_categories (id),
  CONSTRAINT ticket_rules_team FOREIGN KEY (team_id) REFERENCES teams (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Satisfaction: one answer per ticket, with who and what it was about
-- at the time, for results by agent, team and category.
CREATE TABLE csat_responses (
  ticket_id BIGINT UNSIGNED NOT NULL,
  score TINYINT NOT NULL,                -- 1..5
  comment TEXT NULL,
  agent_id BIGINT UNSIGNED NULL,
  team_id BIGINT UNSIGNED NULL,
  category_id BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (ticket_id),
  KEY csat_agent (agent_id, created_at),
  KEY csat_created (created_at),
  CONSTRAINT csat_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Knowledge base: Markdown articles (cmark renders them, raw HTML off).
CREATE TABLE kb_categories (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY kb_categories_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE kb_articles (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  category_id BIGINT UNSIGNED NULL,
  title VARCHAR(200) NOT NULL,
  body MEDIUMTEXT NOT NULL,              -- Markdown
  status ENUM('draft', 'published') NOT NULL DEFAULT 'draft',
  author_id BIGINT UNSIGNED NOT NULL,
  published_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY kb_articles_status (status, title, id),
  KEY kb_articles_category (category_id, status, title, id),
  CONSTRAINT kb_articles_category FOREIGN KEY (category_id) REFERENCES kb_categories (id),
  CONSTRAINT kb_articles_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Outgoing mail: written in the transaction of what causes it, sent by
-- the job runner through settings smtp_relay, retried with backoff.
CREATE TABLE mail_queue (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  to_addr VARCHAR(254) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body MEDIUMTEXT NOT NULL,              -- text/plain, UTF-8
  ticket_id BIGINT UNSIGNED NULL,
  status ENUM('queued', 'sending', 'sent', 'failed') NOT NULL DEFAULT 'queued',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  heartbeat_at DATETIME NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  sent_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY mail_queue_due (status, next_attempt_at, id),
  KEY mail_queue_ticket (ticket_id, id),
  CONSTRAINT mail_queue_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO settings (name, value) VALUES
  ('mail_from', 'support@example.com'),
  ('csat_days', '7');
