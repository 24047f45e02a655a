-- Recalculating every open ticket's due times after an SLA policy or a
-- calendar changes is work for the job runner, not for the page that asks
-- for it: at 225,000 open tickets it runs for minutes, longer than nginx
-- waits for an answer. The page queues a run; crm-service jobs does it in
-- batches of 200 tickets, each batch one transaction that also moves
-- after_id, so a runner stopped half-way goes on where it was. A run
-- asked for while one is going supersedes it (the newer settings win).
CREATE TABLE sla_recalc_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  requested_by BIGINT UNSIGNED NULL,
  requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  superseded BOOLEAN NOT NULL DEFAULT FALSE,
  expected INT NOT NULL DEFAULT 0,        -- open tickets when it was asked for
  tickets INT NOT NULL DEFAULT 0,         -- done so far
  after_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY sla_recalc_runs_open (finished_at, id),
  CONSTRAINT sla_recalc_runs_requested_by FOREIGN KEY (requested_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
