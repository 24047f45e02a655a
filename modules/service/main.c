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

	/* sla: calendars, policies, breaches */

	/* public: the customer's form, status link, survey, satisfaction */

	/* kb: the knowledge base */

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
