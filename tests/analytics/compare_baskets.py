"""The Python side of the baskets reference check: Apriori, the rules and
the item cosine written again with pandas, itertools and numpy from the
definitions basket.h gives (mlxtend, which has them, is not in Debian),
the cosine also through sklearn's cosine_similarity, against what
baskets_ref wrote. One "ok - baskets: ..." or "FAIL - baskets: ..." line
per check."""
import sys
from collections import Counter
from itertools import combinations
from math import sqrt

import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

d, min_support, min_confidence, top = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
TOL = 1e-9


def say(ok, what):
    print(f"{'ok' if ok else 'FAIL'} - baskets: {what}")


rows = pd.read_csv(f"{d}/baskets.csv")
baskets = [sorted(set(g)) for _, g in rows.groupby("basket", sort=True)["item"]]
n = len(baskets)


def frequent(count):
    return count / n >= min_support


single = Counter(i for b in baskets for i in b)
f1 = {i for i, c in single.items() if frequent(c)}
pairs = Counter(p for b in baskets for p in combinations([i for i in b if i in f1], 2))
f2 = {p: c for p, c in pairs.items() if frequent(c)}
triples = Counter(t for b in baskets for t in combinations([i for i in b if i in f1], 3)
                  if all(p in f2 for p in combinations(t, 2)))
f3 = {t: c for t, c in triples.items() if frequent(c)}

rules = []


def rule(x, y, cx, cxy):
    conf = cxy / cx
    if conf >= min_confidence:
        rules.append((x, y, cxy / n, conf, (cxy * n) / (cx * single[y])))


for (a, b), c in f2.items():
    rule((a,), b, single[a], c)
    rule((b,), a, single[b], c)
for t, c in f3.items():
    for y in t:
        x = tuple(i for i in t if i != y)
        rule(x, y, f2[x], c)
rules.sort(key=lambda r: (-r[4], -r[3], -r[2], r[0], r[1]))

ours = pd.read_csv(f"{d}/baskets_rules_ours.csv", dtype={"antecedent": str})
ours_rules = [(tuple(int(v) for v in a.split()), int(y), s, c, l)
              for a, y, s, c, l in ours.itertuples(index=False)]
say(len(f3) > 0 and len(rules) >= 20,
    f"the reference finds {len(f1)} frequent products, {len(f2)} pairs, {len(f3)} triples, {len(rules)} rules")
say(len(ours_rules) == len(rules), f"as many rules as the reference: {len(ours_rules)} and {len(rules)}")
bad = [k for k in range(20) if k >= len(ours_rules) or k >= len(rules) or
       ours_rules[k][:2] != rules[k][:2] or
       any(abs(ours_rules[k][j] - rules[k][j]) > TOL for j in (2, 3, 4))]
say(not bad, "identical top 20 rules (antecedent, consequent; support, confidence, lift within 1e-9)"
    + (f": first difference at rank {bad[0] + 1}" if bad else ""))
same_all = len(ours_rules) == len(rules) and all(
    o[:2] == r[:2] and all(abs(o[j] - r[j]) <= TOL for j in (2, 3, 4)) for o, r in zip(ours_rules, rules))
say(same_all, f"every one of the {len(rules)} rules identical, in the same order")

planted = [tuple(int(v) for v in line.split()) for line in open(f"{d}/baskets_planted.txt")]
tri = planted[2]
top20 = {(r[0], r[1]) for r in ours_rules[:20]}


def best_for(a):
    return next((r[1] for r in ours_rules if r[0] == (a,)), None)


say(((tri[0], tri[1]), tri[2]) in top20 and all(best_for(p[0]) == p[1] and best_for(p[1]) == p[0]
                                               for p in planted[:2]),
    f"the planted triple's rule {tri[0]}, {tri[1]} => {tri[2]} is among our top 20, and each planted "
    f"pair's product has its partner as its strongest single-product rule")

# Cosine: customers x items, bought or not.
x = pd.crosstab(rows.customer, rows.item).clip(upper=1)
ids = list(x.columns)
m = x.to_numpy().astype(np.int64)
co = m.T @ m
buyers = m.sum(axis=0)
want = {}
for i, item in enumerate(ids):
    cand = [(co[i, j] / sqrt(float(buyers[i]) * float(buyers[j])), ids[j])
            for j in range(len(ids)) if j != i and co[i, j] > 0]
    cand.sort(key=lambda t: (-t[0], t[1]))
    want[item] = cand[:top]
sim = pd.read_csv(f"{d}/baskets_similar_ours.csv")
got = {item: [(c, s) for _, s, c in g.sort_values("rank")[["rank", "similar", "cosine"]].itertuples(index=False)]
       for item, g in sim.groupby("item")}
diff = [item for item in ids if [s for _, s in want[item]] != [s for _, s in got.get(item, [])] or
        any(abs(a[0] - b[0]) > TOL for a, b in zip(want[item], got.get(item, [])))]
say(not diff and len(got) == sum(1 for v in want.values() if v),
    f"identical top-{top} cosine neighbours for all {len(ids)} products (scores within 1e-9)"
    + (f": first difference for product {diff[0]}" if diff else ""))
sk = cosine_similarity(m.T.astype(float))
index = {item: k for k, item in enumerate(ids)}
worst = max((abs(sk[index[i], index[s]] - c) for i, s, c in sim[["item", "similar", "cosine"]].itertuples(index=False)),
            default=1.0)
say(worst <= TOL, f"our cosines agree with sklearn's cosine_similarity (largest difference {worst:.2e})")
pa = planted[0]
say(got.get(pa[0], [(0, None)])[0][1] == pa[1] and got.get(planted[1][0], [(0, None)])[0][1] == planted[1][1],
    f"the planted pairs are each other's most similar products ({pa[0]} -> {pa[1]}, "
    f"{planted[1][0]} -> {planted[1][1]})")
