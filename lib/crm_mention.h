/* @mentions in a note's text, for the notifications: "@" at the start of
 * the text or after a character that cannot be in an address (so that
 * "x@sam.lee" in an e-mail address is not one), then either the part of
 * a user's e-mail address before its @ ("@sam.lee") or their full name
 * of one to three words ("@Sam Lee", "请@张伟 看一下": a name in a script
 * without spaces must be followed by one). Which user each names is the
 * database's business: this only finds what to look up. */
#ifndef CRM_MENTION_H
#define CRM_MENTION_H

#include <stddef.h>

#define CRM_MENTION_MAX_NAME 200

struct crm_mention {
	/* The first word, for a LIKE 'local@%' on addresses: LIKE's own
	 * characters (% _ \) escaped with a backslash. */
	char local[CRM_MENTION_MAX_NAME];
	/* The first one, two and three words as names; "" when the text has
	 * fewer words there. A trailing "." or "-" is punctuation, not name. */
	char words[3][CRM_MENTION_MAX_NAME];
};

/* Finds up to max mentions in text, in order; returns how many. */
size_t crm_mention_find(const char *text, struct crm_mention *out, size_t max);

#endif
