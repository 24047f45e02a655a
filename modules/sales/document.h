/* A sales document (a quote, an invoice) as a PDF: the company's details,
 * the customer, the lines and totals, and a QR code of the link where the
 * customer checks it. Every text is ready to print (formatted, and
 * translated by the caller where it is a label); document.c lays it out
 * with libharu, in a font that also has the Chinese characters. */
#ifndef SALES_DOCUMENT_H
#define SALES_DOCUMENT_H

#include <stddef.h>

#include "crm_buf.h"
#include "crm_http.h"

struct sales_doc_line {
	const char *description;        /* the product's name, and the line's own text */
	const char *sku;
	const char *quantity;           /* "2.5 kg" */
	const char *unit_price;         /* "$19.99" */
	const char *discount;           /* "10 %" or "" */
	const char *tax_rate;           /* "7.5 %" */
	const char *net;                /* after discount, before tax */
};

struct sales_doc {
	const char *title;              /* "Quote", "Invoice" (translated) */
	const char *number;             /* "Q-2026-00042 v2", "INV-2026-000001" */
	const char *subject;            /* the quote's title, or "" */
	/* Up to four dated facts under the number, label and value:
	 * "Date" "29 Nov 2026", "Valid until" ..., "Due" ..., "Status" ... */
	const char *facts[4][2];
	/* The seller: settings company_name, _address (lines split by \n),
	 * _tax_id, _email, _phone. */
	const char *company_name, *company_address, *company_tax_id, *company_email,
	    *company_phone;
	/* The buyer under its label ("Customer"): the account's name, its
	 * address lines, the contact. */
	const char *customer_label, *customer_name, *customer_address, *customer_contact;
	const struct sales_doc_line *lines;
	size_t nlines;
	/* The totals block, label and value, top to bottom; the last row is
	 * printed bold (the total). */
	const char *totals[6][2];
	size_t ntotals;
	const char *terms;              /* free text, may have newlines; "" for none */
	const char *qr_url;             /* absolute link the QR code encodes; NULL: none */
	const char *qr_caption;         /* "Scan to view and accept this quote" */
	/* Column headings, translated: Description, Qty, Unit price,
	 * Discount, Tax, Amount. */
	const char *headings[6];
	const char *page_label;         /* "Page" */
};

/* Renders the document into out (application/pdf). Returns CRM_OK, or an
 * error after logging why (a font missing, libharu failing). */
enum crm_err sales_document_pdf(struct crm_ctx *, const struct sales_doc *, struct crm_buf *out);

#endif
