/* A view as JSON text, compact, byte for byte what jansson's
 * json_dumps(v, JSON_COMPACT) gives. jansson's own dump took seven in ten
 * of a worker's instructions on a JSON API list (a loop check formatted
 * with snprintf for every object, a callback for every token, UTF-8
 * decoded again for every character); this walks the view once and copies
 * runs of plain bytes whole. */
#ifndef CRM_JSON_WRITE_H
#define CRM_JSON_WRITE_H

#include <jansson.h>

#include "crm_buf.h"

/* Appends v to out. Strings are written as they are held: jansson checked
 * their UTF-8 when they were made. */
void crm_json_write(struct crm_buf *out, const json_t *v);

#endif
