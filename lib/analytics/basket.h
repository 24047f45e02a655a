/* Recommendations from order baskets: frequent itemsets by Apriori (up to
 * three items), association rules X => y from them, and item-to-item
 * cosine similarity over the customer x item matrix.
 *
 * The reference (tests/analytics/check_baskets.sh) is a Python
 * implementation with itertools and numpy, the textbook definitions
 * mlxtend's apriori/association_rules also follow, with the cosine
 * cross-checked against sklearn.metrics.pairwise.cosine_similarity on
 * the binary matrix:
 *   - support(S) = baskets holding every item of S / all baskets; a set
 *     is frequent when support >= min_support (compared as that double
 *     quotient). Apriori: a pair is counted only when both its items are
 *     frequent, a triple only when its three pairs are;
 *   - a rule X => y (X one or two items, y one, X u {y} frequent) has
 *     support(X u {y}), confidence count(X u {y}) / count(X) and lift
 *     count(X u {y}) * n / (count(X) * count(y)), each one division of
 *     two exact integers (so a => b and b => a have the bit-identical
 *     lift they have in arithmetic); kept when confidence >= min_confidence;
 *   - rules are ordered by lift, then confidence, then support (each
 *     descending), then the antecedent's ids as a tuple (a shorter prefix
 *     first), then the consequent's id (ascending): a total order, so the
 *     top rules of two implementations can be compared line by line;
 *   - cosine(i, j) = customers who bought both / sqrt(buyers(i) *
 *     buyers(j)), over customers' distinct items (bought or not); each
 *     item's neighbours are the others with a cosine above 0, most similar
 *     first, equal cosines by item id ascending, at most `top` of them.
 *
 * A basket (or a customer's items) may list an item more than once and
 * in any order: each counts once. Item ids are any non-negative ids. */
#ifndef CRM_BASKET_H
#define CRM_BASKET_H

#include <stddef.h>

#include "crm.h"

/* n sets of item ids, back to back: set k is items[start[k] .. start[k+1]). */
struct crm_baskets {
	size_t n;
	const size_t *start;    /* n + 1 offsets */
	const long long *items;
};

struct crm_basket_rule {
	long long antecedent[2];        /* ascending; [1] unused when nantecedent is 1 */
	size_t nantecedent;             /* 1 or 2 */
	long long consequent;
	long long count;                /* baskets holding antecedent and consequent */
	double support, confidence, lift;
};

struct crm_basket_stats {
	size_t items;                   /* distinct items in the baskets */
	size_t frequent[3];             /* frequent itemsets of 1, 2 and 3 items */
};

/* The rules over bs above min_confidence, in the order above: *rules is
 * crm_xmalloc'ed (free it), *nrules long. stats may be NULL. CRM_EINVAL
 * when a threshold is outside 0..1 or an id is negative; CRM_ETOOBIG past
 * 2^21 distinct items (the pair and triple keys pack three indices). */
enum crm_err crm_basket_rules(const struct crm_baskets *bs, double min_support,
    double min_confidence, struct crm_basket_rule **rules, size_t *nrules,
    struct crm_basket_stats *stats);

struct crm_basket_similar {
	long long item, similar;
	unsigned rank;                  /* 1: the most similar */
	double cosine;
};

/* Each item's top most similar items over the customers' item sets:
 * *out (crm_xmalloc'ed) by item id, then rank. Errors as crm_basket_rules. */
enum crm_err crm_basket_cosine(const struct crm_baskets *customers, size_t top,
    struct crm_basket_similar **out, size_t *nout);

/* The rule order: negative when a comes first. */
int crm_basket_rule_cmp(const struct crm_basket_rule *a, const struct crm_basket_rule *b);

#endif
