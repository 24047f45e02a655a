"""The forecast test's oracle (tests/e2e/sales_forecast.sh): makes the
test's deals, stage history and orders, writes them as SQL, and checks
the forecast's JSON against figures computed here independently: exact
integer cents and basis points for the pipeline, exact rational least
squares (normal equations over Fractions) for the trend.

  oracle.py make IDS.json OUT.sql    -> the rows to insert
  oracle.py check IDS.json WHO VIEW.json -> ok/FAIL lines
"""
import json
import random
import sys
from fractions import Fraction

STAGES = {"S1": 1000, "S2": 4000, "S3": 7000}   # default probabilities, basis points
MIN_CLOSED = 10


def ym_of(s):
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


def ym_text(ym):
    return "%04d-%02d" % (ym // 12, ym % 12 + 1)


def day(ym, d):
    return "%s-%02d" % (ym_text(ym), d)


def cents(s):
    neg = s.startswith("-")
    w, _, f = s.lstrip("-").partition(".")
    v = int(w) * 100 + int((f + "00")[:2])
    return -v if neg else v


def money(c):
    return ("-" if c < 0 else "") + "%d.%02d" % (abs(c) // 100, abs(c) % 100)


def div_round(num, den):
    """num / den rounded half away from zero, in integers."""
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if (num >= 0) == (den > 0) else -q


def dataset(ids):
    """The deals: (key, owner, close month, stage, amount cents, prob bp,
    deleted, history [(stage, entered, left, amount cents)])."""
    cur = ym_of(ids["month"])
    deals = []

    def deal(key, owner, close, stage, amount, prob=None, history=(), deleted=False):
        deals.append(dict(key=key, owner=owner, close=close, stage=stage, amount=amount,
                          prob=STAGES.get(stage, 10000 if stage == "W" else 0) if prob is None else prob,
                          history=list(history), deleted=deleted))

    # The learning set: cal's deals closed long ago, through S1 (and S2).
    for k in range(12):
        amt = 100000 + k
        if k < 3:
            path, end = ["S1", "S2"], "W"
        elif k < 5:
            path, end = ["S1", "S2"], "L"
        else:
            path, end = ["S1"], "L"
        h, t = [], 1
        for s in path:
            h.append((s, "2020-01-%02d 09:00:00" % t, "2020-01-%02d 09:00:00" % (t + 3), amt))
            t += 3
        h.append((end, "2020-01-%02d 09:00:00" % t, None, amt))
        deal("learn%d" % k, "cal", ym_of("2020-01"), end, amt, history=h)
    # The window (this month and the next two).
    deal("D1", "ana", cur + 1, "S1", 100050)
    deal("D2", "ana", cur + 1, "S2", 250000, prob=3500)
    deal("D3", "ana", cur + 2, "S3", 33333)
    deal("D4", "ben", cur + 1, "S2", 77777)
    deal("D5", "ben", cur, "S1", 1200000)
    deal("D6", "ben", cur, "S3", 5)
    deal("W1", "ana", cur + 1, "W", 50000)
    deal("L1", "ana", cur + 1, "L", 500000)
    deal("D7", "ana", cur + 1, "S1", 9999900, deleted=True)
    deal("D8", "cal", cur + 1, "S1", 444444)
    # Accuracy: month P = two months ago, as it stood at P-01 00:00:00.
    P = cur - 2
    start = day(P, 1) + " 00:00:00"
    deal("A1", "ana", P, "W", 420000, history=[
        ("S1", day(P - 1, 10) + " 08:00:00", day(P - 1, 20) + " 08:00:00", 350000),
        ("S3", day(P - 1, 20) + " 08:00:00", day(P, 15) + " 08:00:00", 400000),
        ("W", day(P, 15) + " 08:00:00", None, 420000)])
    deal("A2", "ana", P, "L", 150000, history=[
        ("S2", day(P - 2, 3) + " 08:00:00", day(P, 10) + " 08:00:00", 150000),
        ("L", day(P, 10) + " 08:00:00", None, 150000)])
    deal("A3", "ana", P, "W", 90000, history=[
        ("S1", day(P, 5) + " 08:00:00", day(P, 8) + " 08:00:00", 90000),
        ("W", day(P, 8) + " 08:00:00", None, 90000)])
    deal("A4", "ana", P, "S2", 100000, history=[
        ("S1", day(P - 1, 3) + " 08:00:00", start, 80000),
        ("S2", start, None, 100000)])
    return deals


def orders(ids):
    """Monthly order totals per owner: ana 30 months (month dummies), ben
    15 (quarters), cal 2 (too few); plus orders the trend must leave out."""
    cur = ym_of(ids["month"])
    rnd = random.Random(7)
    bump = [0, -900, 400, 700, 300, -1200, -2500, -2000, 800, 1500, 3000, 5200]
    out = {}
    for who, n, base, slope in (("ana", 30, 20000, 180), ("ben", 15, 9000, -60), ("cal", 2, 5000, 0)):
        series = []
        for t in range(n):
            ym = cur - n + t
            v = base + slope * t + (bump[ym % 12] if who != "ben" else bump[ym % 12] // 3)
            series.append((ym, v * 100 + rnd.randrange(-50000, 50000)))
        out[who] = series
    return out


def sql_str(s):
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"


def make(ids, out):
    deals = dataset(ids)
    stage = {k: ids["stages"][k] for k in ids["stages"]}
    users = ids["users"]
    lines = []
    for d in deals:
        closed = d["stage"] in ("W", "L")
        close = day(d["close"], 15)
        lines.append(
            "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability,"
            " close_date, owner_id, closed_at, deleted_at) VALUES (%s, %d, %d, %d, '%s', '%s', '%s', %d, %s, %s);"
            % (sql_str("FC %s %s" % (ids["run"], d["key"])), ids["account"], ids["pipeline"], stage[d["stage"]],
               money(d["amount"]), money(d["prob"]), close, users[d["owner"]],
               sql_str(close + " 12:00:00") if closed else "NULL", "UTC_TIMESTAMP()" if d["deleted"] else "NULL"))
        for (s, entered, left, amt) in d["history"]:
            lines.append(
                "INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at, left_at, amount, user_id)"
                " SELECT id, %d, '%s', %s, '%s', %d FROM opportunities WHERE name = %s;"
                % (stage[s], entered, sql_str(left), money(amt), users[d["owner"]],
                   sql_str("FC %s %s" % (ids["run"], d["key"]))))
    cur = ym_of(ids["month"])
    k = 0
    for who, series in orders(ids).items():
        extra = [(ym, c, "delivered") for ym, c in series]
        if who == "ana":
            extra += [(cur - 5, 9999900, "cancelled"), (cur, 7777700, "confirmed")]
        for ym, c, status in extra:
            k += 1
            lines.append(
                "INSERT INTO orders (number, account_id, currency, status, ordered_on, subtotal, tax_total, total,"
                " total_base, owner_id) VALUES ('FC-%s-%d', %d, 'USD', '%s', '%s', '%s', '0.00', '%s', '%s', %d);"
                % (ids["run"], k, ids["account"], status, day(ym, 1 + k % 27), money(c), money(c), money(c),
                   users[who]))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def expected_pipeline(ids, who, owners, months, quotas):
    """Per owner and month: deals, unweighted, weighted, historical, won,
    quota; as the forecast defines them."""
    deals = dataset(ids)
    # Stage rates from every closed deal through the stage (distinct deals).
    passed = {}
    for d in deals:
        if d["deleted"] or d["stage"] not in ("W", "L"):
            continue
        for s in {h[0] for h in d["history"]}:
            c = passed.setdefault(s, [0, 0])
            c[0] += 1
            c[1] += d["stage"] == "W"
    rate = {}
    for s, bp in STAGES.items():
        closed, won = passed.get(s, [0, 0])
        rate[s] = div_round(won * 10000, closed) if closed >= MIN_CLOSED else bp
    cells = {}
    for d in deals:
        if d["deleted"] or d["owner"] not in owners or d["close"] not in months:
            continue
        c = cells.setdefault((d["owner"], d["close"]), dict(deals=0, open=0, a=0, b=0, won=0))
        if d["stage"] == "W":
            c["won"] += d["amount"]
        elif d["stage"] != "L":
            c["deals"] += 1
            c["open"] += d["amount"]
            c["a"] += d["amount"] * d["prob"]
            c["b"] += d["amount"] * rate[d["stage"]]
    out = {}
    for o in owners:
        for m in months:
            c = cells.get((o, m), dict(deals=0, open=0, a=0, b=0, won=0))
            q = quotas.get((o, m))
            v = dict(deals=c["deals"], unweighted=c["open"], weighted=div_round(c["a"], 10000),
                     historical=div_round(c["b"], 10000), won=c["won"], quota=q)
            v["attainment"] = (None if not q else
                               "%.2f" % (div_round((v["won"] + v["weighted"]) * 10000, q) / 100))
            out[(o, m)] = v
    return out, rate, passed


def expected_accuracy(ids, who):
    deals = dataset(ids)
    cur = ym_of(ids["month"])
    out = {}
    for m in range(cur - 6, cur):
        start = day(m, 1) + " 00:00:00"
        num = won = n = 0
        for d in deals:
            if d["deleted"] or d["owner"] != who or d["close"] != m:
                continue
            if d["stage"] == "W":
                won += d["amount"]
            for (s, entered, left, amt) in d["history"]:
                if s in STAGES and entered <= start and (left is None or left > start):
                    num += amt * STAGES[s]
                    n += 1
        out[ym_text(m)] = dict(forecast=div_round(num, 10000), won=won, deals=n)
    return out


def least_squares(y, first_moy):
    n = len(y)
    p = 13 if n >= 24 else 5 if n >= 12 else 2 if n >= 3 else 0
    if p == 0:
        return None

    def row(t):
        x = [Fraction(0)] * p
        x[0] = Fraction(1)
        x[1] = Fraction(t)
        moy = (first_moy + t) % 12
        season = moy if p == 13 else moy // 3 if p == 5 else 0
        if season > 0:
            x[1 + season] = Fraction(1)
        return x

    X = [row(t) for t in range(n)]
    Y = [Fraction(v) for v in y]
    A = [[sum(X[t][i] * X[t][j] for t in range(n)) for j in range(p)] for i in range(p)]
    b = [sum(X[t][i] * Y[t] for t in range(n)) for i in range(p)]
    for i in range(p):                      # Gauss-Jordan on the normal equations
        piv = next(r for r in range(i, p) if A[r][i] != 0)
        A[i], A[piv], b[i], b[piv] = A[piv], A[i], b[piv], b[i]
        for r in range(p):
            if r != i and A[r][i] != 0:
                f = A[r][i] / A[i][i]
                A[r] = [A[r][k] - f * A[i][k] for k in range(p)]
                b[r] -= f * b[i]
    beta = [b[i] / A[i][i] for i in range(p)]
    fit = [sum(beta[k] * X[t][k] for k in range(p)) for t in range(n)]
    mean = sum(Y) / n
    sse = sum((Y[t] - fit[t]) ** 2 for t in range(n))
    sst = sum((v - mean) ** 2 for v in Y)
    r2 = 1 - sse / sst
    adj = 1 - (1 - r2) * (n - 1) / (n - p)
    ahead = [sum(beta[k] * row(n + h)[k] for k in range(p)) for h in range(6)]
    return dict(p=p, beta=beta, r2=float(r2), adj=float(adj), ahead=[float(a) for a in ahead])


CHECKS = [0, 0]


def check(name, good, seen=""):
    CHECKS[0 if good else 1] += 1
    print(("ok - " if good else "FAIL - ") + "forecast: " + name + ("" if good else ": " + str(seen)))


def run_check(ids, who, view):
    users = ids["users"]
    months = [ym_of(m["month"]) for m in view["months"]]
    scope_owners = {"ana": ["ana"], "cal": ["cal"], "boss": ["ana", "ben"], "adm": ["ana", "ben", "cal"]}[who]
    quotas = {(o, ym_of(m)): cents(v) for (o, m, v) in ids["quotas"]}
    exp, rate, passed = expected_pipeline(ids, who, scope_owners, months, quotas)
    rows = {o["id"]: o for o in view["owners"]}
    ours = {users[o]: o for o in ("ana", "ben", "cal", "boss", "adm")}
    seen = sorted(ours[i] for i in rows if i in ours)
    want = sorted(o for o in scope_owners if any(
        exp[(o, m)]["deals"] or exp[(o, m)]["won"] or exp[(o, m)]["quota"] is not None for m in months))
    check("%s sees the rows of %s" % (who, ", ".join(want)), seen == want, seen)
    if who in ("ana", "cal"):
        check("%s sees no one else's row" % who, len(rows) == len(want), list(rows))
    for o in want:
        row = rows[users[o]]
        for i, m in enumerate(months):
            e, cell = exp[(o, m)], row["cells"][i]
            name = "%s: %s in %s" % (who, o, ym_text(m))
            got = (cell["deals"], cents(cell["unweighted"]), cents(cell["weighted"]), cents(cell["historical"]),
                   cents(cell["won"]))
            check(name + ": deals, unweighted, weighted, historical, won",
                  got == (e["deals"], e["unweighted"], e["weighted"], e["historical"], e["won"]),
                  "%s, wanted %s" % (got, (e["deals"], e["unweighted"], e["weighted"], e["historical"], e["won"])))
            if e["quota"] is not None or "quota" in cell:
                check(name + ": quota and attainment",
                      e["quota"] is not None and cents(cell.get("quota", "-1")) == e["quota"] and
                      cell.get("attainment") == e["attainment"],
                      "%s %s, wanted %s %s" % (cell.get("quota"), cell.get("attainment"), e["quota"], e["attainment"]))
        tot = [sum(exp[(o, m)][k] for m in months) for k in ("weighted", "historical", "unweighted")]
        check("%s: %s's row totals" % (who, o),
              [cents(row["weighted"]), cents(row["historical"]), cents(row["unweighted"])] == tot, row)
    if who in ("ana", "cal", "boss"):
        # Everything in scope is the test's own: the month totals are exact.
        for i, m in enumerate(months):
            w = sum(exp[(o, m)]["weighted"] for o in want)
            h = sum(exp[(o, m)]["historical"] for o in want)
            t = view["totals"][i]
            check("%s: total of %s" % (who, ym_text(m)),
                  (cents(t["weighted"]), cents(t["historical"])) == (w, h), t)
    st = {s["id"]: s for s in view["stages"]}
    for s in STAGES:
        got = st.get(ids["stages"][s], {})
        closed, won = passed.get(s, [0, 0])
        check("%s: stage %s converts at %s bp (%d of %d closed)" % (who, s, rate[s], won, closed),
              got.get("rate_bp") == rate[s] and got.get("closed") == closed and got.get("won") == won and
              got.get("learned") == (closed >= MIN_CLOSED), got)
    if who in ("ana", "cal"):
        acc = expected_accuracy(ids, who)
        for a in view["accuracy"]:
            e = acc[a["month"]]
            check("%s: accuracy of %s (forecast %s, won %s)" % (who, a["month"], money(e["forecast"]), money(e["won"])),
                  (cents(a["forecast"]), cents(a["won"]), a["deals"]) == (e["forecast"], e["won"], e["deals"]), a)
    trend(ids, who, view["trend"])


def trend(ids, who, tr):
    if who not in ("ana", "ben", "cal"):
        return
    series = orders(ids)[who]
    cur = ym_of(ids["month"])
    n = len(series)
    check("%s: the trend uses %d months" % (who, n), tr["months_used"] == n, tr["months_used"])
    actual = [(ym_of(a["month"]), cents(a["total"])) for a in tr["actuals"]]
    check("%s: the trend's actuals are the monthly totals, cancelled and this month's left out" % who,
          actual == series, actual[:3])
    fit = least_squares([Fraction(c, 100) for _, c in series], (cur - n) % 12)
    if fit is None:
        check("%s: too little history for a fit" % who, tr["fitted"] is False, tr.get("fitted"))
        return
    check("%s: %d parameters" % (who, fit["p"]), tr["fitted"] and tr["params"] == fit["p"] and
          len(tr["coefficients"]) == fit["p"], tr.get("params"))
    check("%s: R squared %.4f" % (who, fit["r2"]), abs(tr["r2"] - fit["r2"]) < 0.005, tr["r2"])
    check("%s: adjusted R squared %.4f" % (who, fit["adj"]), abs(tr["adj_r2"] - fit["adj"]) < 0.005, tr["adj_r2"])
    check("%s: the coefficients" % who, all(abs(float(c["value"]) - float(b)) <= 0.011
                                           for c, b in zip(tr["coefficients"], fit["beta"])),
          [c["value"] for c in tr["coefficients"]])
    got = [cents(p["total"]) / 100 for p in tr["projections"]]
    months = [p["month"] for p in tr["projections"]]
    check("%s: six projections from this month" % who, months == [ym_text(cur + h) for h in range(6)], months)
    check("%s: projections to 2 decimals" % who,
          len(got) == 6 and all(abs(g - a) <= 0.011 for g, a in zip(got, fit["ahead"])),
          "%s, wanted %s" % (got, ["%.2f" % a for a in fit["ahead"]]))
    ch = tr["chart"]
    pts = ch["actual"].split(" ")
    check("%s: the chart has a point per month and the dashed line the projections" % who,
          len(pts) == n and len(ch["forecast"].split(" ")) == 7 and ch["forecast"].split(" ")[0] == pts[-1],
          (len(pts), ch["forecast"]))


def main():
    mode, ids = sys.argv[1], json.load(open(sys.argv[2]))
    if mode == "make":
        make(ids, sys.argv[3])
        return
    run_check(ids, sys.argv[3], json.load(open(sys.argv[4])))


if __name__ == "__main__":
    main()
