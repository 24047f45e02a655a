/* How well a classifier does on rows it did not learn from: a seeded
 * held-out split, the area under the ROC curve and the accuracy.
 *   - crm_metrics_split: a shuffle of our own generator (rng.h, so the
 *     same seed splits the same rows on every machine); the test share is
 *     ceil(share * n) rows, as scikit-learn's train_test_split counts
 *     them. A reference check reads the split we made rather than
 *     drawing its own.
 *   - crm_metrics_auc: scikit-learn's roc_auc_score, tied scores counted
 *     half (the trapezoid through a tie is the Mann-Whitney statistic with
 *     average ranks, which is how it is computed here).
 *   - crm_metrics_accuracy: a row is predicted 1 when its probability is
 *     above 0.5, as predict() decides (a tie at 0.5 is label 0). */
#ifndef CRM_METRICS_H
#define CRM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "crm.h"

#define CRM_METRICS_TEST_SHARE 0.25

/* Marks is_test[i] = 1 for the held-out rows, 0 for the training rows;
 * returns how many are held out. */
size_t crm_metrics_split(size_t n, double test_share, uint64_t seed, unsigned char *is_test);

/* The AUC of score for labels y (0 or 1); NaN when either label is
 * missing (the AUC is not defined then, as scikit-learn refuses it). */
double crm_metrics_auc(const double *score, const int *y, size_t n);

/* The share of rows whose probability p is on the side of y; NaN for n 0. */
double crm_metrics_accuracy(const double *p, const int *y, size_t n);

#endif
