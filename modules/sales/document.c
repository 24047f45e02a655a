/* Sales documents as PDF with libharu: A4, the seller top left, the
 * document's title, number and dates top right, the buyer, the lines as a
 * table that continues on further pages, the totals, the terms, and the
 * QR code of the customer's link. The font is embedded: DejaVu Sans
 * (fonts-dejavu-core) for a document in Latin, Greek or Cyrillic script,
 * WenQuanYi Zen Hei (fonts-wqy-zenhei) when any text is Chinese. libharu
 * embeds only the glyphs used but keeps the font's tables, so the small
 * font makes a 100 KB document where Zen Hei's 30,000 glyphs make 500 KB. */
#include <setjmp.h>
#include <string.h>

#include <hpdf.h>

#include "crm_log.h"
#include "crm_qr.h"
#include "document.h"

#define FONT_LATIN "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FONT_CJK "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define PAGE_W 595.276f         /* A4 in points */
#define PAGE_H 841.89f
#define MARGIN 48.0f
#define RIGHT (PAGE_W - MARGIN)
#define BOTTOM 64.0f            /* below it: the page number */
#define QR_SIZE 96.0f

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font font;
	const struct sales_doc *d;
	const char *font_file;
	int pages;
	float y;                        /* the next line's baseline */
	HPDF_STATUS error, detail;
	jmp_buf fail;
};

/* libharu reports every failure here; the first ends the rendering. */
static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	struct pdf *p = arg;

	p->error = error;
	p->detail = detail;
	longjmp(p->fail, 1);
}

static float
width_of(struct pdf *p, const char *s, float size)
{
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	return HPDF_Page_TextWidth(p->page, s);
}

static void
text_at(struct pdf *p, float x, float y, float size, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_TextOut(p->page, x, y, s);
	HPDF_Page_EndText(p->page);
}

static void
text_right(struct pdf *p, float right, float y, float size, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	text_at(p, right - width_of(p, s, size), y, size, s);
}

/* Draws text in a column width wide from (x, *y) down, breaking at
 * newlines and where a line is full (at a space when there is one, else
 * anywhere: Chinese has no spaces); *y ends below the last line. */
static void
text_wrapped(struct pdf *p, float x, float *y, float width, float size, float leading,
    const char *s)
{
	char line[1024];
	const char *end;
	size_t n, fit;
	HPDF_REAL real;

	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	while (s != NULL && *s != '\0') {
		end = s + strcspn(s, "\n");
		n = (size_t)(end - s);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		fit = HPDF_Font_MeasureText(p->font, (const HPDF_BYTE *)line, (HPDF_UINT)n, width, size,
		    0, 0, HPDF_TRUE, &real);
		if (fit == 0)
			fit = HPDF_Font_MeasureText(p->font, (const HPDF_BYTE *)line, (HPDF_UINT)n, width,
			    size, 0, 0, HPDF_FALSE, &real);
		if (fit == 0)
			fit = n;        /* one glyph wider than the column: print it anyway */
		line[fit] = '\0';
		text_at(p, x, *y, size, line);
		*y -= leading;
		s += fit;
		while (*s == ' ')
			s++;
		if (*s == '\n')
			s++;
	}
}

static void
rule(struct pdf *p, float y, float gray)
{
	HPDF_Page_SetGrayStroke(p->page, gray);
	HPDF_Page_SetLineWidth(p->page, 0.6f);
	HPDF_Page_MoveTo(p->page, MARGIN, y);
	HPDF_Page_LineTo(p->page, RIGHT, y);
	HPDF_Page_Stroke(p->page);
}

/* The columns of the lines table: where each ends (right-aligned numbers)
 * and the description's width. */
static const float col_right[6] = { 0, 318, 390, 440, 485, RIGHT };
#define DESC_WIDTH 200.0f

static void
table_head(struct pdf *p)
{
	int i;

	text_at(p, MARGIN, p->y, 8.5f, p->d->headings[0]);
	for (i = 1; i < 6; i++)
		text_right(p, col_right[i], p->y, 8.5f, p->d->headings[i]);
	rule(p, p->y - 5, 0.4f);
	p->y -= 18;
}

static void
new_page(struct pdf *p)
{
	char label[64];

	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->pages++;
	snprintf(label, sizeof(label), "%s %d", p->d->page_label ? p->d->page_label : "", p->pages);
	text_right(p, RIGHT, 32, 8, label);
	text_at(p, MARGIN, 32, 8, p->d->number);
	p->y = PAGE_H - MARGIN - 10;
}

/* The header of the first page: seller left, document right, buyer. */
static void
header(struct pdf *p)
{
	const struct sales_doc *d = p->d;
	float left = p->y, right = p->y;
	int i;

	text_at(p, MARGIN, left, 15, d->company_name);
	left -= 16;
	text_wrapped(p, MARGIN, &left, 250, 9, 12, d->company_address);
	if (d->company_tax_id && *d->company_tax_id) {
		text_at(p, MARGIN, left, 9, d->company_tax_id);
		left -= 12;
	}
	if (d->company_email && *d->company_email) {
		text_at(p, MARGIN, left, 9, d->company_email);
		left -= 12;
	}
	if (d->company_phone && *d->company_phone) {
		text_at(p, MARGIN, left, 9, d->company_phone);
		left -= 12;
	}
	text_right(p, RIGHT, right, 20, d->title);
	right -= 20;
	text_right(p, RIGHT, right, 11, d->number);
	right -= 16;
	for (i = 0; i < 4 && d->facts[i][0]; i++) {
		text_right(p, RIGHT - 90, right, 9, d->facts[i][0]);
		text_right(p, RIGHT, right, 9, d->facts[i][1]);
		right -= 12;
	}
	p->y = (left < right ? left : right) - 18;
	HPDF_Page_SetGrayFill(p->page, 0.35f);
	text_at(p, MARGIN, p->y, 8.5f, d->customer_label);
	HPDF_Page_SetGrayFill(p->page, 0);
	p->y -= 14;
	text_at(p, MARGIN, p->y, 11, d->customer_name);
	p->y -= 13;
	text_wrapped(p, MARGIN, &p->y, 300, 9, 12, d->customer_address);
	if (d->customer_contact && *d->customer_contact) {
		text_at(p, MARGIN, p->y, 9, d->customer_contact);
		p->y -= 12;
	}
	p->y -= 10;
	if (d->subject && *d->subject) {
		text_wrapped(p, MARGIN, &p->y, RIGHT - MARGIN, 11, 14, d->subject);
		p->y -= 6;
	}
	table_head(p);
}

static void
line_row(struct pdf *p, const struct sales_doc_line *l)
{
	float y = p->y, top = p->y;
	int i;
	const char *cells[6];

	/* A row never splits across pages: a new page when it will not fit
	 * (two lines of description at least). */
	if (p->y < BOTTOM + 40) {
		new_page(p);
		table_head(p);
		y = top = p->y;
	}
	cells[1] = l->quantity;
	cells[2] = l->unit_price;
	cells[3] = l->discount;
	cells[4] = l->tax_rate;
	cells[5] = l->net;
	for (i = 1; i < 6; i++)
		text_right(p, col_right[i], top, 9, cells[i]);
	text_wrapped(p, MARGIN, &y, DESC_WIDTH, 9, 11.5f, l->description);
	if (l->sku && *l->sku) {
		HPDF_Page_SetGrayFill(p->page, 0.4f);
		text_at(p, MARGIN, y, 7.5f, l->sku);
		HPDF_Page_SetGrayFill(p->page, 0);
		y -= 10;
	}
	rule(p, y + 4, 0.85f);
	p->y = y - 8;
}

static void
totals(struct pdf *p)
{
	const struct sales_doc *d = p->d;
	float label_right;
	size_t i;

	if (p->y < BOTTOM + 16 * (float)d->ntotals + 10)
		new_page(p);
	p->y -= 4;
	for (i = 0; i < d->ntotals && i < 6; i++) {
		float size = i + 1 == d->ntotals ? 12 : 9.5f;

		if (i + 1 == d->ntotals) {
			p->y -= 4;
			HPDF_Page_SetGrayStroke(p->page, 0.2f);
			HPDF_Page_MoveTo(p->page, 360, p->y + 14);
			HPDF_Page_LineTo(p->page, RIGHT, p->y + 14);
			HPDF_Page_Stroke(p->page);
		}
		/* A wide amount (a large total in the bold size) pushes its
		 * label left rather than running into it. */
		label_right = RIGHT - width_of(p, d->totals[i][1], size) - 12;
		if (label_right > col_right[4])
			label_right = col_right[4];
		text_right(p, label_right, p->y, size, d->totals[i][0]);
		text_right(p, RIGHT, p->y, size, d->totals[i][1]);
		p->y -= size + 6;
	}
	p->y -= 12;
}

struct qr_draw {
	HPDF_Page page;
	float x, y, module;
};

static void
qr_run(int x, int y, int length, void *arg)
{
	struct qr_draw *q = arg;

	HPDF_Page_Rectangle(q->page, q->x + (float)x * q->module, q->y - (float)(y + 1) * q->module,
	    (float)length * q->module, q->module);
}

/* The terms, then the QR code with its caption and link beside it. */
static enum crm_err
closing(struct pdf *p)
{
	const struct sales_doc *d = p->d;
	struct qr_draw q;
	enum crm_err e;
	int width;

	if (d->terms && *d->terms) {
		if (p->y < BOTTOM + 60)
			new_page(p);
		text_wrapped(p, MARGIN, &p->y, RIGHT - MARGIN, 8.5f, 11, d->terms);
		p->y -= 10;
	}
	if (d->qr_url == NULL)
		return CRM_OK;
	if (p->y < BOTTOM + QR_SIZE + 10)
		new_page(p);
	q.page = p->page;
	q.x = MARGIN;
	q.y = p->y;
	q.module = 1;
	/* The size is known only after encoding: measure, then draw. */
	HPDF_Page_SetGrayFill(p->page, 0);
	if ((e = crm_qr_runs(d->qr_url, &width, NULL, NULL)) != CRM_OK)
		return e;
	q.module = QR_SIZE / (float)width;
	if ((e = crm_qr_runs(d->qr_url, &width, qr_run, &q)) != CRM_OK)
		return e;
	HPDF_Page_Fill(p->page);
	text_at(p, MARGIN + QR_SIZE + 14, p->y - 20, 9.5f, d->qr_caption);
	text_wrapped(p, MARGIN + QR_SIZE + 14, &(float){ p->y - 36 }, RIGHT - MARGIN - QR_SIZE - 14,
	    8, 10, d->qr_url);
	p->y -= QR_SIZE + 10;
	return CRM_OK;
}

/* Text beyond what DejaVu Sans draws: the CJK blocks (U+2E80..U+9FFF,
 * lead bytes E2 BA .. E9) and the full-width forms (U+FF00.., EF BC ..). */
static int
has_cjk(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; u != NULL && *u; u++)
		if ((*u >= 0xe3 && *u <= 0xe9) || (*u == 0xe2 && u[1] >= 0xba) ||
		    (*u == 0xef && u[1] >= 0xbc && u[1] <= 0xbf))
			return 1;
	return 0;
}

static int
doc_has_cjk(const struct sales_doc *d)
{
	const char *texts[] = { d->title, d->number, d->subject, d->company_name, d->company_address,
		d->company_tax_id, d->company_email, d->company_phone, d->customer_label, d->customer_name,
		d->customer_address, d->customer_contact, d->terms, d->qr_caption, d->page_label };
	size_t i, k;

	for (i = 0; i < CRM_NELEM(texts); i++)
		if (has_cjk(texts[i]))
			return 1;
	for (i = 0; i < 4; i++)
		if (has_cjk(d->facts[i][0]) || has_cjk(d->facts[i][1]))
			return 1;
	for (i = 0; i < 6; i++)
		if (has_cjk(d->totals[i][0]) || has_cjk(d->totals[i][1]) || has_cjk(d->headings[i]))
			return 1;
	for (i = 0; i < d->nlines; i++) {
		const struct sales_doc_line *l = &d->lines[i];
		const char *cells[] = { l->description, l->sku, l->quantity, l->unit_price, l->discount,
			l->tax_rate, l->net };

		for (k = 0; k < CRM_NELEM(cells); k++)
			if (has_cjk(cells[k]))
				return 1;
	}
	return 0;
}

static enum crm_err
render(struct pdf *p, struct crm_buf *out)
{
	const char *name;
	size_t i;
	HPDF_UINT32 size;
	enum crm_err e;

	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	if (doc_has_cjk(p->d)) {
		p->font_file = FONT_CJK;
		name = HPDF_LoadTTFontFromFile2(p->doc, FONT_CJK, 0, HPDF_TRUE);
	} else {
		p->font_file = FONT_LATIN;
		name = HPDF_LoadTTFontFromFile(p->doc, FONT_LATIN, HPDF_TRUE);
	}
	p->font = HPDF_GetFont(p->doc, name, "UTF-8");
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, p->d->number);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "CRM");
	new_page(p);
	header(p);
	for (i = 0; i < p->d->nlines; i++)
		line_row(p, &p->d->lines[i]);
	totals(p);
	if ((e = closing(p)) != CRM_OK)
		return e;
	HPDF_SaveToStream(p->doc);
	size = HPDF_GetStreamSize(p->doc);
	crm_buf_reserve(out, (size_t)size + 1);
	HPDF_ReadFromStream(p->doc, (HPDF_BYTE *)out->data + out->len, &size);
	out->len += size;
	out->data[out->len] = '\0';
	return CRM_OK;
}

enum crm_err
sales_document_pdf(struct crm_ctx *c, const struct sales_doc *d, struct crm_buf *out)
{
	/* volatile: set before setjmp and read after a longjmp. */
	struct pdf *volatile p = crm_arena_calloc(c->arena, 1, sizeof(*p));
	volatile enum crm_err e = CRM_EIO;

	p->d = d;
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL) {
		crm_log(CRM_LOG_ERROR, "pdf: libharu could not start");
		return CRM_EIO;
	}
	if (setjmp(p->fail) == 0)
		e = render(p, out);
	else
		crm_log(CRM_LOG_ERROR, "pdf %s: libharu error 0x%04lx (detail %lu)%s %s", d->number,
		    (unsigned long)p->error, (unsigned long)p->detail,
		    p->error == HPDF_FILE_IO_ERROR || p->error == HPDF_FILE_OPEN_ERROR ?
		    "; is the font installed?" : "", p->font_file ? p->font_file : "");
	HPDF_Free(p->doc);
	return e;
}
