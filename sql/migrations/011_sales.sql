-- Sales: products and prices, leads, pipelines and opportunities, quotes,
-- orders, invoices and quotas. Money is DECIMAL(15,2) in the currency the
-- row names (the base currency when it names none), quantities
-- DECIMAL(12,3), percentages DECIMAL(5,2), exchange rates DECIMAL(18,8):
-- lib/crm_money.c does the arithmetic exactly on the same scales.

-- Units of a currency per unit of the base currency (settings
-- base_currency), set by an admin.
CREATE TABLE exchange_rates (
  currency CHAR(3) NOT NULL,
  rate DECIMAL(18,8) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (currency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  description TEXT NULL,
  category VARCHAR(100) NOT NULL DEFAULT '',
  unit VARCHAR(32) NOT NULL DEFAULT 'each',
  list_price DECIMAL(15,2) NOT NULL,     -- base currency
  tax_rate DECIMAL(5,2) NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY products_sku (sku),
  KEY products_name (name, id),
  KEY products_category (category, name, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A price book prices products for a kind of customer (retail,
-- wholesale); its currency is the base currency when NULL. A product
-- without a price in a book is sold from it at its list price, converted.
CREATE TABLE price_books (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  currency CHAR(3) NULL,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY price_books_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE prices (
  price_book_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  price DECIMAL(15,2) NOT NULL,          -- the book's currency
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (price_book_id, product_id),
  KEY prices_product (product_id),
  CONSTRAINT prices_book FOREIGN KEY (price_book_id) REFERENCES price_books (id) ON DELETE CASCADE,
  CONSTRAINT prices_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO price_books (name, is_default) VALUES ('Standard', TRUE);

-- Pipelines and their stages, configured by an admin. A stage's kind
-- says whether it is open or closes the deal as won or lost; every
-- pipeline has exactly one won and one lost stage.
CREATE TABLE pipelines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  position INT NOT NULL DEFAULT 0,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY pipelines_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pipeline_stages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  pipeline_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  position INT NOT NULL,
  probability DECIMAL(5,2) NOT NULL,     -- the default for deals entering it
  kind ENUM('open', 'won', 'lost') NOT NULL DEFAULT 'open',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY pipeline_stages_name (pipeline_id, name),
  KEY pipeline_stages_order (pipeline_id, position, id),
  CONSTRAINT pipeline_stages_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO pipelines (name, is_default) VALUES ('Sales', TRUE);
INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind)
SELECT p.id, s.name, s.position, s.probability, s.kind FROM pipelines p JOIN (
  SELECT 'Prospecting' AS name, 1 AS position, 10.00 AS probability, 'open' AS kind
  UNION ALL SELECT 'Qualification', 2, 20.00, 'open'
  UNION ALL SELECT 'Proposal', 3, 50.00, 'open'
  UNION ALL SELECT 'Negotiation', 4, 75.00, 'open'
  UNION ALL SELECT 'Won', 5, 100.00, 'won'
  UNION ALL SELECT 'Lost', 6, 0.00, 'lost') s
WHERE p.name = 'Sales';

-- Leads: interest not yet qualified. Converting one fills account_id,
-- contact_id and (optionally) opportunity_id and converted_at.
CREATE TABLE leads (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  first_name VARCHAR(100) NOT NULL DEFAULT '',
  last_name VARCHAR(100) NOT NULL DEFAULT '',
  full_name VARCHAR(200) NOT NULL,
  company VARCHAR(200) NOT NULL DEFAULT '',
  title VARCHAR(100) NOT NULL DEFAULT '',
  email VARCHAR(254) NOT NULL DEFAULT '',
  email_norm VARCHAR(254) NULL,
  phone VARCHAR(50) NOT NULL DEFAULT '',
  phone_e164 VARCHAR(20) NULL,
  city VARCHAR(100) NOT NULL DEFAULT '',
  country CHAR(2) NOT NULL DEFAULT '',
  source VARCHAR(50) NOT NULL DEFAULT '',
  status ENUM('new', 'contacted', 'qualified', 'disqualified') NOT NULL DEFAULT 'new',
  disqualified_reason VARCHAR(200) NOT NULL DEFAULT '',
  score SMALLINT NOT NULL DEFAULT 0,
  message TEXT NULL,
  notes TEXT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  form_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NULL,
  contact_id BIGINT UNSIGNED NULL,
  opportunity_id BIGINT UNSIGNED NULL,
  converted_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY leads_status (status, created_at, id),
  KEY leads_owner (owner_id, status, created_at, id),
  KEY leads_created (created_at, id),
  KEY leads_email (email_norm),
  CONSTRAINT leads_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT leads_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT leads_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Opportunities (deals) on an account. amount is in the base currency;
-- the products of a deal are its lines and, when it has any, amount is
-- their total. closed_at is set when the deal enters a won or lost stage.
CREATE TABLE opportunities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NULL,
  pipeline_id BIGINT UNSIGNED NOT NULL,
  stage_id BIGINT UNSIGNED NOT NULL,
  amount DECIMAL(15,2) NOT NULL DEFAULT 0,
  probability DECIMAL(5,2) NOT NULL,
  close_date DATE NOT NULL,              -- expected, then actual
  next_step VARCHAR(200) NOT NULL DEFAULT '',
  competitors VARCHAR(500) NOT NULL DEFAULT '',
  lost_reason VARCHAR(200) NOT NULL DEFAULT '',
  source VARCHAR(50) NOT NULL DEFAULT '',
  lead_id BIGINT UNSIGNED NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  closed_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY opportunities_board (pipeline_id, stage_id, close_date, id),
  KEY opportunities_owner (owner_id, close_date, id),
  KEY opportunities_close (close_date, id),
  KEY opportunities_account (account_id, close_date, id),
  CONSTRAINT opportunities_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT opportunities_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT opportunities_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id),
  CONSTRAINT opportunities_stage FOREIGN KEY (stage_id) REFERENCES pipeline_stages (id),
  CONSTRAINT opportunities_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT opportunities_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE leads ADD CONSTRAINT leads_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id);

CREATE TABLE opportunity_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  opportunity_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  quantity DECIMAL(12,3) NOT NULL,
  unit_price DECIMAL(15,2) NOT NULL,
  discount DECIMAL(5,2) NOT NULL DEFAULT 0,
  total DECIMAL(15,2) NOT NULL,          -- after discount, before tax
  PRIMARY KEY (id),
  KEY opportunity_lines_opportunity (opportunity_id, position),
  CONSTRAINT opportunity_lines_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id) ON DELETE CASCADE,
  CONSTRAINT opportunity_lines_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When each deal entered each stage (left_at NULL: it is there now). The
-- forecast learns each stage's conversion to won from it.
CREATE TABLE opportunity_stage_history (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  opportunity_id BIGINT UNSIGNED NOT NULL,
  stage_id BIGINT UNSIGNED NOT NULL,
  entered_at DATETIME NOT NULL,
  left_at DATETIME NULL,
  amount DECIMAL(15,2) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,      -- who moved it
  PRIMARY KEY (id),
  KEY stage_history_opportunity (opportunity_id, entered_at, id),
  KEY stage_history_stage (stage_id, entered_at),
  CONSTRAINT stage_history_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id) ON DELETE CASCADE,
  CONSTRAINT stage_history_stage FOREIGN KEY (stage_id) REFERENCES pipeline_stages (id),
  CONSTRAINT stage_history_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Activities may concern a lead or a deal too; converting a lead moves
-- its activities onto the new contact and keeps lead_id.
ALTER TABLE activities
  ADD COLUMN lead_id BIGINT UNSIGNED NULL AFTER contact_id,
  ADD COLUMN opportunity_id BIGINT UNSIGNED NULL AFTER lead_id,
  ADD KEY activities_lead (lead_id, at, id),
  ADD KEY activities_opportunity (opportunity_id, at, id),
  ADD CONSTRAINT activities_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  ADD CONSTRAINT activities_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id);

-- Quotes: number is shared by a quote's versions (Q-2026-00042), version
-- counts from 1. A sent quote is frozen; editing it makes version n+1 and
-- marks n superseded. Amounts are in the quote's currency, computed by
-- crm_line_amounts and stored, so the document never changes once sent.
CREATE TABLE quotes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  number VARCHAR(32) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  opportunity_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NULL,
  price_book_id BIGINT UNSIGNED NOT NULL,
  currency CHAR(3) NOT NULL,
  title VARCHAR(200) NOT NULL DEFAULT '',
  status ENUM('draft', 'pending_approval', 'approved', 'rejected', 'sent', 'accepted',
    'declined', 'superseded', 'expired') NOT NULL DEFAULT 'draft',
  valid_until DATE NOT NULL,
  terms TEXT NULL,
  subtotal DECIMAL(15,2) NOT NULL DEFAULT 0,   -- after line discounts
  discount_total DECIMAL(15,2) NOT NULL DEFAULT 0,
  tax_total DECIMAL(15,2) NOT NULL DEFAULT 0,
  total DECIMAL(15,2) NOT NULL DEFAULT 0,
  max_discount DECIMAL(5,2) NOT NULL DEFAULT 0, -- the largest line discount
  approved_by BIGINT UNSIGNED NULL,
  approved_at DATETIME NULL,
  approval_note VARCHAR(500) NOT NULL DEFAULT '',
  sent_at DATETIME NULL,
  public_token CHAR(43) NULL,            -- the verification link's secret
  accepted_at DATETIME NULL,
  accepted_name VARCHAR(200) NOT NULL DEFAULT '',
  accepted_ip VARCHAR(45) NOT NULL DEFAULT '',
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY quotes_number (number, version),
  UNIQUE KEY quotes_token (public_token),
  KEY quotes_status (status, created_at, id),
  KEY quotes_owner (owner_id, created_at, id),
  KEY quotes_account (account_id, created_at, id),
  KEY quotes_opportunity (opportunity_id, id),
  CONSTRAINT quotes_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id),
  CONSTRAINT quotes_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT quotes_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT quotes_price_book FOREIGN KEY (price_book_id) REFERENCES price_books (id),
  CONSTRAINT quotes_approved_by FOREIGN KEY (approved_by) REFERENCES users (id),
  CONSTRAINT quotes_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE quote_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  quote_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  quantity DECIMAL(12,3) NOT NULL,
  unit_price DECIMAL(15,2) NOT NULL,
  discount DECIMAL(5,2) NOT NULL DEFAULT 0,
  tax_rate DECIMAL(5,2) NOT NULL DEFAULT 0,
  net DECIMAL(15,2) NOT NULL,
  tax DECIMAL(15,2) NOT NULL,
  total DECIMAL(15,2) NOT NULL,
  PRIMARY KEY (id),
  KEY quote_lines_quote (quote_id, position),
  CONSTRAINT quote_lines_quote FOREIGN KEY (quote_id) REFERENCES quotes (id) ON DELETE CASCADE,
  CONSTRAINT quote_lines_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Orders: from an accepted quote (or entered directly). total_base is
-- the total in the base currency at the rate of the order's day: what
-- the forecast and the analytics add up.
CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  number VARCHAR(32) NOT NULL,
  quote_id BIGINT UNSIGNED NULL,
  opportunity_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NULL,
  currency CHAR(3) NOT NULL,
  status ENUM('confirmed', 'shipped', 'delivered', 'cancelled') NOT NULL DEFAULT 'confirmed',
  ordered_on DATE NOT NULL,
  shipped_on DATE NULL,
  delivered_on DATE NULL,
  cancelled_on DATE NULL,
  subtotal DECIMAL(15,2) NOT NULL,
  tax_total DECIMAL(15,2) NOT NULL,
  total DECIMAL(15,2) NOT NULL,
  total_base DECIMAL(15,2) NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY orders_number (number),
  UNIQUE KEY orders_quote (quote_id),
  KEY orders_date (ordered_on, id),
  KEY orders_account (account_id, ordered_on, id),
  KEY orders_owner (owner_id, ordered_on, id),
  KEY orders_status (status, ordered_on, id),
  CONSTRAINT orders_quote FOREIGN KEY (quote_id) REFERENCES quotes (id),
  CONSTRAINT orders_opportunity FOREIGN KEY (opportunity_id) REFERENCES opportunities (id),
  CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT orders_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT orders_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE order_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  quantity DECIMAL(12,3) NOT NULL,
  unit_price DECIMAL(15,2) NOT NULL,
  discount DECIMAL(5,2) NOT NULL DEFAULT 0,
  tax_rate DECIMAL(5,2) NOT NULL DEFAULT 0,
  net DECIMAL(15,2) NOT NULL,
  tax DECIMAL(15,2) NOT NULL,
  total DECIMAL(15,2) NOT NULL,
  PRIMARY KEY (id),
  KEY order_lines_order (order_id, position),
  KEY order_lines_product (product_id, order_id),
  CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT order_lines_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Invoices: numbered without gaps per year (INV-2026-000001) from
-- invoice_counters, locked in the transaction that issues one. Status
-- unpaid/partly paid/paid follows the payments; overdue is an unpaid or
-- partly paid invoice past due_on, computed when read.
CREATE TABLE invoice_counters (
  year SMALLINT NOT NULL,
  last_number INT NOT NULL,
  PRIMARY KEY (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE invoices (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  number VARCHAR(32) NOT NULL,
  year SMALLINT NOT NULL,
  sequence INT NOT NULL,
  order_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  currency CHAR(3) NOT NULL,
  issued_on DATE NOT NULL,
  due_on DATE NOT NULL,
  subtotal DECIMAL(15,2) NOT NULL,
  tax_total DECIMAL(15,2) NOT NULL,
  total DECIMAL(15,2) NOT NULL,
  paid DECIMAL(15,2) NOT NULL DEFAULT 0,
  status ENUM('unpaid', 'partly_paid', 'paid') NOT NULL DEFAULT 'unpaid',
  public_token CHAR(43) NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY invoices_number (number),
  UNIQUE KEY invoices_sequence (year, sequence),
  UNIQUE KEY invoices_token (public_token),
  KEY invoices_order (order_id),
  KEY invoices_account (account_id, issued_on, id),
  KEY invoices_due (status, due_on, id),
  CONSTRAINT invoices_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT invoices_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT invoices_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  invoice_id BIGINT UNSIGNED NOT NULL,
  amount DECIMAL(15,2) NOT NULL,         -- the invoice's currency
  paid_on DATE NOT NULL,
  method VARCHAR(50) NOT NULL DEFAULT '',
  reference VARCHAR(100) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY payments_invoice (invoice_id, paid_on, id),
  CONSTRAINT payments_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id),
  CONSTRAINT payments_created_by FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each user's quota per month, in the base currency.
CREATE TABLE quotas (
  user_id BIGINT UNSIGNED NOT NULL,
  month DATE NOT NULL,                   -- the first of the month
  amount DECIMAL(15,2) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (user_id, month),
  KEY quotas_month (month, user_id),
  CONSTRAINT quotas_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Settings the sales documents print and the approval rule.
INSERT INTO settings (name, value) VALUES
  ('company_address', ''),
  ('company_tax_id', ''),
  ('company_email', ''),
  ('company_phone', ''),
  ('public_url', 'http://127.0.0.1:8080'),
  ('quote_approval_discount', '15.00'),
  ('quote_valid_days', '30'),
  ('invoice_due_days', '30');

-- Managing the catalogue is its own permission, which managers have.
INSERT INTO role_permissions (role_id, permission)
SELECT id, 'sales.products' FROM roles WHERE name = 'manager';
