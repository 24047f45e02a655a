/* Every SQL statement crm-customers runs (STYLE rule 19). Record-level
 * access is part of each statement: SCOPE takes the role's scope, the
 * user's id and their team id, and matches only the records they reach. */
#include "extern.h"

#define SCOPE \
	" (? = 'all' OR a.owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define ACCOUNT_COLUMNS \
	"a.id, a.name, a.industry, a.website, a.phone, a.city, a.annual_revenue, a.notes," \
	" a.owner_id, o.name AS owner, DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i:%s') AS created_at," \
	" DATE_FORMAT(a.updated_at, '%Y-%m-%d %H:%i:%s') AS updated_at," \
	" (SELECT value FROM settings WHERE name = 'base_currency') AS currency"

const char *const customers_stmts[STMT__MAX] = {
	/* STMT_ACCOUNTS_PAGE: keyset by (name, id), an optional name prefix. */
	"SELECT " ACCOUNT_COLUMNS " FROM accounts a JOIN users o ON o.id = a.owner_id"
	" WHERE" SCOPE " AND (a.name, a.id) > (?, ?) AND (? = '' OR a.name LIKE CONCAT(?, '%'))"
	" ORDER BY a.name, a.id LIMIT 51",
	/* STMT_ACCOUNT_GET */
	"SELECT " ACCOUNT_COLUMNS " FROM accounts a JOIN users o ON o.id = a.owner_id"
	" WHERE a.id = ? AND" SCOPE,
	/* STMT_ACCOUNT_CREATE */
	"INSERT INTO accounts (name, industry, website, phone, city, annual_revenue, notes, owner_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_ACCOUNT_UPDATE: the scope again, so a record out of reach is
	 * never changed even if its id is guessed. */
	"UPDATE accounts a JOIN users o ON o.id = a.owner_id SET a.name = ?, a.industry = ?,"
	" a.website = ?, a.phone = ?, a.city = ?, a.annual_revenue = ?, a.notes = ?"
	" WHERE a.id = ? AND" SCOPE,
	/* STMT_ACCOUNT_REASSIGN */
	"UPDATE accounts a JOIN users o ON o.id = a.owner_id SET a.owner_id = ?"
	" WHERE a.id = ? AND" SCOPE,
	/* STMT_OWNERS: who a record can be given to (active users). */
	"SELECT id, name FROM users WHERE active ORDER BY name LIMIT 500",
};
_Static_assert(CRM_NELEM(customers_stmts) == STMT__MAX, "customers_stmts");
