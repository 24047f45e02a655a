/* Kept values and their outputs: see crm_kept.h. An open-addressed table
 * by address, so asking about a value that is not kept (most objects a
 * page writes) costs a multiply and a compare or two. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "crm_kept.h"

#define SLOTS 256               /* a power of two; at most half used */
#define OUTPUTS 4               /* a page template per language, the JSON writer */

struct output {
	const void *who;
	char *s;
	size_t len;
	int flags;
};

static struct slot {
	const json_t *v;
	struct output out[OUTPUTS];
	unsigned next;          /* the output to replace when all are taken */
} slots[SLOTS];

unsigned crm_kept_count;

static size_t
home(const json_t *v)
{
	return (size_t)(((uintptr_t)v * 0x9E3779B97F4A7C15ULL) >> 57) & (SLOTS - 1);
}

static struct slot *
find(const json_t *v)
{
	size_t i = home(v);

	while (slots[i].v != NULL) {
		if (slots[i].v == v)
			return &slots[i];
		i = (i + 1) & (SLOTS - 1);
	}
	return NULL;
}

static void
free_outputs(struct slot *s)
{
	unsigned k;

	for (k = 0; k < OUTPUTS; k++)
		free(s->out[k].s);
	memset(s->out, 0, sizeof(s->out));
	s->next = 0;
}

int
crm_kept_add(const json_t *v)
{
	size_t i;

	if (v == NULL || find(v) != NULL)
		return 0;
	if (crm_kept_count >= SLOTS / 2)
		return -1;
	for (i = home(v); slots[i].v != NULL; i = (i + 1) & (SLOTS - 1))
		;
	slots[i].v = v;
	crm_kept_count++;
	return 0;
}

void
crm_kept_drop(const json_t *v)
{
	struct slot *s = v != NULL ? find(v) : NULL;
	size_t i, j, h;

	if (s == NULL)
		return;
	free_outputs(s);
	s->v = NULL;
	crm_kept_count--;
	/* Linear probing without tombstones: the values after the hole in
	 * its run move back where a search from their home still finds
	 * them. */
	i = (size_t)(s - slots);
	for (j = (i + 1) & (SLOTS - 1); slots[j].v != NULL; j = (j + 1) & (SLOTS - 1)) {
		h = home(slots[j].v);
		if (((j - h) & (SLOTS - 1)) >= ((j - i) & (SLOTS - 1))) {
			slots[i] = slots[j];
			memset(&slots[j], 0, sizeof(slots[j]));
			i = j;
		}
	}
}

int
crm_kept_has(const json_t *v)
{
	return find(v) != NULL;
}

const char *
crm_kept_get(const json_t *v, const void *who, size_t *len, int *flags)
{
	struct slot *s = find(v);
	unsigned k;

	for (k = 0; s != NULL && k < OUTPUTS; k++)
		if (s->out[k].who == who && s->out[k].s != NULL) {
			*len = s->out[k].len;
			*flags = s->out[k].flags;
			return s->out[k].s;
		}
	return NULL;
}

void
crm_kept_put(const json_t *v, const void *who, const char *bytes, size_t len, int flags)
{
	struct slot *s = find(v);
	struct output *o;
	unsigned k;

	if (s == NULL)
		return;
	for (k = 0; k < OUTPUTS && s->out[k].who != who; k++)
		;
	for (k = k < OUTPUTS ? k : 0; k < OUTPUTS && s->out[k].who != who && s->out[k].s != NULL; k++)
		;
	o = k < OUTPUTS ? &s->out[k] : &s->out[s->next++ % OUTPUTS];
	free(o->s);
	o->who = who;
	o->s = crm_xmalloc(len + 1);
	memcpy(o->s, bytes, len);
	o->s[len] = '\0';
	o->len = len;
	o->flags = flags;
}

void
crm_kept_forget_outputs(void)
{
	size_t i;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].v != NULL)
			free_outputs(&slots[i]);
}
