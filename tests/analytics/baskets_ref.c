/* The C side of the baskets reference check (check_baskets.sh): reads
 * gen_baskets.py's CSV (a header, then basket,customer,item rows, a
 * basket's rows together), runs lib/analytics/basket.c and writes what
 * compare_baskets.py checks.
 *   baskets_ref IN MIN_SUPPORT MIN_CONFIDENCE TOP RULES_OUT SIMILAR_OUT
 *     RULES_OUT: antecedent (ids joined by ' '),consequent,support,confidence,lift
 *       in rule order; SIMILAR_OUT: item,rank,similar,cosine.
 *     stdout: the itemset counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/basket.h"

struct row {
	long long basket, customer, item;
};

static int
by_customer(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->customer != b->customer)
		return (a->customer > b->customer) - (a->customer < b->customer);
	return (a->item > b->item) - (a->item < b->item);
}

/* Rows of the same key (basket or customer, next to each other) become one set. */
static void
sets(const struct row *r, size_t n, int customer, struct crm_baskets *bs, size_t **start, long long **items)
{
	size_t i, k = 0;

	*start = crm_xmalloc((n + 2) * sizeof(**start));
	*items = crm_xmalloc((n + 1) * sizeof(**items));
	for (i = 0; i < n; i++) {
		long long key = customer ? r[i].customer : r[i].basket;
		long long prev = i == 0 ? 0 : customer ? r[i - 1].customer : r[i - 1].basket;

		if (i == 0 || key != prev)
			(*start)[k++] = i;
		(*items)[i] = r[i].item;
	}
	(*start)[k] = n;
	bs->n = k;
	bs->start = *start;
	bs->items = *items;
}

int
main(int argc, char **argv)
{
	struct crm_baskets bs, cs;
	struct crm_basket_rule *rules;
	struct crm_basket_similar *sim;
	struct crm_basket_stats st;
	struct row *r;
	size_t n = 0, room = 4096, nrules, nsim, i, *bstart, *cstart;
	long long *bitems, *citems;
	char line[256];
	FILE *f, *o;

	if (argc != 7) {
		fprintf(stderr, "usage: baskets_ref IN MIN_SUPPORT MIN_CONFIDENCE TOP RULES_OUT SIMILAR_OUT\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL || fgets(line, sizeof(line), f) == NULL) {
		fprintf(stderr, "baskets_ref: cannot read %s\n", argv[1]);
		return 2;
	}
	r = crm_xmalloc(room * sizeof(*r));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (n == room)
			r = crm_xrealloc(r, (room *= 2) * sizeof(*r));
		if (sscanf(line, "%lld,%lld,%lld", &r[n].basket, &r[n].customer, &r[n].item) != 3) {
			fprintf(stderr, "baskets_ref: row %zu is not basket,customer,item\n", n + 1);
			return 2;
		}
		n++;
	}
	fclose(f);
	sets(r, n, 0, &bs, &bstart, &bitems);
	if (crm_basket_rules(&bs, strtod(argv[2], NULL), strtod(argv[3], NULL), &rules, &nrules, &st) != CRM_OK)
		return 1;
	qsort(r, n, sizeof(*r), by_customer);
	sets(r, n, 1, &cs, &cstart, &citems);
	if (crm_basket_cosine(&cs, strtoul(argv[4], NULL, 10), &sim, &nsim) != CRM_OK)
		return 1;
	if ((o = fopen(argv[5], "w")) == NULL)
		return 2;
	fprintf(o, "antecedent,consequent,support,confidence,lift\n");
	for (i = 0; i < nrules; i++) {
		if (rules[i].nantecedent == 2)
			fprintf(o, "%lld %lld", rules[i].antecedent[0], rules[i].antecedent[1]);
		else
			fprintf(o, "%lld", rules[i].antecedent[0]);
		fprintf(o, ",%lld,%.17g,%.17g,%.17g\n", rules[i].consequent, rules[i].support,
		    rules[i].confidence, rules[i].lift);
	}
	fclose(o);
	if ((o = fopen(argv[6], "w")) == NULL)
		return 2;
	fprintf(o, "item,rank,similar,cosine\n");
	for (i = 0; i < nsim; i++)
		fprintf(o, "%lld,%u,%lld,%.17g\n", sim[i].item, sim[i].rank, sim[i].similar, sim[i].cosine);
	fclose(o);
	printf("baskets %zu items %zu frequent %zu %zu %zu rules %zu\n", bs.n, st.items,
	    st.frequent[0], st.frequent[1], st.frequent[2], nrules);
	free(r);
	free(rules);
	free(sim);
	free(bstart);
	free(bitems);
	free(cstart);
	free(citems);
	return 0;
}
