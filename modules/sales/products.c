/* Products: the catalogue quotes and deals sell from. A product is
 * never deleted, since lines of past quotes and orders point at it;
 * making it inactive takes it out of the pickers. SKUs are unique. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const statuses[] = { "active", "inactive", "all", NULL };
static const char *const status_labels[] = { N_("Active"), N_("Inactive"), N_("All"), NULL };

/* The form, read and checked; errors go into the view. */
struct product_form {
	const char *sku, *name, *description, *category, *unit, *list_price, *tax_rate;
	long long price_cents, tax_bp;
	int active;
};

static int
valid_sku(const char *s)
{
	size_t i;

	if (!crm_valid_text(s, 1, 64, 0))
		return 0;
	for (i = 0; s[i]; i++)
		if (s[i] == ' ' || s[i] == ',')
			return 0;
	return 1;
}

static void
read_form(struct crm_ctx *c, struct product_form *f)
{
	memset(f, 0, sizeof(*f));
	f->sku = crm_ctx_form_str(c, "sku");
	f->name = crm_ctx_form_str(c, "name");
	f->description = crm_ctx_form_str(c, "description");
	f->category = crm_ctx_form_str(c, "category");
	f->unit = crm_ctx_form_str(c, "unit");
	f->list_price = crm_ctx_form_str(c, "list_price");
	f->tax_rate = crm_ctx_form_str(c, "tax_rate");
	if (*f->tax_rate == '\0')
		f->tax_rate = "0";
	if (*f->unit == '\0')
		f->unit = "each";
	f->active = crm_ctx_form(c, "active") != NULL;
	if (!valid_sku(f->sku))
		crm_ctx_field_error(c, "sku", N_("Enter a SKU of up to 64 characters, without spaces or commas."));
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_text(f->description, 0, 5000, 1))
		crm_ctx_field_error(c, "description", N_("Keep the description under 5000 characters."));
	if (!crm_valid_text(f->category, 0, 100, 0))
		crm_ctx_field_error(c, "category", N_("Keep the category under 100 characters."));
	if (!crm_valid_text(f->unit, 1, 32, 0))
		crm_ctx_field_error(c, "unit", N_("Enter a unit of up to 32 characters, such as each, hour or kg."));
	if (crm_money_parse(f->list_price, &f->price_cents) != 0 || f->price_cents < 0)
		crm_ctx_field_error(c, "list_price", N_("Enter a price such as 1250 or 19.99."));
	if (crm_decimal_parse(f->tax_rate, CRM_PERCENT_SCALE, 5, &f->tax_bp) != 0 || f->tax_bp < 0 ||
	    f->tax_bp > 10000)
		crm_ctx_field_error(c, "tax_rate", N_("Enter a tax rate from 0 to 100 percent, such as 7.5."));
}

static json_t *
form_json(const struct product_form *f)
{
	char price[CRM_DECIMAL_MAX], tax[CRM_DECIMAL_MAX];

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "sku", f->sku, "name", f->name,
	    "description", f->description, "category", f->category, "unit", f->unit,
	    "list_price", crm_money_format(price, f->price_cents),
	    "tax_rate", crm_decimal_format(tax, f->tax_bp, CRM_PERCENT_SCALE), "active", f->active);
}

/* The same form shown again: what was typed, not what is stored. */
static json_t *
typed_json(const struct product_form *f)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "sku", f->sku, "name", f->name,
	    "description", f->description, "category", f->category, "unit", f->unit,
	    "list_price", f->list_price, "tax_rate", f->tax_rate, "active", f->active);
}

/* The categories in use, for the filter and the form's suggestions. */
static void
categories(struct crm_ctx *c, const char *selected)
{
	json_t *rows = NULL, *row;
	size_t i;

	if (crm_db_rows(c->db, STMT_PRODUCT_CATEGORIES, NULL, 0, &rows) != CRM_OK)
		return;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "selected", json_boolean(selected && strcmp(selected,
		    json_string_value(json_object_get(row, "category"))) == 0));
	json_object_set_new(c->view, "categories", rows);
}

int
sales_products(struct crm_ctx *c)
{
	const char *q = crm_ctx_query_str(c, "q"), *category = crm_ctx_query_str(c, "category");
	const char *status = crm_ctx_query_str(c, "status"), *after = crm_ctx_query_str(c, "after");
	static const char *const keep[] = { "q", "category", "status", NULL };
	struct crm_db_bind b[10];
	long long after_id = 0;
	json_t *rows = NULL, *opts = json_array();
	size_t i;

	if (*status == '\0')
		status = "active";
	if (!crm_valid_text(q, 0, 100, 0) || !crm_valid_text(category, 0, 100, 0) ||
	    !crm_valid_oneof(status, statuses) || !crm_valid_text(after, 0, 200, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], q, (size_t)-1);
	crm_db_bind_str(&b[1], q, (size_t)-1);
	crm_db_bind_str(&b[2], q, (size_t)-1);
	crm_db_bind_str(&b[3], category, (size_t)-1);
	crm_db_bind_str(&b[4], category, (size_t)-1);
	crm_db_bind_str(&b[5], status, (size_t)-1);
	crm_db_bind_str(&b[6], status, (size_t)-1);
	crm_db_bind_str(&b[7], after, (size_t)-1);
	crm_db_bind_str(&b[8], after, (size_t)-1);
	crm_db_bind_i64(&b[9], after_id);
	if (crm_db_rows(c->db, STMT_PRODUCTS, b, 10, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/products", "name", keep);
	sales_money_text(c, rows, "list_price", sales_base_currency(c));
	json_object_set_new(c->view, "products", rows);
	for (i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
		    "label", crm_ctx_text(c, status_labels[i]), "selected", strcmp(statuses[i], status) == 0));
	json_object_set_new(c->view, "statuses", opts);
	json_object_set_new(c->view, "q", json_string(q));
	json_object_set_new(c->view, "category", json_string(category));
	categories(c, category);
	sales_nav(c, "products");
	sales_flash(c);
	return 200;
}

static int
form_page(struct crm_ctx *c, json_t *product)
{
	json_object_set_new(c->view, "product", product);
	json_object_set_new(c->view, "currency", json_string(sales_base_currency(c)));
	categories(c, NULL);
	sales_nav(c, "products");
	return 200;
}

int
sales_product_new(struct crm_ctx *c)
{
	return form_page(c, json_pack("{s:s,s:s,s:b}", "unit", "each", "tax_rate", "0.00", "active", 1));
}

struct change {
	struct crm_ctx *c;
	struct product_form f;
	long long id;
	json_t *before;
};

/* The decimals are formatted into the arena: a bind keeps a pointer. */
static void
bind_form(struct crm_ctx *c, const struct product_form *f, struct crm_db_bind *b)
{
	char price[CRM_DECIMAL_MAX], tax[CRM_DECIMAL_MAX];

	crm_db_bind_str(&b[0], f->sku, (size_t)-1);
	crm_db_bind_str(&b[1], f->name, (size_t)-1);
	crm_db_bind_str(&b[2], f->description, (size_t)-1);
	crm_db_bind_str(&b[3], f->category, (size_t)-1);
	crm_db_bind_str(&b[4], f->unit, (size_t)-1);
	crm_db_bind_str(&b[5], crm_arena_strdup(c->arena, crm_money_format(price, f->price_cents)),
	    (size_t)-1);
	crm_db_bind_str(&b[6], crm_arena_strdup(c->arena, crm_decimal_format(tax, f->tax_bp,
	    CRM_PERCENT_SCALE)), (size_t)-1);
	crm_db_bind_i64(&b[7], f->active);
}

static enum crm_err
sku_free(struct change *ch)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->f.sku, (size_t)-1);
	crm_db_bind_i64(&b[1], ch->id);
	e = crm_db_row(ch->c->db, STMT_PRODUCT_BY_SKU, b, 2, &row);
	if (e == CRM_ENOTFOUND)
		return CRM_OK;
	return e == CRM_OK ? CRM_ECONFLICT : e;
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[8];
	uint64_t id = 0;
	enum crm_err e;

	if ((e = sku_free(ch)) != CRM_OK)
		return e;
	bind_form(ch->c, &ch->f, b);
	if ((e = crm_db_exec(db, STMT_PRODUCT_CREATE, b, 8, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "product", ch->id, NULL, form_json(&ch->f));
}

int
sales_product_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	read_form(c, &ch.f);
	if (crm_ctx_has_errors(c)) {
		form_page(c, typed_json(&ch.f));
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "sku", N_("Another product has this SKU."));
		form_page(c, typed_json(&ch.f));
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/products/%lld?done=created", ch.id));
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_PRODUCT_GET, id, 0, status);
}

static int
product_page(struct crm_ctx *c, long long id, json_t *product, json_t *typed)
{
	struct crm_db_bind b[1];
	json_t *prices = NULL, *history = NULL, *one;
	size_t i;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_PRODUCT_PRICES, b, 1, &prices) != CRM_OK)
		return 500;
	json_array_foreach(prices, i, one)
		if (json_is_string(json_object_get(one, "price")))
			json_object_set_new(one, "price_text", json_string(sales_money(c,
			    json_string_value(json_object_get(one, "price")),
			    json_string_value(json_object_get(one, "currency")))));
	json_object_set_new(product, "list_price_text", json_string(sales_money(c,
	    json_string_value(json_object_get(product, "list_price")), sales_base_currency(c))));
	json_object_set_new(product, "prices", prices);
	json_object_set_new(c->view, "product", product);
	json_object_set_new(c->view, "form", typed ? typed : json_deep_copy(product));
	json_object_set_new(c->view, "currency", json_string(sales_base_currency(c)));
	if (crm_ctx_history(c, "product", NULL, id, &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	categories(c, NULL);
	sales_nav(c, "products");
	sales_flash(c);
	return 200;
}

int
sales_product_show(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *p = load(c, id, &status);

	return p ? product_page(c, id, p, NULL) : status;
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[9];
	json_t *before;
	enum crm_err e;

	if ((e = sku_free(ch)) != CRM_OK)
		return e;
	bind_form(ch->c, &ch->f, b);
	crm_db_bind_i64(&b[8], ch->id);
	if ((e = crm_db_exec(db, STMT_PRODUCT_UPDATE, b, 9, NULL, NULL)) != CRM_OK)
		return e;
	before = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
	    "sku", json_object_get(ch->before, "sku"), "name", json_object_get(ch->before, "name"),
	    "description", json_object_get(ch->before, "description"),
	    "category", json_object_get(ch->before, "category"), "unit", json_object_get(ch->before, "unit"),
	    "list_price", json_object_get(ch->before, "list_price"),
	    "tax_rate", json_object_get(ch->before, "tax_rate"), "active", json_object_get(ch->before, "active"));
	return crm_ctx_audit(ch->c, "update", "product", ch->id, before, form_json(&ch->f));
}

int
sales_product_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	read_form(c, &ch.f);
	if (crm_ctx_has_errors(c)) {
		if ((status = product_page(c, ch.id, ch.before, typed_json(&ch.f))) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "sku", N_("Another product has this SKU."));
		if ((status = product_page(c, ch.id, ch.before, typed_json(&ch.f))) != 200)
			return status;
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/products/%lld?done=saved", ch.id));
}
