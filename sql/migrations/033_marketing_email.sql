-- Test sends of an e-mail template to the signed-in user's own address:
-- rendered for a chosen contact when asked for, then sent by
-- crm-marketing jobs like a campaign's messages (queued, sending with a
-- heartbeat, sent or failed), so the page never waits for the relay.
CREATE TABLE email_test_sends (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  template_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NULL,        -- whose merge fields it shows
  to_addr VARCHAR(254) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body_html MEDIUMTEXT NOT NULL,
  body_text MEDIUMTEXT NOT NULL,
  status ENUM('queued', 'sending', 'sent', 'failed') NOT NULL DEFAULT 'queued',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  heartbeat_at DATETIME NULL,
  sent_at DATETIME NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  requested_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY email_test_sends_due (status, next_attempt_at, id),
  KEY email_test_sends_template (template_id, id),
  CONSTRAINT email_test_sends_template FOREIGN KEY (template_id) REFERENCES email_templates (id),
  CONSTRAINT email_test_sends_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT email_test_sends_requested_by FOREIGN KEY (requested_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
