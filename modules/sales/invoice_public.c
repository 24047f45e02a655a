/* The invoice as the customer gets it: the PDF (from the staff page, or
 * from the customer's link) and the page behind that link, which anyone
 * holding its secret token may open without signing in. The link shows
 * the document and nothing of the CRM behind it. */
#include <string.h>

#include "crm_auth.h"
#include "crm_valid.h"
#include "document.h"
#include "extern.h"

static const char *
str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* The customer's address as lines: street, then city with region and
 * postcode, then country; empty parts left out. */
static const char *
address_of(struct crm_ctx *c, json_t *inv)
{
	struct crm_buf b;
	const char *city[3] = { str(inv, "city"), str(inv, "region"), str(inv, "postcode") };
	size_t i;
	int any = 0;

	crm_buf_init(&b, c->arena, 128);
	if (*str(inv, "street"))
		crm_buf_printf(&b, "%s\n", str(inv, "street"));
	for (i = 0; i < 3; i++)
		if (*city[i]) {
			crm_buf_printf(&b, "%s%s", any ? " " : "", city[i]);
			any = 1;
		}
	if (any)
		crm_buf_putc(&b, '\n');
	crm_buf_puts(&b, str(inv, "country"));
	return b.data;
}

/* The invoice's view mapped onto the document the PDF renderer lays out:
 * every text formatted and translated here. */
static void
invoice_doc(struct crm_ctx *c, json_t *inv, struct sales_doc *d)
{
	json_t *lines = json_object_get(inv, "lines"), *company = sales_company(c), *l, *a;
	struct sales_doc_line *dl;
	struct crm_buf addr;
	size_t i, n = json_array_size(lines);

	memset(d, 0, sizeof(*d));
	d->title = crm_ctx_text(c, N_("Invoice"));
	d->number = str(inv, "number");
	d->subject = "";
	d->facts[0][0] = crm_ctx_text(c, N_("Date"));
	d->facts[0][1] = str(inv, "issued_on");
	d->facts[1][0] = crm_ctx_text(c, N_("Due"));
	d->facts[1][1] = str(inv, "due_on");
	d->facts[2][0] = crm_ctx_text(c, N_("Order"));
	d->facts[2][1] = str(inv, "order_number");
	d->facts[3][0] = crm_ctx_text(c, N_("Status"));
	d->facts[3][1] = str(inv, "status_text");
	d->company_name = str(company, "name");
	crm_buf_init(&addr, c->arena, 128);
	json_array_foreach(json_object_get(company, "address"), i, a)
		crm_buf_printf(&addr, "%s%s", i ? "\n" : "", json_string_value(a));
	d->company_address = addr.data;
	d->company_tax_id = str(company, "tax_id");
	d->company_email = str(company, "email");
	d->company_phone = str(company, "phone");
	d->customer_label = crm_ctx_text(c, N_("Customer"));
	d->customer_name = str(inv, "account");
	d->customer_address = address_of(c, inv);
	d->customer_contact = str(inv, "contact");
	dl = crm_arena_calloc(c->arena, n ? n : 1, sizeof(*dl));
	json_array_foreach(lines, i, l) {
		const char *own = str(l, "description");

		dl[i].description = *own ? crm_arena_printf(c->arena, "%s: %s", str(l, "product"), own) :
		    str(l, "product");
		dl[i].sku = str(l, "sku");
		dl[i].quantity = str(l, "quantity_text");
		dl[i].unit_price = str(l, "unit_price_text");
		dl[i].discount = str(l, "discount_text");
		dl[i].tax_rate = str(l, "tax_rate_text");
		dl[i].net = str(l, "net_text");
	}
	d->lines = dl;
	d->nlines = n;
	d->totals[0][0] = crm_ctx_text(c, N_("Subtotal"));
	d->totals[0][1] = str(inv, "subtotal_text");
	d->totals[1][0] = crm_ctx_text(c, N_("Tax"));
	d->totals[1][1] = str(inv, "tax_total_text");
	d->totals[2][0] = crm_ctx_text(c, N_("Total"));
	d->totals[2][1] = str(inv, "total_text");
	d->ntotals = 3;
	/* Once something is paid, the bold last row is what is still owed. */
	if (strcmp(str(inv, "stored_status"), "unpaid") != 0) {
		d->totals[3][0] = crm_ctx_text(c, N_("Paid"));
		d->totals[3][1] = str(inv, "paid_text");
		d->totals[4][0] = crm_ctx_text(c, N_("Still owed"));
		d->totals[4][1] = str(inv, "owed_text");
		d->ntotals = 5;
	}
	d->terms = crm_ctx_text(c, N_("Please pay by the due date and quote the invoice number with your payment."));
	d->qr_url = str(inv, "public_url");
	d->qr_caption = crm_ctx_text(c, N_("Scan to view this invoice online"));
	d->headings[0] = crm_ctx_text(c, N_("Description"));
	d->headings[1] = crm_ctx_text(c, N_("Qty"));
	d->headings[2] = crm_ctx_text(c, N_("Unit price"));
	d->headings[3] = crm_ctx_text(c, N_("Discount"));
	d->headings[4] = crm_ctx_text(c, N_("Tax"));
	d->headings[5] = crm_ctx_text(c, N_("Amount"));
	d->page_label = crm_ctx_text(c, N_("Page"));
}

static int
pdf_answer(struct crm_ctx *c, json_t *inv)
{
	struct sales_doc d;

	invoice_doc(c, inv, &d);
	if (sales_document_pdf(c, &d, &c->raw) != CRM_OK)
		return 500;
	c->content_type = "application/pdf";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena, "inline; filename=\"%s.pdf\"",
	    d.number));
	return 200;
}

int
sales_invoice_pdf(struct crm_ctx *c)
{
	int status;
	json_t *inv = sales_invoice_load(c, crm_ctx_id(c, "id"), NULL, &status);

	return inv ? pdf_answer(c, inv) : status;
}

/* The invoice behind a token, or NULL (404) for anything that is not one:
 * a malformed token never reaches the database. */
static json_t *
by_token(struct crm_ctx *c, int *status)
{
	const char *t = crm_ctx_path_param(c, "token");

	*status = 404;
	if (!crm_auth_token_ok(t, CRM_AUTH_SECRET_LEN))
		return NULL;
	return sales_invoice_load(c, 0, t, status);
}

int
sales_invoice_public(struct crm_ctx *c)
{
	static const char *const internal[] = { "id", "order_id", "account_id", "owner_id", "owner",
	    "public_token", "created_at", NULL };
	json_t *inv, *p;
	int status;
	size_t i;

	if ((inv = by_token(c, &status)) == NULL)
		return status;
	/* The customer sees the document, not who in the CRM keeps it. */
	for (i = 0; internal[i]; i++)
		json_object_del(inv, internal[i]);
	json_array_foreach(json_object_get(inv, "payments"), i, p) {
		json_object_del(p, "id");
		json_object_del(p, "recorded_by");
		json_object_del(p, "created_at");
	}
	json_object_set_new(c->view, "invoice", inv);
	json_object_set_new(c->view, "company", sales_company(c));
	json_object_set_new(c->view, "pdf_url", json_string(crm_arena_printf(c->arena, "/sales/i/%s/pdf",
	    crm_ctx_path_param(c, "token"))));
	return 200;
}

int
sales_invoice_public_pdf(struct crm_ctx *c)
{
	int status;
	json_t *inv = by_token(c, &status);

	return inv ? pdf_answer(c, inv) : status;
}
