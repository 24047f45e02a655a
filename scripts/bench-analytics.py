"""The reference side of the analytics bench: scikit-learn and pandas do
what each step of crmctl analytics does, on the rows the step itself
reads (the same SQL), and each method's times are printed: reading the
rows from the database (through the mariadb client, as text) and the
computation alone. The C side's figure covers reading, computing and
storing the results. Usage: bench-analytics.py MYSQL_SOCKET USER"""
import io
import subprocess
import sys
import time

import numpy as np
import pandas as pd

SOCK, USER = sys.argv[1], sys.argv[2]


READ = [0.0]


def query(sql):
    t0 = time.perf_counter()
    out = subprocess.run(["mariadb", "--no-defaults", "-S", SOCK, "-u", USER, "--batch", "crm", "-e", sql],
                         check=True, capture_output=True).stdout
    rows = pd.read_csv(io.BytesIO(out), sep="\t")
    READ[0] += time.perf_counter() - t0
    return rows


def timed(name, fn):
    t0 = time.perf_counter()
    what = fn()
    print(f"{name}: {what}; read {READ[0]:.1f} s, computed in {time.perf_counter() - t0:.1f} s")
    READ[0] = 0.0


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

# churn: the step's own features (as of 180 days ago, labelled by whether
# the customer ordered since; today's to score), standardised, a held-out
# quarter, and liblinear's L2 logistic regression.
CHURN_SQL = """SELECT o.account_id, DATEDIFF('{d}', MAX(IF(o.ordered_on <= '{d}', o.ordered_on, NULL))) AS recency,
 SUM(o.ordered_on <= '{d}') AS orders,
 SUM(IF(o.ordered_on <= '{d}' AND o.ordered_on > '{d}' - INTERVAL 180 DAY, o.total_base, 0)) AS recent,
 SUM(IF(o.ordered_on <= '{d}' - INTERVAL 180 DAY AND o.ordered_on > '{d}' - INTERVAL 360 DAY, o.total_base, 0)) AS before_,
 SUM(o.ordered_on > '{d}') AS later, IFNULL(MAX(t.tickets), 0) AS tickets, MAX(t.csat) AS csat
 FROM orders o LEFT JOIN (SELECT k.account_id, COUNT(*) AS tickets, AVG(c.score) AS csat
  FROM tickets k LEFT JOIN csat_responses c ON c.ticket_id = k.id AND DATE(c.created_at) <= '{d}'
  WHERE k.deleted_at IS NULL AND k.account_id IS NOT NULL AND DATE(k.created_at) <= '{d}'
   AND DATE(k.created_at) > '{d}' - INTERVAL 365 DAY GROUP BY k.account_id) t ON t.account_id = o.account_id
 WHERE o.status <> 'cancelled' GROUP BY o.account_id HAVING orders > 0 ORDER BY o.account_id"""
days = query("SELECT UTC_DATE() AS today, UTC_DATE() - INTERVAL 180 DAY AS cutoff")
READ[0] = 0.0
past = query(CHURN_SQL.format(d=days.cutoff[0]))
now = query(CHURN_SQL.format(d=days.today[0]))


def churn_features(f):
    trend = (f.recent - f.before_) / (f.recent + f.before_).where(lambda v: v > 0, 1)
    return np.column_stack([f.recency, f.orders, trend, f.tickets, f.csat.fillna(f.csat.mean() if f.csat.notna().any() else 0)])


def churn():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    x, y = churn_features(past).astype(float), (past.later == 0).astype(int).to_numpy()
    sc = StandardScaler().fit(x)
    xtr, xte, ytr, yte = train_test_split(sc.transform(x), y, test_size=0.25, random_state=0)
    m = LogisticRegression(solver="liblinear").fit(xtr, ytr)
    auc = roc_auc_score(yte, m.predict_proba(xte)[:, 1])
    m.predict_proba(sc.transform(churn_features(now).astype(float)))
    return f"{len(past)} trained, {len(now)} customers scored, AUC {auc:.2f}"


timed("churn (scikit-learn LogisticRegression, liblinear)", churn)

# leads: the step's own columns, one-hot source and country, the entropy
# tree (depth 4, leaves of 5%) and the logistic alternative.
leads = query("SELECT id, source, country, phone <> '' AS has_phone, company <> '' AS has_company, title,"
              " CHAR_LENGTH(IFNULL(message, '')) AS message_length, form_id IS NOT NULL AS web_form,"
              " converted_at IS NOT NULL AS converted, (converted_at IS NOT NULL OR status = 'disqualified') AS decided"
              " FROM leads WHERE deleted_at IS NULL ORDER BY id")


def lead_scores():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier
    title = leads.title.fillna("").str.lower()
    x = pd.get_dummies(leads[["source", "country"]].fillna(""), dtype=float)
    x["has_phone"], x["has_company"] = leads.has_phone, leads.has_company
    x["senior"] = title.str.contains("director|head|chief|vp|总|董事").astype(float)
    x["manager"] = title.str.contains("manager|经理").astype(float)
    x["message_length"], x["web_form"] = leads.message_length, leads.web_form
    decided = leads.decided == 1
    xd, yd = x[decided].to_numpy(float), leads.converted[decided].to_numpy()
    if len(set(yd)) < 2:
        return f"not trained: {len(yd)} decided leads, all of one outcome"
    xtr, xte, ytr, yte = train_test_split(xd, yd, test_size=0.25, random_state=0)
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3 if len(xtr) < 400 else 4,
                                  min_samples_leaf=max(1, int(np.ceil(0.05 * len(xtr)))), random_state=0).fit(xtr, ytr)
    logit = LogisticRegression(solver="liblinear").fit(xtr, ytr)
    tree.predict_proba(x.to_numpy(float))
    logit.predict_proba(x.to_numpy(float))
    return f"{len(leads)} leads scored, {tree.get_n_leaves()} rules, tree accuracy {tree.score(xte, yte):.2f}"


timed("leads (scikit-learn DecisionTreeClassifier, LogisticRegression)", lead_scores)

# baskets: the distinct products of each order that was not cancelled;
# Apriori to three items (itertools), rules over the same thresholds, and
# the cosine of products over the customers who bought them (sklearn).
lines = query("SELECT DISTINCT l.order_id, l.product_id, o.account_id FROM order_lines l"
              " JOIN orders o ON o.id = l.order_id WHERE o.status <> 'cancelled' ORDER BY l.order_id")


def baskets():
    from collections import Counter
    from itertools import combinations

    from scipy.sparse import csr_matrix
    from sklearn.metrics.pairwise import cosine_similarity
    groups = lines.groupby("order_id", sort=True)["product_id"]
    bs = [sorted(set(g)) for _, g in groups]
    n = len(bs)
    min_support = max(5 / n, 0.001)
    single = Counter(i for b in bs for i in b)
    f1 = {i for i, c in single.items() if c / n >= min_support}
    pairs = Counter(p for b in bs for p in combinations([i for i in b if i in f1], 2))
    f2 = {p: c for p, c in pairs.items() if c / n >= min_support}
    triples = Counter(t for b in bs for t in combinations([i for i in b if i in f1], 3)
                      if all(p in f2 for p in combinations(t, 2)))
    rules = 0
    for (a, b), c in f2.items():
        rules += (c / single[a] >= 0.1) + (c / single[b] >= 0.1)
    rules += sum(1 for t, c in triples.items() if c / n >= min_support
                 for y in t if c / f2[tuple(i for i in t if i != y)] >= 0.1)
    acc = lines.drop_duplicates(["account_id", "product_id"])
    a_idx = acc.account_id.astype("category").cat.codes
    p_idx = acc.product_id.astype("category").cat.codes
    m = csr_matrix((np.ones(len(acc)), (p_idx, a_idx)))
    sim = cosine_similarity(m)
    np.fill_diagonal(sim, -1)
    top = np.argsort(-sim, axis=1)[:, :5]
    return f"{n} baskets: {rules} rules, {top.size} similar products"


timed("baskets (itertools Apriori, scikit-learn cosine)", baskets)

# forecast: complete months of order revenue, up to the last 36; least
# squares on an intercept, the trend and a term for each month of the
# year seen at least twice (January the base), as ols.h does.
months = query("SELECT DATE_FORMAT(month, '%Y-%m') AS month, SUM(revenue) AS revenue FROM order_month_totals"
               " WHERE month < UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY"
               " GROUP BY month ORDER BY month").tail(36)


def forecast():
    from sklearn.linear_model import LinearRegression
    y = months.revenue.to_numpy(dtype=float)
    t = np.arange(len(y))
    moy = np.array([int(m[5:7]) - 1 for m in months.month])
    seen = np.bincount(moy, minlength=12)
    terms = [m for m in range(1, 12) if seen[m] >= 2]
    x = np.column_stack([t] + [(moy == m).astype(float) for m in terms])
    fit = LinearRegression().fit(x, y)
    return f"{len(y)} months, {1 + x.shape[1]} coefficients, R2 {fit.score(x, y):.3f}"


timed("forecast (scikit-learn LinearRegression)", forecast)

# sentiment: the labelled text, and the customers' messages and
# satisfaction comments, tokenised as tokens.h does (English words, Chinese
# characters and their pairs).
RUN = __import__("re").compile(r"[A-Za-z0-9']+|[\u4e00-\u9fff\u3400-\u4dbf]+")


def analyze(text):
    out = []
    for m in RUN.finditer(str(text)):
        s = m.group()
        if s[0].isascii():
            out.append(s.lower())
        else:
            out.extend(s)
            out.extend(s[i:i + 2] for i in range(len(s) - 1))
    return out


labels = query("SELECT body, label FROM sentiment_labels ORDER BY id")
texts = pd.concat([
    query("SELECT m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id AND t.deleted_at IS NULL"
          " WHERE m.kind = 'customer' ORDER BY m.id"),
    query("SELECT c.comment AS body FROM csat_responses c JOIN tickets t ON t.id = c.ticket_id"
          " AND t.deleted_at IS NULL WHERE c.comment IS NOT NULL AND c.comment <> '' ORDER BY c.ticket_id")])


def sentiment():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    vec = CountVectorizer(analyzer=analyze)
    nb = MultinomialNB(alpha=1.0).fit(vec.fit_transform(labels.body), labels.label)
    nb.predict_proba(vec.transform(texts.body))
    return f"{len(labels)} labelled texts, {len(texts)} texts scored"


timed("sentiment (scikit-learn MultinomialNB)", sentiment)
