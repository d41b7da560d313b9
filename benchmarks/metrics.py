"""nDCG@k and Recall@k with trec_eval semantics.

`evaluate` uses pytrec_eval (the trec_eval C code) when it is installed and
this module's own implementation otherwise; `tests/test_benchmarks.py`
checks that the two agree.  Queries in the qrels that got no results count
as 0 (trec_eval's `-c`), so engines are compared over the same queries.
"""

from __future__ import annotations

import math


def _ranked(run: dict[str, float]) -> list[str]:
    # trec_eval orders by score descending, ties by doc id descending.
    return [d for d, _ in sorted(run.items(), key=lambda x: (x[1], x[0]), reverse=True)]


def ndcg_at(qrel: dict[str, int], run: dict[str, float], k: int) -> float:
    ranked = _ranked(run)[:k]
    dcg = sum(qrel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked) if qrel.get(d, 0) > 0)
    ideal = sorted((g for g in qrel.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(qrel: dict[str, int], run: dict[str, float], k: int) -> float:
    relevant = {d for d, g in qrel.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_ranked(run)[:k])) / len(relevant)


def own(qrels, runs, k_ndcg=10, k_recall=100) -> dict[str, float]:
    qids = list(qrels)
    return {
        f"ndcg@{k_ndcg}": sum(ndcg_at(qrels[q], runs.get(q, {}), k_ndcg) for q in qids) / len(qids),
        f"recall@{k_recall}": sum(recall_at(qrels[q], runs.get(q, {}), k_recall) for q in qids)
        / len(qids),
    }


def pytrec(qrels, runs, k_ndcg=10, k_recall=100) -> dict[str, float]:
    import pytrec_eval

    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {f"ndcg_cut.{k_ndcg}", f"recall.{k_recall}"})
    # pytrec_eval leaves out queries with no results; they score 0 here.
    per_query = evaluator.evaluate({q: r for q, r in runs.items() if r and q in qrels})
    n = len(qrels)
    return {
        f"ndcg@{k_ndcg}": sum(v[f"ndcg_cut_{k_ndcg}"] for v in per_query.values()) / n,
        f"recall@{k_recall}": sum(v[f"recall_{k_recall}"] for v in per_query.values()) / n,
    }


def evaluate(qrels, runs, k_ndcg=10, k_recall=100) -> tuple[dict[str, float], str]:
    """Returns the figures and the name of the implementation that computed them."""
    try:
        return pytrec(qrels, runs, k_ndcg, k_recall), "pytrec_eval"
    except ImportError:
        return own(qrels, runs, k_ndcg, k_recall), "groundsearch benchmarks.metrics"


def classification(truth: list, predicted: list, labels: tuple) -> dict:
    """Accuracy, macro-F1 and per-class precision / recall / F1 / support
    over `labels`; a prediction outside `labels` is a miss for the truth's
    class."""
    pairs = list(zip(truth, predicted, strict=True))
    per_class = {}
    for label in labels:
        tp = sum(t == p == label for t, p in pairs)
        fp = sum(p == label != t for t, p in pairs)
        fn = sum(t == label != p for t, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return {
        "n": len(pairs),
        "accuracy": sum(t == p for t, p in pairs) / len(pairs) if pairs else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels),
        "per_class": per_class,
    }
