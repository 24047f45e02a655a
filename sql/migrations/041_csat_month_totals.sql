-- The support dashboard's satisfaction trend, kept by triggers like the
-- other dashboard totals (037): answers and the sum of their scores per
-- month, so the trend reads twelve rows instead of a year of answers (at
-- 17,000 answers the grouped read took 20 ms, growing with the answers).
CREATE TABLE csat_month_totals (
  month DATE NOT NULL,
  answers INT NOT NULL,
  score_sum INT NOT NULL,
  PRIMARY KEY (month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO csat_month_totals (month, answers, score_sum)
SELECT DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY, COUNT(*), SUM(score)
FROM csat_responses GROUP BY DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY;

CREATE TRIGGER csat_month_insert AFTER INSERT ON csat_responses FOR EACH ROW
  INSERT INTO csat_month_totals (month, answers, score_sum)
  VALUES (DATE(NEW.created_at) - INTERVAL (DAYOFMONTH(NEW.created_at) - 1) DAY, 1, NEW.score)
  ON DUPLICATE KEY UPDATE answers = answers + 1, score_sum = score_sum + NEW.score;

CREATE TRIGGER csat_month_update AFTER UPDATE ON csat_responses FOR EACH ROW
  IF NOT (OLD.score <=> NEW.score AND OLD.created_at <=> NEW.created_at) THEN
    UPDATE csat_month_totals SET answers = answers - 1, score_sum = score_sum - OLD.score
    WHERE month = DATE(OLD.created_at) - INTERVAL (DAYOFMONTH(OLD.created_at) - 1) DAY;
    INSERT INTO csat_month_totals (month, answers, score_sum)
    VALUES (DATE(NEW.created_at) - INTERVAL (DAYOFMONTH(NEW.created_at) - 1) DAY, 1, NEW.score)
    ON DUPLICATE KEY UPDATE answers = answers + 1, score_sum = score_sum + NEW.score;
  END IF;

CREATE TRIGGER csat_month_delete AFTER DELETE ON csat_responses FOR EACH ROW
  UPDATE csat_month_totals SET answers = answers - 1, score_sum = score_sum - OLD.score
  WHERE month = DATE(OLD.created_at) - INTERVAL (DAYOFMONTH(OLD.created_at) - 1) DAY;
