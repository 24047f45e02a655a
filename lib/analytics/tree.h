/* A binary decision tree classifier grown by information gain, as
 * scikit-learn's DecisionTreeClassifier(criterion='entropy') grows one
 * with all features considered at every node:
 *   - a node splits on "x[f] <= t", t the midpoint between two
 *     neighbouring distinct values of f among the node's rows (values
 *     closer than 1e-7 count as one, as scikit-learn's FEATURE_THRESHOLD);
 *   - the split kept is the one with the lowest weighted entropy of the
 *     children (the highest gain); on an exact tie the earlier feature,
 *     then the lower threshold (scikit-learn visits features in a random
 *     order, so its ties can fall otherwise: equal gain all the same);
 *   - a node stays a leaf when it is pure, at max_depth (the root is depth
 *     0), has fewer than 2 * min_samples_leaf rows, or has no split that
 *     leaves min_samples_leaf rows on each side; a split of zero gain is
 *     still made, as scikit-learn makes it;
 *   - a leaf's probability is its share of label 1, and it predicts 1 when
 *     that share is above one half.
 * Features are numbers; a categorical feature comes one-hot encoded by the
 * caller (an indicator 0/1 column per value), so "x <= 0.5" reads "not
 * this value". Rows are x, n by d, row-major. */
#ifndef CRM_TREE_H
#define CRM_TREE_H

#include <stddef.h>

#include "crm.h"

struct crm_tree_opt {
	unsigned max_depth;             /* >= 1 */
	size_t min_samples_leaf;        /* >= 1 */
};

struct crm_tree_node {
	int feature;            /* -1 at a leaf */
	double threshold;       /* rows with x[feature] <= threshold go left */
	int left, right;        /* node indexes; -1 at a leaf */
	int leaf;               /* the leaf's number 0.. (left to right), -1 inside */
	size_t n, n_pos;        /* the node's training rows, of them label 1 */
};

struct crm_tree {
	size_t d;
	struct crm_tree_node *nodes;    /* nodes[0] the root, then depth-first, left first */
	size_t nnodes, nleaves;
};

/* How a feature reads in a rule. negated NULL: a number ("orders <= 3.5",
 * "orders > 3.5", "3.5 < orders <= 8"). Otherwise an indicator whose 1
 * side is name ("source = Web form") and whose 0 side is negated ("source
 * is not Web form"). */
struct crm_tree_feature {
	const char *name;
	const char *negated;
};

/* A leaf as a rule: its conditions from the root, joined by " and " (a
 * feature met twice on the way reads as its tightest bounds; "" for a
 * tree that is a single leaf), its share of label 1 and its rows. The
 * same bounds as numbers, for a caller that words the rule itself (in
 * another language): rows of the leaf have lo[j] < x[j] <= hi[j], lo[j]
 * -INFINITY and hi[j] INFINITY where feature j is not tested. */
struct crm_tree_rule {
	char *conditions;
	double *lo, *hi;        /* d each */
	double share;
	size_t count;
};

/* Grows the tree on y (each 0 or 1). CRM_EINVAL when n or d is 0, an
 * option is out of range, a label is not 0 or 1, or a value is not finite. */
enum crm_err crm_tree_fit(const double *x, const int *y, size_t n, size_t d,
    const struct crm_tree_opt *, struct crm_tree *);
/* The number of the leaf a row of d values falls in. */
int crm_tree_leaf(const struct crm_tree *, const double *row);
/* The probability of label 1 for a row: its leaf's share. */
double crm_tree_predict(const struct crm_tree *, const double *row);
/* Fills rules[t->nleaves], in leaf order; features[d] name the columns. */
void crm_tree_rules(const struct crm_tree *, const struct crm_tree_feature *features,
    struct crm_tree_rule *rules);
void crm_tree_rules_free(struct crm_tree_rule *, size_t n);
void crm_tree_free(struct crm_tree *);

#endif
