/* The footer's language picker: a cookie for everyone, and for a
 * signed-in user their saved language too, so every device follows. */
#include <string.h>

#include "crm_audit.h"
#include "extern.h"

struct switch_lang {
	struct crm_ctx *c;
	const char *lang;
};

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct switch_lang *s = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_str(&b[0], s->lang, (size_t)-1);
	crm_db_bind_i64(&b[1], s->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_USER_SET_LANGUAGE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, "update", "user", s->c->user->user_id,
	    json_pack("{s:s}", "language", s->c->user->language),
	    json_pack("{s:s}", "language", s->lang));
}

int
admin_language(struct crm_ctx *c)
{
	struct switch_lang s = { c, NULL };
	const char *want = crm_ctx_form(c, "lang");
	size_t i;

	for (i = 0; want && i < c->w->nlangs; i++)
		if (strcmp(want, c->w->langs[i]) == 0)
			s.lang = c->w->langs[i];
	if (s.lang == NULL)
		return crm_ctx_fail(c, 422, N_("There is no such language."));
	crm_ctx_cookie(c, "crm_lang", s.lang, 365L * 24 * 3600);
	if (c->user != NULL && c->user->second_factor_ok && c->user->token_id == 0 &&
	    strcmp(c->user->language, s.lang) != 0 && crm_db_tx(c->db, save_tx, &s) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, admin_safe_next(crm_ctx_form(c, "back")));
}
