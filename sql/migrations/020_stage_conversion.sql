-- Each stage's conversion to won, kept as it changes: of the deals that
-- passed through the stage and are closed now (and not deleted), how
-- many, and how many were won. The forecast's historical weighting reads
-- these few rows instead of the whole stage history (300,000 rows at
-- 100,000 deals). Triggers keep it, as opportunity_totals (018):
--
-- - a deal that closes, reopens, turns from won to lost or is deleted
--   moves its weight, for every stage in its history at once;
-- - a history row for a stage the deal had not been in counts when the
--   deal is closed already (a writer that moves the deal before writing
--   its history, or a reopening deal's new stage, counted now and taken
--   back by the reopening itself).
--
-- A deal is deleted before its history (ON DELETE CASCADE does not fire
-- triggers), so the delete trigger runs BEFORE DELETE.
CREATE TABLE stage_conversion (
  stage_id BIGINT UNSIGNED NOT NULL,
  closed INT NOT NULL,
  won INT NOT NULL,
  PRIMARY KEY (stage_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO stage_conversion (stage_id, closed, won)
SELECT x.stage_id, COUNT(*), SUM(x.won) FROM (
  SELECT DISTINCT h.opportunity_id, h.stage_id, f.kind = 'won' AS won
  FROM opportunity_stage_history h JOIN opportunities t ON t.id = h.opportunity_id
  JOIN pipeline_stages f ON f.id = t.stage_id WHERE f.kind <> 'open' AND t.deleted_at IS NULL) x
GROUP BY x.stage_id;

CREATE TRIGGER opportunities_conversion_update AFTER UPDATE ON opportunities FOR EACH ROW
BEGIN
  DECLARE old_kind, new_kind VARCHAR(8);
  DECLARE old_closed, old_won, new_closed, new_won INT;
  IF NOT (OLD.stage_id <=> NEW.stage_id AND OLD.deleted_at <=> NEW.deleted_at) THEN
    SELECT kind INTO old_kind FROM pipeline_stages WHERE id = OLD.stage_id;
    SELECT kind INTO new_kind FROM pipeline_stages WHERE id = NEW.stage_id;
    SET old_closed = old_kind <> 'open' AND OLD.deleted_at IS NULL;
    SET old_won = old_kind = 'won' AND OLD.deleted_at IS NULL;
    SET new_closed = new_kind <> 'open' AND NEW.deleted_at IS NULL;
    SET new_won = new_kind = 'won' AND NEW.deleted_at IS NULL;
    IF old_closed <> new_closed OR old_won <> new_won THEN
      INSERT INTO stage_conversion (stage_id, closed, won)
      SELECT DISTINCT h.stage_id, new_closed - old_closed, new_won - old_won
      FROM opportunity_stage_history h WHERE h.opportunity_id = NEW.id
      ON DUPLICATE KEY UPDATE closed = closed + VALUES(closed), won = won + VALUES(won);
    END IF;
  END IF;
END;

CREATE TRIGGER opportunities_conversion_delete BEFORE DELETE ON opportunities FOR EACH ROW
BEGIN
  DECLARE k VARCHAR(8);
  SELECT kind INTO k FROM pipeline_stages WHERE id = OLD.stage_id;
  IF k <> 'open' AND OLD.deleted_at IS NULL THEN
    UPDATE stage_conversion c JOIN (SELECT DISTINCT stage_id FROM opportunity_stage_history
      WHERE opportunity_id = OLD.id) h ON h.stage_id = c.stage_id
    SET c.closed = c.closed - 1, c.won = c.won - (k = 'won');
  END IF;
END;

CREATE TRIGGER stage_history_conversion_insert AFTER INSERT ON opportunity_stage_history FOR EACH ROW
BEGIN
  DECLARE k VARCHAR(8);
  DECLARE gone DATETIME;
  SELECT s.kind, t.deleted_at INTO k, gone FROM opportunities t JOIN pipeline_stages s ON s.id = t.stage_id
    WHERE t.id = NEW.opportunity_id;
  IF k <> 'open' AND gone IS NULL AND NOT EXISTS (SELECT 1 FROM opportunity_stage_history
      WHERE opportunity_id = NEW.opportunity_id AND stage_id = NEW.stage_id AND id <> NEW.id) THEN
    INSERT INTO stage_conversion (stage_id, closed, won) VALUES (NEW.stage_id, 1, k = 'won')
    ON DUPLICATE KEY UPDATE closed = closed + 1, won = won + VALUES(won);
  END IF;
END;
