-- The board's column totals, kept as they change: per stage, month of
-- expected close and owner, the live deals' count, amount and the sum of
-- amount x probability (divided by 100 when read, so the weighted total
-- rounds once, as it did when summed from the deals). The board reads a
-- few hundred of these rows instead of every open deal (20,000 at
-- 100,000 deals); the cards still come from the deals.
--
-- Triggers keep it, so every writer is covered: the deal forms and the
-- board, lead conversion, quote acceptance, crmctl demo, an admin's SQL.
-- They run in the writer's transaction: a rolled-back move leaves the
-- totals as they were. With binary logging on (replication), creating
-- them needs the SUPER privilege or log_bin_trust_function_creators = 1
-- while crmctl migrate runs (INSTALL, section 9).
CREATE TABLE opportunity_totals (
  stage_id BIGINT UNSIGNED NOT NULL,
  close_month DATE NOT NULL,             -- the first of the month
  owner_id BIGINT UNSIGNED NOT NULL,
  deals INT NOT NULL,
  amount DECIMAL(19,2) NOT NULL,
  weighted DECIMAL(26,4) NOT NULL,
  PRIMARY KEY (stage_id, close_month, owner_id),
  KEY opportunity_totals_owner (owner_id, stage_id, close_month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO opportunity_totals (stage_id, close_month, owner_id, deals, amount, weighted)
SELECT stage_id, close_date - INTERVAL (DAYOFMONTH(close_date) - 1) DAY, owner_id, COUNT(*), SUM(amount),
  SUM(amount * probability)
FROM opportunities WHERE deleted_at IS NULL
GROUP BY stage_id, close_date - INTERVAL (DAYOFMONTH(close_date) - 1) DAY, owner_id;

CREATE TRIGGER opportunities_totals_insert AFTER INSERT ON opportunities FOR EACH ROW
  IF NEW.deleted_at IS NULL THEN
    INSERT INTO opportunity_totals (stage_id, close_month, owner_id, deals, amount, weighted)
    VALUES (NEW.stage_id, NEW.close_date - INTERVAL (DAYOFMONTH(NEW.close_date) - 1) DAY, NEW.owner_id, 1,
      NEW.amount, NEW.amount * NEW.probability)
    ON DUPLICATE KEY UPDATE deals = deals + 1, amount = amount + VALUES(amount),
      weighted = weighted + VALUES(weighted);
  END IF;

CREATE TRIGGER opportunities_totals_update AFTER UPDATE ON opportunities FOR EACH ROW
  IF NOT (OLD.stage_id <=> NEW.stage_id AND OLD.close_date <=> NEW.close_date AND OLD.owner_id <=> NEW.owner_id
      AND OLD.amount <=> NEW.amount AND OLD.probability <=> NEW.probability
      AND OLD.deleted_at <=> NEW.deleted_at) THEN
    IF OLD.deleted_at IS NULL THEN
      UPDATE opportunity_totals SET deals = deals - 1, amount = amount - OLD.amount,
        weighted = weighted - OLD.amount * OLD.probability
      WHERE stage_id = OLD.stage_id AND owner_id = OLD.owner_id
        AND close_month = OLD.close_date - INTERVAL (DAYOFMONTH(OLD.close_date) - 1) DAY;
    END IF;
    IF NEW.deleted_at IS NULL THEN
      INSERT INTO opportunity_totals (stage_id, close_month, owner_id, deals, amount, weighted)
      VALUES (NEW.stage_id, NEW.close_date - INTERVAL (DAYOFMONTH(NEW.close_date) - 1) DAY, NEW.owner_id, 1,
        NEW.amount, NEW.amount * NEW.probability)
      ON DUPLICATE KEY UPDATE deals = deals + 1, amount = amount + VALUES(amount),
        weighted = weighted + VALUES(weighted);
    END IF;
  END IF;

CREATE TRIGGER opportunities_totals_delete AFTER DELETE ON opportunities FOR EACH ROW
  IF OLD.deleted_at IS NULL THEN
    UPDATE opportunity_totals SET deals = deals - 1, amount = amount - OLD.amount,
      weighted = weighted - OLD.amount * OLD.probability
    WHERE stage_id = OLD.stage_id AND owner_id = OLD.owner_id
      AND close_month = OLD.close_date - INTERVAL (DAYOFMONTH(OLD.close_date) - 1) DAY;
  END IF;

-- One owner's board (the owner filter, or a seller who sees their own):
-- each column's first cards are a walk of that owner's deals in the
-- stage, in close-date order, whatever the size of the column.
ALTER TABLE opportunities ADD KEY opportunities_owner_board (owner_id, stage_id, deleted_at, close_date, id);
