/* The settings table (Admin -> Settings): one value by name. */
#ifndef CRM_SETTING_H
#define CRM_SETTING_H

#include "crm_arena.h"
#include "crm_db.h"

/* The setting's value copied into arena, or fallback when it is not set
 * or cannot be read. Takes the connection, not a request, so a job
 * runner reads settings the same way as a page. */
const char *crm_setting(struct crm_db *, struct crm_arena *, const char *name, const char *fallback);
/* The public_url setting (the migration's http://127.0.0.1:8080 when it
 * cannot be read) without its trailing slashes, then path ("/sales/q/x"):
 * the absolute address of a link printed in mail, on paper or in a QR code. */
const char *crm_public_url(struct crm_db *, struct crm_arena *, const char *path);

#endif
