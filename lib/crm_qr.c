/* QR codes as SVG for pages, PNG for downloads and PBM for tests. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>
#include <zlib.h>

#include "crm_qr.h"

/* More than version 40 holds in any mode: refused before the int cast. */
#define TEXT_MAX 7089

static enum crm_err
qr_encode(QRcode **qr, const char *text, int margin)
{
	size_t n = strlen(text);

	if (n == 0 || margin < 0 || margin > CRM_QR_MARGIN_MAX)
		return CRM_EINVAL;
	if (n > TEXT_MAX)
		return CRM_ETOOBIG;
	errno = 0;
	*qr = QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (*qr != NULL)
		return CRM_OK;
	if (errno == ENOMEM)
		abort();        /* as crm_xmalloc: the master forks a new worker */
	return errno == ERANGE ? CRM_ETOOBIG : CRM_EINVAL;
}

static int
dark(const QRcode *qr, int x, int y)
{
	return qr->data[y * qr->width + x] & 1;
}

/* Only what an XML attribute value needs; everything else, UTF-8
 * included, passes as it is. */
static void
attr_escape(struct crm_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			crm_buf_puts(b, "&amp;");
		else if (c == '<')
			crm_buf_puts(b, "&lt;");
		else if (c == '"')
			crm_buf_puts(b, "&quot;");
		else if (c < 0x20)
			crm_buf_putc(b, ' ');   /* not allowed in XML 1.0 */
		else
			crm_buf_putc(b, c);
	}
}

/* Each run of dark modules is a 1-high rectangle; a relative move from the
 * previous rectangle's corner (where 'z' leaves the pen) keeps it short. */
static void
svg_path(struct crm_buf *b, const QRcode *qr, int margin)
{
	int x, y, run, px = 0, py = 0, first = 1;

	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x += run) {
			for (run = 0; x + run < qr->width && dark(qr, x + run, y); run++)
				;
			if (run == 0) {
				run = 1;
				continue;
			}
			if (first)
				crm_buf_printf(b, "M%d %d", x + margin, y + margin);
			else
				crm_buf_printf(b, "m%d %d", x - px, y - py);
			crm_buf_printf(b, "h%dv1h-%dz", run, run);
			px = x;
			py = y;
			first = 0;
		}
	}
}

enum crm_err
crm_qr_svg(struct crm_buf *out, const char *text, int margin, const char *title)
{
	QRcode *qr;
	enum crm_err e;
	int n;

	if ((e = qr_encode(&qr, text, margin)) != CRM_OK)
		return e;
	n = qr->width + 2 * margin;
	crm_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
	    " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"", n, n);
	attr_escape(out, title != NULL ? title : "QR code");
	/* Explicit fills: inline in a page, an inherited CSS fill must not
	 * turn the code invisible. */
	crm_buf_printf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", n, n);
	svg_path(out, qr, margin);
	crm_buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);
	return CRM_OK;
}

enum crm_err
crm_qr_pbm(struct crm_buf *out, const char *text, int margin, int scale)
{
	QRcode *qr;
	enum crm_err e;
	int n, x, y, col;

	if (scale < 1 || scale > CRM_QR_SCALE_MAX)
		return CRM_EINVAL;
	if ((e = qr_encode(&qr, text, margin)) != CRM_OK)
		return e;
	n = (qr->width + 2 * margin) * scale;
	crm_buf_printf(out, "P1\n%d %d\n", n, n);
	crm_buf_reserve(out, (size_t)n * (size_t)(n + n / 70 + 1));
	for (y = 0; y < n; y++) {
		/* Netpbm asks for lines of at most 70 characters. */
		for (x = col = 0; x < n; x++) {
			int mx = x / scale - margin, my = y / scale - margin;
			int on = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
			    dark(qr, mx, my);

			crm_buf_putc(out, on ? '1' : '0');
			if (++col == 70 && x + 1 < n) {
				crm_buf_putc(out, '\n');
				col = 0;
			}
		}
		crm_buf_putc(out, '\n');
	}
	QRcode_free(qr);
	return CRM_OK;
}

enum crm_err
crm_qr_data_uri(struct crm_buf *out, const char *text, const char *title)
{
	struct crm_buf svg;
	enum crm_err e;
	size_t n;

	crm_buf_init(&svg, out->arena, 8192);
	if ((e = crm_qr_svg(&svg, text, CRM_QR_MARGIN, title)) != CRM_OK) {
		crm_buf_release(&svg);
		return e;
	}
	n = sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
	crm_buf_puts(out, "data:image/svg+xml;base64,");
	crm_buf_reserve(out, n);
	sodium_bin2base64(out->data + out->len, n, (const unsigned char *)svg.data, svg.len,
	    sodium_base64_VARIANT_ORIGINAL);
	out->len += n - 1;
	crm_buf_release(&svg);
	return CRM_OK;
}

enum crm_err
crm_qr_runs(const char *text, int *width, void (*run)(int x, int y, int length, void *arg),
    void *arg)
{
	QRcode *qr;
	enum crm_err e;
	int x, y, n;

	if ((e = qr_encode(&qr, text, 0)) != CRM_OK)
		return e;
	*width = qr->width;
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x += n ? n : 1) {
			for (n = 0; x + n < qr->width && dark(qr, x + n, y); n++)
				;
			if (n > 0 && run != NULL)
				run(x, y, n, arg);
		}
	QRcode_free(qr);
	return CRM_OK;
}

static void
put32(struct crm_buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	    (unsigned char)(v >> 8), (unsigned char)v };

	crm_buf_add(b, p, 4);
}

/* PNG: the few chunks a greyscale image needs, written by hand around
 * zlib's deflate and CRC-32 (PNG's own checksums): shorter than libpng's
 * setjmp error handling for one fixed kind of image. */

/* length, type, data, then the CRC of type and data. */
static void
chunk(struct crm_buf *b, const char type[4], const unsigned char *data, size_t len)
{
	uLong crc = crc32(0L, (const Bytef *)type, 4);

	if (len > 0)
		crc = crc32(crc, data, (uInt)len);
	put32(b, (uint32_t)len);
	crm_buf_add(b, type, 4);
	if (len > 0)
		crm_buf_add(b, data, len);
	put32(b, (uint32_t)crc);
}

enum crm_err
crm_qr_png(struct crm_buf *out, const char *text, int margin, int scale)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	QRcode *qr;
	struct crm_buf raw, z;
	unsigned char ihdr[13];
	size_t row;
	uLongf zlen;
	int n, x, y, w;
	enum crm_err e;

	if (scale < 1 || scale > CRM_QR_SCALE_MAX)
		return CRM_EINVAL;
	if ((e = qr_encode(&qr, text, margin)) != CRM_OK)
		return e;
	w = qr->width;
	n = (w + 2 * margin) * scale;
	row = 1 + ((size_t)n + 7) / 8;
	crm_buf_init(&raw, out->arena, row * (size_t)n);
	for (y = 0; y < n; y++) {
		unsigned char *p;

		crm_buf_reserve(&raw, row);
		p = (unsigned char *)raw.data + raw.len;
		memset(p, 0, row);     /* filter type 0, then all dark */
		for (x = 0; x < n; x++) {
			int mx = x / scale - margin, my = y / scale - margin;
			int on = mx >= 0 && my >= 0 && mx < w && my < w &&
			    (qr->data[my * w + mx] & 1);

			/* Greyscale 1 is white. */
			if (!on)
				p[1 + x / 8] |= (unsigned char)(0x80 >> (x % 8));
		}
		raw.len += row;
	}
	QRcode_free(qr);
	zlen = compressBound((uLong)raw.len);
	crm_buf_init(&z, out->arena, (size_t)zlen + 1);
	if (compress2((Bytef *)z.data, &zlen, (const Bytef *)raw.data, (uLong)raw.len, 9) != Z_OK)
		abort();        /* only Z_MEM_ERROR is possible here: as crm_xmalloc */
	z.len = zlen;
	crm_buf_add(out, sig, sizeof(sig));
	ihdr[0] = (unsigned char)(n >> 24);
	ihdr[1] = (unsigned char)(n >> 16);
	ihdr[2] = (unsigned char)(n >> 8);
	ihdr[3] = (unsigned char)n;
	memcpy(ihdr + 4, ihdr, 4);
	ihdr[8] = 1;            /* bit depth */
	ihdr[9] = 0;            /* greyscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;     /* deflate, adaptive filters, no interlace */
	chunk(out, "IHDR", ihdr, sizeof(ihdr));
	chunk(out, "IDAT", (const unsigned char *)z.data, z.len);
	chunk(out, "IEND", NULL, 0);
	crm_buf_release(&raw);
	crm_buf_release(&z);
	return CRM_OK;
}
