/* What the automation handlers share: navigation and the "done" flash. */
#include "crm_auth.h"
#include "crm_i18n.h"
#include "extern.h"

void
automation_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "admin");
	json_object_set_new(c->view, "can_rules", json_boolean(crm_auth_can(c->user, "automation.rules")));
	json_object_set_new(c->view, "can_webhooks", json_boolean(crm_auth_can(c->user, "automation.webhooks")));
	json_object_set_new(c->view, "can_mail", json_boolean(crm_auth_can(c->user, "automation.mail")));
	json_object_set_new(c->view, crm_arena_printf(c->arena, "sub_%s", current), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "deleted", N_("The record was deleted.") },
	/* @@done-rules */
	{ "rule_enabled", N_("The rule is on.") },
	{ "rule_disabled", N_("The rule is off: it does nothing until it is switched on again.") },
	/* @@done-webhooks */
	{ "pinged", N_("A test delivery was queued: it goes out within seconds.") },
	{ "enabled", N_("The webhook is switched on again.") },
	{ "redelivered", N_("The delivery was queued again.") },
	/* @@done-mail */
	{ "mail_poll", N_("The mailbox will be read within a few seconds.") },
};

void
automation_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}
