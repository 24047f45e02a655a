/* Contact points normalised for storage and duplicate detection: phone
 * numbers to E.164 from a small table of calling codes (libphonenumber is
 * C++ and megabytes of metadata; a CRM needs "same number?", not "which
 * carrier?"), and e-mail addresses to one case. */
#ifndef CRM_PHONE_H
#define CRM_PHONE_H

#include <stddef.h>

/*
 * Writes a human-typed number as E.164 ("+8613812345678") to out and
 * returns 1, or returns 0 with out empty when the number is not plausible.
 * Spaces, dashes, dots, slashes and parentheses are ignored, as are their
 * full-width forms and full-width digits. The number is international when
 * it starts with '+', "00" or the country's own international prefix (011
 * in North America, 0011 in Australia, 010 in Japan); otherwise country
 * (ISO 3166 alpha-2 or a common English or Chinese name, case-insensitive;
 * NULL or unknown makes it 0) gives the calling code and its national
 * trunk prefix is dropped: GB "020 7946 0958" is +442079460958, US
 * "1-415-555-0100" is +14155550100. A trunk 0 written after the calling
 * code ("+44 (0)20 ...", "+86 010 ...") is dropped too. Whatever follows
 * x, ext, #, ',', ';', 转 or 分机 after the first digit is dropped: an
 * extension, a dialling pause, a second number. The calling code must
 * be assigned, the whole number 8..15 digits, and a North American number
 * exactly ten digits after the 1. Letters elsewhere make it 0.
 */
int crm_phone_e164(const char *in, const char *country, char *out, size_t outlen);
/* The digits of in (full-width ones too), up to an extension, for matching
 * partial numbers. Returns how many there are; like snprintf, out holds as
 * many as fit and is always terminated when outlen > 0. */
int crm_phone_digits(const char *in, char *out, size_t outlen);

/* Trims surrounding white space and lowercases ASCII letters in both the
 * local part and the domain, then returns 1 when the result passes
 * crm_valid_email (one '@', a dot in the domain, no spaces or controls,
 * at most 254 bytes). Returns 0 with out empty otherwise. Dots and +tags
 * are kept: whether they matter is up to the mail provider. */
int crm_email_normalise(const char *in, char *out, size_t outlen);

#endif
