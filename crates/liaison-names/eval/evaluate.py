#!/usr/bin/env python3
"""Precision, recall and F1 of the Liaison matcher and of a rapidfuzz Jaro-Winkler baseline on the
labelled pairs, in one run (see README.md). Run by scripts/bench-names.

usage: evaluate.py --dev dev.jsonl --test test.jsonl --dev-scores D --test-scores T [--default T0]

--dev-scores/--test-scores: the output of `liaison names compare --pairs FILE` on the two sets
(JSON lines {"a","b","score","same"}, in the same order as the pairs).

Each matcher's threshold is chosen the same way, on the development set only: the score that
maximises F1 there (ties: the lowest such score). The test set is then scored at that threshold.
The Liaison matcher is also reported at its built-in default threshold.
"""
import argparse, json, os, sys

from rapidfuzz import utils
from rapidfuzz.distance import JaroWinkler
import rapidfuzz


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(labels, scores, t):
    tp = sum(1 for y, s in zip(labels, scores) if y and s >= t)
    fp = sum(1 for y, s in zip(labels, scores) if not y and s >= t)
    fn = sum(1 for y, s in zip(labels, scores) if y and s < t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def best_threshold(labels, scores):
    best = None
    for t in sorted(set(scores)):
        f = prf(labels, scores, t)["f1"]
        if best is None or f > best[0]:
            best = (f, t)
    return best[1]


def ours(pairs, scored, what):
    if len(pairs) != len(scored):
        sys.exit(f"{what}: {len(pairs)} pairs but {len(scored)} scores")
    for i, (p, s) in enumerate(zip(pairs, scored), 1):
        if p["a"] != s["a"] or p["b"] != s["b"]:
            sys.exit(f"{what}: line {i}: scores are not for the same pair")
    return [s["score"] for s in scored]


def baseline(pairs):
    return [JaroWinkler.normalized_similarity(p["a"], p["b"], processor=utils.default_process) for p in pairs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--dev-scores", required=True)
    ap.add_argument("--test-scores", required=True)
    ap.add_argument("--default", type=float, default=None, help="the matcher's built-in threshold")
    a = ap.parse_args()
    dev, test = load(a.dev), load(a.test)
    dev_y, test_y = [p["same"] for p in dev], [p["same"] for p in test]
    rows = []
    for name, dev_s, test_s in [
        ("liaison", ours(dev, load(a.dev_scores), "dev"), ours(test, load(a.test_scores), "test")),
        ("rapidfuzz_jaro_winkler", baseline(dev), baseline(test)),
    ]:
        t = best_threshold(dev_y, dev_s)
        row = {"matcher": name, "threshold_from_dev": round(t, 4), "dev": prf(dev_y, dev_s, t),
               "test": prf(test_y, test_s, t)}
        if name == "liaison" and a.default is not None:
            row["test_at_default"] = {"threshold": a.default, **prf(test_y, test_s, a.default)}
        # Per kind of pair on the test set, at the dev threshold.
        for kind in sorted({p["kind"] for p in test}):
            idx = [i for i, p in enumerate(test) if p["kind"] == kind]
            row[f"test_{kind}"] = prf([test_y[i] for i in idx], [test_s[i] for i in idx], t)
        rows.append(row)
    summary = {
        "pairs": {"dev": len(dev), "dev_positive": sum(dev_y), "test": len(test), "test_positive": sum(test_y)},
        "rapidfuzz": rapidfuzz.__version__,
        "load1": round(os.getloadavg()[0], 2),
        "f1_ratio_test": round(rows[0]["test"]["f1"] / rows[1]["test"]["f1"], 3) if rows[1]["test"]["f1"] else None,
    }
    for r in rows:
        print(json.dumps(r))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
