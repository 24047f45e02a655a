/* crm-service: tickets and their queues, SLAs on business hours, the
 * customer's status link and survey, the knowledge base, outgoing mail.
 * One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/service/health", CRM_PERM_PUBLIC, crm_health, NULL },
	/* Ticket categories: categories.c */
	{ "GET", "/service/categories", "service.read", service_categories, "service/categories" },
	{ "POST", "/service/categories", "admin.settings", service_category_create, "service/categories" },
	{ "POST", "/service/categories/:id", "admin.settings", service_category_update, "service/categories" },

	/* tickets: tickets*.c, queues, attachments, assignment rules */
	{ "GET", "/service", "service.read", service_queues, "service/queues" },
	{ "GET", "/service/tickets/new", "service.write", service_ticket_new, "service/ticket_form" },
	{ "POST", "/service/tickets", "service.write", service_ticket_create, "service/ticket_form" },
	{ "GET", "/service/tickets/:id", "service.read", service_ticket_show, "service/ticket" },
	{ "GET", "/service/tickets/:id/edit", "service.write", service_ticket_edit, "service/ticket_form" },
	{ "POST", "/service/tickets/:id", "service.write", service_ticket_update, "service/ticket_form" },
	{ "POST", "/service/tickets/:id/reassign", "service.write", service_ticket_reassign, "service/ticket" },
	{ "POST", "/service/tickets/:id/messages", "service.write", service_ticket_message, "service/ticket" },
	{ "GET", "/service/attachments/:id", "service.read", service_attachment, NULL },
	{ "GET", "/service/lookup/contacts", "service.read", service_lookup_contacts, NULL },
	{ "GET", "/service/rules", "admin.settings", service_rules, "service/ticket_rules" },
	{ "POST", "/service/rules", "admin.settings", service_rule_create, "service/ticket_rules" },
	{ "POST", "/service/rules/:id", "admin.settings", service_rule_update, "service/ticket_rules" },

	/* sla: calendars, policies, breaches: sla*.c */
	{ "GET", "/service/sla", "admin.settings", service_sla, "service/sla" },
	{ "POST", "/service/sla/policies/:id", "admin.settings", service_sla_policy_update, "service/sla" },
	{ "POST", "/service/sla/calendars", "admin.settings", service_sla_calendar_create, "service/sla" },
	{ "GET", "/service/sla/calendars/:id", "admin.settings", service_sla_calendar, "service/sla_calendar" },
	{ "POST", "/service/sla/calendars/:id", "admin.settings", service_sla_calendar_update, "service/sla_calendar" },
	{ "POST", "/service/sla/calendars/:id/holidays", "admin.settings", service_sla_holiday_add, "service/sla_calendar" },
	{ "POST", "/service/sla/calendars/:id/holidays/delete", "admin.settings", service_sla_holiday_delete, "service/sla_calendar" },
	{ "POST", "/service/sla/recalculate", "admin.settings", service_sla_recalculate, "service/sla" },
	{ "GET", "/service/sla/breaches", "service.read", service_sla_breach_report, "service/sla_breaches" },
	{ "GET", "/service/sla/tickets/:id", "service.read", service_sla_ticket, "service/sla_ticket" },

	/* public: the customer's form, status link, survey, satisfaction */
	/* The form is our own page: its POST carries the form token
	 * (public_form.c says what else protects it). */
	{ "GET", "/service/new", CRM_PERM_PUBLIC, service_public_new, "service/public_new" },
	{ "POST", "/service/new", CRM_PERM_PUBLIC, service_public_create, "service/public_new" },
	{ "GET", "/service/t/:token", CRM_PERM_PUBLIC, service_public_status, "service/public_status" },
	{ "POST", "/service/t/:token/reply", CRM_PERM_PUBLIC, service_public_reply, "service/public_status" },
	{ "GET", "/service/t/:token/qr.svg", CRM_PERM_PUBLIC, service_public_qr, NULL },
	{ "GET", "/service/t/:token/files/:id", CRM_PERM_PUBLIC, service_public_file, NULL },
	{ "GET", "/service/tickets/:id/slip", "service.read", service_ticket_slip, "service/slip" },
	{ "POST", "/service/tickets/:id/link/revoke", "service.write", service_link_revoke, NULL },
	{ "POST", "/service/tickets/:id/link/new", "service.write", service_link_new, NULL },
	{ "POST", "/service/tickets/:id/survey", "service.write", service_survey_send, NULL },
	{ "GET", "/service/s/:token", CRM_PERM_PUBLIC, service_survey, "service/public_survey" },
	{ "POST", "/service/s/:token", CRM_PERM_PUBLIC, service_survey_answer, "service/public_survey" },
	{ "GET", "/service/satisfaction", "service.read", service_satisfaction, "service/satisfaction" },

	/* kb: the knowledge base */
	{ "GET", "/service/kb", "service.read", service_kb_list, "service/kb" },
	{ "POST", "/service/kb", "service.write", service_kb_create, "service/kb_form" },
	{ "GET", "/service/kb/new", "service.write", service_kb_new, "service/kb_form" },
	{ "GET", "/service/kb/search", "service.read", service_kb_search, "service/kb_search" },
	{ "GET", "/service/kb/suggest", "service.read", service_kb_suggest_page, NULL },
	{ "POST", "/service/kb/categories", "service.write", service_kb_category_create, "service/kb" },
	{ "GET", "/service/kb/:id", "service.read", service_kb_show, "service/kb_show" },
	{ "GET", "/service/kb/:id/edit", "service.write", service_kb_edit, "service/kb_form" },
	{ "POST", "/service/kb/:id", "service.write", service_kb_update, "service/kb_form" },
	{ "GET", "/service/help", CRM_PERM_PUBLIC, service_help_list, "service/help" },
	{ "GET", "/service/help/:id", CRM_PERM_PUBLIC, service_help_show, "service/help_show" },

	/* mail: the outgoing queue: mail.c, mail_jobs.c */
	{ "GET", "/service/mail", "admin.settings", service_mail, "service/mail" },
	{ "POST", "/service/mail", "admin.settings", service_mail_test, "service/mail" },
	{ "POST", "/service/mail/:id/retry", "admin.settings", service_mail_retry, "service/mail" },
};

static const struct crm_module module = {
	"service", routes, CRM_NELEM(routes), service_stmts, STMT__MAX,
	service_command, SERVICE_COMMAND_USAGE,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
