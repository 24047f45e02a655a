/* What the campaign screens share: loading one campaign in the reader's
 * scope, and money in the reader's language. */
#include <string.h>

#include "crm_money.h"
#include "extern.h"

json_t *
marketing_campaign_load(struct crm_ctx *c, long long id, int *status)
{
	return marketing_load(c, STMT_CAMPAIGN_GET, id, 1, status);
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
