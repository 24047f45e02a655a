/* The leads step: which leads convert, learnt from the decided ones
 * (converted, or disqualified without converting), as a decision tree
 * whose leaves read as rules (analytics/tree.h) and, next to it, the
 * logistic model of the same features (analytics/logit.h), each with its
 * AUC and accuracy on a held-out quarter.
 *
 * A lead's features: its source and its country (one indicator per value
 * among the ten most common of the decided leads: the tree wants numbers),
 * whether it has a phone and a company, whether its title names a
 * director or above, or a manager or lead (in English or Chinese), the
 * length of its message, and whether it came from a web form. The tree is
 * grown to depth 4 (3 under 400 training rows) with leaves of at least 5%
 * of the training rows, so every rule speaks for a fair share of leads.
 * Every lead that is not deleted gets both probabilities and its leaf's
 * rule in lead_scores; the rules and coefficients go to
 * analytics_models('leads'). The features' own names are msgids, so the
 * page shows the coefficients in the reader's language; the rules are
 * kept as text, in English, with the data's own values in them. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/logit.h"
#include "analytics/metrics.h"
#include "analytics/tree.h"
#include "crm.h"
#include "crm_analytics.h"
#include "crm_i18n.h"

#define LEADS_SEED 8
#define MIN_ROWS 10
#define MAX_VALUES 10           /* indicators per categorical field */
#define NFIXED 6

static const char input_sql[] =
    "SELECT id, source, country, phone <> '' AS has_phone, company <> '' AS has_company, title,"
    " CHAR_LENGTH(IFNULL(message, '')) AS message_length, form_id IS NOT NULL AS web_form,"
    " converted_at IS NOT NULL AS converted, (converted_at IS NOT NULL OR status = 'disqualified') AS decided"
    " FROM leads WHERE deleted_at IS NULL ORDER BY id";
static const char stamp_sql[] = "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s') AS now";
static const char clear_sql[] = "DELETE FROM lead_scores";
static const char put_head[] = "INSERT INTO lead_scores (lead_id, tree_probability, logit_probability,"
    " rule_text, computed_at) VALUES";

static const struct { const char *name, *negated; } fixed[NFIXED] = {
	{ N_("has a phone"), N_("has no phone") },
	{ N_("has a company"), N_("has no company") },
	{ N_("senior title"), N_("title not senior") },
	{ N_("manager title"), N_("title not a manager") },
	{ N_("message length"), NULL },
	{ N_("from a web form"), N_("not from a web form") },
};

/* Words of a director or above, and of a manager or lead. ASCII words are
 * matched in the lower-cased title; Chinese ones as they are. */
static const char *const senior_words[] = { "chief", "ceo", "cfo", "cto", "coo", "cio", "president", "owner",
	"founder", "director", "head", "vp", "partner", "总经理", "总监", "董事", "总裁", "老板" };
static const char *const manager_words[] = { "manager", "lead", "supervisor", "经理", "主管", "组长" };

static int
has_word(const char *lower, const char *const *words, size_t n)
{
	size_t i, len;
	const char *p;

	for (i = 0; i < n; i++) {
		len = strlen(words[i]);
		for (p = strstr(lower, words[i]); p != NULL; p = strstr(p + 1, words[i])) {
			/* An ASCII word stands alone ("lead" but not "leader"'s
			 * prefix in "misleading"); Chinese has no spaces. */
			if ((unsigned char)words[i][0] >= 0x80 ||
			    ((p == lower || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[len])))
				return 1;
		}
	}
	return 0;
}

/* The most common values of a field among the decided leads. */
struct values {
	const char *v[MAX_VALUES];
	size_t n;
};

struct tally {
	const char *v;
	size_t n;
};

static int
by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->v, y->v);
}

static void
common_values(json_t *rows, const char *field, struct values *out)
{
	struct tally *t = crm_xmalloc((json_array_size(rows) + 1) * sizeof(*t));
	size_t i, j, n = 0;
	json_t *r;
	const char *v;

	json_array_foreach(rows, i, r) {
		if (!json_is_true(json_object_get(r, "decided")) && json_integer_value(json_object_get(r, "decided")) != 1)
			continue;
		v = json_string_value(json_object_get(r, field));
		if (v == NULL || v[0] == '\0')
			continue;
		for (j = 0; j < n && strcmp(t[j].v, v) != 0; j++)
			;
		if (j == n)
			t[n++] = (struct tally){ v, 0 };
		t[j].n++;
	}
	qsort(t, n, sizeof(*t), by_count);
	out->n = n < MAX_VALUES ? n : MAX_VALUES;
	for (i = 0; i < out->n; i++)
		out->v[i] = t[i].v;
	free(t);
}

static int
flag(json_t *r, const char *key)
{
	json_t *v = json_object_get(r, key);

	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

struct leads {
	json_t *rows;
	size_t n, d;
	struct values source, country;
	struct crm_tree_feature *features;      /* d of them */
	char **names;                           /* the features' texts */
	double *x;                              /* n by d */
	int *y, *decided;
	/* the results */
	double *p_tree, *p_logit;
	char **rule_text;
	int *leaf;
	const char *now;
};

static void
name_features(struct leads *s)
{
	size_t j, k = 0;

	s->d = s->source.n + s->country.n + NFIXED;
	s->features = crm_xcalloc(s->d, sizeof(*s->features));
	s->names = crm_xcalloc(2 * s->d, sizeof(*s->names));
	for (j = 0; j < s->source.n; j++, k++) {
		s->names[2 * k] = crm_xmalloc(strlen(s->source.v[j]) + 20);
		s->names[2 * k + 1] = crm_xmalloc(strlen(s->source.v[j]) + 20);
		sprintf(s->names[2 * k], "source = %s", s->source.v[j]);
		sprintf(s->names[2 * k + 1], "source is not %s", s->source.v[j]);
	}
	for (j = 0; j < s->country.n; j++, k++) {
		s->names[2 * k] = crm_xmalloc(strlen(s->country.v[j]) + 20);
		s->names[2 * k + 1] = crm_xmalloc(strlen(s->country.v[j]) + 20);
		sprintf(s->names[2 * k], "country = %s", s->country.v[j]);
		sprintf(s->names[2 * k + 1], "country is not %s", s->country.v[j]);
	}
	for (j = 0; j < NFIXED; j++, k++) {
		s->names[2 * k] = crm_xstrdup(fixed[j].name);
		s->names[2 * k + 1] = fixed[j].negated != NULL ? crm_xstrdup(fixed[j].negated) : NULL;
	}
	for (k = 0; k < s->d; k++)
		s->features[k] = (struct crm_tree_feature){ s->names[2 * k], s->names[2 * k + 1] };
}

static void
fill(struct leads *s)
{
	char lower[512];
	const char *v;
	double *row;
	size_t i, j, k;
	json_t *r;

	s->x = crm_xcalloc((s->n + 1) * s->d, sizeof(*s->x));
	s->y = crm_xmalloc((s->n + 1) * sizeof(*s->y));
	s->decided = crm_xmalloc((s->n + 1) * sizeof(*s->decided));
	json_array_foreach(s->rows, i, r) {
		row = s->x + i * s->d;
		k = 0;
		v = json_string_value(json_object_get(r, "source"));
		for (j = 0; j < s->source.n; j++)
			row[k++] = v != NULL && strcmp(v, s->source.v[j]) == 0;
		v = json_string_value(json_object_get(r, "country"));
		for (j = 0; j < s->country.n; j++)
			row[k++] = v != NULL && strcmp(v, s->country.v[j]) == 0;
		snprintf(lower, sizeof(lower), "%s", json_string_value(json_object_get(r, "title")) ?
		    json_string_value(json_object_get(r, "title")) : "");
		for (j = 0; lower[j] != '\0'; j++)
			lower[j] = (char)tolower((unsigned char)lower[j]);
		row[k++] = flag(r, "has_phone");
		row[k++] = flag(r, "has_company");
		row[k++] = has_word(lower, senior_words, CRM_NELEM(senior_words));
		row[k++] = has_word(lower, manager_words, CRM_NELEM(manager_words));
		row[k++] = (double)json_integer_value(json_object_get(r, "message_length"));
		row[k++] = flag(r, "web_form");
		s->y[i] = flag(r, "converted");
		s->decided[i] = flag(r, "decided");
	}
}

static json_t *
figure(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* "… → 72% convert": the rule as lead_scores keeps it, within its 500
 * bytes and never cutting a UTF-8 character. */
static char *
rule_text(const struct crm_tree_rule *r)
{
	char *t = crm_xmalloc(500);
	size_t len;

	snprintf(t, 500, "%s \xe2\x86\x92 %.0f%% convert", r->conditions[0] != '\0' ? r->conditions : "every lead",
	    100.0 * r->share);
	len = strlen(t);
	if (len == 499)
		while (len > 0 && ((unsigned char)t[len] & 0xc0) == 0x80)
			t[len--] = '\0';
	return t;
}

/* A rule's conditions as parts the page words in the reader's language:
 * {field, value, op: is|not} for a source or country, {name, negated,
 * op: is|not} for a yes/no feature, {name, op: le|gt|between, lo, hi}
 * for a number. */
static json_t *
rule_parts(const struct leads *s, const struct crm_tree_rule *r)
{
	json_t *parts = json_array(), *part;
	size_t j, k;
	int has_lo, has_hi;

	for (j = 0; j < s->d; j++) {
		has_lo = r->lo[j] > -INFINITY;
		has_hi = r->hi[j] < INFINITY;
		if (!has_lo && !has_hi)
			continue;
		if (j < s->source.n + s->country.n) {
			part = json_pack("{s:s,s:s,s:s}", "field", j < s->source.n ? "source" : "country",
			    "value", j < s->source.n ? s->source.v[j] : s->country.v[j - s->source.n],
			    "op", has_lo ? "is" : "not");
		} else {
			k = j - s->source.n - s->country.n;
			if (fixed[k].negated != NULL)
				part = json_pack("{s:s,s:s,s:s}", "name", fixed[k].name, "negated", fixed[k].negated,
				    "op", has_lo ? "is" : "not");
			else {
				part = json_pack("{s:s,s:s}", "name", fixed[k].name,
				    "op", has_lo && has_hi ? "between" : has_lo ? "gt" : "le");
				if (has_lo)
					json_object_set_new(part, "lo", json_real(r->lo[j]));
				if (has_hi)
					json_object_set_new(part, "hi", json_real(r->hi[j]));
			}
		}
		json_array_append_new(parts, part);
	}
	return parts;
}

/* Trains both models on the decided leads' training rows and scores every lead. */
static enum crm_err
learn(struct leads *s, json_t *metrics, struct crm_analytics_out *out)
{
	struct crm_tree_opt opt;
	struct crm_tree tree;
	struct crm_tree_rule *rules;
	struct crm_logit m;
	unsigned char *is_test;
	double *x, *tx, *mean, *sd, *row, *pt, *pl;
	int *y, *ty;
	size_t nd = 0, i, j, k, ntrain = 0, ntest = 0, converted = 0;
	json_t *list, *part;
	enum crm_err e;

	for (i = 0; i < s->n; i++)
		nd += (size_t)s->decided[i];
	/* Too little to learn from is no failure: the previous scores stand. */
	if (nd < MIN_ROWS) {
		snprintf(out->summary, sizeof(out->summary), "not trained: only %zu leads are decided (converted"
		    " or disqualified; %d needed); the previous scores stand", nd, MIN_ROWS);
		return CRM_ENOTFOUND;
	}
	is_test = crm_xmalloc(nd);
	crm_metrics_split(nd, CRM_METRICS_TEST_SHARE, LEADS_SEED, is_test);
	x = crm_xmalloc(nd * s->d * sizeof(*x));
	tx = crm_xmalloc(nd * s->d * sizeof(*tx));
	y = crm_xmalloc(nd * sizeof(*y));
	ty = crm_xmalloc(nd * sizeof(*ty));
	for (i = 0, k = 0; i < s->n; i++) {
		if (!s->decided[i])
			continue;
		converted += (size_t)s->y[i];
		if (is_test[k++]) {
			memcpy(tx + ntest * s->d, s->x + i * s->d, s->d * sizeof(*x));
			ty[ntest++] = s->y[i];
		} else {
			memcpy(x + ntrain * s->d, s->x + i * s->d, s->d * sizeof(*x));
			y[ntrain++] = s->y[i];
		}
	}
	for (i = 0, k = 0; i < ntrain; i++)
		k += (size_t)y[i];
	if (k == 0 || k == ntrain) {
		snprintf(out->summary, sizeof(out->summary), "not trained: the decided leads all ended alike (all"
		    " converted, or none did); the previous scores stand");
		e = CRM_ENOTFOUND;
		goto out0;
	}
	opt.max_depth = ntrain < 400 ? 3 : 4;
	opt.min_samples_leaf = (size_t)ceil(0.05 * (double)ntrain);
	if (opt.min_samples_leaf < 1)
		opt.min_samples_leaf = 1;
	if ((e = crm_tree_fit(x, y, ntrain, s->d, &opt, &tree)) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "A lead's figures are not numbers: lead scoring cannot"
		    " learn from them.");
		goto out0;
	}
	mean = crm_xmalloc(s->d * sizeof(*mean));
	sd = crm_xmalloc(s->d * sizeof(*sd));
	crm_logit_scale_fit(x, ntrain, s->d, mean, sd);
	crm_logit_scale_apply(x, ntrain, s->d, mean, sd);
	if ((e = crm_logit_fit(x, y, ntrain, s->d, CRM_LOGIT_C, &m)) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "A lead's figures are not numbers: lead scoring cannot"
		    " learn from them.");
		crm_tree_free(&tree);
		free(mean);
		free(sd);
		goto out0;
	}
	/* Every lead, the held-out ones too, by both models. */
	row = crm_xmalloc(s->d * sizeof(*row));
	s->p_tree = crm_xmalloc((s->n + 1) * sizeof(*s->p_tree));
	s->p_logit = crm_xmalloc((s->n + 1) * sizeof(*s->p_logit));
	s->leaf = crm_xmalloc((s->n + 1) * sizeof(*s->leaf));
	for (i = 0; i < s->n; i++) {
		s->p_tree[i] = crm_tree_predict(&tree, s->x + i * s->d);
		s->leaf[i] = crm_tree_leaf(&tree, s->x + i * s->d);
		memcpy(row, s->x + i * s->d, s->d * sizeof(*row));
		crm_logit_scale_apply(row, 1, s->d, mean, sd);
		s->p_logit[i] = crm_logit_predict(&m, row);
	}
	pt = crm_xmalloc((ntest + 1) * sizeof(*pt));
	pl = crm_xmalloc((ntest + 1) * sizeof(*pl));
	for (i = 0; i < ntest; i++) {
		pt[i] = crm_tree_predict(&tree, tx + i * s->d);
		memcpy(row, tx + i * s->d, s->d * sizeof(*row));
		crm_logit_scale_apply(row, 1, s->d, mean, sd);
		pl[i] = crm_logit_predict(&m, row);
	}
	rules = crm_xcalloc(tree.nleaves, sizeof(*rules));
	crm_tree_rules(&tree, s->features, rules);
	s->rule_text = crm_xcalloc(tree.nleaves + 1, sizeof(*s->rule_text));
	list = json_array();
	for (j = 0; j < tree.nleaves; j++) {
		s->rule_text[j] = rule_text(&rules[j]);
		json_array_append_new(list, json_pack("{s:s,s:o,s:f,s:I}", "conditions", rules[j].conditions,
		    "parts", rule_parts(s, &rules[j]), "share", rules[j].share, "count", (json_int_t)rules[j].count));
	}
	part = json_pack("{s:o,s:o,s:i,s:I,s:I,s:o}", "auc", figure(crm_metrics_auc(pt, ty, ntest)),
	    "accuracy", figure(crm_metrics_accuracy(pt, ty, ntest)), "max_depth", (int)opt.max_depth,
	    "min_leaf", (json_int_t)opt.min_samples_leaf, "leaves", (json_int_t)tree.nleaves, "rules", list);
	json_object_set_new(metrics, "tree", part);
	list = json_array();
	for (j = 0; j < s->d; j++)
		json_array_append_new(list, json_pack("{s:s,s:f}", "feature", s->features[j].name,
		    "coefficient", m.w[j]));
	part = json_pack("{s:o,s:o,s:f,s:o}", "auc", figure(crm_metrics_auc(pl, ty, ntest)),
	    "accuracy", figure(crm_metrics_accuracy(pl, ty, ntest)), "intercept", m.intercept,
	    "coefficients", list);
	json_object_set_new(metrics, "logit", part);
	json_object_set_new(metrics, "rows", json_integer((json_int_t)nd));
	json_object_set_new(metrics, "train_rows", json_integer((json_int_t)ntrain));
	json_object_set_new(metrics, "test_rows", json_integer((json_int_t)ntest));
	json_object_set_new(metrics, "converted_share", json_real((double)converted / (double)nd));
	json_object_set_new(metrics, "scored", json_integer((json_int_t)s->n));
	crm_tree_rules_free(rules, tree.nleaves);
	free(rules);
	free(pt);
	free(pl);
	free(row);
	free(mean);
	free(sd);
	crm_logit_free(&m);
	crm_tree_free(&tree);
out0:
	free(is_test);
	free(x);
	free(tx);
	free(y);
	free(ty);
	return e;
}

struct leads_put {
	struct leads *s;
	json_t *metrics;
	char (*pt)[16], (*pl)[16];
};

static void
bind_row(void *arg, size_t i, struct crm_db_bind *b)
{
	struct leads_put *p = arg;
	struct leads *s = p->s;

	snprintf(p->pt[i], sizeof(p->pt[i]), "%.4f", s->p_tree[i]);
	snprintf(p->pl[i], sizeof(p->pl[i]), "%.4f", s->p_logit[i]);
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(json_array_get(s->rows, i), "id")));
	crm_db_bind_str(&b[1], p->pt[i], (size_t)-1);
	crm_db_bind_str(&b[2], p->pl[i], (size_t)-1);
	crm_db_bind_str(&b[3], s->rule_text[s->leaf[i]], (size_t)-1);
	crm_db_bind_str(&b[4], s->now, (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct leads_put *p = arg;
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, put_head, "", 5, p->s->n, bind_row, p)) != CRM_OK)
		return e;
	return crm_analytics_model_put(db, "leads", json_integer_value(json_object_get(p->metrics, "rows")), p->metrics);
}

enum crm_err
crm_analytics_leads(struct crm_db *db, struct crm_analytics_out *out)
{
	struct leads s;
	struct leads_put p = { &s, NULL, NULL, NULL };
	json_t *stamp = NULL, *tree;
	char count[32];
	size_t i;
	enum crm_err e;

	memset(&s, 0, sizeof(s));
	if ((e = crm_db_row_sql(db, stamp_sql, NULL, 0, &stamp)) != CRM_OK)
		return e;
	if ((e = crm_db_rows_sql(db, input_sql, NULL, 0, &s.rows)) != CRM_OK) {
		json_decref(stamp);
		return e;
	}
	s.now = json_string_value(json_object_get(stamp, "now"));
	s.n = json_array_size(s.rows);
	common_values(s.rows, "source", &s.source);
	common_values(s.rows, "country", &s.country);
	name_features(&s);
	fill(&s);
	p.metrics = json_object();
	if ((e = learn(&s, p.metrics, out)) == CRM_ENOTFOUND)
		e = CRM_OK;
	else if (e == CRM_OK) {
		p.pt = crm_xmalloc((s.n + 1) * sizeof(*p.pt));
		p.pl = crm_xmalloc((s.n + 1) * sizeof(*p.pl));
		if ((e = crm_db_tx(db, put_tx, &p)) == CRM_OK) {
			tree = json_object_get(p.metrics, "tree");
			crm_analytics_grouped(count, sizeof(count), s.n);
			snprintf(out->summary, sizeof(out->summary), "%s leads scored by %zu rules, tree AUC %.2f,"
			    " logistic AUC %.2f", count, json_array_size(json_object_get(tree, "rules")),
			    json_number_value(json_object_get(tree, "auc")),
			    json_number_value(json_object_get(json_object_get(p.metrics, "logit"), "auc")));
		}
	}
	if (s.rule_text != NULL)
		for (i = 0; s.rule_text[i] != NULL; i++)
			free(s.rule_text[i]);
	for (i = 0; i < 2 * s.d; i++)
		free(s.names[i]);
	free(s.rule_text);
	free(s.names);
	free(s.features);
	free(s.x);
	free(s.y);
	free(s.decided);
	free(s.p_tree);
	free(s.p_logit);
	free(s.leaf);
	free(p.pt);
	free(p.pl);
	json_decref(p.metrics);
	json_decref(s.rows);
	json_decref(stamp);
	return e;
}
