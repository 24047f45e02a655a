/* A ticket's page: the ticket, its thread with each message's files, the
 * reply and reassign forms and its history; reassigning; the contact
 * picker's lookup. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

void
service_thread_files(json_t *messages, json_t *files)
{
	json_t *m, *f;
	size_t i, k;

	json_array_foreach(messages, i, m) {
		json_t *mine = json_array();
		json_int_t id = json_integer_value(json_object_get(m, "id"));
		const char *kind = json_string_value(json_object_get(m, "kind"));

		json_array_foreach(files, k, f)
			if (json_integer_value(json_object_get(f, "message_id")) == id)
				json_array_append(mine, f);
		json_object_set_new(m, "files", mine);
		json_object_set_new(m, "is_internal", json_boolean(kind && strcmp(kind, "internal") == 0));
	}
}

int
service_ticket_page(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[1];
	json_t *t, *messages = NULL, *files = NULL, *agents = NULL, *teams = NULL, *history = NULL, *a;
	int status;
	size_t i;

	if ((t = service_load(c, STMT_TICKET_GET, id, 1, &status)) == NULL)
		return status;
	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_TICKET_MESSAGES, b, 1, &messages) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TICKET_ATTACHMENTS, b, 1, &files) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TICKET_AGENTS, NULL, 0, &agents) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TEAMS, NULL, 0, &teams) != CRM_OK ||
	    crm_ctx_history(c, "ticket", "ticket", id, &history) != CRM_OK)
		return 500;
	service_thread_files(messages, files);
	service_sla_view(c, t);
	crm_ctx_localise_dates(c, messages, "created_at");
	json_array_foreach(agents, i, a)
		json_object_set_new(a, "selected", json_boolean(json_equal(json_object_get(a, "id"),
		    json_object_get(t, "owner_id"))));
	json_array_foreach(teams, i, a)
		json_object_set_new(a, "selected", json_boolean(json_equal(json_object_get(a, "id"),
		    json_object_get(t, "team_id"))));
	json_object_set_new(t, crm_arena_printf(c->arena, "status_%s", json_string_value(json_object_get(t, "status"))),
	    json_true());
	json_object_set_new(c->view, "ticket", t);
	json_object_set_new(c->view, "messages", messages);
	json_object_set_new(c->view, "agents", agents);
	json_object_set_new(c->view, "teams", teams);
	json_object_set_new(c->view, "history", history);
	/* Articles that may answer it, from the knowledge base's search. */
	if ((a = service_kb_suggest(c, json_string_value(json_object_get(t, "subject")), 5)) != NULL)
		json_object_set_new(c->view, "suggestions", a);
	service_nav(c, "tickets");
	service_flash(c);
	return 200;
}

int
service_ticket_show(struct crm_ctx *c)
{
	return service_ticket_page(c, crm_ctx_id(c, "id"));
}

struct reassign {
	struct crm_ctx *c;
	long long id, owner_id, team_id;
};

static enum crm_err
reassign_tx(struct crm_db *db, void *arg)
{
	struct reassign *r = arg;
	struct crm_db_bind b[3];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->id);
	if ((e = crm_db_row(db, STMT_TICKET_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	if (r->owner_id)
		crm_db_bind_i64(&b[0], r->owner_id);
	else
		crm_db_bind_null(&b[0]);
	if (r->team_id)
		crm_db_bind_i64(&b[1], r->team_id);
	else
		crm_db_bind_null(&b[1]);
	crm_db_bind_i64(&b[2], r->id);
	if ((e = crm_db_exec(db, STMT_TICKET_ASSIGN, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "reassign", "ticket", r->id,
	    json_pack("{s:I,s:I}", "owner_id", json_integer_value(json_object_get(row, "owner_id")),
	    "team_id", json_integer_value(json_object_get(row, "team_id"))),
	    json_pack("{s:I,s:I}", "owner_id", (json_int_t)r->owner_id, "team_id", (json_int_t)r->team_id));
}

static long long
picked(struct crm_ctx *c, const char *name, size_t stmt)
{
	const char *v = crm_ctx_form_str(c, name);
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long id;

	if (*v == '\0' || strcmp(v, "0") == 0)
		return 0;
	if (!crm_valid_id(v, &id))
		return -1;
	crm_db_bind_i64(&b[0], id);
	return crm_db_row(c->db, stmt, b, 1, &row) == CRM_OK ? id : -1;
}

int
service_ticket_reassign(struct crm_ctx *c)
{
	struct reassign r = { c, crm_ctx_id(c, "id"), 0, 0 };
	int status;

	/* Within the scope first: out of it is 404 whatever the form says. */
	if (service_load(c, STMT_TICKET_GET, r.id, 1, &status) == NULL)
		return status;
	if ((r.owner_id = picked(c, "owner_id", STMT_TICKET_AGENT_GET)) < 0)
		crm_ctx_field_error(c, "owner_id", N_("Choose an active user from the list."));
	if ((r.team_id = picked(c, "team_id", STMT_TICKET_TEAM_GET)) < 0)
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
	if (crm_ctx_has_errors(c)) {
		status = service_ticket_page(c, r.id);
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (crm_db_tx(c->db, reassign_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld?done=reassigned", r.id));
}

int
service_lookup_contacts(struct crm_ctx *c)
{
	const char *q = crm_ctx_query_str(c, "q");
	struct crm_db_bind b[6];
	json_t *rows = NULL, *row;
	size_t i;

	if (*q == '\0') {
		json_object_set_new(c->view, "items", json_array());
		return 200;
	}
	if (!crm_valid_text(q, 1, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	crm_db_bind_str(&b[0], q, (size_t)-1);
	service_bind_scope(c, b + 1);
	if (crm_db_rows(c->db, STMT_TICKET_LOOKUP_CONTACTS, b, 6, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "value", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(row, "label")),
		    (long long)json_integer_value(json_object_get(row, "id")))));
	json_object_set_new(c->view, "items", rows);
	json_object_set_new(c->view, "q", json_string(q));
	return 200;
}
