-- The reports area (issue 8): the analytics results that `crmctl
-- analytics` and the reports job runner store, the totals the dashboards
-- read instead of the raw records, and the report builder's saved reports.

-- Support staff see their own dashboard; building and saving reports, and
-- running the analytics or correcting the sentiment training text, are
-- permissions of their own.
INSERT INTO role_permissions (role_id, permission)
SELECT r.id, p.permission FROM roles r JOIN (
  SELECT 'support' AS role, 'reports.read' AS permission
  UNION ALL SELECT 'manager', 'reports.write' UNION ALL SELECT 'marketing', 'reports.write'
  UNION ALL SELECT 'sales', 'reports.write' UNION ALL SELECT 'manager', 'reports.analytics'
) p ON p.role = r.name;

-- One analytics run: queued by the admin page (requested_by) or started
-- by `crmctl analytics` (NULL), claimed by one worker, which moves
-- steps_done as each step commits; the page draws it as a progress bar.
-- A worker that dies leaves 'running' with an old heartbeat_at, which the
-- next runner turns into 'failed'.
CREATE TABLE analytics_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  status ENUM('queued', 'running', 'done', 'failed') NOT NULL DEFAULT 'queued',
  steps VARCHAR(200) NOT NULL,           -- the step names, comma-separated
  steps_total TINYINT UNSIGNED NOT NULL,
  steps_done TINYINT UNSIGNED NOT NULL DEFAULT 0,
  current_step VARCHAR(32) NOT NULL DEFAULT '',
  summary TEXT NULL,                     -- a line per finished step
  error VARCHAR(500) NOT NULL DEFAULT '',
  requested_by BIGINT UNSIGNED NULL,
  requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  heartbeat_at DATETIME NULL,
  finished_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY analytics_runs_status (status, id),
  CONSTRAINT analytics_runs_user FOREIGN KEY (requested_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What each trained model reports about itself: when, on how many rows,
-- and its figures (AUC and accuracy on the held-out split, coefficients,
-- the tree's rules, the k-means inertia curve, the forecast's fit) as
-- JSON, for the analytics page. Replaced whole by each training.
CREATE TABLE analytics_models (
  name VARCHAR(32) NOT NULL,             -- segments, churn, leads, forecast, sentiment, baskets
  trained_at DATETIME NOT NULL,
  rows_used INT NOT NULL,
  metrics LONGTEXT NOT NULL CHECK (JSON_VALID(metrics)),
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- customer_scores grows the other per-customer results. cost_to_serve is
-- the customer's tickets at the analytics_ticket_cost setting, clv the
-- revenue less it; segment the k-means cluster (customer_segments);
-- churn_probability the logistic model's; sentiment the mean over their
-- scored texts, -1 (all negative) to 1 (all positive). NULL: not scored.
ALTER TABLE customer_scores
  ADD COLUMN tickets INT NOT NULL DEFAULT 0 AFTER revenue,
  ADD COLUMN cost_to_serve DECIMAL(19,2) NOT NULL DEFAULT 0 AFTER tickets,
  ADD COLUMN clv DECIMAL(19,2) NOT NULL DEFAULT 0 AFTER cost_to_serve,
  ADD COLUMN segment TINYINT UNSIGNED NULL AFTER m,
  ADD COLUMN churn_probability DECIMAL(5,4) NULL AFTER segment,
  ADD COLUMN sentiment DECIMAL(5,4) NULL AFTER churn_probability,
  ADD KEY customer_scores_segment (segment, account_id),
  ADD KEY customer_scores_churn (churn_probability, account_id);

INSERT INTO settings (name, value) VALUES ('analytics_ticket_cost', '25.00');

-- The k-means segments: each centre in the features' own units (the
-- clustering ran on standardised log values) and its traits, the words
-- that describe it next to the average customer ("recent,frequent").
CREATE TABLE customer_segments (
  segment TINYINT UNSIGNED NOT NULL,     -- 1..k
  customers INT NOT NULL,
  recency_days DOUBLE NOT NULL,
  orders DOUBLE NOT NULL,
  revenue DOUBLE NOT NULL,
  tickets DOUBLE NOT NULL,
  traits VARCHAR(200) NOT NULL DEFAULT '',
  PRIMARY KEY (segment)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Lead scoring: the decision tree's probability that the lead converts
-- and the rule of its leaf, next to the logistic model's probability.
CREATE TABLE lead_scores (
  lead_id BIGINT UNSIGNED NOT NULL,
  tree_probability DECIMAL(5,4) NOT NULL,
  logit_probability DECIMAL(5,4) NOT NULL,
  rule_text VARCHAR(500) NOT NULL,
  computed_at DATETIME NOT NULL,
  PRIMARY KEY (lead_id),
  KEY lead_scores_probability (tree_probability, lead_id),
  CONSTRAINT lead_scores_lead FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The sales forecast: order revenue per month, past months with their
-- actual figure, the next months with the prediction and its 95%
-- interval.
CREATE TABLE sales_forecast (
  month DATE NOT NULL,                   -- the first of the month
  actual DECIMAL(19,2) NULL,
  predicted DECIMAL(19,2) NOT NULL,
  lower_bound DECIMAL(19,2) NOT NULL,
  upper_bound DECIMAL(19,2) NOT NULL,
  PRIMARY KEY (month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Sentiment: the labelled text naive Bayes learns from (seeded, then
-- labelled and corrected by an admin), and the label it gives each ticket
-- message from a customer and each satisfaction comment.
CREATE TABLE sentiment_labels (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  body TEXT NOT NULL,
  label ENUM('negative', 'neutral', 'positive') NOT NULL,
  source ENUM('seed', 'ticket_message', 'csat') NOT NULL DEFAULT 'seed',
  source_id BIGINT UNSIGNED NULL,
  labelled_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY sentiment_labels_source (source, source_id),
  CONSTRAINT sentiment_labels_user FOREIGN KEY (labelled_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sentiment_scores (
  source ENUM('ticket_message', 'csat') NOT NULL,
  source_id BIGINT UNSIGNED NOT NULL,    -- ticket_messages.id or csat_responses.ticket_id
  account_id BIGINT UNSIGNED NULL,
  agent_id BIGINT UNSIGNED NULL,         -- the ticket's owner
  month DATE NOT NULL,
  label ENUM('negative', 'neutral', 'positive') NOT NULL,
  p_negative DECIMAL(5,4) NOT NULL,
  p_positive DECIMAL(5,4) NOT NULL,
  PRIMARY KEY (source, source_id),
  KEY sentiment_scores_account (account_id, month),
  KEY sentiment_scores_agent (agent_id, month),
  KEY sentiment_scores_month (month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Recommendations: rules over order baskets (antecedent product ids,
-- ascending and comma-separated, => one product) and each product's most
-- similar products by the cosine of their buyer vectors.
CREATE TABLE association_rules (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  antecedent VARCHAR(200) NOT NULL,
  consequent_id BIGINT UNSIGNED NOT NULL,
  support DOUBLE NOT NULL,
  confidence DOUBLE NOT NULL,
  lift DOUBLE NOT NULL,
  PRIMARY KEY (id),
  KEY association_rules_lift (lift, id),
  KEY association_rules_antecedent (antecedent(64), lift)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE product_similar (
  product_id BIGINT UNSIGNED NOT NULL,
  rank_no TINYINT UNSIGNED NOT NULL,     -- 1 the most similar
  similar_id BIGINT UNSIGNED NOT NULL,
  cosine DOUBLE NOT NULL,
  PRIMARY KEY (product_id, rank_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Data quality: per entity and field, how many records lack a value, hold
-- one that does not validate, or share it with another record; a few of
-- each for the report's links.
CREATE TABLE data_quality (
  entity VARCHAR(32) NOT NULL,
  field VARCHAR(64) NOT NULL,
  records INT NOT NULL,
  missing INT NOT NULL,
  invalid INT NOT NULL,
  duplicate INT NOT NULL,
  computed_at DATETIME NOT NULL,
  PRIMARY KEY (entity, field)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE data_quality_examples (
  entity VARCHAR(32) NOT NULL,
  field VARCHAR(64) NOT NULL,
  problem ENUM('missing', 'invalid', 'duplicate') NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  value VARCHAR(254) NOT NULL DEFAULT '',
  PRIMARY KEY (entity, field, problem, record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The report builder: a question over one entity, stored as its parts
-- (never as SQL), saved by its owner and optionally shared with a role.
CREATE TABLE saved_reports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  owner_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  definition TEXT NOT NULL CHECK (JSON_VALID(definition)),
  shared_role_id BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY saved_reports_owner (owner_id, name, id),
  KEY saved_reports_role (shared_role_id, name, id),
  CONSTRAINT saved_reports_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT saved_reports_role FOREIGN KEY (shared_role_id) REFERENCES roles (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Dashboard totals kept by triggers, as opportunity_totals (018) and
-- ticket_open_counts (028) are: the dashboards read a year of these rows
-- rather than scan 10M orders or every ticket.
CREATE TABLE order_month_totals (
  month DATE NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  orders INT NOT NULL,
  revenue DECIMAL(19,2) NOT NULL,        -- total_base, cancelled orders left out
  PRIMARY KEY (month, owner_id),
  KEY order_month_totals_owner (owner_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO order_month_totals (month, owner_id, orders, revenue)
SELECT ordered_on - INTERVAL (DAYOFMONTH(ordered_on) - 1) DAY, owner_id, COUNT(*), SUM(total_base)
FROM orders WHERE status <> 'cancelled'
GROUP BY ordered_on - INTERVAL (DAYOFMONTH(ordered_on) - 1) DAY, owner_id;

CREATE TRIGGER orders_month_insert AFTER INSERT ON orders FOR EACH ROW
  IF NEW.status <> 'cancelled' THEN
    INSERT INTO order_month_totals (month, owner_id, orders, revenue)
    VALUES (NEW.ordered_on - INTERVAL (DAYOFMONTH(NEW.ordered_on) - 1) DAY, NEW.owner_id, 1, NEW.total_base)
    ON DUPLICATE KEY UPDATE orders = orders + 1, revenue = revenue + NEW.total_base;
  END IF;

CREATE TRIGGER orders_month_update AFTER UPDATE ON orders FOR EACH ROW
  IF NOT (OLD.status <=> NEW.status AND OLD.ordered_on <=> NEW.ordered_on AND OLD.owner_id <=> NEW.owner_id
      AND OLD.total_base <=> NEW.total_base) THEN
    IF OLD.status <> 'cancelled' THEN
      UPDATE order_month_totals SET orders = orders - 1, revenue = revenue - OLD.total_base
      WHERE month = OLD.ordered_on - INTERVAL (DAYOFMONTH(OLD.ordered_on) - 1) DAY AND owner_id = OLD.owner_id;
    END IF;
    IF NEW.status <> 'cancelled' THEN
      INSERT INTO order_month_totals (month, owner_id, orders, revenue)
      VALUES (NEW.ordered_on - INTERVAL (DAYOFMONTH(NEW.ordered_on) - 1) DAY, NEW.owner_id, 1, NEW.total_base)
      ON DUPLICATE KEY UPDATE orders = orders + 1, revenue = revenue + NEW.total_base;
    END IF;
  END IF;

CREATE TRIGGER orders_month_delete AFTER DELETE ON orders FOR EACH ROW
  IF OLD.status <> 'cancelled' THEN
    UPDATE order_month_totals SET orders = orders - 1, revenue = revenue - OLD.total_base
    WHERE month = OLD.ordered_on - INTERVAL (DAYOFMONTH(OLD.ordered_on) - 1) DAY AND owner_id = OLD.owner_id;
  END IF;

-- Tickets by the month they were opened and their team: how many, and
-- how many of them breached a target (first response or resolution).
CREATE TABLE ticket_month_totals (
  month DATE NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,      -- 0: no team
  tickets INT NOT NULL,
  breached INT NOT NULL,
  PRIMARY KEY (month, team_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO ticket_month_totals (month, team_id, tickets, breached)
SELECT DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY, IFNULL(team_id, 0), COUNT(*),
  SUM(first_response_breached OR resolution_breached)
FROM tickets WHERE deleted_at IS NULL
GROUP BY DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY, IFNULL(team_id, 0);

CREATE TRIGGER tickets_month_insert AFTER INSERT ON tickets FOR EACH ROW
  IF NEW.deleted_at IS NULL THEN
    INSERT INTO ticket_month_totals (month, team_id, tickets, breached)
    VALUES (DATE(NEW.created_at) - INTERVAL (DAYOFMONTH(NEW.created_at) - 1) DAY, IFNULL(NEW.team_id, 0), 1,
      NEW.first_response_breached OR NEW.resolution_breached)
    ON DUPLICATE KEY UPDATE tickets = tickets + 1,
      breached = breached + (NEW.first_response_breached OR NEW.resolution_breached);
  END IF;

CREATE TRIGGER tickets_month_update AFTER UPDATE ON tickets FOR EACH ROW
  IF NOT (OLD.team_id <=> NEW.team_id AND OLD.deleted_at <=> NEW.deleted_at AND OLD.created_at <=> NEW.created_at
      AND (OLD.first_response_breached OR OLD.resolution_breached)
        <=> (NEW.first_response_breached OR NEW.resolution_breached)) THEN
    IF OLD.deleted_at IS NULL THEN
      UPDATE ticket_month_totals SET tickets = tickets - 1,
        breached = breached - (OLD.first_response_breached OR OLD.resolution_breached)
      WHERE month = DATE(OLD.created_at) - INTERVAL (DAYOFMONTH(OLD.created_at) - 1) DAY
        AND team_id = IFNULL(OLD.team_id, 0);
    END IF;
    IF NEW.deleted_at IS NULL THEN
      INSERT INTO ticket_month_totals (month, team_id, tickets, breached)
      VALUES (DATE(NEW.created_at) - INTERVAL (DAYOFMONTH(NEW.created_at) - 1) DAY, IFNULL(NEW.team_id, 0), 1,
        NEW.first_response_breached OR NEW.resolution_breached)
      ON DUPLICATE KEY UPDATE tickets = tickets + 1,
        breached = breached + (NEW.first_response_breached OR NEW.resolution_breached);
    END IF;
  END IF;

CREATE TRIGGER tickets_month_delete AFTER DELETE ON tickets FOR EACH ROW
  IF OLD.deleted_at IS NULL THEN
    UPDATE ticket_month_totals SET tickets = tickets - 1,
      breached = breached - (OLD.first_response_breached OR OLD.resolution_breached)
    WHERE month = DATE(OLD.created_at) - INTERVAL (DAYOFMONTH(OLD.created_at) - 1) DAY
      AND team_id = IFNULL(OLD.team_id, 0);
  END IF;
