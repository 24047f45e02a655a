"""The Python side of the forecast check: the same design as ols.h
(intercept, trend t = 0.., a dummy for each month from February on that
the history holds twice), fitted by scikit-learn's LinearRegression, and
the textbook prediction interval computed in numpy/scipy:
    yhat +- t_{0.975, n-p} sqrt(s^2 (1 + x0' (X'X)^-1 x0)).
One "ok - forecast: ..." or "FAIL - forecast: ..." line per check."""
import sys

import numpy as np
from scipy import stats
from sklearn.linear_model import LinearRegression

out, horizon = sys.argv[1], int(sys.argv[2])
REL = 1e-6


def say(ok, what):
    print(f"{'ok' if ok else 'FAIL'} - forecast: {what}")


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))) if a.size else 0.0


def design(first, t, months):
    moy = (first + t) % 12
    cols = [np.ones(len(t)), t.astype(float)] + [(moy == m).astype(float) for m in months]
    return np.column_stack(cols)


for line in open(f"{out}/forecast_cases.txt"):
    name, first = line.split()[0], int(line.split()[1])
    y = np.loadtxt(f"{out}/forecast_{name}.csv", skiprows=1)
    n = len(y)
    ours = {}
    preds = []
    for row in open(f"{out}/forecast_{name}_ours.txt"):
        k, *v = row.split()
        if k == "pred":
            preds.append([float(x) for x in v])
        else:
            ours[k] = [float(x) for x in v]
    t = np.arange(n)
    seen = np.bincount((first + t) % 12, minlength=12)
    months = [m for m in range(1, 12) if seen[m] >= 2]
    p = 2 + len(months)
    say(int(ours["p"][0]) == p and [int(m) for m in ours["months"]] == months,
        f"{name}: {n} months give {p} parameters, month terms {months}")
    X = design(first, t, months)
    lr = LinearRegression(fit_intercept=True).fit(X[:, 1:], y)
    coef = np.concatenate([[lr.intercept_], lr.coef_])
    d = rel(ours["coef"], coef)
    say(d < REL, f"{name}: coefficients within {REL:g} relative of LinearRegression (largest {d:.1e})")
    resid = y - lr.predict(X[:, 1:])
    s2 = resid @ resid / (n - p)
    xtxi = np.linalg.inv(X.T @ X)
    se = np.sqrt(s2 * np.diag(xtxi))
    r2 = lr.score(X[:, 1:], y)
    d = max(rel(ours["se"], se), rel(ours["sigma2"], [s2]), rel(ours["r2"], [r2]))
    say(d < REL, f"{name}: standard errors, residual variance and R^2 (={r2:.4f}) within {REL:g} (largest {d:.1e})")
    tq = stats.t.ppf(0.975, n - p)
    tt = np.arange(n + horizon)
    X0 = design(first, tt, months)
    yhat = X0 @ coef
    half = tq * np.sqrt(s2 * (1 + np.einsum("ij,jk,ik->i", X0, xtxi, X0)))
    pr = np.array(preds)
    ok = pr.shape == (n + horizon, 4)
    d = max(rel(pr[:, 1], yhat), rel(pr[:, 2], yhat - half), rel(pr[:, 3], yhat + half)) if ok else 1.0
    say(ok and d < REL, f"{name}: {n} fitted and {horizon} future months with 95% intervals "
        f"match the textbook formula (t={tq:.4f}, largest relative difference {d:.1e})")
    if n >= 24:
        fut = pr[n:, 1]
        peak = int((first + n + np.argmax(fut)) % 12)
        say(peak == 11 or horizon < 12 and 11 not in (first + n + np.arange(horizon)) % 12,
            f"{name}: the December peak is the highest predicted month")
