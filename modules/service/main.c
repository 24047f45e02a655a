/* crm-service: tickets and their queues, SLAs on business hours, the
 * customer's status link and survey, the knowledge base, outgoing mail.
 * One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
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

	/* sla: calendars, policies, breaches */

	/* public: the customer's form, status link, survey, satisfaction */

	/* kb: the knowledge base */

	/* mail: the outgoing queue */
};

static const struct crm_module module = {
	"service", routes, CRM_NELEM(routes), service_stmts, STMT__MAX, NULL, NULL,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
