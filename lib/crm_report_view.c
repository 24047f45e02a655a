/* What the forms built on the report catalogue show (crm_report.h): the
 * report builder's filters and a rule's conditions. */
#include "crm_buf.h"
#include "crm_http.h"
#include "crm_report.h"

json_t *
crm_report_choices_view(struct crm_ctx *c, const struct crm_report_entity *e)
{
	json_t *out = json_array();
	const char *const *v;
	struct crm_buf b;
	size_t i;

	for (i = 0; e != NULL && i < e->nfields; i++) {
		if (e->fields[i].choices == NULL)
			continue;
		crm_buf_init(&b, c->arena, 64);
		for (v = e->fields[i].choices; *v; v++)
			crm_buf_printf(&b, "%s%s", v == e->fields[i].choices ? "" : ", ", *v);
		json_array_append_new(out, json_pack("{s:s,s:s}", "label", crm_ctx_text(c, e->fields[i].label),
		    "values", b.data));
	}
	return out;
}
