/* A worker's last few chart models, kept from one request to the next.
 *
 * Why. A dashboard's figures come from totals the database keeps, and they
 * change a few times an hour, while the dashboard is read many times a
 * minute. Its statements still run on every request, so what it shows is
 * never stale; but laying out the same numbers into the same geometry
 * again was 40% of the sales dashboard's instructions. crm_chart_view is
 * a pure function of the chart it is given, so when every input is the
 * same as one kept, its model is the kept one.
 *
 * The key is every input written out byte for byte (the strings, each
 * value's bits, the format functions' addresses), compared whole: a hash
 * only finds the slot. A chart with a format argument is not kept: the
 * argument is a pointer whose contents the key cannot see.
 *
 * Memory. A kept model is made with malloc and read by requests that
 * never change it. One pushed out of the table is freed when the arena of
 * the request that pushed it out is reset (a cleanup): that request may
 * show it already. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_chart.h"
#include "crm_kept.h"

#define SLOTS 32                /* four dashboards' charts, twice over */

static struct kept {
	char *key;
	size_t len;
	uint64_t hash;
	json_t *view;
	unsigned long used;     /* the use count when last found, for LRU */
} kept[SLOTS];
static unsigned long uses;

static void
put_size(struct crm_buf *b, size_t n)
{
	crm_buf_add(b, &n, sizeof(n));
}

static void
put_str(struct crm_buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_size(b, SIZE_MAX);
		return;
	}
	n = strlen(s);
	put_size(b, n);
	crm_buf_add(b, s, n);
}

static void
put_fn(struct crm_buf *b, crm_chart_format_fn fn)
{
	crm_buf_add(b, &fn, sizeof(fn));
}

static void
put_values(struct crm_buf *b, const double *v, size_t n)
{
	if (v == NULL) {
		put_size(b, SIZE_MAX);
		return;
	}
	put_size(b, n);
	crm_buf_add(b, v, n * sizeof(*v));
}

static void
key_of(struct crm_buf *b, const struct crm_chart *c)
{
	size_t i;
	int k;

	k = (int)c->kind;
	crm_buf_add(b, &k, sizeof(k));
	crm_buf_add(b, &c->width, sizeof(c->width));
	crm_buf_add(b, &c->height, sizeof(c->height));
	put_str(b, c->id);
	put_str(b, c->title);
	put_str(b, c->label_title);
	put_str(b, c->x_title);
	put_str(b, c->y_title);
	put_fn(b, c->format);
	put_fn(b, c->x_format);
	put_size(b, c->labels != NULL ? c->nlabels : SIZE_MAX);
	for (i = 0; c->labels != NULL && i < c->nlabels; i++)
		put_str(b, c->labels[i]);
	put_size(b, c->series != NULL ? c->nseries : SIZE_MAX);
	for (i = 0; c->series != NULL && i < c->nseries; i++) {
		const struct crm_chart_series *s = &c->series[i];

		put_str(b, s->name);
		put_size(b, s->n);
		/* What crm_chart_view reads: n points of a scatter, else a
		 * value a label. */
		put_values(b, s->values, c->kind == CRM_CHART_SCATTER ? s->n : c->nlabels);
		put_values(b, s->x, c->kind == CRM_CHART_SCATTER ? s->n : 0);
	}
}

static uint64_t
hash_of(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Frees a model and all of it. Requests take references to a kept model
 * and, as their view dies with the arena, never give them back: so its
 * count says nothing, and the table's word that it is done with it is the
 * only one. With malloc's free, whatever jansson allocates from now. */
static void
free_model(void *view)
{
	struct crm_arena *a = crm_arena_json_current();
	json_t *v = view;

	if (v == NULL)
		return;
	crm_kept_drop(v);
	crm_arena_json_use(NULL);
	v->refcount = 1;
	json_decref(v);
	crm_arena_json_use(a);
}

json_t *
crm_chart_view_memo(struct crm_arena *a, const struct crm_chart *c)
{
	struct crm_arena *json_arena;
	struct crm_buf key;
	struct kept *k, *slot;
	uint64_t h;
	json_t *view;

	if (c->format_arg != NULL || c->x_format_arg != NULL)
		return crm_chart_view(a, c);
	crm_buf_init(&key, a, 512);
	key_of(&key, c);
	h = hash_of(key.data, key.len);
	uses++;
	slot = &kept[0];
	for (k = kept; k < kept + SLOTS; k++) {
		if (k->view != NULL && k->hash == h && k->len == key.len && memcmp(k->key, key.data, key.len) == 0) {
			k->used = uses;
			return json_incref(k->view);
		}
		if (k->view == NULL || (slot->view != NULL && k->used < slot->used))
			slot = k;
	}

	/* Made on the heap to outlive the request; the layout's scratch
	 * text still comes from the arena. */
	json_arena = crm_arena_json_current();
	crm_arena_json_use(NULL);
	view = crm_chart_view(a, c);
	if (slot->view != NULL) {
		/* This request may show it already: freed after it. */
		crm_arena_cleanup(a, free_model, slot->view);
		free(slot->key);
	}
	slot->key = crm_xmalloc(key.len);
	memcpy(slot->key, key.data, key.len);
	slot->len = key.len;
	slot->hash = h;
	slot->view = view;
	slot->used = uses;
	/* Never changed while kept: the template layer and the JSON writer
	 * may keep what they make of it. */
	crm_kept_add(view);
	crm_arena_json_use(json_arena);
	return json_incref(view);
}

void
crm_chart_memo_clear(void)
{
	struct kept *k;

	for (k = kept; k < kept + SLOTS; k++) {
		free_model(k->view);
		free(k->key);
		memset(k, 0, sizeof(*k));
	}
}
