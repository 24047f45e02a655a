/* QR codes: the SVG's shape, that it draws the same modules as the PBM, that
 * the PNG is well formed with the PBM's pixels, and that zbarimg reads the
 * PBM and the PNG back as the text that went in. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <qrencode.h>
#include <zlib.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_qr.h"

static const char otpauth[] =
    "otpauth://totp/Acme%20CRM:zhang.wei%40example.com"
    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20CRM"
    "&algorithm=SHA1&digits=6&period=30";
static const char url[] = "https://crm.example.com/account/2fa?step=enrol&lang=zh-CN#top";
static const char vcard[] =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:张;伟;;;\r\nFN:张伟\r\n"
    "ORG:北京示例有限公司\r\nTEL;TYPE=cell:+86 138 0013 8000\r\n"
    "EMAIL:zhang.wei@example.com\r\nEND:VCARD\r\n";

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* The module count libqrencode picks for the text, found independently. */
static int
modules(const char *text)
{
	QRcode *qr = QRcode_encodeData((int)strlen(text), (const unsigned char *)text,
	    0, QR_ECLEVEL_M);
	int w;

	assert_non_null(qr);
	w = qr->width;
	QRcode_free(qr);
	return w;
}

/* Every byte of the SVG is accounted for: the fixed markup around an
 * aria-label, then a path of nothing but M m h v z and integers. */
static const char *
check_svg(const char *svg, int n, const char *label)
{
	char head[256], mid[256];
	const char *p = svg, *d;

	snprintf(head, sizeof(head), "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" role=\"img\""
	    " aria-label=\"%s\">", n, n, label);
	snprintf(mid, sizeof(mid), "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", n, n);
	assert_memory_equal(p, head, strlen(head));
	p += strlen(head);
	assert_memory_equal(p, mid, strlen(mid));
	d = p += strlen(mid);
	p += strspn(p, "Mmhvz0123456789- ");
	assert_true(p > d);
	assert_string_equal(p, "\"/></svg>\n");
	assert_int_equal(count(svg, "<path"), 1);
	assert_int_equal(count(svg, "<"), 4);
	assert_int_equal(count(svg, "script"), 0);
	return d;
}

/* Fills grid from the path (up to its closing quote), checking that every
 * subpath is a 1-high rectangle "h L v1 h -L z" inside the image and that
 * none overlap. */
static void
rasterise(const char *d, unsigned char *grid, int n)
{
	long x = 0, y = 0, len, v, back;
	char *end;
	int i;

	while (*d != '"') {
		char cmd = *d++;

		assert_true(cmd == 'M' || cmd == 'm');
		if (cmd == 'M') {
			x = strtol(d, &end, 10);
			y = strtol(end, &end, 10);
		} else {
			x += strtol(d, &end, 10);
			y += strtol(end, &end, 10);
		}
		assert_int_equal(*end, 'h');
		len = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'v');
		v = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'h');
		back = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'z');
		d = end + 1;
		assert_true(len > 0);
		assert_int_equal(v, 1);
		assert_int_equal(back, -len);
		assert_true(x >= 0 && y >= 0 && x + len <= n && y < n);
		for (i = 0; i < len; i++) {
			assert_int_equal(grid[y * n + x + i], 0);
			grid[y * n + x + i] = 1;
		}
	}
}

/* The pixels of a P1 image; *n gets its (square) size. */
static unsigned char *
pbm_pixels(const char *pbm, int *n)
{
	unsigned char *px;
	int w, h, off, i = 0;

	assert_int_equal(sscanf(pbm, "P1\n%d %d\n%n", &w, &h, &off), 2);
	assert_int_equal(w, h);
	px = calloc((size_t)w * (size_t)h, 1);
	assert_non_null(px);
	for (pbm += off; *pbm != '\0'; pbm++) {
		if (*pbm == '\n')
			continue;
		assert_true(*pbm == '0' || *pbm == '1');
		assert_true(i < w * h);
		px[i++] = (unsigned char)(*pbm - '0');
	}
	assert_int_equal(i, w * h);
	*n = w;
	return px;
}

static void
test_svg_shape_and_modules(void **state)
{
	static const char *const texts[] = { otpauth, url, vcard, "x" };
	struct crm_arena *a = crm_arena_new(0);
	size_t i;
	int margin;

	(void)state;
	for (i = 0; i < CRM_NELEM(texts); i++) {
		for (margin = 0; margin <= 4; margin += 4) {
			int n = modules(texts[i]) + 2 * margin, pn;
			struct crm_buf svg, pbm;
			unsigned char *grid, *px;
			const char *d;

			crm_buf_init(&svg, a, 0);
			crm_buf_init(&pbm, a, 0);
			assert_int_equal(crm_qr_svg(&svg, texts[i], margin, NULL), CRM_OK);
			assert_int_equal(crm_qr_pbm(&pbm, texts[i], margin, 1), CRM_OK);
			d = check_svg(svg.data, n, "QR code");
			px = pbm_pixels(pbm.data, &pn);
			assert_int_equal(pn, n);
			grid = calloc((size_t)n * (size_t)n, 1);
			assert_non_null(grid);
			rasterise(d, grid, n);
			assert_memory_equal(grid, px, (size_t)n * (size_t)n);
			free(grid);
			free(px);
		}
	}
	crm_arena_free(a);
}

static void
test_svg_deterministic_and_appends(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_buf b1, b2, b3;

	(void)state;
	crm_buf_init(&b1, a, 0);
	crm_buf_init(&b2, a, 0);
	crm_buf_init(&b3, a, 0);
	assert_int_equal(crm_qr_svg(&b1, otpauth, CRM_QR_MARGIN, NULL), CRM_OK);
	crm_buf_puts(&b2, "<p>");
	assert_int_equal(crm_qr_svg(&b2, otpauth, CRM_QR_MARGIN, NULL), CRM_OK);
	assert_string_equal(b2.data + 3, b1.data);
	assert_int_equal(crm_qr_svg(&b3, url, CRM_QR_MARGIN, NULL), CRM_OK);
	assert_string_not_equal(b3.data, b1.data);
	crm_arena_free(a);
}

static void
test_svg_title(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_qr_svg(&b, url, 2, "Scan <me> & \"you'll\"\tsee\n张伟"), CRM_OK);
	check_svg(b.data, modules(url) + 4,
	    "Scan &lt;me> &amp; &quot;you'll&quot; see 张伟");
	crm_arena_free(a);
}

/* zbarimg's reading of a PBM (or PNG) of text, without the newline it
 * appends. --nodbus: zbarimg otherwise complains on stderr when there is
 * no bus. */
static char *
zbar_decode(const char *text, int png)
{
	struct crm_buf pbm;
	char path[] = "/tmp/test_crm_qr_XXXXXX.pbm", cmd[128], *got;
	size_t len = 0, n;
	FILE *f;
	int fd;

	crm_buf_init(&pbm, NULL, 0);
	if (png) {
		memcpy(path + strlen(path) - 3, "png", 3);
		assert_int_equal(crm_qr_png(&pbm, text, CRM_QR_MARGIN, 3), CRM_OK);
	} else
		assert_int_equal(crm_qr_pbm(&pbm, text, CRM_QR_MARGIN, 4), CRM_OK);
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pbm.data, pbm.len), (ssize_t)pbm.len);
	close(fd);
	crm_buf_release(&pbm);

	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q --nodbus %s", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	got = malloc(8192);
	assert_non_null(got);
	while ((n = fread(got + len, 1, 8191 - len, f)) > 0)
		len += n;
	got[len] = '\0';
	unlink(path);
	assert_int_equal(pclose(f), 0);
	assert_true(len > 0 && got[len - 1] == '\n');
	got[len - 1] = '\0';
	return got;
}

static void
test_pbm_decodes_with_zbarimg(void **state)
{
	char big[1201];
	const char *texts[] = { otpauth, url, vcard, big };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = "abcdefghijklmnopqrstuvwxyz0123456789 .,:/"[i * 7 % 41];
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < CRM_NELEM(texts); i++) {
		char *got = zbar_decode(texts[i], 0);

		assert_string_equal(got, texts[i]);
		free(got);
		got = zbar_decode(texts[i], 1);
		assert_string_equal(got, texts[i]);
		free(got);
	}
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG read back by hand: the signature, IHDR, one IDAT and IEND, each
 * chunk's CRC right, and the inflated rows (filter 0, 1 bit per pixel,
 * 1 = white) the very pixels of the PBM at the same margin and scale. */
static void
test_png_matches_pbm(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_buf png, pbm;
	const unsigned char *p;
	unsigned char *rows;
	uLongf rlen;
	int n, x, y, off = 0;
	size_t row;

	(void)state;
	crm_buf_init(&png, a, 0);
	crm_buf_init(&pbm, a, 0);
	assert_int_equal(crm_qr_png(&png, url, 2, 3), CRM_OK);
	assert_int_equal(crm_qr_pbm(&pbm, url, 2, 3), CRM_OK);
	assert_int_equal(sscanf(pbm.data, "P1\n%d %*d\n%n", &n, &off), 1);
	assert_int_equal(n, (modules(url) + 4) * 3);
	p = (const unsigned char *)png.data;
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	p += 8;
	/* IHDR: width, height, depth 1, greyscale, no interlace. */
	assert_int_equal(get32(p), 13);
	assert_memory_equal(p + 4, "IHDR", 4);
	assert_int_equal(get32(p + 8), (uint32_t)n);
	assert_int_equal(get32(p + 12), (uint32_t)n);
	assert_memory_equal(p + 16, "\x01\x00\x00\x00\x00", 5);
	assert_int_equal(get32(p + 21), (uint32_t)crc32(0, p + 4, 17));
	p += 25;
	assert_memory_equal(p + 4, "IDAT", 4);
	assert_int_equal(get32(p + 8 + get32(p)), (uint32_t)crc32(0, p + 4, 4 + get32(p)));
	row = 1 + ((size_t)n + 7) / 8;
	rlen = (uLongf)(row * (size_t)n);
	rows = crm_arena_alloc(a, rlen);
	assert_int_equal(uncompress(rows, &rlen, p + 8, get32(p)), Z_OK);
	assert_int_equal(rlen, row * (size_t)n);
	p += 12 + get32(p);
	assert_int_equal(get32(p), 0);
	assert_memory_equal(p + 4, "IEND", 4);
	assert_int_equal(get32(p + 8), (uint32_t)crc32(0, p + 4, 4));
	assert_int_equal((size_t)(p + 12 - (const unsigned char *)png.data), png.len);

	p = (const unsigned char *)pbm.data + off;
	for (y = 0; y < n; y++) {
		assert_int_equal(rows[y * row], 0);
		for (x = 0; x < n; x++) {
			int white = rows[y * row + 1 + x / 8] >> (7 - x % 8) & 1;

			while (*p == '\n')
				p++;
			assert_int_equal(*p++ - '0', !white);
		}
	}
	crm_arena_free(a);
}

struct grid {
	char cells[177 * 177];
	int width;
};

static void
mark_run(int x, int y, int length, void *arg)
{
	struct grid *g = arg;

	assert_true(x >= 0 && y >= 0 && length > 0 && x + length <= g->width && y < g->width);
	while (length-- > 0)
		g->cells[y * g->width + x++] = 1;
}

/* The runs draw exactly the modules the PBM has dark (margin 0). */
static void
test_runs_match_the_image(void **state)
{
	struct grid g = { { 0 }, 0 };
	struct crm_buf pbm;
	const char *p;
	int w, h, x, y, n = 0;

	(void)state;
	assert_int_equal(crm_qr_runs(url, &w, NULL, NULL), CRM_OK);
	g.width = w;
	assert_int_equal(crm_qr_runs(url, &w, mark_run, &g), CRM_OK);
	crm_buf_init(&pbm, NULL, 1024);
	assert_int_equal(crm_qr_pbm(&pbm, url, 0, 1), CRM_OK);
	assert_int_equal(sscanf(pbm.data, "P1 %d %d%n", &x, &h, &n), 2);
	assert_int_equal(x, w);
	assert_int_equal(h, w);
	p = pbm.data + n;
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++) {
			while (*p == ' ' || *p == '\n')
				p++;
			assert_int_equal(*p++ - '0', g.cells[y * w + x]);
		}
	crm_buf_release(&pbm);
	assert_int_equal(crm_qr_runs("", &w, NULL, NULL), CRM_EINVAL);
}

static void
test_limits(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	char *text = crm_arena_alloc(a, 5001);
	struct crm_buf b;

	(void)state;
	memset(text, 'A', 5000);
	text[5000] = '\0';
	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_qr_svg(&b, text, 4, NULL), CRM_ETOOBIG);
	assert_int_equal(crm_qr_pbm(&b, text, 4, 1), CRM_ETOOBIG);
	assert_int_equal(crm_qr_png(&b, text, 4, 1), CRM_ETOOBIG);
	/* Version 40 at level M holds 2331 bytes in 8-bit mode. */
	text[2332] = '\0';
	assert_int_equal(crm_qr_svg(&b, text, 4, NULL), CRM_ETOOBIG);
	assert_int_equal(b.len, 0);
	text[2331] = '\0';
	assert_int_equal(crm_qr_svg(&b, text, 4, NULL), CRM_OK);
	check_svg(b.data, 177 + 8, "QR code");

	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_qr_svg(&b, "", 4, NULL), CRM_EINVAL);
	assert_int_equal(crm_qr_svg(&b, "x", -1, NULL), CRM_EINVAL);
	assert_int_equal(crm_qr_svg(&b, "x", CRM_QR_MARGIN_MAX + 1, NULL), CRM_EINVAL);
	assert_int_equal(crm_qr_pbm(&b, "x", 4, 0), CRM_EINVAL);
	assert_int_equal(crm_qr_pbm(&b, "x", 4, CRM_QR_SCALE_MAX + 1), CRM_EINVAL);
	assert_int_equal(crm_qr_pbm(&b, "", 4, 1), CRM_EINVAL);
	assert_int_equal(crm_qr_png(&b, "", 4, 1), CRM_EINVAL);
	assert_int_equal(crm_qr_png(&b, "x", 4, 0), CRM_EINVAL);
	assert_int_equal(crm_qr_png(&b, "x", -1, 1), CRM_EINVAL);
	assert_int_equal(b.len, 0);
	crm_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_shape_and_modules),
		cmocka_unit_test(test_png_matches_pbm),
		cmocka_unit_test(test_svg_deterministic_and_appends),
		cmocka_unit_test(test_svg_title),
		cmocka_unit_test(test_pbm_decodes_with_zbarimg),
		cmocka_unit_test(test_runs_match_the_image),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
