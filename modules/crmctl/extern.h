/* crmctl: private declarations. */
#ifndef CRMCTL_EXTERN_H
#define CRMCTL_EXTERN_H

#include "crm_conf.h"
#include "crm_db.h"

enum stmt {
	STMT_MIGRATIONS_CREATE,
	STMT_MIGRATIONS_LIST,
	STMT_MIGRATIONS_INSERT,
	STMT_MIGRATE_LOCK,
	STMT_MIGRATE_UNLOCK,
	STMT_USERS_ANY,
	STMT_USER_INSERT,
	STMT_USER_UNLOCK,
	STMT_THROTTLE_CLEAR,
	STMT_AUDIT_PAGE,
	STMT_AUDIT_HEAD,
	STMT_ACCOUNTS_ANY,
	STMT_DEMO_OWNERS,
	STMT_DEMO_ACCOUNT,
	STMT_DEMO_CONTACT,
	STMT_DEMO_ACTIVITY,
	STMT_SEARCH_CLEAR,
	STMT_SEARCH_DROP_INDEX,
	STMT_SEARCH_CONTACTS,
	STMT_SEARCH_ACCOUNTS,
	STMT_SEARCH_INDEX,
	STMT_SEARCH_KB_CLEAR,
	STMT_SEARCH_KB,
	STMT_DEMO_RECOUNT,
	/* demo_sales*.c: the sales area's demo data; a _N statement inserts
	 * DEMO_ROWS rows at once, its _1 twin the rest of a batch. */
	STMT_DEMO_SELLERS,
	STMT_DEMO_TEAM,
	STMT_DEMO_TEAM_ID,
	STMT_DEMO_USER,
	STMT_DEMO_BASE_CURRENCY,
	STMT_DEMO_PRODUCT,
	STMT_DEMO_PRODUCTS,
	STMT_DEMO_BOOK,
	STMT_DEMO_BOOKS,
	STMT_DEMO_PRICE,
	STMT_DEMO_RATE,
	STMT_DEMO_STAGES,
	STMT_DEMO_NEXT_IDS,
	STMT_DEMO_COUNTERS,
	STMT_DEMO_COUNTER_PUT,
	STMT_DEMO_SALES_COUNTERS,
	STMT_DEMO_QUOTA,
	STMT_DEMO_LEAD_1,
	STMT_DEMO_LEAD_N,
	STMT_DEMO_OPP_1,
	STMT_DEMO_OPP_N,
	STMT_DEMO_HISTORY_1,
	STMT_DEMO_HISTORY_N,
	STMT_DEMO_QUOTE_1,
	STMT_DEMO_QUOTE_N,
	STMT_DEMO_QUOTE_LINE_1,
	STMT_DEMO_QUOTE_LINE_N,
	STMT_DEMO_ORDER_1,
	STMT_DEMO_ORDER_N,
	STMT_DEMO_ORDER_LINE_1,
	STMT_DEMO_ORDER_LINE_N,
	STMT_DEMO_INVOICE_1,
	STMT_DEMO_INVOICE_N,
	STMT_DEMO_PAYMENT_1,
	STMT_DEMO_PAYMENT_N,
	STMT_DEMO_SVC_AGENTS,
	STMT_DEMO_SVC_CONTACTS,
	STMT_DEMO_SVC_CATEGORIES,
	STMT_DEMO_SVC_NEXT,
	STMT_DEMO_TICKET_1,
	STMT_DEMO_TICKET_N,
	STMT_DEMO_TMSG_1,
	STMT_DEMO_TMSG_N,
	STMT_DEMO_CSAT_1,
	STMT_DEMO_CSAT_N,
	STMT_DEMO_KB_CATEGORY,
	STMT_DEMO_KB_CATEGORY_ID,
	STMT_DEMO_KB_ARTICLE,
	STMT_DEMO_KB_SEARCH,
	STMT_DEMO_MK_CONTACTS,
	STMT_DEMO_MK_NEXT,
	STMT_DEMO_MK_TEMPLATE,
	STMT_DEMO_MK_SEGMENT,
	STMT_DEMO_MK_LIST,
	STMT_DEMO_MK_LIST_FILL,
	STMT_DEMO_MK_LIST_COUNT,
	STMT_DEMO_MK_CAMPAIGN,
	STMT_DEMO_MK_TARGET_LIST,
	STMT_DEMO_MK_TARGET_SEGMENT,
	STMT_DEMO_MK_TARGETED,
	STMT_DEMO_MK_MEMBERS,
	STMT_DEMO_MK_COUNT,
	STMT_DEMO_MK_SMS_FLAG,
	STMT_DEMO_MK_CONSENTS,
	/* demo_automation.c */
	STMT_DEMO_RULE,
	/* analytics.c */
	/* backup.c, restore.c */
	STMT_BACKUP_TABLES,
	STMT_BACKUP_LEVEL,
	STMT_RESTORE_OBJECTS,
	/* demo.c, demo_sales.c: the accounts to pick from */
	STMT_DEMO_ACCOUNT_PAGE,
	STMT__MAX
};

extern const char *const crmctl_stmts[STMT__MAX];

/* A command gets its arguments after its name and returns an exit status. */
int crmctl_migrate(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_user(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_audit(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_demo(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_search(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_search_rebuild(struct crm_db *);
int crmctl_backup(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_restore(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_analytics(struct crm_db *, const struct crm_conf *, int argc, char **argv);
/* Runs the named analytics steps (lib/crm_analytics.h; NULL: all of them)
 * as one recorded run, printing each step's outcome. 0, or 1 when a step
 * failed (its old results stay). */
int crmctl_analytics_run(struct crm_db *, const char *steps);
/* demo_sales.c: the sales demo after the accounts (argv as crmctl demo's). */
int crmctl_demo_sales(struct crm_db *, int argc, char **argv);

#endif
