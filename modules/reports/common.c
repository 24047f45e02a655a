/* What the reports handlers share: navigation, the "done" flash, and the
 * number formats of the charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_buf.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "extern.h"

void
reports_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "reports");
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

/* Whole figures grouped by crm_i18n's rule ("12,345"): the charts' labels
 * must not depend on the C locale. Beyond CRM_CHART_MAX_VALUE, or not a
 * number, as crm_chart_number would draw it. */
const char *
reports_format_count(void *arg, struct crm_arena *a, double v)
{
	struct crm_buf b;

	(void)arg;
	if (!isfinite(v))
		v = 0;
	v = fmax(fmin(v, CRM_CHART_MAX_VALUE), -CRM_CHART_MAX_VALUE);
	crm_buf_init(&b, a, 32);
	crm_i18n_format_int(&b, "en", llround(v));
	return b.data;
}

/* Money on a dashboard is read in whole units of the base currency. */
const char *
reports_format_money(void *arg, struct crm_arena *a, double v)
{
	return reports_format_count(arg, a, v);
}
