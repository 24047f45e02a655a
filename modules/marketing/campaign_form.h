/* The campaign form, shared by create and edit (campaigns.c) and the
 * campaign page (campaign_show.c): reading, checking, and the choices. */
#ifndef MARKETING_CAMPAIGN_FORM_H
#define MARKETING_CAMPAIGN_FORM_H

#include "extern.h"

struct campaign_form {
	const char *name, *type, *objective, *starts_on, *ends_on, *currency, *budget, *actual_cost,
	    *attribution_days, *utm_suffix;
	long long budget_cents, cost_cents, days;
};

/* Reads the posted form; each bad value becomes a field error. */
void campaign_form_read(struct crm_ctx *, struct campaign_form *);
/* What was typed, to show the form again. */
json_t *campaign_form_json(const struct campaign_form *);
/* The type and status choices with their labels, the current one selected. */
json_t *campaign_types(struct crm_ctx *, const char *selected, int with_any);
json_t *campaign_statuses(struct crm_ctx *, const char *selected, int with_any);
const char *campaign_type_label(struct crm_ctx *, const char *type);
const char *campaign_status_label(struct crm_ctx *, const char *status);
/* Each row's type and status in the reader's language. */
void campaign_rows_text(struct crm_ctx *, json_t *rows);
extern const char *const campaign_type_names[];
extern const char *const campaign_status_names[];

#endif
