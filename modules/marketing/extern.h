/* crm-marketing: private declarations, one section per area. */
#ifndef MARKETING_EXTERN_H
#define MARKETING_EXTERN_H

#include "crm_http.h"
#include "crm_setting.h"
#include "crm_tmpl.h"

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
	STMT_CAMPAIGNS,
	STMT_CAMPAIGN_GET,
	STMT_CAMPAIGN_LOCK,
	STMT_CAMPAIGN_BY_NAME,
	STMT_CAMPAIGN_CREATE,
	STMT_CAMPAIGN_UPDATE,
	STMT_CAMPAIGN_STATUS,
	STMT_CAMPAIGN_DELETE,
	STMT_CAMPAIGN_MEMBERS_ADD,
	STMT_CAMPAIGN_RATE,
	STMT_CAMPAIGN_TARGETS,
	STMT_CAMPAIGN_LIST_CHOICES,
	STMT_CAMPAIGN_SEGMENT_CHOICES,
	STMT_CAMPAIGN_LIST_GET,
	STMT_CAMPAIGN_SEGMENT_GET,
	STMT_CAMPAIGN_TARGET_ADD_LIST,
	STMT_CAMPAIGN_TARGET_ADD_SEGMENT,
	STMT_CAMPAIGN_TARGET_GET,
	STMT_CAMPAIGN_TARGET_DELETE,
	STMT_CAMPAIGN_FILL_LIST,
	STMT_CAMPAIGN_MEMBERS,
	STMT_CAMPAIGN_MEMBERS_BY_STATUS,
	STMT_CAMPAIGN_MEMBER_GET,
	STMT_CAMPAIGN_MEMBER_RESPONDED,
	STMT_CAMPAIGN_MEMBER_CONVERTED,
	STMT_CAMPAIGN_SMS_EXPORT,
	STMT_CAMPAIGN_RESULT_STATUS,
	STMT_CAMPAIGN_RESULT_ORDERS,
	STMT_CAMPAIGN_RESULT_OPPORTUNITIES,
	STMT_ATTRIBUTION_GET,
	STMT_ATTRIBUTION_REQUEST,
	STMT_ATTRIBUTION_NEXT,
	STMT_ATTRIBUTION_NOW,
	STMT_ATTRIBUTION_SAVE,

	/* email: templates.c, email_merge.c */
	STMT_TPL_LIST,
	STMT_TPL_GET,
	STMT_TPL_CREATE,
	STMT_TPL_UPDATE,
	STMT_TPL_CUSTOM_FIELDS,
	STMT_TPL_TESTS,
	STMT_TPL_TEST_QUEUE,
	STMT_MERGE_CONTACT,
	STMT_MERGE_CONTACT_SCOPED,
	STMT_MERGE_CONTACT_BY_EMAIL,
	STMT_MERGE_CUSTOM,
	/* email: sends.c */
	STMT_SEND_CAMPAIGN,
	STMT_SEND_TEMPLATES,
	STMT_SEND_AUDIENCE,
	STMT_SEND_OPEN,
	STMT_SEND_HISTORY,
	STMT_SEND_CREATE,
	STMT_SEND_FILL,
	STMT_SEND_COUNT_SKIPPED,
	STMT_SEND_TOTALS,
	STMT_SEND_GET,
	STMT_SEND_FAILURES,
	STMT_SEND_PAUSE,
	STMT_SEND_RESUME,
	STMT_SEND_CANCEL,
	STMT_SEND_CANCEL_QUEUED,
	STMT_SEND_CANCEL_COUNT,
	/* email: send_jobs.c, the runner */
	STMT_JOB_SENDS,
	STMT_JOB_SEND_START,
	STMT_JOB_TEMPLATE,
	STMT_JOB_CLAIM_STALE,
	STMT_JOB_CLAIM,
	STMT_JOB_START,
	STMT_JOB_RELEASE,
	STMT_JOB_SENT,
	STMT_JOB_SEND_SENT,
	STMT_JOB_MEMBER_SENT,
	STMT_JOB_RETRY,
	STMT_JOB_FAIL,
	STMT_JOB_SEND_FAILED,
	STMT_JOB_SEND_ERROR,
	STMT_JOB_PENDING,
	STMT_JOB_SEND_DONE,
	STMT_JOB_TEST_CLAIM,
	STMT_JOB_TEST_START,
	STMT_JOB_TEST_SENT,
	STMT_JOB_TEST_FAILED,
	/* email: unsubscribe.c, bounces.c */
	STMT_UNSUB_BY_TOKEN,
	STMT_UNSUB_MEMBER,
	STMT_BOUNCE_BY_TOKEN,
	STMT_BOUNCE_BY_ADDRESS,
	STMT_BOUNCE_MESSAGE,
	STMT_BOUNCE_CONTACTS,
	STMT_BOUNCE_CONTACT,
	STMT_BOUNCE_MEMBER,

	/* links */
	STMT_R_LINK,
	STMT_R_MESSAGE,
	STMT_R_CLICK_ADD,
	STMT_R_LINK_COUNT,
	STMT_R_MEMBER_CLICKED,
	STMT_O_MESSAGE,
	STMT_O_MESSAGE_OPENED,
	STMT_O_MEMBER_OPENED,
	STMT_LINKS_CAMPAIGN,
	STMT_LINKS_LIST,
	STMT_LINKS_ONE,

	/* consent */
	STMT_CONSENT_CONTACT,
	STMT_CONSENT_HISTORY,
	STMT_PRIV_CONTACT,
	STMT_PRIV_CUSTOM,
	STMT_PRIV_TAGS,
	STMT_PRIV_ACTIVITIES,
	STMT_PRIV_TICKETS,
	STMT_PRIV_TICKET_MESSAGES,
	STMT_PRIV_LEADS,
	STMT_PRIV_OPPORTUNITIES,
	STMT_PRIV_QUOTES,
	STMT_PRIV_ORDERS,
	STMT_PRIV_MEMBERSHIPS,
	STMT_PRIV_MESSAGES,
	STMT_PRIV_CLICKS,
	STMT_PRIV_CONSENTS,
	STMT_PRIV_AUDIT,
	STMT_PRIV_MERGED,
	STMT_ERASE_LOCK,
	STMT_ERASE_CONTACT,
	STMT_ERASE_CUSTOM,
	STMT_ERASE_TAGS,
	STMT_ERASE_CLICKS,
	STMT_ERASE_TICKETS,
	STMT_ERASE_TICKET_MESSAGES,
	STMT_ERASE_MAIL_QUEUE,
	STMT_ERASE_CAMPAIGN_MESSAGES,
	STMT_ERASE_LEADS,
	STMT_ERASE_CONSENT_NOTES,
	STMT_ERASE_IMPORT_PROBLEMS,
	STMT_ERASE_SEARCH,

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
/* The segment's members within c's scope, counted up to
 * SEGMENT_COUNT_CAP + 1 (-1 when the count ran out of time): a page adds
 * at most that many at once. */
enum crm_err marketing_segment_size(struct crm_ctx *, long long segment_id, long long *count);

/* campaigns: campaigns*.c, results*.c */
int marketing_campaigns(struct crm_ctx *);
int marketing_campaign_new(struct crm_ctx *);
int marketing_campaign_create(struct crm_ctx *);
int marketing_campaign_show(struct crm_ctx *);
int marketing_campaign_edit(struct crm_ctx *);
int marketing_campaign_update(struct crm_ctx *);
int marketing_campaign_status(struct crm_ctx *);
int marketing_campaign_delete(struct crm_ctx *);
int marketing_campaign_target_add(struct crm_ctx *);
int marketing_campaign_target_remove(struct crm_ctx *);
int marketing_campaign_fill(struct crm_ctx *);
int marketing_campaign_members(struct crm_ctx *);
int marketing_campaign_response(struct crm_ctx *);
int marketing_campaign_sms_export(struct crm_ctx *);
int marketing_campaign_results(struct crm_ctx *);
int marketing_campaign_compare(struct crm_ctx *);
/* campaigns_common.c */
json_t *marketing_campaign_load(struct crm_ctx *, long long id, int *status);
const char *marketing_campaign_money(struct crm_ctx *, long long cents, const char *currency);
const char *marketing_campaign_base_currency(struct crm_ctx *);
/* results.c: the campaign's figures (members' funnel, attributed deals
 * and orders, revenue, cost, ROI) as a view object, with the chart. */
json_t *marketing_campaign_figures(struct crm_ctx *, json_t *campaign);

/* attribution.c: a campaign's attributed deals and orders, kept. */
/* Asks the job runner to work them out again (after an edit, a fill, or
 * from the page), in the caller's transaction. */
enum crm_err marketing_attribution_request(struct crm_db *, long long campaign_id);
/* The runner's part: works out the campaign most in need of it. 1 when
 * it did one, 0 when none needs it, -1 on a database error (logged). */
int marketing_attribution_step(struct crm_db *);
int marketing_attribution_refresh(struct crm_ctx *);

/* email: templates*.c, sends*.c, unsubscribe.c */
/* email_merge.c: a template's three parts compiled once, rendered for one
 * contact: the HTML part escaped, the subject and text part not. */
struct marketing_mail_tmpl {
	struct crm_tmpl_set *html, *text;
};
/* CRM_EINVAL with "part:line: message" in err when a part does not
 * compile; free with marketing_mail_tmpl_free. */
enum crm_err marketing_mail_tmpl_compile(struct marketing_mail_tmpl *, const char *subject, const char *html,
    const char *text, char *err, size_t errlen);
void marketing_mail_tmpl_free(struct marketing_mail_tmpl *);
struct marketing_mail_parts {
	const char *subject, *html, *text;
};
enum crm_err marketing_mail_render(const struct marketing_mail_tmpl *, json_t *view, struct crm_arena *,
    struct marketing_mail_parts *);
/* The merge fields of a contact: contact, account, owner, custom (by the
 * field's label made a name: "Tier level" is custom.tier_level) and
 * unsubscribe_url. row is STMT_MERGE_CONTACT's. */
json_t *marketing_merge_view(struct crm_db *, struct crm_arena *, json_t *row, const char *unsubscribe_url);
/* A label as a merge field's name: lower case letters, digits and '_'. */
const char *marketing_merge_key(struct crm_arena *, const char *label);
/* Every http(s) link of s (html: an attribute's &amp; read as &) through
 * link(arg, url), which returns the address to put in its place, or NULL
 * to leave it. Links starting with keep are left as they are. */
const char *marketing_rewrite_links(struct crm_arena *, const char *s, int html, const char *keep,
    const char *(*link)(void *, const char *url), void *arg);
int marketing_templates(struct crm_ctx *);
int marketing_template_new(struct crm_ctx *);
int marketing_template_create(struct crm_ctx *);
int marketing_template_show(struct crm_ctx *);
int marketing_template_update(struct crm_ctx *);
int marketing_template_preview(struct crm_ctx *);
int marketing_template_test(struct crm_ctx *);
/* sends.c */
int marketing_send_form(struct crm_ctx *);
int marketing_send_start(struct crm_ctx *);
int marketing_send_show(struct crm_ctx *);
int marketing_send_pause(struct crm_ctx *);
int marketing_send_resume(struct crm_ctx *);
int marketing_send_cancel(struct crm_ctx *);
/* unsubscribe.c, bounces.c */
int marketing_unsubscribe_page(struct crm_ctx *);
int marketing_unsubscribe(struct crm_ctx *);
int marketing_bounces(struct crm_ctx *);
int marketing_bounce_record(struct crm_ctx *);
/* send_jobs.c: crm-marketing jobs */
int marketing_jobs(struct crm_db *, int argc, char **argv);

/* links: links*.c */
/* links_public.c: GET /r/:token (the redirect) and /r/o/:token (the
 * open pixel), for anyone. */
int marketing_link_redirect(struct crm_ctx *);
int marketing_open_pixel(struct crm_ctx *);
/* links.c: a campaign's tracked links, adding one, their QR codes. */
int marketing_links(struct crm_ctx *);
int marketing_link_add(struct crm_ctx *);
int marketing_link_qr_svg(struct crm_ctx *);
int marketing_link_qr_png(struct crm_ctx *);

/* consent: consent*.c, privacy*.c */
/* consent.c: a contact's consent history and the form recording one. */
int marketing_consent(struct crm_ctx *);
int marketing_consent_add(struct crm_ctx *);
/* The contact of the route's :id within the reader's scope, with its
 * consent flags, or NULL with *status. */
json_t *marketing_consent_contact(struct crm_ctx *, int *status);
/* privacy.c: everything held about a contact as JSON; erasing it. */
int marketing_contact_export(struct crm_ctx *);
int marketing_contact_erase(struct crm_ctx *);

/* commands: crm-marketing jobs (the send runner) */
int marketing_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define MARKETING_COMMAND_USAGE "jobs [--pidfile FILE] [--once] [--stale SECONDS]"

#endif
