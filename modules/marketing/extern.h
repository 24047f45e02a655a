/* crm-marketing: private declarations, one section per area. */
#ifndef MARKETING_EXTERN_H
#define MARKETING_EXTERN_H

#include "crm_http.h"
#include "crm_setting.h"

enum stmt {
	/* common.c: consent and tracked links, shared by every area */
	STMT_CONSENT_ADD,
	STMT_CONSENT_FLAG_EMAIL,
	STMT_CONSENT_FLAG_SMS,
	STMT_CONSENT_FLAG_PHONE,
	STMT_LINK_BY_TARGET,
	STMT_LINK_CREATE,

	/* home.c */
	STMT_HOME_CAMPAIGNS,
	STMT_HOME_SENDS,

	/* segments */
	/* segments.c, segment_form.c, segment_run.c, lists.c, list_import.c */
	STMT_SEGMENTS,
	STMT_SEGMENT_GET,
	STMT_SEGMENT_RAW,
	STMT_SEGMENT_BY_NAME,
	STMT_SEGMENT_CREATE,
	STMT_SEGMENT_UPDATE,
	STMT_SEGMENT_DELETE,
	STMT_SEGMENT_CUSTOM_FIELDS,
	STMT_SEGMENT_CAMPAIGNS,
	STMT_SEGMENT_CAMPAIGN_GET,
	STMT_SEGMENT_CAMPAIGN_COUNT,
	STMT_LISTS,
	STMT_LIST_GET,
	STMT_LIST_BY_NAME,
	STMT_LIST_CREATE,
	STMT_LIST_COUNT,
	STMT_LIST_DELETE,
	STMT_LIST_MEMBERS,
	STMT_LIST_CONTACT_BY_EMAIL,
	STMT_LIST_CONTACT_GET,
	STMT_LIST_MEMBER_ADD,
	STMT_LIST_MEMBER_REMOVE,
	STMT_LIST_IMPORT_FIND,
	STMT_LIST_IMPORT_ADD,

	/* campaigns */

	/* email */

	/* links */

	/* consent */

	STMT__MAX
};

extern const char *const marketing_stmts[STMT__MAX];

/* common.c: what every marketing handler shares. Segments, lists,
 * campaigns and templates belong to their owner for SCOPE(x), as records
 * do elsewhere; o is the owner joined from users. */
void marketing_bind_scope(struct crm_ctx *, struct crm_db_bind *);     /* 5 binds, as SCOPE() */
void marketing_nav(struct crm_ctx *, const char *current);
void marketing_flash(struct crm_ctx *);
/* The record of stmt whose id is bound first (then, when scoped, the
 * scope), or NULL with *status 404 or 500. */
json_t *marketing_load(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);
/* Records a grant or withdrawal of consent for purpose ("email", "sms",
 * "phone") from source ("staff", "form", "import", "unsubscribe_link",
 * "api", ...), sets the contact's consent_<purpose> flag to match and
 * audits it, all in the caller's transaction. recorded_by is c->user's
 * id, or NULL when c->user is NULL (the contact themselves, through a
 * public link). CRM_EINVAL for an unknown purpose. */
enum crm_err marketing_consent_set(struct crm_ctx *, struct crm_db *, long long contact_id, const char *purpose,
    int granted, const char *source, const char *note);
/* The campaign's tracked link for url (made on first use, one per
 * campaign and url), in the caller's transaction: token gets its
 * 22-character code for /r/<token>. */
#define MARKETING_LINK_TOKEN_LEN 22
enum crm_err marketing_link_get(struct crm_ctx *, struct crm_db *, long long campaign_id, const char *url,
    const char *label, char token[MARKETING_LINK_TOKEN_LEN + 1]);
/* settings public_url + path ("/r/abc"): the absolute address printed in
 * mail and on paper. */
const char *marketing_public_url(struct crm_ctx *, const char *path);

/* home.c: GET /marketing, the module's start page. */
int marketing_home(struct crm_ctx *);

/* segments: segments*.c, lists*.c */
/* segments: the head and tail of each statement run over a segment's
 * members (stmts.c); segment_run.c puts the compiled conditions between. */
enum segment_sql {
	SEGMENT_SQL_COUNT,
	SEGMENT_SQL_SAMPLE,
	SEGMENT_SQL_FREEZE,
	SEGMENT_SQL_CAMPAIGN,
	SEGMENT_SQL__MAX
};
extern const char *const marketing_segment_sql[SEGMENT_SQL__MAX][2];
/* The most members a page counts or freezes. */
#define SEGMENT_COUNT_CAP 100000
/* segments.c: the segment list, the builder, the segment page with its
 * live count and sample, freezing into a list, filling a campaign. */
int marketing_segments(struct crm_ctx *);
int marketing_segment_new(struct crm_ctx *);
int marketing_segment_create(struct crm_ctx *);
int marketing_segment_show(struct crm_ctx *);
int marketing_segment_edit(struct crm_ctx *);
int marketing_segment_update(struct crm_ctx *);
int marketing_segment_delete(struct crm_ctx *);
int marketing_segment_count(struct crm_ctx *);
int marketing_segment_freeze(struct crm_ctx *);
int marketing_segment_campaign(struct crm_ctx *);
/* lists.c, list_import.c: static target lists. */
int marketing_lists(struct crm_ctx *);
int marketing_list_create(struct crm_ctx *);
int marketing_list_show(struct crm_ctx *);
int marketing_list_delete(struct crm_ctx *);
int marketing_list_member_add(struct crm_ctx *);
int marketing_list_member_remove(struct crm_ctx *);
int marketing_list_import_form(struct crm_ctx *);
int marketing_list_import(struct crm_ctx *);
/* Inserts the segment's current members (contacts within c's scope, all
 * of them when c->user is NULL) into campaign_members with status
 * 'targeted', skipping those already there, in the caller's transaction;
 * *added is how many rows went in (the caller moves campaigns.members).
 * CRM_ENOTFOUND for no such segment, CRM_EINVAL for a segment whose
 * stored conditions no longer compile (a custom field deactivated). */
enum crm_err marketing_segment_into_campaign(struct crm_ctx *, struct crm_db *, long long segment_id,
    long long campaign_id, uint64_t *added);

/* campaigns: campaigns*.c, results*.c */

/* email: templates*.c, sends*.c, unsubscribe.c */

/* links: links*.c */

/* consent: consent*.c, privacy*.c */

/* commands: crm-marketing jobs (the send runner) */
int marketing_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define MARKETING_COMMAND_USAGE "jobs [--pidfile FILE] [--once]"

#endif
