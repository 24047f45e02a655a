/* Charts drawn on the server: bar, line, stacked bar, funnel, pie and
 * scatter, readable without JavaScript, with the same figures as a table.
 *
 * What it is for. A handler never prints HTML (STYLE rule 14), and an SVG
 * chart is HTML. So crm_chart does the arithmetic only: it turns series of
 * numbers into a view model of plain geometry (coordinates as strings of
 * digits with two decimals, SVG path data made of numbers and the letters
 * M, L, A and Z, colours from a fixed palette as "#rrggbb") and a table of
 * the same figures. One template, html/templates/partials/chart.mustache,
 * draws every kind from that model: it knows nothing about bars or slices,
 * only lines, rects, paths, circles, texts and a legend, all escaped as any
 * other value ({{x}}). Labels and series names are data and never markup.
 *
 * How a handler uses it:
 *
 *     static const char *const months[] = { "Jan", "Feb", "Mar" };
 *     double won[] = { 12, 30, 18 };
 *     struct crm_chart_series s = { crm_ctx_text(c, N_("Won")), won, NULL, 0 };
 *     struct crm_chart ch = { .kind = CRM_CHART_BAR, .title = ..., .labels = months,
 *         .nlabels = 3, .series = &s, .nseries = 1 };
 *     json_object_set_new(c->view, "chart", crm_chart_view(c->arena, &ch));
 *
 * and the page template says {{#chart}}{{>partials/chart}}{{/chart}} (or
 * {{#charts}}...{{/charts}} over an array of them). Through /api/v1 the
 * same model is the JSON answer; its "table" is what an API client wants.
 *
 * Rules of the layout: value axes start at 0, or below it when the data go
 * negative, and end at a "nice" tick (1, 2 or 5 times a power of ten).
 * Values that are NaN or infinite count as 0; finite ones are kept within
 * +-CRM_CHART_MAX_VALUE. When no figure is other than 0 (or there is no
 * figure at all) the model says "empty": true, draws no marks and the
 * template writes "No data" in the frame; the table still lists the
 * figures. No coordinate is ever NaN or infinite. Negative values of a
 * pie or funnel are drawn as 0 (they cannot be a slice or a step), and
 * shown as they are in the table. In a line chart a NaN is a gap instead
 * (a month without the figure): the line breaks, no marker, an empty cell.
 *
 * Crowded charts stay legible: category labels are thinned to every k-th,
 * a value label too wide for its bar or band is left out (the mark's
 * <title> and the table still give it), a pie slice under about 3 % gets
 * no label on it, and a long pie legend takes a second column. A pie and a
 * funnel draw series 0; the table lists every series.
 *
 * Linking: crm_chart.c uses libm (sin, cos, log10): the Makefile's LDLIBS
 * has -lm for every program.
 *
 * Memory: the JSON comes from jansson's allocator, which during a request
 * is the request arena (crm_http.c calls crm_arena_json_use); scratch text
 * comes from the arena given. Nothing needs freeing. */
#ifndef CRM_CHART_H
#define CRM_CHART_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_arena.h"

#define CRM_CHART_MAX_VALUE 1e15        /* larger figures are drawn as this */
#define CRM_CHART_WIDTH 640             /* defaults, in SVG user units */
#define CRM_CHART_HEIGHT 320
#define CRM_CHART_PALETTE 8             /* colours before they repeat */

enum crm_chart_kind {
	CRM_CHART_BAR,          /* grouped bars: one bar per series per label */
	CRM_CHART_LINE,         /* one line per series, a marker per point */
	CRM_CHART_STACKED,      /* bars of each label stacked, series on series */
	CRM_CHART_FUNNEL,       /* series 0: centred bars narrowing step by step */
	CRM_CHART_PIE,          /* series 0: one slice per label */
	CRM_CHART_SCATTER,      /* (x, y) points per series; labels unused */
	CRM_CHART__MAX
};

struct crm_chart_series {
	const char *name;       /* legend and table heading; NULL is "" */
	const double *values;   /* nlabels values; scatter: n values of y */
	const double *x;        /* scatter only: n values of x */
	size_t n;               /* scatter only: number of points */
};

/* Formats a figure for tick labels, value labels and the table: a money
 * amount with its currency, a percentage. The result may live in the
 * arena or be static; NULL falls back to the default. */
typedef const char *(*crm_chart_format_fn)(void *arg, struct crm_arena *, double value);

struct crm_chart {
	enum crm_chart_kind kind;
	const char *id;                 /* the <figure>'s id, or NULL */
	const char *title;              /* <title>, aria-label and table caption */
	const char *const *labels;      /* categories: the x axis, slices, steps */
	size_t nlabels;
	const struct crm_chart_series *series;
	size_t nseries;
	const char *label_title;        /* heading of the table's first column */
	const char *x_title, *y_title;  /* scatter: the axes' names (table headings) */
	int width, height;              /* 0: CRM_CHART_WIDTH x CRM_CHART_HEIGHT */
	/* NULL: integers as integers, other figures with two decimals. */
	crm_chart_format_fn format;
	void *format_arg;
	/* The x axis of a scatter; NULL: as format. */
	crm_chart_format_fn x_format;
	void *x_format_arg;
};

/* The view model (every coordinate a string such as "152.00"):
 *   kind ("bar"...), id, title, width, height, empty (true or absent),
 *   centre_x, centre_y (where "No data" goes),
 *   grid[], axes[]: {x1, y1, x2, y2}
 *   rects[]: {x, y, width, height, fill, title}
 *   paths[]: {d, fill, stroke, stroke_width, title}
 *   circles[]: {cx, cy, r, fill, title}
 *   texts[]: {x, y, text, anchor (start|middle|end), class: chart-tick,
 *       chart-label, chart-value, or "chart-value chart-inside" on a pie slice}
 *   legend[]: {x, y, tx, ty, fill, name}
 *   table: {caption, head[]: {text, num, share, of_first}, rows[]: {cells[]: {text, num}}}
 * "share" and "of_first" headings are words the template supplies in the
 * page's language ("Share", "Of the first step"). Each list (grid[] to
 * legend[], head[], rows[] and each row's cells[]) is a table of those
 * keys (crm_table.h): the template and the JSON writer see the objects,
 * C code reads them with crm_table_get. */
json_t *crm_chart_view(struct crm_arena *, const struct crm_chart *);

/* As crm_chart_view, from the worker's last few models when every input
 * is the same as one of theirs (crm_chart_memo.c): for a page whose
 * figures change far less often than it is read. The model is shared:
 * read it, put it in a view, never change it. The format functions must
 * be functions of the value alone; a chart with a format argument is made
 * afresh. */
json_t *crm_chart_view_memo(struct crm_arena *, const struct crm_chart *);
/* Frees the kept models (a worker's exit, a test). */
void crm_chart_memo_clear(void);

/* Nice ticks for a value axis from lo to hi (lo <= hi): a step of 1, 2 or
 * 5 times a power of ten giving about target intervals, and the axis ends
 * widened to multiples of it. Returns the number of ticks (at least 2). */
int crm_chart_ticks(double lo, double hi, int target, double *axis_lo, double *axis_hi,
    double *step);

/* Writes v with exactly decimals (0..6) decimals into buf (at least 40
 * bytes) without locale: "-12.50"; NaN and infinities write "0", and
 * values beyond CRM_CHART_MAX_VALUE write that bound. Returns buf. */
char *crm_chart_number(char *buf, double v, int decimals);

#endif
