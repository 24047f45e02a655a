/* The C side of the scikit-learn reference check (check.sh): runs our RFM
 * or k-means on a CSV of numbers (a header line, then rows) and writes
 * what compare.py checks.
 *   analytics_ref rfm IN OUT           OUT: r,f,m per customer
 *   analytics_ref kmeans IN K N_INIT SEED OUT
 *     standardises IN's columns, clusters; OUT: one label per row;
 *     stdout: inertia, iterations, seconds, then the means and sds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/kmeans.h"
#include "analytics/rfm.h"

/* All rows of IN into *x (row-major); returns the row count, *d columns. */
static size_t
read_csv(const char *path, double **x, size_t *d)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *p, *end;
	size_t cap = 0, n = 0, room = 1024, j;

	if (f == NULL || getline(&line, &cap, f) < 0) {
		fprintf(stderr, "analytics_ref: cannot read %s\n", path);
		exit(2);
	}
	for (*d = 1, p = line; *p; p++)
		*d += *p == ',';
	*x = crm_xmalloc(room * *d * sizeof(double));
	while (getline(&line, &cap, f) > 0) {
		if (n == room)
			*x = crm_xrealloc(*x, (room *= 2) * *d * sizeof(double));
		for (j = 0, p = line; j < *d; j++, p = end + 1) {
			(*x)[n * *d + j] = strtod(p, &end);
			if (end == p || (j + 1 < *d && *end != ',')) {
				fprintf(stderr, "analytics_ref: %s row %zu is not %zu numbers\n", path, n + 1, *d);
				exit(2);
			}
		}
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static int
rfm(const char *in, const char *out)
{
	double *x, *col[3];
	size_t n, d, i, j;
	struct crm_rfm *s;
	FILE *f;

	n = read_csv(in, &x, &d);
	if (d != 3)
		return 2;
	for (j = 0; j < 3; j++) {
		col[j] = crm_xmalloc((n ? n : 1) * sizeof(double));
		for (i = 0; i < n; i++)
			col[j][i] = x[i * 3 + j];
	}
	s = crm_xmalloc((n ? n : 1) * sizeof *s);
	if (crm_rfm(col[0], col[1], col[2], n, s) != CRM_OK || (f = fopen(out, "w")) == NULL)
		return 1;
	fprintf(f, "r,f,m\n");
	for (i = 0; i < n; i++)
		fprintf(f, "%d,%d,%d\n", s[i].r, s[i].f, s[i].m);
	fclose(f);
	for (j = 0; j < 3; j++)
		free(col[j]);
	free(s);
	free(x);
	return 0;
}

static int
kmeans(const char *in, size_t k, unsigned n_init, unsigned long long seed, const char *out)
{
	struct crm_kmeans_opt opt = CRM_KMEANS_OPT_DEFAULT;
	struct crm_kmeans_fit fit;
	struct timespec t0, t1;
	double *x, *c, *mean, *sd;
	size_t n, d, i;
	int *lab;
	FILE *f;

	n = read_csv(in, &x, &d);
	c = crm_xmalloc(k * d * sizeof(double));
	mean = crm_xmalloc(d * sizeof(double));
	sd = crm_xmalloc(d * sizeof(double));
	lab = crm_xmalloc((n ? n : 1) * sizeof(int));
	opt.n_init = n_init;
	opt.seed = seed;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (crm_kmeans_zscore(x, n, d, mean, sd) != CRM_OK ||
	    crm_kmeans(x, n, d, k, &opt, lab, c, &fit) != CRM_OK)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((f = fopen(out, "w")) == NULL)
		return 1;
	fprintf(f, "label\n");
	for (i = 0; i < n; i++)
		fprintf(f, "%d\n", lab[i]);
	fclose(f);
	printf("inertia %.17g\niterations %u\nseconds %.3f\n", fit.inertia, fit.n_iter,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i < d; i++)
		printf("mean %.17g\nsd %.17g\n", mean[i], sd[i]);
	free(x);
	free(c);
	free(mean);
	free(sd);
	free(lab);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "rfm") == 0)
		return rfm(argv[2], argv[3]);
	if (argc == 7 && strcmp(argv[1], "kmeans") == 0)
		return kmeans(argv[2], strtoul(argv[3], NULL, 10), (unsigned)strtoul(argv[4], NULL, 10),
		    strtoull(argv[5], NULL, 10), argv[6]);
	fprintf(stderr, "usage: analytics_ref rfm IN OUT | kmeans IN K N_INIT SEED OUT\n");
	return 2;
}
