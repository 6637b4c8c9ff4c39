"""The slogan filter as a fine-tuned char-BERT beside the logistic regression, out of fold on train.

usage: python benchmarks/bench_quote_models.py [--epochs 6] [--threads 2]
       python benchmarks/bench_quote_models.py --learning-curve

Both read the train quotations of guide slogans-v2 (``nlp_service.training.quotes.labelled``) and
are cross-validated with the same five folds grouped by document; a quotation a hard rule rules
out never reaches either model and counts as "not a slogan" (as in service). The char-BERT is
``models/charbert-gov-mlm`` fine-tuned as a binary classifier (slogan or not; class-weighted
cross-entropy, AdamW 2e-4, batch 16, a fixed number of epochs, seed 0) on
``[CLS] quotation [SEP] 6 characters before｜8 after｜the rules' verdict and the article's count of
the quotation [SEP]``; the regression is the one ``nlp-service train quotes`` fits (C = 3). Prints
the precision each reaches at recall 0.85, 0.90, 0.93 and 0.95, and that of the mean of both.
About four minutes on two cores. Nothing is saved: this measures whether a char-BERT filter is
worth building.

``--learning-curve``: the regression alone, cross-validated on a half, three quarters and all of
the train documents (two random draws each, seed 0): would more labels of the same kind help?
"""

from __future__ import annotations

import argparse
import random
import time
import warnings

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--learning-curve", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    if args.learning_curve:
        return learning_curve()

    import torch
    from sklearn.model_selection import GroupKFold
    from transformers import BertForSequenceClassification
    from transformers.utils import logging

    from nlp_service.models.artifacts import MODELS_DIR
    from nlp_service.models.charbert import CharVocab
    from nlp_service.models.quotes import SEP, hard_rule, quote_features
    from nlp_service.training import quotes

    logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    pretrained = MODELS_DIR / "charbert-gov-mlm"
    docs, labels, groups, _ = quotes.labelled("train")
    y = np.array([label != "not" for label in labels], dtype=int)
    hard = np.array([hard_rule(d) is not None for d in docs])
    vocab = CharVocab.load(pretrained / "vocab.txt")

    def pair(doc: str) -> tuple[str, str]:
        before, inner, after, occurrences = doc.split(SEP)
        kind = next((f.split("=", 1)[1] for f in quote_features(doc) if f.startswith("rulekind=")), "None")
        return inner, f"{before}｜{after}｜{'否' if kind == 'None' else '是'}{occurrences}"

    pairs = [pair(d) for d in docs]

    def encode(idx: list[int]):
        seqs = [vocab.encode_pair(*pairs[i], 96) for i in idx]
        ids = torch.zeros((len(seqs), max(map(len, seqs))), dtype=torch.long)
        for k, s in enumerate(seqs):
            ids[k, : len(s)] = torch.tensor(s)
        return ids, (ids != 0).long()

    print(f"{len(docs)} train quotations, {int(y.sum())} slogans, {int(hard.sum())} ruled out by a hard rule")
    bert = np.zeros(len(docs))
    start = time.time()
    for fold, (train, test) in enumerate(GroupKFold(n_splits=5).split(docs, labels, groups)):
        torch.manual_seed(0)
        rng = random.Random(0)
        train = [int(i) for i in train if not hard[i]]
        model = BertForSequenceClassification.from_pretrained(pretrained, num_labels=2, use_safetensors=True)
        share = y[train].mean()
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.5 / (1 - share), 0.5 / share], dtype=torch.float))
        opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=0.01)
        batch, total = 16, args.epochs * (len(train) // 16)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s, total=total: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / total))
        model.train()
        for _ in range(args.epochs):
            rng.shuffle(train)
            for k in range(0, len(train) - batch + 1, batch):
                idx = train[k:k + batch]
                ids, att = encode(idx)
                loss_fn(model(input_ids=ids, attention_mask=att).logits, torch.tensor(y[idx])).backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad()
        model.eval()
        test = [int(i) for i in test]
        with torch.inference_mode():
            for k in range(0, len(test), 64):
                idx = test[k:k + 64]
                ids, att = encode(idx)
                bert[idx] = torch.softmax(model(input_ids=ids, attention_mask=att).logits, -1)[:, 1].numpy()
        bert[[i for i in test if hard[i]]] = 0.0
        print(f"  fold {fold}: {time.time() - start:.0f} s", flush=True)
    regression = np.array(quotes.cross_validate(docs, labels, groups, 3.0, 5))
    print("\n| recall at least | char-BERT P / R | logistic regression P / R | mean of both P / R |")
    print("|---|---|---|---|")
    for recall in (0.85, 0.90, 0.93, 0.95):
        cells = []
        for scores in (bert, regression, (bert + regression) / 2):
            _, p, r = quotes.best_threshold(list(scores), labels, recall)
            cells.append(f"{p:.3f} / {r:.3f}")
        print(f"| {recall} | " + " | ".join(cells) + " |")
    return 0


def learning_curve() -> int:
    """Out-of-fold precision at recall 0.95 of the regression on shares of the train documents."""
    from nlp_service.training import quotes

    docs, labels, groups, _ = quotes.labelled("train")
    names = sorted(set(groups))
    rng = random.Random(0)
    print("| share of train documents | quotations | P at R 0.95 (two draws) |\n|---|---|---|")
    for share in (0.5, 0.75, 1.0):
        got, n = [], 0
        for _ in range(2):
            rng.shuffle(names)
            keep = set(names[: int(len(names) * share)])
            idx = [i for i, g in enumerate(groups) if g in keep]
            sub = [labels[i] for i in idx]
            scores = quotes.cross_validate([docs[i] for i in idx], sub, [groups[i] for i in idx], 3.0, 5)
            got.append(quotes.best_threshold(scores, sub, 0.95)[1])
            n = len(idx)
        print(f"| {share} | {n} | " + ", ".join(f"{p:.3f}" for p in got) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
