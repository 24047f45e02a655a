/* CardDAV: one address book of the contacts the user's role reaches
 * (its scope, as every contact list). A card carries the name, e-mail
 * addresses, phones, title and account; a PUT changes only the name,
 * e-mail, phone, mobile and title, with the CRM's rules for them, and
 * never a field the role may not change (field rules): a hidden field is
 * not sent, and neither it nor a read-only one is written. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_contact_rules.h"
#include "crm_dav.h"
#include "crm_log.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "crm_vcard.h"
#include "extern.h"

static const char *
str(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

static long long
num(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

static long long
id_of_name(const char *name)
{
	return dav_id_of_name(name, "contact-", ".vcf");
}

const char *
carddav_name(struct crm_ctx *c, json_t *row)
{
	if (*str(row, "dav_name"))
		return str(row, "dav_name");
	return crm_arena_printf(c->arena, "contact-%lld.vcf", num(row, "id"));
}

const char *
carddav_etag(struct crm_ctx *c, json_t *row)
{
	return crm_arena_printf(c->arena, "\"%lld-%lld\"", num(row, "id"), num(row, "dav_version"));
}

/* A field the user may read, else "" (it is left out of the card). */
static const char *
readable(struct crm_ctx *c, json_t *row, const char *field)
{
	return crm_auth_field_hidden(c->user, "contact", field) ? "" : str(row, field);
}

const char *
carddav_data(struct crm_ctx *c, json_t *row)
{
	struct crm_vcard v;
	struct crm_buf b;

	memset(&v, 0, sizeof(v));
	crm_buf_init(&b, c->arena, 1024);
	v.full_name = str(row, "full_name");
	v.family = readable(c, row, "last_name");
	v.given = readable(c, row, "first_name");
	v.org = str(row, "org");
	v.title = readable(c, row, "title");
	v.emails[0] = readable(c, row, "email");
	v.emails[1] = readable(c, row, "email2");
	v.phones[0] = readable(c, row, "phone");
	v.phone_types[0] = "work";
	v.phones[1] = readable(c, row, "mobile");
	v.phone_types[1] = "cell";
	v.country = str(row, "country");
	v.uid = *str(row, "dav_uid") ? str(row, "dav_uid") :
	    crm_arena_printf(c->arena, "urn:crm:contact:%lld", num(row, "id"));
	crm_vcard_write(&b, &v);
	return b.data;
}

/* The address book's last settled version (as caldav_ctag). */
long long
carddav_ctag(struct crm_ctx *c, long long settled)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], settled);
	if (settled < 0 || crm_db_row(c->db, STMT_CARD_CTAG, b, 1, &row) != CRM_OK)
		return 0;
	return num(row, "v");
}

json_t *
carddav_find(struct crm_ctx *c, const char *name, int *status)
{
	struct crm_db_bind b[6];
	long long id = id_of_name(name);
	json_t *row = NULL;
	enum crm_err e;

	if (id > 0)
		crm_db_bind_i64(&b[0], id);
	else
		crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_auth_bind_scope(c->user, b + 1);
	e = crm_db_row(c->db, id > 0 ? STMT_CARD_BY_ID : STMT_CARD_BY_NAME, b, 6, &row);
	*status = e == CRM_ENOTFOUND ? 404 : 500;
	return e == CRM_OK ? row : NULL;
}

static void
respond_row(struct crm_ctx *c, const struct dav_query *q, json_t *row, struct crm_buf *out)
{
	struct dav_res r;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.kind = DAV_CARD;
	r.row = row;
	r.href = dav_href(c, DAV_CARD, 0, carddav_name(c, row));
	dav_ms_response(out, q, &r);
}

/* RFC 6352 10.5.4, with i;unicode-casemap approximated by ASCII case
 * folding (the default collation). */
static int
text_match(const char *value, const struct dav_match *m)
{
	size_t vl = strlen(value), tl = strlen(m->text);

	if (strcmp(m->type, "equals") == 0)
		return strcasecmp(value, m->text) == 0;
	if (strcmp(m->type, "starts-with") == 0)
		return strncasecmp(value, m->text, tl) == 0;
	if (strcmp(m->type, "ends-with") == 0)
		return vl >= tl && strcasecmp(value + vl - tl, m->text) == 0;
	return strcasestr(value, m->text) != NULL;
}

/* The columns behind a vCard property, as the card shows them. */
static int
prop_matches(struct crm_ctx *c, json_t *row, const struct dav_match *m)
{
	static const struct {
		const char *prop, *fields[2];
	} props[] = {
		{ "FN", { "full_name", NULL } },
		{ "N", { "last_name", "first_name" } },
		{ "EMAIL", { "email", "email2" } },
		{ "TEL", { "phone", "mobile" } },
		{ "TITLE", { "title", NULL } },
		{ "ORG", { "org", NULL } },
	};
	size_t i, k;
	int hit = 0;

	if (strcasecmp(m->prop, "UID") == 0) {
		const char *uid = *str(row, "dav_uid") ? str(row, "dav_uid") :
		    crm_arena_printf(c->arena, "urn:crm:contact:%lld", num(row, "id"));

		hit = m->text == NULL || text_match(uid, m);
	}
	for (i = 0; i < CRM_NELEM(props); i++) {
		if (strcasecmp(m->prop, props[i].prop) != 0)
			continue;
		for (k = 0; k < 2 && props[i].fields[k]; k++) {
			const char *v = strcmp(props[i].fields[k], "full_name") == 0 ||
			    strcmp(props[i].fields[k], "org") == 0 ? str(row, props[i].fields[k]) :
			    readable(c, row, props[i].fields[k]);

			if (*v && (m->text == NULL || text_match(v, m)))
				hit = 1;
		}
	}
	return m->negate ? !hit : hit;
}

static int
filtered_out(struct crm_ctx *c, const struct dav_query *q, json_t *row)
{
	size_t i;

	if (q->nmatches == 0)
		return 0;
	for (i = 0; i < q->nmatches; i++) {
		int hit = prop_matches(c, row, &q->matches[i]);

		if (hit && !q->match_all)
			return 0;
		if (!hit && q->match_all)
			return 1;
	}
	return !q->match_all;
}

int
carddav_members(struct crm_ctx *c, const struct dav_query *q, struct crm_buf *out)
{
	struct crm_db_bind b[5];
	json_t *rows = NULL, *row;
	int all = strcmp(c->user->scope, "all") == 0;
	size_t i;

	crm_auth_bind_scope(c->user, b);
	if (crm_db_rows(c->db, all ? STMT_CARD_LIST_ALL : STMT_CARD_LIST, b, all ? 0 : 5, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		if (i == DAV_LIST_MAX)
			break;
		if (!filtered_out(c, q, row))
			respond_row(c, q, row, out);
	}
	if (json_array_size(rows) > DAV_LIST_MAX)
		dav_ms_status(out, dav_href(c, DAV_BOOK, 0, NULL), 507);
	return 0;
}

int
carddav_multiget(struct crm_ctx *c, const struct dav_query *q, struct crm_buf *out)
{
	const char *ids, *names, *prefix = dav_href(c, DAV_BOOK, 0, NULL);
	struct crm_db_bind b[7];
	json_t *rows = NULL, *row, *found = json_object();
	size_t i;

	dav_multiget_keys(q, prefix, id_of_name, &ids, &names);
	crm_db_bind_str(&b[0], ids, (size_t)-1);
	crm_db_bind_str(&b[1], names, (size_t)-1);
	crm_auth_bind_scope(c->user, b + 2);
	if (crm_db_rows(c->db, STMT_CARD_MULTI, b, 7, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		respond_row(c, q, row, out);
		json_object_set_new(found, carddav_name(c, row), json_true());
	}
	for (i = 0; i < q->nhrefs; i++) {
		const char *name = dav_member_name(q->hrefs[i], prefix);

		if (name == NULL || json_object_get(found, name) == NULL)
			dav_ms_status(out, name ? dav_href(c, DAV_CARD, 0, name) : q->hrefs[i], 404);
	}
	return 0;
}

int
carddav_sync(struct crm_ctx *c, const struct dav_query *q, struct crm_buf *out)
{
	long long since = dav_sync_version(q->sync_token), last = since, settled = dav_settled(c);
	struct crm_db_bind b[7];
	json_t *rows = NULL, *row;
	size_t i;

	if (settled < 0)
		return 500;
	crm_auth_bind_scope(c->user, b);
	crm_db_bind_i64(&b[5], since);
	crm_db_bind_i64(&b[6], settled);
	if (crm_db_rows(c->db, STMT_CARD_CHANGES, b, 7, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		if (i == DAV_SYNC_MAX)
			break;
		last = num(row, "dav_version");
		if (json_is_true(json_object_get(row, "gone")) || !json_is_true(json_object_get(row, "reach"))) {
			/* Gone, or out of reach now: the client drops it if it
			 * had it; a first sync is told only of what there is. */
			if (since > 0)
				dav_ms_status(out, dav_href(c, DAV_CARD, 0, carddav_name(c, row)), 404);
			continue;
		}
		respond_row(c, q, row, out);
	}
	if (json_array_size(rows) > DAV_SYNC_MAX)
		dav_ms_status(out, dav_href(c, DAV_BOOK, 0, NULL), 507);
	else if (json_array_size(rows) == 0)
		last = since > 0 ? since : carddav_ctag(c, settled);
	dav_ms_end(out, dav_sync_token(c, last));
	return dav_multistatus(c);
}

/* The contact's fields as a PUT leaves them. */
struct card_write {
	struct crm_ctx *c;
	struct crm_dav_card card;
	const char *name;
	json_t *before;
	long long id;
	const char *first, *last, *full, *title, *email, *phone, *mobile;
	char email_norm[256], phone_e164[20], mobile_e164[20];
	int created;
};

/* The sent value, or the stored one for a field the role may not change. */
static const char *
writable(struct card_write *w, const char *field, const char *sent)
{
	if (w->before != NULL && crm_auth_field_readonly(w->c->user, "contact", field))
		return str(w->before, field);
	if (w->before == NULL && crm_auth_field_readonly(w->c->user, "contact", field))
		return "";
	return sent;
}

/* A card read as the contact form reads its fields (crm_contact_rules.h):
 * what the card carries, as the role may write it, and the stored value of
 * every field a card does not carry, so those check as they stand. */
struct card_source {
	struct card_write *w;
	const char *msgid;      /* the first problem */
};

static const char *
card_get(void *arg, const char *field)
{
	struct card_write *w = ((struct card_source *)arg)->w;
	static const char *const carried[] = { "first_name", "last_name", "title", "email", "phone", "mobile" };
	const char *const *mine[] = { &w->first, &w->last, &w->title, &w->email, &w->phone, &w->mobile };
	size_t i;

	for (i = 0; i < CRM_NELEM(carried); i++)
		if (strcmp(field, carried[i]) == 0)
			return *mine[i];
	return w->before ? str(w->before, field) : "";
}

static void
card_problem(void *arg, const char *field, const char *msgid)
{
	struct card_source *src = arg;

	(void)field;
	if (src->msgid == NULL)
		src->msgid = msgid;
}

/* The CRM's rules for a contact's fields, the form's own; a card with
 * only a formatted name keeps it as the last name. */
static const char *
check(struct card_write *w)
{
	struct card_source cs = { w, NULL };
	struct crm_contact_source src = { card_get, card_problem, &cs, w->c->arena };
	struct crm_contact_form f;

	w->first = writable(w, "first_name", w->card.given);
	w->last = writable(w, "last_name", w->card.family);
	if (!*w->first && !*w->last && w->before == NULL)
		w->last = w->card.full_name;
	w->title = writable(w, "title", w->card.title);
	w->email = writable(w, "email", w->card.email);
	w->phone = writable(w, "phone", w->card.phone);
	w->mobile = writable(w, "mobile", w->card.mobile);
	memset(&f, 0, sizeof(f));
	crm_contact_check(&f, &src);
	if (cs.msgid != NULL)
		return cs.msgid;
	w->full = f.full;
	snprintf(w->email_norm, sizeof(w->email_norm), "%s", f.email_norm);
	snprintf(w->phone_e164, sizeof(w->phone_e164), "%s", f.phone_e164);
	snprintf(w->mobile_e164, sizeof(w->mobile_e164), "%s", f.mobile_e164);
	/* The card carries the number as tel:+8613800138000; the same
	 * number keeps the way it was typed in the CRM. */
	if (w->before != NULL && *w->phone_e164 && strcmp(w->phone_e164, str(w->before, "phone_e164")) == 0)
		w->phone = str(w->before, "phone");
	if (w->before != NULL && *w->mobile_e164 && strcmp(w->mobile_e164, str(w->before, "mobile_e164")) == 0)
		w->mobile = str(w->before, "mobile");
	return NULL;
}

static void
bind_fields(struct crm_db_bind *b, const struct card_write *w)
{
	crm_db_bind_str(&b[0], w->first, (size_t)-1);
	crm_db_bind_str(&b[1], w->last, (size_t)-1);
	crm_db_bind_str(&b[2], w->full, (size_t)-1);
	crm_db_bind_str(&b[3], w->title, (size_t)-1);
	crm_db_bind_str(&b[4], w->email, (size_t)-1);
	crm_db_bind_str(&b[5], w->email_norm, (size_t)-1);
	crm_db_bind_str(&b[6], w->phone, (size_t)-1);
	crm_db_bind_str(&b[7], w->phone_e164, (size_t)-1);
	crm_db_bind_str(&b[8], w->mobile, (size_t)-1);
	crm_db_bind_str(&b[9], w->mobile_e164, (size_t)-1);
}

static json_t *
fields_json(const struct card_write *w)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "first_name", w->first,
	    "last_name", w->last, "full_name", w->full, "title", w->title, "email", w->email,
	    "phone", w->phone, "mobile", w->mobile, "via", "dav");
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct card_write *w = arg;
	struct crm_ctx *c = w->c;
	struct crm_db_bind b[16];
	uint64_t id = 0, n = 0;
	enum crm_err e;

	bind_fields(b, w);
	if (w->before == NULL) {
		crm_db_bind_i64(&b[10], c->user->user_id);
		crm_db_bind_str(&b[11], w->name, (size_t)-1);
		crm_db_bind_str(&b[12], *w->card.uid ? w->card.uid : NULL, (size_t)-1);
		if ((e = crm_db_exec(db, STMT_CARD_INSERT, b, 13, NULL, &id)) != CRM_OK)
			return e;
		w->id = (long long)id;
		w->created = 1;
		crm_db_bind_i64(&b[0], 1);
		if ((e = crm_db_exec(db, STMT_COUNT_ADD, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		return crm_ctx_audit(c, "create", "contact", w->id, NULL, fields_json(w));
	}
	crm_db_bind_i64(&b[10], w->id);
	crm_auth_bind_scope(c->user, b + 11);
	if ((e = crm_db_exec(db, STMT_CARD_UPDATE, b, 16, &n, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "update", "contact", w->id, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "first_name", str(w->before, "first_name"), "last_name", str(w->before, "last_name"),
	    "full_name", str(w->before, "full_name"), "title", str(w->before, "title"),
	    "email", str(w->before, "email"), "phone", str(w->before, "phone"),
	    "mobile", str(w->before, "mobile")), fields_json(w));
}

/* The search box finds the contact by its new name (after the commit,
 * as crm-customers does: the index does not roll back). */
static void
reindex(struct crm_ctx *c, long long id, int gone)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	if (crm_db_exec(c->db, gone ? STMT_SEARCH_DROP : STMT_SEARCH_PUT_CONTACT, b, 1, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_WARN, "search index: contact %lld not updated: %s", id, crm_db_error(c->db));
}

static int
vcard_type(const char *t)
{
	return t != NULL && (strcmp(t, "text/vcard") == 0 || strcmp(t, "text/x-vcard") == 0 ||
	    strcmp(t, "text/directory") == 0);
}

int
carddav_put(struct crm_ctx *c, const struct dav_target *t)
{
	struct card_write w;
	const char *problem;
	json_t *row;
	int st;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.name = t->name;
	if (!vcard_type(c->body_type))
		return dav_error(c, 415, DAV_NS_CARD, "supported-address-data");
	if (!crm_valid_text(t->name, 1, 200, 0))
		return dav_error(c, 400, DAV_NS, "valid-resource-name");
	if ((row = carddav_find(c, t->name, &st)) == NULL && st != 404)
		return st;
	/* A name of our own form that is not a record this user reaches:
	 * out of scope, or gone; never a new item, or it would later be
	 * read as that record's id. */
	if (row == NULL && id_of_name(t->name) > 0)
		return 404;
	if ((st = dav_preconditions(c, row ? carddav_etag(c, row) : NULL)) != 0)
		return st;
	switch (crm_dav_parse_vcard(c->arena, c->body.data, c->body.len, &w.card)) {
	case CRM_OK:
		break;
	case CRM_ETOOBIG:
		return dav_error(c, 413, DAV_NS_CARD, "max-resource-size");
	default:
		return dav_error(c, 400, DAV_NS_CARD, "valid-address-data");
	}
	if (row == NULL && *w.card.uid) {
		struct crm_db_bind b[6];
		json_t *other = NULL;

		crm_db_bind_str(&b[0], w.card.uid, (size_t)-1);
		crm_auth_bind_scope(c->user, b + 1);
		if (crm_db_row(c->db, STMT_CARD_BY_UID, b, 6, &other) == CRM_OK)
			return dav_error(c, 409, DAV_NS_CARD, "no-uid-conflict");
	}
	w.before = row;
	w.id = row ? num(row, "id") : 0;
	if ((problem = check(&w)) != NULL) {
		crm_log(CRM_LOG_INFO, "dav: card refused: %s", problem);
		return dav_error(c, 422, DAV_NS_CARD, "valid-address-data");
	}
	if (crm_db_tx(c->db, put_tx, &w) != CRM_OK)
		return 500;
	reindex(c, w.id, 0);
	c->content_type = "text/plain; charset=utf-8";
	return w.created ? 201 : 204;
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct card_write *w = arg;
	struct crm_db_bind b[6];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], w->id);
	crm_auth_bind_scope(w->c->user, b + 1);
	if ((e = crm_db_exec(db, STMT_CARD_DELETE, b, 6, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ENOTFOUND;
	crm_db_bind_i64(&b[0], -1);
	if ((e = crm_db_exec(db, STMT_COUNT_ADD, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(w->c, "delete", "contact", w->id, NULL, json_pack("{s:s}", "via", "dav"));
}

int
carddav_delete(struct crm_ctx *c, const struct dav_target *t)
{
	struct card_write w;
	json_t *row;
	int st;
	enum crm_err e;

	memset(&w, 0, sizeof(w));
	w.c = c;
	if ((row = carddav_find(c, t->name, &st)) == NULL)
		return st;
	if ((st = dav_preconditions(c, carddav_etag(c, row))) != 0)
		return st;
	w.id = num(row, "id");
	if ((e = crm_db_tx(c->db, delete_tx, &w)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	reindex(c, w.id, 1);
	c->content_type = "text/plain; charset=utf-8";
	return 204;
}
