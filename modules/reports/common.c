/* What the reports handlers share: navigation, the "done" flash, and the
 * number formats of the charts. */
#include <stdio.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "extern.h"

void
reports_nav(struct crm_ctx *c, const char *current)
{
	json_object_set_new(c->view, "nav_reports", json_true());
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "reports.write")));
	json_object_set_new(c->view, "can_analytics", json_boolean(crm_auth_can(c->user, "reports.analytics")));
	json_object_set_new(c->view, crm_arena_printf(c->arena, "sub_%s", current), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "deleted", N_("The record was deleted.") },
	{ "queued", N_("The analytics run was queued; this page follows its progress.") },
	/* @@done-messages: helpers add theirs here */
	{ "labelled", N_("The label was saved; the next sentiment run learns from it.") },
	{ "unlabelled", N_("The labelled text was removed from the training text.") },
};

void
reports_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

/* Groups thousands with commas: the charts' labels must not depend on
 * the C locale, and both languages read "12,345". */
static const char *
grouped(struct crm_arena *a, double v, int decimals)
{
	char digits[48], out[64];
	const char *p, *dot;
	size_t len, i, o = 0, intlen;

	crm_chart_number(digits, v, decimals);
	p = digits;
	if (*p == '-')
		out[o++] = *p++;
	dot = strchr(p, '.');
	intlen = dot != NULL ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	len = strlen(p + intlen);
	memcpy(out + o, p + intlen, len + 1);
	return crm_arena_strdup(a, out);
}

const char *
reports_format_count(void *arg, struct crm_arena *a, double v)
{
	(void)arg;
	return grouped(a, v, 0);
}

const char *
reports_format_money(void *arg, struct crm_arena *a, double v)
{
	(void)arg;
	return grouped(a, v, 0);
}
