/* crm-sales: private declarations, one section per area. */
#ifndef SALES_EXTERN_H
#define SALES_EXTERN_H

#include "crm_http.h"
#include "crm_setting.h"

enum stmt {
	/* common.c */
	STMT_USER_ACTIVE,
	STMT_LOOKUP_USERS,

	/* products.c, prices.c */
	STMT_PRODUCTS,
	STMT_PRODUCT_GET,
	STMT_PRODUCT_BY_SKU,
	STMT_PRODUCT_CREATE,
	STMT_PRODUCT_UPDATE,
	STMT_PRODUCT_CATEGORIES,
	STMT_PRODUCT_PRICES,
	STMT_PRICE_BOOKS,
	STMT_PRICE_BOOK_GET,
	STMT_PRICE_BOOK_CREATE,
	STMT_PRICE_BOOK_UPDATE,
	STMT_PRICE_BOOK_UNDEFAULT,
	STMT_PRICE_BOOK_PRODUCTS,
	STMT_PRICE_PUT,
	STMT_PRICE_DROP,
	STMT_PRICE_OF,
	STMT_RATES,
	STMT_RATE_GET,
	STMT_RATE_PUT,

	/* leads */
	STMT_LEADS_NEWEST,
	STMT_LEADS_SCORE,
	STMT_LEAD_GET,
	STMT_LEAD_CREATE,
	STMT_LEAD_UPDATE,
	STMT_LEAD_REASSIGN,
	STMT_LEAD_ACTIVITIES,
	STMT_LEAD_ACTIVITY_ADD,
	STMT_LEAD_USERS,
	STMT_LEAD_LOCK,
	STMT_LEAD_DUP_ACCOUNTS,
	STMT_LEAD_DUP_CONTACTS,
	STMT_LEAD_ACCOUNT_REACHABLE,
	STMT_LEAD_CONTACT_REACHABLE,
	STMT_LEAD_ACCOUNT_CREATE,
	STMT_LEAD_CONTACT_CREATE,
	STMT_LEAD_COUNT_ADD,
	STMT_LEAD_FIRST_STAGE,
	STMT_LEAD_OPP_CREATE,
	STMT_LEAD_OPP_HISTORY,
	STMT_LEAD_CONVERTED,
	STMT_LEAD_ACTIVITIES_MOVE,
	STMT_LEAD_SEARCH_PUT_CONTACT,
	STMT_LEAD_SEARCH_PUT_ACCOUNT,
	STMT_LEAD_FORMS,
	STMT_LEAD_FORM_GET,
	STMT_LEAD_FORM_BY_TOKEN,
	STMT_LEAD_FORM_CREATE,
	STMT_LEAD_FORM_UPDATE,
	STMT_LEAD_FORM_HIT,
	STMT_LEAD_FORM_HITS,
	STMT_LEAD_FORM_SWEEP,
	STMT_LEAD_RULES,
	STMT_LEAD_RULE_GET,
	STMT_LEAD_RULE_CREATE,
	STMT_LEAD_RULE_UPDATE,
	STMT_LEAD_RULE_DELETE,
	STMT_LEAD_RULE_MATCH,
	STMT_LEAD_RULE_LOCK,
	STMT_LEAD_RULE_TURN,
	STMT_LEAD_TEAM_NEXT,
	STMT_LEAD_TEAMS,
	STMT_LEAD_TEAM_GET,

	/* pipelines, opportunities, board */
	STMT_PIPELINES,
	STMT_PIPELINE_GET,
	STMT_PIPELINE_CREATE,
	STMT_PIPELINE_UPDATE,
	STMT_PIPELINE_UNDEFAULT,
	STMT_STAGES_OF,
	STMT_STAGES_ALL,
	STMT_STAGE_GET,
	STMT_STAGE_CREATE,
	STMT_STAGE_UPDATE,
	STMT_STAGE_DELETE,
	STMT_STAGE_IN_USE,
	STMT_STAGE_KINDS,
	STMT_STAGE_BEFORE,
	STMT_STAGE_AFTER,
	STMT_STAGE_POSITION,
	STMT_OPPS,
	STMT_OPP_GET,
	STMT_OPP_LOCK,
	STMT_OPP_CREATE,
	STMT_OPP_UPDATE,
	STMT_OPP_MOVE,
	STMT_OPP_OWNER,
	STMT_OPP_LINES,
	STMT_OPP_LINES_CLEAR,
	STMT_OPP_LINE_ADD,
	STMT_OPP_ACTIVITIES,
	STMT_OPP_ACTIVITY_ADD,
	STMT_STAGE_HISTORY,
	STMT_HISTORY_CLOSE,
	STMT_HISTORY_ADD,
	STMT_BOARD_STAGES,
	STMT_BOARD_TOTALS,
	STMT_BOARD_TOTALS_OWNER,
	STMT_BOARD,
	STMT_BOARD_OWNER,
	STMT_BOARD6,
	STMT_BOARD6_OWNER,
	STMT_BOARD_PAGE,
	STMT_BOARD_PAGE_OWNER,
	STMT_BOARD6_PAGE,
	STMT_BOARD6_PAGE_OWNER,
	STMT_OPP_ACCOUNT_REACHABLE,
	STMT_OPP_ACCOUNT_BY_NAME,
	STMT_OPP_LOOKUP_ACCOUNTS,
	STMT_OPP_CONTACT_GET,
	STMT_OPP_CONTACT_BY_NAME,
	STMT_OPP_LOOKUP_CONTACTS,
	STMT_OPP_PRODUCT_GET,
	STMT_OPP_PRODUCT_BY_NAME,
	STMT_OPP_LOOKUP_PRODUCTS,
	STMT_OPP_USER_BY_NAME,
	STMT_OPP_DEFAULT_BOOK,

	/* quotes, orders, invoices */
	STMT_QUOTES,
	STMT_QUOTE_GET,
	STMT_QUOTE_BY_TOKEN,
	STMT_QUOTE_LOCK,
	STMT_QUOTE_LINES,
	STMT_QUOTE_VERSIONS,
	STMT_QUOTE_COUNTER_BUMP,
	STMT_QUOTE_COUNTER_GET,
	STMT_QUOTE_CREATE,
	STMT_QUOTE_UPDATE,
	STMT_QUOTE_LINES_DROP,
	STMT_QUOTE_LINE_ADD,
	STMT_QUOTE_LINES_COPY,
	STMT_QUOTE_SET_STATUS,
	STMT_QUOTE_APPROVAL,
	STMT_QUOTE_SEND,
	STMT_QUOTE_REVISE,
	STMT_QUOTE_ACCEPT,
	STMT_QUOTE_DECLINE,
	STMT_QUOTE_ACCOUNT,
	STMT_QUOTE_CONTACT,
	STMT_QUOTE_BOOKS,
	STMT_QUOTE_PRODUCT_LOOKUP,
	STMT_QUOTE_OPP_PREFILL,
	STMT_QUOTE_OPP_LINES,
	STMT_QUOTE_OPP_LOCK,
	STMT_QUOTE_OPP_HISTORY_CLOSE,
	STMT_QUOTE_OPP_HISTORY_ADD,
	STMT_QUOTE_OPP_WIN,
	STMT_ORDERS,
	STMT_ORDER_GET,
	STMT_ORDER_LINES,
	STMT_ORDER_LOCK,
	STMT_ORDER_CREATE,
	STMT_ORDER_LINES_COPY,
	STMT_ORDER_SHIP,
	STMT_ORDER_DELIVER,
	STMT_ORDER_CANCEL,

	/* invoices */
	STMT_INVOICES,
	STMT_INVOICE_GET,
	STMT_INVOICE_BY_TOKEN,
	STMT_INVOICE_LINES,
	STMT_INVOICE_PAYMENTS,
	STMT_INVOICE_TODAY,
	STMT_INVOICE_ORDER_REACH,
	STMT_INVOICE_ORDER_LOCK,
	STMT_INVOICE_OF_ORDER,
	STMT_INVOICE_COUNTER_LOCK,
	STMT_INVOICE_COUNTER_NEW,
	STMT_INVOICE_COUNTER_SET,
	STMT_INVOICE_CREATE,
	STMT_INVOICE_LOCK,
	STMT_INVOICE_PAID_SET,
	STMT_PAYMENT_CREATE,
	STMT_PAYMENT_GET,
	STMT_PAYMENT_DELETE,

	/* forecast */
	STMT_QUOTA_USERS,
	STMT_QUOTAS_YEAR,
	STMT_QUOTA_PUT,
	STMT_QUOTA_DROP,
	STMT_FORECAST_DEALS,
	STMT_FORECAST_QUOTAS,
	STMT_FORECAST_STAGES,
	STMT_FORECAST_PAST,
	STMT_FORECAST_ORDERS,
	/* quotes.c: products to suggest beside the quote's (reports' baskets) */
	STMT_QUOTE_ALSO_BOUGHT,

	STMT__MAX
};

extern const char *const sales_stmts[STMT__MAX];

/* common.c: what every sales handler shares. */
void sales_bind_scope(struct crm_ctx *, struct crm_db_bind *);  /* 5 binds, as SCOPE() */
/* Marks the area and sub-page for the navigation, and what the user may do. */
void sales_nav(struct crm_ctx *, const char *current);
void sales_flash(struct crm_ctx *);
/* Adds "<column>_text": the exact decimal in column as money in the
 * user's language ("$1,250.00", "¥1,250.00"), for each row; currency is
 * a column name or, when no row has it, a currency code. */
void sales_money_text(struct crm_ctx *, json_t *rows, const char *column, const char *currency);
/* One value of money for a view: the exact decimal and its text. */
const char *sales_money(struct crm_ctx *, const char *decimal, const char *currency);
/* The base currency (settings base_currency). */
const char *sales_base_currency(struct crm_ctx *);
/* The record of stmt whose id is bound first (then, when scoped, the
 * user's scope as SCOPE() takes it), or NULL with *status 404 (no id, no
 * such record, or out of reach) or 500. */
json_t *sales_load(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);

/* activities.c: a note or a call logged on a lead or a deal. The insert
 * statement binds kind, subject, body, assignee, creator, then the
 * record's id; page shows the record again with the form's errors. */
struct sales_activity_target {
	size_t insert;
	const char *key;                /* "lead_id" in the audit row */
	const char *path;               /* "/sales/leads": where it goes back to */
	int (*page)(struct crm_ctx *, long long id);
};
int sales_activity_log(struct crm_ctx *, const struct sales_activity_target *, long long record_id);
/* The kinds for the form, the one typed selected. */
void sales_activity_form(struct crm_ctx *);

/* products.c */
int sales_products(struct crm_ctx *);
int sales_product_new(struct crm_ctx *);
int sales_product_create(struct crm_ctx *);
int sales_product_show(struct crm_ctx *);
int sales_product_update(struct crm_ctx *);

/* prices.c: price books, their prices, exchange rates. */
int sales_price_books(struct crm_ctx *);
int sales_price_book_create(struct crm_ctx *);
int sales_price_book_show(struct crm_ctx *);
int sales_price_book_update(struct crm_ctx *);
int sales_price_set(struct crm_ctx *);
int sales_rates(struct crm_ctx *);
int sales_rate_set(struct crm_ctx *);
/* The price of a product in a book, in the book's currency: the book's
 * own price, else the list price converted at today's rate. Returns 0
 * with *cents set, or -1 (no such product, or no rate for the book's
 * currency). currency gets the book's currency. */
int sales_price_lookup(struct crm_ctx *, long long book_id, long long product_id,
    long long *cents, const char **currency, long long *tax_bp);

/* leads */
/* leads.c: a lead's fields, read and checked the same way from the staff
 * form and a public web form. */
struct lead_fields {
	const char *first_name, *last_name, *full_name, *company, *title, *email, *phone;
	const char *city, *country, *source, *status, *reason, *message, *notes;
	char email_norm[256], phone_e164[24];
	int score;
};
/* The field names a web form may show, NULL-terminated. */
extern const char *const sales_lead_form_fields[];
extern const char *const sales_lead_sources[];
/* get(arg, name) gives each value ("" when absent); errors go to the view. */
void sales_lead_read(struct crm_ctx *, struct lead_fields *,
    const char *(*get)(void *, const char *), void *arg);
/* The label of a lead field ("first_name": "First name"), translated. */
const char *sales_lead_field_label(struct crm_ctx *, const char *field);
/* Whether field is in a comma-separated list. */
int sales_lead_listed(const char *list, const char *field);
int sales_lead_score(const struct lead_fields *);
/* The lead as its audit row records it. */
json_t *sales_lead_json(const struct lead_fields *);
/* Binds the 17 columns STMT_LEAD_CREATE and STMT_LEAD_UPDATE share. */
void sales_lead_bind(const struct lead_fields *, struct crm_db_bind *);
/* Options for a <select>: value/label/selected. */
json_t *sales_lead_options(struct crm_ctx *, const char *const *values, const char *const *labels,
    const char *selected);
/* Active users for owner pickers, the selected one marked. */
json_t *sales_lead_users(struct crm_ctx *, long long selected);
int sales_leads(struct crm_ctx *);
int sales_lead_new(struct crm_ctx *);
int sales_lead_create(struct crm_ctx *);
int sales_lead_show(struct crm_ctx *);
int sales_lead_update(struct crm_ctx *);
int sales_lead_reassign(struct crm_ctx *);
int sales_lead_activity(struct crm_ctx *);
/* The lead page: form and convert are what was typed into the edit and
 * conversion forms when they are shown again (NULL: the stored values). */
int sales_lead_page(struct crm_ctx *, long long id, json_t *form, json_t *convert);
/* lead_convert.c */
int sales_lead_convert(struct crm_ctx *);
/* lead_forms.c: web-to-lead forms, for admins. */
int sales_lead_forms(struct crm_ctx *);
int sales_lead_form_create(struct crm_ctx *);
int sales_lead_form_show(struct crm_ctx *);
int sales_lead_form_update(struct crm_ctx *);
/* lead_public.c: the public page of a form and its submissions. */
int sales_form_page(struct crm_ctx *);
int sales_form_submit(struct crm_ctx *);
/* lead_rules.c: assignment rules. */
int sales_lead_rules(struct crm_ctx *);
int sales_lead_rule_create(struct crm_ctx *);
int sales_lead_rule_update(struct crm_ctx *);
int sales_lead_rule_delete(struct crm_ctx *);
/* The owner of a new lead by the rules (inside the caller's transaction:
 * a round-robin rule's row stays locked until commit), else fallback. */
enum crm_err sales_lead_assign(struct crm_db *, const char *country, const char *city,
    long long fallback, long long *owner);

/* pipelines, opportunities, board */
/* pipelines.c: pipelines and their stages (admin.settings). */
int sales_pipelines(struct crm_ctx *);
int sales_pipeline_create(struct crm_ctx *);
int sales_pipeline_show(struct crm_ctx *);
int sales_pipeline_update(struct crm_ctx *);
int sales_stage_create(struct crm_ctx *);
int sales_stage_update(struct crm_ctx *);
int sales_stage_delete(struct crm_ctx *);
int sales_stage_reorder(struct crm_ctx *);
/* The most stages a pipeline shows at once: the board reads each
 * column's cards in one statement of this many parts. */
#define SALES_BOARD_STAGES 12
/* opportunities.c */
int sales_opportunities(struct crm_ctx *);
int sales_opportunity_new(struct crm_ctx *);
int sales_opportunity_create(struct crm_ctx *);
int sales_opportunity_show(struct crm_ctx *);
int sales_opportunity_update(struct crm_ctx *);
int sales_opportunity_reassign(struct crm_ctx *);
int sales_opportunity_activity(struct crm_ctx *);
/* opportunity_form.c: the form's values, its lines and their links. */
struct opp_line {
	long long product_id, qty_milli, price_cents, discount_bp, net_cents;
	const char *product;            /* as typed */
};
struct opp_form {
	const char *name, *account, *contact, *amount, *probability, *close_date;
	const char *next_step, *competitors, *reason, *stage;
	long long account_id, contact_id, stage_id, pipeline_id, amount_cents, probability_bp;
	long long stage_probability_bp;  /* the stage's default */
	int probability_typed;
	const char *stage_kind;
	struct opp_line *lines;
	size_t nlines;
};
void sales_opp_read(struct crm_ctx *, struct opp_form *, json_t *before);
json_t *sales_opp_json(struct crm_ctx *, const struct opp_form *);
json_t *sales_opp_typed(struct crm_ctx *, const struct opp_form *);
/* The form's choices: every active stage, grouped by pipeline. */
enum crm_err sales_opp_choices(struct crm_ctx *, long long stage_id, long long pipeline_only);
enum crm_err sales_opp_lines_save(struct crm_ctx *, long long id, const struct opp_form *);
int sales_lookup_accounts(struct crm_ctx *);
int sales_lookup_contacts(struct crm_ctx *);
int sales_lookup_products(struct crm_ctx *);
int sales_lookup_users(struct crm_ctx *);
/* stage_move.c: the shared convention (brief-stages) for entering a
 * stage, in the caller's transaction. */
/* A history row for the stage the deal is now in; close_current first
 * sets left_at on the row of the stage it leaves. */
enum crm_err sales_stage_history(struct crm_ctx *, long long opp_id, long long stage_id,
    const char *amount, int close_current);
/* Moves the deal to the stage (of its pipeline, not its current one):
 * history, stage, probability, closed_at, close date when won, reason. */
enum crm_err sales_stage_move(struct crm_ctx *, long long opp_id, long long stage_id,
    const char *kind, const char *reason, const char *amount);
int sales_opportunity_stage(struct crm_ctx *);
/* opportunities.c: the deal's page; typed is the form shown again. */
int sales_opportunity_page(struct crm_ctx *, long long id, json_t *typed);
/* board.c */
struct board_filter {
	long long pipeline_id, owner_id;
	const char *owner, *from, *to;  /* as typed: "Name #id", "YYYY-MM" */
	char open_from[11], open_to[11], closed_from[11], closed_to[11];
};
/* Reads owner, from and to with get (the query, or a move's form):
 * returns 0, or 400 when they are not valid. */
int sales_board_filter(struct crm_ctx *, const char *(*get)(struct crm_ctx *, const char *),
    struct board_filter *);
/* The board's columns (the pipeline's active stages, the default
 * pipeline's when f->pipeline_id is 0, which it then names) with their
 * totals under the filter; tabs (may be NULL) gets the active pipelines.
 * CRM_ENOTFOUND: no such pipeline. */
enum crm_err sales_board_columns(struct crm_ctx *, struct board_filter *, json_t **columns, json_t **tabs);
int sales_board(struct crm_ctx *);

/* quotes, orders, invoices */
/* quotes.c: list, new, create, show, edit while not frozen. */
int sales_quotes(struct crm_ctx *);
int sales_quote_new(struct crm_ctx *);
int sales_quote_create(struct crm_ctx *);
int sales_quote_show(struct crm_ctx *);
int sales_quote_edit(struct crm_ctx *);
int sales_quote_update(struct crm_ctx *);
int sales_quote_products(struct crm_ctx *);
/* The quote the user's scope reaches (STMT_QUOTE_GET), or NULL with the
 * status to answer. */
json_t *sales_quote_load(struct crm_ctx *, long long id, int *status);
/* Draft, approved or rejected: not yet frozen. */
int sales_quote_editable(json_t *quote);
/* A yes/no column: TRUE, or an integer that is not 0 (a comparison
 * comes back as an integer). */
int sales_flag(json_t *row, const char *key);
/* An admin: a role that holds every permission ("*"). */
int sales_user_is_admin(struct crm_ctx *);
/* quote_flow.c: approval, sending, revising. */
int sales_quote_request_approval(struct crm_ctx *);
int sales_quote_approve(struct crm_ctx *);
int sales_quote_reject(struct crm_ctx *);
int sales_quote_send(struct crm_ctx *);
int sales_quote_revise(struct crm_ctx *);
/* quote_public.c: the customer's link, acceptance, decline. */
int sales_quote_public(struct crm_ctx *);
int sales_quote_public_pdf(struct crm_ctx *);
int sales_quote_accept(struct crm_ctx *);
int sales_quote_decline(struct crm_ctx *);
/* quote_doc.c: the print page and the PDF. */
int sales_quote_print(struct crm_ctx *);
int sales_quote_pdf(struct crm_ctx *);
/* A quote's view for its pages and documents: the quote row (from
 * STMT_QUOTE_GET or STMT_QUOTE_BY_TOKEN) gets its lines, money texts,
 * dates and the verification link. Returns 0, or the status to answer. */
int sales_quote_view(struct crm_ctx *, json_t *quote);
const char *sales_quote_status_text(struct crm_ctx *, const char *status);
/* settings quote_approval_discount in basis points; whether the quote's
 * largest line discount is above it. */
long long sales_quote_threshold(struct crm_ctx *);
int sales_quote_needs_approval(struct crm_ctx *, json_t *quote);
/* quantity_text, discount_text, tax_rate_text and the money texts of
 * stored lines (a quote's or an order's). */
void sales_quote_lines_text(struct crm_ctx *, json_t *lines, const char *currency);
/* The customer's link: settings public_url + /sales/q/<token>. */
const char *sales_quote_link(struct crm_ctx *, const char *token);
/* The account's address lines, for the documents. */
const char *sales_quote_address(struct crm_ctx *, json_t *quote);
/* The quote as a PDF into c->raw (application/pdf). Returns the status. */
int sales_quote_pdf_of(struct crm_ctx *, json_t *quote);
/* The next number of a kind ("quote", "order") this year, in a
 * transaction: "Q-2026-00042". */
enum crm_err sales_next_number(struct crm_db *, const char *kind, const char *prefix,
    const char **number, struct crm_arena *);
/* orders.c */
int sales_orders(struct crm_ctx *);
int sales_order_show(struct crm_ctx *);
int sales_order_status(struct crm_ctx *);

/* invoices */
/* invoices.c: issue from an order, the list, the page, the print page. */
int sales_invoice_issue(struct crm_ctx *);
int sales_invoices(struct crm_ctx *);
int sales_invoice_show(struct crm_ctx *);
int sales_invoice_print(struct crm_ctx *);
/* The invoice's page, with the payment form as typed (NULL: the defaults). */
int sales_invoice_page(struct crm_ctx *, long long id, json_t *typed);
/* The seller's details from settings, for the documents. */
json_t *sales_company(struct crm_ctx *);
/* invoice_public.c: the customer's link, signed out. */
int sales_invoice_public(struct crm_ctx *);
int sales_invoice_public_pdf(struct crm_ctx *);
int sales_invoice_pdf(struct crm_ctx *);
/* invoice_payments.c: payments recorded, and removed as a correction. */
int sales_payment_create(struct crm_ctx *);
int sales_payment_delete(struct crm_ctx *);
/* invoice_view.c: an invoice read for a page (by id in the user's scope,
 * or by its public token), with its lines, payments and the texts people
 * read; NULL with *status 404 or 500. */
json_t *sales_invoice_load(struct crm_ctx *, long long id, const char *token, int *status);
/* The customer's link: settings public_url + /sales/i/<token>. */
const char *sales_invoice_link(struct crm_ctx *, json_t *invoice);
/* Labels in the request's language: "Partly paid", "Bank transfer". */
const char *sales_invoice_status_text(struct crm_ctx *, const char *status);
const char *sales_payment_method_text(struct crm_ctx *, const char *method);
extern const char *const sales_payment_methods[];       /* NULL-terminated */

/* forecast */
/* quotas.c: each user's monthly quota, a year at a time. */
int sales_quotas(struct crm_ctx *);
int sales_quotas_save(struct crm_ctx *);
/* forecast.c: the pipeline forecast against quota, and its accuracy. */
int sales_forecast(struct crm_ctx *);
/* forecast_trend.c: the order history's trend, projected, and its chart. */
json_t *sales_forecast_trend(struct crm_ctx *, int this_month, int *status);
/* forecast_month.c: a month as a count (year * 12 + month - 1) and back
 * to "YYYY-MM"; the month of today in UTC. */
int sales_month_parse(const char *, int *ym);
const char *sales_month_text(struct crm_ctx *, int ym);
const char *sales_month_first(struct crm_ctx *, int ym);   /* "YYYY-MM-01" */
int sales_month_now(void);

#endif
