"""Pseudo-relevance feedback (RM3-style) for the fast scorer: the words that
weigh most in a query's best passages join the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer import body_analyzer

from .selection import best_of

_ANALYZER = body_analyzer()


@dataclass(frozen=True, slots=True)
class Feedback:
    """Pseudo-relevance feedback (RM3-style): the query is re-run with the
    `terms` words that weigh most in its `docs` best passages added, the
    original words keeping `original` of the total weight."""

    docs: int = 5
    terms: int = 5
    original: float = 0.8
    max_words: int | None = None
    """Only queries of at most this many distinct words (stemmed, stop words
    left out) get feedback; None: every query."""
    weights: dict[str, float] | None = None
    """The query weights feedback gave, when decided elsewhere: a sharded
    index learns them from the best passages of every shard."""

    def applies(self, terms: list[str]) -> bool:
        """Whether a query of these (analysed) words gets feedback."""
        if self.docs <= 0 or self.original >= 1:
            return False
        return self.max_words is None or len(set(terms)) <= self.max_words


#: The feedback `Index.search(..., feedback=True)` uses (tuned on NFCorpus dev).
DEFAULT_FEEDBACK = Feedback()
#: `feedback="auto"`: the same, for keyword-style queries only.  Feedback helps
#: short topical queries (NFCorpus titles) and hurts sentence-like ones (SciFact
#: claims, ~8 words after stop words); 3 words is the longest cut that did not
#: lower SciFact train or NFCorpus dev with either passage size
#: (benchmarks/README.md, round 4).
AUTO_FEEDBACK = Feedback(max_words=3)


def expanded(
    scorer, terms: list[str], scores: np.ndarray, feedback: Feedback
) -> dict[str, float] | None:
    """Query weights (word -> weight) after pseudo-relevance feedback from
    the passages `scores` ranks best, or None if there is nothing to
    learn from.

    Each feedback passage's term weights are normalised to sum to 1 and
    averaged, weighted by the passage's share of the feedback score (the
    relevance model); the `feedback.terms` heaviest words, normalised,
    get `1 - feedback.original` of the weight and the query's own words
    (each 1/len) the rest (RM3's interpolation)."""
    typed = [t for t in terms if scorer.row(t) is not None]
    if not typed:
        return None
    found = [(score, words, data) for score, _, words, data in evidence(scorer, scores, feedback)]
    return relevance_model(typed, found, feedback)


def evidence(scorer, scores: np.ndarray, feedback: Feedback) -> list[tuple]:
    """`(score, passage number, words, weights)` of the `feedback.docs`
    passages `scores` ranks best (best first, ties by passage number): what
    feedback learns from."""
    top, values, _ = best_of(scores, feedback.docs)
    return [
        (score, p, *_passage_weights(scorer, p))
        for p, score in zip(top.tolist(), values.tolist(), strict=True)
    ]


def relevance_model(
    typed: list[str], found: list[tuple], feedback: Feedback
) -> dict[str, float] | None:
    """Query weights from the `typed` words (those the index holds) and the
    best passages' `(score, words, weights)`, best first; None if there is
    nothing to learn from."""
    if not typed or not found:
        return None
    scores = np.asarray([score for score, _, _ in found], dtype=np.float32)
    share = scores.astype(np.float64) / float(scores.sum())
    model: dict[str, float] = {}
    for (_, words, data), w in zip(found, share.tolist(), strict=True):
        total = data.sum()
        if total <= 0:
            continue
        for t, v in zip(words, (w * data / total).tolist(), strict=True):
            model[t] = model.get(t, 0.0) + v
    if not model:
        return None
    best = sorted(model.items(), key=lambda kv: (-kv[1], kv[0]))[: feedback.terms]
    mass = sum(v for _, v in best) or 1.0
    weights: dict[str, float] = {}
    for t in typed:
        weights[t] = weights.get(t, 0.0) + feedback.original / len(typed)
    for t, v in best:
        weights[t] = weights.get(t, 0.0) + (1 - feedback.original) * v / mass
    return weights


def _passage_weights(scorer, passage: int) -> tuple[list[str], np.ndarray]:
    """The words of one passage (sorted) and their weights in it.

    The words come from analysing the passage's title and body again, as
    the indexer did, so feedback reads the postings of those words only,
    not the whole index."""
    known = scorer.passage_words.get(passage)
    if known is not None:
        return known
    words = set()
    for text in scorer.texts(passage):
        words.update(_ANALYZER.index_terms(text)[1])
    found, weights = [], []
    for word in sorted(words):
        row = scorer.row(word)
        if row is None:
            continue
        ids, data = row[0]
        i = int(np.searchsorted(ids, passage))
        if i < len(ids) and ids[i] == passage:
            found.append(word)
            weights.append(data[i])
    result = found, np.asarray(weights, dtype=np.float32).astype(np.float64)
    if len(scorer.passage_words) >= 10_000:
        scorer.passage_words.clear()
    scorer.passage_words[passage] = result
    return result
