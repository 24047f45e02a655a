/* The C side of the churn and lead-scoring reference check
 * (check_churn.sh): our held-out split, logistic regression and decision
 * tree on a CSV of numbers (a header line, then rows whose last column is
 * the label 0 or 1).
 *   churn_ref logit IN SEED OUT
 *     splits (25% held out), standardises on the training rows, fits;
 *     OUT: per row is_test and the probability; stdout: auc, accuracy,
 *     intercept and one "coef NAME value" per feature.
 *   churn_ref tree IN SEED MAX_DEPTH MIN_LEAF OUT
 *     the same split, the tree on the raw training rows; OUT: per row
 *     is_test and the probability; stdout: auc, accuracy, root feature
 *     and threshold, leaves, and each leaf's rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/logit.h"
#include "analytics/metrics.h"
#include "analytics/tree.h"

struct data {
	size_t n, d;            /* d features, the label apart */
	double *x;
	int *y;
	char **names;
};

static void
read_csv(const char *path, struct data *s)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *p, *end, *tok;
	size_t cap = 0, room = 1024, j, cols;

	if (f == NULL || getline(&line, &cap, f) < 0) {
		fprintf(stderr, "churn_ref: cannot read %s\n", path);
		exit(2);
	}
	line[strcspn(line, "\r\n")] = '\0';
	for (cols = 1, p = line; *p; p++)
		cols += *p == ',';
	s->d = cols - 1;
	s->names = crm_xmalloc(cols * sizeof(*s->names));
	for (j = 0, tok = strtok(line, ","); tok != NULL; tok = strtok(NULL, ","), j++)
		s->names[j] = crm_xstrdup(tok);
	s->x = crm_xmalloc(room * s->d * sizeof(double));
	s->y = crm_xmalloc(room * sizeof(int));
	s->n = 0;
	while (getline(&line, &cap, f) > 0) {
		if (s->n == room) {
			room *= 2;
			s->x = crm_xrealloc(s->x, room * s->d * sizeof(double));
			s->y = crm_xrealloc(s->y, room * sizeof(int));
		}
		for (j = 0, p = line; j < cols; j++, p = end + 1) {
			double v = strtod(p, &end);

			if (end == p || (j + 1 < cols && *end != ',')) {
				fprintf(stderr, "churn_ref: %s row %zu is not %zu numbers\n", path, s->n + 1, cols);
				exit(2);
			}
			if (j < s->d)
				s->x[s->n * s->d + j] = v;
			else
				s->y[s->n] = (int)v;
		}
		s->n++;
	}
	free(line);
	fclose(f);
}

/* Copies the rows whose is_test equals want into *x and *y. */
static size_t
pick(const struct data *s, const unsigned char *is_test, int want, double **x, int **y)
{
	size_t i, k = 0;

	*x = crm_xmalloc((s->n + 1) * s->d * sizeof(double));
	*y = crm_xmalloc((s->n + 1) * sizeof(int));
	for (i = 0; i < s->n; i++)
		if (is_test[i] == want) {
			memcpy(*x + k * s->d, s->x + i * s->d, s->d * sizeof(double));
			(*y)[k++] = s->y[i];
		}
	return k;
}

static void
write_out(const char *path, const struct data *s, const unsigned char *is_test, const double *p)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (f == NULL) {
		fprintf(stderr, "churn_ref: cannot write %s\n", path);
		exit(2);
	}
	fprintf(f, "is_test,p\n");
	for (i = 0; i < s->n; i++)
		fprintf(f, "%d,%.17g\n", is_test[i], p[i]);
	fclose(f);
}

static void
figures(const struct data *s, const unsigned char *is_test, const double *p)
{
	double *tp = crm_xmalloc((s->n + 1) * sizeof(double));
	int *ty = crm_xmalloc((s->n + 1) * sizeof(int));
	size_t i, k = 0;

	for (i = 0; i < s->n; i++)
		if (is_test[i]) {
			tp[k] = p[i];
			ty[k++] = s->y[i];
		}
	printf("auc %.17g\naccuracy %.17g\ntest %zu\n", crm_metrics_auc(tp, ty, k),
	    crm_metrics_accuracy(tp, ty, k), k);
	free(tp);
	free(ty);
}

static int
logit(const char *in, unsigned long long seed, const char *out)
{
	struct data s;
	struct crm_logit m;
	unsigned char *is_test;
	double *x, *mean, *sd, *p, *all;
	int *y;
	size_t n, i;

	read_csv(in, &s);
	is_test = crm_xmalloc(s.n + 1);
	crm_metrics_split(s.n, CRM_METRICS_TEST_SHARE, seed, is_test);
	n = pick(&s, is_test, 0, &x, &y);
	mean = crm_xmalloc(s.d * sizeof(double));
	sd = crm_xmalloc(s.d * sizeof(double));
	crm_logit_scale_fit(x, n, s.d, mean, sd);
	crm_logit_scale_apply(x, n, s.d, mean, sd);
	if (crm_logit_fit(x, y, n, s.d, CRM_LOGIT_C, &m) != CRM_OK) {
		fprintf(stderr, "churn_ref: the logistic fit failed\n");
		return 1;
	}
	all = crm_xmalloc(s.n * s.d * sizeof(double));
	memcpy(all, s.x, s.n * s.d * sizeof(double));
	crm_logit_scale_apply(all, s.n, s.d, mean, sd);
	p = crm_xmalloc(s.n * sizeof(double));
	for (i = 0; i < s.n; i++)
		p[i] = crm_logit_predict(&m, all + i * s.d);
	write_out(out, &s, is_test, p);
	figures(&s, is_test, p);
	printf("intercept %.17g\n", m.intercept);
	for (i = 0; i < s.d; i++)
		printf("coef %s %.17g\n", s.names[i], m.w[i]);
	crm_logit_free(&m);
	free(is_test);
	free(x);
	free(y);
	free(mean);
	free(sd);
	free(all);
	free(p);
	free(s.x);
	free(s.y);
	for (i = 0; i <= s.d; i++)
		free(s.names[i]);
	free(s.names);
	return 0;
}

static int
tree(const char *in, unsigned long long seed, unsigned depth, size_t minleaf, const char *out)
{
	struct crm_tree_opt opt = { depth, minleaf };
	struct crm_tree_feature *features;
	struct crm_tree_rule *rules;
	struct data s;
	struct crm_tree t;
	unsigned char *is_test;
	double *x, *p;
	int *y;
	size_t n, i;

	read_csv(in, &s);
	is_test = crm_xmalloc(s.n + 1);
	crm_metrics_split(s.n, CRM_METRICS_TEST_SHARE, seed, is_test);
	n = pick(&s, is_test, 0, &x, &y);
	if (crm_tree_fit(x, y, n, s.d, &opt, &t) != CRM_OK) {
		fprintf(stderr, "churn_ref: the tree failed\n");
		return 1;
	}
	p = crm_xmalloc(s.n * sizeof(double));
	for (i = 0; i < s.n; i++)
		p[i] = crm_tree_predict(&t, s.x + i * s.d);
	write_out(out, &s, is_test, p);
	figures(&s, is_test, p);
	printf("root %s %.17g\nleaves %zu\n", t.nodes[0].feature >= 0 ? s.names[t.nodes[0].feature] : "-",
	    t.nodes[0].threshold, t.nleaves);
	features = crm_xcalloc(s.d, sizeof(*features));
	for (i = 0; i < s.d; i++)
		features[i].name = s.names[i];
	rules = crm_xcalloc(t.nleaves, sizeof(*rules));
	crm_tree_rules(&t, features, rules);
	for (i = 0; i < t.nleaves; i++)
		printf("rule %s -> %.1f%% of %zu\n", rules[i].conditions[0] ? rules[i].conditions : "(all)",
		    100.0 * rules[i].share, rules[i].count);
	crm_tree_rules_free(rules, t.nleaves);
	free(rules);
	free(features);
	crm_tree_free(&t);
	free(is_test);
	free(x);
	free(y);
	free(p);
	free(s.x);
	free(s.y);
	for (i = 0; i <= s.d; i++)
		free(s.names[i]);
	free(s.names);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "logit") == 0)
		return logit(argv[2], strtoull(argv[3], NULL, 10), argv[4]);
	if (argc == 7 && strcmp(argv[1], "tree") == 0)
		return tree(argv[2], strtoull(argv[3], NULL, 10), (unsigned)strtoul(argv[4], NULL, 10),
		    strtoul(argv[5], NULL, 10), argv[6]);
	fprintf(stderr, "usage: churn_ref logit IN SEED OUT | tree IN SEED MAX_DEPTH MIN_LEAF OUT\n");
	return 2;
}
