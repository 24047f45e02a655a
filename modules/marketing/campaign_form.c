/* The campaign form: each value checked as the schema stores it (money
 * as exact decimals, dates as calendar dates, the UTM suffix as a query
 * string that tracked links append). */
#include <string.h>

#include "crm_money.h"
#include "crm_valid.h"
#include "campaign_form.h"

const char *const campaign_type_names[] = { "email", "sms", "event", "print", "web", NULL };
static const char *const type_labels[] = { N_("E-mail"), N_("SMS export"), N_("Event"), N_("Print"), N_("Web"), NULL };
const char *const campaign_status_names[] = { "planned", "active", "completed", NULL };
static const char *const status_labels[] = { N_("Planned"), N_("Active"), N_("Completed"), NULL };

static const char *
label_of(struct crm_ctx *c, const char *const *names, const char *const *labels, const char *v)
{
	size_t i;

	for (i = 0; v && names[i]; i++)
		if (strcmp(names[i], v) == 0)
			return crm_ctx_text(c, labels[i]);
	return v ? v : "";
}

const char *
campaign_type_label(struct crm_ctx *c, const char *type)
{
	return label_of(c, campaign_type_names, type_labels, type);
}

const char *
campaign_status_label(struct crm_ctx *c, const char *status)
{
	return label_of(c, campaign_status_names, status_labels, status);
}

static json_t *
choices(struct crm_ctx *c, const char *const *names, const char *const *labels, const char *selected,
    int with_any)
{
	json_t *a = json_array();
	size_t i;

	if (with_any)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", "", "label",
		    crm_ctx_text(c, N_("Any")), "selected", selected == NULL || *selected == '\0'));
	for (i = 0; names[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", names[i], "label",
		    crm_ctx_text(c, labels[i]), "selected", selected && strcmp(selected, names[i]) == 0));
	return a;
}

json_t *
campaign_types(struct crm_ctx *c, const char *selected, int with_any)
{
	return choices(c, campaign_type_names, type_labels, selected, with_any);
}

json_t *
campaign_statuses(struct crm_ctx *c, const char *selected, int with_any)
{
	return choices(c, campaign_status_names, status_labels, selected, with_any);
}

/* "utm_source=print&utm_medium=flyer": what may follow a '?' or '&'
 * without escaping, and nothing that could end the address. */
static int
valid_utm(const char *s)
{
	size_t i;

	if (!crm_valid_text(s, 0, 300, 0) || *s == '&' || *s == '?')
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("_-.~=&%+", s[i])))
			return 0;
	return 1;
}

static int
valid_currency(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	    s[2] >= 'A' && s[2] <= 'Z';
}

void
campaign_form_read(struct crm_ctx *c, struct campaign_form *f)
{
	memset(f, 0, sizeof(*f));
	f->name = crm_ctx_form_str(c, "name");
	f->type = crm_ctx_form_str(c, "type");
	f->objective = crm_ctx_form_str(c, "objective");
	f->starts_on = crm_ctx_form_str(c, "starts_on");
	f->ends_on = crm_ctx_form_str(c, "ends_on");
	f->currency = crm_ctx_form_str(c, "currency");
	f->budget = crm_ctx_form_str(c, "budget");
	f->actual_cost = crm_ctx_form_str(c, "actual_cost");
	f->attribution_days = crm_ctx_form_str(c, "attribution_days");
	f->utm_suffix = crm_ctx_form_str(c, "utm_suffix");
	if (*f->budget == '\0')
		f->budget = "0";
	if (*f->actual_cost == '\0')
		f->actual_cost = "0";
	if (*f->attribution_days == '\0')
		f->attribution_days = "90";
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_oneof(f->type, campaign_type_names))
		crm_ctx_field_error(c, "type", N_("Choose a campaign type."));
	if (!crm_valid_text(f->objective, 0, 5000, 1))
		crm_ctx_field_error(c, "objective", N_("Keep the objective under 5000 characters."));
	if (*f->starts_on != '\0' && !crm_valid_date(f->starts_on))
		crm_ctx_field_error(c, "starts_on", N_("Enter a date such as 2026-12-01."));
	if (*f->ends_on != '\0' && !crm_valid_date(f->ends_on))
		crm_ctx_field_error(c, "ends_on", N_("Enter a date such as 2026-12-01."));
	else if (*f->ends_on != '\0' && *f->starts_on != '\0' && strcmp(f->ends_on, f->starts_on) < 0)
		crm_ctx_field_error(c, "ends_on", N_("The campaign cannot end before it starts."));
	if (!valid_currency(f->currency))
		crm_ctx_field_error(c, "currency", N_("Enter a three-letter currency code such as EUR."));
	if (crm_money_parse(f->budget, &f->budget_cents) != 0 || f->budget_cents < 0)
		crm_ctx_field_error(c, "budget", N_("Enter an amount such as 5000 or 1250.50."));
	if (crm_money_parse(f->actual_cost, &f->cost_cents) != 0 || f->cost_cents < 0)
		crm_ctx_field_error(c, "actual_cost", N_("Enter an amount such as 5000 or 1250.50."));
	if (crm_decimal_parse(f->attribution_days, 0, 4, &f->days) != 0 || f->days < 1 || f->days > 3650)
		crm_ctx_field_error(c, "attribution_days", N_("Enter a number of days from 1 to 3650."));
	if (!valid_utm(f->utm_suffix))
		crm_ctx_field_error(c, "utm_suffix",
		    N_("Enter query parameters such as utm_source=print&utm_medium=flyer, without spaces."));
}

json_t *
campaign_form_json(const struct campaign_form *f)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", f->name, "type", f->type,
	    "objective", f->objective, "starts_on", f->starts_on, "ends_on", f->ends_on, "currency", f->currency,
	    "budget", f->budget, "actual_cost", f->actual_cost, "attribution_days", f->attribution_days,
	    "utm_suffix", f->utm_suffix);
}
