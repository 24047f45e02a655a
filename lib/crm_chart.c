/* Chart layout: series of numbers in, plain geometry out (crm_chart.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_chart.h"
#include "crm_num.h"
#include "crm_table.h"

static const char *const kinds[CRM_CHART__MAX] = {
	"bar",          /* CRM_CHART_BAR */
	"line",         /* CRM_CHART_LINE */
	"stacked",      /* CRM_CHART_STACKED */
	"funnel",       /* CRM_CHART_FUNNEL */
	"pie",          /* CRM_CHART_PIE */
	"scatter",      /* CRM_CHART_SCATTER */
};
_Static_assert(CRM_NELEM(kinds) == CRM_CHART__MAX, "one name per chart kind");

/* Okabe and Ito's colours, told apart with any colour vision, led by the
 * house accent; dark enough for white text to be unnecessary. */
static const char *const palette[CRM_CHART_PALETTE] = {
	"#2457c5", "#e69f00", "#009e73", "#cc79a7",
	"#56b4e9", "#d55e00", "#8a7a00", "#5f6b7a",
};

/* Margins around the plot, in user units. */
#define M_LEFT 56               /* tick labels */
#define M_RIGHT 16
#define M_TOP 16
#define M_BOTTOM 32             /* category labels */
#define M_LEGEND 24             /* a row of legend below */
#define FUNNEL_SIDE 128         /* step names on the left, figures on the right */
#define CHAR_W 7                /* a rough character width for the legend's layout */

struct layout {
	struct crm_arena *a;
	const struct crm_chart *c;
	double w, h;
	double left, right, top, bottom;
	/* Each list of shapes is a table (crm_table.h): a hash insert a
	 * coordinate was half a dashboard's instructions. */
	json_t *m, *grid, *axes, *rects, *paths, *circles, *texts, *legend;
	json_t *head, *rows, *cell_names;       /* the columns of each row's cells */
	/* Figures already written, by value: a point's figure is both its
	 * mark's title and its table cell, and money costs a format each. */
	struct {
		double v;
		crm_chart_format_fn fn;
		void *arg;
		const char *s;
	} seen[64];
};

/* A linear map from an axis' values to pixels. */
struct scale {
	double lo, hi, step, p0, p1;
	int n;
};

char *
crm_chart_number(char *buf, double v, int decimals)
{
	long long ip, fp, p = 1;
	double a, i;
	char *q;
	int d, neg;

	if (!isfinite(v))
		v = 0;
	if (v > CRM_CHART_MAX_VALUE)
		v = CRM_CHART_MAX_VALUE;
	if (v < -CRM_CHART_MAX_VALUE)
		v = -CRM_CHART_MAX_VALUE;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	for (d = 0; d < decimals; d++)
		p *= 10;
	a = fabs(v);
	i = floor(a);
	ip = (long long)i;
	fp = llround((a - i) * (double)p);
	if (fp >= p) {
		ip++;
		fp -= p;
	}
	neg = v < 0 && (ip != 0 || fp != 0);
	q = buf;
	if (neg)
		*q++ = '-';
	q += crm_num_u64(q, (unsigned long long)ip);
	if (decimals > 0) {
		*q++ = '.';
		for (d = decimals; d > 0; d--, fp /= 10)
			q[d - 1] = (char)('0' + fp % 10);
		q[decimals] = '\0';
	}
	return buf;
}

/* A figure as the chart reads it: finite and within bounds. */
static double
clean(double v)
{
	if (!isfinite(v))
		return 0;
	if (v > CRM_CHART_MAX_VALUE)
		return CRM_CHART_MAX_VALUE;
	if (v < -CRM_CHART_MAX_VALUE)
		return -CRM_CHART_MAX_VALUE;
	return v;
}

int
crm_chart_ticks(double lo, double hi, int target, double *axis_lo, double *axis_hi, double *step)
{
	double raw, e, f, nf, s;

	lo = clean(lo);
	hi = clean(hi);
	if (hi < lo) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	if (hi - lo <= 0) {
		/* One value: an interval of 1 (or of its size) above it. */
		hi = lo + (lo != 0 ? fabs(lo) : 1);
	}
	if (target < 1)
		target = 5;
	raw = (hi - lo) / target;
	e = floor(log10(raw));
	f = raw / pow(10, e);
	if (f <= 1 + 1e-9)
		nf = 1;
	else if (f <= 2 + 1e-9)
		nf = 2;
	else if (f <= 5 + 1e-9)
		nf = 5;
	else
		nf = 10;
	s = nf * pow(10, e);
	*step = s;
	*axis_lo = floor(lo / s + 1e-9) * s;
	*axis_hi = ceil(hi / s - 1e-9) * s;
	if (*axis_hi <= *axis_lo)
		*axis_hi = *axis_lo + s;
	return (int)llround((*axis_hi - *axis_lo) / s) + 1;
}

static void
scale_init(struct scale *s, double lo, double hi, double p0, double p1)
{
	s->n = crm_chart_ticks(lo, hi, 5, &s->lo, &s->hi, &s->step);
	s->p0 = p0;
	s->p1 = p1;
}

static double
scale_px(const struct scale *s, double v)
{
	return s->p0 + (clean(v) - s->lo) / (s->hi - s->lo) * (s->p1 - s->p0);
}

static double
tick_value(const struct scale *s, int k)
{
	double v = s->lo + k * s->step;

	/* -0 and 1e-17 from the sum read as 0. */
	return fabs(v) < s->step * 1e-9 ? 0 : v;
}

/* Decimals that tell the ticks of a step apart: 0 for whole steps. */
static int
tick_decimals(double step)
{
	int d = 0;

	while (d < 6 && fabs(step * pow(10, d) - llround(step * pow(10, d))) > 1e-6)
		d++;
	return d;
}

/* A label or title: checked as UTF-8 by jansson unless it is ASCII, which
 * most are (figures, money, month names), counted here at a fraction of
 * jansson's cost a byte. */
static json_t *
jstr(const char *s)
{
	const char *p;
	json_t *j;

	if (s == NULL)
		s = "";
	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0')
		return json_stringn_nocheck(s, (size_t)(p - s));
	j = json_string(s);
	return j ? j : json_string("");
}

/* A string of this file's own (a colour, an anchor, a class, path data): ASCII,
 * nothing to check. */
static json_t *
jlit(const char *s)
{
	return json_string_nocheck(s);
}

static json_t *
jnum(double v)
{
	char buf[40];

	/* Digits, a point and a sign: nothing to check for UTF-8. */
	return json_string_nocheck(crm_chart_number(buf, v, 2));
}

static const char *
label_of(const struct layout *l, size_t i)
{
	return l->c->labels && i < l->c->nlabels && l->c->labels[i] ? l->c->labels[i] : "";
}

/* A line chart's missing figure: drawn as nothing, an empty table cell. */
static int
gap(const struct layout *l, size_t series, size_t i)
{
	const struct crm_chart_series *s = &l->c->series[series];

	return l->c->kind == CRM_CHART_LINE && s->values != NULL && isnan(s->values[i]);
}

static double
value_of(const struct layout *l, size_t series, size_t i)
{
	const struct crm_chart_series *s = &l->c->series[series];

	return s->values ? clean(s->values[i]) : 0;
}

/* A figure for people: the caller's format, or integers as integers and
 * the rest with two decimals. */
static const char *
figure(struct layout *l, crm_chart_format_fn fn, void *arg, double v)
{
	char buf[40];
	const char *s = NULL;
	unsigned long long bits;
	size_t at;

	memcpy(&bits, &v, sizeof(bits));
	at = (size_t)((bits ^ bits >> 23 ^ bits >> 41) % CRM_NELEM(l->seen));
	if (l->seen[at].s != NULL && l->seen[at].fn == fn && l->seen[at].arg == arg &&
	    memcmp(&l->seen[at].v, &v, sizeof(v)) == 0)
		return l->seen[at].s;
	if (fn)
		s = fn(arg, l->a, v);
	if (s == NULL) {
		double c = clean(v);

		s = crm_arena_strdup(l->a, crm_chart_number(buf, c, c == floor(c) ? 0 : 2));
	}
	l->seen[at].v = v;
	l->seen[at].fn = fn;
	l->seen[at].arg = arg;
	l->seen[at].s = s;
	return s;
}

static const char *
value_text(struct layout *l, double v)
{
	return figure(l, l->c->format, l->c->format_arg, v);
}

static const char *
percent_text(const struct layout *l, double part, double whole)
{
	char buf[40];

	return crm_arena_join(l->a, crm_chart_number(buf, whole > 0 ? part * 100 / whole : 0, 1), " %", (char *)NULL);
}

/* The keys of each kind of shape, in the order its cells are added. */
static const char *const line_cols[] = { "x1", "y1", "x2", "y2" };
static const char *const rect_cols[] = { "x", "y", "width", "height", "fill", "title" };
static const char *const text_cols[] = { "x", "y", "text", "anchor", "class" };
static const char *const circle_cols[] = { "cx", "cy", "r", "fill", "title" };
static const char *const path_cols[] = { "d", "fill", "stroke", "stroke_width", "title" };
static const char *const legend_cols[] = { "x", "y", "tx", "ty", "fill", "name" };
static const char *const head_cols[] = { "text", "num", "share", "of_first" };
static const char *const cell_cols[] = { "text", "num", "head" };
static const char *const row_cols[] = { "cells" };

/* The column names of a kind of shape: made once a process (with malloc,
 * not in a request's arena) and shared by every chart's tables, which only
 * read them. A dashboard makes some forty such tables. */
static json_t *
names_of(const char *const *names, size_t n)
{
	static struct {
		const char *const *names;
		json_t *cols;
	} kept[16];
	struct crm_arena *a = crm_arena_json_current();
	size_t i, k;
	json_t *cols;

	for (k = 0; k < CRM_NELEM(kept) && kept[k].names != NULL; k++)
		if (kept[k].names == names)
			return json_incref(kept[k].cols);
	if (k < CRM_NELEM(kept))
		crm_arena_json_use(NULL);
	cols = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(cols, json_string_nocheck(names[i]));
	if (k < CRM_NELEM(kept)) {
		kept[k].names = names;
		kept[k].cols = json_incref(cols);
		crm_arena_json_use(a);
	}
	return cols;
}

/* An empty table of these columns. */
static json_t *
shapes(const char *const *names, size_t n)
{
	json_t *cols = names_of(names, n), *t = crm_table_new(cols);

	json_decref(cols);
	return t;
}

/* Appends a row of these cells (stolen) to a table of shapes. */
static void
add_shape(json_t *table, json_t *const *cells, size_t n)
{
	json_t *row = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(row, cells[i]);
	crm_table_append(table, row);
	json_decref(row);
}

static void
add_line(json_t *arr, double x1, double y1, double x2, double y2)
{
	json_t *cells[] = { jnum(x1), jnum(y1), jnum(x2), jnum(y2) };

	add_shape(arr, cells, CRM_NELEM(cells));
}

static void
add_rect(struct layout *l, double x, double y, double w, double h, const char *fill, const char *title)
{
	json_t *cells[] = { jnum(x), jnum(y), jnum(w), jnum(h), jlit(fill), jstr(title) };

	add_shape(l->rects, cells, CRM_NELEM(cells));
}

static void
add_text(struct layout *l, double x, double y, const char *text, const char *anchor, const char *cls)
{
	json_t *cells[] = { jnum(x), jnum(y), jstr(text), jlit(anchor), jlit(cls) };

	add_shape(l->texts, cells, CRM_NELEM(cells));
}

static void
add_circle(struct layout *l, double cx, double cy, double r, const char *fill, const char *title)
{
	json_t *cells[] = { jnum(cx), jnum(cy), jnum(r), jlit(fill), jstr(title) };

	add_shape(l->circles, cells, CRM_NELEM(cells));
}

static void
add_path(struct layout *l, const char *d, const char *fill, const char *stroke, double width,
    const char *title)
{
	json_t *cells[] = { jlit(d), jlit(fill), jlit(stroke), jnum(width), jstr(title) };

	add_shape(l->paths, cells, CRM_NELEM(cells));
}

/* Path data: a command letter (none when 0: an arc's end point), then x and y. */
static void
path_to(struct crm_buf *b, char cmd, double x, double y)
{
	char bx[40], by[40];

	if (b->len)
		crm_buf_putc(b, ' ');
	if (cmd)
		crm_buf_putc(b, cmd);
	crm_buf_puts(b, crm_chart_number(bx, x, 2));
	crm_buf_putc(b, ' ');
	crm_buf_puts(b, crm_chart_number(by, y, 2));
}

static const char *
colour(size_t i)
{
	return palette[i % CRM_CHART_PALETTE];
}

static const char *
series_name(const struct layout *l, size_t i)
{
	return l->c->series[i].name ? l->c->series[i].name : "";
}

/* "Series: label: figure", or without the series when there is one. */
static const char *
mark_title(const struct layout *l, size_t series, const char *label, const char *fig)
{
	if (l->c->nseries > 1 && series_name(l, series)[0])
		return crm_arena_join(l->a, series_name(l, series), ": ", label, ": ", fig, (char *)NULL);
	return crm_arena_join(l->a, label, ": ", fig, (char *)NULL);
}

/* A legend entry; across the bottom, or down the right side for a pie. */
static void
add_legend(struct layout *l, double *x, double *y, int down, const char *fill, const char *name)
{
	json_t *cells[] = { jnum(*x), jnum(*y - 9), jnum(*x + 14), jnum(*y), jstr(fill), jstr(name) };
	size_t chars = 0;
	const char *p;

	add_shape(l->legend, cells, CRM_NELEM(cells));
	for (p = name; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (!down) {
		*x += 14 + (double)chars * CHAR_W + 18;
		return;
	}
	/* Down the side, then another column when the frame is full. */
	*y += 20;
	if (*y > l->h - 8) {
		*y = M_TOP + 14;
		*x += 160;
	}
}

/* Characters of UTF-8 text: a width estimate (a CJK character counts once,
 * drawn about twice as wide, which CHAR_W's margin absorbs). */
static size_t
text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
series_legend(struct layout *l)
{
	double x = l->left, y = l->h - 8;
	size_t i;

	if (l->c->nseries < 2)
		return;
	for (i = 0; i < l->c->nseries; i++)
		add_legend(l, &x, &y, 0, colour(i), series_name(l, i));
}

/* The horizontal grid, tick labels and the zero line of a value axis. */
static void
value_axis(struct layout *l, const struct scale *s, crm_chart_format_fn fn, void *arg)
{
	int k, d = tick_decimals(s->step);
	char buf[40];

	const char **ticks = crm_arena_alloc(l->a, (size_t)(s->n > 0 ? s->n : 1) * sizeof(*ticks));
	size_t widest = 0;

	for (k = 0; k < s->n; k++) {
		ticks[k] = fn ? figure(l, fn, arg, tick_value(s, k)) :
		    crm_arena_strdup(l->a, crm_chart_number(buf, tick_value(s, k), d));
		widest = text_chars(ticks[k]) > widest ? text_chars(ticks[k]) : widest;
	}
	/* Long figures ("150,000,000") widen the margin, up to a third of
	 * the chart: the plot is laid out after this. */
	if ((double)widest * (CHAR_W - 0.5) + 10 > l->left)
		l->left = fmin((double)widest * (CHAR_W - 0.5) + 10, l->w / 3);
	for (k = 0; k < s->n; k++) {
		double y = scale_px(s, tick_value(s, k));

		add_line(l->grid, l->left, y, l->right, y);
		add_text(l, l->left - 6, y + 4, ticks[k], "end", "chart-tick");
	}
	add_line(l->axes, l->left, l->top, l->left, l->bottom);
	add_line(l->axes, l->left, scale_px(s, 0), l->right, scale_px(s, 0));
}

static void
category_labels(struct layout *l, double band)
{
	size_t i, widest = 1, every;

	/* Thirty days under a line: every k-th label, so that none overlap. */
	for (i = 0; i < l->c->nlabels; i++)
		if (text_chars(label_of(l, i)) > widest)
			widest = text_chars(label_of(l, i));
	every = (size_t)ceil(((double)widest * CHAR_W + 8) / band);
	if (every < 1)
		every = 1;
	for (i = 0; i < l->c->nlabels; i += every)
		add_text(l, l->left + (i + 0.5) * band, l->bottom + 18, label_of(l, i), "middle", "chart-label");
}

/* Whether a value label fits over a mark of this width (else the <title>
 * of the mark and the table carry the figure). */
static int
fits(const char *fig, double width)
{
	return (double)text_chars(fig) * (CHAR_W - 1) <= width + 4;
}

/* The lowest and highest figure (or stack) of a category chart, 0 included. */
static void
category_range(const struct layout *l, int stacked, double *lo, double *hi)
{
	size_t i, j;

	*lo = *hi = 0;
	for (i = 0; i < l->c->nlabels; i++) {
		double pos = 0, neg = 0;

		for (j = 0; j < l->c->nseries; j++) {
			double v = value_of(l, j, i);

			if (stacked) {
				if (v > 0)
					pos += v;
				else
					neg += v;
			} else {
				*lo = fmin(*lo, v);
				*hi = fmax(*hi, v);
			}
		}
		if (stacked) {
			*lo = fmin(*lo, clean(neg));
			*hi = fmax(*hi, clean(pos));
		}
	}
}

static void
draw_bars(struct layout *l)
{
	size_t n = l->c->nlabels, m = l->c->nseries, i, j;
	double lo, hi, band, bar;
	struct scale s;

	category_range(l, 0, &lo, &hi);
	scale_init(&s, lo, hi, l->bottom, l->top);
	value_axis(l, &s, l->c->format, l->c->format_arg);
	band = (l->right - l->left) / (double)n;
	bar = band * 0.8 / (double)m;
	category_labels(l, band);
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			double v = value_of(l, j, i), x = l->left + i * band + band * 0.1 + j * bar;
			double y0 = scale_px(&s, 0), y = scale_px(&s, v);
			const char *fig = value_text(l, v);

			add_rect(l, x, fmin(y, y0), bar, fabs(y0 - y), colour(j), mark_title(l, j, label_of(l, i), fig));
			if (fits(fig, bar))
				add_text(l, x + bar / 2, v < 0 ? y + 14 : y - 4, fig, "middle", "chart-value");
		}
	series_legend(l);
}

static void
draw_stacked(struct layout *l)
{
	size_t n = l->c->nlabels, m = l->c->nseries, i, j;
	double lo, hi, band, bar;
	struct scale s;

	category_range(l, 1, &lo, &hi);
	scale_init(&s, lo, hi, l->bottom, l->top);
	value_axis(l, &s, l->c->format, l->c->format_arg);
	band = (l->right - l->left) / (double)n;
	bar = band * 0.6;
	category_labels(l, band);
	for (i = 0; i < n; i++) {
		double pos = 0, neg = 0, total = 0, x = l->left + i * band + band * 0.2;

		for (j = 0; j < m; j++) {
			double v = value_of(l, j, i), from, to, y0, y1;

			if (v == 0)
				continue;
			if (v > 0) {
				from = pos;
				to = pos = clean(pos + v);
			} else {
				from = neg;
				to = neg = clean(neg + v);
			}
			total += v;
			y0 = scale_px(&s, from);
			y1 = scale_px(&s, to);
			add_rect(l, x, fmin(y0, y1), bar, fabs(y1 - y0), colour(j),
			    mark_title(l, j, label_of(l, i), value_text(l, v)));
		}
		/* The stack's total above it (below it when it goes down only). */
		if ((pos > 0 || neg < 0) && fits(value_text(l, clean(total)), bar))
			add_text(l, x + bar / 2, pos > 0 ? scale_px(&s, pos) - 4 : scale_px(&s, neg) + 14,
			    value_text(l, clean(total)), "middle", "chart-value");
	}
	series_legend(l);
}

static void
draw_line(struct layout *l)
{
	size_t n = l->c->nlabels, m = l->c->nseries, i, j;
	double lo, hi, band;
	struct scale s;

	category_range(l, 0, &lo, &hi);
	scale_init(&s, lo, hi, l->bottom, l->top);
	value_axis(l, &s, l->c->format, l->c->format_arg);
	band = (l->right - l->left) / (double)n;
	category_labels(l, band);
	for (j = 0; j < m; j++) {
		struct crm_buf d;

		int pen = 0;

		crm_buf_init(&d, l->a, 64);
		/* A NaN is a month without the figure (a forecast's future
		 * actuals): the line breaks there. */
		for (i = 0; i < n; i++) {
			if (gap(l, j, i)) {
				pen = 0;
				continue;
			}
			path_to(&d, pen ? 'L' : 'M', l->left + (i + 0.5) * band, scale_px(&s, value_of(l, j, i)));
			pen = 1;
		}
		if (d.len > 0)
			add_path(l, d.data, "none", colour(j), 2, series_name(l, j));
		for (i = 0; i < n; i++) {
			double v = value_of(l, j, i), x = l->left + (i + 0.5) * band, y = scale_px(&s, v);
			const char *fig;

			if (gap(l, j, i))
				continue;
			fig = value_text(l, v);

			add_circle(l, x, y, 3.5, colour(j), mark_title(l, j, label_of(l, i), fig));
			/* Above the marker, but never above the frame. */
			if (fits(fig, band))
				add_text(l, x, fmax(y - 8, 12), fig, "middle", "chart-value");
		}
	}
	series_legend(l);
}

static void
draw_funnel(struct layout *l)
{
	size_t n = l->c->nlabels, i;
	double first = value_of(l, 0, 0), max = 0, row, mid, full;

	l->left = FUNNEL_SIDE;
	l->right = l->w - FUNNEL_SIDE;
	row = (l->bottom - l->top) / (double)n;
	mid = (l->left + l->right) / 2;
	full = l->right - l->left;
	for (i = 0; i < n; i++)
		max = fmax(max, value_of(l, 0, i));
	for (i = 0; i < n; i++) {
		double v = fmax(0, value_of(l, 0, i)), w = full * v / max, y = l->top + i * row;
		const char *fig = value_text(l, value_of(l, 0, i));

		if (first > 0)
			fig = crm_arena_printf(l->a, "%s (%s)", fig, percent_text(l, v, first));
		add_rect(l, mid - w / 2, y + row * 0.1, w, row * 0.8, colour(0), mark_title(l, 0, label_of(l, i), fig));
		add_text(l, l->left - 8, y + row / 2 + 4, label_of(l, i), "end", "chart-label");
		add_text(l, l->right + 8, y + row / 2 + 4, fig, "start", "chart-value");
	}
}

/* A point of the pie's circle at angle a, clockwise from the top. */
static void
pie_point(double cx, double cy, double r, double a, double *x, double *y)
{
	*x = cx + r * sin(a);
	*y = cy - r * cos(a);
}

static void
draw_pie(struct layout *l)
{
	size_t n = l->c->nlabels, i;
	double total = 0, r = (l->h - 2 * M_TOP) / 2 - 16, cx = M_TOP + 16 + r, cy = l->h / 2, a = 0;
	double lx = cx + r + 48, ly = M_TOP + 14;

	if (r > (l->w - 2 * M_TOP) / 4)
		r = (l->w - 2 * M_TOP) / 4;
	for (i = 0; i < n; i++)
		total += fmax(0, value_of(l, 0, i));
	total = clean(total);
	for (i = 0; i < n; i++) {
		double v = fmax(0, value_of(l, 0, i)), sweep = 2 * M_PI * v / total, x0, y0, x1, y1, tx, ty;
		const char *pct = percent_text(l, v, total);
		char br[40];
		struct crm_buf d;

		add_legend(l, &lx, &ly, 1, colour(i), label_of(l, i));
		if (v <= 0)
			continue;
		crm_buf_init(&d, l->a, 96);
		crm_chart_number(br, r, 2);
		if (sweep >= 2 * M_PI - 1e-9) {
			/* One slice is the whole: two half circles, as one arc
			 * cannot end where it starts. */
			path_to(&d, 'M', cx, cy - r);
			crm_buf_printf(&d, " A%s %s 0 1 1", br, br);
			path_to(&d, 0, cx, cy + r);
			crm_buf_printf(&d, " A%s %s 0 1 1", br, br);
			path_to(&d, 0, cx, cy - r);
			crm_buf_puts(&d, " Z");
		} else {
			pie_point(cx, cy, r, a, &x0, &y0);
			pie_point(cx, cy, r, a + sweep, &x1, &y1);
			path_to(&d, 'M', cx, cy);
			path_to(&d, 'L', x0, y0);
			crm_buf_printf(&d, " A%s %s 0 %d 1", br, br, sweep > M_PI ? 1 : 0);
			path_to(&d, 0, x1, y1);
			crm_buf_puts(&d, " Z");
		}
		add_path(l, d.data, colour(i), "#ffffff", 1, mark_title(l, 0, label_of(l, i),
		    crm_arena_printf(l->a, "%s (%s)", value_text(l, value_of(l, 0, i)), pct)));
		/* The share inside the slice, two thirds out along its middle;
		 * a sliver's share would not fit: its title and the table say it. */
		pie_point(cx, cy, r * 0.66, a + sweep / 2, &tx, &ty);
		if (sweep >= 2 * M_PI - 1e-9)
			tx = cx, ty = cy;
		if (sweep >= 0.2)
			add_text(l, tx, ty + 4, pct, "middle", "chart-value chart-inside");
		a += sweep;
	}
}

static void
draw_scatter(struct layout *l)
{
	double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
	struct scale sx, sy;
	size_t i, j;
	int k, d;
	char buf[40];

	for (j = 0; j < l->c->nseries; j++)
		for (i = 0; i < l->c->series[j].n; i++) {
			const struct crm_chart_series *s = &l->c->series[j];
			double x = s->x ? clean(s->x[i]) : 0, y = s->values ? clean(s->values[i]) : 0;

			xlo = fmin(xlo, x), xhi = fmax(xhi, x);
			ylo = fmin(ylo, y), yhi = fmax(yhi, y);
		}
	scale_init(&sy, ylo, yhi, l->bottom, l->top);
	value_axis(l, &sy, l->c->format, l->c->format_arg);
	scale_init(&sx, xlo, xhi, l->left, l->right);
	d = tick_decimals(sx.step);
	for (k = 0; k < sx.n; k++) {
		double v = tick_value(&sx, k), x = scale_px(&sx, v);
		const char *t = l->c->x_format ? figure(l, l->c->x_format, l->c->x_format_arg, v) :
		    crm_arena_strdup(l->a, crm_chart_number(buf, v, d));

		add_line(l->grid, x, l->top, x, l->bottom);
		add_text(l, x, l->bottom + 18, t, "middle", "chart-tick");
	}
	add_line(l->axes, scale_px(&sx, 0), l->top, scale_px(&sx, 0), l->bottom);
	for (j = 0; j < l->c->nseries; j++) {
		const struct crm_chart_series *s = &l->c->series[j];

		for (i = 0; i < s->n; i++) {
			double x = s->x ? clean(s->x[i]) : 0, y = s->values ? clean(s->values[i]) : 0;
			const char *fx = figure(l, l->c->x_format ? l->c->x_format : l->c->format,
			    l->c->x_format ? l->c->x_format_arg : l->c->format_arg, x);

			add_circle(l, scale_px(&sx, x), scale_px(&sy, y), 4, colour(j),
			    mark_title(l, j, fx, value_text(l, y)));
		}
	}
	series_legend(l);
}

/* ---- the table ---- */

static void
add_head(struct layout *l, const char *text, int num, const char *word)
{
	/* Every key the template reads is set, so that none is looked up in
	 * the page's view around the chart. */
	json_t *cells[] = { jstr(text), json_boolean(num), json_boolean(word && strcmp(word, "share") == 0),
		json_boolean(word && strcmp(word, "of_first") == 0) };

	add_shape(l->head, cells, CRM_NELEM(cells));
}

static json_t *
add_row(struct layout *l)
{
	json_t *cells = crm_table_new(l->cell_names), *row = json_pack("[o]", cells);

	crm_table_append(l->rows, row);
	json_decref(row);
	return cells;
}

static void
add_cell(json_t *cells, const char *text, int num)
{
	/* The first cell names the row. */
	json_t *cell[] = { jstr(text), json_boolean(num), json_boolean(crm_table_size(cells) == 0) };

	add_shape(cells, cell, CRM_NELEM(cell));
}

static void
build_table(struct layout *l)
{
	const struct crm_chart *c = l->c;
	size_t i, j;

	if (c->kind == CRM_CHART_SCATTER) {
		add_head(l, c->label_title, 0, NULL);
		add_head(l, c->x_title ? c->x_title : "x", 1, NULL);
		add_head(l, c->y_title ? c->y_title : "y", 1, NULL);
		for (j = 0; j < c->nseries; j++)
			for (i = 0; i < c->series[j].n; i++) {
				const struct crm_chart_series *s = &c->series[j];
				json_t *cells = add_row(l);

				add_cell(cells, series_name(l, j), 0);
				add_cell(cells, figure(l, c->x_format ? c->x_format : c->format,
				    c->x_format ? c->x_format_arg : c->format_arg, s->x ? s->x[i] : 0), 1);
				add_cell(cells, value_text(l, s->values ? s->values[i] : 0), 1);
			}
		return;
	}
	add_head(l, c->label_title, 0, NULL);
	for (j = 0; j < c->nseries; j++)
		add_head(l, series_name(l, j), 1, NULL);
	if (c->kind == CRM_CHART_PIE && c->nseries > 0)
		add_head(l, "", 1, "share");
	if (c->kind == CRM_CHART_FUNNEL && c->nseries > 0)
		add_head(l, "", 1, "of_first");
	for (i = 0; i < c->nlabels; i++) {
		json_t *cells = add_row(l);
		double total = 0;
		size_t k;

		add_cell(cells, label_of(l, i), 0);
		for (j = 0; j < c->nseries; j++)
			add_cell(cells, gap(l, j, i) ? "" : value_text(l, value_of(l, j, i)), 1);
		if (c->nseries == 0)
			continue;
		if (c->kind == CRM_CHART_PIE) {
			for (k = 0; k < c->nlabels; k++)
				total += fmax(0, value_of(l, 0, k));
			add_cell(cells, total > 0 ? percent_text(l, fmax(0, value_of(l, 0, i)), clean(total)) : "", 1);
		}
		if (c->kind == CRM_CHART_FUNNEL)
			add_cell(cells, value_of(l, 0, 0) > 0 ?
			    percent_text(l, fmax(0, value_of(l, 0, i)), value_of(l, 0, 0)) : "", 1);
	}
}

/* Whether any figure the chart would draw is other than 0. */
static int
has_data(const struct crm_chart *c)
{
	size_t i, j;

	if (c->series == NULL || c->nseries == 0)
		return 0;
	if (c->kind == CRM_CHART_SCATTER) {
		for (j = 0; j < c->nseries; j++)
			for (i = 0; i < c->series[j].n; i++)
				if ((c->series[j].x && clean(c->series[j].x[i]) != 0) ||
				    (c->series[j].values && clean(c->series[j].values[i]) != 0))
					return 1;
		return 0;
	}
	/* A pie and a funnel draw series 0 only, and nothing below 0. */
	if (c->kind == CRM_CHART_PIE || c->kind == CRM_CHART_FUNNEL) {
		for (i = 0; i < c->nlabels; i++)
			if (c->series[0].values && clean(c->series[0].values[i]) > 0)
				return 1;
		return 0;
	}
	for (j = 0; j < c->nseries; j++)
		for (i = 0; i < c->nlabels; i++)
			if (c->series[j].values && clean(c->series[j].values[i]) != 0)
				return 1;
	return 0;
}

json_t *
crm_chart_view(struct crm_arena *a, const struct crm_chart *c)
{
	struct layout l;
	int kind = c->kind >= 0 && c->kind < CRM_CHART__MAX ? (int)c->kind : CRM_CHART_BAR;
	int legend_row = kind != CRM_CHART_PIE && kind != CRM_CHART_FUNNEL && c->nseries > 1;
	json_t *table;

	memset(&l, 0, sizeof(l));
	l.a = a;
	l.c = c;
	l.w = c->width > 0 ? c->width : CRM_CHART_WIDTH;
	l.h = c->height > 0 ? c->height : CRM_CHART_HEIGHT;
	l.w = fmin(fmax(l.w, 160), 4000);
	l.h = fmin(fmax(l.h, 120), 4000);
	l.left = M_LEFT;
	l.right = l.w - M_RIGHT;
	l.top = M_TOP;
	l.bottom = l.h - M_BOTTOM - (legend_row ? M_LEGEND : 0);
	l.m = json_object();
	l.grid = shapes(line_cols, CRM_NELEM(line_cols));
	l.axes = shapes(line_cols, CRM_NELEM(line_cols));
	l.rects = shapes(rect_cols, CRM_NELEM(rect_cols));
	l.paths = shapes(path_cols, CRM_NELEM(path_cols));
	l.circles = shapes(circle_cols, CRM_NELEM(circle_cols));
	l.texts = shapes(text_cols, CRM_NELEM(text_cols));
	l.legend = shapes(legend_cols, CRM_NELEM(legend_cols));
	l.head = shapes(head_cols, CRM_NELEM(head_cols));
	l.rows = shapes(row_cols, CRM_NELEM(row_cols));
	l.cell_names = names_of(cell_cols, CRM_NELEM(cell_cols));

	json_object_set_new_nocheck(l.m, "kind", json_string(kinds[kind]));
	json_object_set_new_nocheck(l.m, "id", jstr(c->id));
	json_object_set_new_nocheck(l.m, "title", jstr(c->title));
	json_object_set_new_nocheck(l.m, "width", jnum(l.w));
	json_object_set_new_nocheck(l.m, "height", jnum(l.h));
	json_object_set_new_nocheck(l.m, "centre_x", jnum(l.w / 2));
	json_object_set_new_nocheck(l.m, "centre_y", jnum(l.h / 2));
	json_object_set_new_nocheck(l.m, "empty", json_false());
	if (!has_data(c) || (kind != CRM_CHART_SCATTER && c->nlabels == 0)) {
		json_object_set_new_nocheck(l.m, "empty", json_true());
		/* The frame alone: the two axes of an empty plot. */
		if (kind != CRM_CHART_PIE) {
			add_line(l.axes, l.left, l.top, l.left, l.bottom);
			add_line(l.axes, l.left, l.bottom, l.right, l.bottom);
		}
	} else {
		switch (kind) {
		case CRM_CHART_LINE:
			draw_line(&l);
			break;
		case CRM_CHART_STACKED:
			draw_stacked(&l);
			break;
		case CRM_CHART_FUNNEL:
			draw_funnel(&l);
			break;
		case CRM_CHART_PIE:
			draw_pie(&l);
			break;
		case CRM_CHART_SCATTER:
			draw_scatter(&l);
			break;
		default:
			draw_bars(&l);
			break;
		}
	}
	json_object_set_new_nocheck(l.m, "grid", l.grid);
	json_object_set_new_nocheck(l.m, "axes", l.axes);
	json_object_set_new_nocheck(l.m, "rects", l.rects);
	json_object_set_new_nocheck(l.m, "paths", l.paths);
	json_object_set_new_nocheck(l.m, "circles", l.circles);
	json_object_set_new_nocheck(l.m, "texts", l.texts);
	json_object_set_new_nocheck(l.m, "legend", l.legend);
	if (c->series)
		build_table(&l);
	table = json_object();
	json_object_set_new_nocheck(table, "caption", jstr(c->title));
	json_object_set_new_nocheck(table, "head", l.head);
	json_object_set_new_nocheck(table, "rows", l.rows);
	json_object_set_new_nocheck(l.m, "table", table);
	json_decref(l.cell_names);
	return l.m;
}
