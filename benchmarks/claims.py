"""SciFact claims: does the audit logic tell SUPPORT from CONTRADICT?

For each labelled (claim, abstract) pair of the allenai SciFact data, the
abstract's sentences go to `search.claims.verify.verify`, and its label is compared
with the experts'.  Two settings: all the abstract's sentences (the honest
one), and the gold rationale sentences only (an oracle that removes the
sentence-selection problem).  Beside it, the majority-class baseline
(always SUPPORT).  Pairs without evidence (NOT ENOUGH INFO) are not scored:
the task is stance, given evidence.

    python -m benchmarks.claims [--data DIR] [--split dev|train|both] [--json FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from search.claims.verify import CONTRADICT, SUPPORT, verify

from . import metrics

LABELS = (SUPPORT, CONTRADICT)
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "scifact-claims"


@dataclass(frozen=True)
class Pair:
    claim_id: int
    claim: str
    doc_id: int
    label: str
    sentences: tuple[str, ...]
    rationale: tuple[int, ...]


def load_pairs(data: Path, split: str, limit: int | None = None) -> list[Pair]:
    """The labelled (claim, abstract) pairs of `split`, in file order."""
    corpus = {}
    with open(data / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc
    pairs = []
    with open(data / f"claims_{split}.jsonl", encoding="utf-8") as f:
        for line in f:
            claim = json.loads(line)
            for doc_id, sets in (claim.get("evidence") or {}).items():
                labels = {s["label"] for s in sets}
                if len(labels) != 1:
                    raise ValueError(f"claim {claim['id']}, doc {doc_id}: mixed labels {labels}")
                rationale = tuple(sorted({i for s in sets for i in s["sentences"]}))
                doc = corpus[int(doc_id)]
                pairs.append(
                    Pair(claim["id"], claim["claim"], int(doc_id), labels.pop(), tuple(doc["abstract"]), rationale)
                )
                if limit is not None and len(pairs) >= limit:
                    return pairs
    return pairs


def scores(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1 and per-class precision / recall / F1 over LABELS."""
    return {
        **metrics.classification(gold, predicted, LABELS),
        "predicted": dict(Counter(predicted)),
    }


def run(pairs: list[Pair]) -> dict:
    """Scores of the audit reading (the whole abstract given, oracle rationales) and the baseline."""
    gold = [p.label for p in pairs]
    started = time.perf_counter()
    full = [verify(p.claim, list(p.sentences)) for p in pairs]
    elapsed = time.perf_counter() - started
    oracle = [verify(p.claim, [p.sentences[i] for i in p.rationale]) for p in pairs]
    majority = Counter(gold).most_common(1)[0][0] if gold else SUPPORT
    return {
        "n": len(pairs),
        "gold": dict(Counter(gold)),
        "seconds_all_sentences": round(elapsed, 2),
        "systems": {
            "audit reading, whole abstract": scores(gold, [v.label for v in full]),
            "audit reading, oracle rationale sentences": scores(gold, [v.label for v in oracle]),
            f"majority class (always {majority})": scores(gold, [majority] * len(gold)),
        },
        "decided_by": dict(Counter(v.reason.split(":")[0] for v in full)),
        "examples": [
            {"claim": p.claim, "doc_id": p.doc_id, "gold": p.label, "predicted": v.label, "reason": v.reason,
             "evidence": p.sentences[v.evidence] if v.evidence is not None else None}
            for p, v in zip(pairs, full, strict=True)
        ],
    }


def _check_with_sklearn(pairs: list[Pair], result: dict) -> str:
    try:
        from sklearn.metrics import f1_score  # only if already installed; not a dependency
    except ImportError:
        return "sklearn not installed: macro-F1 not cross-checked"
    gold = [p.label for p in pairs]
    predicted = [verify(p.claim, list(p.sentences)).label for p in pairs]
    theirs = f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)
    ours = result["systems"]["audit reading, whole abstract"]["macro_f1"]
    return f"sklearn macro-F1 {theirs:.4f} vs ours {ours:.4f}: {'agree' if abs(theirs - ours) < 1e-9 else 'DIFFER'}"


def table(split: str, result: dict) -> str:
    gold = ", ".join(f"{k} {v}" for k, v in sorted(result["gold"].items(), reverse=True))
    lines = [
        f"SciFact claims, {split}: {result['n']} labelled (claim, abstract) pairs ({gold})",
        f"{'system':<42} {'acc':>6} {'macroF1':>8} {'S-P':>6} {'S-R':>6} {'S-F1':>6} {'C-P':>6} {'C-R':>6} {'C-F1':>6}",
    ]
    for name, s in result["systems"].items():
        su, co = s["per_class"][SUPPORT], s["per_class"][CONTRADICT]
        lines.append(
            f"{name:<42} {s['accuracy']:6.3f} {s['macro_f1']:8.3f} "
            f"{su['precision']:6.3f} {su['recall']:6.3f} {su['f1']:6.3f} "
            f"{co['precision']:6.3f} {co['recall']:6.3f} {co['f1']:6.3f}"
        )
    decided = ", ".join(f"{k} {v}" for k, v in sorted(result["decided_by"].items(), key=lambda kv: -kv[1]))
    lines.append(f"whole-abstract verdicts decided by: {decided}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with claims_*.jsonl and corpus.jsonl")
    parser.add_argument("--split", default="dev", choices=("dev", "train", "both"))
    parser.add_argument("--json", type=Path, help="write the figures (and every verdict) to this file")
    parser.add_argument("--limit", type=int, help="only the first N pairs of each split")
    args = parser.parse_args(argv)
    if not (args.data / "corpus.jsonl").exists():
        print(f"no SciFact claims data in {args.data} (use --data)", file=sys.stderr)
        return 2
    splits = ("dev", "train") if args.split == "both" else (args.split,)
    report = {"date": date.today().isoformat(), "data": str(args.data), "splits": {}}
    for split in splits:
        pairs = load_pairs(args.data, split, args.limit)
        result = run(pairs)
        report["splits"][split] = result
        print(table(split, result))
        print(_check_with_sklearn(pairs, result))
        print()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
