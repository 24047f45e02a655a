/* RFM scores: recency, frequency and monetary value each become a score
 * from 1 to 5 by quintile of rank, so every score holds a fifth of the
 * customers whatever the spread of the values.
 *
 * The rule is pandas' pd.qcut(x.rank(method='first'), 5, labels=[1..5]),
 * so a Python reference computes identical scores:
 *   - rank r is 1..n in ascending value; equal values take their ranks in
 *     input order (the earlier customer gets the lower rank), so ties never
 *     leave a quintile short or overfull;
 *   - score = 1 when r = 1, otherwise ceil(5 (r - 1) / (n - 1)): rank r
 *     falls in the first bin whose edge 1 + (n - 1) j / 5 is >= r. numpy's
 *     edges (linspace then linear quantile) all round up, never down, so
 *     this integer form gives the same bins exactly;
 *   - recency is reversed (fewest days since the last order scores 5):
 *     R = 6 - score, i.e. labels [5..1] on the ascending rank, so of two
 *     customers equally recent the earlier one in input scores higher;
 *   - fewer than 5 customers still spread from 1 to 5 (n = 2 gives 1 and
 *     5; n = 3 gives 1, 3, 5; n = 4 gives 1, 2, 4, 5), as pandas does;
 *   - n = 1, which pandas refuses (its bin edges coincide), gets the
 *     lowest bin: R 5, F 1, M 1;
 *   - n = 0 is no work; a NaN or infinite value is CRM_EINVAL. */
#ifndef CRM_RFM_H
#define CRM_RFM_H

#include "crm.h"

struct crm_rfm {
	unsigned char r, f, m;  /* each 1..5 */
};

/* The quintile score 1..5 of rank (1..n) among n. */
int crm_rfm_quintile(size_t rank, size_t n);
/* score[i] = the quintile of x[i]'s rank: 1 for the lowest values. */
enum crm_err crm_rfm_scores(const double *x, size_t n, unsigned char *score);
/* out[i] for customer i: recency in days since the last order, frequency
 * in orders, monetary in revenue. */
enum crm_err crm_rfm(const double *recency, const double *frequency,
    const double *monetary, size_t n, struct crm_rfm *out);

#endif
