/* Every SQL statement crm-sales runs (STYLE rule 19), one section per
 * area. Record-level access is part of each statement: SCOPE(t) takes the
 * role's scope, the user's id and their team id (sales_bind_scope), and
 * matches only the records of table alias t they reach (o is the owner
 * joined from users). Lists page by keyset. */
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define BASE_CURRENCY "(SELECT value FROM settings WHERE name = 'base_currency')"
#define LIMIT " LIMIT 51"

/* A quote with what its pages print: account, contact, book, people, the
 * deal, the order it became, and whether it has expired. */
#define QUOTE_COLUMNS "q.id, q.number, q.version, q.opportunity_id, q.account_id, q.contact_id," \
	" q.price_book_id, q.currency, q.title, q.status, DATE_FORMAT(q.valid_until, '%Y-%m-%d') AS valid_until," \
	" q.terms, q.subtotal, q.discount_total, q.tax_total, q.total, q.max_discount, q.approved_by," \
	" " STAMP("q.approved_at") " AS approved_at, q.approval_note, " STAMP("q.sent_at") " AS sent_at," \
	" q.public_token, " STAMP("q.accepted_at") " AS accepted_at, q.accepted_name, q.accepted_ip," \
	" q.owner_id, " STAMP("q.created_at") " AS created_at, " STAMP("q.updated_at") " AS updated_at," \
	" q.valid_until < UTC_DATE() AS expired, o.name AS owner_name, a.name AS account_name," \
	" a.street AS account_street, a.city AS account_city, a.region AS account_region," \
	" a.postcode AS account_postcode, a.country AS account_country, c.full_name AS contact_name," \
	" c.email AS contact_email, b.name AS price_book_name, ap.name AS approved_by_name," \
	" op.name AS opportunity_name, r.id AS order_id, r.number AS order_number"
#define QUOTE_FROM " FROM quotes q JOIN users o ON o.id = q.owner_id JOIN accounts a ON a.id = q.account_id" \
	" JOIN price_books b ON b.id = q.price_book_id LEFT JOIN contacts c ON c.id = q.contact_id" \
	" LEFT JOIN users ap ON ap.id = q.approved_by LEFT JOIN opportunities op ON op.id = q.opportunity_id" \
	" LEFT JOIN orders r ON r.quote_id = q.id"

#define PRODUCT_COLUMNS "id, sku, name, description, category, unit, list_price, tax_rate, active," \
	" " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"

const char *const sales_stmts[STMT__MAX] = {
	/* common.c */
	[STMT_SETTING] = "SELECT value FROM settings WHERE name = ?",
	[STMT_USER_ACTIVE] = "SELECT id, name FROM users WHERE id = ? AND active",
	[STMT_LOOKUP_USERS] = "SELECT id, name AS label FROM users WHERE active AND name LIKE CONCAT(?, '%')"
	    " ORDER BY name, id LIMIT 10",

	/* Products: q is a name prefix or an exact SKU; status all, active or
	 * inactive; then the keyset (name, id). */
	[STMT_PRODUCTS] = "SELECT " PRODUCT_COLUMNS " FROM products"
	    " WHERE (? = '' OR name LIKE CONCAT(?, '%') OR sku = ?) AND (? = '' OR category = ?)"
	    " AND (? = 'all' OR active = (? = 'active'))"
	    " AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id" LIMIT,
	[STMT_PRODUCT_GET] = "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ?",
	[STMT_PRODUCT_BY_SKU] = "SELECT id FROM products WHERE sku = ? AND id <> ?",
	[STMT_PRODUCT_CREATE] = "INSERT INTO products (sku, name, description, category, unit, list_price,"
	    " tax_rate, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_PRODUCT_UPDATE] = "UPDATE products SET sku = ?, name = ?, description = ?, category = ?,"
	    " unit = ?, list_price = ?, tax_rate = ?, active = ? WHERE id = ?",
	[STMT_PRODUCT_CATEGORIES] = "SELECT DISTINCT category FROM products WHERE category <> ''"
	    " ORDER BY category LIMIT 200",
	[STMT_PRODUCT_PRICES] = "SELECT b.id, b.name, COALESCE(b.currency, " BASE_CURRENCY ") AS currency,"
	    " p.price FROM price_books b LEFT JOIN prices p ON p.price_book_id = b.id AND p.product_id = ?"
	    " WHERE b.active ORDER BY b.name",

	/* Price books and prices. */
	[STMT_PRICE_BOOKS] = "SELECT b.id, b.name, b.currency AS own_currency,"
	    " COALESCE(b.currency, " BASE_CURRENCY ") AS currency, b.is_default, b.active,"
	    " (SELECT COUNT(*) FROM prices p WHERE p.price_book_id = b.id) AS prices"
	    " FROM price_books b ORDER BY b.is_default DESC, b.name LIMIT 200",
	[STMT_PRICE_BOOK_GET] = "SELECT b.id, b.name, b.currency AS own_currency,"
	    " COALESCE(b.currency, " BASE_CURRENCY ") AS currency, b.is_default, b.active,"
	    " (SELECT rate FROM exchange_rates r WHERE r.currency = b.currency) AS rate"
	    " FROM price_books b WHERE b.id = ?",
	[STMT_PRICE_BOOK_CREATE] = "INSERT INTO price_books (name, currency, is_default, active)"
	    " VALUES (?, ?, ?, TRUE)",
	[STMT_PRICE_BOOK_UPDATE] = "UPDATE price_books SET name = ?, currency = ?, is_default = ?, active = ?"
	    " WHERE id = ?",
	[STMT_PRICE_BOOK_UNDEFAULT] = "UPDATE price_books SET is_default = FALSE WHERE id <> ? AND is_default",
	/* The book's page: active products with the book's price when it has
	 * one; keyset (name, id). */
	[STMT_PRICE_BOOK_PRODUCTS] = "SELECT pr.id, pr.sku, pr.name, pr.list_price, p.price"
	    " FROM products pr LEFT JOIN prices p ON p.product_id = pr.id AND p.price_book_id = ?"
	    " WHERE pr.active AND (? = '' OR pr.name LIKE CONCAT(?, '%') OR pr.sku = ?)"
	    " AND (pr.name > ? OR (pr.name = ? AND pr.id > ?)) ORDER BY pr.name, pr.id" LIMIT,
	[STMT_PRICE_PUT] = "INSERT INTO prices (price_book_id, product_id, price) VALUES (?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE price = VALUES(price)",
	[STMT_PRICE_DROP] = "DELETE FROM prices WHERE price_book_id = ? AND product_id = ?",
	/* What a line costs from a book: book id, product id. rate is NULL
	 * for a book in the base currency. */
	[STMT_PRICE_OF] = "SELECT pr.id, pr.sku, pr.name, pr.unit, pr.active, pr.list_price, pr.tax_rate,"
	    " p.price, COALESCE(b.currency, " BASE_CURRENCY ") AS currency, b.currency AS own_currency,"
	    " (SELECT rate FROM exchange_rates r WHERE r.currency = b.currency) AS rate"
	    " FROM price_books b JOIN products pr ON pr.id = ?"
	    " LEFT JOIN prices p ON p.price_book_id = b.id AND p.product_id = pr.id WHERE b.id = ?",

	/* Exchange rates. */
	[STMT_RATES] = "SELECT currency, rate, " STAMP("updated_at") " AS updated_at FROM exchange_rates"
	    " ORDER BY currency",
	[STMT_RATE_GET] = "SELECT currency, rate FROM exchange_rates WHERE currency = ?",
	[STMT_RATE_PUT] = "INSERT INTO exchange_rates (currency, rate) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE rate = VALUES(rate)",

	/* leads */

	/* pipelines, opportunities, board */

	/* quotes, orders, invoices */
	/* Quotes: status '' is every one but the superseded versions; owner
	 * and account 0 are any; then the scope and the keyset (created_at,
	 * id) newest first. */
	[STMT_QUOTES] = "SELECT q.id, q.number, q.version, q.title, q.status, q.currency, q.total,"
	    " DATE_FORMAT(q.valid_until, '%Y-%m-%d') AS valid_until, " STAMP("q.created_at") " AS created_at,"
	    " q.account_id, a.name AS account_name, o.name AS owner_name"
	    " FROM quotes q JOIN users o ON o.id = q.owner_id JOIN accounts a ON a.id = q.account_id"
	    " WHERE ((? = '' AND q.status <> 'superseded') OR q.status = ?) AND (? = 0 OR q.owner_id = ?)"
	    " AND (? = 0 OR q.account_id = ?) AND" SCOPE("q")
	    " AND (q.created_at < ? OR (q.created_at = ? AND q.id < ?))"
	    " ORDER BY q.created_at DESC, q.id DESC" LIMIT,
	[STMT_QUOTE_GET] = "SELECT " QUOTE_COLUMNS QUOTE_FROM " WHERE q.id = ? AND" SCOPE("q"),
	[STMT_QUOTE_BY_TOKEN] = "SELECT " QUOTE_COLUMNS QUOTE_FROM " WHERE q.public_token = ?",
	/* What a change checks, locked until the transaction ends. */
	[STMT_QUOTE_LOCK] = "SELECT id, number, version, status, owner_id, max_discount, currency, total,"
	    " opportunity_id, account_id, public_token, valid_until < UTC_DATE() AS expired"
	    " FROM quotes WHERE id = ? FOR UPDATE",
	[STMT_QUOTE_LINES] = "SELECT l.id, l.position, l.product_id, p.sku, p.name AS product_name, p.unit,"
	    " l.description, l.quantity, l.unit_price, l.discount, l.tax_rate, l.net, l.tax, l.total"
	    " FROM quote_lines l JOIN products p ON p.id = l.product_id WHERE l.quote_id = ?"
	    " ORDER BY l.position, l.id",
	[STMT_QUOTE_VERSIONS] = "SELECT id, version, status, total, currency, " STAMP("created_at") " AS created_at,"
	    " " STAMP("sent_at") " AS sent_at FROM quotes WHERE number = ? ORDER BY version",
	/* Numbers: kind, year. The bump locks the row until commit. */
	[STMT_QUOTE_COUNTER_BUMP] = "INSERT INTO sales_counters (kind, year, last_number) VALUES (?, ?, 1)"
	    " ON DUPLICATE KEY UPDATE last_number = last_number + 1",
	[STMT_QUOTE_COUNTER_GET] = "SELECT last_number FROM sales_counters WHERE kind = ? AND year = ?",
	[STMT_QUOTE_CREATE] = "INSERT INTO quotes (number, version, opportunity_id, account_id, contact_id,"
	    " price_book_id, currency, title, status, valid_until, terms, subtotal, discount_total, tax_total,"
	    " total, max_discount, owner_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)",
	/* Saving puts the quote back to draft: an approval was of the old lines. */
	[STMT_QUOTE_UPDATE] = "UPDATE quotes SET account_id = ?, contact_id = ?, price_book_id = ?, currency = ?,"
	    " title = ?, valid_until = ?, terms = ?, subtotal = ?, discount_total = ?, tax_total = ?, total = ?,"
	    " max_discount = ?, status = 'draft', approved_by = NULL, approved_at = NULL, approval_note = ''"
	    " WHERE id = ?",
	[STMT_QUOTE_LINES_DROP] = "DELETE FROM quote_lines WHERE quote_id = ?",
	[STMT_QUOTE_LINE_ADD] = "INSERT INTO quote_lines (quote_id, position, product_id, description, quantity,"
	    " unit_price, discount, tax_rate, net, tax, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* new quote id, old quote id */
	[STMT_QUOTE_LINES_COPY] = "INSERT INTO quote_lines (quote_id, position, product_id, description, quantity,"
	    " unit_price, discount, tax_rate, net, tax, total) SELECT ?, position, product_id, description,"
	    " quantity, unit_price, discount, tax_rate, net, tax, total FROM quote_lines WHERE quote_id = ?"
	    " ORDER BY position, id",
	[STMT_QUOTE_SET_STATUS] = "UPDATE quotes SET status = ? WHERE id = ?",
	/* status (approved or rejected), approver, note, id */
	[STMT_QUOTE_APPROVAL] = "UPDATE quotes SET status = ?, approved_by = ?, approved_at = NOW(),"
	    " approval_note = ? WHERE id = ?",
	[STMT_QUOTE_SEND] = "UPDATE quotes SET status = 'sent', sent_at = NOW(), public_token = ? WHERE id = ?",
	/* Version n+1 of quote id, a draft owned as before; a validity that
	 * has passed starts again from today (days). */
	[STMT_QUOTE_REVISE] = "INSERT INTO quotes (number, version, opportunity_id, account_id, contact_id,"
	    " price_book_id, currency, title, status, valid_until, terms, subtotal, discount_total, tax_total,"
	    " total, max_discount, owner_id) SELECT number, version + 1, opportunity_id, account_id, contact_id,"
	    " price_book_id, currency, title, 'draft',"
	    " IF(valid_until < UTC_DATE(), UTC_DATE() + INTERVAL ? DAY, valid_until), terms, subtotal,"
	    " discount_total, tax_total, total, max_discount, owner_id FROM quotes WHERE id = ?",
	[STMT_QUOTE_ACCEPT] = "UPDATE quotes SET status = 'accepted', accepted_at = NOW(), accepted_name = ?,"
	    " accepted_ip = ? WHERE id = ? AND status = 'sent'",
	[STMT_QUOTE_DECLINE] = "UPDATE quotes SET status = 'declined' WHERE id = ? AND status = 'sent'",
	[STMT_QUOTE_ACCOUNT] = "SELECT a.id, a.name FROM accounts a JOIN users o ON o.id = a.owner_id"
	    " WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_QUOTE_CONTACT] = "SELECT id, full_name, account_id FROM contacts WHERE id = ? AND deleted_at IS NULL",
	[STMT_QUOTE_BOOKS] = "SELECT id, name, COALESCE(currency, " BASE_CURRENCY ") AS currency, is_default"
	    " FROM price_books WHERE active ORDER BY is_default DESC, name LIMIT 200",
	/* The line's product picker: active products by name or SKU prefix. */
	[STMT_QUOTE_PRODUCT_LOOKUP] = "SELECT id, CONCAT(name, ' (', sku, ')') AS label FROM products"
	    " WHERE active AND (name LIKE CONCAT(?, '%') OR sku LIKE CONCAT(?, '%')) ORDER BY name, id LIMIT 10",
	/* A quote from a deal: its account, contact and lines. */
	[STMT_QUOTE_OPP_PREFILL] = "SELECT op.id, op.name, op.account_id, a.name AS account_name, op.contact_id,"
	    " c.full_name AS contact_name FROM opportunities op JOIN users o ON o.id = op.owner_id"
	    " JOIN accounts a ON a.id = op.account_id LEFT JOIN contacts c ON c.id = op.contact_id"
	    " WHERE op.id = ? AND op.deleted_at IS NULL AND" SCOPE("op"),
	[STMT_QUOTE_OPP_LINES] = "SELECT l.product_id, p.name AS product_name, p.active, l.quantity, l.discount"
	    " FROM opportunity_lines l JOIN products p ON p.id = l.product_id WHERE l.opportunity_id = ?"
	    " ORDER BY l.position, l.id LIMIT 50",
	/* Acceptance wins the deal (brief-stages): the deal, its stage's kind
	 * and its pipeline's won stage. */
	[STMT_QUOTE_OPP_LOCK] = "SELECT op.id, op.stage_id, op.amount, op.probability, s.kind,"
	    " w.id AS won_id, w.probability AS won_probability FROM opportunities op"
	    " JOIN pipeline_stages s ON s.id = op.stage_id"
	    " JOIN pipeline_stages w ON w.pipeline_id = op.pipeline_id AND w.kind = 'won'"
	    " WHERE op.id = ? AND op.deleted_at IS NULL ORDER BY w.position LIMIT 1 FOR UPDATE",
	[STMT_QUOTE_OPP_HISTORY_CLOSE] = "UPDATE opportunity_stage_history SET left_at = NOW()"
	    " WHERE opportunity_id = ? AND left_at IS NULL",
	[STMT_QUOTE_OPP_HISTORY_ADD] = "INSERT INTO opportunity_stage_history (opportunity_id, stage_id,"
	    " entered_at, left_at, amount, user_id) VALUES (?, ?, NOW(), NULL, ?, ?)",
	[STMT_QUOTE_OPP_WIN] = "UPDATE opportunities SET stage_id = ?, probability = ?, closed_at = NOW(),"
	    " close_date = UTC_DATE() WHERE id = ?",

	/* Orders: status '' any, account 0 any, the month as its first and a
	 * day of its last (LAST_DAY), the scope, then the keyset (ordered_on,
	 * id) newest first. */
	[STMT_ORDERS] = "SELECT r.id, r.number, r.status, r.currency, r.total, r.total_base,"
	    " DATE_FORMAT(r.ordered_on, '%Y-%m-%d') AS ordered_on, r.account_id, a.name AS account_name,"
	    " o.name AS owner_name FROM orders r JOIN users o ON o.id = r.owner_id"
	    " JOIN accounts a ON a.id = r.account_id"
	    " WHERE (? = '' OR r.status = ?) AND (? = 0 OR r.account_id = ?)"
	    " AND r.ordered_on BETWEEN ? AND LAST_DAY(?) AND" SCOPE("r")
	    " AND (r.ordered_on < ? OR (r.ordered_on = ? AND r.id < ?))"
	    " ORDER BY r.ordered_on DESC, r.id DESC" LIMIT,
	[STMT_ORDER_GET] = "SELECT r.id, r.number, r.quote_id, r.opportunity_id, r.account_id, r.contact_id,"
	    " r.currency, r.status, DATE_FORMAT(r.ordered_on, '%Y-%m-%d') AS ordered_on,"
	    " DATE_FORMAT(r.shipped_on, '%Y-%m-%d') AS shipped_on,"
	    " DATE_FORMAT(r.delivered_on, '%Y-%m-%d') AS delivered_on,"
	    " DATE_FORMAT(r.cancelled_on, '%Y-%m-%d') AS cancelled_on, r.subtotal, r.tax_total, r.total,"
	    " r.total_base, r.owner_id, o.name AS owner_name, a.name AS account_name,"
	    " c.full_name AS contact_name, q.number AS quote_number, q.version AS quote_version,"
	    " op.name AS opportunity_name, " STAMP("r.created_at") " AS created_at"
	    " FROM orders r JOIN users o ON o.id = r.owner_id JOIN accounts a ON a.id = r.account_id"
	    " LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN quotes q ON q.id = r.quote_id"
	    " LEFT JOIN opportunities op ON op.id = r.opportunity_id WHERE r.id = ? AND" SCOPE("r"),
	[STMT_ORDER_LINES] = "SELECT l.position, l.product_id, p.sku, p.name AS product_name, p.unit,"
	    " l.description, l.quantity, l.unit_price, l.discount, l.tax_rate, l.net, l.tax, l.total"
	    " FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ?"
	    " ORDER BY l.position, l.id",
	[STMT_ORDER_LOCK] = "SELECT id, status, DATE_FORMAT(ordered_on, '%Y-%m-%d') AS ordered_on,"
	    " DATE_FORMAT(shipped_on, '%Y-%m-%d') AS shipped_on FROM orders WHERE id = ? FOR UPDATE",
	/* number, total_base, quote id: the accepted quote as an order. */
	[STMT_ORDER_CREATE] = "INSERT INTO orders (number, quote_id, opportunity_id, account_id, contact_id,"
	    " currency, status, ordered_on, subtotal, tax_total, total, total_base, owner_id)"
	    " SELECT ?, id, opportunity_id, account_id, contact_id, currency, 'confirmed', UTC_DATE(),"
	    " subtotal, tax_total, total, ?, owner_id FROM quotes WHERE id = ?",
	/* order id, quote id */
	[STMT_ORDER_LINES_COPY] = "INSERT INTO order_lines (order_id, position, product_id, description,"
	    " quantity, unit_price, discount, tax_rate, net, tax, total) SELECT ?, position, product_id,"
	    " description, quantity, unit_price, discount, tax_rate, net, tax, total FROM quote_lines"
	    " WHERE quote_id = ? ORDER BY position, id",
	/* The allowed moves only (date, id): anything else changes no row. */
	[STMT_ORDER_SHIP] = "UPDATE orders SET status = 'shipped', shipped_on = ? WHERE id = ? AND status = 'confirmed'",
	[STMT_ORDER_DELIVER] = "UPDATE orders SET status = 'delivered', delivered_on = ? WHERE id = ?"
	    " AND status = 'shipped'",
	[STMT_ORDER_CANCEL] = "UPDATE orders SET status = 'cancelled', cancelled_on = ? WHERE id = ?"
	    " AND status = 'confirmed'",

	/* forecast */
};

_Static_assert(CRM_NELEM(sales_stmts) == STMT__MAX, "sales_stmts");
