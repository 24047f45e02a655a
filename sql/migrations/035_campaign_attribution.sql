-- A campaign's attributed opportunities and orders, worked out by the job
-- runner (crm-marketing jobs) and read by the campaign page. Working them
-- out walks every member's account and contact through orders and
-- opportunities: at 100,000 members about a second, too much for each
-- view of a page. The runner does it for a campaign never worked out, on
-- request (the page's refresh, an edit, filling members), and every 15
-- minutes while the attribution window may still take new deals, then
-- once more after it closes; the page says when it was worked out.
CREATE TABLE campaign_attribution (
  campaign_id BIGINT UNSIGNED NOT NULL,
  orders INT NOT NULL DEFAULT 0,
  revenue DECIMAL(19,2) NOT NULL DEFAULT 0,        -- orders' total_base
  opportunities INT NOT NULL DEFAULT 0,
  opportunity_amount DECIMAL(19,2) NOT NULL DEFAULT 0,
  -- In microseconds: a request in the same second as a computation that
  -- started before it must still be seen as newer.
  computed_at DATETIME(6) NULL,                     -- when the last one started; NULL: never yet
  requested_at DATETIME(6) NULL,
  PRIMARY KEY (campaign_id),
  CONSTRAINT campaign_attribution_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
