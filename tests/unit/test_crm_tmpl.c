/* crm_tmpl: the mustache spec files, golden pages and the API around them.
 *
 * Usage: test_crm_tmpl [spec-dir]; the spec directory defaults to
 * $CRM_SPEC_DIR, then tests/unit/spec/mustache, and the golden pages to
 * $CRM_GOLDEN_DIR, then tests/unit/golden, both relative to the repository
 * root where make runs this. Every spec test is a cmocka test of its own,
 * named "<file>: <test name>". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_kept.h"
#include "crm_table.h"
#include "crm_tmpl.h"

/* ---- helpers ---- */

static json_t *
view_of(const char *json)
{
	json_error_t jerr;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);

	if (v == NULL)
		fail_msg("bad view %s: %s", json, jerr.text);
	return v;
}

/* Renders name from s with the view given as JSON text; the result is
 * malloc'd, NULL when rendering failed (*e says why). */
static char *
render_json(const struct crm_tmpl_set *s, const char *name, const char *json,
    enum crm_err *e)
{
	json_t *view = view_of(json);
	struct crm_buf b;
	char *out;

	crm_buf_init(&b, NULL, 64);
	*e = crm_tmpl_render(s, name, view, &b);
	json_decref(view);
	out = *e == CRM_OK ? strdup(b.data) : NULL;
	crm_buf_release(&b);
	return out;
}

static void
add_ok(struct crm_tmpl_set *s, const char *name, const char *src)
{
	char err[256] = "";

	if (crm_tmpl_set_add(s, name, src, strlen(src), err, sizeof(err)) != CRM_OK)
		fail_msg("%s does not compile: %s", name, err);
}

/* One template, one view, one expected page. */
static void
check(const char *src, const char *json, const char *expected)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	enum crm_err e;
	char *got;

	add_ok(s, "t", src);
	got = render_json(s, "t", json, &e);
	crm_tmpl_set_free(s);
	assert_int_equal(e, CRM_OK);
	assert_string_equal(got, expected);
	free(got);
}

static void
check_error(const char *src, enum crm_err want, const char *msg)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char err[256] = "";
	enum crm_err e = crm_tmpl_set_add(s, "t", src, strlen(src), err, sizeof(err));
	int has = crm_tmpl_set_has(s, "t");

	crm_tmpl_set_free(s);
	if (e != want || strcmp(err, msg) != 0)
		fail_msg("%s: got %d \"%s\", want %d \"%s\"", src, e, err, want, msg);
	assert_false(has);
}

static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* ---- the spec ---- */

/* state: one test object of a spec file. */
static void
spec_test(void **state)
{
	json_t *tc = *state, *v;
	const char *key;
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	json_t *tmpl = json_object_get(tc, "template");
	const char *want = json_string_value(json_object_get(tc, "expected"));
	struct crm_buf b;
	char err[256] = "";
	enum crm_err e = CRM_OK;
	int same;

	/* A name no spec partial uses, so partials cannot shadow it. */
	json_object_foreach(json_object_get(tc, "partials"), key, v) {
		if (e == CRM_OK)
			e = crm_tmpl_set_add(s, key, json_string_value(v), json_string_length(v),
			    err, sizeof(err));
	}
	if (e == CRM_OK)
		e = crm_tmpl_set_add(s, "(spec template)", json_string_value(tmpl),
		    json_string_length(tmpl), err, sizeof(err));
	crm_buf_init(&b, NULL, 64);
	if (e == CRM_OK)
		e = crm_tmpl_render(s, "(spec template)", json_object_get(tc, "data"), &b);
	same = e == CRM_OK && want != NULL && strcmp(b.data, want) == 0;
	if (!same)
		print_error("template: \"%s\"\nexpected: \"%s\"\ngot:      \"%s\"\n%s\n",
		    json_string_value(tmpl), want, b.data, err);
	crm_buf_release(&b);
	crm_tmpl_set_free(s);
	assert_int_equal(e, CRM_OK);
	assert_true(same);
}

/* ---- golden pages: golden/x.json (view) + x.mustache = x.html ---- */

struct golden {
	char *dir, *name;
};

static void
golden_test(void **state)
{
	const struct golden *g = *state;
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char path[512], err[256] = "";
	char *want, *got = NULL, *json;
	enum crm_err e;

	e = crm_tmpl_set_load_dir(s, g->dir, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/%s.json", g->dir, g->name);
	json = read_all(path);
	snprintf(path, sizeof(path), "%s/%s.html", g->dir, g->name);
	want = read_all(path);
	if (e == CRM_OK && json != NULL)
		got = render_json(s, g->name, json, &e);
	crm_tmpl_set_free(s);
	free(json);
	if (e != CRM_OK || want == NULL || got == NULL) {
		free(want);
		free(got);
		fail_msg("%s: %s %s", g->name, crm_err_str(e), err);
	}
	if (strcmp(got, want) != 0)
		print_error("%s.html expected:\n%s\ngot:\n%s\n", g->name, want, got);
	assert_string_equal(got, want);
	free(want);
	free(got);
}

/* ---- the API ---- */

static void
test_syntax_errors(void **state)
{
	(void)state;
	check_error("{{#a}}\nx", CRM_EINVAL, "t:1: unclosed {{#a}}");
	check_error("a\n{{#a}}{{/b}}", CRM_EINVAL, "t:2: {{/b}} closes {{#a}} of line 2");
	check_error("\n\n{{/a}}", CRM_EINVAL, "t:3: unexpected {{/a}}");
	check_error("x\n{{#a}}\n{{^b}}\n{{/a}}", CRM_EINVAL, "t:4: {{/a}} closes {{^b}} of line 3");
	check_error("{{<p}}{{$b}}{{/p}}", CRM_EINVAL, "t:1: {{/p}} closes {{$b}} of line 1");
	check_error("{{<*p}}{{/p}}", CRM_EINVAL, "t:1: {{/p}} closes {{<*p}} of line 1");
	check_error("{{$a}}", CRM_EINVAL, "t:1: unclosed {{$a}}");
	check_error("ok\n{{a", CRM_EINVAL, "t:2: unclosed tag");
	check_error("{{{a}}", CRM_EINVAL, "t:1: unclosed tag");
	check_error("{{! no end", CRM_EINVAL, "t:1: unclosed tag");
	check_error("{{=<% %>=}}<%a}}", CRM_EINVAL, "t:1: unclosed tag");
	check_error("{{}}", CRM_EINVAL, "t:1: empty tag name");
	check_error("{{#}}{{/}}", CRM_EINVAL, "t:1: empty tag name");
	check_error("{{>*}}", CRM_EINVAL, "t:1: empty tag name");
	check_error("{{=<%=}}", CRM_EINVAL, "t:1: bad delimiter change");
	check_error("\n{{=<% %> x=}}", CRM_EINVAL, "t:2: bad delimiter change");
	check_error("{{=a= b=}}", CRM_EINVAL, "t:1: bad delimiter change");
	check_error("{{==}}", CRM_EINVAL, "t:1: bad delimiter change");
	check_error("{{=<% %>", CRM_EINVAL, "t:1: unclosed tag");
}

static void
test_error_buffer(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char small[8];

	(void)state;
	/* No room, or a short one, is not a crash. */
	assert_int_equal(crm_tmpl_set_add(s, "t", "{{#a}}", 6, NULL, 0), CRM_EINVAL);
	assert_int_equal(crm_tmpl_set_add(s, "t", "{{#a}}", 6, small, sizeof(small)), CRM_EINVAL);
	assert_string_equal(small, "t:1: un");
	crm_tmpl_set_free(s);
}

static void
test_too_big(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char *big = calloc(1, CRM_TMPL_MAX_SIZE + 1), err[256] = "";

	(void)state;
	assert_non_null(big);
	assert_int_equal(crm_tmpl_set_add(s, "big", big, CRM_TMPL_MAX_SIZE + 1, err,
	    sizeof(err)), CRM_ETOOBIG);
	assert_string_equal(err, "big:1: template over 16777216 bytes");
	assert_false(crm_tmpl_set_has(s, "big"));
	/* Exactly the limit is fine, NUL bytes and all. */
	memset(big, 'x', 10);
	assert_int_equal(crm_tmpl_set_add(s, "big", big, CRM_TMPL_MAX_SIZE, err,
	    sizeof(err)), CRM_OK);
	free(big);
	crm_tmpl_set_free(s);
}

static void
test_nesting_limit(void **state)
{
	char src[(CRM_TMPL_MAX_NEST + 1) * 12 + 1], *p;
	int i;

	(void)state;
	for (p = src, i = 0; i < CRM_TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{#a}}");
	for (i = 0; i < CRM_TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{/a}}");
	check(src, "{\"a\":true}", "");
	for (p = src, i = 0; i <= CRM_TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{#a}}");
	check_error(src, CRM_EINVAL, "t:1: sections nested too deeply");
}

static void
test_replace_and_lookup(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char name[32], *got;
	enum crm_err e;
	int i;

	(void)state;
	add_ok(s, "a", "one");
	add_ok(s, "a", "two");
	/* Enough names to grow the table a few times. */
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "n/%d", i);
		add_ok(s, name, name);
	}
	assert_true(crm_tmpl_set_has(s, "a"));
	assert_true(crm_tmpl_set_has(s, "n/499"));
	assert_false(crm_tmpl_set_has(s, "n/500"));
	assert_false(crm_tmpl_set_has(s, ""));
	got = render_json(s, "a", "{}", &e);
	assert_string_equal(got, "two");
	free(got);
	got = render_json(s, "n/321", "{}", &e);
	assert_string_equal(got, "n/321");
	free(got);
	assert_null(render_json(s, "missing", "{}", &e));
	assert_int_equal(e, CRM_ENOTFOUND);
	/* A template that fails to compile leaves the old one in place. */
	assert_int_equal(crm_tmpl_set_add(s, "a", "{{#x}}", 6, NULL, 0), CRM_EINVAL);
	got = render_json(s, "a", "{}", &e);
	assert_string_equal(got, "two");
	free(got);
	crm_tmpl_set_free(s);
	crm_tmpl_set_free(NULL);
}

static void
test_depth_limit(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char view[4096], *p, *got;
	enum crm_err e;
	int i;

	(void)state;
	add_ok(s, "loop", "x{{>loop}}");
	add_ok(s, "ploop", "{{<ploop}}{{/ploop}}");
	add_ok(s, "dyn", "{{>*me}}");
	add_ok(s, "node", "{{name}}{{#kids}}({{>node}}){{/kids}}");
	assert_null(render_json(s, "loop", "{}", &e));
	assert_int_equal(e, CRM_EINVAL);
	assert_null(render_json(s, "ploop", "{}", &e));
	assert_int_equal(e, CRM_EINVAL);
	assert_null(render_json(s, "dyn", "{\"me\":\"dyn\"}", &e));
	assert_int_equal(e, CRM_EINVAL);

	/* Recursion that ends on the data is fine up to the limit. The leaf
	 * needs its own kids: it would see its parent's through the stack. */
	for (p = view, i = 0; i < CRM_TMPL_MAX_DEPTH - 1; i++)
		p += sprintf(p, "{\"name\":%d,\"kids\":[", i);
	p += sprintf(p, "{\"name\":\"leaf\",\"kids\":false}");
	for (i = 0; i < CRM_TMPL_MAX_DEPTH - 1; i++)
		p += sprintf(p, "]}");
	got = render_json(s, "node", view, &e);
	assert_int_equal(e, CRM_OK);
	assert_non_null(strstr(got, "62(leaf)"));
	assert_true(strncmp(got, "0(1(2(", 6) == 0);
	free(got);
	/* That was 63 partials deep: one more is the limit, two too many. */
	add_ok(s, "mid", "{{>node}}");
	add_ok(s, "top", "{{>mid}}");
	got = render_json(s, "mid", view, &e);
	assert_int_equal(e, CRM_OK);
	free(got);
	assert_null(render_json(s, "top", view, &e));
	assert_int_equal(e, CRM_EINVAL);
	crm_tmpl_set_free(s);
}

static void
test_truthiness(void **state)
{
	const char *src = "{{#v}}T{{/v}}{{^v}}F{{/v}}";

	(void)state;
	check(src, "{\"v\":false}", "F");
	check(src, "{\"v\":null}", "F");
	check(src, "{}", "F");
	check(src, "{\"v\":[]}", "F");
	check(src, "{\"v\":\"\"}", "F");
	check(src, "{\"v\":0}", "T");
	check(src, "{\"v\":0.0}", "T");
	check(src, "{\"v\":\"0\"}", "T");
	check(src, "{\"v\":{}}", "T");
	check(src, "{\"v\":true}", "T");
	check(src, "{\"v\":[false]}", "T");
	/* A scalar is pushed, so {{.}} is the value. */
	check("{{#n}}[{{.}}]{{/n}}", "{\"n\":0}", "[0]");
	check("{{#s}}[{{.}}]{{/s}}", "{\"s\":\"x<\"}", "[x&lt;]");
	check("{{#l}}[{{.}}]{{/l}}", "{\"l\":[1,\"a\",true,null,false]}",
	    "[1][a][true][][false]");
	/* Objects and arrays interpolate as nothing. */
	check("[{{o}}{{a}}{{{o}}}]", "{\"o\":{\"x\":1},\"a\":[1]}", "[]");
	/* Outer names stay visible, inner ones win. */
	check("{{#o}}{{x}}{{y}}{{/o}}{{x}}", "{\"x\":1,\"y\":2,\"o\":{\"x\":3}}", "321");
	/* Array indexes in dotted names. */
	check("{{l.1.n}}{{l.9.n}}{{l.x}}", "{\"l\":[{\"n\":1},{\"n\":2}]}", "2");
}

/* One list shared by several items (a board's stages in every card's
 * form): its output is replayed only while it needs nothing from outside
 * the list, so each item still sees its own values. */
static void
expect_view(const char *src, json_t *view, const char *expected)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	struct crm_buf b;

	add_ok(s, "t", src);
	crm_buf_init(&b, NULL, 64);
	assert_int_equal(crm_tmpl_render(s, "t", view, &b), CRM_OK);
	assert_string_equal(b.data, expected);
	crm_buf_release(&b);
	crm_tmpl_set_free(s);
}

static void
test_shared_lists(void **state)
{
	json_t *opts = view_of("[{\"id\":1,\"n\":\"a<\"},{\"id\":2,\"n\":\"b\",\"sel\":true}]");
	json_t *cards = json_array(), *view;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		json_array_append_new(cards, json_pack("{s:i,s:O}", "card", i, "opts", opts));
	view = json_pack("{s:o,s:s}", "cards", cards, "x", "X");
	/* Names inside the list only: the same bytes each time. */
	expect_view("{{#cards}}[{{card}}:{{#opts}}<{{id}}{{#sel}}*{{/sel}}{{^sel}}-{{/sel}}{{n}}>{{/opts}}]{{/cards}}",
	    view, "[0:<1-a&lt;><2*b>][1:<1-a&lt;><2*b>][2:<1-a&lt;><2*b>]");
	/* A name from the item around the list: never replayed. */
	expect_view("{{#cards}}{{#opts}}{{id}}{{card}}{{/opts}};{{/cards}}", view, "1020;1121;1222;");
	/* A name missing from the list's items is looked for outside, and
	 * that too depends on the item. */
	expect_view("{{#cards}}{{#opts}}{{^sel}}{{card}}{{/sel}}{{/opts}};{{/cards}}", view, "0;1;2;");
	/* ... even when the outer value is the same each time. */
	expect_view("{{#cards}}{{#opts}}{{x}}{{/opts}}{{card}};{{/cards}}", view, "XX0;XX1;XX2;");
	/* A dotted name that starts outside. */
	expect_view("{{#cards}}{{#opts}}{{cards.0.card}}{{/opts}};{{/cards}}", view, "00;00;00;");
	/* Two sections of the same list: each renders it. */
	json_object_set(view, "opts", opts);
	expect_view("{{#opts}}{{id}}{{/opts}}|{{#opts}}{{id}}{{/opts}}", view, "12|12");
	json_decref(view);
	json_decref(opts);
}

static void
test_numbers(void **state)
{
	(void)state;
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
	    "{\"a\":1.21,\"b\":0.1,\"c\":3.0,\"d\":-2.5,\"e\":1e100,\"f\":0.3333333333333333,"
	    "\"g\":9007199254740993,\"h\":-0}",
	    "1.21 0.1 3 -2.5 1e+100 0.3333333333333333 9007199254740993 0");
	check("{{x}}", "{\"x\":123456789.125}", "123456789.125");
	check("{{x}}", "{\"x\":1.7976931348623157e308}", "1.7976931348623157e+308");
	check("{{x}}", "{\"x\":5e-324}", "5e-324");
	check("{{a}} {{b}} {{c}} {{d}} {{e}}",
	    "{\"a\":0,\"b\":-7,\"c\":10,\"d\":9223372036854775807,\"e\":-9223372036854775808}",
	    "0 -7 10 9223372036854775807 -9223372036854775808");
}

static void
test_escaping(void **state)
{
	(void)state;
	check("{{s}}|{{{s}}}|{{&s}}", "{\"s\":\"&<>\\\"'/\"}",
	    "&amp;&lt;&gt;&quot;&#39;/|&<>\"'/|&<>\"'/");
	check("<a title=\"{{t}}\">{{t}}</a>", "{\"t\":\"\\\" onclick='x'\"}",
	    "<a title=\"&quot; onclick=&#39;x&#39;\">&quot; onclick=&#39;x&#39;</a>");
	/* Values are never templates. */
	check("{{t}}", "{\"t\":\"{{x}}\",\"x\":\"no\"}", "{{x}}");
	check("{{s}}", "{\"s\":\"客户关系\"}", "客户关系");
}

/* Delimiters that share characters with sigils and with each other. */
static void
test_odd_delimiters(void **state)
{
	(void)state;
	check("{{=| #=}}|#x#yes|/x#|^x#no|/x#|{x}#", "{\"x\":\"<\"}", "yes<");
	check("{{=# #=}}#x# #&x# ##x##.##/x#", "{\"x\":1}", "1 1 1");
	check("{{=}} {{=}}}}x{{", "{\"x\":\"a\"}", "a");
	check("{{=[[ ]]=}}[[={{ }}=]]{{x}}", "{\"x\":2}", "2");
	check_error("{{=| #=}}|##", CRM_EINVAL, "t:1: empty tag name");
	check_error("{{=| #=}}|#", CRM_EINVAL, "t:1: unclosed tag");
}

static void
test_render_appends(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	struct crm_arena *a = crm_arena_new(1024);
	json_t *view = json_pack("{s:s}", "x", "<b>");
	struct crm_buf b;
	int i;

	(void)state;
	add_ok(s, "t", "[{{x}}]");
	crm_buf_init(&b, a, 16);
	crm_buf_puts(&b, "head ");
	for (i = 0; i < 100; i++)
		assert_int_equal(crm_tmpl_render(s, "t", view, &b), CRM_OK);
	assert_int_equal(b.len, 5 + 100 * 11);
	assert_memory_equal(b.data, "head [&lt;b&gt;][&lt;b&gt;]", 27);
	assert_int_equal(crm_tmpl_render(s, "t", NULL, &b), CRM_OK);
	assert_string_equal(b.data + b.len - 2, "[]");
	json_decref(view);
	crm_arena_free(a);
	crm_tmpl_set_free(s);
}

static void
test_indentation(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	enum crm_err e;
	char *got;

	(void)state;
	add_ok(s, "list", "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n</ul>\n");
	add_ok(s, "item", "<li>\n\n  {{name}}\n</li>\n");
	add_ok(s, "page", "<body>\n  {{>list}}\n  <p>{{>inline}}</p>\n</body>\n");
	add_ok(s, "inline", "a\nb");
	got = render_json(s, "page", "{\"items\":[{\"name\":\"x\"},{\"name\":\"y\"}]}", &e);
	/* Indentation adds up through nested partials, skips empty lines,
	 * and an inline partial is not indented at all. */
	assert_string_equal(got,
	    "<body>\n"
	    "  <ul>\n"
	    "    <li>\n"
	    "\n"
	    "      x\n"
	    "    </li>\n"
	    "    <li>\n"
	    "\n"
	    "      y\n"
	    "    </li>\n"
	    "  </ul>\n"
	    "  <p>a\n"
	    "b</p>\n"
	    "</body>\n");
	free(got);
	crm_tmpl_set_free(s);
}

static void
test_inheritance(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	enum crm_err e;
	char *got;

	(void)state;
	add_ok(s, "layout",
	    "<html>\n"
	    "<title>{{$title}}Default{{/title}}</title>\n"
	    "<main>\n"
	    "  {{$content}}\n"
	    "  <p>nothing</p>\n"
	    "  {{/content}}\n"
	    "</main>\n"
	    "</html>\n");
	add_ok(s, "page",
	    "{{<layout}}\n"
	    "{{$title}}{{name}} &amp; co{{/title}}\n"
	    "ignored {{ignored}} {{#x}}{{$content}}ignored too{{/content}}{{/x}}\n"
	    "{{$content}}\n"
	    "    <h1>{{name}}</h1>\n"
	    "    {{#list}}\n"
	    "    <p>{{.}}</p>\n"
	    "    {{/list}}\n"
	    "{{/content}}\n"
	    "{{/layout}}\n");
	add_ok(s, "bare", "{{<layout}}{{/layout}}");
	/* A parent that does not exist renders nothing, like a partial. */
	add_ok(s, "orphan", "a{{<nope}}{{$x}}y{{/x}}{{/nope}}b");
	/* A block that names itself inside its own argument is not recursion. */
	add_ok(s, "self", "{{<layout}}{{$title}}[{{$title}}inner{{/title}}]{{/title}}{{/layout}}");
	got = render_json(s, "page", "{\"name\":\"A<B\",\"list\":[1,2],\"x\":true}", &e);
	assert_string_equal(got,
	    "<html>\n"
	    "<title>A&lt;B &amp; co</title>\n"
	    "<main>\n"
	    "  <h1>A&lt;B</h1>\n"
	    "  <p>1</p>\n"
	    "  <p>2</p>\n"
	    "</main>\n"
	    "</html>\n");
	free(got);
	got = render_json(s, "bare", "{}", &e);
	assert_string_equal(got,
	    "<html>\n<title>Default</title>\n<main>\n  <p>nothing</p>\n</main>\n</html>\n");
	free(got);
	got = render_json(s, "orphan", "{}", &e);
	assert_string_equal(got, "ab");
	free(got);
	got = render_json(s, "self", "{}", &e);
	assert_non_null(strstr(got, "<title>[inner]</title>"));
	free(got);
	crm_tmpl_set_free(s);
}

static const char *
to_german(void *arg, const char *msgid)
{
	(*(int *)arg)++;
	if (strcmp(msgid, "Save changes") == 0)
		return "Änderungen speichern";
	return NULL;
}

static void
test_translator(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	const char *src = "<button>{{_ Save changes }}</button>{{_ Cancel}}{{_x}}{{#no}}{{_ Skip}}{{/no}}";
	enum crm_err e;
	int calls = 0;
	char *got;

	(void)state;
	add_ok(s, "plain", src);
	crm_tmpl_set_translator(s, to_german, &calls);
	add_ok(s, "de", src);
	got = render_json(s, "plain", "{\"_x\":\"!\"}", &e);
	assert_string_equal(got, "<button>Save changes</button>Cancel!");
	free(got);
	got = render_json(s, "de", "{\"_x\":\"!\",\"no\":true}", &e);
	assert_string_equal(got, "<button>Änderungen speichern</button>Cancel!Skip");
	free(got);
	assert_int_equal(calls, 3);
	crm_tmpl_set_free(s);
}

/* A plain set writes {{x}} as it is (a mail's text part); the default
 * escapes it, so switching one set changes nothing for another. */
static void
test_plain(void **state)
{
	struct crm_tmpl_set *html = crm_tmpl_set_new(), *text = crm_tmpl_set_new();
	const char *src = "Hi {{name}} & {{{name}}}{{#a}}, {{.}}{{/a}}";
	enum crm_err e;
	char *got;

	(void)state;
	crm_tmpl_set_plain(text, 1);
	add_ok(html, "t", src);
	add_ok(text, "t", src);
	got = render_json(text, "t", "{\"name\":\"<Ann & 'Bo'>\",\"a\":[\"x<y\"]}", &e);
	assert_string_equal(got, "Hi <Ann & 'Bo'> & <Ann & 'Bo'>, x<y");
	free(got);
	got = render_json(html, "t", "{\"name\":\"<Ann & 'Bo'>\",\"a\":[\"x<y\"]}", &e);
	assert_string_equal(got, "Hi &lt;Ann &amp; &#39;Bo&#39;&gt; & <Ann & 'Bo'>, x&lt;y");
	free(got);
	crm_tmpl_set_free(html);
	crm_tmpl_set_free(text);
}

static void
test_load_dir(void **state)
{
	char dir[] = "/tmp/crm_tmpl_XXXXXX", path[512], err[256] = "";
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	enum crm_err e;
	char *got;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/partials", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/admin", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	mkdir(path, 0700);
	write_file(dir, "layout.mustache", "<nav>{{>partials/nav}}</nav>{{$body}}{{/body}}");
	write_file(dir, "partials/nav.mustache", "{{#links}}<a>{{.}}</a>{{/links}}");
	write_file(dir, "admin/health.mustache", "{{<layout}}{{$body}}ok{{/body}}{{/layout}}");
	write_file(dir, "admin/notes.txt", "not a template {{");
	write_file(dir, ".hidden/x.mustache", "{{#broken");
	write_file(dir, ".mustache", "{{#broken");
	assert_int_equal(crm_tmpl_set_load_dir(s, dir, err, sizeof(err)), CRM_OK);
	assert_true(crm_tmpl_set_has(s, "layout"));
	assert_true(crm_tmpl_set_has(s, "partials/nav"));
	assert_true(crm_tmpl_set_has(s, "admin/health"));
	assert_false(crm_tmpl_set_has(s, "admin/notes"));
	assert_false(crm_tmpl_set_has(s, ".hidden/x"));
	assert_false(crm_tmpl_set_has(s, ""));
	got = render_json(s, "admin/health", "{\"links\":[\"a\",\"b\"]}", &e);
	assert_string_equal(got, "<nav><a>a</a><a>b</a></nav>ok");
	free(got);
	crm_tmpl_set_free(s);

	/* A broken template names itself and its line. */
	write_file(dir, "admin/broken.mustache", "fine\n{{#a}}\n{{/b}}\n");
	s = crm_tmpl_set_new();
	assert_int_equal(crm_tmpl_set_load_dir(s, dir, err, sizeof(err)), CRM_EINVAL);
	assert_string_equal(err, "admin/broken:3: {{/b}} closes {{#a}} of line 2");
	crm_tmpl_set_free(s);

	s = crm_tmpl_set_new();
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(crm_tmpl_set_load_dir(s, path, err, sizeof(err)), CRM_EIO);
	assert_non_null(strstr(err, "No such file"));
	crm_tmpl_set_free(s);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* The application's own templates must compile and render. */
static void
test_app_templates(void **state)
{
	const char *dir = "html/templates";
	struct crm_tmpl_set *s;
	char err[256] = "";
	struct stat st;
	enum crm_err e;
	char *got;

	(void)state;
	if (stat(dir, &st) < 0)
		skip();
	s = crm_tmpl_set_new();
	e = crm_tmpl_set_load_dir(s, dir, err, sizeof(err));
	if (e != CRM_OK) {
		crm_tmpl_set_free(s);
		fail_msg("%s: %s", dir, err);
	}
	if (crm_tmpl_set_has(s, "error")) {
		got = render_json(s, "error", "{\"status\":404,\"title\":\"Not Found\","
		    "\"message\":\"<no> such page\",\"app\":{\"name\":\"CRM\"}}", &e);
		assert_int_equal(e, CRM_OK);
		assert_non_null(strstr(got, "&lt;no&gt; such page"));
		assert_null(strstr(got, "{{"));
		free(got);
	}
	crm_tmpl_set_free(s);
}

/* Rendering allocates nothing but output: checked where malloc counts. */
static void
test_no_alloc(void **state)
{
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	json_t *view = view_of("{\"a\":{\"b\":[1,2.5,\"x&y\"]},\"p\":\"part\",\"t\":true}");
	struct mallinfo2 before, after;
	struct crm_buf b;

	(void)state;
	add_ok(s, "part", "  <i>{{.}}</i>\n");
	add_ok(s, "base", "{{$x}}d{{/x}}|\n  {{$y}}{{/y}}\n");
	add_ok(s, "t", "{{#a.b}}\n  {{>*p}}\n{{/a.b}}\n{{^t}}no{{/t}}{{<base}}{{$y}}\nY\n{{/y}}{{/base}}");
	crm_buf_init(&b, NULL, 4096);
	assert_int_equal(crm_tmpl_render(s, "t", view, &b), CRM_OK);
	crm_buf_clear(&b);
	before = mallinfo2();
	assert_int_equal(crm_tmpl_render(s, "t", view, &b), CRM_OK);
	after = mallinfo2();
	assert_string_equal(b.data,
	    "    <i>1</i>\n    <i>2.5</i>\n    <i>x&amp;y</i>\nd|\n  Y\n\n");
	assert_int_equal(before.uordblks, after.uordblks);
	crm_buf_release(&b);
	json_decref(view);
	crm_tmpl_set_free(s);
}

/* ---- the runner ---- */

struct tests {
	struct CMUnitTest *v;
	size_t n, cap;
	char **names;           /* allocated names, freed at the end */
	size_t nnames;
	json_t **specs;         /* parsed spec files, alive while tests run */
	size_t nspecs;
	struct golden *golden;
	size_t ngolden;
};

static void
add_test(struct tests *ts, const char *name, CMUnitTestFunction fn, void *state, int own)
{
	struct CMUnitTest *t;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = realloc(ts->v, ts->cap * sizeof(*ts->v));
		ts->names = realloc(ts->names, ts->cap * sizeof(*ts->names));
	}
	t = &ts->v[ts->n++];
	memset(t, 0, sizeof(*t));
	t->name = own ? (ts->names[ts->nnames++] = strdup(name)) : name;
	t->test_func = fn;
	t->initial_state = state;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Returns the number of spec tests added, -1 when the directory is unusable. */
static int
load_specs(struct tests *ts, const char *dir)
{
	char pattern[512], name[512];
	glob_t g;
	size_t i, k;
	int count = 0;

	snprintf(pattern, sizeof(pattern), "%s/*.json", dir);
	if (glob(pattern, 0, NULL, &g) != 0) {
		fprintf(stderr, "no spec files in %s\n", dir);
		return -1;
	}
	ts->specs = calloc(g.gl_pathc, sizeof(*ts->specs));
	for (i = 0; i < g.gl_pathc; i++) {
		const char *file = base_name(g.gl_pathv[i]);
		json_error_t jerr;
		json_t *spec = json_load_file(g.gl_pathv[i], 0, &jerr), *tc;

		/* Lambdas need code in the view: not supported. */
		if (strcmp(file, "~lambdas.json") == 0) {
			json_decref(spec);
			continue;
		}
		if (spec == NULL || !json_is_array(json_object_get(spec, "tests"))) {
			fprintf(stderr, "%s: %s\n", g.gl_pathv[i], spec ? "no tests" : jerr.text);
			json_decref(spec);
			globfree(&g);
			return -1;
		}
		ts->specs[ts->nspecs++] = spec;
		json_array_foreach(json_object_get(spec, "tests"), k, tc) {
			snprintf(name, sizeof(name), "%s: %s", file,
			    json_string_value(json_object_get(tc, "name")));
			add_test(ts, name, spec_test, tc, 1);
			count++;
		}
	}
	globfree(&g);
	return count;
}

static void
load_golden(struct tests *ts, const char *dir)
{
	char pattern[512], name[512];
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "%s/*.json", dir);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	ts->golden = calloc(g.gl_pathc, sizeof(*ts->golden));
	for (i = 0; i < g.gl_pathc; i++) {
		struct golden *gd = &ts->golden[ts->ngolden++];
		const char *file = base_name(g.gl_pathv[i]);

		gd->dir = strdup(dir);
		gd->name = strndup(file, strlen(file) - 5);
		snprintf(name, sizeof(name), "golden: %s", gd->name);
		add_test(ts, name, golden_test, gd, 1);
	}
	globfree(&g);
}

/* A table (crm_table.h) renders as the list of objects it stands for. */
static void
test_tables(void **state)
{
	static const char rows[] = "\"$rows\":[[1,\"Ann\",[\"a\",\"b\"]],[2,\"<b>\",[]]]";
	char json[512];
	json_t *wide;
	size_t i;

	(void)state;
	snprintf(json, sizeof(json), "{\"label\":\"L\",\"id\":9,\"t\":{\"$columns\":[\"id\",\"name\",\"tags\"],%s}}", rows);
	check("{{#t}}{{id}}:{{name}}[{{#tags}}{{.}}{{/tags}}]{{label}};{{/t}}", json,
	    "1:Ann[ab]L;2:&lt;b&gt;[]L;");
	check("{{^t}}none{{/t}}{{#t}}{{/t}}", json, "");
	check("{{^t}}none{{/t}}", "{\"t\":{\"$columns\":[\"id\"],\"$rows\":[]}}", "none");
	check("{{#t}}x{{/t}}", "{\"t\":{\"$columns\":[\"id\"],\"$rows\":[]}}", "");
	/* A hidden column is not there: the name is found further out. A
	 * short row has null in the cells it lacks. */
	snprintf(json, sizeof(json), "{\"id\":9,\"name\":\"out\",\"t\":{\"$columns\":[null,\"name\",\"tags\"],%s}}", rows);
	check("{{#t}}{{id}}{{name}};{{/t}}", json, "9Ann;9&lt;b&gt;;");
	check("{{#t}}[{{extra}}]{{/t}}",
	    "{\"extra\":\"out\",\"t\":{\"$columns\":[\"id\",\"extra\"],\"$rows\":[[1],[2,\"in\"]]}}",
	    "[][in]");
	/* A table in a table's rows: a name of the outer row is looked up
	 * again for each outer row. */
	check("{{#t}}{{#items}}{{g}}{{x}}{{page.n}},{{/items}}{{/t}}",
	    "{\"page\":{\"n\":\"!\"},\"t\":{\"$columns\":[\"g\",\"items\"],\"$rows\":["
	    "[\"A\",{\"$columns\":[\"x\"],\"$rows\":[[1],[2]]}],"
	    "[\"B\",{\"$columns\":[\"x\"],\"$rows\":[[3]]}]]}}",
	    "A1!,A2!,B3!,");
	/* An object that only looks like one is an object. */
	check("{{#t}}{{a}}{{/t}}", "{\"t\":{\"$rows\":1,\"a\":\"obj\"}}", "obj");
	/* One list in every row (kept and replayed when it can be), whose
	 * items lack a name the rows have: each row's own, not the first's. */
	{
		json_t *cols = json_pack("[s,s]", "name", "stages"), *t = crm_table_new(cols);
		json_t *stages = json_pack("[{s:i},{s:i}]", "id", 1, "id", 2), *view, *row;

		crm_table_append(t, row = json_pack("[s,O]", "a", stages));
		json_decref(row);
		crm_table_append(t, row = json_pack("[s,O]", "b", stages));
		json_decref(row);
		view = json_pack("{s:o}", "t", t);
		expect_view("{{#t}}{{#stages}}{{id}}{{name}}{{/stages}};{{/t}}", view, "1a2a;1b2b;");
		json_decref(view);
		json_decref(stages);
		json_decref(cols);
	}
	/* A table wider than the names the renderer gathers at once. */
	wide = json_object();
	{
		json_t *cols = json_array(), *row = json_array(), *t;

		for (i = 0; i < 100; i++) {
			char name[16];

			snprintf(name, sizeof(name), "c%zu", i);
			json_array_append_new(cols, json_string(name));
			json_array_append_new(row, json_integer((json_int_t)i));
		}
		t = crm_table_new(cols);
		crm_table_append(t, row);
		json_object_set_new(wide, "t", t);
		json_decref(cols);
		json_decref(row);
	}
	expect_view("{{#t}}{{c0}},{{c63}},{{c64}},{{c99}}{{/t}}", wide, "0,63,64,99");
	json_decref(wide);
}

/* ---- values kept from one request to the next (crm_kept.h) ---- */

static char *
render_view(const struct crm_tmpl_set *s, const char *name, json_t *view)
{
	struct crm_buf b;
	char *out;

	crm_buf_init(&b, NULL, 64);
	assert_int_equal(crm_tmpl_render(s, name, view, &b), CRM_OK);
	out = strdup(b.data);
	crm_buf_release(&b);
	return out;
}

#define RENDERS(set, name, view, want) do { \
	char *got_ = render_view(set, name, view); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* A section over a kept value is rendered once and its bytes used again;
 * not when its body looks for a name outside the value or fills a block;
 * each set (a language) keeps its own; a dropped value is rendered afresh.
 * The test changes a kept value, which its keeper never does, to see
 * whose bytes come out. */
static void
test_kept_values(void **state)
{
	struct crm_tmpl_set *en = crm_tmpl_set_new(), *de = crm_tmpl_set_new();
	json_t *chart = view_of("{\"t\":\"A\",\"n\":[1,2]}"), *view;
	int calls = 0;

	(void)state;
	crm_tmpl_set_translator(de, to_german, &calls);
	add_ok(en, "p", "{{t}}:{{#n}}{{.}}{{/n}} {{_ Save changes}}");
	add_ok(de, "p", "{{t}}:{{#n}}{{.}}{{/n}} {{_ Save changes}}");
	add_ok(en, "page", "{{#charts}}[{{>p}}]{{/charts}}{{#one}}<{{>p}}>{{/one}}");
	add_ok(de, "page", "{{#charts}}[{{>p}}]{{/charts}}");
	add_ok(en, "outer", "{{#charts}}[{{t}}{{who}}]{{/charts}}");
	add_ok(en, "lay", "({{$b}}default{{/b}})");
	add_ok(en, "blocks", "{{#charts}}{{<lay}}{{$b}}{{t}}{{/b}}{{/lay}}{{/charts}}");
	view = json_pack("{s:[O], s:O, s:s}", "charts", chart, "one", chart, "who", "x");
	assert_int_equal(crm_kept_add(chart), 0);

	RENDERS(en, "page", view, "[A:12 Save changes]<A:12 Save changes>");
	RENDERS(en, "outer", view, "[Ax]");
	RENDERS(en, "blocks", view, "(A)");
	json_object_set_new(chart, "t", json_string("B"));
	/* Kept: the list's item and the object section alike. */
	RENDERS(en, "page", view, "[A:12 Save changes]<A:12 Save changes>");
	RENDERS(de, "page", view, "[B:12 Änderungen speichern]");
	/* Looked outside, or filled a block: never kept. */
	RENDERS(en, "outer", view, "[Bx]");
	RENDERS(en, "blocks", view, "(B)");
	json_object_set_new(view, "who", json_string("y"));
	RENDERS(en, "outer", view, "[By]");

	crm_kept_drop(chart);
	RENDERS(en, "page", view, "[B:12 Save changes]<B:12 Save changes>");
	assert_int_equal(crm_kept_count, 0);

	/* Freeing a set forgets what its ops made. */
	assert_int_equal(crm_kept_add(chart), 0);
	RENDERS(de, "page", view, "[B:12 Änderungen speichern]");
	json_object_set_new(chart, "t", json_string("C"));
	RENDERS(de, "page", view, "[B:12 Änderungen speichern]");
	crm_tmpl_set_free(en);
	RENDERS(de, "page", view, "[C:12 Änderungen speichern]");
	crm_kept_drop(chart);
	json_decref(view);
	json_decref(chart);
	crm_tmpl_set_free(de);
}

int
main(int argc, char **argv)
{
	static const struct CMUnitTest own[] = {
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_replace_and_lookup),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_odd_delimiters),
		cmocka_unit_test(test_render_appends),
		cmocka_unit_test(test_indentation),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_translator),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_app_templates),
		cmocka_unit_test(test_no_alloc),
		cmocka_unit_test(test_shared_lists),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_kept_values),
	};
	const char *spec_dir = argc > 1 ? argv[1] : getenv("CRM_SPEC_DIR");
	const char *golden_dir = getenv("CRM_GOLDEN_DIR");
	struct tests ts = { 0 };
	int nspec, failed;
	size_t i;

	if (spec_dir == NULL)
		spec_dir = "tests/unit/spec/mustache";
	if (golden_dir == NULL)
		golden_dir = "tests/unit/golden";
	for (i = 0; i < CRM_NELEM(own); i++)
		add_test(&ts, own[i].name, own[i].test_func, NULL, 0);
	nspec = load_specs(&ts, spec_dir);
	load_golden(&ts, golden_dir);
	failed = _cmocka_run_group_tests("crm_tmpl", ts.v, ts.n, NULL, NULL);
	for (i = 0; i < ts.nnames; i++)
		free(ts.names[i]);
	for (i = 0; i < ts.nspecs; i++)
		json_decref(ts.specs[i]);
	for (i = 0; i < ts.ngolden; i++) {
		free(ts.golden[i].dir);
		free(ts.golden[i].name);
	}
	free(ts.golden);
	free(ts.specs);
	free(ts.names);
	free(ts.v);
	/* Spec files that did not load fail the run as surely as a test. */
	return failed != 0 || nspec <= 0 ? 1 : 0;
}
