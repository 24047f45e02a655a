-- The sentiment trend by month and agent, written by the sentiment step
-- (lib/crm_analytics_sentiment.c) with its scores, in the same
-- transaction: the sentiment page and the support dashboard read these
-- few rows rather than group every scored text on each view.
CREATE TABLE sentiment_month_totals (
  month DATE NOT NULL,
  agent_id BIGINT UNSIGNED NOT NULL,     -- the ticket's owner; 0: none
  texts INT NOT NULL,
  negative INT NOT NULL,
  neutral INT NOT NULL,
  positive INT NOT NULL,
  sentiment_sum DOUBLE NOT NULL,         -- of p_positive - p_negative
  PRIMARY KEY (month, agent_id),
  KEY sentiment_month_totals_agent (agent_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO sentiment_month_totals (month, agent_id, texts, negative, neutral, positive, sentiment_sum)
SELECT month, IFNULL(agent_id, 0), COUNT(*), SUM(label = 'negative'), SUM(label = 'neutral'), SUM(label = 'positive'),
  SUM(p_positive - p_negative)
FROM sentiment_scores GROUP BY month, IFNULL(agent_id, 0);
