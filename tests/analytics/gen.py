"""Synthetic data with known structure for the reference check, the same
every run (fixed seed):
  blobs.csv  20,000 points of 5 Gaussian clusters in 4 features, each
             feature in its own unit so that standardising matters;
  truth.csv  the cluster each point was drawn from;
  rfm.csv    10,000 customers' recency (whole days), frequency (orders)
             and monetary (revenue, often at the same price points), so
             every column is full of ties."""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(20261129)

sizes = [6000, 5000, 4000, 3000, 2000]
centres = rng.normal(0.0, 3.0, size=(5, 4))
points = np.vstack([rng.normal(c, 1.0, size=(m, 4)) for c, m in zip(centres, sizes)])
truth = np.repeat(np.arange(5), sizes)
order = rng.permutation(len(points))
points, truth = points[order], truth[order]
points = points * np.array([1.0, 12.0, 250.0, 0.05]) + np.array([0.0, 40.0, 1000.0, -3.0])
np.savetxt(f"{out}/blobs.csv", points, fmt="%.17g", delimiter=",",
           header="f1,f2,f3,f4", comments="")
np.savetxt(f"{out}/truth.csv", truth, fmt="%d", header="truth", comments="")

n = 10000
recency = np.minimum(rng.exponential(90.0, n).astype(int), 730)
frequency = 1 + rng.poisson(2.0, n)
prices = np.array([19.99, 49.99, 99.0, 250.0])
monetary = np.where(rng.random(n) < 0.4, rng.choice(prices, n) * frequency,
                    np.round(rng.lognormal(5.0, 1.0, n), 2))
np.savetxt(f"{out}/rfm.csv", np.column_stack([recency, frequency, monetary]),
           fmt=["%d", "%d", "%.2f"], delimiter=",",
           header="recency,frequency,monetary", comments="")
