/* The search box: what a user types, made into a Mroonga boolean-mode
 * query, and the SQL that makes a record's row of the search index (one
 * text per record: names, e-mails, phone digits, company, city, custom
 * text and choice values), shared
 * by the module that writes records and crmctl, which rebuilds the index.
 * sql/migrations/006_search.sql says why Mroonga. */
#ifndef CRM_SEARCH_H
#define CRM_SEARCH_H

#include <stddef.h>

#include "crm_buf.h"

#define CRM_SEARCH_CONTACT 1
#define CRM_SEARCH_ACCOUNT 2
#define CRM_SEARCH_MAX_TERMS 8

/* The values of a record's active custom text and choice fields, one
 * probe of custom_values' primary key per record
 * (sql/migrations/009_custom_fields.sql). */
#define CRM_SEARCH_CUSTOM(entity, t) \
	" (SELECT GROUP_CONCAT(v.value_text SEPARATOR ' ') FROM custom_values v" \
	" JOIN custom_fields f ON f.id = v.field_id AND f.active AND f.type IN ('text', 'choice')" \
	" WHERE v.entity = '" entity "' AND v.record_id = " t ".id)"

/* Rows for REPLACE INTO search_index (entity, id, owner_id, team_id, body):
 * append " AND c.id = ?" (or a.id) for one record, nothing for all. */
#define CRM_SEARCH_CONTACT_SELECT \
	"SELECT 1, c.id, c.owner_id, COALESCE(o.team_id, 0), CONCAT_WS(' ', c.full_name," \
	" c.first_name, c.last_name, c.email, c.email2, REGEXP_REPLACE(c.phone, '[^0-9]', '')," \
	" REPLACE(c.phone_e164, '+', ''), REGEXP_REPLACE(c.mobile, '[^0-9]', '')," \
	" REPLACE(c.mobile_e164, '+', ''), a.name, c.city, c.title," CRM_SEARCH_CUSTOM("contact", "c") ")"
#define CRM_SEARCH_CONTACT_ROWS CRM_SEARCH_CONTACT_SELECT \
	" FROM contacts c JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id" \
	" WHERE c.deleted_at IS NULL"
/* A range of ids (an import's batch): walked by primary key, where the
 * optimiser, seeing a handful of users, would start from the owner and
 * read all of their contacts. */
#define CRM_SEARCH_CONTACT_RANGE CRM_SEARCH_CONTACT_SELECT \
	" FROM contacts c FORCE INDEX (PRIMARY) STRAIGHT_JOIN users o ON o.id = c.owner_id" \
	" LEFT JOIN accounts a ON a.id = c.account_id WHERE c.deleted_at IS NULL AND c.id BETWEEN ? AND ?"
#define CRM_SEARCH_ACCOUNT_SELECT \
	"SELECT 2, a.id, a.owner_id, COALESCE(o.team_id, 0), CONCAT_WS(' ', a.name, a.website," \
	" REGEXP_REPLACE(a.phone, '[^0-9]', ''), a.city, a.industry," CRM_SEARCH_CUSTOM("account", "a") ")"
#define CRM_SEARCH_ACCOUNT_ROWS CRM_SEARCH_ACCOUNT_SELECT \
	" FROM accounts a JOIN users o ON o.id = a.owner_id WHERE a.deleted_at IS NULL"
/* The records of one entity in a window of the search log
 * (055_search_changes.sql; binds: from, upto), the log driving. */
#define CRM_SEARCH_CHANGED(entity) "(SELECT DISTINCT record_id FROM search_changes" \
	" WHERE entity = " entity " AND at > ? AND at <= ?) l"
#define CRM_SEARCH_CONTACT_CHANGED CRM_SEARCH_CONTACT_SELECT " FROM " CRM_SEARCH_CHANGED("1") \
	" STRAIGHT_JOIN contacts c ON c.id = l.record_id JOIN users o ON o.id = c.owner_id" \
	" LEFT JOIN accounts a ON a.id = c.account_id WHERE c.deleted_at IS NULL"
#define CRM_SEARCH_ACCOUNT_CHANGED CRM_SEARCH_ACCOUNT_SELECT " FROM " CRM_SEARCH_CHANGED("2") \
	" STRAIGHT_JOIN accounts a ON a.id = l.record_id JOIN users o ON o.id = a.owner_id" \
	" WHERE a.deleted_at IS NULL"
#define CRM_SEARCH_PUT "REPLACE INTO search_index (entity, id, owner_id, team_id, body) "

/* Appends the boolean-mode query for the typed text: every term must
 * match ("*D+"); a plain Latin word or number matches as a prefix
 * ("zhan*"), anything else (Chinese, an address with dots or @) as a
 * phrase. Quotes and backslashes are dropped, so no input is an operator.
 * Returns the number of terms; 0 means nothing searchable (a lone Latin
 * letter, punctuation only): the caller asks for more. */
int crm_search_query(struct crm_buf *, const char *text);

#endif
