/* crmctl demo: what the account and people generators share. */
#ifndef CRMCTL_DEMO_H
#define CRMCTL_DEMO_H

#include "crm_db.h"

struct demo_people {
	long long *owners;
	size_t nowners;
	long long account_lo, account_hi;
	unsigned activities;            /* at most this many per contact */
	long from, to;
};

enum crm_err demo_people_batch(struct crm_db *, void *);

#endif
