/* The two public addresses a campaign's mail and print pieces carry.
 * /r/<token>: a tracked link; the click is recorded (with the recipient
 * when ?m=<message token> of the same campaign came along) and the visitor
 * goes to the address stored for the token, never to one from the request.
 * /r/o/<message token>: the open pixel. Neither is audited: link_clicks
 * and the opened_at columns are the record, and a per-click audit row
 * would make every click wait on the audit chain's lock. */
#include <string.h>

#include "crm_auth.h"
#include "crm_log.h"
#include "extern.h"

#define UA_MAX 300              /* link_clicks.user_agent */
#define MESSAGE_TOKEN_LEN 43    /* campaign_messages.token */

/* A 1x1 transparent GIF89a. */
static const unsigned char pixel[] = {
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
};

/* The stored address with the campaign's UTM suffix: after '?' or '&' as
 * the address needs, and before any #fragment, which must stay last. */
static const char *
target(struct crm_ctx *c, const char *url, const char *suffix)
{
	const char *hash = strchr(url, '#'), *q;
	size_t base;
	struct crm_buf b;

	while (*suffix == '?' || *suffix == '&')
		suffix++;
	if (*suffix == '\0')
		return url;
	base = hash ? (size_t)(hash - url) : strlen(url);
	crm_buf_init(&b, c->arena, strlen(url) + strlen(suffix) + 2);
	crm_buf_add(&b, url, base);
	q = memchr(url, '?', base);
	if (q == NULL)
		crm_buf_putc(&b, '?');
	else if (url[base - 1] != '?' && url[base - 1] != '&')
		crm_buf_putc(&b, '&');
	crm_buf_puts(&b, suffix);
	if (hash)
		crm_buf_puts(&b, hash);
	return b.data;
}

/* Nothing that would end or split a header line. */
static int
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Printable ASCII only, the rest '?', cut to the column: a header's bytes
 * need not be UTF-8, and strict mode refuses what is not. */
static const char *
user_agent(struct crm_ctx *c)
{
	const char *ua = c->user_agent ? c->user_agent : "";
	size_t n = strlen(ua), i;
	char *s;

	if (n > UA_MAX)
		n = UA_MAX;
	s = crm_arena_alloc(c->arena, n + 1);
	for (i = 0; i < n; i++)
		s[i] = ua[i] >= 0x20 && ua[i] < 0x7f ? ua[i] : '?';
	s[n] = '\0';
	return s;
}

struct click {
	long long link_id, campaign_id, contact_id, message_id;
	const char *ua;
};

static enum crm_err
click_tx(struct crm_db *db, void *arg)
{
	struct click *k = arg;
	struct crm_db_bind b[5];
	enum crm_err e;

	crm_db_bind_i64(&b[0], k->link_id);
	crm_db_bind_i64(&b[1], k->campaign_id);
	if (k->contact_id) {
		crm_db_bind_i64(&b[2], k->contact_id);
		crm_db_bind_i64(&b[3], k->message_id);
	} else {
		crm_db_bind_null(&b[2]);
		crm_db_bind_null(&b[3]);
	}
	crm_db_bind_str(&b[4], k->ua, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_R_CLICK_ADD, b, 5, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], k->link_id);
	if ((e = crm_db_exec(db, STMT_R_LINK_COUNT, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	if (k->contact_id == 0)
		return CRM_OK;
	crm_db_bind_i64(&b[0], k->campaign_id);
	crm_db_bind_i64(&b[1], k->contact_id);
	return crm_db_exec(db, STMT_R_MEMBER_CLICKED, b, 2, NULL, NULL);
}

int
marketing_link_redirect(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token"), *m = crm_ctx_query(c, "m"), *to, *url;
	struct crm_db_bind b[2];
	struct click k;
	json_t *link = NULL, *msg = NULL;
	enum crm_err e;

	if (!crm_auth_token_ok(token, MARKETING_LINK_TOKEN_LEN))
		return crm_ctx_fail(c, 404, N_("This link does not exist. Check that it was copied whole."));
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_R_LINK, b, 1, &link)) == CRM_ENOTFOUND)
		return crm_ctx_fail(c, 404, N_("This link does not exist. Check that it was copied whole."));
	if (e != CRM_OK)
		return 500;
	memset(&k, 0, sizeof(k));
	k.link_id = json_integer_value(json_object_get(link, "id"));
	/* Stored addresses were checked when added; this keeps a bad row
	 * from ever becoming a header. A suffix that would break the address
	 * is left off rather than leave a printed code leading nowhere. */
	url = json_string_value(json_object_get(link, "url"));
	to = target(c, url, json_string_value(json_object_get(link, "utm_suffix")));
	if (!header_safe(to)) {
		crm_log(CRM_LOG_WARN, "tracked link %lld: the campaign's UTM suffix is not usable in an address", k.link_id);
		to = url;
	}
	if (!header_safe(to))
		return 500;
	k.campaign_id = json_integer_value(json_object_get(link, "campaign_id"));
	k.ua = user_agent(c);
	/* A recipient's token of another campaign, or a made-up one, makes
	 * an anonymous click, not an error: the visitor still goes on. */
	if (crm_auth_token_ok(m, MESSAGE_TOKEN_LEN)) {
		crm_db_bind_str(&b[0], m, (size_t)-1);
		crm_db_bind_i64(&b[1], k.campaign_id);
		if (crm_db_row(c->db, STMT_R_MESSAGE, b, 2, &msg) == CRM_OK) {
			k.message_id = json_integer_value(json_object_get(msg, "id"));
			k.contact_id = json_integer_value(json_object_get(msg, "contact_id"));
		}
	}
	/* A click that cannot be recorded is logged, and the visitor still
	 * goes where the link leads. */
	if ((e = crm_db_tx(c->db, click_tx, &k)) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "tracked link %lld: click not recorded: %s", k.link_id, crm_err_str(e));
	return crm_ctx_redirect(c, 302, to);
}

struct open {
	long long message_id, campaign_id, contact_id;
};

static enum crm_err
open_tx(struct crm_db *db, void *arg)
{
	struct open *o = arg;
	struct crm_db_bind b[2];
	uint64_t first = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], o->message_id);
	if ((e = crm_db_exec(db, STMT_O_MESSAGE_OPENED, b, 1, &first, NULL)) != CRM_OK || first == 0)
		return e;
	crm_db_bind_i64(&b[0], o->campaign_id);
	crm_db_bind_i64(&b[1], o->contact_id);
	return crm_db_exec(db, STMT_O_MEMBER_OPENED, b, 2, NULL, NULL);
}

int
marketing_open_pixel(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	struct crm_db_bind b[1];
	json_t *msg = NULL;
	struct open o;
	enum crm_err e;

	/* Every answer is the image, also for a token we do not know: a mail
	 * client shows an error box, not a blank, for a broken image. The
	 * status still says 404 then, as every public token route does for a
	 * made-up secret; what was asked is not recorded. The framework sends
	 * Cache-Control: no-store, so each open comes back to us. */
	crm_buf_add(&c->raw, pixel, sizeof(pixel));
	c->content_type = "image/gif";
	c->status_with_view = 1;
	if (!crm_auth_token_ok(token, MESSAGE_TOKEN_LEN))
		return 404;
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_O_MESSAGE, b, 1, &msg)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "open pixel: %s", crm_err_str(e));
		return 200;
	}
	o.message_id = json_integer_value(json_object_get(msg, "id"));
	o.campaign_id = json_integer_value(json_object_get(msg, "campaign_id"));
	o.contact_id = json_integer_value(json_object_get(msg, "contact_id"));
	if ((e = crm_db_tx(c->db, open_tx, &o)) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "message %lld: open not recorded: %s", o.message_id, crm_err_str(e));
	return 200;
}
