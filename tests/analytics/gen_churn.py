"""Synthetic customers and leads with a known rule, for check_churn.sh (the
same every run: fixed seed).
  churn.csv  8,000 customers: recency (days since the last order),
             frequency (orders), spend trend (revenue of the last 180 days
             over the 180 before, minus 1), tickets and mean CSAT; a
             customer churns with the probability of a logistic rule that
             rises with recency, tickets and a falling trend and falls with
             frequency and CSAT (the label is the last column).
  leads.csv  6,000 leads: one-hot source (web form, referral, trade show,
             cold call), has phone, company size, message length; they
             convert mostly when they came from the web form with a company
             of more than 50 people, or by referral with a phone, and
             rarely otherwise. Whole numbers only, so scikit-learn's
             float32 copy of the features loses nothing."""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(20261130)

n = 8000
recency = np.minimum(rng.exponential(80.0, n).astype(int), 720)
frequency = 1 + rng.poisson(3.0, n)
trend = np.round(rng.normal(0.0, 0.6, n), 3)
tickets = rng.poisson(1.5, n)
csat = np.round(np.clip(rng.normal(4.0, 0.8, n), 1, 5), 2)
z = (-1.0 + 0.02 * recency - 0.35 * frequency - 1.2 * trend + 0.4 * tickets - 0.6 * (csat - 4.0))
churned = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
np.savetxt(f"{out}/churn.csv", np.column_stack([recency, frequency, trend, tickets, csat, churned]),
           fmt=["%d", "%d", "%.3f", "%d", "%.2f", "%d"], delimiter=",",
           header="recency,frequency,spend_trend,tickets,csat,churned", comments="")

m = 6000
source = rng.choice(4, m, p=[0.35, 0.2, 0.2, 0.25])
onehot = np.eye(4, dtype=int)[source]
phone = (rng.random(m) < 0.6).astype(int)
size = rng.integers(1, 500, m)
msg = rng.integers(0, 400, m)
p = np.where((source == 0) & (size > 50), 0.8,
             np.where((source == 1) & (phone == 1), 0.6, 0.08))
converted = (rng.random(m) < p).astype(int)
np.savetxt(f"{out}/leads.csv", np.column_stack([onehot, phone, size, msg, converted]),
           fmt="%d", delimiter=",",
           header="source_web_form,source_referral,source_trade_show,source_cold_call,"
                  "has_phone,company_size,message_length,converted", comments="")
