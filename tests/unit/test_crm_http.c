/* The front door, driven in process: a test module, a fake FastCGI io, and
 * assertions on the exact status, headers and body that leave. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_auth.h"
#include "crm_http.h"
#include "crm_route.h"
#include "crm_table.h"

struct fake {
	const char *body;
	size_t len, pos;
	struct crm_buf out;
};

static long
fake_read(void *arg, char *buf, size_t n)
{
	struct fake *f = arg;
	size_t left = f->len - f->pos;

	if (n > left)
		n = left;
	memcpy(buf, f->body + f->pos, n);
	f->pos += n;
	return (long)n;
}

static int
fake_write(void *arg, const char *buf, size_t n)
{
	struct fake *f = arg;

	crm_buf_add(&f->out, buf, n);
	return 0;
}

static int
item_show(struct crm_ctx *c)
{
	json_object_set_new(c->view, "id", json_string(crm_ctx_path_param(c, "id")));
	json_object_set_new(c->view, "q", json_string(crm_ctx_query(c, "q") ? crm_ctx_query(c, "q") : ""));
	return 200;
}

static int
item_save(struct crm_ctx *c)
{
	json_object_set_new(c->view, "name", json_string(crm_ctx_form(c, "name")));
	return 200;
}

static int
item_secret(struct crm_ctx *c)
{
	(void)c;
	return 200;
}

static int
cookie_set(struct crm_ctx *c)
{
	crm_ctx_cookie(c, "crm_s", "tok", 3600);
	crm_ctx_cookie(c, "crm_old", "", 0);
	crm_ctx_header(c, "X-Bad", "a\r\nInjected: yes");
	return crm_ctx_redirect(c, 303, "/items/1");
}

/* A WebDAV-style handler: any body, any content type, status 207. */
static int
dav_echo(struct crm_ctx *c)
{
	crm_buf_printf(&c->raw, "<r>%s:%zu</r>", c->body_type ? c->body_type : "-", c->body.len);
	c->content_type = "application/xml";
	return crm_ctx_status(c, 207);
}

static const struct crm_route routes[] = {
	{ "GET", "/items/:id", CRM_PERM_PUBLIC, item_show, "items/show" },
	{ "POST", "/items/:id", CRM_PERM_PUBLIC, item_save, "items/show" },
	{ "GET", "/items/:id/secret", "items.read", item_secret, "items/show" },
	{ "GET", "/cookie", CRM_PERM_PUBLIC, cookie_set, NULL },
	{ "PROPFIND", "/dav/:x", CRM_PERM_PUBLIC, dav_echo, NULL },
};
static const struct crm_module module = { "test", routes, CRM_NELEM(routes), NULL, 0, NULL, NULL };

static struct crm_worker w;
static struct crm_conf conf;

static int
setup(void **state)
{
	char err[256];
	static const char layout[] = "<html>{{$content}}{{/content}}</html>";
	static const char show[] = "{{<layout}}{{$content}}<p>{{id}}|{{q}}|{{name}}</p>{{/content}}{{/layout}}";
	static const char error[] = "<h1>{{status}} {{title}}</h1><p>{{message}}</p>";

	(void)state;
	assert_int_equal(crm_conf_load(&conf, NULL, err, sizeof(err)), CRM_OK);
	conf.max_body = 1024;
	memset(&w, 0, sizeof(w));
	w.module = &module;
	w.conf = &conf;
	w.tmpl = crm_tmpl_set_new();
	assert_int_equal(crm_tmpl_set_add(w.tmpl, "layout", layout, strlen(layout), err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_tmpl_set_add(w.tmpl, "items/show", show, strlen(show), err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_tmpl_set_add(w.tmpl, "error", error, strlen(error), err, sizeof(err)), CRM_OK);
	w.arena = crm_arena_new(0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	crm_tmpl_set_free(w.tmpl);
	crm_arena_free(w.arena);
	crm_conf_free(&conf);
	return 0;
}

/* Serves one request; env is "NAME=value" strings, NULL-terminated. */
static char *
serve(const char **env, const char *body, int *status)
{
	struct fake f = { body ? body : "", body ? strlen(body) : 0, 0, { 0 } };
	struct crm_io io = { (char **)env, fake_read, fake_write, &f };
	char *out;

	crm_buf_init(&f.out, NULL, 0);
	*status = crm_http_serve(&w, &io);
	out = strdup(f.out.data);
	crm_buf_release(&f.out);
	return out;
}

#define REQ(...) (const char *[]){ __VA_ARGS__, NULL }

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

static void
test_html_page_escaped_with_headers(void **state)
{
	int st;
	char *out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/7",
	    "QUERY_STRING=q=%3Cb%3E%26'"), NULL, &st);

	(void)state;
	assert_int_equal(st, 200);
	assert_contains(out, "Status: 200 OK\r\n");
	assert_contains(out, "Content-Type: text/html; charset=utf-8\r\n");
	assert_contains(out, "X-Content-Type-Options: nosniff\r\n");
	assert_contains(out, "frame-ancestors 'none'");
	assert_contains(out, "script-src 'self'");
	assert_contains(out, "Referrer-Policy: same-origin\r\n");
	assert_contains(out, "<html><p>7|&lt;b&gt;&amp;&#39;|</p></html>");
	free(out);
}

static void
test_api_prefix_answers_json(void **state)
{
	int st;
	char *out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/api/v1/items/abc"), NULL, &st);

	(void)state;
	assert_int_equal(st, 200);
	assert_contains(out, "Content-Type: application/json\r\n");
	assert_contains(out, "\r\n\r\n{\"id\":\"abc\",\"q\":\"\"}");
	free(out);
}

static void
test_not_found_and_method(void **state)
{
	int st;
	char *out;

	(void)state;
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/nothing"), NULL, &st);
	assert_int_equal(st, 404);
	assert_contains(out, "<h1>404 Not Found</h1>");
	free(out);
	out = serve(REQ("REQUEST_METHOD=DELETE", "DOCUMENT_URI=/items/1"), NULL, &st);
	assert_int_equal(st, 405);
	assert_contains(out, "Allow: GET, HEAD, POST\r\n");
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/api/v1/nothing"), NULL, &st);
	assert_int_equal(st, 404);
	assert_contains(out, "{\"error\":{\"status\":404,\"message\":\"There is no such page.\"");
	free(out);
	out = serve(REQ("REQUEST_METHOD=HEAD", "DOCUMENT_URI=/items/1"), NULL, &st);
	assert_int_equal(st, 200);
	assert_true(strlen(strstr(out, "\r\n\r\n")) == 4);
	free(out);
}

static void
test_bad_input_is_refused_before_the_handler(void **state)
{
	int st;
	char *out;

	(void)state;
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/1", "QUERY_STRING=a=%G1"), NULL, &st);
	assert_int_equal(st, 400);
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/1", "HTTP_COOKIE=a\x01=b"), NULL, &st);
	assert_int_equal(st, 400);
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "REQUEST_URI=/items/%C0%AF"), NULL, &st);
	assert_int_equal(st, 400);
	free(out);
	out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", "CONTENT_LENGTH=5000",
	    "CONTENT_TYPE=application/x-www-form-urlencoded"), "", &st);
	assert_int_equal(st, 413);
	free(out);
	out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", "CONTENT_LENGTH=3",
	    "CONTENT_TYPE=text/plain"), "a=b", &st);
	assert_int_equal(st, 415);      /* well formed, but no route reads it */
	free(out);
	out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", "CONTENT_LENGTH=10",
	    "CONTENT_TYPE=application/x-www-form-urlencoded"), "name=", &st);
	assert_int_equal(st, 400);      /* the client sent less than it said */
	free(out);
}

static void
test_multipart_is_checked_and_uploads_do_not_outlive_the_request(void **state)
{
	static const char good[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
	    "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
	static const char broken[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n--Xy";
	char len[32], tmpdir[] = "/tmp/crm-http-test-XXXXXX";
	int st;
	char *out;

	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	free(conf.tmpdir);
	conf.tmpdir = strdup(tmpdir);
	snprintf(len, sizeof(len), "CONTENT_LENGTH=%zu", sizeof(broken) - 1);
	out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", len,
	    "CONTENT_TYPE=multipart/form-data; boundary=XyZ"), broken, &st);
	assert_int_equal(st, 400);
	assert_contains(out, "The request body is not valid.");
	free(out);
	/* A well-formed upload still needs the CSRF token, and its temp file
	 * is gone once the request is over. */
	snprintf(len, sizeof(len), "CONTENT_LENGTH=%zu", sizeof(good) - 1);
	out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", len,
	    "CONTENT_TYPE=multipart/form-data; boundary=XyZ"), good, &st);
	assert_int_equal(st, 403);
	free(out);
	assert_int_equal(rmdir(tmpdir), 0);     /* fails unless empty */
}

static void
test_post_without_csrf_token_is_403(void **state)
{
	int st;
	char *out = serve(REQ("REQUEST_METHOD=POST", "DOCUMENT_URI=/items/1", "CONTENT_LENGTH=6",
	    "CONTENT_TYPE=application/x-www-form-urlencoded"), "name=x", &st);

	(void)state;
	assert_int_equal(st, 403);
	assert_contains(out, "did not come from this site");
	free(out);
}

static void
test_permission_gate(void **state)
{
	int st;
	char *out;

	(void)state;
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/1/secret"), NULL, &st);
	assert_int_equal(st, 303);
	assert_contains(out, "Location: /login?next=%2Fitems%2F1%2Fsecret\r\n");
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/api/v1/items/1/secret"), NULL, &st);
	assert_int_equal(st, 401);
	free(out);
}

static void
test_cookies_and_redirects(void **state)
{
	int st;
	char *out;

	(void)state;
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/cookie"), NULL, &st);
	assert_int_equal(st, 303);
	assert_contains(out, "Location: /items/1\r\n");
	assert_contains(out, "Set-Cookie: crm_s=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600\r\n");
	assert_contains(out, "Set-Cookie: crm_old=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0\r\n");
	assert_null(strstr(out, "Injected"));
	free(out);
	/* Behind TLS (nginx passes HTTPS=on) cookies are Secure. */
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/cookie", "HTTPS=on"), NULL, &st);
	assert_contains(out, "SameSite=Lax; Max-Age=3600; Secure\r\n");
	free(out);
}

static void
test_urls_escape_their_values(void **state)
{
	struct crm_ctx c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.arena = w.arena;
	assert_string_equal(crm_ctx_url(&c, "/customers", "q", "上海 & co", "after_name", "",
	    "after_id", "42", NULL), "/customers?q=%E4%B8%8A%E6%B5%B7%20%26%20co&after_id=42");
	assert_string_equal(crm_ctx_url(&c, "/login/2fa", "next", "/a?b=c#d", NULL),
	    "/login/2fa?next=%2Fa%3Fb%3Dc%23d");
	assert_string_equal(crm_ctx_url(&c, "/x", NULL), "/x");
}

/* Dates of a list shown in the user's zone, in a list of objects and in a
 * table alike: in place, where null stays null, and into a new column,
 * where null is "". */
static void
test_localise_dates(void **state)
{
	struct crm_identity u;
	struct crm_ctx c;
	json_t *cols = json_pack("[s,s,s]", "id", "at", "closed_at"), *t = crm_table_new(cols), *row;
	json_t *list = json_pack("[{s:i,s:s,s:n},{s:i}]", "id", 1, "at", "2026-11-22 06:05:00",
	    "closed_at", "id", 2);

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&u, 0, sizeof(u));
	u.time_zone = "Asia/Shanghai";
	c.arena = w.arena;
	c.user = &u;
	c.lang = "en";
	crm_table_append(t, row = json_pack("[i,s,n]", 1, "2026-11-22 06:05:00"));
	json_decref(row);
	crm_table_append(t, row = json_pack("[i]", 2));
	json_decref(row);
	json_decref(cols);
	crm_ctx_localise_dates(&c, t, "at");
	crm_ctx_localise_dates(&c, t, "closed_at");
	crm_ctx_localise_dates_as(&c, t, "closed_at", "closed");
	crm_ctx_localise_dates(&c, t, "no_such_column");
	assert_string_equal(json_string_value(crm_table_get(t, 0, "at")), "22 Nov 2026 14:05");
	assert_true(json_is_null(crm_table_get(t, 0, "closed_at")));
	assert_string_equal(json_string_value(crm_table_get(t, 0, "closed")), "");
	assert_true(json_is_null(crm_table_get(t, 1, "at")));
	assert_string_equal(json_string_value(crm_table_get(t, 1, "closed")), "");
	assert_int_equal(json_array_size(crm_table_columns(t)), 4);

	c.lang = "zh_CN";
	crm_ctx_localise_dates_as(&c, list, "at", "shown");
	crm_ctx_localise_dates(&c, list, "at");
	crm_ctx_localise_dates(&c, list, "closed_at");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "shown")),
	    "2026年11月22日 14:05");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "at")),
	    "2026年11月22日 14:05");
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "closed_at")));
	assert_null(json_object_get(json_array_get(list, 1), "at"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "shown")), "");
	json_decref(t);
	json_decref(list);
}

static void
test_route_match(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_params p = { 0 };
	const struct crm_route *r;
	char *allow;

	(void)state;
	assert_int_equal(crm_route_match(routes, CRM_NELEM(routes), "GET", "/items/9/secret",
	    a, &p, &r, &allow), CRM_ROUTE_FOUND);
	assert_ptr_equal(r, &routes[2]);
	assert_string_equal(crm_params_get(&p, "id"), "9");
	assert_int_equal(crm_route_match(routes, CRM_NELEM(routes), "GET", "/items/",
	    a, NULL, &r, &allow), CRM_ROUTE_NO_PATH);
	assert_int_equal(crm_route_match(routes, CRM_NELEM(routes), "GET", "/items/1/",
	    a, NULL, &r, &allow), CRM_ROUTE_NO_PATH);
	assert_int_equal(crm_route_match(routes, CRM_NELEM(routes), "PUT", "/items/1",
	    a, NULL, &r, &allow), CRM_ROUTE_NO_METHOD);
	assert_string_equal(allow, "GET, HEAD, POST");
	crm_arena_free(a);
}

static void
test_webdav_methods_and_raw_bodies(void **state)
{
	static const char xml[] = "<propfind xmlns=\"DAV:\"/> ";
	int st;
	char *out;

	(void)state;
	/* Without CRM_SERVE_RAW_BODY an XML body is refused: a type the
	 * module does not read. */
	out = serve(REQ("REQUEST_METHOD=PROPFIND", "DOCUMENT_URI=/dav/a", "CONTENT_LENGTH=25",
	    "CONTENT_TYPE=text/xml; charset=utf-8"), xml, &st);
	assert_int_equal(st, 415);
	free(out);
	w.flags = CRM_SERVE_RAW_BODY;
	out = serve(REQ("REQUEST_METHOD=PROPFIND", "DOCUMENT_URI=/dav/a", "CONTENT_LENGTH=25",
	    "CONTENT_TYPE=Text/XML; charset=utf-8"), xml, &st);
	assert_int_equal(st, 207);
	assert_contains(out, "Status: 207 Multi-Status\r\n");
	assert_contains(out, "Content-Type: application/xml\r\n");
	assert_contains(out, "<r>text/xml:25</r>");
	free(out);
	/* Still within max_body. */
	out = serve(REQ("REQUEST_METHOD=PROPFIND", "DOCUMENT_URI=/dav/a", "CONTENT_LENGTH=5000",
	    "CONTENT_TYPE=text/xml"), "", &st);
	assert_int_equal(st, 413);
	free(out);
	/* A method the front door does not know, and a known one the path lacks. */
	out = serve(REQ("REQUEST_METHOD=BREW", "DOCUMENT_URI=/dav/a"), NULL, &st);
	assert_int_equal(st, 405);
	free(out);
	out = serve(REQ("REQUEST_METHOD=REPORT", "DOCUMENT_URI=/dav/a"), NULL, &st);
	assert_int_equal(st, 405);
	assert_contains(out, "Allow: PROPFIND\r\n");
	free(out);
	w.flags = 0;
}

static void
test_basic_auth_module_answers_401(void **state)
{
	int st;
	char *out;

	(void)state;
	w.flags = CRM_SERVE_BASIC_AUTH;
	/* No credentials, and credentials that are not base64: 401 with the
	 * challenge, never the sign-in redirect of a browser module. */
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/9/secret"), NULL, &st);
	assert_int_equal(st, 401);
	assert_contains(out, "WWW-Authenticate: Basic realm=\"CRM\", charset=\"UTF-8\"\r\n");
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/9/secret",
	    "HTTP_AUTHORIZATION=Basic !!!not base64"), NULL, &st);
	assert_int_equal(st, 401);
	free(out);
	out = serve(REQ("REQUEST_METHOD=GET", "DOCUMENT_URI=/items/9/secret",
	    "HTTP_AUTHORIZATION=Bearer crm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, &st);
	assert_int_equal(st, 401);
	free(out);
	w.flags = 0;
	assert_true(crm_route_changes_state("PROPPATCH"));
	assert_false(crm_route_changes_state("PROPFIND"));
	assert_true(crm_route_has_body("REPORT"));
	assert_false(crm_route_has_body("OPTIONS"));
	assert_true(crm_route_known_method("OPTIONS"));
	assert_false(crm_route_known_method("MKCOL"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_page_escaped_with_headers),
		cmocka_unit_test(test_api_prefix_answers_json),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_bad_input_is_refused_before_the_handler),
		cmocka_unit_test(test_multipart_is_checked_and_uploads_do_not_outlive_the_request),
		cmocka_unit_test(test_post_without_csrf_token_is_403),
		cmocka_unit_test(test_permission_gate),
		cmocka_unit_test(test_cookies_and_redirects),
		cmocka_unit_test(test_urls_escape_their_values),
		cmocka_unit_test(test_localise_dates),
		cmocka_unit_test(test_route_match),
		cmocka_unit_test(test_webdav_methods_and_raw_bodies),
		cmocka_unit_test(test_basic_auth_module_answers_401),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
