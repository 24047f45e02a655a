"""Synthetic monthly revenue for the forecast reference check: a level, a
linear trend, a month-of-year shape (a December peak, a February dip) and
Gaussian noise, seeded. Several lengths, so each of ols.h's term rules is
exercised: 36 and 24 months (all 11 month terms), 18 months (only the
months seen twice) and 9 months (trend alone). Writes series_<name>.csv
and cases.txt ("name first_moy")."""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(20261129)
shape = np.array([0, -900, 150, 300, 450, 500, 200, -100, 350, 600, 1200, 2500], dtype=float)
cases = [("y36", 0, 36), ("y24", 4, 24), ("y18", 7, 18), ("y9", 2, 9)]
with open(f"{out}/forecast_cases.txt", "w") as cf:
    for name, first, n in cases:
        t = np.arange(n)
        y = 10000 + 85.5 * t + shape[(first + t) % 12] + rng.normal(0, 180, n)
        np.savetxt(f"{out}/forecast_{name}.csv", y, fmt="%.6f", header="y", comments="")
        cf.write(f"{name} {first}\n")
