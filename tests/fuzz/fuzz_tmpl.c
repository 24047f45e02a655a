/* libFuzzer target: compile the input as a template, then render it twice
 * against a small fixed view and set of partials.
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -Ilib -fsanitize=fuzzer,address,undefined \
 *       -o /tmp/ft tests/fuzz/fuzz_tmpl.c lib/crm_tmpl*.c lib/crm_arena.c \
 *       lib/crm_buf.c lib/crm_escape.c lib/crm_alloc.c -ljansson
 *   /tmp/ft -max_total_time=60
 *
 * Rendering time must stay bounded whatever the input, or the fuzzer finds
 * slow inputs instead of bugs: a template that includes itself twice
 * renders 2^64 times before the depth limit, and sections nested a hundred
 * deep over a two-element list run 2^100 times. So the input is stored
 * under a name with a leading blank, which no tag can spell (names are
 * trimmed and the view holds no such string); the fixed partials expand
 * each block and partial at most once; and the only list longer than one,
 * w, hides itself inside its own elements (and so does the table q). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crm_tmpl.h"

#define NAME " fuzz"

/* One-letter names throughout: the fuzzer guesses those by chance, while
 * longer keys hide behind jansson's hashing, which it cannot see into. */
static const char view_json[] =
	"{\"a\":[{\"x\":\"only\",\"n\":1}],\"b\":true,"
	"\"c\":{\"x\":\"inner\",\"o\":{\"y\":\"deep\",\"d\":\"p\"},\"n\":5},"
	"\"d\":\"p\",\"e\":\"\",\"f\":false,\"g\":1.21,\"h\":null,\"i\":42,\"j\":\"B\","
	"\"k\":[{\"y\":\"kid\",\"k\":[]}],\"l\":[],\"m\":\"L\",\"n\":0,"
	"\"o\":{\"x\":{\"y\":1}},\"r\":1e300,\"s\":\"two\\nlines\",\"t\":true,"
	"\"u\":\"\\u5ba2\\u6237\",\"v\":[7],"
	"\"w\":[{\"w\":false,\"i\":1},{\"w\":null,\"i\":2,\"x\":\"second\"}],"
	"\"x\":\"<&\\\"'>\",\"y\":\"root\",\"z\":\"nope\","
	/* A table (crm_table.h) of two rows that hides itself, as w does. */
	"\"q\":{\"$columns\":[\"q\",\"x\",null,\"i\"],\"$rows\":[[false,\"t1\",\"hidden\",1],[null,\"t2\"]]}}";

/* Each block name appears once across them, so no argument is expanded
 * twice by one parent. */
static const struct {
	const char *name, *src;
} partials[] = {
	{ "p", "[{{x}}]\nline {{i}}\n" },
	{ "q", "{{#t}}\n  {{>p}}\n{{/t}}\n\t{{>*d}}" },
	{ "B", "<{{$a}}A\n{{/a}}|\n  {{$b}}\n  B {{x}}\n  {{/b}}\n{{$c}}{{/c}}>\n" },
	{ "M", "{{<B}}{{$b}}\n    mid {{x}}\n    {{$m}}M{{/m}}\n{{/b}}{{/B}}" },
	{ "L", "{{>L}}" },
	{ "T", "{{y}}({{#k}}{{>T}}{{/k}})" },
	{ "D", "{{=<% %>=}}<%x%> {{x}}\n" },
};

static struct crm_tmpl_set *set;
static json_t *view;

static const char *
translate(void *arg, const char *msgid)
{
	(void)arg;
	return strcmp(msgid, "x") == 0 ? "<translated {{x}}>" : NULL;
}

static void
setup(void)
{
	json_error_t jerr;
	size_t i;

	view = json_loads(view_json, 0, &jerr);
	if (view == NULL) {
		fprintf(stderr, "fuzz_tmpl: view: %s\n", jerr.text);
		abort();
	}
	set = crm_tmpl_set_new();
	crm_tmpl_set_translator(set, translate, NULL);
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++) {
		char err[256];

		if (crm_tmpl_set_add(set, partials[i].name, partials[i].src,
		    strlen(partials[i].src), err, sizeof(err)) != CRM_OK) {
			fprintf(stderr, "fuzz_tmpl: %s\n", err);
			abort();
		}
	}
}

static enum crm_err
render(struct crm_buf *b)
{
	crm_buf_init(b, NULL, 256);
	return crm_tmpl_render(set, NAME, view, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct crm_buf a, b;
	enum crm_err e, e2;

	if (set == NULL)
		setup();
	e = crm_tmpl_set_add(set, NAME, (const char *)data, size, err, sizeof(err));
	if (e != CRM_OK) {
		/* Errors say where: "name:line: message". */
		if (e != CRM_EINVAL || strncmp(err, NAME ":", sizeof(NAME)) != 0)
			abort();
		return 0;
	}
	/* Twice: the output depends on nothing but template and view. */
	e = render(&a);
	e2 = render(&b);
	if (e != e2 || (e != CRM_OK && e != CRM_EINVAL) || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0 || a.data[a.len] != '\0')
		abort();
	crm_buf_release(&a);
	crm_buf_release(&b);
	return 0;
}
