-- The marketing area: segments and target lists, campaigns and their
-- members, e-mail templates and sends (one row per recipient, so a send
-- stopped at any point goes on without losing or repeating a message),
-- tracked links with their clicks, and consent records.

-- A segment is a saved set of conditions over contacts (and their
-- accounts, tags, activities and orders), kept as structured JSON that
-- lib/crm_segment.c compiles to prepared SQL with bound values.
CREATE TABLE segments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  description TEXT NULL,
  conditions LONGTEXT NOT NULL CHECK (JSON_VALID(conditions)),
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY segments_name (name),
  CONSTRAINT segments_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A static list of contacts: built by hand, frozen from a segment, or
-- imported from CSV. members is kept with each change (no COUNT(*)).
CREATE TABLE target_lists (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  description TEXT NULL,
  source ENUM('manual', 'segment', 'import') NOT NULL DEFAULT 'manual',
  segment_id BIGINT UNSIGNED NULL,       -- the segment it was frozen from
  members INT NOT NULL DEFAULT 0,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY target_lists_name (name),
  CONSTRAINT target_lists_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
  CONSTRAINT target_lists_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE target_list_members (
  list_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  added_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (list_id, contact_id),
  KEY target_list_members_contact (contact_id),
  CONSTRAINT target_list_members_list FOREIGN KEY (list_id) REFERENCES target_lists (id),
  CONSTRAINT target_list_members_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- E-mail templates: mustache with merge fields, an HTML and a plain-text
-- part.
CREATE TABLE email_templates (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body_html MEDIUMTEXT NOT NULL,
  body_text MEDIUMTEXT NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY email_templates_name (name),
  CONSTRAINT email_templates_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaigns (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  type ENUM('email', 'sms', 'event', 'print', 'web') NOT NULL DEFAULT 'email',
  status ENUM('planned', 'active', 'completed') NOT NULL DEFAULT 'planned',
  objective TEXT NULL,
  starts_on DATE NULL,
  ends_on DATE NULL,
  currency CHAR(3) NOT NULL,
  budget DECIMAL(19,2) NOT NULL DEFAULT 0,
  actual_cost DECIMAL(19,2) NOT NULL DEFAULT 0,
  -- Opportunities and orders of a member's account count for the
  -- campaign when they come within this many days of the member's
  -- message (or, with none, of the campaign's start).
  attribution_days INT NOT NULL DEFAULT 90,
  template_id BIGINT UNSIGNED NULL,
  utm_suffix VARCHAR(300) NOT NULL DEFAULT '',   -- added to tracked links' targets, e.g. utm_source=print
  members INT NOT NULL DEFAULT 0,                -- kept with each change (no COUNT(*))
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY campaigns_name (name),
  KEY campaigns_status (status, starts_on, id),
  KEY campaigns_owner (owner_id, starts_on, id),
  CONSTRAINT campaigns_template FOREIGN KEY (template_id) REFERENCES email_templates (id),
  CONSTRAINT campaigns_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What a campaign aims at: target lists and segments (a segment's
-- members are taken when the campaign's members are filled).
CREATE TABLE campaign_targets (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  campaign_id BIGINT UNSIGNED NOT NULL,
  list_id BIGINT UNSIGNED NULL,
  segment_id BIGINT UNSIGNED NULL,
  PRIMARY KEY (id),
  UNIQUE KEY campaign_targets_by_list (campaign_id, list_id),
  UNIQUE KEY campaign_targets_by_segment (campaign_id, segment_id),
  CONSTRAINT campaign_targets_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
  CONSTRAINT campaign_targets_list FOREIGN KEY (list_id) REFERENCES target_lists (id),
  CONSTRAINT campaign_targets_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
  CONSTRAINT campaign_targets_one CHECK ((list_id IS NULL) <> (segment_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A campaign's members and how far each got: the time of each response
-- (NULL: not yet); status is the furthest one, for lists and filters.
CREATE TABLE campaign_members (
  campaign_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  status ENUM('targeted', 'sent', 'opened', 'clicked', 'responded', 'converted', 'unsubscribed', 'bounced')
    NOT NULL DEFAULT 'targeted',
  added_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at DATETIME NULL,
  opened_at DATETIME NULL,
  clicked_at DATETIME NULL,
  responded_at DATETIME NULL,
  converted_at DATETIME NULL,
  unsubscribed_at DATETIME NULL,
  bounced_at DATETIME NULL,
  PRIMARY KEY (campaign_id, contact_id),
  KEY campaign_members_status (campaign_id, status, contact_id),
  KEY campaign_members_contact (contact_id, campaign_id),
  CONSTRAINT campaign_members_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
  CONSTRAINT campaign_members_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A mass send of a campaign's e-mail: the job the runner works through,
-- paused and resumed from the page; its counts move with each message.
CREATE TABLE campaign_sends (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  campaign_id BIGINT UNSIGNED NOT NULL,
  template_id BIGINT UNSIGNED NOT NULL,
  status ENUM('queued', 'sending', 'paused', 'done', 'cancelled') NOT NULL DEFAULT 'queued',
  rate_per_minute INT NOT NULL DEFAULT 600,
  total INT NOT NULL DEFAULT 0,
  sent INT NOT NULL DEFAULT 0,
  failed INT NOT NULL DEFAULT 0,
  skipped INT NOT NULL DEFAULT 0,          -- no consent, unsubscribed, bounced, no address
  requested_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  KEY campaign_sends_campaign (campaign_id, id),
  KEY campaign_sends_status (status, id),
  CONSTRAINT campaign_sends_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
  CONSTRAINT campaign_sends_template FOREIGN KEY (template_id) REFERENCES email_templates (id),
  CONSTRAINT campaign_sends_requested_by FOREIGN KEY (requested_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per recipient of a send, written before anything is sent:
-- queued, then sending (with a heartbeat) just before the relay gets it,
-- then sent, failed or skipped. token identifies the recipient in the
-- unsubscribe link, the open pixel and tracked links (?m=token).
CREATE TABLE campaign_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  send_id BIGINT UNSIGNED NOT NULL,
  campaign_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  to_addr VARCHAR(254) NOT NULL,
  token CHAR(43) NOT NULL,
  status ENUM('queued', 'sending', 'sent', 'failed', 'skipped', 'bounced') NOT NULL DEFAULT 'queued',
  skip_reason VARCHAR(50) NOT NULL DEFAULT '',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  heartbeat_at DATETIME NULL,
  sent_at DATETIME NULL,
  opened_at DATETIME NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY campaign_messages_token (token),
  UNIQUE KEY campaign_messages_recipient (send_id, contact_id),
  KEY campaign_messages_due (send_id, status, next_attempt_at, id),
  KEY campaign_messages_contact (contact_id, id),
  CONSTRAINT campaign_messages_send FOREIGN KEY (send_id) REFERENCES campaign_sends (id),
  CONSTRAINT campaign_messages_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
  CONSTRAINT campaign_messages_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A campaign's links, each behind a short redirect /r/<token> that
-- records the click and goes only to the url stored here.
CREATE TABLE tracked_links (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  campaign_id BIGINT UNSIGNED NOT NULL,
  token VARCHAR(22) NOT NULL,
  url VARCHAR(2000) NOT NULL,
  url_hash BINARY(32) NOT NULL,          -- SHA-256 of url: one link per campaign and target
  label VARCHAR(200) NOT NULL DEFAULT '',
  clicks INT NOT NULL DEFAULT 0,          -- kept with each click
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY tracked_links_token (token),
  UNIQUE KEY tracked_links_target (campaign_id, url_hash),
  CONSTRAINT tracked_links_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE link_clicks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  link_id BIGINT UNSIGNED NOT NULL,
  campaign_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NULL,        -- known from the message's token
  message_id BIGINT UNSIGNED NULL,
  clicked_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  user_agent VARCHAR(300) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  KEY link_clicks_link (link_id, id),
  KEY link_clicks_campaign (campaign_id, clicked_at),
  KEY link_clicks_contact (contact_id, id),
  CONSTRAINT link_clicks_link FOREIGN KEY (link_id) REFERENCES tracked_links (id),
  CONSTRAINT link_clicks_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
  CONSTRAINT link_clicks_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Consent, per contact and purpose, as a history: each grant or
-- withdrawal with its source and time. The latest row decides, and the
-- contact's consent_* flag mirrors it (written in the same transaction)
-- so lists and sends read one column.
CREATE TABLE consents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  contact_id BIGINT UNSIGNED NOT NULL,
  purpose ENUM('email', 'sms', 'phone') NOT NULL,
  granted BOOLEAN NOT NULL,
  source VARCHAR(50) NOT NULL,            -- form, import, staff, unsubscribe_link, api, ...
  note VARCHAR(300) NOT NULL DEFAULT '',
  recorded_by BIGINT UNSIGNED NULL,       -- NULL: the contact themselves
  recorded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY consents_contact (contact_id, purpose, id),
  CONSTRAINT consents_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT consents_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE contacts
  ADD COLUMN consent_sms BOOLEAN NOT NULL DEFAULT FALSE AFTER consent_phone,
  ADD COLUMN email_bounced_at DATETIME NULL AFTER consent_sms,
  ADD COLUMN erased_at DATETIME NULL;

INSERT INTO settings (name, value) VALUES
  ('marketing_from', 'news@example.com'),
  ('marketing_rate_per_minute', '600');
