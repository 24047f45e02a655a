/* Tags on any record, typed as "vip, 北京, partner": one name per tag
 * (tags), linked by (entity, record_id) in tag_links. Accounts, contacts
 * and tickets share them. */
#ifndef CRM_TAGS_H
#define CRM_TAGS_H

#include "crm_db.h"

/* Each tag 1..50 characters, 20 at most; NULL is none. */
int crm_tags_valid(const char *);
/* Adds to the record's tags, keeping those it has, in the caller's
 * transaction. */
enum crm_err crm_tags_add(struct crm_db *, const char *entity, long long id, const char *tags);
/* Replaces the record's tags with these. */
enum crm_err crm_tags_save(struct crm_db *, const char *entity, long long id, const char *tags);

#endif
