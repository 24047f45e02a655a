"""The Python side of the sentiment check: scikit-learn's
MultinomialNB(alpha=1.0) on a CountVectorizer whose analyzer tokenises as
lib/analytics/tokens.h says (ASCII words lowercased; CJK characters and
their adjacent pairs), trained and tested on the texts sentiment_gen.py
made, against what sentiment_ref wrote. One "ok - sentiment: ..." or
"FAIL - sentiment: ..." line per check."""
import re
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB

out = sys.argv[1]
RUN = re.compile(r"[A-Za-z0-9']+|[\u4e00-\u9fff\u3400-\u4dbf]+")


def analyze(text):
    tokens = []
    for m in RUN.finditer(text):
        s = m.group()
        if s[0] in "'0123456789" or s[0].isascii():
            tokens.append(s.lower())
        else:
            tokens.extend(s)
            tokens.extend(s[i:i + 2] for i in range(len(s) - 1))
    return tokens


def say(ok, what):
    print(f"{'ok' if ok else 'FAIL'} - sentiment: {what}")


def read(name):
    rows = [line.rstrip("\n").split("\t", 1) for line in open(f"{out}/sentiment_{name}.tsv", encoding="utf-8")]
    return [r[1] for r in rows], np.array([r[0] for r in rows])


say(analyze("Didn't work, 48h! 非常失望。OK") == ["didn't", "work", "48h", "非", "常", "失", "望", "非常", "常失", "失望", "ok"],
    "the reference analyzer tokenises as tokens.h documents")
xtr, ytr = read("train")
xte, yte = read("test")
vec = CountVectorizer(analyzer=analyze)
nb = MultinomialNB(alpha=1.0).fit(vec.fit_transform(xtr), ytr)
want = nb.predict(vec.transform(xte))
proba = nb.predict_proba(vec.transform(xte))
lines = open(f"{out}/sentiment_ours.txt", encoding="utf-8").read().split("\n")
vocab = [int(x.split()[1]) for x in lines if x.startswith("vocabulary ")]
rows = [x.split() for x in lines if x and not x.startswith("vocabulary ")]
ours = np.array([r[0] for r in rows])
ours_p = np.array([[float(v) for v in r[1:]] for r in rows])
say(vocab == [len(vec.vocabulary_)], f"vocabulary of {vocab} tokens, CountVectorizer's {len(vec.vocabulary_)}")
ok = len(ours) == len(want)
acc_ours = float((ours == yte).mean()) if ok else 0.0
acc_ref = float((want == yte).mean())
say(ok and abs(acc_ours - acc_ref) <= 0.01,
    f"test accuracy {100 * acc_ours:.1f}% within 1 point of MultinomialNB's {100 * acc_ref:.1f}%")
same = int((ours == want).sum()) if ok else 0
say(same == len(want), f"the same predicted class as MultinomialNB for {same} of {len(want)} test texts")
d = float(np.max(np.abs(ours_p - proba))) if ok else 1.0
say(d < 1e-9, f"class probabilities match predict_proba (largest difference {d:.1e})")
for lang, pat in (("English", re.compile(r"^[^\u4e00-\u9fff]*$")), ("Chinese", re.compile(r"[\u4e00-\u9fff]"))):
    idx = np.array([bool(pat.search(t)) for t in xte])
    a = float((ours[idx] == yte[idx]).mean()) if ok and idx.any() else 0.0
    say(a > 0.8, f"{lang}: {int(idx.sum())} test texts, accuracy {100 * a:.1f}% (well above chance)")
