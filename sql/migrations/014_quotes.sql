-- Numbers for quotes (Q-2026-00042) and orders (SO-2026-00001): one row
-- per kind and year, bumped with INSERT ... ON DUPLICATE KEY UPDATE inside
-- the transaction that creates the record. The row stays locked until
-- that transaction ends, so two quotes made at once wait for each other
-- instead of both reading the same MAX(number) (no gap locks, no
-- deadlock between two inserts). A rolled-back transaction gives its
-- number back; unlike invoices, quotes and orders need no gap-free
-- sequence, but they get one all the same.
CREATE TABLE sales_counters (
  kind VARCHAR(16) NOT NULL,             -- quote | order
  year SMALLINT NOT NULL,
  last_number INT NOT NULL,
  PRIMARY KEY (kind, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
