/* The rules of a contact's fields, shared by the form, the importer and
 * CardDAV (crm_contact_rules.h). */
#include <string.h>

#include "crm_i18n.h"
#include "crm_phone.h"
#include "crm_tags.h"
#include "crm_valid.h"
#include "crm_contact_rules.h"

int
crm_contact_has_cjk(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0xe3 && (unsigned char)*s <= 0xe9)
			return 1;
	return 0;
}

static const char *
full_name(struct crm_arena *a, const char *first, const char *last)
{
	if (*first == '\0')
		return last;
	if (*last == '\0')
		return first;
	if (crm_contact_has_cjk(first) || crm_contact_has_cjk(last))
		return crm_arena_printf(a, "%s%s", last, first);
	return crm_arena_printf(a, "%s %s", first, last);
}

static void
phone_field(const struct crm_contact_source *src, const char *field, const char *value,
    const char *country, char *out, size_t outlen)
{
	*out = '\0';
	if (!crm_valid_text(value, 0, 50, 0))
		src->problem(src->arg, field, N_("Keep the phone number under 50 characters."));
	else if (*value && !crm_phone_e164(value, country, out, outlen))
		src->problem(src->arg, field, N_("Enter the number with its country code, such as +86 138 0013 8000, or set the country."));
}

static void
text_field(const struct crm_contact_source *src, const char *field, const char *value, size_t max,
    int multiline, const char *msgid)
{
	if (!crm_valid_text(value, 0, max, multiline))
		src->problem(src->arg, field, msgid);
}

void
crm_contact_check(struct crm_contact_form *f, const struct crm_contact_source *src)
{
	f->first = src->get(src->arg, "first_name");
	f->last = src->get(src->arg, "last_name");
	f->title = src->get(src->arg, "title");
	f->email = src->get(src->arg, "email");
	f->email2 = src->get(src->arg, "email2");
	f->phone = src->get(src->arg, "phone");
	f->mobile = src->get(src->arg, "mobile");
	f->street = src->get(src->arg, "street");
	f->city = src->get(src->arg, "city");
	f->region = src->get(src->arg, "region");
	f->postcode = src->get(src->arg, "postcode");
	f->country = src->get(src->arg, "country");
	f->birthday = src->get(src->arg, "birthday");
	f->source = src->get(src->arg, "source");
	f->notes = src->get(src->arg, "notes");
	f->tags = src->get(src->arg, "tags");
	f->consent_email = *src->get(src->arg, "consent_email") != '\0';
	f->consent_phone = *src->get(src->arg, "consent_phone") != '\0';
	f->full = full_name(src->arena, f->first, f->last);
	text_field(src, "first_name", f->first, 100, 0, N_("Keep the first name under 100 characters."));
	text_field(src, "last_name", f->last, 100, 0, N_("Keep the last name under 100 characters."));
	if (*f->full == '\0')
		src->problem(src->arg, "last_name", N_("Enter a name."));
	text_field(src, "title", f->title, 100, 0, N_("Keep the title under 100 characters."));
	if (*f->email && !crm_email_normalise(f->email, f->email_norm, sizeof(f->email_norm)))
		src->problem(src->arg, "email", N_("Enter an e-mail address such as ann@example.com."));
	if (*f->email2 && !crm_valid_email(f->email2))
		src->problem(src->arg, "email2", N_("Enter an e-mail address such as ann@example.com."));
	if (*f->country && (strlen(f->country) != 2 || f->country[0] < 'A' || f->country[0] > 'Z' ||
	    f->country[1] < 'A' || f->country[1] > 'Z'))
		src->problem(src->arg, "country", N_("Enter a two-letter country code such as CN or US."));
	phone_field(src, "phone", f->phone, f->country, f->phone_e164, sizeof(f->phone_e164));
	phone_field(src, "mobile", f->mobile, f->country, f->mobile_e164, sizeof(f->mobile_e164));
	text_field(src, "street", f->street, 200, 0, N_("Keep the street under 200 characters."));
	text_field(src, "city", f->city, 100, 0, N_("Keep the city under 100 characters."));
	text_field(src, "region", f->region, 100, 0, N_("Keep the region under 100 characters."));
	text_field(src, "postcode", f->postcode, 20, 0, N_("Keep the postcode under 20 characters."));
	if (*f->birthday && !crm_valid_date(f->birthday))
		src->problem(src->arg, "birthday", N_("Enter the date as YYYY-MM-DD."));
	text_field(src, "source", f->source, 50, 0, N_("Keep the source under 50 characters."));
	text_field(src, "notes", f->notes, 10000, 1, N_("Keep the notes under 10,000 characters."));
	if (!crm_tags_valid(f->tags))
		src->problem(src->arg, "tags", N_("Separate tags with commas; each up to 50 characters, 20 at most."));
}

void
crm_contact_bind(struct crm_db_bind *b, const struct crm_contact_form *f)
{
	if (f->account_id)
		crm_db_bind_i64(&b[0], f->account_id);
	else
		crm_db_bind_null(&b[0]);
	crm_db_bind_str(&b[1], f->first, (size_t)-1);
	crm_db_bind_str(&b[2], f->last, (size_t)-1);
	crm_db_bind_str(&b[3], f->full, (size_t)-1);
	crm_db_bind_str(&b[4], f->title, (size_t)-1);
	crm_db_bind_str(&b[5], f->email, (size_t)-1);
	crm_db_bind_str(&b[6], f->email2, (size_t)-1);
	crm_db_bind_str(&b[7], f->phone, (size_t)-1);
	crm_db_bind_str(&b[8], f->mobile, (size_t)-1);
	crm_db_bind_str(&b[9], f->email_norm, (size_t)-1);
	crm_db_bind_str(&b[10], f->phone_e164, (size_t)-1);
	crm_db_bind_str(&b[11], f->mobile_e164, (size_t)-1);
	crm_db_bind_str(&b[12], f->street, (size_t)-1);
	crm_db_bind_str(&b[13], f->city, (size_t)-1);
	crm_db_bind_str(&b[14], f->region, (size_t)-1);
	crm_db_bind_str(&b[15], f->postcode, (size_t)-1);
	crm_db_bind_str(&b[16], f->country, (size_t)-1);
	crm_db_bind_str(&b[17], *f->birthday ? f->birthday : NULL, (size_t)-1);
	crm_db_bind_str(&b[18], f->source, (size_t)-1);
	crm_db_bind_i64(&b[19], f->consent_email);
	crm_db_bind_i64(&b[20], f->consent_phone);
	crm_db_bind_str(&b[21], f->notes, (size_t)-1);
}

json_t *
crm_contact_json(const struct crm_contact_form *f)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b}",
	    "first_name", f->first, "last_name", f->last, "full_name", f->full, "title", f->title,
	    "email", f->email, "email2", f->email2, "phone", f->phone, "mobile", f->mobile,
	    "street", f->street, "city", f->city, "region", f->region, "postcode", f->postcode,
	    "country", f->country, "source", f->source, "notes", f->notes, "tags", f->tags,
	    "consent_email", f->consent_email, "consent_phone", f->consent_phone);

	json_object_set_new(o, "birthday", *f->birthday ? json_string(f->birthday) : json_null());
	json_object_set_new(o, "account_id", f->account_id ? json_integer(f->account_id) : json_null());
	return o;
}
