/* A quote as a document: the print page (its own stylesheet, no
 * navigation) and the PDF (document.c), for staff and, behind the
 * secret link, for the customer. The QR code encodes the customer's
 * link, so a printed quote leads back to the page where it is accepted. */
#include <string.h>

#include "crm_qr.h"
#include "crm_valid.h"
#include "document.h"
#include "extern.h"

/* The customer's address lines from the account: street, then
 * "postcode city", region, country, each when there is one. */
const char *
sales_quote_address(struct crm_ctx *c, json_t *q)
{
	const char *street = json_string_value(json_object_get(q, "account_street"));
	const char *city = json_string_value(json_object_get(q, "account_city"));
	const char *postcode = json_string_value(json_object_get(q, "account_postcode"));
	const char *region = json_string_value(json_object_get(q, "account_region"));
	const char *country = json_string_value(json_object_get(q, "account_country"));
	struct crm_buf b;

	crm_buf_init(&b, c->arena, 128);
	if (street && *street)
		crm_buf_printf(&b, "%s\n", street);
	if ((postcode && *postcode) || (city && *city))
		crm_buf_printf(&b, "%s%s%s\n", postcode ? postcode : "", postcode && *postcode && city && *city ?
		    " " : "", city ? city : "");
	if (region && *region)
		crm_buf_printf(&b, "%s\n", region);
	if (country && *country)
		crm_buf_printf(&b, "%s\n", country);
	if (b.len > 0)
		b.data[--b.len] = '\0';
	return b.data ? b.data : "";
}

static const char *
str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static const char *
percent(struct crm_ctx *c, const char *v)
{
	return crm_arena_printf(c->arena, "%s %%", v);
}

/* The quote's view (sales_quote_view done) as the document to print. */
static void
to_doc(struct crm_ctx *c, json_t *q, struct sales_doc *d)
{
	json_t *lines = json_object_get(q, "lines"), *l;
	struct sales_doc_line *dl;
	size_t i, n = 0;

	memset(d, 0, sizeof(*d));
	d->title = crm_ctx_text(c, N_("Quote"));
	d->number = str(q, "display_number");
	d->subject = str(q, "title");
	d->facts[n][0] = crm_ctx_text(c, N_("Date"));
	d->facts[n++][1] = *str(q, "sent_text") ? crm_ctx_date(c, str(q, "sent_at"), 0) : str(q, "created_text");
	d->facts[n][0] = crm_ctx_text(c, N_("Valid until"));
	d->facts[n++][1] = str(q, "valid_until_text");
	d->facts[n][0] = crm_ctx_text(c, N_("Status"));
	d->facts[n++][1] = str(q, "status_text");
	if (*str(q, "accepted_name")) {
		d->facts[n][0] = crm_ctx_text(c, N_("Accepted by"));
		d->facts[n++][1] = str(q, "accepted_name");
	}
	d->company_name = crm_setting(c->db, c->arena, "company_name", "");
	d->company_address = crm_setting(c->db, c->arena, "company_address", "");
	d->company_tax_id = crm_setting(c->db, c->arena, "company_tax_id", "");
	d->company_email = crm_setting(c->db, c->arena, "company_email", "");
	d->company_phone = crm_setting(c->db, c->arena, "company_phone", "");
	d->customer_name = str(q, "account_name");
	d->customer_address = sales_quote_address(c, q);
	d->customer_contact = str(q, "contact_name");
	d->nlines = json_array_size(lines);
	dl = crm_arena_calloc(c->arena, d->nlines ? d->nlines : 1, sizeof(*dl));
	json_array_foreach(lines, i, l) {
		const char *desc = str(l, "description");

		dl[i].description = *desc ? crm_arena_printf(c->arena, "%s: %s", str(l, "product_name"), desc) :
		    str(l, "product_name");
		dl[i].sku = str(l, "sku");
		dl[i].quantity = crm_arena_printf(c->arena, "%s %s", str(l, "quantity_text"), str(l, "unit"));
		dl[i].unit_price = str(l, "unit_price_text");
		dl[i].discount = json_is_true(json_object_get(l, "has_discount")) ?
		    percent(c, str(l, "discount_text")) : "";
		dl[i].tax_rate = percent(c, str(l, "tax_rate_text"));
		dl[i].net = str(l, "net_text");
	}
	d->lines = dl;
	n = 0;
	if (json_is_true(json_object_get(q, "has_discount"))) {
		d->totals[n][0] = crm_ctx_text(c, N_("Discount"));
		d->totals[n++][1] = crm_arena_printf(c->arena, "-%s", str(q, "discount_total_text"));
	}
	d->totals[n][0] = crm_ctx_text(c, N_("Subtotal"));
	d->totals[n++][1] = str(q, "subtotal_text");
	d->totals[n][0] = crm_ctx_text(c, N_("Tax"));
	d->totals[n++][1] = str(q, "tax_total_text");
	d->totals[n][0] = crm_ctx_text(c, N_("Total"));
	d->totals[n++][1] = str(q, "total_text");
	d->ntotals = n;
	d->terms = str(q, "terms");
	d->qr_url = *str(q, "link") ? str(q, "link") : NULL;
	d->qr_caption = crm_ctx_text(c, N_("Scan to view and accept this quote"));
	d->headings[0] = crm_ctx_text(c, N_("Description"));
	d->headings[1] = crm_ctx_text(c, N_("Qty"));
	d->headings[2] = crm_ctx_text(c, N_("Unit price"));
	d->headings[3] = crm_ctx_text(c, N_("Discount"));
	d->headings[4] = crm_ctx_text(c, N_("Tax"));
	d->headings[5] = crm_ctx_text(c, N_("Amount"));
	d->page_label = crm_ctx_text(c, N_("Page"));
}

int
sales_quote_pdf_of(struct crm_ctx *c, json_t *q)
{
	struct sales_doc d;
	int st;

	if ((st = sales_quote_view(c, q)) != 0)
		return st;
	to_doc(c, q, &d);
	if (sales_document_pdf(c, &d, &c->raw) != CRM_OK)
		return 500;
	c->content_type = "application/pdf";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena, "inline; filename=\"%s-v%lld.pdf\"",
	    str(q, "number"), (long long)json_integer_value(json_object_get(q, "version"))));
	return 200;
}

int
sales_quote_pdf(struct crm_ctx *c)
{
	int st;
	json_t *q = sales_quote_load(c, crm_ctx_id(c, "id"), &st);

	return q ? sales_quote_pdf_of(c, q) : st;
}

/* The print page: the same facts as the PDF, for the browser's print. */
int
sales_quote_print(struct crm_ctx *c)
{
	int st;
	json_t *q = sales_quote_load(c, crm_ctx_id(c, "id"), &st);

	if (q == NULL)
		return st;
	if ((st = sales_quote_view(c, q)) != 0)
		return st;
	json_object_set_new(q, "customer_address", json_string(sales_quote_address(c, q)));
	if (*str(q, "link")) {
		struct crm_buf qr;

		crm_buf_init(&qr, c->arena, 4096);
		if (crm_qr_data_uri(&qr, str(q, "link"), crm_ctx_text(c, N_("Scan to view and accept this quote"))) ==
		    CRM_OK)
			json_object_set_new(q, "qr", json_string(qr.data));
	}
	json_object_set_new(c->view, "quote", q);
	json_object_set_new(c->view, "company", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "name", crm_setting(c->db, c->arena, "company_name", ""), "address", crm_setting(c->db, c->arena, "company_address", ""),
	    "tax_id", crm_setting(c->db, c->arena, "company_tax_id", ""), "email", crm_setting(c->db, c->arena, "company_email", ""),
	    "phone", crm_setting(c->db, c->arena, "company_phone", "")));
	return 200;
}
