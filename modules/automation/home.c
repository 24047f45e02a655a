/* The automation home page: how far each consumer of the event stream
 * has read, and when each part of the job runner last finished a pass. A
 * part that stopped, or a cursor far behind, is what an admin looks for. */
#include <string.h>

#include "crm_i18n.h"
#include "extern.h"

/* A part that has not ticked for this long is shown as stopped. */
#define STALE_SECONDS 300

static json_t *
part_row(struct crm_ctx *c, const struct automation_part *p, json_t *ticks)
{
	json_t *row = json_pack("{s:s,s:s}", "name", p->name, "what", crm_ctx_text(c, p->what));
	json_t *t;
	size_t i;

	json_array_foreach(ticks, i, t) {
		if (strcmp(json_string_value(json_object_get(t, "name")), p->name) != 0)
			continue;
		json_object_update(row, t);
		json_object_set_new(row, "stale", json_boolean(
		    json_integer_value(json_object_get(t, "seconds_ago")) > STALE_SECONDS));
		return row;
	}
	json_object_set_new(row, "never", json_true());
	return row;
}

int
automation_home(struct crm_ctx *c)
{
	json_t *cursors = NULL, *ticks = NULL, *parts = json_array();
	const struct automation_part *p;

	automation_nav(c, "home");
	automation_flash(c);
	if (crm_db_rows(c->db, STMT_HOME_CURSORS, NULL, 0, &cursors) != CRM_OK ||
	    crm_db_rows(c->db, STMT_HOME_TICKS, NULL, 0, &ticks) != CRM_OK) {
		json_decref(cursors);
		json_decref(ticks);
		json_decref(parts);
		return 500;
	}
	for (p = automation_parts; p->name != NULL; p++)
		json_array_append_new(parts, part_row(c, p, ticks));
	json_decref(ticks);
	json_object_set_new(c->view, "cursors", cursors);
	json_object_set_new(c->view, "parts", parts);
	json_object_set_new(c->view, "stale_minutes", json_integer(STALE_SECONDS / 60));
	return 200;
}
