/* A marketing e-mail for one contact: the template's merge fields filled
 * in with the project's own mustache engine (escaped in the HTML part,
 * as written in the subject and the text part, which are not HTML), and
 * the links of the result found for tracking. The preview, the test send
 * and the runner all go through here, so what a marketer previews is
 * what the contact gets. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

enum crm_err
marketing_mail_tmpl_compile(struct marketing_mail_tmpl *t, const char *subject, const char *html,
    const char *text, char *err, size_t errlen)
{
	enum crm_err e;

	t->html = crm_tmpl_set_new();
	t->text = crm_tmpl_set_new();
	crm_tmpl_set_plain(t->text, 1);
	if ((e = crm_tmpl_set_add(t->text, "subject", subject, strlen(subject), err, errlen)) != CRM_OK ||
	    (e = crm_tmpl_set_add(t->html, "html", html, strlen(html), err, errlen)) != CRM_OK ||
	    (e = crm_tmpl_set_add(t->text, "text", text, strlen(text), err, errlen)) != CRM_OK) {
		marketing_mail_tmpl_free(t);
		return e;
	}
	return CRM_OK;
}

void
marketing_mail_tmpl_free(struct marketing_mail_tmpl *t)
{
	if (t->html != NULL)
		crm_tmpl_set_free(t->html);
	if (t->text != NULL)
		crm_tmpl_set_free(t->text);
	t->html = t->text = NULL;
}

enum crm_err
marketing_mail_render(const struct marketing_mail_tmpl *t, json_t *view, struct crm_arena *a,
    struct marketing_mail_parts *p)
{
	struct crm_buf s, h, x;
	enum crm_err e;
	size_t i;

	crm_buf_init(&s, a, 256);
	crm_buf_init(&h, a, 4096);
	crm_buf_init(&x, a, 2048);
	if ((e = crm_tmpl_render(t->text, "subject", view, &s)) != CRM_OK ||
	    (e = crm_tmpl_render(t->html, "html", view, &h)) != CRM_OK ||
	    (e = crm_tmpl_render(t->text, "text", view, &x)) != CRM_OK)
		return e;
	/* A merge field's line break would end the Subject header: the
	 * subject stays one line whatever the contact's data holds. */
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.data[i] < ' ' || s.data[i] == 0x7f)
			s.data[i] = ' ';
	p->subject = s.data;
	p->html = h.data;
	p->text = x.data;
	return CRM_OK;
}

const char *
marketing_merge_key(struct crm_arena *a, const char *label)
{
	char *k = crm_arena_strdup(a, label), *o = k;
	const char *p;
	int gap = 0;

	for (p = label; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (gap && o > k)
				*o++ = '_';
			*o++ = (char)tolower((unsigned char)*p);
			gap = 0;
		} else
			gap = 1;
	}
	*o = '\0';
	return k;
}

json_t *
marketing_merge_view(struct crm_db *db, struct crm_arena *a, json_t *row, const char *unsubscribe_url)
{
	static const char *const contact_cols[] = { "id", "first_name", "last_name", "full_name", "title", "email",
		"phone", "mobile", "street", "city", "region", "postcode", "country", NULL };
	struct crm_db_bind b[1];
	json_t *view = json_object(), *contact = json_object(), *custom = json_object(), *values = NULL, *v;
	size_t i;

	for (i = 0; contact_cols[i]; i++)
		json_object_set(contact, contact_cols[i], json_object_get(row, contact_cols[i]));
	json_object_set_new(view, "contact", contact);
	json_object_set_new(view, "account", json_pack("{s:O}", "name", json_object_get(row, "account_name")));
	json_object_set_new(view, "owner", json_pack("{s:O,s:O}", "name", json_object_get(row, "owner_name"),
	    "email", json_object_get(row, "owner_email")));
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(row, "id")));
	if (crm_db_rows(db, STMT_MERGE_CUSTOM, b, 1, &values) == CRM_OK)
		json_array_foreach(values, i, v)
			json_object_set(custom, marketing_merge_key(a, json_string_value(json_object_get(v, "label"))),
			    json_object_get(v, "value_text"));
	json_decref(values);
	json_object_set_new(view, "custom", custom);
	json_object_set_new(view, "unsubscribe_url", json_string(unsubscribe_url));
	return view;
}

static int
url_char(int ch, int html)
{
	if (ch <= ' ' || ch == 0x7f || ch == '"' || ch == '\'' || ch == '<' || ch == '>')
		return 0;
	return !(html && ch == '`');
}

static int
starts_link(const char *p)
{
	return strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0;
}

const char *
marketing_rewrite_links(struct crm_arena *a, const char *s, int html, const char *keep,
    const char *(*link)(void *, const char *url), void *arg)
{
	struct crm_buf out, url;
	const char *p = s, *q, *with;
	size_t n, i;

	crm_buf_init(&out, a, strlen(s) + 256);
	while (*p) {
		if (!starts_link(p) || (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '/'))) {
			crm_buf_putc(&out, *p++);
			continue;
		}
		for (q = p; *q && url_char((unsigned char)*q, html); q++)
			;
		n = (size_t)(q - p);
		/* Text ends a sentence after a link: "see https://x.example." */
		while (n > 0 && strchr(".,;:!?)]", p[n - 1]) != NULL)
			n--;
		crm_buf_init(&url, a, n + 1);
		for (i = 0; i < n; i++)
			if (html && strncmp(p + i, "&amp;", 5) == 0 && i + 5 <= n) {
				crm_buf_putc(&url, '&');
				i += 4;
			} else
				crm_buf_putc(&url, p[i]);
		if ((keep != NULL && strncmp(url.data, keep, strlen(keep)) == 0) ||
		    (with = link(arg, url.data)) == NULL)
			crm_buf_add(&out, p, n);
		else
			crm_buf_puts(&out, with);
		p += n;
	}
	return out.data;
}
