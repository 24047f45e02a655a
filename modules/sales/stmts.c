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

	/* forecast */
	/* Quotas reach the users a role's scope reaches: all, one's team, or
	 * oneself (SCOPE with the user as their own owner). */
#define SCOPE_USER(u) \
	" (? = 'all' OR " u ".id = ? OR (? = 'team' AND ? <> 0 AND " u ".team_id = ?))"
	/* The people who carry a quota: active users whose role sells. */
	[STMT_QUOTA_USERS] = "SELECT u.id, u.name FROM users u"
	    " WHERE u.active AND EXISTS (SELECT 1 FROM role_permissions p WHERE p.role_id = u.role_id"
	    " AND p.permission IN ('*', 'sales.write')) AND" SCOPE_USER("u")
	    " ORDER BY u.name, u.id LIMIT 500",
	[STMT_QUOTAS_YEAR] = "SELECT q.user_id, CAST(MONTH(q.month) AS SIGNED) AS m, q.amount FROM quotas q"
	    " JOIN users u ON u.id = q.user_id WHERE q.month >= ? AND q.month < ? AND" SCOPE_USER("u"),
	[STMT_QUOTA_PUT] = "INSERT INTO quotas (user_id, month, amount) VALUES (?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE amount = VALUES(amount)",
	[STMT_QUOTA_DROP] = "DELETE FROM quotas WHERE user_id = ? AND month = ?",
	/* The forecast's deals: open and won ones closing in the window (from,
	 * to), and won ones in the accuracy window (from, to), summed per
	 * owner, month, stage and probability. */
	[STMT_FORECAST_DEALS] = "SELECT t.owner_id, o.name AS owner, DATE_FORMAT(t.close_date, '%Y-%m') AS month,"
	    " t.stage_id, s.kind, t.probability, SUM(t.amount) AS amount, COUNT(*) AS deals"
	    " FROM opportunities t JOIN users o ON o.id = t.owner_id JOIN pipeline_stages s ON s.id = t.stage_id"
	    " WHERE t.deleted_at IS NULL AND s.kind IN ('open', 'won')"
	    " AND ((t.close_date >= ? AND t.close_date < ?)"
	    " OR (s.kind = 'won' AND t.close_date >= ? AND t.close_date < ?)) AND" SCOPE("t")
	    " GROUP BY t.owner_id, o.name, month, t.stage_id, s.kind, t.probability",
	[STMT_FORECAST_QUOTAS] = "SELECT q.user_id AS owner_id, o.name AS owner,"
	    " DATE_FORMAT(q.month, '%Y-%m') AS month, q.amount FROM quotas q JOIN users o ON o.id = q.user_id"
	    " WHERE q.month >= ? AND q.month < ? AND" SCOPE_USER("o"),
	/* Each open stage with how many deals that passed through it are
	 * closed now, and how many of those were won: the whole company's
	 * history, as the rates are the company's. */
	[STMT_FORECAST_STAGES] = "SELECT s.id, p.name AS pipeline, s.name, s.probability,"
	    " CAST(COALESCE(h.closed, 0) AS SIGNED) AS closed, CAST(COALESCE(h.won, 0) AS SIGNED) AS won"
	    " FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id LEFT JOIN ("
	    "SELECT x.stage_id, COUNT(*) AS closed, SUM(x.won) AS won FROM ("
	    "SELECT DISTINCT h.opportunity_id, h.stage_id, f.kind = 'won' AS won"
	    " FROM opportunity_stage_history h JOIN opportunities t ON t.id = h.opportunity_id"
	    " JOIN pipeline_stages f ON f.id = t.stage_id WHERE f.kind <> 'open' AND t.deleted_at IS NULL) x"
	    " GROUP BY x.stage_id) h ON h.stage_id = s.id"
	    " WHERE s.kind = 'open' ORDER BY p.position, p.id, s.position, s.id",
	/* What the forecast said at the start of each past month (first,
	 * last): the deals closing in that month by the stage each was in at
	 * that instant, with its amount then; probability is the stage's, as
	 * entering a stage sets it. */
	[STMT_FORECAST_PAST] = "WITH RECURSIVE m (start) AS (SELECT CAST(? AS DATE)"
	    " UNION ALL SELECT start + INTERVAL 1 MONTH FROM m WHERE start < CAST(? AS DATE))"
	    " SELECT DATE_FORMAT(m.start, '%Y-%m') AS month, s.probability, SUM(h.amount) AS amount,"
	    " COUNT(*) AS deals FROM m"
	    " JOIN opportunities t ON t.close_date >= m.start AND t.close_date < m.start + INTERVAL 1 MONTH"
	    " AND t.deleted_at IS NULL JOIN users o ON o.id = t.owner_id"
	    " JOIN opportunity_stage_history h ON h.opportunity_id = t.id AND h.entered_at <= m.start"
	    " AND (h.left_at IS NULL OR h.left_at > m.start)"
	    " JOIN pipeline_stages s ON s.id = h.stage_id AND s.kind = 'open'"
	    " WHERE" SCOPE("t") " GROUP BY m.start, s.probability",
	/* Orders per month (from, to), less the cancelled ones. */
	[STMT_FORECAST_ORDERS] = "SELECT DATE_FORMAT(t.ordered_on, '%Y-%m') AS month, SUM(t.total_base) AS total,"
	    " COUNT(*) AS orders FROM orders t JOIN users o ON o.id = t.owner_id"
	    " WHERE t.status <> 'cancelled' AND t.ordered_on >= ? AND t.ordered_on < ? AND" SCOPE("t")
	    " GROUP BY month ORDER BY month",
};

_Static_assert(CRM_NELEM(sales_stmts) == STMT__MAX, "sales_stmts");
