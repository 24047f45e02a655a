-- Customer value, worked out by `crmctl analytics rfm` (lib/analytics/rfm.c)
-- from the orders and read by the account page: one row per account that
-- has ordered, replaced whole by each run, so a run that fails half-way
-- leaves the previous scores (one transaction).
CREATE TABLE customer_scores (
  account_id BIGINT UNSIGNED NOT NULL,
  recency_days INT NOT NULL,              -- since the latest order
  orders INT NOT NULL,                    -- not cancelled
  revenue DECIMAL(19,2) NOT NULL,         -- their total in the base currency
  r TINYINT UNSIGNED NOT NULL,            -- 1..5 by quintile, 5 the most recent
  f TINYINT UNSIGNED NOT NULL,
  m TINYINT UNSIGNED NOT NULL,
  computed_at DATETIME NOT NULL,
  PRIMARY KEY (account_id),
  CONSTRAINT customer_scores_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
