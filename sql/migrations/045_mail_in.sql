-- Mail in (issue 9): IMAP mailboxes the job runner reads. A "support"
-- mailbox opens tickets and threads replies onto them; a "timeline"
-- mailbox logs mail from known contacts as activities. What has been
-- handled is kept here by (UIDVALIDITY, UID), each message in the same
-- transaction as what it caused, so a crash never handles one twice.

CREATE TABLE mailboxes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  url VARCHAR(500) NOT NULL,                   -- imap(s)://host:port/MAILBOX
  username VARCHAR(200) NOT NULL,
  -- Needed in clear to log in; never shown, logged, audited or sent by
  -- the API. The database's own access rules protect it.
  password VARCHAR(500) NOT NULL,
  purpose ENUM('support', 'timeline') NOT NULL,
  support_address VARCHAR(254) NOT NULL DEFAULT '',
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  poll_seconds INT UNSIGNED NOT NULL DEFAULT 300,
  next_poll_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  uidvalidity BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_uid BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_polled_at DATETIME NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY mailboxes_name (name),
  KEY mailboxes_due (enabled, next_poll_at),
  CONSTRAINT mailboxes_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per message handled, whatever came of it: the mailbox page's
-- log, the guard against handling it twice (the key), and the Message-IDs
-- a reply's In-Reply-To or References may name.
CREATE TABLE mailbox_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mailbox_id BIGINT UNSIGNED NOT NULL,
  uidvalidity BIGINT UNSIGNED NOT NULL,
  uid BIGINT UNSIGNED NOT NULL,
  message_id VARCHAR(250) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  from_addr VARCHAR(254) NOT NULL DEFAULT '',
  subject VARCHAR(200) NOT NULL DEFAULT '',
  outcome ENUM('ticket', 'reply', 'timeline', 'skipped', 'error') NOT NULL,
  detail VARCHAR(500) NOT NULL DEFAULT '',     -- why skipped, the error, files not kept
  ticket_id BIGINT UNSIGNED NULL,
  activity_id BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY mailbox_messages_uid (mailbox_id, uidvalidity, uid),
  KEY mailbox_messages_log (mailbox_id, id),
  KEY mailbox_messages_msgid (message_id),
  CONSTRAINT mailbox_messages_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per poll: what it saw and did, or why it failed.
CREATE TABLE mailbox_polls (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mailbox_id BIGINT UNSIGNED NOT NULL,
  polled_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  seen INT UNSIGNED NOT NULL DEFAULT 0,
  tickets INT UNSIGNED NOT NULL DEFAULT 0,
  replies INT UNSIGNED NOT NULL DEFAULT 0,
  timeline INT UNSIGNED NOT NULL DEFAULT 0,
  skipped INT UNSIGNED NOT NULL DEFAULT 0,
  errors INT UNSIGNED NOT NULL DEFAULT 0,
  error VARCHAR(500) NOT NULL DEFAULT '',      -- the poll's own failure (login, network)
  PRIMARY KEY (id),
  KEY mailbox_polls_log (mailbox_id, id),
  CONSTRAINT mailbox_polls_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
