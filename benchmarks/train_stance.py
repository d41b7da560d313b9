"""Train the stance model the audit reads documents with (`search/claims/stance_model.json`).

    python -m benchmarks.train_stance [--data ../shared/benchmarks] [--out FILE] [--check]

What it learns from (nothing here is written by hand against the seeds):

* FNC-1's training set (`fnc1-train/raw/`): news articles on viral rumours,
  each paired with headlines and labelled `agree` or `disagree` (all four
  labels for the relatedness cuts).  Pairs are grouped into rumours
  (headlines and articles linked by a related pair).  Every rumour of the
  audit sample (`fnc1-train/sample/`, its articles' body ids and headlines)
  and every article `prepare.py` holds out of the sample are left out of
  everything here, word rarities included, so that they stay unseen.  The
  rest is split by rumour into five folds for the figures reported here
  ("own split").
* SciFact claims `train` (`scifact-claims/`): a claim, an abstract and the
  experts' SUPPORT / CONTRADICT.  SciFact `dev` is only ever reported.

A text is read as `search.claims.stance.document_features` reads it, the label
is whether it affirms the headline's or claim's positive form (flipped for a
headline worded as a denial: agreeing with "X is a hoax" denies X), and a
logistic regression is fitted: class-balanced, L2-regularised as
scikit-learn's (`C`), its cue weights held to their signs (a refuting word
never counts for the claim, a confirmation never against it), deterministic.
The background word rarities (`idf`) come from the article bodies and the
SciFact abstracts, labels unused.  scikit-learn and SciPy are needed here only
(`pip install ".[bench]"`); reading the model needs nothing but the standard
library.

`--check` retrains and fails if the result differs from the shipped file.
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import json
import math
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from indexer import sentence_spans
from search.claims import stance

SEED = 20261205
FOLDS = 5
C = 0.1
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
#: The share of related pairs the absolute relatedness cut keeps ...
KEEP_RELATED = 0.99
#: ... and of a rumour's own articles the relative cut keeps, in a folder of many stories.
KEEP_RELATED_POOLED = 0.99
KEEP_RELATED_COMPARED = 0.95
#: ... and of the pairs of a rumour's own articles the same-story cut keeps.
KEEP_SAME_STORY = 0.98
#: Pairs of articles of different rumours the same-story cut is measured on.
CROSS_PAIRS = 20_000
POOLED_HEADLINES = 600
#: Below this relatedness to a headline an article is far below any absolute cut.
FAR = 0.02
#: Stems in fewer documents than this get the default (rarest) weight; keeps the file small.
MIN_DF = 3


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


# --- data -----------------------------------------------------------------------


def fnc_pairs(data: Path) -> tuple[dict[str, str], list[dict], list[dict]]:
    """FNC-1 bodies, its agree/disagree pairs and all its pairs (`related`:
    anything but `unrelated`), each with its rumour id."""
    csv.field_size_limit(10**8)
    raw = data / "fnc1-train" / "raw"
    with open(raw / "train_bodies.csv", encoding="utf-8", newline="") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(raw / "train_stances.csv", encoding="utf-8", newline="") as f:
        every = list(csv.DictReader(f))
    for r in every:
        r["Headline"] = " ".join(r["Headline"].split())
    rows = [r for r in every if r["Stance"] != "unrelated"]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        parent[find("H:" + r["Headline"])] = find("B:" + r["Body ID"])
    pairs = [
        {
            "topic": r["Headline"],
            "body": r["Body ID"],
            "agree": r["Stance"] == "agree",
            "rumour": find("H:" + r["Headline"]),
        }
        for r in rows
        if r["Stance"] in ("agree", "disagree")
    ]
    everything = [
        {
            "topic": r["Headline"],
            "body": r["Body ID"],
            "related": r["Stance"] != "unrelated",
            "rumour": find("H:" + r["Headline"]),
        }
        for r in every
    ]
    return bodies, pairs, everything


def held_out_bodies(data: Path) -> set[str]:
    """The articles FNC-1's sample preparation leaves out of the sample
    (`HELD_OUT_BODIES` in `fnc1-train/prepare.py`): kept out of training too,
    so that nothing measured on them later has been learned from."""
    source = (data / "fnc1-train" / "prepare.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "HELD_OUT_BODIES" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def sample_rumours(data: Path, pairs: list[dict]) -> set[str]:
    """The rumours of the audit sample: any holding one of its articles or headlines."""
    labels = json.loads(
        (data / "fnc1-train" / "sample" / "labels.json").read_text(encoding="utf-8")
    )
    bodies = {str(b) for q in labels.values() for b in q["fnc1_body_id"].values()}
    heads = {q["question"] for q in labels.values()} | {
        h for q in labels.values() for h in q["other_headlines"]
    }
    return {p["rumour"] for p in pairs if p["body"] in bodies or p["topic"] in heads}


def scifact(data: Path, split: str) -> list[dict]:
    corpus = {}
    with open(data / "scifact-claims" / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc
    out = []
    with open(data / "scifact-claims" / f"claims_{split}.jsonl", encoding="utf-8") as f:
        for line in f:
            claim = json.loads(line)
            for doc_id, sets in (claim.get("evidence") or {}).items():
                out.append(
                    {
                        "topic": claim["claim"],
                        "sentences": corpus[int(doc_id)]["abstract"],
                        "agree": sets[0]["label"] == "SUPPORT",
                        "rumour": f"scifact-{claim['id']}",
                    }
                )
    return out, corpus


def background_idf(texts) -> tuple[dict[str, float], float]:
    """Inverse document frequency of each stem over `texts` (BM25's, always positive)."""
    df: Counter = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update({stance.stem(stance._norm(m.group())) for m in stance.WORD.finditer(text)})

    def idf(k: int) -> float:
        return round(math.log(1 + (n - k + 0.5) / (k + 0.5)), 3)

    return {s: idf(k) for s, k in sorted(df.items()) if k >= MIN_DF}, idf(0)


# --- features -------------------------------------------------------------------


def features(model: stance.StanceModel, item: dict, texts: list[str]) -> dict[str, float]:
    topic = model.topic(item["topic"])
    readings = stance.read_texts(topic, texts)
    return stance.document_features(topic, readings, stance.cosine(topic, texts, model.idf))


def label(model: stance.StanceModel, item: dict) -> bool:
    """Whether the text affirms the topic's positive form."""
    return item["agree"] != model.topic(item["topic"]).negated


def sign(name: str) -> int:
    """The sign a feature's weight is held to: a refuting or denying cue can
    never make a text read as more affirming, a confirmation or a direction
    the topic shares never as less, nor a negation that does not reach the
    topic's words ("Drugx is not an opioid, but it is addictive") (-1, +1);
    0 leaves it free."""
    family = name.split(":")[-1].removesuffix("_near")
    if family in stance.AGAINST:
        return -1
    if family in ("confirm", "same_direction", "other_negation"):
        return 1
    return 0


def fit(rows, labels):
    """A class-balanced, L2-regularised logistic regression (scikit-learn's
    objective, `C` as there), its cue weights held to their signs (`sign`)."""
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    vectors = DictVectorizer(sort=True, sparse=False)
    x = vectors.fit_transform(rows)
    y = np.where(np.asarray(labels), 1.0, -1.0)
    share = {v: (y == v).mean() for v in (1.0, -1.0)}
    w = np.array([0.5 / share[v] for v in y])  # "balanced": n / (2 n_class)
    xb = np.hstack([x, np.ones((len(x), 1))])

    def loss(beta):
        z = y * (xb @ beta)
        data = np.sum(w * np.logaddexp(0.0, -z))
        grad = -(xb.T @ (w * y * (1 / (1 + np.exp(z)))))
        reg = 0.5 * beta[:-1] @ beta[:-1]
        return C * data + reg, C * grad + np.append(beta[:-1], 0.0)

    bounds = [
        {-1: (None, 0.0), 1: (0.0, None), 0: (None, None)}[sign(name)]
        for name in vectors.feature_names_
    ] + [(None, None)]
    result = minimize(
        loss,
        np.zeros(xb.shape[1]),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 10_000},
    )
    beta = result.x
    weights = {name: float(b) for name, b in zip(vectors.feature_names_, beta[:-1], strict=True)}
    return weights, float(beta[-1])


def scores(truth: list[bool], predicted: list[bool]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "n": len(truth),
        "accuracy": round(accuracy_score(truth, predicted), 3),
        "macro_f1": round(f1_score(truth, predicted, average="macro"), 3),
    }


def with_weights(model: stance.StanceModel, weights: dict, bias: float) -> stance.StanceModel:
    return stance.StanceModel(
        weights, bias, model.idf_table, model.default_idf, model.neutral_margin
    )


def train(data: Path, log=print) -> dict:
    bodies, pairs, everything = fnc_pairs(data)
    left_out = sample_rumours(data, pairs)
    held = held_out_bodies(data)
    unseen = held | {p["body"] for p in everything if p["related"] and p["rumour"] in left_out}
    kept = [p for p in pairs if p["body"] not in unseen]
    sci_train, corpus = scifact(data, "train")
    sci_dev, _ = scifact(data, "dev")
    log(
        f"FNC-1: {len(pairs)} agree/disagree pairs; {len(kept)} kept outside the sample's "
        f"{len(left_out)} rumours and {len(held)} held-out articles; "
        f"SciFact: {len(sci_train)} train, {len(sci_dev)} dev pairs"
    )
    idf, default_idf = background_idf(
        [
            *(text for b, text in bodies.items() if b not in unseen),
            *(" ".join([d["title"], *d["abstract"]]) for d in corpus.values()),
        ]
    )
    model = stance.StanceModel({}, 0.0, idf, default_idf)
    split = {b: sentences(t) for b, t in bodies.items()}
    texts = [split[p["body"]] for p in kept] + [d["sentences"] for d in sci_train]
    items = kept + sci_train
    rows = [features(model, item, t) for item, t in zip(items, texts, strict=True)]
    labels = [label(model, item) for item in items]

    # Own split: five folds by rumour; figures on the FNC-1 pairs held out.
    rumours = sorted({p["rumour"] for p in kept})
    random.Random(SEED).shuffle(rumours)
    fold = {r: i % FOLDS for i, r in enumerate(rumours)}
    truth, predicted = [], []
    for k in range(FOLDS):
        train_at = [i for i, it in enumerate(items) if fold.get(it["rumour"], -1) != k]
        test_at = [i for i, it in enumerate(items) if fold.get(it["rumour"], -1) == k]
        w, b = fit([rows[i] for i in train_at], [labels[i] for i in train_at])
        m = with_weights(model, w, b)
        for i in test_at:
            truth.append(items[i]["agree"])
            p = m.probability(rows[i])
            p = 1 - p if m.topic(items[i]["topic"]).negated else p
            predicted.append(p >= 0.5)
    weights, bias = fit(rows, labels)
    model = with_weights(model, weights, bias)
    dev_truth = [d["agree"] for d in sci_dev]
    dev_pred = [
        model.position(
            model.topic(d["topic"]),
            stance.read_texts(model.topic(d["topic"]), d["sentences"]),
            d["sentences"],
        )
        >= 0.5
        for d in sci_dev
    ]
    metrics = {
        "fnc1_own_split_5fold": scores(truth, predicted),
        "scifact_dev": scores(dev_truth, dev_pred),
    }
    min_relatedness, min_relative, min_compared, metrics["relatedness"] = relatedness_cuts(
        model,
        bodies,
        [p for p in everything if p["body"] not in unseen and p["rumour"] not in left_out],
        sci_train,
        sci_dev,
        fold,
    )
    min_same_story, metrics["same_story"] = same_story_cut(
        model,
        bodies,
        [p for p in everything if p["body"] not in unseen and p["rumour"] not in left_out],
        fold,
    )
    model = dataclasses.replace(
        model,
        min_relatedness=min_relatedness,
        min_relative=min_relative,
        min_relative_compared=min_compared,
        min_same_story=min_same_story,
    )
    sample = data / "fnc1-train" / "sample"
    if sample.exists():
        metrics["fnc1_sample_whole_documents"] = sample_scores(model, sample)
    log(json.dumps(metrics))
    return {
        "about": {
            "what": "logistic regression over search.claims.stance.document_features",
            "trained_on": {
                "fnc1_pairs": len(kept),
                "fnc1_rumours": len(rumours),
                "scifact_train_pairs": len(sci_train),
                "left_out": "every rumour of fnc1-train/sample (its articles and headlines) "
                "and the articles prepare.py holds out of the sample",
            },
            "seed": SEED,
            "C": C,
            "made": date.today().isoformat(),
            "metrics": metrics,
            "script": "python -m benchmarks.train_stance",
        },
        "bias": round(bias, 6),
        "weights": {k: round(v, 6) for k, v in sorted(weights.items())},
        "neutral_margin": model.neutral_margin,
        "min_relatedness": min_relatedness,
        "min_relative": min_relative,
        "min_relative_compared": min_compared,
        "min_same_story": min_same_story,
        "default_idf": default_idf,
        "idf": idf,
    }


def relatedness_cuts(
    model, bodies, fnc, sci_train, sci_dev, fold
) -> tuple[float, float, float, dict]:
    """How near a source must come to a topic to be about it
    (`StanceModel.related`), learned from FNC-1's rumours outside the
    sample:

    * `min_relatedness`: the level that keeps `KEEP_RELATED` of the related
      pairs (FNC-1 agree, disagree and discuss; SciFact train);
    * `min_relative`: in a folder of many stories (`POOLED_HEADLINES`
      headlines, each against every training article), the share of the
      nearest article's relatedness to the headline's story
      (`StanceModel.story`) that keeps `KEEP_RELATED_POOLED` of the articles
      of the headline's own rumour;
    * `min_relative_compared`: the same share keeping `KEEP_RELATED_COMPARED`
      of them, for a source to be set against others in a conflict or an
      agreement (a source listed as taking a side on a near story misleads
      less than one shown to disagree with the story's own sources).

    Held out: five folds by rumour (the cuts from four, counted on the
    fifth), and SciFact dev's claims with their cited abstracts."""
    vectors = {
        b: [stance.vector([w], model.idf) for w in stance.windows(text)]
        for b, text in bodies.items()
    }
    topics: dict[str, stance.Topic] = {}

    def topic_of(text: str) -> stance.Topic:
        return topics.get(text) or topics.setdefault(text, model.topic(text))

    def near(topic: str, windows) -> float:
        return model.nearest_passage(topic_of(topic), windows)

    def abstract(d) -> list:
        return [stance.vector([w], model.idf) for w in stance.windows(" ".join(d["sentences"]))]

    pairs = [(near(p["topic"], vectors[p["body"]]), p["related"], p["rumour"]) for p in fnc]
    sci = [(near(d["topic"], abstract(d)), True, None) for d in sci_train]

    # The pooled folder: sampled headlines against every article of the training rumours.
    rumour_of = {p["body"]: p["rumour"] for p in fnc if p["related"]}
    articles = sorted(rumour_of)
    headlines = sorted({(p["topic"], p["rumour"]) for p in fnc if p["related"]})
    random.Random(SEED).shuffle(headlines)
    # Each article is measured against the headline's story as the audit
    # measures it (`StanceModel.story`); one far from the headline itself is
    # set aside by the absolute cut whatever its story score, so it is not
    # measured.
    pooled = []  # (relatedness, share of the nearest to the story, same rumour, rumour)
    for topic, rumour in headlines[:POOLED_HEADLINES]:
        scores = {b: near(topic, vectors[b]) for b in articles}
        nearest = sorted(articles, key=lambda b: (-scores[b], b))
        story = model.story(
            topic_of(topic),
            [
                (scores[b], stance.vector([bodies[b]], model.idf))
                for b in nearest[: stance.FEEDBACK_SOURCES]
            ],
        )
        on_story = {
            b: model.nearest_passage(story, vectors[b]) for b in articles if scores[b] >= FAR
        }
        top = max(on_story.values(), default=0.0) or 1.0
        pooled += [
            (scores[b], on_story.get(b, 0.0) / top, rumour_of[b] == rumour, rumour)
            for b in articles
        ]

    def cuts(k: int | None) -> tuple[float, float, float]:
        related = sorted(x for x, is_related, r in pairs + sci if is_related and fold.get(r) != k)
        absolute = related[int(len(related) * (1 - KEEP_RELATED))]
        shares = sorted(
            share for x, share, same, r in pooled if same and x >= absolute and fold.get(r) != k
        )
        relative = shares[int(len(shares) * (1 - KEEP_RELATED_POOLED))]
        compared = shares[int(len(shares) * (1 - KEEP_RELATED_COMPARED))]
        return round(absolute, 4), round(relative, 4), round(compared, 4)

    counts = Counter()
    for k in range(FOLDS):
        absolute, relative, compared = cuts(k)
        for x, is_related, r in pairs:
            if fold.get(r, -1) == k:
                counts["related" if is_related else "unrelated"] += 1
                counts["related kept"] += is_related and x >= absolute
                counts["unrelated set aside"] += not is_related and x < absolute
        for x, share, same, r in pooled:
            if fold.get(r, -1) == k:
                passed = x >= absolute and share >= relative
                counts["pooled related" if same else "pooled unrelated"] += 1
                counts["pooled related kept" if same else "pooled unrelated passed"] += passed
                counts["compared related" if same else "compared unrelated"] += (
                    passed and share >= compared
                )
    absolute, relative, compared = cuts(None)
    dev = [near(d["topic"], abstract(d)) for d in sci_dev]
    figures = {
        "min_relatedness": absolute,
        "min_relative": relative,
        "min_relative_compared": compared,
        "own_split_related_kept": round(counts["related kept"] / counts["related"], 3),
        "own_split_unrelated_set_aside": round(
            counts["unrelated set aside"] / counts["unrelated"], 3
        ),
        "own_split_pooled_related_kept": round(
            counts["pooled related kept"] / counts["pooled related"], 3
        ),
        "own_split_pooled_unrelated_passed": round(
            counts["pooled unrelated passed"] / counts["pooled unrelated"], 4
        ),
        "own_split_pooled_related_compared": round(
            counts["compared related"] / counts["pooled related"], 3
        ),
        "own_split_pooled_unrelated_compared": round(
            counts["compared unrelated"] / counts["pooled unrelated"], 4
        ),
        "scifact_dev_kept": round(sum(x >= absolute for x in dev) / len(dev), 3),
    }
    return absolute, relative, compared, figures


def sample_scores(model: stance.StanceModel, sample: Path) -> dict:
    """Each sample article read whole (no retrieval), against its label."""
    labels = json.loads((sample / "labels.json").read_text(encoding="utf-8"))
    truth, predicted = [], []
    for qid, q in labels.items():
        topic = model.topic(q["question"])
        for name, side in q["docs"].items():
            texts = sentences((sample / "corpus" / qid / name).read_text(encoding="utf-8"))
            truth.append(side == "yes")
            predicted.append(
                model.position(topic, stance.read_texts(topic, texts), texts) >= 0.5
            )
    return scores(truth, predicted)


def same_story_cut(model, bodies, fnc, fold) -> tuple[float, dict]:
    """How near two sources' whole texts must come (`StanceModel.min_same_story`)
    to be set against each other in a conflict: the TF-IDF cosine that keeps
    `KEEP_SAME_STORY` of the pairs of articles of one FNC-1 training rumour.
    Held out: five folds by rumour (the cut from four, counted on the
    fifth's pairs and on pairs of articles of different rumours)."""
    rumour_of = {p["body"]: p["rumour"] for p in fnc if p["related"]}
    vectors = {b: stance.vector([bodies[b]], model.idf) for b in rumour_of}
    by_rumour: dict = {}
    for body in sorted(rumour_of):
        by_rumour.setdefault(rumour_of[body], []).append(body)
    same = [
        (stance.cosine_between(vectors[a], vectors[b]), rumour)
        for rumour, articles in by_rumour.items()
        for i, a in enumerate(articles)
        for b in articles[i + 1 :]
    ]
    articles = sorted(rumour_of)
    rng = random.Random(SEED)
    cross = []
    while len(cross) < CROSS_PAIRS:
        a, b = rng.sample(articles, 2)
        if rumour_of[a] != rumour_of[b]:
            cross.append((stance.cosine_between(vectors[a], vectors[b]), rumour_of[a]))

    def cut(k: int | None) -> float:
        kept = sorted(x for x, r in same if fold.get(r) != k)
        return round(kept[int(len(kept) * (1 - KEEP_SAME_STORY))], 4)

    counts = Counter()
    for k in range(FOLDS):
        at = cut(k)
        for x, r in same:
            if fold.get(r, -1) == k:
                counts["same"] += 1
                counts["same kept"] += x >= at
        for x, r in cross:
            if fold.get(r, -1) == k:
                counts["cross"] += 1
                counts["cross passing"] += x >= at
    at = cut(None)
    return at, {
        "min_same_story": at,
        "own_split_same_rumour_pairs_kept": round(counts["same kept"] / counts["same"], 3),
        "own_split_other_rumour_pairs_passing": round(counts["cross passing"] / counts["cross"], 4),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=stance.MODEL_FILE)
    ap.add_argument(
        "--check",
        action="store_true",
        help="fail if retraining changes the shipped weights or cuts",
    )
    args = ap.parse_args(argv)
    result = train(args.data, log=lambda s: print(s, file=sys.stderr))
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    if args.check:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        names = set(old["weights"]) | set(result["weights"])
        drift = max(abs(old["weights"].get(k, 0) - result["weights"].get(k, 0)) for k in names)
        cuts = (
            "bias",
            "min_relatedness",
            "min_relative",
            "min_relative_compared",
            "min_same_story",
        )
        same = drift < 1e-3 and all(abs(old.get(k, 0) - result[k]) < 1e-3 for k in cuts)
        print(
            "same weights as shipped" if same else "weights differ from the shipped file",
            file=sys.stderr,
        )
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
