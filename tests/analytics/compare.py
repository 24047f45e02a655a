"""The Python side of the reference check: scikit-learn's KMeans and the
pandas qcut RFM on the data gen.py made, against what analytics_ref
wrote. One "ok - analytics: ..." or "FAIL - analytics: ..." line per
check, as scripts/check.sh counts them."""
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

d, k, n_init = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def say(ok, what):
    print(f"{'ok' if ok else 'FAIL'} - analytics: {what}")


# RFM: recency reversed through the labels, as rfm.h documents.
cust = pd.read_csv(f"{d}/rfm.csv")
ours = pd.read_csv(f"{d}/rfm_ours.csv")


def quintile(col, labels):
    return pd.qcut(col.rank(method="first"), 5, labels=labels).astype(int).to_numpy()


want = {"r": quintile(cust.recency, [5, 4, 3, 2, 1]),
        "f": quintile(cust.frequency, [1, 2, 3, 4, 5]),
        "m": quintile(cust.monetary, [1, 2, 3, 4, 5])}
for c, col in zip("rfm", cust.columns):
    same = int((ours[c].to_numpy() == want[c]).sum()) if len(ours) == len(cust) else 0
    tied = int(cust[col].duplicated(keep=False).sum())
    say(same == len(cust), f"RFM {c.upper()} score identical to pandas qcut for "
        f"{same} of {len(cust)} customers ({tied} share their {col} with another)")

# rfm.h's integer rule for pandas' floating bin edges, over many sizes
# (the customers above are one size only).
sizes = list(range(2, 301)) + [1001, 4096, 10001, 65537, 100001]
bad = [m for m in sizes
       if not np.array_equal(pd.qcut(pd.Series(np.arange(1.0, m + 1)), 5, labels=False) + 1,
                             np.maximum(1, (5 * np.arange(m) + m - 2) // (m - 1)))]
say(not bad, f"rfm.h's quintile rule equals pandas' bins for {len(sizes) - len(bad)} "
    f"of {len(sizes)} customer counts from 2 to {sizes[-1]}" + (f" (not {bad[:5]})" if bad else ""))

# k-means on the same standardised data.
raw = pd.read_csv(f"{d}/blobs.csv").to_numpy()
truth = pd.read_csv(f"{d}/truth.csv").truth.to_numpy()
stats = dict(line.split() for line in open(f"{d}/kmeans_ours.txt") if line.split()[0] in
             ("inertia", "iterations", "seconds"))
ours_lab = pd.read_csv(f"{d}/kmeans_ours.csv").label.to_numpy()
ms = [float(line.split()[1]) for line in open(f"{d}/kmeans_ours.txt") if line.startswith("mean ")]
sds = [float(line.split()[1]) for line in open(f"{d}/kmeans_ours.txt") if line.startswith("sd ")]
scaler = StandardScaler().fit(raw)
x = scaler.transform(raw)
zdiff = max(np.max(np.abs(np.array(ms) - scaler.mean_) / scaler.scale_),
            np.max(np.abs(np.array(sds) / scaler.scale_ - 1.0)))
say(zdiff < 1e-9, f"z-score means and sds match StandardScaler (largest relative difference {zdiff:.1e})")

km = KMeans(n_clusters=k, n_init=n_init, init="k-means++", random_state=0).fit(x)
inertia = float(stats["inertia"])
rel = (inertia - km.inertia_) / km.inertia_
say(abs(rel) <= 0.01, f"k-means inertia {inertia:.6f} within 1% of scikit-learn's best of "
    f"{n_init} {km.inertia_:.6f} ({rel * 100:+.4f}%; ours {stats['iterations']} iterations, "
    f"{stats['seconds']} s)")

# Our reported inertia is what our labels give on scikit-learn's scaling.
cen = np.array([x[ours_lab == j].mean(axis=0) for j in range(k)])
recomputed = float(((x - cen[ours_lab]) ** 2).sum())
say(abs(recomputed - inertia) <= 1e-6 * inertia,
    f"reported inertia equals its labels' recomputed in numpy ({recomputed:.6f})")

ari = adjusted_rand_score(km.labels_, ours_lab)
ari_truth = adjusted_rand_score(truth, ours_lab)
say(ari >= 0.99, f"partition agrees with scikit-learn's (adjusted Rand {ari:.4f}; "
    f"against the generating clusters {ari_truth:.4f})")
