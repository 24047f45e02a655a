/* A contact's fields as typed, checked and normalised: the form and the CSV
 * importer read a contact the same way, so a row the importer accepts is
 * one the form would have accepted. */
#ifndef CUSTOMERS_CONTACT_RULES_H
#define CUSTOMERS_CONTACT_RULES_H

#include <jansson.h>

#include "crm_arena.h"
#include "crm_db.h"

struct contact_form {
	const char *first, *last, *full, *title, *account, *email, *email2, *phone, *mobile;
	const char *street, *city, *region, *postcode, *country, *birthday, *source, *notes, *tags;
	int consent_email, consent_phone;
	long long account_id;
	char email_norm[256], phone_e164[20], mobile_e164[20];
};

/* Where the fields come from and where a problem goes. get returns a
 * field's value ("" when absent, never NULL); problem gets the field's
 * name and an untranslated message (an N_() msgid). */
struct contact_source {
	const char *(*get)(void *arg, const char *field);
	void (*problem)(void *arg, const char *field, const char *msgid);
	void *arg;
	struct crm_arena *arena;
};

/* Reads every field but the account (which the caller resolves: the form
 * by reference, the importer by name) and reports each problem once. */
void contact_check(struct contact_form *, const struct contact_source *);

/* Names written in Chinese read family name first with no space. */
int contact_has_cjk(const char *);

/* The 22 binds of the contact's columns, in CONTACT_SET's order. */
#define CONTACT_BINDS 22
void contact_bind(struct crm_db_bind *, const struct contact_form *);
/* The stored values, as the audit log and the API show them. */
json_t *contact_json(const struct contact_form *);

#endif
