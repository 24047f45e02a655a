"""The reference side of the analytics bench: scikit-learn and pandas do
what each step of crmctl analytics does, on the rows the step itself
reads (the same SQL), and each method's time is printed. Reading from the
database is not counted: only the computation, which is what the C side's
figure should be read against (its own includes reading and storing).
Usage: bench-analytics.py MYSQL_SOCKET USER"""
import io
import subprocess
import sys
import time

import numpy as np
import pandas as pd

SOCK, USER = sys.argv[1], sys.argv[2]


def query(sql):
    out = subprocess.run(["mariadb", "--no-defaults", "-S", SOCK, "-u", USER, "--batch", "crm", "-e", sql],
                         check=True, capture_output=True).stdout
    return pd.read_csv(io.BytesIO(out), sep="\t")


def timed(name, fn):
    t0 = time.perf_counter()
    what = fn()
    print(f"{name}: {what} in {time.perf_counter() - t0:.1f} s")


# rfm: the step's own input query; pandas qcut of rank(method='first').
rfm = query("SELECT o.account_id, DATEDIFF(UTC_DATE(), MAX(o.ordered_on)) AS recency, COUNT(*) AS orders,"
            " SUM(o.total_base) AS revenue FROM orders o WHERE o.status <> 'cancelled'"
            " GROUP BY o.account_id ORDER BY o.account_id")


def rfm_scores():
    q = lambda col, labels: pd.qcut(col.rank(method="first"), 5, labels=labels).astype(int)
    rfm["r"] = q(rfm.recency, [5, 4, 3, 2, 1])
    rfm["f"] = q(rfm.orders, [1, 2, 3, 4, 5])
    rfm["m"] = q(rfm.revenue, [1, 2, 3, 4, 5])
    return f"{len(rfm)} customers scored"


timed("rfm (pandas)", rfm_scores)

# segments: log features standardised; the inertia curve on an even
# sample of 20,000 (3 restarts), then the chosen k on everyone (10).
seg = query("SELECT account_id, recency_days, orders, revenue, tickets FROM customer_scores ORDER BY account_id")


def kmeans():
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler
    x = StandardScaler().fit_transform(np.log1p(seg[["recency_days", "orders", "revenue", "tickets"]]
                                                .clip(lower=0).to_numpy(dtype=float)))
    step = max(1, len(x) // 20000)
    sample = x[::step]
    curve = [KMeans(k, n_init=3, random_state=0).fit(sample).inertia_ for k in range(1, 9)]
    first, last = curve[0], curve[-1]
    k = max(range(2, 8), key=lambda j: (first - curve[j - 1]) / (first - last) - (j - 1) / 7)
    fit = KMeans(k, n_init=10, random_state=0).fit(x)
    return f"{len(x)} customers in {k} segments (inertia {fit.inertia_:.1f})"


timed("segments (scikit-learn KMeans)", kmeans)
