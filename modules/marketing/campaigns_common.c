/* What the campaign screens share: loading one campaign in the reader's
 * scope, the next page's link, and money in the reader's language. */
#include <string.h>

#include "crm_escape.h"
#include "crm_money.h"
#include "extern.h"

json_t *
marketing_campaign_load(struct crm_ctx *c, long long id, int *status)
{
	return marketing_load(c, STMT_CAMPAIGN_GET, id, 1, status);
}

/* Pages run by id (newest first for campaigns, by contact for members):
 * the 51st row only says there is more. */
void
marketing_campaign_next_page(struct crm_ctx *c, json_t *rows, const char *path, const char *const *keep)
{
	struct crm_buf url;
	char sep = '?';
	size_t i;

	if (json_array_size(rows) <= 50)
		return;
	crm_buf_init(&url, c->arena, 128);
	crm_buf_puts(&url, path);
	for (i = 0; keep && keep[i]; i++) {
		const char *v = crm_ctx_query(c, keep[i]);

		if (v == NULL || *v == '\0')
			continue;
		crm_buf_printf(&url, "%c%s=", sep, keep[i]);
		crm_escape_url_arg(&url, v, strlen(v));
		sep = '&';
	}
	crm_buf_printf(&url, "%cafter_id=%lld", sep,
	    (long long)json_integer_value(json_object_get(json_array_get(rows, 49), "id")));
	json_object_set_new(c->view, "next_url", json_string(url.data));
	json_array_remove(rows, 50);
}

const char *
marketing_campaign_money(struct crm_ctx *c, long long cents, const char *currency)
{
	char dec[CRM_DECIMAL_MAX];
	struct crm_buf b;

	crm_buf_init(&b, c->arena, 32);
	crm_i18n_format_money(&b, c->lang, crm_money_format(dec, cents), currency);
	return b.data;
}

const char *
marketing_campaign_base_currency(struct crm_ctx *c)
{
	return crm_setting(c->db, c->arena, "base_currency", "USD");
}
