/* Every SQL statement crm-sales runs (STYLE rule 19), one section per
 * area. Record-level access is part of each statement: SCOPE(t) takes the
 * role's scope, the user's id and their team id (sales_bind_scope), and
 * matches only the records of table alias t they reach (o is the owner
 * joined from users). Lists page by keyset. */
#include "crm_search.h"
#include "crm_analytics.h"
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define MONTH_START(col) "(" col " - INTERVAL (DAYOFMONTH(" col ") - 1) DAY)"
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
/* Deals: the opportunity (op) with its owner (o), account, contact,
 * pipeline and stage. */
#define OPP_COLUMNS "op.id, op.name, op.account_id, a.name AS account, op.contact_id," \
	" c.full_name AS contact, op.pipeline_id, p.name AS pipeline, op.stage_id, s.name AS stage," \
	" s.kind AS stage_kind, op.amount, op.probability, DATE_FORMAT(op.close_date, '%Y-%m-%d') AS close_date," \
	" op.next_step, op.competitors, op.lost_reason, op.won_reason, op.source, op.owner_id, o.name AS owner," \
	" " STAMP("op.closed_at") " AS closed_at, " STAMP("op.created_at") " AS created_at," \
	" " STAMP("op.updated_at") " AS updated_at"
/* The deal drives every join: a list walks an index of opportunities in
 * its order, and each join is a primary-key probe (the optimiser would
 * rather start from 2000 accounts, or read the four pipelines into a join
 * buffer, and either way sort 100k deals). */
#define OPP_FROM " FROM opportunities op STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = op.owner_id" \
	" STRAIGHT_JOIN accounts a FORCE INDEX (PRIMARY) ON a.id = op.account_id" \
	" LEFT JOIN contacts c FORCE INDEX (PRIMARY) ON c.id = op.contact_id" \
	" STRAIGHT_JOIN pipelines p FORCE INDEX (PRIMARY) ON p.id = op.pipeline_id" \
	" STRAIGHT_JOIN pipeline_stages s FORCE INDEX (PRIMARY) ON s.id = op.stage_id"
/* SCOPE without the owner's row: the board's totals read only the index,
 * so a team's deals are those whose owner is in the team (same 5 binds). */
#define BOARD_SCOPE \
	" (? = 'all' OR op.owner_id = ? OR (? = 'team' AND ? <> 0 AND op.owner_id IN" \
	" (SELECT t.id FROM users t WHERE t.team_id = ?)))"
#define Q12 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
/* One half of the board's totals: the stages (n binds; 0 fills the
 * unused), close [from, to), owner (2), scope (5). */
/* The kept totals (018_board_totals.sql) by stage, close month and
 * owner: the range [from, to) is whole months, or open-ended. */
#define TOTALS_PART(stages, hint, owner) "SELECT op.stage_id, CAST(SUM(op.deals) AS SIGNED) AS count," \
	" SUM(op.amount) AS amount, ROUND(SUM(op.weighted) / 100, 2) AS weighted FROM opportunity_totals op" hint \
	" WHERE op.stage_id IN (" stages ") AND op.close_month >= ? AND op.close_month < ? AND " owner \
	" AND" BOARD_SCOPE " GROUP BY op.stage_id HAVING count > 0"
/* The same half as rows of the board's one statement: the card columns
 * NULL (id NULL marks a total), then count and weighted. */
#define TOTALS_ROWS(stages, owner, nulls) "(SELECT NULL AS id, NULL AS name, op.stage_id, SUM(op.amount) AS amount," \
	nulls " CAST(SUM(op.deals) AS SIGNED) AS count, ROUND(SUM(op.weighted) / 100, 2) AS weighted" \
	" FROM opportunity_totals op WHERE op.stage_id IN (" stages ") AND op.close_month >= ?" \
	" AND op.close_month < ? AND " owner " AND" BOARD_SCOPE " GROUP BY op.stage_id HAVING count > 0)"
#define BOARD_TOTALS(owner, nulls) TOTALS_ROWS(Q12, owner, nulls) " UNION ALL " TOTALS_ROWS("?, ?", owner, nulls)
/* A card's columns: every one for the API, what the page shows for the
 * page (a third fewer cells to read and build); a total's NULLs match. */
#define CARD_COLS " op.probability, DATE_FORMAT(op.close_date, '%Y-%m-%d') AS close_date, op.account_id," \
	" a.name AS account, op.owner_id, o.name AS owner,"
#define CARD_NULLS " NULL AS probability, NULL AS close_date, NULL AS account_id, NULL AS account," \
	" NULL AS owner_id, NULL AS owner,"
#define CARD_PAGE_COLS " DATE_FORMAT(op.close_date, '%Y-%m-%d') AS close_date, a.name AS account, o.name AS owner,"
#define CARD_PAGE_NULLS " NULL AS close_date, NULL AS account, NULL AS owner,"
/* One column's cards: pipeline, stage, close [from, to), owner (2),
 * scope (5): 11 binds. */
#define CARDS_PART(hint, owner, cols) "(SELECT op.id, op.name, op.stage_id, op.amount," cols \
	" NULL AS count, NULL AS weighted FROM opportunities op" hint \
	" STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = op.owner_id" \
	" STRAIGHT_JOIN accounts a FORCE INDEX (PRIMARY) ON a.id = op.account_id" \
	" WHERE op.pipeline_id = ? AND op.stage_id = ? AND op.deleted_at IS NULL" \
	" AND op.close_date >= ? AND op.close_date < ? AND " owner " AND" SCOPE("op") \
	" ORDER BY op.close_date, op.id LIMIT 21)"
#define CARDS6(hint, owner, cols) CARDS_PART(hint, owner, cols) " UNION ALL " CARDS_PART(hint, owner, cols) \
	" UNION ALL " CARDS_PART(hint, owner, cols) " UNION ALL " CARDS_PART(hint, owner, cols) \
	" UNION ALL " CARDS_PART(hint, owner, cols) " UNION ALL " CARDS_PART(hint, owner, cols)
#define CARDS(hint, owner, cols) CARDS6(hint, owner, cols) " UNION ALL " CARDS6(hint, owner, cols)
/* Everyone's deals: the board's own index. One owner's (the owner
 * filter, or a user whose scope is their own): the owner's deals by stage
 * and close date (018_board_totals.sql), so a column stops at its 21st
 * card however many deals the owner has. */
#define CARDS_HINT " FORCE INDEX (opportunities_board)"
#define OWNER_CARDS_HINT " FORCE INDEX (opportunities_owner_board)"
#define ANY_OWNER "(? = 0 OR op.owner_id = ?)"
#define ONE_OWNER "(? <> 0 AND op.owner_id = ?)"

#define PRODUCT_COLUMNS "id, sku, name, description, category, unit, list_price, tax_rate, active," \
	" " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"

#define LEAD_COLUMNS "l.id, l.first_name, l.last_name, l.full_name, l.company, l.title, l.email," \
	" l.email_norm, l.phone, l.phone_e164, l.city, l.country, l.source, l.status, l.disqualified_reason," \
	" l.score, l.message, l.notes, l.owner_id, o.name AS owner, l.form_id, l.account_id, l.contact_id," \
	" l.opportunity_id, " STAMP("l.converted_at") " AS converted_at, " STAMP("l.created_at") " AS created_at," \
	" " STAMP("l.updated_at") " AS updated_at"
#define LEAD_SET_COLUMNS "first_name, last_name, full_name, company, title, email, email_norm, phone," \
	" phone_e164, city, country, source, status, disqualified_reason, score, message, notes"
#define LEAD_PREFIX(col) " " col " LIKE CONCAT(REPLACE(REPLACE(REPLACE(?, '\\\\', '\\\\\\\\'), '%', '\\\\%')," \
	" '_', '\\\\_'), '%')"
/* A list walks the index of its order and stops at the 51st row; each
 * join is a primary-key probe (prepared with "? = ''" filters, the
 * optimiser would otherwise start from the users and sort every lead). */
#define LEAD_LIST(index, keyset, order) "SELECT l.id, l.full_name, l.company, l.email, l.city, l.country," \
	" l.source, l.status, l.score, l.owner_id, o.name AS owner, " STAMP("l.created_at") " AS created_at," \
	" " STAMP("l.converted_at") " AS converted_at FROM leads l FORCE INDEX (" index ")" \
	" STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = l.owner_id" \
	" WHERE l.deleted_at IS NULL AND (? = '' OR l.status = ?) AND (? = 0 OR l.owner_id = ?)" \
	" AND (? = '' OR l.source = ?) AND (? = '' OR" LEAD_PREFIX("l.full_name") " OR" LEAD_PREFIX("l.company") \
	" OR" LEAD_PREFIX("l.email_norm") ") AND" SCOPE("l") keyset order LIMIT
#define LEAD_FORM_COLUMNS "f.id, f.name, f.token, f.fields, f.required, f.source, f.owner_id, f.use_rules," \
	" f.thanks, f.redirect_url, f.active"
#define LEAD_RULE_COLUMNS "r.id, r.position, r.name, r.country, r.city, r.user_id, u.name AS user_name," \
	" r.team_id, t.name AS team_name, r.active"

const char *const sales_stmts[STMT__MAX] = {
	/* common.c */
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
	/* The list: filters (status, owner, source, a prefix of the name,
	 * company or e-mail, LIKE's wildcards escaped), the scope, then the
	 * keyset of the order chosen, newest or best score first. */
	[STMT_LEADS_NEWEST] = LEAD_LIST("leads_created", " AND (? = '' OR l.created_at < ? OR (l.created_at = ? AND l.id < ?))",
	    " ORDER BY l.created_at DESC, l.id DESC"),
	[STMT_LEADS_SCORE] = LEAD_LIST("leads_score", " AND (? = '' OR l.score < ? OR (l.score = ? AND l.id < ?))",
	    " ORDER BY l.score DESC, l.id DESC"),
	/* One lead with what it became. */
	[STMT_LEAD_GET] = "SELECT " LEAD_COLUMNS ", f.name AS form, a.name AS account, ct.full_name AS contact,"
	    " op.name AS opportunity FROM leads l JOIN users o ON o.id = l.owner_id"
	    " LEFT JOIN lead_forms f ON f.id = l.form_id LEFT JOIN accounts a ON a.id = l.account_id"
	    " LEFT JOIN contacts ct ON ct.id = l.contact_id LEFT JOIN opportunities op ON op.id = l.opportunity_id"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l"),
	[STMT_LEAD_CREATE] = "INSERT INTO leads (" LEAD_SET_COLUMNS ", owner_id, form_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* The scope again, so a lead out of reach is never changed. */
	[STMT_LEAD_UPDATE] = "UPDATE leads l JOIN users o ON o.id = l.owner_id SET l.first_name = ?,"
	    " l.last_name = ?, l.full_name = ?, l.company = ?, l.title = ?, l.email = ?, l.email_norm = ?,"
	    " l.phone = ?, l.phone_e164 = ?, l.city = ?, l.country = ?, l.source = ?, l.status = ?,"
	    " l.disqualified_reason = ?, l.score = ?, l.message = ?, l.notes = ?"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l"),
	[STMT_LEAD_REASSIGN] = "UPDATE leads l JOIN users o ON o.id = l.owner_id SET l.owner_id = ?"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l"),
	[STMT_LEAD_ACTIVITIES] = "SELECT a.id, a.kind, a.subject, a.body, " STAMP("a.at") " AS at,"
	    " u.name AS created_by FROM activities a JOIN users u ON u.id = a.created_by"
	    " WHERE a.lead_id = ? AND a.deleted_at IS NULL ORDER BY a.at DESC, a.id DESC LIMIT 50",
	/* A note or call logged on a lead happened now: it is done. */
	[STMT_LEAD_ACTIVITY_ADD] = "INSERT INTO activities (kind, subject, body, assignee_id, created_by, lead_id,"
	    " at, done_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
	[STMT_LEAD_USERS] = "SELECT id, name FROM users WHERE active ORDER BY name, id LIMIT 500",

	/* Conversion: the lead locked, duplicates within the user's reach
	 * (accounts_name and contacts_email; the collation makes = ignore
	 * case), then the new records. */
	[STMT_LEAD_LOCK] = "SELECT " LEAD_COLUMNS " FROM leads l JOIN users o ON o.id = l.owner_id"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l") " FOR UPDATE",
	[STMT_LEAD_DUP_ACCOUNTS] = "SELECT a.id, a.name, a.city, o.name AS owner FROM accounts a"
	    " JOIN users o ON o.id = a.owner_id WHERE a.name = ? AND a.deleted_at IS NULL AND" SCOPE("a")
	    " ORDER BY a.id LIMIT 5",
	[STMT_LEAD_DUP_CONTACTS] = "SELECT c.id, c.full_name, c.email, a.name AS account FROM contacts c"
	    " JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
	    " WHERE c.email_norm = ? AND c.email_norm <> '' AND c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY c.id LIMIT 5",
	[STMT_LEAD_ACCOUNT_REACHABLE] = "SELECT a.id, a.name FROM accounts a JOIN users o ON o.id = a.owner_id"
	    " WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_LEAD_CONTACT_REACHABLE] = "SELECT c.id, c.full_name, c.account_id FROM contacts c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_LEAD_ACCOUNT_CREATE] = "INSERT INTO accounts (name, phone, city, country, owner_id)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_LEAD_CONTACT_CREATE] = "INSERT INTO contacts (account_id, first_name, last_name, full_name,"
	    " title, email, email_norm, phone, phone_e164, city, country, source, owner_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* The customers module's live counts (004_contacts.sql). */
	[STMT_LEAD_COUNT_ADD] = "UPDATE record_counts SET live = live + 1 WHERE entity = ?",
	/* /work/brief-stages.md: the default pipeline's first open stage. */
	[STMT_LEAD_FIRST_STAGE] = "SELECT s.id, s.pipeline_id, s.probability FROM pipelines p"
	    " JOIN pipeline_stages s ON s.pipeline_id = p.id WHERE p.is_default AND s.kind = 'open'"
	    " AND s.active ORDER BY s.position, s.id LIMIT 1",
	[STMT_LEAD_OPP_CREATE] = "INSERT INTO opportunities (name, account_id, contact_id, pipeline_id,"
	    " stage_id, amount, probability, close_date, source, lead_id, owner_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_LEAD_OPP_HISTORY] = "INSERT INTO opportunity_stage_history (opportunity_id, stage_id,"
	    " entered_at, left_at, amount, user_id) VALUES (?, ?, NOW(), NULL, ?, ?)",
	[STMT_LEAD_CONVERTED] = "UPDATE leads SET account_id = ?, contact_id = ?, opportunity_id = ?,"
	    " converted_at = NOW(), status = 'qualified' WHERE id = ? AND converted_at IS NULL",
	[STMT_LEAD_ACTIVITIES_MOVE] = "UPDATE activities SET contact_id = ?, account_id = COALESCE(account_id, ?)"
	    " WHERE lead_id = ?",
	/* The customers search index (lib/crm_search.h), after commit. */
	[STMT_LEAD_SEARCH_PUT_CONTACT] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS " AND c.id = ?",
	[STMT_LEAD_SEARCH_PUT_ACCOUNT] = CRM_SEARCH_PUT CRM_SEARCH_ACCOUNT_ROWS " AND a.id = ?",

	/* Web-to-lead forms. */
	[STMT_LEAD_FORMS] = "SELECT f.id, f.name, f.token, f.source, f.use_rules, f.active, o.name AS owner"
	    " FROM lead_forms f JOIN users o ON o.id = f.owner_id ORDER BY f.name, f.id LIMIT 200",
	[STMT_LEAD_FORM_GET] = "SELECT " LEAD_FORM_COLUMNS ", o.name AS owner FROM lead_forms f"
	    " JOIN users o ON o.id = f.owner_id WHERE f.id = ?",
	[STMT_LEAD_FORM_BY_TOKEN] = "SELECT " LEAD_FORM_COLUMNS ", f.stamp_key FROM lead_forms f"
	    " WHERE f.token = ? AND f.active",
	[STMT_LEAD_FORM_CREATE] = "INSERT INTO lead_forms (name, fields, required, source, owner_id, use_rules,"
	    " thanks, redirect_url, active, token, stamp_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_LEAD_FORM_UPDATE] = "UPDATE lead_forms SET name = ?, fields = ?, required = ?, source = ?,"
	    " owner_id = ?, use_rules = ?, thanks = ?, redirect_url = ?, active = ? WHERE id = ?",
	/* Rate limit: POSTs per form and address in ten-minute windows. */
	[STMT_LEAD_FORM_HIT] = "INSERT INTO lead_form_hits (form_id, ip, window_start, hits)"
	    " VALUES (?, ?, FROM_UNIXTIME(UNIX_TIMESTAMP() DIV 600 * 600), 1)"
	    " ON DUPLICATE KEY UPDATE hits = hits + 1",
	[STMT_LEAD_FORM_HITS] = "SELECT hits FROM lead_form_hits WHERE form_id = ? AND ip = ?"
	    " AND window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV 600 * 600)",
	[STMT_LEAD_FORM_SWEEP] = "DELETE FROM lead_form_hits WHERE window_start < NOW() - INTERVAL 1 DAY LIMIT 100",

	/* Assignment rules, in order. */
	[STMT_LEAD_RULES] = "SELECT " LEAD_RULE_COLUMNS " FROM lead_rules r LEFT JOIN users u ON u.id = r.user_id"
	    " LEFT JOIN teams t ON t.id = r.team_id ORDER BY r.position, r.id LIMIT 200",
	[STMT_LEAD_RULE_GET] = "SELECT " LEAD_RULE_COLUMNS " FROM lead_rules r LEFT JOIN users u ON u.id = r.user_id"
	    " LEFT JOIN teams t ON t.id = r.team_id WHERE r.id = ?",
	[STMT_LEAD_RULE_CREATE] = "INSERT INTO lead_rules (position, name, country, city, user_id, team_id, active)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_LEAD_RULE_UPDATE] = "UPDATE lead_rules SET position = ?, name = ?, country = ?, city = ?,"
	    " user_id = ?, team_id = ?, active = ? WHERE id = ?",
	[STMT_LEAD_RULE_DELETE] = "DELETE FROM lead_rules WHERE id = ?",
	/* The rules a lead from country and city matches, first first. */
	[STMT_LEAD_RULE_MATCH] = "SELECT id, user_id, team_id FROM lead_rules WHERE active"
	    " AND (country = '' OR country = ?) AND (city = '' OR city = ?) ORDER BY position, id LIMIT 20",
	[STMT_LEAD_RULE_LOCK] = "SELECT last_user_id FROM lead_rules WHERE id = ? FOR UPDATE",
	[STMT_LEAD_RULE_TURN] = "UPDATE lead_rules SET last_user_id = ? WHERE id = ?",
	/* The team's next active member after the last one (by id), wrapping
	 * round to the first. */
	[STMT_LEAD_TEAM_NEXT] = "SELECT id FROM users WHERE team_id = ? AND active ORDER BY id <= ?, id LIMIT 1",
	[STMT_LEAD_TEAMS] = "SELECT id, name FROM teams ORDER BY name, id LIMIT 200",
	[STMT_LEAD_TEAM_GET] = "SELECT id, name FROM teams WHERE id = ?",

	/* pipelines, opportunities, board */
	[STMT_PIPELINES] = "SELECT p.id, p.name, p.is_default, p.active, p.position,"
	    " (SELECT COUNT(*) FROM pipeline_stages s WHERE s.pipeline_id = p.id AND s.active) AS stages"
	    " FROM pipelines p ORDER BY p.is_default DESC, p.active DESC, p.position, p.name LIMIT 100",
	[STMT_PIPELINE_GET] = "SELECT id, name, is_default, active, position FROM pipelines WHERE id = ?",
	[STMT_PIPELINE_CREATE] = "INSERT INTO pipelines (name, position, is_default, active)"
	    " SELECT ?, COALESCE(MAX(position), 0) + 1, FALSE, TRUE FROM pipelines",
	[STMT_PIPELINE_UPDATE] = "UPDATE pipelines SET name = ?, is_default = ?, active = ? WHERE id = ?",
	[STMT_PIPELINE_UNDEFAULT] = "UPDATE pipelines SET is_default = FALSE WHERE id <> ? AND is_default",
	/* A pipeline's stages for its admin page: open ones in their order,
	 * then won and lost; in_use says whether a deal is or was in it. */
	[STMT_STAGES_OF] = "SELECT s.id, s.name, s.position, s.probability, s.kind, s.active,"
	    " (EXISTS (SELECT 1 FROM opportunities op WHERE op.stage_id = s.id)"
	    " OR EXISTS (SELECT 1 FROM opportunity_stage_history h WHERE h.stage_id = s.id)) AS in_use"
	    " FROM pipeline_stages s WHERE s.pipeline_id = ?"
	    " ORDER BY s.kind <> 'open', s.kind, s.position, s.id",
	/* Every stage a deal may enter, by pipeline (the default first), and
	 * the one it is in even when that was deactivated since. */
	[STMT_STAGES_ALL] = "SELECT s.id, s.pipeline_id, p.name AS pipeline, s.name, s.kind, s.probability"
	    " FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id"
	    " WHERE (s.active AND p.active) OR s.id = ? ORDER BY p.is_default DESC, p.position, p.name,"
	    " s.kind <> 'open', s.kind, s.position, s.id LIMIT 500",
	[STMT_STAGE_GET] = "SELECT s.id, s.pipeline_id, s.name, s.position, s.probability, s.kind, s.active,"
	    " p.active AS pipeline_active FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id"
	    " WHERE s.id = ?",
	/* A new stage goes after the pipeline's others. */
	[STMT_STAGE_CREATE] = "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind, active)"
	    " SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, TRUE FROM pipeline_stages WHERE pipeline_id = ?",
	[STMT_STAGE_UPDATE] = "UPDATE pipeline_stages SET name = ?, probability = ?, kind = ?, active = ? WHERE id = ?",
	[STMT_STAGE_DELETE] = "DELETE FROM pipeline_stages WHERE id = ?",
	[STMT_STAGE_IN_USE] = "SELECT (EXISTS (SELECT 1 FROM opportunities op WHERE op.stage_id = ?)"
	    " OR EXISTS (SELECT 1 FROM opportunity_stage_history h WHERE h.stage_id = ?)) AS in_use",
	/* How many stages of each kind a pipeline has (locked: the rule of
	 * one won and one lost is checked inside the change's transaction),
	 * and how many are active. */
	[STMT_STAGE_KINDS] = "SELECT CAST(COALESCE(SUM(kind = 'won'), 0) AS SIGNED) AS won,"
	    " CAST(COALESCE(SUM(kind = 'lost'), 0) AS SIGNED) AS lost, CAST(COALESCE(SUM(active), 0) AS SIGNED) AS active"
	    " FROM pipeline_stages WHERE pipeline_id = ? AND id <> ? FOR UPDATE",
	[STMT_STAGE_BEFORE] = "SELECT id, position FROM pipeline_stages WHERE pipeline_id = ? AND kind = 'open'"
	    " AND (position < ? OR (position = ? AND id < ?)) ORDER BY position DESC, id DESC LIMIT 1",
	[STMT_STAGE_AFTER] = "SELECT id, position FROM pipeline_stages WHERE pipeline_id = ? AND kind = 'open'"
	    " AND (position > ? OR (position = ? AND id > ?)) ORDER BY position, id LIMIT 1",
	[STMT_STAGE_POSITION] = "UPDATE pipeline_stages SET position = ? WHERE id = ?",

	/* Deals: 5 scope, owner (2), stage (2), open/won/lost (2), close
	 * months [from, to), then the keyset (close_date, id). */
	[STMT_OPPS] = "SELECT " OPP_COLUMNS OPP_FROM
	    " WHERE op.deleted_at IS NULL AND" SCOPE("op") " AND (? = 0 OR op.owner_id = ?)"
	    " AND (? = 0 OR op.stage_id = ?) AND (? = 'all' OR s.kind = ?)"
	    " AND op.close_date >= ? AND op.close_date < ?"
	    " AND (op.close_date > ? OR (op.close_date = ? AND op.id > ?))"
	    " ORDER BY op.close_date, op.id" LIMIT,
	[STMT_OPP_GET] = "SELECT " OPP_COLUMNS OPP_FROM " WHERE op.id = ? AND op.deleted_at IS NULL AND" SCOPE("op"),
	/* The deal a change starts from, locked until the change commits. */
	[STMT_OPP_LOCK] = "SELECT op.id, op.pipeline_id, op.stage_id, op.amount, op.probability, op.lost_reason,"
	    " op.won_reason,"
	    " op.owner_id FROM opportunities op JOIN users o ON o.id = op.owner_id"
	    " WHERE op.id = ? AND op.deleted_at IS NULL AND" SCOPE("op") " FOR UPDATE",
	[STMT_OPP_CREATE] = "INSERT INTO opportunities (name, account_id, contact_id, pipeline_id, stage_id,"
	    " amount, probability, close_date, next_step, competitors, lost_reason, owner_id, closed_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, IF(? = 'open', NULL, UTC_TIMESTAMP()))",
	/* An edit: a deal that has just been won closes today. */
	[STMT_OPP_UPDATE] = "UPDATE opportunities SET name = ?, account_id = ?, contact_id = ?, amount = ?,"
	    " probability = ?, close_date = IF(? = 1, UTC_DATE(), ?), next_step = ?, competitors = ?,"
	    " lost_reason = ? WHERE id = ?",
	/* Entering stage T (brief-stages): its probability; closed when T is
	 * won or lost, and a won deal closes today. Binds: stage, kind (3),
	 * reason, kind, reason, id. */
	[STMT_OPP_MOVE] = "UPDATE opportunities op JOIN pipeline_stages s ON s.id = ?"
	    " SET op.stage_id = s.id, op.probability = s.probability,"
	    " op.closed_at = IF(? = 'open', NULL, UTC_TIMESTAMP()),"
	    " op.close_date = IF(? = 'won', UTC_DATE(), op.close_date),"
	    " op.lost_reason = IF(? = 'lost', ?, ''), op.won_reason = IF(? = 'won', ?, '') WHERE op.id = ?",
	[STMT_OPP_OWNER] = "UPDATE opportunities SET owner_id = ? WHERE id = ?",
	[STMT_OPP_LINES] = "SELECT l.id, l.position, l.product_id, pr.name AS product, pr.sku, l.quantity,"
	    " l.unit_price, l.discount, l.total FROM opportunity_lines l JOIN products pr ON pr.id = l.product_id"
	    " WHERE l.opportunity_id = ? ORDER BY l.position LIMIT 200",
	[STMT_OPP_LINES_CLEAR] = "DELETE FROM opportunity_lines WHERE opportunity_id = ?",
	[STMT_OPP_LINE_ADD] = "INSERT INTO opportunity_lines (opportunity_id, position, product_id, quantity,"
	    " unit_price, discount, total) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_OPP_ACTIVITIES] = "SELECT t.id, t.kind, t.subject, " STAMP("t.at") " AS at,"
	    " t.done_at IS NOT NULL AS done, u.name AS assignee FROM activities t"
	    " JOIN users u ON u.id = t.assignee_id WHERE t.opportunity_id = ? AND t.deleted_at IS NULL"
	    " ORDER BY t.at DESC, t.id DESC LIMIT 20",
	/* A note or call on a deal is its account's too (activities.c). */
	[STMT_OPP_ACTIVITY_ADD] = "INSERT INTO activities (kind, subject, body, assignee_id, created_by,"
	    " opportunity_id, account_id, at, done_at) SELECT ?, ?, ?, ?, ?, op.id, op.account_id,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM opportunities op WHERE op.id = ?",
	[STMT_STAGE_HISTORY] = "SELECT h.id, h.stage_id, s.name AS stage, s.kind, " STAMP("h.entered_at")
	    " AS entered_at, " STAMP("h.left_at") " AS left_at, h.amount, u.name AS user_name"
	    " FROM opportunity_stage_history h JOIN pipeline_stages s ON s.id = h.stage_id"
	    " JOIN users u ON u.id = h.user_id WHERE h.opportunity_id = ?"
	    " ORDER BY h.entered_at DESC, h.id DESC LIMIT 50",
	[STMT_HISTORY_CLOSE] = "UPDATE opportunity_stage_history SET left_at = UTC_TIMESTAMP()"
	    " WHERE opportunity_id = ? AND left_at IS NULL",
	[STMT_HISTORY_ADD] = "INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at,"
	    " left_at, amount, user_id) VALUES (?, ?, UTC_TIMESTAMP(), NULL, ?, ?)",

	/* The board's columns: the active stages of every active pipeline
	 * (and of the one asked for), the default pipeline's first; the page
	 * takes one pipeline's as columns and the pipelines as tabs. */
	[STMT_BOARD_STAGES] = "SELECT s.id, s.name, s.kind, s.probability, p.id AS pipeline_id, p.name AS pipeline,"
	    " p.is_default, p.active AS pipeline_active FROM pipelines p"
	    " JOIN pipeline_stages s ON s.pipeline_id = p.id AND s.active WHERE p.active OR p.id = ?"
	    " ORDER BY p.is_default DESC, p.position, p.name, p.id, s.kind <> 'open', s.kind, s.position, s.id"
	    " LIMIT 1200",
	/* Their totals: count, sum and weighted sum of the live deals of
	 * each open stage with a close date in the open range, and of won and
	 * lost in the closed range (this month unless the filter says), by
	 * owner (0: all), within the scope. Each half is one GROUP BY over
	 * the kept totals of those stages and months, a few rows per owner. */
	[STMT_BOARD_TOTALS] = "(" TOTALS_PART(Q12, "", ANY_OWNER) ") UNION ALL ("
	    TOTALS_PART("?, ?", "", ANY_OWNER) ")",
	[STMT_BOARD_TOTALS_OWNER] = "(" TOTALS_PART(Q12, "", ONE_OWNER) ") UNION ALL ("
	    TOTALS_PART("?, ?", "", ONE_OWNER) ")",
	/* The board page in one statement: the totals as above, then the
	 * first cards of each column by close date: one part per column
	 * (stage 0 for the columns a pipeline does not have), each a walk of
	 * opportunities_board that stops at its 21st row. */
	[STMT_BOARD] = BOARD_TOTALS(ANY_OWNER, CARD_NULLS) " UNION ALL " CARDS(CARDS_HINT, ANY_OWNER, CARD_COLS),
	[STMT_BOARD_OWNER] = BOARD_TOTALS(ONE_OWNER, CARD_NULLS) " UNION ALL "
	    CARDS(OWNER_CARDS_HINT, ONE_OWNER, CARD_COLS),
	/* The same for a board of at most six columns (four open stages, won
	 * and lost: most of them). MariaDB plans every part of a UNION on
	 * each execution, a stage-0 part as much as a real one. */
	[STMT_BOARD6] = BOARD_TOTALS(ANY_OWNER, CARD_NULLS) " UNION ALL " CARDS6(CARDS_HINT, ANY_OWNER, CARD_COLS),
	[STMT_BOARD6_OWNER] = BOARD_TOTALS(ONE_OWNER, CARD_NULLS) " UNION ALL "
	    CARDS6(OWNER_CARDS_HINT, ONE_OWNER, CARD_COLS),
	/* The four again with the page's columns. */
	[STMT_BOARD_PAGE] = BOARD_TOTALS(ANY_OWNER, CARD_PAGE_NULLS) " UNION ALL "
	    CARDS(CARDS_HINT, ANY_OWNER, CARD_PAGE_COLS),
	[STMT_BOARD_PAGE_OWNER] = BOARD_TOTALS(ONE_OWNER, CARD_PAGE_NULLS) " UNION ALL "
	    CARDS(OWNER_CARDS_HINT, ONE_OWNER, CARD_PAGE_COLS),
	[STMT_BOARD6_PAGE] = BOARD_TOTALS(ANY_OWNER, CARD_PAGE_NULLS) " UNION ALL "
	    CARDS6(CARDS_HINT, ANY_OWNER, CARD_PAGE_COLS),
	[STMT_BOARD6_PAGE_OWNER] = BOARD_TOTALS(ONE_OWNER, CARD_PAGE_NULLS) " UNION ALL "
	    CARDS6(OWNER_CARDS_HINT, ONE_OWNER, CARD_PAGE_COLS),

	/* The links of a deal's form, within the user's reach. */
	[STMT_OPP_ACCOUNT_REACHABLE] = "SELECT a.id, a.name FROM accounts a JOIN users o ON o.id = a.owner_id"
	    " WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_OPP_ACCOUNT_BY_NAME] = "SELECT a.id, a.name FROM accounts a JOIN users o ON o.id = a.owner_id"
	    " WHERE a.name = ? AND a.deleted_at IS NULL AND" SCOPE("a") " ORDER BY a.id LIMIT 2",
	[STMT_OPP_LOOKUP_ACCOUNTS] = "SELECT a.id, a.name AS label FROM accounts a JOIN users o ON o.id = a.owner_id"
	    " WHERE a.name LIKE CONCAT(?, '%') AND a.deleted_at IS NULL AND" SCOPE("a")
	    " ORDER BY a.name, a.id LIMIT 10",
	/* A contact of the deal's account: the account decides who sees it. */
	[STMT_OPP_CONTACT_GET] = "SELECT c.id, c.full_name FROM contacts c WHERE c.id = ? AND c.account_id = ?"
	    " AND c.deleted_at IS NULL",
	[STMT_OPP_CONTACT_BY_NAME] = "SELECT c.id, c.full_name FROM contacts c WHERE c.full_name = ?"
	    " AND c.account_id = ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT 2",
	[STMT_OPP_LOOKUP_CONTACTS] = "SELECT c.id, c.full_name AS label FROM contacts c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.full_name LIKE CONCAT(?, '%')"
	    " AND c.deleted_at IS NULL AND" SCOPE("c") " ORDER BY c.full_name, c.id LIMIT 10",
	[STMT_OPP_PRODUCT_GET] = "SELECT id, name, list_price FROM products WHERE id = ? AND active",
	[STMT_OPP_PRODUCT_BY_NAME] = "SELECT id, name, list_price FROM products WHERE (name = ? OR sku = ?) AND active"
	    " ORDER BY sku = ? DESC, id LIMIT 2",
	[STMT_OPP_LOOKUP_PRODUCTS] = "SELECT id, name AS label, sku FROM products WHERE active"
	    " AND (name LIKE CONCAT(?, '%') OR sku = ?) ORDER BY name, id LIMIT 10",
	[STMT_OPP_USER_BY_NAME] = "SELECT id, name FROM users WHERE name = ? AND active ORDER BY id LIMIT 2",
	[STMT_OPP_DEFAULT_BOOK] = "SELECT b.id, b.currency AS own_currency FROM price_books b"
	    " WHERE b.is_default AND b.active ORDER BY b.id LIMIT 1",

	/* quotes, orders, invoices */
	/* Quotes: status '' is every one but the superseded versions; owner
	 * and account 0 are any; then the scope and the keyset (created_at,
	 * id) newest first. */
	[STMT_QUOTES] = "SELECT q.id, q.number, q.version, q.title, q.status, q.currency, q.total,"
	    " DATE_FORMAT(q.valid_until, '%Y-%m-%d') AS valid_until, " STAMP("q.created_at") " AS created_at,"
	    " q.account_id, a.name AS account_name, o.name AS owner_name"
	    " FROM quotes q FORCE INDEX (quotes_created)"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = q.owner_id"
	    " STRAIGHT_JOIN accounts a FORCE INDEX (PRIMARY) ON a.id = q.account_id"
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
	    " o.name AS owner_name FROM orders r FORCE INDEX (orders_date)"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = r.owner_id"
	    " STRAIGHT_JOIN accounts a FORCE INDEX (PRIMARY) ON a.id = r.account_id"
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
	    " op.name AS opportunity_name, " STAMP("r.created_at") " AS created_at,"
	    " i.id AS invoice_id, i.number AS invoice_number"
	    " FROM orders r JOIN users o ON o.id = r.owner_id JOIN accounts a ON a.id = r.account_id"
	    " LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN quotes q ON q.id = r.quote_id"
	    " LEFT JOIN opportunities op ON op.id = r.opportunity_id"
	    " LEFT JOIN invoices i ON i.order_id = r.id WHERE r.id = ? AND" SCOPE("r"),
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

	/* invoices */
/* An invoice as read: overdue is computed (unpaid or partly paid, due
 * before today), never stored. */
#define INVOICE_STATUS "(CASE WHEN i.status <> 'paid' AND i.due_on < CURRENT_DATE THEN 'overdue'" \
	" ELSE i.status END)"
#define INVOICE_COLUMNS "i.id, i.number, i.year, i.sequence, i.order_id, d.number AS order_number," \
	" i.account_id, a.name AS account, a.street, a.city, a.region, a.postcode, a.country," \
	" ct.full_name AS contact, i.currency, DATE_FORMAT(i.issued_on, '%Y-%m-%d') AS issued_on," \
	" DATE_FORMAT(i.due_on, '%Y-%m-%d') AS due_on, i.subtotal, i.tax_total, i.total, i.paid," \
	" i.total - i.paid AS owed, " INVOICE_STATUS " AS status, i.status AS stored_status," \
	" i.public_token, i.owner_id, o.name AS owner, " STAMP("i.created_at") " AS created_at"
#define INVOICE_FROM " FROM invoices i JOIN users o ON o.id = i.owner_id JOIN accounts a ON a.id = i.account_id" \
	" JOIN orders d ON d.id = i.order_id LEFT JOIN contacts ct ON ct.id = d.contact_id"
	/* The list: status ('' for all, or a shown status, overdue
	 * included), account (0 for all), year (0 for all), then the keyset
	 * (issued_on, id) newest first. */
	[STMT_INVOICES] = "SELECT " INVOICE_COLUMNS " FROM invoices i FORCE INDEX (invoices_issued)"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = i.owner_id"
	    " STRAIGHT_JOIN accounts a FORCE INDEX (PRIMARY) ON a.id = i.account_id"
	    " STRAIGHT_JOIN orders d FORCE INDEX (PRIMARY) ON d.id = i.order_id"
	    " LEFT JOIN contacts ct ON ct.id = d.contact_id WHERE" SCOPE("i")
	    " AND (? = '' OR " INVOICE_STATUS " = ?) AND (? = 0 OR i.account_id = ?)"
	    " AND (? = 0 OR (i.issued_on >= MAKEDATE(?, 1) AND i.issued_on < MAKEDATE(? + 1, 1)))"
	    " AND (i.issued_on < ? OR (i.issued_on = ? AND i.id < ?))"
	    " ORDER BY i.issued_on DESC, i.id DESC" LIMIT,
	[STMT_INVOICE_GET] = "SELECT " INVOICE_COLUMNS INVOICE_FROM " WHERE i.id = ? AND" SCOPE("i"),
	/* The customer's link: no scope, the token is the key. */
	[STMT_INVOICE_BY_TOKEN] = "SELECT " INVOICE_COLUMNS INVOICE_FROM " WHERE i.public_token = ?",
	[STMT_INVOICE_LINES] = "SELECT l.position, l.product_id, p.sku, p.name AS product, p.unit, l.description,"
	    " l.quantity, l.unit_price, l.discount, l.tax_rate, l.net, l.tax, l.total"
	    " FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ?"
	    " ORDER BY l.position, l.id LIMIT 1000",
	[STMT_INVOICE_PAYMENTS] = "SELECT y.id, y.amount, DATE_FORMAT(y.paid_on, '%Y-%m-%d') AS paid_on, y.method,"
	    " y.reference, u.name AS recorded_by, " STAMP("y.created_at") " AS created_at"
	    " FROM payments y JOIN users u ON u.id = y.created_by WHERE y.invoice_id = ?"
	    " ORDER BY y.paid_on, y.id LIMIT 1000",
	/* One clock for the whole issue: the number's year, issued_on and
	 * due_on (today + ? days) never straddle midnight. */
	[STMT_INVOICE_TODAY] = "SELECT DATE_FORMAT(CURRENT_DATE, '%Y-%m-%d') AS today, YEAR(CURRENT_DATE) AS year,"
	    " DATE_FORMAT(CURRENT_DATE + INTERVAL ? DAY, '%Y-%m-%d') AS due",
	[STMT_INVOICE_ORDER_REACH] = "SELECT d.id FROM orders d JOIN users o ON o.id = d.owner_id"
	    " WHERE d.id = ? AND" SCOPE("d"),
	/* The order row is the lock that makes "one invoice per order" hold
	 * under concurrent issues (invoices.order_id is not unique). */
	[STMT_INVOICE_ORDER_LOCK] = "SELECT id, number, status, account_id, currency, subtotal, tax_total, total,"
	    " owner_id FROM orders WHERE id = ? FOR UPDATE",
	[STMT_INVOICE_OF_ORDER] = "SELECT id, number FROM invoices WHERE order_id = ? LIMIT 1",
	/* Gap-free numbering: the year's counter row is locked until the
	 * issuing transaction ends, so a rolled-back issue gives its number
	 * back and two issuers queue rather than share a number. */
	[STMT_INVOICE_COUNTER_LOCK] = "SELECT last_number FROM invoice_counters WHERE year = ? FOR UPDATE",
	[STMT_INVOICE_COUNTER_NEW] = "INSERT INTO invoice_counters (year, last_number) VALUES (?, 0)"
	    " ON DUPLICATE KEY UPDATE last_number = last_number",
	[STMT_INVOICE_COUNTER_SET] = "UPDATE invoice_counters SET last_number = ? WHERE year = ?",
	[STMT_INVOICE_CREATE] = "INSERT INTO invoices (number, year, sequence, order_id, account_id, currency,"
	    " issued_on, due_on, subtotal, tax_total, total, public_token, owner_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_INVOICE_LOCK] = "SELECT id, number, total, paid, status FROM invoices WHERE id = ? FOR UPDATE",
	[STMT_INVOICE_PAID_SET] = "UPDATE invoices SET paid = ?, status = ? WHERE id = ?",
	[STMT_PAYMENT_CREATE] = "INSERT INTO payments (invoice_id, amount, paid_on, method, reference, created_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_PAYMENT_GET] = "SELECT id, amount, DATE_FORMAT(paid_on, '%Y-%m-%d') AS paid_on, method, reference"
	    " FROM payments WHERE id = ? AND invoice_id = ?",
	[STMT_PAYMENT_DELETE] = "DELETE FROM payments WHERE id = ?",

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
	 * history, as the rates are the company's, kept by triggers
	 * (020_stage_conversion.sql). */
	[STMT_FORECAST_STAGES] = "SELECT s.id, p.name AS pipeline, s.name, s.probability,"
	    " CAST(COALESCE(h.closed, 0) AS SIGNED) AS closed, CAST(COALESCE(h.won, 0) AS SIGNED) AS won"
	    " FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id"
	    " LEFT JOIN stage_conversion h ON h.stage_id = s.id"
	    " WHERE s.kind = 'open' ORDER BY p.position, p.id, s.position, s.id",
	/* What the forecast said at the start of each past month (first,
	 * last): the deals closing in that month by the stage each was in at
	 * that instant, with its amount then; probability is the stage's, as
	 * entering a stage sets it. The deals closing in those months come
	 * from an index by close date, then their history by deal. */
	[STMT_FORECAST_PAST] = "SELECT DATE_FORMAT(t.close_date, '%Y-%m') AS month, s.probability,"
	    " SUM(h.amount) AS amount, COUNT(*) AS deals"
	    " FROM opportunities t FORCE INDEX (opportunities_close_owner)"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = t.owner_id"
	    " STRAIGHT_JOIN opportunity_stage_history h FORCE INDEX (stage_history_span) ON h.opportunity_id = t.id"
	    " AND h.entered_at <= " MONTH_START("t.close_date")
	    " AND (h.left_at IS NULL OR h.left_at > " MONTH_START("t.close_date") ")"
	    " STRAIGHT_JOIN pipeline_stages s ON s.id = h.stage_id AND s.kind = 'open'"
	    " WHERE t.close_date >= CAST(? AS DATE) AND t.close_date < CAST(? AS DATE) + INTERVAL 1 MONTH"
	    " AND t.deleted_at IS NULL AND" SCOPE("t") " GROUP BY month, s.probability",
	/* Orders per month (from, to), less the cancelled ones. */
	[STMT_FORECAST_ORDERS] = "SELECT DATE_FORMAT(t.ordered_on, '%Y-%m') AS month, SUM(t.total_base) AS total,"
	    " COUNT(*) AS orders FROM orders t JOIN users o ON o.id = t.owner_id"
	    " WHERE t.status <> 'cancelled' AND t.ordered_on >= ? AND t.ordered_on < ? AND" SCOPE("t")
	    " GROUP BY month ORDER BY month",
	/* quotes.c: "customers who bought these also bought" (the quote's
	 * products, as a JSON array, four times). */
	[STMT_QUOTE_ALSO_BOUGHT] = CRM_SQL_ALSO_BOUGHT,
};

_Static_assert(CRM_NELEM(sales_stmts) == STMT__MAX, "sales_stmts");
