/* What the service handlers share: scope binds, navigation, the "done"
 * flash, settings, form values and loading one record. */
#include <string.h>

#include "crm_auth.h"
#include "extern.h"

void
service_bind_scope(struct crm_ctx *c, struct crm_db_bind *b)
{
	crm_auth_bind_scope(c->user, b);
}

void
service_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "service");
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "service.write")));
	json_object_set_new(c->view, "can_settings", json_boolean(crm_auth_can(c->user, "admin.settings")));
	json_object_set_new(c->view, crm_arena_printf(c->arena, "sub_%s", current), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },

	/* tickets */
	{ "reassigned", N_("The ticket was reassigned.") },
	{ "replied", N_("Your reply was added.") },
	{ "noted", N_("Your internal note was added.") },

	/* sla */
	{ "recalc_queued", N_("The open tickets' due times are being recalculated in the background; this page shows how far it is.") },

	/* public */
	{ "replied", N_("Your reply was sent.") },
	{ "link_revoked", N_("The status link was revoked: it opens nothing now.") },
	{ "link_new", N_("A new status link was issued; the old one opens nothing now.") },
	{ "survey_sent", N_("A new survey link was issued.") },

	/* kb */
	{ "published", N_("The article was published.") },
	{ "category", N_("The category was added.") },

	/* mail */
	{ "mail_queued", N_("The test message was queued.") },
	{ "mail_retry", N_("The message will be sent again.") },
};

void
service_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

json_t *
service_load(struct crm_ctx *c, size_t stmt, long long id, int scoped, int *status)
{
	return crm_ctx_record(c, stmt, id, scoped, status);
}
