/* The settings table (Admin -> Settings): one value by name. */
#ifndef CRM_SETTING_H
#define CRM_SETTING_H

#include "crm_arena.h"
#include "crm_db.h"

/* The setting's value copied into arena, or fallback when it is not set
 * or cannot be read. Takes the connection, not a request, so a job
 * runner reads settings the same way as a page. */
const char *crm_setting(struct crm_db *, struct crm_arena *, const char *name, const char *fallback);

#endif
