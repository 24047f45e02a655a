/* vCard 4.0 writer. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crm_fold.h"
#include "crm_phone.h"
#include "crm_vcard.h"

static int
present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static const char *
first_present(const char *const *v)
{
	size_t i;

	for (i = 0; i < CRM_VCARD_MULTI; i++)
		if (present(v[i]))
			return v[i];
	return NULL;
}

/* The TEL types of RFC 6350 6.4.1 plus work and home (5.6). The type goes
 * into the parameter list unquoted, so nothing else may. */
static const char *
tel_type(const char *t)
{
	static const char *const types[] = {
		"work", "home", "cell", "voice", "fax", "text", "video", "pager", "textphone",
	};
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < CRM_NELEM(types); i++)
		if (strcasecmp(t, types[i]) == 0)
			return types[i];
	return NULL;
}

static void
write_tel(struct crm_buf *b, const char *phone, const char *type, const char *country)
{
	char name[48], e164[20];
	struct crm_fold f;
	int uri;

	/* The tel: URI 6.4.1 asks for needs a global number; a number we
	 * cannot place is still worth keeping, as text. */
	uri = crm_phone_e164(phone, country, e164, sizeof(e164));
	snprintf(name, sizeof(name), "TEL;VALUE=%s%s%s", uri ? "uri" : "text",
	    type ? ";TYPE=" : "", type ? type : "");
	crm_fold_begin(&f, b, name);
	if (uri) {
		crm_fold_raw(&f, "tel:");
		crm_fold_raw(&f, e164);
	} else
		crm_fold_text(&f, phone);
	crm_fold_end(&f);
}

/* A compound value: components escaped one by one, joined by ';'. */
static void
write_compound(struct crm_buf *b, const char *name, const char *const *parts, size_t n)
{
	struct crm_fold f;
	size_t i;

	crm_fold_begin(&f, b, name);
	for (i = 0; i < n; i++) {
		if (i > 0)
			crm_fold_raw(&f, ";");
		crm_fold_text(&f, parts[i]);
	}
	crm_fold_end(&f);
}

void
crm_vcard_write(struct crm_buf *b, const struct crm_vcard *v)
{
	char date[CRM_FOLD_DATE_MAX];
	const char *fn;
	size_t i;

	crm_buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n");

	/* FN is the one property 6.2.1 requires: a card with no name is
	 * still listed under something the user recognises. */
	if (present(v->full_name))
		fn = v->full_name;
	else if (present(v->org))
		fn = v->org;
	else if ((fn = first_present(v->emails)) == NULL &&
	    (fn = first_present(v->phones)) == NULL)
		fn = "";
	crm_fold_text_line(b, "FN", fn);

	if (present(v->family) || present(v->given)) {
		/* family;given;additional;prefixes;suffixes */
		const char *n[] = { v->family, v->given, NULL, NULL, NULL };

		write_compound(b, "N", n, CRM_NELEM(n));
	}
	if (present(v->org))
		crm_fold_text_line(b, "ORG", v->org);
	if (present(v->title))
		crm_fold_text_line(b, "TITLE", v->title);
	for (i = 0; i < CRM_VCARD_MULTI; i++)
		if (present(v->emails[i]))
			crm_fold_text_line(b, "EMAIL", v->emails[i]);
	for (i = 0; i < CRM_VCARD_MULTI; i++)
		if (present(v->phones[i]))
			write_tel(b, v->phones[i], tel_type(v->phone_types[i]), v->country);

	if (present(v->street) || present(v->city) || present(v->region) ||
	    present(v->postcode) || present(v->country)) {
		/* PO box;extended;street;locality;region;postal code;country */
		const char *adr[] = { NULL, NULL, v->street, v->city, v->region,
		    v->postcode, v->country };

		write_compound(b, "ADR", adr, CRM_NELEM(adr));
	}
	if (crm_fold_date(v->birthday, date) != 0) {
		date[8] = '\0';         /* a DATETIME column: the day is enough */
		crm_fold_line(b, "BDAY", date);
	}
	if (present(v->note))
		crm_fold_text_line(b, "NOTE", v->note);
	if (present(v->url))
		crm_fold_line(b, "URL", v->url);
	if (present(v->uid)) {
		/* UID is a URI unless reset to text (6.7.6). */
		if (strchr(v->uid, ':') != NULL)
			crm_fold_line(b, "UID", v->uid);
		else
			crm_fold_text_line(b, "UID;VALUE=text", v->uid);
	}
	crm_buf_puts(b, "END:VCARD\r\n");
}
