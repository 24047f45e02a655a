/* The C side of the forecast reference check (check_forecast.sh): fits
 * our seasonal least squares (analytics/ols.h) to a series and writes what
 * forecast_compare.py checks against numpy and scikit-learn.
 *   forecast_ref IN FIRST_MOY HORIZON OUT
 * IN: a header line, then one figure a line. OUT: "key value..." lines:
 * p, the columns' months, coef, se, sigma2, r2, tq, then one "pred t yhat
 * lower upper" line per month from 0 to n + HORIZON - 1. */
#include <stdio.h>
#include <stdlib.h>

#include "analytics/ols.h"

int
main(int argc, char **argv)
{
	struct crm_ols fit;
	double *y, yhat, lo, hi;
	char line[256];
	size_t n = 0, room = 64, t, k, horizon;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: forecast_ref IN FIRST_MOY HORIZON OUT\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL || fgets(line, sizeof(line), f) == NULL)
		return 2;
	y = crm_xmalloc(room * sizeof(*y));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (n == room)
			y = crm_xrealloc(y, (room *= 2) * sizeof(*y));
		y[n++] = strtod(line, NULL);
	}
	fclose(f);
	horizon = strtoul(argv[3], NULL, 10);
	if (crm_ols_fit(y, n, atoi(argv[2]), &fit) != CRM_OK) {
		fprintf(stderr, "forecast_ref: %s: no fit\n", argv[1]);
		return 1;
	}
	if ((f = fopen(argv[4], "w")) == NULL)
		return 2;
	fprintf(f, "p %zu\nmonths", fit.p);
	for (k = 2; k < fit.p; k++)
		fprintf(f, " %d", fit.col_moy[k]);
	fprintf(f, "\ncoef");
	for (k = 0; k < fit.p; k++)
		fprintf(f, " %.17g", fit.coef[k]);
	fprintf(f, "\nse");
	for (k = 0; k < fit.p; k++)
		fprintf(f, " %.17g", fit.se[k]);
	fprintf(f, "\nsigma2 %.17g\nr2 %.17g\ntq %.17g\n", fit.sigma2, fit.r2, fit.tq);
	for (t = 0; t < n + horizon; t++) {
		crm_ols_predict(&fit, t, &yhat, &lo, &hi);
		fprintf(f, "pred %zu %.17g %.17g %.17g\n", t, yhat, lo, hi);
	}
	fclose(f);
	free(y);
	return 0;
}
