"""Synthetic order baskets for the baskets reference check, with known
structure: two co-purchase pairs and a triple planted over a skewed
background of single products. Writes OUT/baskets.csv (basket,customer,
item, a basket's rows together) and OUT/baskets_planted.txt."""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(8)
# Item ids far apart and out of step with their popularity, so nothing
# leans on ids being 0..m-1.
items = np.array([1000 + 7 * k for k in range(60)])
weights = 1.0 / np.arange(1, len(items) + 1) ** 0.8
weights /= weights.sum()
rng.shuffle(weights)
pair_a, pair_b, triple = (1021, 1350), (1105, 1273), (1042, 1161, 1392)

rows, basket = [], 0
for customer in range(1, 701):
    for _ in range(rng.integers(1, 6)):
        basket += 1
        chosen = set(int(i) for i in rng.choice(items, size=1 + rng.poisson(1.2), p=weights))
        u = rng.random()
        if u < 0.12:
            chosen.update(pair_a)
        elif u < 0.20:
            chosen.update(pair_b)
        elif u < 0.26:
            chosen.update(triple)
        elif u < 0.30:
            chosen.add(pair_a[0])  # the pair's first product alone, so a => b is not certain
        # Repeats within a basket: a basket is a set, the C side and the
        # reference must both count each product once.
        listed = list(chosen) + ([next(iter(chosen))] if rng.random() < 0.05 else [])
        for item in listed:
            rows.append((basket, customer, item))

with open(f"{out}/baskets.csv", "w") as f:
    f.write("basket,customer,item\n")
    for r in rows:
        f.write("%d,%d,%d\n" % r)
with open(f"{out}/baskets_planted.txt", "w") as f:
    f.write("%d %d\n%d %d\n%d %d %d\n" % (pair_a + pair_b + triple))
