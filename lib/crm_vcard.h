/* vCard 4.0 (RFC 6350) export of a contact, for "add to address book"
 * links and bulk .vcf downloads. */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include "crm_buf.h"

#define CRM_VCARD_MULTI 3       /* e-mail addresses and phone numbers per card */

/* UTF-8 strings; NULL or "" leaves the property out. */
struct crm_vcard {
	const char *full_name;
	const char *family;
	const char *given;
	const char *org;
	const char *title;
	const char *emails[CRM_VCARD_MULTI];
	const char *phones[CRM_VCARD_MULTI];
	const char *phone_types[CRM_VCARD_MULTI];       /* "work", "cell", "home" */
	const char *street;
	const char *city;
	const char *region;
	const char *postcode;
	const char *country;
	const char *birthday;   /* YYYY-MM-DD */
	const char *note;
	const char *url;
	const char *uid;
};

/*
 * Appends one card: BEGIN:VCARD, VERSION:4.0, FN, N, ORG, TITLE, EMAIL,
 * TEL, ADR, BDAY, NOTE, URL, UID, END:VCARD, each a CRLF content line
 * folded at 75 octets (crm_fold.h) with TEXT escaped. FN is required, so
 * it falls back to org, then the first e-mail address, then the first
 * phone. A phone that crm_phone_e164 understands (country as its default)
 * becomes TEL;VALUE=uri:tel:+..., any other stays as text. A type other
 * than work, home, cell, voice, fax, text, video, pager or textphone is
 * left out, as is a birthday that is not a real YYYY-MM-DD date. A uid
 * without ':' is not a URI and is marked VALUE=text.
 */
void crm_vcard_write(struct crm_buf *, const struct crm_vcard *);

#endif
