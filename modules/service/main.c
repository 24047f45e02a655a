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
