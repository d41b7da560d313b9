"""How much of a long claim must a sentence repeat for `ask` to answer with it?

    python -m benchmarks.ask_coverage [--data ../shared/benchmarks/scifact-claims] [--json FILE]

`ask` quotes a sentence only if it holds a share of the question's words,
weighted by rarity (`search.claims.answer.min_coverage`).  A long claim is
paraphrased by the sources that answer it, rarely repeated, so it gets a
lower share.  This chooses that share on SciFact claims `train` and reports
it on `dev`:

* each claim with evidence is asked in a folder of its own cited abstracts
  (it should be answered) and in the folder of another claim whose
  abstracts come nearest to it (TF-IDF cosine, among 60 drawn at random,
  seeded: a near miss it should not be answered from);
* the best sentence's coverage among `ask`'s candidate passages is kept,
  for claims of `answer.LONG_QUESTION` content words or more;
* the share chosen is the one of 0.15, 0.20, ... 0.50 that does best on
  `train` by answered own folders minus `MISLEAD_COST` times answered near
  misses: a quote that does not answer misleads a reader who files it, while
  no quote only sends them to `search` (at cost 1, Youden's J, it is 0.25).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from indexer import IndexSettings, index_folder
from search import ask, open_index
from search.claims import answer, stance
from search.claims.words import content_stems

from .stance import DEFAULT_SCIFACT, scifact_folders

SEED = 20261206
DRAWN = 60
MISLEAD_COST = 2
SHARES = tuple(round(0.15 + 0.05 * i, 2) for i in range(8))


def best_coverage(ix, claim: str) -> float:
    """The highest coverage of `claim` by a sentence of `ask`'s candidate passages."""
    return answer.best_coverage(ix, claim, [h.passage for h in ask(ix, claim).hits])


def coverages(data: Path, split: str, tmp: Path) -> list[tuple[float, float]]:
    """(own folder, near miss) best coverages for each long claim of `split`."""
    folders = scifact_folders(data, tmp / split, split)
    labels = json.loads((folders / "labels.json").read_text(encoding="utf-8"))
    model = stance.default_model()
    texts = {
        q: " ".join(p.read_text(encoding="utf-8") for p in (folders / "corpus" / q).iterdir())
        for q in labels
    }
    rnd = random.Random(SEED)
    out = []
    for qid, question in labels.items():
        claim = question["question"]
        drawn = rnd.sample([o for o in labels if o != qid], DRAWN)
        if len(set(content_stems(claim))) < answer.LONG_QUESTION:
            continue
        topic = model.topic(claim)
        near = max(drawn, key=lambda o: stance.cosine(topic, [texts[o]], model.idf))
        pair = []
        for folder in (qid, near):
            ix_dir = tmp / f"{split}-ix" / folder
            if not ix_dir.exists():
                index_folder(folders / "corpus" / folder, ix_dir, settings=IndexSettings())
            with open_index(ix_dir) as ix:
                pair.append(best_coverage(ix, claim))
        out.append((pair[0], pair[1]))
    return out


def rates(pairs: list[tuple[float, float]], share: float) -> dict:
    n = len(pairs) or 1
    own = sum(a >= share for a, _ in pairs) / n
    near = sum(b >= share for _, b in pairs) / n
    return {"share": share, "own_answered": round(own, 3), "near_miss_answered": round(near, 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_SCIFACT)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        train = coverages(args.data, "train", Path(tmp))
        dev = coverages(args.data, "dev", Path(tmp))
    table = [rates(train, share) for share in SHARES]
    chosen = max(
        table,
        key=lambda r: (r["own_answered"] - MISLEAD_COST * r["near_miss_answered"], -r["share"]),
    )
    result = {
        "long_question": answer.LONG_QUESTION,
        "train_claims": len(train),
        "dev_claims": len(dev),
        "train": table,
        "chosen": chosen["share"],
        "shipped": answer.MIN_COVERAGE_LONG,
        "dev_at_chosen": rates(dev, chosen["share"]),
        "dev_at_short_share": rates(dev, answer.MIN_COVERAGE),
    }
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if chosen["share"] == answer.MIN_COVERAGE_LONG else 1


if __name__ == "__main__":
    sys.exit(main())
