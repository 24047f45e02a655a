"""The Python side of check_churn.sh: scikit-learn's LogisticRegression
(solver='liblinear') and DecisionTreeClassifier(criterion='entropy') on
the split churn_ref made, against churn_ref's figures. One "ok - churn:
..." or "FAIL - churn: ..." line per check."""
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

d, depth, minleaf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def say(ok, what):
    print(f"{'ok' if ok else 'FAIL'} - churn: {what}")


def stats(path):
    out = {"coef": {}, "rule": []}
    for line in open(path):
        key, _, rest = line.rstrip("\n").partition(" ")
        if key == "coef":
            name, value = rest.split()
            out["coef"][name] = float(value)
        elif key == "rule":
            out["rule"].append(rest)
        elif key == "root":
            name, value = rest.split()
            out["root"] = (name, float(value))
        else:
            out[key] = float(rest)
    return out


# Logistic regression on the same standardised training rows.
data = pd.read_csv(f"{d}/churn.csv")
ours = pd.read_csv(f"{d}/churn_logit.csv")
st = stats(f"{d}/churn_logit.txt")
x, y = data.iloc[:, :-1].to_numpy(), data.iloc[:, -1].to_numpy()
test = ours.is_test.to_numpy() == 1
say(abs(test.sum() - int(np.ceil(0.25 * len(data)))) == 0,
    f"the held-out split keeps {test.sum()} of {len(data)} rows (25%, rounded up)")
scaler = StandardScaler().fit(x[~test])
lr = LogisticRegression(solver="liblinear").fit(scaler.transform(x[~test]), y[~test])
p = lr.predict_proba(scaler.transform(x))[:, 1]
auc_ref = roc_auc_score(y[test], p[test])
acc_ref = accuracy_score(y[test], lr.predict(scaler.transform(x[test])))
auc_ours = roc_auc_score(y[test], ours.p.to_numpy()[test])
say(abs(st["auc"] - auc_ref) < 0.01, f"logistic AUC {st['auc']:.4f}, scikit-learn's {auc_ref:.4f}")
say(abs(st["auc"] - auc_ours) < 1e-12,
    f"our AUC {st['auc']:.6f} equals roc_auc_score on our probabilities {auc_ours:.6f}")
say(abs(st["accuracy"] - acc_ref) <= 0.01,
    f"logistic accuracy {st['accuracy']:.4f}, scikit-learn's {acc_ref:.4f}")
names = list(data.columns[:-1])
ref = dict(zip(names, lr.coef_[0]))
worst = max(abs(st["coef"][k] - ref[k]) for k in names + [])
worst = max(worst, abs(st["intercept"] - lr.intercept_[0]))
say(worst < 1e-3, "coefficients (standardised) as scikit-learn's within 1e-3 (largest difference "
    f"{worst:.1e}): " + ", ".join(f"{k} {st['coef'][k]:+.4f}/{ref[k]:+.4f}" for k in names)
    + f", intercept {st['intercept']:+.4f}/{lr.intercept_[0]:+.4f}")
signs = {"recency": 1, "frequency": -1, "spend_trend": -1, "tickets": 1, "csat": -1}
say(all(np.sign(st["coef"][k]) == s for k, s in signs.items()) and st["auc"] > 0.75,
    f"the known churn rule is found: every coefficient has its sign, AUC {st['auc']:.3f} > 0.75")

# The tree on the same raw training rows.
data = pd.read_csv(f"{d}/leads.csv")
ours = pd.read_csv(f"{d}/leads_tree.csv")
st = stats(f"{d}/leads_tree.txt")
x, y = data.iloc[:, :-1].to_numpy(), data.iloc[:, -1].to_numpy()
test = ours.is_test.to_numpy() == 1
dt = DecisionTreeClassifier(criterion="entropy", max_depth=depth, min_samples_leaf=minleaf,
                            random_state=0).fit(x[~test], y[~test])
acc_ref = accuracy_score(y[test], dt.predict(x[test]))
say(abs(st["accuracy"] - acc_ref) <= 0.01,
    f"tree accuracy {st['accuracy']:.4f}, scikit-learn's {acc_ref:.4f} (depth {depth}, min leaf {minleaf})")
root = (data.columns[dt.tree_.feature[0]], dt.tree_.threshold[0])
say(root[0] == st["root"][0] and abs(root[1] - st["root"][1]) < 1e-6,
    f"root split {st['root'][0]} <= {st['root'][1]:g}, scikit-learn's {root[0]} <= {root[1]:g}")
pd_ref = dt.predict_proba(x)[:, 1]
same = np.abs(pd_ref - ours.p.to_numpy()) < 1e-9
say(same.mean() >= 0.99, f"tree probabilities equal scikit-learn's for {same.sum()} of {len(same)} leads")
say(dt.get_n_leaves() == st["leaves"], f"{int(st['leaves'])} leaves, scikit-learn's {dt.get_n_leaves()}")
rule = [r for r in st["rule"] if "source_web_form" in r and "company_size > 50" in r.replace("50.5", "50")]
say(any(float(r.split("->")[1].split("%")[0]) > 65 for r in rule),
    "the known rule is a leaf: " + (rule[0] if rule else "none of " + "; ".join(st["rule"])))
