/* What the sales handlers share: scope binds, navigation, the "done"
 * flash, settings, money for people, and list paging. */
#include <string.h>

#include "crm_auth.h"
#include "crm_escape.h"
#include "crm_i18n.h"
#include "extern.h"

void
sales_bind_scope(struct crm_ctx *c, struct crm_db_bind *b)
{
	crm_auth_bind_scope(c->user, b);
}

void
sales_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "sales");
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "sales.write")));
	json_object_set_new(c->view, "can_products", json_boolean(crm_auth_can(c->user, "sales.products")));
	json_object_set_new(c->view, "can_approve", json_boolean(crm_auth_can(c->user, "sales.quote.approve")));
	json_object_set_new(c->view, "can_settings", json_boolean(crm_auth_can(c->user, "admin.settings")));
	json_object_set_new(c->view, crm_arena_printf(c->arena, "sub_%s", current), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "price-saved", N_("The price was saved.") },
	{ "price-removed", N_("The price was removed; the list price applies again.") },
	{ "rate-saved", N_("The exchange rate was saved.") },

	/* leads */
	{ "reassigned", N_("The lead was reassigned.") },
	{ "activity-logged", N_("The activity was logged.") },
	{ "converted", N_("The lead was converted.") },
	{ "rule-saved", N_("The rule was saved.") },
	{ "rule-deleted", N_("The rule was deleted.") },

	/* pipelines, opportunities */
	{ "moved", N_("The deal moved to its new stage.") },
	{ "reassigned", N_("The deal has a new owner.") },
	{ "stage-added", N_("The stage was added.") },
	{ "stage-deleted", N_("The stage was deleted.") },

	/* quotes, orders, invoices */
	{ "approval-requested", N_("The quote waits for a manager's approval.") },
	{ "quote-approved", N_("The quote was approved: it can be sent.") },
	{ "quote-rejected", N_("The quote was rejected.") },
	{ "quote-sent", N_("The quote was sent: the customer's link works now.") },
	{ "quote-revised", N_("This is the new version, a draft; the previous one is superseded.") },
	{ "quote-accepted", N_("Thank you: the quote is accepted and your order is confirmed.") },
	{ "quote-declined", N_("The quote was declined. Thank you for letting us know.") },
	{ "order-shipped", N_("The order is marked as shipped.") },
	{ "order-delivered", N_("The order is marked as delivered.") },
	{ "order-cancelled", N_("The order was cancelled.") },

	/* invoices */
	{ "invoice-issued", N_("The invoice was issued.") },
	{ "payment-recorded", N_("The payment was recorded.") },
	{ "payment-removed", N_("The payment was removed.") },

	/* forecast */
	{ "quotas-saved", N_("The quotas were saved.") },
};

void
sales_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

const char *
sales_base_currency(struct crm_ctx *c)
{
	return crm_setting(c->db, c->arena, "base_currency", "USD");
}

const char *
sales_money(struct crm_ctx *c, const char *decimal, const char *currency)
{
	struct crm_buf b;

	if (decimal == NULL)
		return "";
	crm_buf_init(&b, c->arena, 32);
	crm_i18n_format_money(&b, c->lang, decimal, currency);
	return b.data;
}

void
sales_money_text(struct crm_ctx *c, json_t *rows, const char *column, const char *currency)
{
	const char *name = crm_arena_printf(c->arena, "%s_text", column);
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *v = json_string_value(json_object_get(row, column));
		const char *cur = json_string_value(json_object_get(row, currency));

		if (v != NULL)
			json_object_set_new(row, name, json_string(sales_money(c, v, cur ? cur : currency)));
	}
}

json_t *
sales_load(struct crm_ctx *c, size_t stmt, long long id, int scoped, int *status)
{
	return crm_ctx_record(c, stmt, id, scoped, status);
}
