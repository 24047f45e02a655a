"""Synthetic labelled support text for the sentiment reference check, in
English and in Chinese: each text mixes a few words of its class's
vocabulary with words every class uses, and one text in eight takes a
word of another class, so the classes overlap and the accuracy is not
trivially 100%. Some texts mix both languages, with punctuation and case.
Writes sentiment_train.tsv and sentiment_test.tsv ("label<TAB>text")."""
import random
import sys

out = sys.argv[1]
rng = random.Random(8)
EN = {
    "negative": ["broken", "still", "waiting", "terrible", "refund", "angry", "disappointed", "worst",
                 "useless", "crashes", "again", "unacceptable", "slow", "failed", "never", "didn't"],
    "neutral": ["please", "invoice", "address", "update", "question", "attached", "order", "number",
                "when", "details", "change", "account", "schedule", "form", "copy", "monday"],
    "positive": ["thanks", "great", "solved", "quickly", "perfect", "excellent", "helpful", "happy",
                 "works", "love", "appreciate", "fast", "friendly", "resolved", "amazing", "wonderful"],
}
ZH = {
    "negative": ["非常失望", "还是坏的", "太慢了", "退款", "投诉", "没有解决", "很生气", "糟糕", "又出问题", "不满意"],
    "neutral": ["请问", "发票", "地址", "订单号", "附件", "修改", "什么时候", "账户", "收到", "资料"],
    "positive": ["谢谢", "很快解决", "非常满意", "太好了", "感谢", "好评", "专业", "耐心", "已经解决", "很棒"],
}
COMMON_EN = ["the", "my", "is", "it", "we", "you", "ticket", "support", "team", "today", "I'm", "this"]
COMMON_ZH = ["我们", "你们", "这个", "今天", "客服", "问题", "的", "了"]
LABELS = list(EN)


def text(label):
    zh = rng.random() < 0.45
    voc, common = (ZH, COMMON_ZH) if zh else (EN, COMMON_EN)
    words = rng.sample(voc[label], rng.randint(1, 3)) + rng.sample(common, rng.randint(1, 4))
    if rng.random() < 0.125:
        words.append(rng.choice(voc[rng.choice([x for x in LABELS if x != label])]))
    if rng.random() < 0.1:
        words.append(rng.choice(EN[label] if zh else ZH[label]))
    rng.shuffle(words)
    if zh:
        return rng.choice(["", "，", " "]).join(words) + rng.choice(["。", "！", ""])
    s = " ".join(words)
    return (s[0].upper() + s[1:] if rng.random() < 0.5 else s) + rng.choice([".", "!", "...", ""])


for name, n in (("train", 900), ("test", 600)):
    with open(f"{out}/sentiment_{name}.tsv", "w", encoding="utf-8") as f:
        for i in range(n):
            label = LABELS[i % 3]
            f.write(f"{label}\t{text(label)}\n")
