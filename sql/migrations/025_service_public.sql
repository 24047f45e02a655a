-- The customer's side of the service area: the public ticket form's rate
-- limit per address, the key that signs its time-to-submit stamps, and
-- when the survey link was (re)sent, for its expiry after csat_days.
CREATE TABLE service_form_hits (
  ip VARCHAR(45) NOT NULL,
  window_start DATETIME NOT NULL,
  hits INT NOT NULL DEFAULT 0,
  PRIMARY KEY (ip, window_start),
  KEY service_form_hits_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO settings (name, value) VALUES ('service_form_key', HEX(RANDOM_BYTES(32)));

ALTER TABLE tickets ADD COLUMN csat_sent_at DATETIME NULL AFTER csat_token;
