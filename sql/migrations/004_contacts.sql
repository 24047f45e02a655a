-- Contacts (people, in an account or on their own), activities on either,
-- tags, and soft delete. A deleted record keeps its row with deleted_at
-- set, so an admin can restore it with its history and links intact.
ALTER TABLE accounts
  ADD COLUMN size VARCHAR(20) NOT NULL DEFAULT '' AFTER industry,
  ADD COLUMN street VARCHAR(200) NOT NULL DEFAULT '' AFTER phone,
  ADD COLUMN region VARCHAR(100) NOT NULL DEFAULT '' AFTER city,
  ADD COLUMN postcode VARCHAR(20) NOT NULL DEFAULT '' AFTER region,
  ADD COLUMN country VARCHAR(2) NOT NULL DEFAULT '' AFTER postcode,
  ADD COLUMN deleted_at DATETIME NULL,
  ADD KEY accounts_city (city, name, id),
  ADD KEY accounts_deleted (deleted_at);

-- full_name is what lists sort by: "Ann Lee" or "李娜" (family name first
-- when the name is written in Chinese), made by the program on write.
-- email_norm and phone_e164 are the normalised forms duplicates are found by.
CREATE TABLE contacts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id BIGINT UNSIGNED NULL,
  first_name VARCHAR(100) NOT NULL DEFAULT '',
  last_name VARCHAR(100) NOT NULL DEFAULT '',
  full_name VARCHAR(201) NOT NULL,
  title VARCHAR(100) NOT NULL DEFAULT '',
  email VARCHAR(254) NOT NULL DEFAULT '',
  email2 VARCHAR(254) NOT NULL DEFAULT '',
  phone VARCHAR(50) NOT NULL DEFAULT '',
  mobile VARCHAR(50) NOT NULL DEFAULT '',
  email_norm VARCHAR(254) NOT NULL DEFAULT '',
  phone_e164 VARCHAR(16) NOT NULL DEFAULT '',
  mobile_e164 VARCHAR(16) NOT NULL DEFAULT '',
  street VARCHAR(200) NOT NULL DEFAULT '',
  city VARCHAR(100) NOT NULL DEFAULT '',
  region VARCHAR(100) NOT NULL DEFAULT '',
  postcode VARCHAR(20) NOT NULL DEFAULT '',
  country VARCHAR(2) NOT NULL DEFAULT '',
  birthday DATE NULL,
  source VARCHAR(50) NOT NULL DEFAULT '',
  consent_email BOOLEAN NOT NULL DEFAULT FALSE,
  consent_phone BOOLEAN NOT NULL DEFAULT FALSE,
  notes TEXT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY contacts_name (full_name, id),
  KEY contacts_owner (owner_id, full_name, id),
  KEY contacts_account (account_id, full_name, id),
  KEY contacts_city (city, full_name, id),
  KEY contacts_created (created_at, id),
  KEY contacts_email (email_norm),
  KEY contacts_phone (phone_e164),
  KEY contacts_mobile (mobile_e164),
  KEY contacts_deleted (deleted_at),
  CONSTRAINT contacts_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT contacts_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Activities: what happened (note, call, meeting, e-mail) or is to be done
-- (task). account_id is set for a contact's activity too, when the contact
-- is in an account, so an account's timeline is one index range.
-- at: when it happened, starts, or is due; the timeline is ordered by it.
CREATE TABLE activities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  kind ENUM('note', 'call', 'meeting', 'email', 'task') NOT NULL,
  subject VARCHAR(200) NOT NULL,
  body TEXT NULL,
  account_id BIGINT UNSIGNED NULL,
  contact_id BIGINT UNSIGNED NULL,
  at DATETIME NOT NULL,
  ends_at DATETIME NULL,
  assignee_id BIGINT UNSIGNED NOT NULL,
  done_at DATETIME NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY activities_account (account_id, at, id),
  KEY activities_contact (contact_id, at, id),
  KEY activities_assignee (assignee_id, done_at, at, id),
  KEY activities_calendar (assignee_id, at, id),
  CONSTRAINT activities_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT activities_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT activities_assignee FOREIGN KEY (assignee_id) REFERENCES users (id),
  CONSTRAINT activities_created_by FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Tags: one name per tag (case-insensitive through the collation), linked
-- to any record by (entity, record_id); lists filter with EXISTS on the
-- primary key, and tag pages walk tag_links_tag.
CREATE TABLE tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(50) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY tags_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tag_links (
  entity ENUM('account', 'contact') NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  tag_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (entity, record_id, tag_id),
  KEY tag_links_tag (tag_id, entity, record_id),
  CONSTRAINT tag_links_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Maintained counters: lists show an exact total only where it is cheap.
-- The program moves them in the same transaction as the insert, delete
-- or restore.
CREATE TABLE record_counts (
  entity VARCHAR(20) NOT NULL,
  live BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (entity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO record_counts (entity, live)
  SELECT 'account', COUNT(*) FROM accounts UNION ALL SELECT 'contact', 0;

-- Saved views: a user's named list filters (the query string of a list).
CREATE TABLE saved_views (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  entity ENUM('account', 'contact') NOT NULL,
  name VARCHAR(100) NOT NULL,
  query VARCHAR(1000) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY saved_views_name (user_id, entity, name),
  CONSTRAINT saved_views_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A calendar application cannot sign in: each user's .ics feed is reached
-- by a secret link, of which only the SHA-256 (hex) is kept.
ALTER TABLE users
  ADD COLUMN calendar_token CHAR(64) NULL,
  ADD UNIQUE KEY users_calendar_token (calendar_token);
