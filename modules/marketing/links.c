/* A campaign's tracked links (/marketing/campaigns/:id/links): each with
 * its short address and clicks, a form to add one by hand, and for print
 * campaigns each link's QR code as SVG or PNG to download. The campaign
 * is reached within the reader's scope; a link is found only through its
 * own campaign. */
#include <string.h>

#include "crm_escape.h"
#include "crm_qr.h"
#include "crm_valid.h"
#include "extern.h"

#define URL_MAX 2000            /* tracked_links.url */
#define QR_PNG_SCALE 8          /* pixels per module: sharp at print sizes */

/* An absolute http(s) address with a host and no spaces, quotes or angle
 * brackets: it becomes a Location header and goes on paper. */
static int
valid_url(const char *u)
{
	size_t i, skip;

	if (strncmp(u, "https://", 8) == 0)
		skip = 8;
	else if (strncmp(u, "http://", 7) == 0)
		skip = 7;
	else
		return 0;
	if (u[skip] == '\0' || u[skip] == '/' || u[skip] == '?' || u[skip] == '#')
		return 0;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == '"' || u[i] == '<' || u[i] == '>' ||
		    u[i] == '\\' || u[i] == 0x7f)
			return 0;
	return i <= URL_MAX;
}

static json_t *
campaign_load(struct crm_ctx *c, int *status)
{
	return marketing_load(c, STMT_LINKS_CAMPAIGN, crm_ctx_id(c, "id"), 1, status);
}

static int
page(struct crm_ctx *c, json_t *camp)
{
	long long id = json_integer_value(json_object_get(camp, "id"));
	const char *after = crm_ctx_query(c, "after_id");
	long long after_id = 0;
	struct crm_db_bind b[2];
	json_t *links = NULL, *l;
	int print = strcmp(json_string_value(json_object_get(camp, "type")), "print") == 0;
	size_t i;

	if (after != NULL && *after != '\0' && !crm_valid_id(after, &after_id))
		return 400;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], after_id);
	if (crm_db_rows(c->db, STMT_LINKS_LIST, b, 2, &links) != CRM_OK)
		return 500;
	if (json_array_size(links) > 50) {
		json_object_set_new(c->view, "next", json_string(crm_ctx_url(c,
		    crm_arena_printf(c->arena, "/marketing/campaigns/%lld/links", id), "after_id",
		    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(
		    json_array_get(links, 49), "id"))), NULL)));
		json_array_remove(links, 50);
	}
	crm_ctx_localise_dates(c, links, "created_at");
	json_array_foreach(links, i, l) {
		json_object_set_new(l, "short_url", json_string(marketing_public_url(c,
		    crm_arena_printf(c->arena, "/r/%s", json_string_value(json_object_get(l, "token"))))));
		json_object_set_new(l, "print", json_boolean(print));
	}
	json_object_set_new(c->view, "campaign", json_incref(camp));
	json_object_set_new(c->view, "is_print", json_boolean(print));
	json_object_set_new(c->view, "links", links);
	if (json_object_get(c->view, "link") == NULL)
		json_object_set_new(c->view, "link", json_pack("{s:s,s:s}", "url", "", "label", ""));
	marketing_nav(c, "links");
	marketing_flash(c);
	return 200;
}

int
marketing_links(struct crm_ctx *c)
{
	int status;
	json_t *camp = campaign_load(c, &status);

	if (camp == NULL)
		return status;
	return page(c, camp);
}

struct add {
	struct crm_ctx *c;
	long long campaign_id;
	const char *url, *label;
	char token[MARKETING_LINK_TOKEN_LEN + 1];
};

static enum crm_err
add_tx(struct crm_db *db, void *arg)
{
	struct add *a = arg;

	return marketing_link_get(a->c, db, a->campaign_id, a->url, a->label, a->token);
}

int
marketing_link_add(struct crm_ctx *c)
{
	int status;
	json_t *camp = campaign_load(c, &status);
	struct add a;

	if (camp == NULL)
		return status;
	memset(&a, 0, sizeof(a));
	a.c = c;
	a.campaign_id = json_integer_value(json_object_get(camp, "id"));
	a.url = crm_ctx_form_str(c, "url");
	a.label = crm_ctx_form_str(c, "label");
	if (!valid_url(a.url))
		crm_ctx_field_error(c, "url", N_("Enter an address starting with https:// or http://, without spaces."));
	if (!crm_valid_text(a.label, 0, 200, 0))
		crm_ctx_field_error(c, "label", N_("Keep the label under 200 characters, on one line."));
	if (crm_ctx_has_errors(c)) {
		json_object_set_new(c->view, "link", json_pack("{s:s,s:s}", "url", a.url, "label", a.label));
		if ((status = page(c, camp)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, add_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/campaigns/%lld/links?done=link-added", a.campaign_id));
}

/* The link of the address within its campaign, for a print campaign only,
 * and the address its QR code holds. */
static const char *
qr_text(struct crm_ctx *c, json_t **link)
{
	long long cid = crm_ctx_id(c, "id"), lid = crm_ctx_id(c, "link_id");
	struct crm_db_bind b[7];

	if (cid == 0 || lid == 0)
		return NULL;
	crm_db_bind_i64(&b[0], lid);
	crm_db_bind_i64(&b[1], cid);
	marketing_bind_scope(c, b + 2);
	if (crm_db_row(c->db, STMT_LINKS_ONE, b, 7, link) != CRM_OK ||
	    strcmp(json_string_value(json_object_get(*link, "type")), "print") != 0)
		return NULL;
	return marketing_public_url(c, crm_arena_printf(c->arena, "/r/%s",
	    json_string_value(json_object_get(*link, "token"))));
}

static void
download(struct crm_ctx *c, json_t *link, const char *ext)
{
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"link-%lld-qr.%s\"", (long long)json_integer_value(json_object_get(link, "id")),
	    ext));
}

int
marketing_link_qr_svg(struct crm_ctx *c)
{
	json_t *link = NULL;
	const char *text = qr_text(c, &link);

	if (text == NULL)
		return 404;
	if (crm_qr_svg(&c->raw, text, CRM_QR_MARGIN, crm_ctx_text(c, N_("QR code of a tracked link"))) != CRM_OK)
		return 500;
	c->content_type = "image/svg+xml";
	download(c, link, "svg");
	return 200;
}

int
marketing_link_qr_png(struct crm_ctx *c)
{
	json_t *link = NULL;
	const char *text = qr_text(c, &link);

	if (text == NULL)
		return 404;
	if (crm_qr_png(&c->raw, text, CRM_QR_MARGIN, QR_PNG_SCALE) != CRM_OK)
		return 500;
	c->content_type = "image/png";
	download(c, link, "png");
	return 200;
}
