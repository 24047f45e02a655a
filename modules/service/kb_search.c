/* Finding articles in kb_search (sql/migrations/026_kb_search.sql): the
 * search box, where every typed word must match (crm_search_query, as the
 * customers' search), and the suggestions for a ticket's subject, where
 * any word may: a subject is a sentence, not a query, so its words are
 * OR-ed and the articles that share most of them come first. */
#include <string.h>

#include "crm_search.h"
#include "crm_valid.h"
#include "extern.h"

#define SUGGEST_MAX_TERMS 16

/* Words in every other subject, which would suggest every article. */
static const char *const stop[] = { "the", "and", "for", "are", "was", "not", "can", "cannot", "with", "what",
	"where", "when", "why", "how", "who", "does", "doesn", "don", "our", "your", "you", "this", "that", "from",
	"have", "has", "had", "help", "please", "need", "any", "get", "got", "there", "will", "would", "into", "about",
	NULL };

static int
stopword(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; stop[i]; i++) {
		if (strlen(stop[i]) != n)
			continue;
		for (k = 0; k < n && (s[k] | 0x20) == stop[i][k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

static int
latin(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* The length of the UTF-8 character at s, 1 for a stray byte. */
static size_t
utf8_len(const char *s)
{
	unsigned char ch = (unsigned char)*s;
	size_t n = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1, i;

	for (i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

/* A subject as an OR query: Latin words of three or more letters, not
 * the commonest, as prefixes, and each run of other letters (Chinese) as its overlapping
 * two-character phrases, the bigrams the index holds, so that
 * "打印机连不上" still meets an article on "打印机无法连接". Punctuation
 * separates; no quote or backslash reaches the query. */
static int
suggest_query(struct crm_buf *out, const char *subject)
{
	const char *p = subject, *start, *prev;
	int terms = 0;
	size_t i;

	crm_buf_puts(out, "*DOR");
	while (*p && terms < SUGGEST_MAX_TERMS) {
		unsigned char ch = (unsigned char)*p;

		if (latin(ch)) {
			start = p;
			while (latin((unsigned char)*p))
				p++;
			if (p - start < 3 || stopword(start, (size_t)(p - start)))
				continue;
			crm_buf_putc(out, ' ');
			for (i = 0; i < (size_t)(p - start); i++)
				crm_buf_putc(out, start[i] >= 'A' && start[i] <= 'Z' ? start[i] + 32 : start[i]);
			crm_buf_putc(out, '*');
			terms++;
			continue;
		}
		if (ch < 0x80) {
			p++;
			continue;
		}
		/* A run of non-ASCII letters: its bigrams. */
		prev = NULL;
		while ((unsigned char)*p >= 0x80 && terms < SUGGEST_MAX_TERMS) {
			size_t n = utf8_len(p);

			/* Fullwidth punctuation (，。？！) separates words. */
			if (n == 3 && ((unsigned char)p[0] == 0xEF || ((unsigned char)p[0] == 0xE3 &&
			    (unsigned char)p[1] == 0x80))) {
				prev = NULL;
				p += n;
				continue;
			}
			if (prev != NULL) {
				crm_buf_puts(out, " \"");
				crm_buf_add(out, prev, (size_t)(p + n - prev));
				crm_buf_putc(out, '"');
				terms++;
			}
			prev = p;
			p += n;
		}
	}
	return terms;
}

static json_t *
run(struct crm_ctx *c, const struct crm_buf *query, int with_drafts, size_t max, const char *q)
{
	struct crm_db_bind b[6];
	json_t *rows = NULL, *row;
	size_t i;

	crm_db_bind_str(&b[0], query->data, query->len);
	crm_db_bind_str(&b[1], query->data, query->len);
	crm_db_bind_i64(&b[2], with_drafts);
	crm_db_bind_str(&b[3], query->data, query->len);
	crm_db_bind_i64(&b[4], (long long)max);
	crm_db_bind_i64(&b[5], with_drafts);
	if (crm_db_rows(c->db, STMT_KB_SEARCH, b, 6, &rows) != CRM_OK)
		return NULL;
	json_array_foreach(rows, i, row) {
		const char *status = json_string_value(json_object_get(row, "status"));

		json_object_set_new(row, "snippet", json_string(service_kb_snippet(c,
		    json_string_value(json_object_get(row, "body")), q)));
		json_object_del(row, "body");
		json_object_set_new(row, "draft", json_boolean(status && strcmp(status, "draft") == 0));
	}
	return rows;
}

/* crm_search_query's "word*" as "(word OR word*)": Groonga scores a
 * prefix match 1 however often the word occurs, so the whole word is
 * asked for too, for a ranking by how often an article uses it. Its
 * terms are separated by single spaces and hold none inside. */
static void
ranked(struct crm_buf *out, const char *query)
{
	const char *p = query, *end;

	while (*p) {
		size_t n;

		end = strchr(p, ' ');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n > 1 && p[0] != '"' && p[n - 1] == '*') {
			crm_buf_putc(out, '(');
			crm_buf_add(out, p, n - 1);
			crm_buf_puts(out, " OR ");
			crm_buf_add(out, p, n);
			crm_buf_putc(out, ')');
		} else {
			crm_buf_add(out, p, n);
		}
		if (end == NULL)
			break;
		crm_buf_putc(out, ' ');
		p = end + 1;
	}
}

json_t *
service_kb_find(struct crm_ctx *c, const char *q, int with_drafts, int *terms)
{
	struct crm_buf query, scored;

	crm_buf_init(&query, c->arena, 128);
	if ((*terms = crm_search_query(&query, q)) == 0)
		return json_array();
	crm_buf_init(&scored, c->arena, query.len * 2 + 16);
	ranked(&scored, query.data);
	return run(c, &scored, with_drafts, 51, q);
}

json_t *
service_kb_suggest(struct crm_ctx *c, const char *subject, size_t max)
{
	struct crm_buf query;
	json_t *rows, *row, *out = json_array();
	size_t i;

	crm_buf_init(&query, c->arena, 128);
	if (subject == NULL || suggest_query(&query, subject) == 0)
		return out;
	if ((rows = run(c, &query, 0, max, NULL)) == NULL)
		return NULL;
	json_array_foreach(rows, i, row)
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:s}", "id", json_object_get(row, "id"),
		    "title", json_object_get(row, "title"), "snippet", json_object_get(row, "snippet"),
		    "link", crm_arena_printf(c->arena, "/service/kb/%lld",
		    (long long)json_integer_value(json_object_get(row, "id")))));
	return out;
}

int
service_kb_search(struct crm_ctx *c)
{
	const char *q = crm_ctx_query_str(c, "q");
	json_t *rows;
	int terms = 0;

	service_nav(c, "kb");
	json_object_set_new(c->view, "q", json_string(q));
	if (*q == '\0') {
		json_object_set_new(c->view, "results", json_array());
		return 200;
	}
	if (!crm_valid_text(q, 1, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	if ((rows = service_kb_find(c, q, 1, &terms)) == NULL)
		return 500;
	json_object_set_new(c->view, "results", rows);
	json_object_set_new(c->view, "searched", json_true());
	json_object_set_new(c->view, "too_short", json_boolean(terms == 0));
	return 200;
}

/* GET /service/kb/suggest?subject=...: JSON for the ticket page. */
int
service_kb_suggest_page(struct crm_ctx *c)
{
	const char *subject = crm_ctx_query_str(c, "subject");
	json_t *rows;

	if (!crm_valid_text(subject, 0, 300, 0))
		return crm_ctx_fail(c, 422, N_("Keep the subject under 300 characters."));
	if ((rows = service_kb_suggest(c, subject, 5)) == NULL)
		return 500;
	json_object_set_new(c->view, "articles", rows);
	return 200;
}
