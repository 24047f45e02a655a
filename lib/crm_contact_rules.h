/* A contact's fields as typed, checked and normalised: the form, the CSV
 * importer and a CardDAV client's card are read the same way, so a contact
 * one of them accepts is one the others would have accepted. */
#ifndef CRM_CONTACT_RULES_H
#define CRM_CONTACT_RULES_H

#include <jansson.h>

#include "crm_arena.h"
#include "crm_db.h"

struct crm_contact_form {
	const char *first, *last, *full, *title, *account, *email, *email2, *phone, *mobile;
	const char *street, *city, *region, *postcode, *country, *birthday, *source, *notes, *tags;
	int consent_email, consent_phone;
	long long account_id;
	char email_norm[256], phone_e164[20], mobile_e164[20];
};

/* Where the fields come from and where a problem goes. get returns a
 * field's value ("" when absent, never NULL); problem gets the field's
 * name and an untranslated message (an N_() msgid). */
struct crm_contact_source {
	const char *(*get)(void *arg, const char *field);
	void (*problem)(void *arg, const char *field, const char *msgid);
	void *arg;
	struct crm_arena *arena;
};

/* Reads every field but the account (which the caller resolves: the form
 * by reference, the importer by name) and reports each problem once. */
void crm_contact_check(struct crm_contact_form *, const struct crm_contact_source *);

/* Names written in Chinese read family name first with no space. */
int crm_contact_has_cjk(const char *);

/* The 22 binds of the contact's columns, in CONTACT_SET's order. */
#define CRM_CONTACT_BINDS 22
void crm_contact_bind(struct crm_db_bind *, const struct crm_contact_form *);
/* The stored values, as the audit log and the API show them. */
json_t *crm_contact_json(const struct crm_contact_form *);

#endif
