/* k-means clustering as scikit-learn's KMeans(init='k-means++',
 * algorithm='lloyd') does it, so its inertia can be checked against
 * scikit-learn's on the same data:
 *   - greedy k-means++: the first centre a point drawn uniformly, each
 *     further one the best (lowest total squared distance) of
 *     2 + floor(ln k) points drawn in proportion to their squared distance
 *     from the centres so far;
 *   - Lloyd iterations until the labels stop changing, or the summed
 *     squared shift of the centres is at most tol times the mean variance
 *     of the features, or max_iter; the labels are then those of the final
 *     centres;
 *   - a cluster left empty takes the point farthest from its own centre
 *     (the next farthest for a second empty one), ties to the lower index;
 *   - n_init restarts from one generator seeded once: the lowest inertia
 *     wins, the earlier restart on a tie.
 * Points are rows of x, n by d, row-major. Statistics, so doubles. */
#ifndef CRM_KMEANS_H
#define CRM_KMEANS_H

#include <stdint.h>

#include "crm.h"

struct crm_kmeans_opt {
	unsigned n_init;        /* restarts, >= 1 */
	unsigned max_iter;      /* Lloyd iterations per restart, >= 1 */
	double tol;             /* relative to the mean feature variance, >= 0 */
	uint64_t seed;
};

/* scikit-learn's defaults. */
#define CRM_KMEANS_OPT_DEFAULT { 10, 300, 1e-4, 0 }

struct crm_kmeans_fit {
	double inertia;         /* sum of squared distances to the own centre */
	unsigned n_iter;        /* Lloyd iterations of the winning restart */
	unsigned best_init;     /* which restart won, from 0 */
};

/* Clusters x into k: labels[n] get 0..k-1, centres[k * d] the means.
 * opt NULL means CRM_KMEANS_OPT_DEFAULT. CRM_EINVAL when n, d or k is 0,
 * k > n (k clusters need k points), an option is out of range or a value
 * is not finite. Duplicate points are fine: fewer distinct points than k
 * give inertia 0 with some centres repeated. */
enum crm_err crm_kmeans(const double *x, size_t n, size_t d, size_t k,
    const struct crm_kmeans_opt *opt, int *labels, double *centres,
    struct crm_kmeans_fit *fit);

/* The best inertia for each k = 1..kmax into inertia[k - 1], for choosing
 * k by the elbow; k > n gives 0, what n points in their own clusters have. */
enum crm_err crm_kmeans_curve(const double *x, size_t n, size_t d, size_t kmax,
    const struct crm_kmeans_opt *opt, double *inertia);

/* The elbow of an inertia curve (inertia[k - 1] for k = 1..kmax): the k
 * farthest from the straight line joining the curve's two ends, both axes
 * scaled to 0..1 (the "kneedle" rule), so the choice does not depend on
 * the data's units. At least 2 when kmax >= 3; 1 for a flat curve. */
size_t crm_kmeans_elbow(const double *inertia, size_t kmax);

/* Standardises each column of x in place to mean 0 and (population)
 * standard deviation 1, as scikit-learn's StandardScaler, so no feature
 * outweighs the others by its unit. A constant column becomes 0 (its sd
 * reported as 0). mean[d] and sd[d] may be NULL. CRM_EINVAL on a value
 * that is not finite. */
enum crm_err crm_kmeans_zscore(double *x, size_t n, size_t d, double *mean, double *sd);

#endif
