"""A vectorised BM25F scorer for plain free-text queries.

The Whoosh index stays the one index of record: the scorer reads a query's
words' postings and the passages' lengths from each segment's scores file,
written with the segment and memory-mapped here (`postings.segments`), into
sparse rows of BM25F weights, so that a plain query is a handful of NumPy
row additions instead of Whoosh's per-posting matcher loop in Python.  A
search process maps those files instead of building arrays: its memory does
not grow with the index, and opening it reads none of the passages.  Only
plain queries are scored here (`shapes.plain_query`); everything else runs
through Whoosh.

Scoring (per passage d, query words t):

    tf~(t, d) = sum over fields f of  w_f * tf_f(t, d) / (1 - b_f + b_f * len_f(d) / avglen_f)
    score(d)  = sum_t  idf(t) * tf~ * (k1 + 1) / (tf~ + k1)   (BM25F, Robertson et al.)
              + a coordination bonus for passages matching more of the words
    idf(t)    = ln(1 + (N - df + 0.5) / (df + 0.5))            (Lucene's BM25 idf)

With `Params.doc_weight` = a > 0 and the passage -> source map, a passage's
score also takes in its whole source's BM25F (Callan 1994):

    score'(d) = (1 - a) * score(d) + a * score(source of d)    (passages matching a word)

where the source's BM25F treats the source as one unit: body term
frequencies and lengths summed over its passages, the title (repeated on
every passage) counted once, and N, df and average lengths counted in
sources.  A passage's source is then ranked by its best passage plus how well
the source as a whole matches, so splitting documents into passages no
longer loses the words a passage does not hold (see benchmarks/README.md,
round 4).

A `shapes.Concept` (a word sources write in more than one way) scores a
passage (and a source) by the best form the passage holds, never by several.
Boilerplate passages are scaled as in the Whoosh ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from indexer import Collection, SourceTable, TermStats

from .feedback import Feedback, expanded
from .postings import Segment, phrase_postings, segments
from .selection import best_of
from .shapes import FIELDS, Concept
from .texts import Texts


@dataclass(frozen=True, slots=True)
class Params:
    k1: float = 1.2
    b_title: float = 0.5
    b_body: float = 0.75
    w_title: float = 1.0
    w_body: float = 1.0
    coord: float = 0.0
    """Added per extra query word a passage matches, times the mean word weight."""
    doc_weight: float = 0.8
    """The share of a passage's score that comes from its whole source's BM25F
    (chosen on SciFact train and NFCorpus dev; 0.6-0.9 are within 0.005 there)."""


#: The parameters `scorer_for` uses (tuned on the BEIR benchmarks, see benchmarks/README.md).
DEFAULT_PARAMS = Params()


class CorpusStats(Protocol):
    """Corpus statistics a scorer can score with instead of its own
    reader's (`indexer`'s `Statistics`): a shard of a sharded index is
    given the whole index's, so that it scores as one index would."""

    collection: Collection
    """Live passages and sources, their total title and body lengths."""

    def term(self, term: str) -> TermStats | None:
        """How many live passages and sources hold `term` (a word, or the
        words of a phrase joined by spaces); None if none does."""


#: The most the rows kept for later queries may take (`FastScorer.row`).
ROW_CACHE_BYTES = 64 << 20
_MISSING = object()


class FastScorer:
    """BM25F weights of one open index, computed a word at a time from its
    segments' scores files (`postings.segments`).

    A query reads only its own words' postings (each word's weights are kept
    for later queries); the passages' lengths and sources are read from the
    mapped files as rows need them.  Feedback reads the words of its few
    best passages from their text (`feedback.py`, through `texts`: a
    passage's title field and body by its number, set by `scorer_for`).
    """

    def __init__(
        self,
        reader,
        segments: list[Segment],
        params: Params = Params(),
        penalty: float = 1.0,
        stats=None,
    ):
        """`segments`: the index's segments (`postings.segments`); its
        boilerplate passages score `penalty` times their score.
        `stats`: the corpus statistics to score with (`N`, `df` and average
        lengths; see `CorpusStats`) instead of this index's own: a shard
        of a sharded index scores with the whole index's."""
        self.params = params
        self.stats = stats
        self.reader = reader
        self.segments = segments
        self.n_docs = sum(seg.scores.docs for seg in segments)
        self.n_sources = sum(seg.scores.sources for seg in segments)
        self.boosts = {
            f: getattr(reader.schema[f].format, "field_boost", 1.0) or 1.0 for f in FIELDS
        }
        self._starts = np.asarray([seg.offset for seg in segments], np.int64)
        self._source_starts = np.asarray([seg.source_offset for seg in segments], np.int64)
        whole = stats.collection if stats is not None else self.collection()
        self.n_live = max(whole.passages, 1)
        self.n_live_sources = max(whole.sources, 1)
        # Totals of whole numbers over the live passages (and sources): the
        # averages are exactly numpy's means of the lengths.
        passages, sources = whole.passages, whole.sources
        self.average = {
            f: (getattr(whole, f"{f}_terms") / passages if passages else 1.0) or 1.0
            for f in FIELDS
        }
        totals = {"title": whole.source_title_terms, "body": whole.body_terms}
        self.source_average = {
            f: (totals[f] / sources if sources else 1.0) or 1.0 for f in FIELDS
        }
        self.penalty = np.float32(penalty)
        boilerplate = [seg.scores.boilerplate.astype(np.int64) + seg.offset for seg in segments]
        self.boilerplate = np.concatenate(boilerplate) if boilerplate else np.zeros(0, np.int64)
        self.scores_sources = params.doc_weight > 0
        self._rows: dict[str, tuple | None] = {}  # word -> (passage row, source row)
        self._row_sizes: dict[str, int] = {}
        self._row_bytes, self._row_budget = 0, ROW_CACHE_BYTES
        # feedback passage -> its words and their weights (kept by feedback.py)
        self.passage_words: dict[int, tuple] = {}
        self.texts = None

    def collection(self) -> Collection:
        """This index's own collection counts, over its live passages."""
        passages = sources = 0
        length = dict.fromkeys(FIELDS, 0)
        source_title = 0
        for seg in self.segments:
            scores, live = seg.scores, seg.live
            passages += scores.docs if live is None else int(live.sum())
            alive = seg.live_sources
            sources += scores.sources if alive is None else int(alive.sum())
            for f in FIELDS:
                values = scores.length[f] if live is None else scores.length[f][live]
                length[f] += int(values.sum(dtype=np.uint64))
            source_title += int(seg.source_length["title"].sum())
        return Collection(passages, sources, length["title"], length["body"], source_title)

    # --- reading the segments ---------------------------------------------------

    def _postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(passage numbers, weights) of `term` in `field`, across segments."""
        ids, weights = [], []
        for seg in self.segments:
            found = seg.scores.postings(field, term)
            if found is not None and len(found[0]):
                ids.append(found[0].astype(np.int64) + seg.offset)
                weights.append(found[1].astype(np.float64))
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def _gather(self, ids: np.ndarray, starts: np.ndarray, take) -> np.ndarray:
        """`take(segment, local numbers)` for the sorted global numbers `ids`
        (of passages, or of sources), cut by segment where `starts` (each
        segment's first number) says."""
        if len(self.segments) == 1:
            return take(self.segments[0], ids)
        parts = np.split(ids, np.searchsorted(ids, starts[1:]))
        return np.concatenate(
            [
                take(seg, part - start)
                for seg, part, start in zip(self.segments, parts, starts, strict=True)
            ]
        )

    def _live(self, ids: np.ndarray) -> np.ndarray:
        """Which of the sorted passage numbers `ids` are live."""
        if all(seg.live is None for seg in self.segments):
            return np.ones(len(ids), dtype=bool)

        def live(seg, local):
            return seg.live[local] if seg.live is not None else np.ones(len(local), bool)

        return self._gather(ids, self._starts, live)

    def source_of(self, ids: np.ndarray) -> np.ndarray:
        """The source number of each of the passage numbers `ids`."""
        ids = np.asarray(ids, np.int64)
        order = None
        if len(self.segments) > 1 and len(ids) > 1 and (np.diff(ids) < 0).any():
            order = np.argsort(ids, kind="stable")
            ids = ids[order]
        numbers = self._gather(
            ids, self._starts,
            lambda seg, local: seg.scores.source[local].astype(np.int64) + seg.source_offset,
        )
        if order is not None:
            unsorted = np.empty_like(numbers)
            unsorted[order] = numbers
            return unsorted
        return numbers

    def source_path(self, source: int) -> str:
        """The path of source number `source`."""
        i = int(np.searchsorted(self._source_starts, source, side="right")) - 1
        seg = self.segments[i]
        return seg.scores.path(source - seg.source_offset)

    def _norm(self, field: str, ids: np.ndarray) -> np.ndarray:
        """BM25F length normalisation of `field` for the passages `ids`."""
        b = self.params.b_title if field == "title" else self.params.b_body
        length = self._gather(ids, self._starts, lambda seg, local: seg.scores.length[field][local])
        return (1 - b) + b * length.astype(np.float64) / self.average[field]

    def _source_norm(self, field: str, units: np.ndarray) -> np.ndarray:
        """Length normalisation of each source in `units` taken as one unit:
        its body is its live passages' bodies, its title the title every
        passage repeats."""
        b = self.params.b_title if field == "title" else self.params.b_body
        length = self._gather(
            units, self._source_starts, lambda seg, local: seg.source_length[field][local]
        )
        return (1 - b) + b * length.astype(np.float64) / self.source_average[field]

    # --- rows -------------------------------------------------------------------

    def row(self, term: str):
        """(passage row, source row) of `term`, each `(ids, weights)`; None if
        no passage holds it.  Kept for later queries, the least recently made
        dropped past `ROW_CACHE_BYTES`."""
        row = self._rows.get(term, _MISSING)
        if row is _MISSING:
            row = self._row(term)
            size = sum(a.nbytes for level in row or () if level for a in level)
            self._rows[term] = row
            self._row_sizes[term] = size
            self._row_bytes += size
            while self._row_bytes > self._row_budget and len(self._rows) > 1:
                oldest = next(iter(self._rows))
                del self._rows[oldest]
                self._row_bytes -= self._row_sizes.pop(oldest)
        return row

    def _row(self, term: str):
        """`row`, made."""
        parts = {}
        for f in FIELDS:
            if " " in term:  # a phrase: how often its words follow each other
                ids, tf = phrase_postings(self.reader, f, term.split(" "))
            else:
                ids, raw = self._postings(f, term)
                tf = raw / self.boosts[f]  # Whoosh stores tf times the field boost
            if len(ids):
                parts[f] = (ids, tf)
        if parts:
            return self._weights_of(term, parts)
        if self.stats is not None and self.stats.term(term) is not None:
            # in the corpus, not in this shard: a word of the query all the same
            empty = (np.zeros(0, np.int32), np.zeros(0, np.float32))
            return empty, empty if self.scores_sources else None
        return None

    def count(self, term: str) -> tuple[int, int]:
        """(live passages, sources) holding `term` (a word, or a phrase's
        words joined by spaces) in this index, whatever `stats` says: what a
        shard tells its sharded index of a phrase, which has no statistics."""
        found = []
        for f in FIELDS:
            if " " in term:
                ids, _ = phrase_postings(self.reader, f, term.split(" "))
            else:
                ids, _ = self._postings(f, term)
            found.append(np.asarray(ids, np.int64))
        ids = np.unique(np.concatenate(found))
        ids = ids[self._live(ids)]
        return len(ids), len(np.unique(self.source_of(ids))) if self.scores_sources else 0

    def df(self, term: str, level: int, own: int) -> int:
        """The number of live passages (`level` 0) or sources (1) holding
        `term`: `own`, this reader's count, unless corpus statistics were
        given."""
        if self.stats is None:
            return own
        known = self.stats.term(term)
        if known is None:
            return own
        return known.passages if level == 0 else known.sources

    def _weights_of(self, term: str, parts: dict[str, tuple[np.ndarray, np.ndarray]]):
        """BM25F weights of one word from its term frequencies per field."""
        p = self.params
        field_w = {"title": p.w_title, "body": p.w_body}
        ids = np.concatenate([parts[f][0] for f in parts])
        values = np.concatenate(
            [field_w[f] * raw / self._norm(f, i) for f, (i, raw) in parts.items()]
        )
        if len(parts) > 1:  # title and body: one sum per passage, title first
            ids, where = np.unique(ids, return_inverse=True)
            values = np.bincount(where, values, minlength=len(ids))
        keep = self._live(ids)
        ids, t_ = ids[keep], values[keep]
        row = self._bm25(ids, t_, self.n_live, self.df(term, 0, len(ids)))
        return row, (self._source_weights(term, parts) if self.scores_sources else None)

    def _source_weights(self, term: str, parts):
        """BM25F weights of one word for each source taken as one unit: body
        frequencies summed over the source's live passages, the title's their
        largest; N and df counted in sources."""
        p = self.params
        field_w = {"title": p.w_title, "body": p.w_body}
        keys, values = [], []
        for f, (ids, raw) in parts.items():
            keep = self._live(ids)
            units, raw = self.source_of(ids[keep]), raw[keep]
            key, where = np.unique(units, return_inverse=True)
            tf_unit = np.zeros(len(key))
            if f == "title":
                np.maximum.at(tf_unit, where, raw)
            else:
                np.add.at(tf_unit, where, raw)
            keys.append(key)
            values.append(field_w[f] * tf_unit / self._source_norm(f, key))
        units, where = np.unique(np.concatenate(keys), return_inverse=True)
        t_ = np.bincount(where, np.concatenate(values), minlength=len(units))
        return self._bm25(units, t_, self.n_live_sources, self.df(term, 1, len(units)))

    def _bm25(
        self, units: np.ndarray, t_: np.ndarray, n: int, df: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """One word's row: the units (passages or sources) that hold it and
        their BM25 weights, from their weighted term frequencies `t_` out of
        `n` units, `df` of which hold it."""
        k1 = self.params.k1
        idf = _idf(df, n)
        return units.astype(np.int32), (idf * t_ * (k1 + 1) / (t_ + k1)).astype(np.float32)

    def scores(
        self,
        terms: list[str],
        weights: dict[str, float] | None = None,
        concepts: list[Concept] = (),
    ) -> np.ndarray:
        """A dense score per passage (0 where no word matches).  `weights`
        (word -> query weight), if given, replaces `terms`.

        A concept scores a passage (and a source) by the best of its forms
        the passage holds, each form weighing its weight times the typed
        words' weight.  A synonym's idf counts at most as much as the typed
        word's: "Lioresal" must not outweigh the "baclofen" the user typed
        because it is rarer, while "baclofen" counts little for "Gablofen"."""
        if weights is None:
            words = [t for t in terms if self.row(t) is not None]
            factors = [1.0] * len(words)
        else:
            words = [t for t in weights if self.row(t) is not None]
            factors = [weights[t] for t in words]
        forms_of = self._forms(concepts, words, factors)
        if not words and not forms_of:
            return np.zeros(self.n_docs, dtype=np.float32)
        rows = [self.row(t) for t in words]
        coord = self.params.coord if len(rows) + len(forms_of) > 1 else 0.0
        scores, count = _sum_rows([r[0] for r in rows], self.n_docs, factors, counting=bool(coord))
        whole = None
        if self.scores_sources:
            whole, _ = _sum_rows([r[1] for r in rows], self.n_sources, factors)
        for forms in forms_of:
            best = _best_form(forms, 0, self.n_docs)
            scores += best
            if count is not None:
                count += best > 0
            if whole is not None:
                whole += _best_form(forms, 1, self.n_sources)
        if count is not None:
            matched = count > 0
            scores[matched] += coord * (count[matched] - 1)
        if whole is not None:
            # Only passages that hold a query word are results.
            a = np.float32(self.params.doc_weight)
            hit = np.flatnonzero(scores > 0)
            scores[hit] = (1 - a) * scores[hit] + a * whole[self.source_of(hit)]
        if len(self.boilerplate) and self.penalty != 1:
            scores[self.boilerplate] *= self.penalty
        return scores

    def _forms(self, concepts: list[Concept], words: list[str], factors: list[float]) -> list:
        """Per concept with another form in the index, each form's `(rows,
        factors)`, the typed form first; its typed words are taken out of
        `words` and `factors`, to be scored with the other forms."""
        usual = float(np.mean(factors)) if factors else 1.0
        forms_of = []
        for concept in concepts:
            others = [form for form in concept.others if all(self.row(t) for t in form[0])]
            if not others:
                continue
            taken = [words.index(t) for t in dict.fromkeys(concept.typed) if t in words]
            typed = ([self.row(words[i]) for i in taken], [factors[i] for i in taken])
            factor = float(np.mean(typed[1])) if taken else usual
            forms = [typed]
            for form, weight in others:
                rows = [self.row(t) for t in form]
                if len(concept.typed) == 1 and len(form) == 1:
                    rows = [self._capped(rows[0], form[0], concept.typed[0])]
                forms.append((rows, [factor * weight] * len(form)))
            forms_of.append(forms)
            for i in sorted(taken, reverse=True):
                del words[i], factors[i]
        return forms_of

    def _capped(self, row, term: str, typed: str):
        """`row` (the passage and source rows of `term`, a synonym) scaled so
        that its idf is at most the `typed` word's (unchanged if the index
        lacks that)."""
        typed_row = self.row(typed)
        if typed_row is None:
            return row
        capped = []
        for level in (0, 1):
            if row[level] is None:  # no source rows: sources are not scored
                capped.append(None)
                continue
            n = self.n_live if level == 0 else self.n_live_sources
            own = _idf(self.df(term, level, len(row[level][0])), n)
            limit = _idf(self.df(typed, level, len(typed_row[level][0])), n)
            ids, data = row[level]
            capped.append((ids, data * np.float32(limit / own)) if limit < own else row[level])
        return tuple(capped)

    def ranked_scores(
        self, terms: list[str], feedback: Feedback | None = None, concepts: list[Concept] = ()
    ) -> np.ndarray:
        """Passage scores for `terms` (and their `concepts`), after feedback
        if asked for."""
        if feedback is not None and feedback.weights is not None:  # (learnt elsewhere)
            return self.scores(terms, feedback.weights, concepts)
        scores = self.scores(terms, concepts=concepts)
        if feedback is not None and feedback.applies(terms):
            weights = expanded(self, terms, scores, feedback)
            if weights is not None:
                scores = self.scores(terms, weights, concepts)
        return scores

    def top(
        self,
        terms: list[str],
        limit: int | None,
        feedback: Feedback | None = None,
        concepts: list[Concept] = (),
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """(passage numbers, scores, total matched), best first; ties by passage number."""
        return best_of(self.ranked_scores(terms, feedback, concepts), limit)

    def top_sources(
        self,
        terms: list[str],
        limit: int | None,
        feedback: Feedback | None = None,
        concepts: list[Concept] = (),
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """(source numbers, scores, total matched), best first: a source
        scores its best passage's score; ties by source number (the order
        its passages were indexed in: path order in a fresh build)."""
        scores = self.ranked_scores(terms, feedback, concepts)
        hit = np.flatnonzero(scores > 0)
        best = np.zeros(self.n_sources, dtype=np.float32)
        np.maximum.at(best, self.source_of(hit), scores[hit])
        return best_of(best, limit)


def _sum_rows(rows, size: int, factors: list[float], counting: bool = False):
    """The weighted sum of sparse rows `(indices, data)`, dense; and, if
    `counting`, how many of the rows each index is in."""
    total = np.zeros(size, dtype=np.float32)
    count = np.zeros(size, dtype=np.float32) if counting else None
    for (idx, data), factor in zip(rows, factors, strict=True):
        total[idx] += data if factor == 1.0 else np.float32(factor) * data
        if count is not None:
            count[idx] += 1
    return total, count


def _idf(df: int, n: int) -> float:
    """Lucene's BM25 idf, as the rows hold it."""
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


def _best_form(forms, level: int, size: int) -> np.ndarray:
    """Per index, the best of a concept's forms, each the weighted sum of its
    terms' rows (`level` 0: passage rows, 1: source rows), dense."""
    best = np.zeros(size, dtype=np.float32)
    for rows, factors in forms:
        total, _ = _sum_rows([r[level] for r in rows], size, factors)
        np.maximum(best, total, out=best)
    return best


def scorer_for(
    reader, folder, penalty: float = 1.0, params: Params | None = None,
    stats: CorpusStats | None = None, texts: Texts | None = None,
) -> FastScorer:
    """A scorer for `reader`, an index in `folder`, whose boilerplate
    passages score `penalty` times less; `stats`, corpus statistics to
    score with instead of the index's own.  Feedback reads passages'
    text through `texts` (by default from the folder's sources table)."""
    scorer = FastScorer(reader, segments(reader, folder), params or DEFAULT_PARAMS, penalty, stats)
    if texts is None:
        texts = Texts(reader, SourceTable(folder))
    scorer.texts = texts.fields_text
    return scorer
