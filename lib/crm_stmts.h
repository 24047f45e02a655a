/* The statements libcrm itself runs (sessions, API tokens, audit), in the
 * same manner as a module's stmts.c. Their ids start at CRM_STMT_LIB so
 * they share crm_db's calls with the module's own. */
#ifndef CRM_STMTS_H
#define CRM_STMTS_H

#define CRM_STMT_LIB 100000

enum crm_lib_stmt {
	CRM_STMT_SESSION_GET = CRM_STMT_LIB,
	CRM_STMT_SESSION_TOUCH,
	CRM_STMT_SESSION_INSERT,
	CRM_STMT_SESSION_END,
	CRM_STMT_SESSION_END_USER,
	CRM_STMT_SESSION_SECOND_FACTOR,
	CRM_STMT_TOKEN_GET,
	CRM_STMT_TOKEN_TOUCH,
	CRM_STMT_AUDIT_HEAD_LOCK,
	CRM_STMT_AUDIT_INSERT,
	CRM_STMT_AUDIT_HEAD_SET,
	CRM_STMT_AUDIT_OF,
	CRM_STMT_SETTING,
	CRM_STMT_TAGS_CLEAR,
	CRM_STMT_TAG_ENSURE,
	CRM_STMT_TAG_LINK,
	CRM_STMT_ROLE_RULES,
	CRM_STMT_HEALTH,
	CRM_STMT__END
};

#define CRM_LIB_STMT__MAX (CRM_STMT__END - CRM_STMT_LIB)

extern const char *const crm_lib_stmts[CRM_LIB_STMT__MAX];

#endif
