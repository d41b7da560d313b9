"""A vectorised BM25F scorer for plain free-text queries.

The Whoosh index stays the one index of record: this module reads its term
postings and field lengths once (lazily, on the first free-text search) into
a sparse term x passage matrix of precomputed BM25F weights, so that a plain
query is a handful of NumPy row additions instead of Whoosh's per-posting
matcher loop in Python.  Only queries that are a plain OR of words over
`title`/`body` (what the parser makes of text without operators, phrases,
fields, fuzzy terms or boosts; synonyms included) are scored here;
everything else runs through Whoosh as before (see `plain_query`).

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

A word that sources write in more than one way is one `Concept`: a
hyphenated word and its joined spelling ("IL-6" and "IL6", "birth-weight"
and "birthweight"), a word of the synonym map and its synonyms ("baclofen"
and "Lioresal", the synonym at 0.8).  It scores a passage (and a source) by
the best form the passage holds, never by several.

Boilerplate passages are scaled as in the Whoosh ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from whoosh.query import Or, Phrase, Term

from indexer import TOKEN_PATTERN, body_analyzer, term_of, title_text

from .query import BestOf


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

    def applies(self, terms: list[str]) -> bool:
        """Whether a query of these (analysed) words gets feedback."""
        if self.docs <= 0 or self.original >= 1:
            return False
        return self.max_words is None or len(set(terms)) <= self.max_words


@dataclass(frozen=True, slots=True)
class Concept:
    """One word of a query that sources write in more than one way: the
    terms of the form typed and the other forms, each `(terms, weight)`.
    "IL-6": ("il", "6") and (("il6",), 1.0); "baclofen": ("baclofen",) and
    (("liores",), 0.8), ..."""

    typed: tuple[str, ...]
    others: tuple[tuple[tuple[str, ...], float], ...]

    def terms(self) -> set[str]:
        """Every term of every form."""
        return {t for terms, _ in ((self.typed, 1.0), *self.others) for t in terms}


# A hyphenated word as the user typed it; the tokenizer cuts it at the hyphens.
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


def joined_forms(text: str) -> list[Concept]:
    """The hyphenated words of a plain query, each with its joined spelling's
    term as the other form.  Number ranges ("4-72") are left out: "472" is
    another number."""
    found = []
    for match in _HYPHENATED.finditer(text):
        word = match.group()
        if all(piece.isdigit() for piece in word.split("-")):
            continue
        parts = tuple(_ANALYZER.index_terms(word)[1])
        term = term_of(word.replace("-", ""))
        if parts and term and term not in parts:
            found.append(Concept(parts, (((term,), 1.0),)))
    return found


FIELDS = ("title", "body")
_ANALYZER = body_analyzer()
#: Switch to False to score every query with Whoosh (benchmarks compare both).
ENABLED = True
#: The parameters `scorer_for` uses (tuned on the BEIR benchmarks, see benchmarks/README.md).
DEFAULT_PARAMS = Params()
#: The feedback `Index.search(..., feedback=True)` uses (tuned on NFCorpus dev).
DEFAULT_FEEDBACK = Feedback()
#: `feedback="auto"`: the same, for keyword-style queries only.  Feedback helps
#: short topical queries (NFCorpus titles) and hurts sentence-like ones (SciFact
#: claims, ~8 words after stop words); 3 words is the longest cut that did not
#: lower SciFact train or NFCorpus dev with either passage size
#: (benchmarks/README.md, round 4).
AUTO_FEEDBACK = Feedback(max_words=3)


def plain_query(query) -> tuple[list[str], list[Concept]] | None:
    """The stemmed words of a plain free-text query and its synonym
    concepts, or None if `query` is anything else (phrases, AND/NOT, fields,
    fuzzy terms, boosts).

    The parser turns plain words into `Or`s (flattened where it can) of
    `Term("title", w)` and `Term("body", w)` for each analysed word `w`
    (a word such as "4-PBA" gives two); parentheses nest another `Or`; a
    word of the synonym map becomes a `BestOf` per field of its forms (see
    `_form`), the typed one first and unboosted, its synonyms at their
    weight.  Accepted: only those, each word in both fields; a synonym's
    typed words count among the words."""
    title: list[str] = []
    body: list[str] = []
    concepts: dict[str, list[Concept]] = {"title": [], "body": []}

    def walk(node) -> bool:
        if type(node) is Or and node.boost == 1.0:
            return all(walk(sub) for sub in node.subqueries)
        if type(node) is Term and node.boost == 1.0 and node.fieldname in FIELDS:
            (title if node.fieldname == "title" else body).append(node.text)
            return True
        if type(node) is BestOf and node.boost == 1.0 and node.subqueries:
            forms = [_form(f) for f in node.subqueries]
            if None in forms or forms[0][2] != 1.0 or " " in "".join(forms[0][1]):
                return False
            field = forms[0][0]
            if field not in FIELDS or any(f[0] != field for f in forms):
                return False
            (title if field == "title" else body).extend(forms[0][1])
            others = tuple((terms, weight) for _, terms, weight in forms[1:])
            concepts[field].append(Concept(forms[0][1], others))
            return True
        return False

    if not walk(query) or not title or sorted(title) != sorted(body):
        return None
    if concepts["title"] != concepts["body"]:
        return None
    return body, concepts["body"]


def _form(node) -> tuple[str, tuple[str, ...], float] | None:
    """(field, terms, weight) of one form of a synonym `BestOf`: a word, the
    words of a typed term of several words (an `Or`), or a phrase, which is
    one term of the words joined by spaces (see `FastScorer._row`)."""
    if type(node) is Term:
        return node.fieldname, (node.text,), float(node.boost)
    if type(node) is Phrase and node.slop == 1 and node.words:
        return node.fieldname, (" ".join(node.words),), float(node.boost)
    if type(node) is Or and node.boost == 1.0 and node.subqueries:
        if all(type(t) is Term and t.boost == 1.0 for t in node.subqueries):
            fields = {t.fieldname for t in node.subqueries}
            if len(fields) == 1:
                return fields.pop(), tuple(t.text for t in node.subqueries), 1.0
    return None


class FastScorer:
    """BM25F weights of one open Whoosh reader, computed a word at a time.

    A query reads only its own words' postings (each word's weights are kept
    for later queries) and, once, every passage's exact title and body
    lengths (the index's `title_terms`/`body_terms` columns).  So the first
    query of a process costs milliseconds, not a read of the whole index,
    and memory grows with the words asked for.  Feedback reads the words of
    its few best passages from their stored text (`_passage_weights`).
    """

    def __init__(
        self,
        reader,
        params: Params = Params(),
        weights: np.ndarray | None = None,
        sources: np.ndarray | None = None,
    ):
        """`weights`: a per-passage score multiplier (boilerplate), or None.
        `sources`: passage number -> source number, for `params.doc_weight`."""
        self.params = params
        self.reader = reader
        n = self.n_docs = reader.doc_count_all()
        self.boosts = {
            f: getattr(reader.schema[f].format, "field_boost", 1.0) or 1.0 for f in FIELDS
        }
        lengths = _lengths(reader, self.boosts)
        live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for d in range(n):
                live[d] = not reader.is_deleted(d)
        self.live = live
        self.n_live = max(int(live.sum()), 1)
        self.norm = {}
        for f, b in (("title", params.b_title), ("body", params.b_body)):
            avg = lengths[f][live].mean() if live.any() else 1.0
            self.norm[f] = (1 - b) + b * lengths[f] / (avg or 1.0)
        self.weights = weights  # per-passage multiplier (boilerplate), or None
        self._rows: dict[str, tuple | None] = {}  # word -> (passage row, source row)
        self._passages: dict[int, tuple] = {}  # feedback passage -> its words and weights
        self.sources = None  # passage number -> source number, when sources are scored
        if sources is not None and params.doc_weight > 0:
            self.sources = np.asarray(sources, dtype=np.int64)
            self.n_sources = int(self.sources.max()) + 1 if n else 0
            self._source_norms(lengths)

    def _source_norms(self, lengths) -> None:
        """Length normalisation of each source taken as one unit: its body is
        its live passages' bodies, its title the title every passage repeats."""
        live, sources = self.live, self.sources
        has_live = np.zeros(self.n_sources, dtype=bool)
        has_live[sources[live]] = True
        self.n_live_sources = max(int(has_live.sum()), 1)
        self.source_norm = {}
        for f, b in (("title", self.params.b_title), ("body", self.params.b_body)):
            length = np.zeros(self.n_sources)
            if f == "title":
                np.maximum.at(length, sources[live], lengths[f][live])
            else:
                np.add.at(length, sources[live], lengths[f][live])
            avg = length[has_live].mean() if has_live.any() else 1.0
            self.source_norm[f] = (1 - b) + b * length / (avg or 1.0)

    def _row(self, term: str):
        """(passage row, source row) of `term`, each `(ids, weights)`; None if
        no passage holds it."""
        if term not in self._rows:
            parts = {}
            for f in FIELDS:
                if " " in term:  # a phrase: how often its words follow each other
                    ids, tf = _phrase_postings(self.reader, f, term.split(" "))
                else:
                    ids, raw = _term_postings(self.reader, f, term)
                    tf = raw / self.boosts[f]  # Whoosh stores tf times the field boost
                if len(ids):
                    parts[f] = (ids, tf)
            self._rows[term] = self._weights_of(parts) if parts else None
        return self._rows[term]

    def _weights_of(self, parts: dict[str, tuple[np.ndarray, np.ndarray]]):
        """BM25F weights of one word from its term frequencies per field."""
        p = self.params
        field_w = {"title": p.w_title, "body": p.w_body}
        ids = np.concatenate([parts[f][0] for f in parts])
        values = np.concatenate(
            [field_w[f] * raw / self.norm[f][i] for f, (i, raw) in parts.items()]
        )
        if len(parts) > 1:  # title and body: one sum per passage, title first
            ids, where = np.unique(ids, return_inverse=True)
            values = np.bincount(where, values, minlength=len(ids))
        keep = self.live[ids]
        ids, t_ = ids[keep], values[keep]
        row = self._bm25(ids, t_, self.n_live)
        return row, (self._source_weights(parts) if self.sources is not None else None)

    def _source_weights(self, parts):
        """BM25F weights of one word for each source taken as one unit: body
        frequencies summed over the source's live passages, the title's their
        largest; N and df counted in sources."""
        p = self.params
        field_w = {"title": p.w_title, "body": p.w_body}
        keys, values = [], []
        for f, (ids, raw) in parts.items():
            keep = self.live[ids]
            units, raw = self.sources[ids[keep]], raw[keep]
            key, where = np.unique(units, return_inverse=True)
            tf_unit = np.zeros(len(key))
            if f == "title":
                np.maximum.at(tf_unit, where, raw)
            else:
                np.add.at(tf_unit, where, raw)
            keys.append(key)
            values.append(field_w[f] * tf_unit / self.source_norm[f][key])
        units, where = np.unique(np.concatenate(keys), return_inverse=True)
        t_ = np.bincount(where, np.concatenate(values), minlength=len(units))
        return self._bm25(units, t_, self.n_live_sources)

    def _bm25(self, units: np.ndarray, t_: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """One word's row: the units (passages or sources) that hold it and
        their BM25 weights, from their weighted term frequencies `t_` out of
        `n` units."""
        k1 = self.params.k1
        idf = _idf(len(units), n)
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
            words = [t for t in terms if self._row(t) is not None]
            factors = [1.0] * len(words)
        else:
            words = [t for t in weights if self._row(t) is not None]
            factors = [weights[t] for t in words]
        forms_of = self._forms(concepts, words, factors)
        if not words and not forms_of:
            return np.zeros(self.n_docs, dtype=np.float32)
        rows = [self._row(t) for t in words]
        coord = self.params.coord if len(rows) + len(forms_of) > 1 else 0.0
        scores, count = _sum_rows([r[0] for r in rows], self.n_docs, factors, counting=bool(coord))
        whole = None
        if self.sources is not None:
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
            a = np.float32(self.params.doc_weight)
            mixed = (1 - a) * scores + a * whole[self.sources]
            # Only passages that hold a query word are results.
            scores = np.where(scores > 0, mixed, np.float32(0))
        if self.weights is not None:
            scores *= self.weights
        return scores

    def _forms(self, concepts: list[Concept], words: list[str], factors: list[float]) -> list:
        """Per concept with another form in the index, each form's `(rows,
        factors)`, the typed form first; its typed words are taken out of
        `words` and `factors`, to be scored with the other forms."""
        usual = float(np.mean(factors)) if factors else 1.0
        forms_of = []
        for concept in concepts:
            others = [form for form in concept.others if all(self._row(t) for t in form[0])]
            if not others:
                continue
            taken = [words.index(t) for t in dict.fromkeys(concept.typed) if t in words]
            typed = ([self._row(words[i]) for i in taken], [factors[i] for i in taken])
            factor = float(np.mean(typed[1])) if taken else usual
            forms = [typed]
            for form, weight in others:
                rows = [self._row(t) for t in form]
                if len(concept.typed) == 1 and len(form) == 1:
                    rows = [self._capped(rows[0], concept.typed[0])]
                forms.append((rows, [factor * weight] * len(form)))
            forms_of.append(forms)
            for i in sorted(taken, reverse=True):
                del words[i], factors[i]
        return forms_of

    def _capped(self, row, typed: str):
        """`row` (a synonym's passage and source rows) scaled so that its idf
        is at most the `typed` word's (unchanged if the index lacks that)."""
        typed_row = self._row(typed)
        if typed_row is None:
            return row
        capped = []
        for level in (0, 1):
            if row[level] is None:  # no source rows: sources are not scored
                capped.append(None)
                continue
            n = self.n_live if level == 0 else self.n_live_sources
            own, limit = _idf(len(row[level][0]), n), _idf(len(typed_row[level][0]), n)
            ids, data = row[level]
            capped.append((ids, data * np.float32(limit / own)) if limit < own else row[level])
        return tuple(capped)

    def expanded(
        self, terms: list[str], scores: np.ndarray, feedback: Feedback
    ) -> dict[str, float] | None:
        """Query weights (word -> weight) after pseudo-relevance feedback from
        the passages `scores` ranks best, or None if there is nothing to
        learn from.

        Each feedback passage's term weights are normalised to sum to 1 and
        averaged, weighted by the passage's share of the feedback score (the
        relevance model); the `feedback.terms` heaviest words, normalised,
        get `1 - feedback.original` of the weight and the query's own words
        (each 1/len) the rest (RM3's interpolation)."""
        typed = [t for t in terms if self._row(t) is not None]
        if not typed:
            return None
        k = min(feedback.docs, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[scores[top] > 0]
        if not len(top):
            return None
        share = scores[top].astype(np.float64) / float(scores[top].sum())
        model: dict[str, float] = {}
        for p, w in zip(top.tolist(), share.tolist(), strict=True):
            words, data = self._passage_weights(p)
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

    def _passage_weights(self, passage: int) -> tuple[list[str], np.ndarray]:
        """The words of one passage (sorted) and their weights in it.

        The words come from analysing the passage's stored title and body
        again, as the indexer did, so feedback reads the postings of those
        words only, not the whole index."""
        known = self._passages.get(passage)
        if known is not None:
            return known
        fields = self.reader.stored_fields(passage)
        title = title_text(fields.get("doc_title", ""), fields.get("section"))
        words = set()
        for text in (title, fields.get("body", "")):
            words.update(_ANALYZER.index_terms(text)[1])
        found, weights = [], []
        for word in sorted(words):
            row = self._row(word)
            if row is None:
                continue
            ids, data = row[0]
            i = int(np.searchsorted(ids, passage))
            if i < len(ids) and ids[i] == passage:
                found.append(word)
                weights.append(data[i])
        result = found, np.asarray(weights, dtype=np.float32).astype(np.float64)
        if len(self._passages) >= 10_000:
            self._passages.clear()
        self._passages[passage] = result
        return result

    def ranked_scores(
        self, terms: list[str], feedback: Feedback | None = None, concepts: list[Concept] = ()
    ) -> np.ndarray:
        """Passage scores for `terms` (and their `concepts`), after feedback
        if asked for."""
        scores = self.scores(terms, concepts=concepts)
        if feedback is not None and feedback.applies(terms):
            weights = self.expanded(terms, scores, feedback)
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


def _lengths(reader, boosts: dict[str, float]) -> dict[str, np.ndarray]:
    """Each passage's title and body length in terms: from the index's
    length columns, or (an index built without them) summed from every
    posting."""
    n = reader.doc_count_all()
    lengths = {}
    for f in FIELDS:
        column = f"{f}_terms"
        if column in reader.schema and reader.has_column(column):
            values = np.fromiter(reader.column_reader(column), dtype=np.float64, count=n)
            if abs(values.sum() - reader.field_length(f)) < 0.5:
                lengths[f] = values
                continue
        lengths[f] = np.zeros(n, dtype=np.float64)
        for _, ids, weights in _postings(reader, f):
            np.add.at(lengths[f], ids, weights / boosts[f])
    return lengths


def leaf_readers(reader) -> list:
    """(segment reader, its first doc number) for each segment of `reader`:
    reading postings segment by segment is much faster than through the
    merged view."""
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def term_text(term) -> str:
    """A term from a Whoosh lexicon (bytes or str) as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _term_postings(reader, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(doc numbers, weights) of one term, across segments (global numbers)."""
    ids, weights = [], []
    for leaf, offset in leaf_readers(reader):
        if (fieldname, term) in leaf:
            i, w = _read_postings(leaf.postings(fieldname, term))
            ids.append(i + offset)
            weights.append(w)
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(ids), np.concatenate(weights)


def _phrase_postings(reader, fieldname: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(doc numbers, phrase frequencies) of `words` in a row, as Whoosh's
    `Phrase` matches them (slop 1), across segments (global numbers)."""
    ids, counts = [], []
    for leaf, offset in leaf_readers(reader):
        if not all((fieldname, w) in leaf for w in words):
            continue
        positions = []
        for word in words:
            matcher, found = leaf.postings(fieldname, word), {}
            while matcher.is_active():
                found[matcher.id()] = set(matcher.value_as("positions"))
                matcher.next()
            positions.append(found)
        for doc in sorted(set.intersection(*(set(p) for p in positions))):
            starts = positions[0][doc]
            for n, later in enumerate(positions[1:], 1):
                starts = {s for s in starts if s + n in later[doc]}
            if starts:
                ids.append(doc + offset)
                counts.append(len(starts))
    return np.asarray(ids, dtype=np.int64), np.asarray(counts, dtype=np.float64)


def best_of(scores: np.ndarray, limit: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """(indexes, scores, number > 0) of the `limit` highest positive
    `scores`, best first; ties by index."""
    matched = np.flatnonzero(scores > 0)
    total = len(matched)
    if limit is not None and total > limit:
        part = np.argpartition(-scores[matched], limit - 1)[:limit]
        matched = matched[part]
    order = np.lexsort((matched, -scores[matched]))
    chosen = matched[order]
    return chosen, scores[chosen], total


def _postings(reader, fieldname):
    """(term text, doc numbers, weights) for each term of a field, reading
    whole posting blocks where the codec allows it (global doc numbers)."""
    per_term: dict[str, list] = {}
    for leaf, offset in leaf_readers(reader):
        for term in leaf.lexicon(fieldname):
            ids, weights = _read_postings(leaf.postings(fieldname, term))
            per_term.setdefault(term_text(term), []).append((ids + offset, weights))
    for text, parts in per_term.items():
        if len(parts) == 1:
            yield text, parts[0][0], parts[0][1]
        else:
            yield text, np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    blocks = all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block"))
    if blocks:
        # Whoosh's W3 codec: read each block's id and weight arrays whole.
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            start = matcher._i
            ids.append(np.asarray(matcher._ids[start:], dtype=np.int64))
            weights.append(np.asarray(matcher._weights[start:], dtype=np.float64))
            matcher._next_block()
    else:
        for docnum, weight in matcher.items_as("weight"):
            ids.append(np.asarray([docnum], dtype=np.int64))
            weights.append(np.asarray([weight], dtype=np.float64))
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(ids), np.concatenate(weights)


def scorer_for(
    reader, penalised=(), penalty: float = 1.0, params: Params | None = None, sources=None
) -> FastScorer:
    """A scorer for `reader` whose passages in `penalised` score `penalty`
    times less; `sources` (passage number -> source number) lets it score
    whole sources too (`Params.doc_weight`)."""
    weights = None
    if len(penalised):
        weights = np.ones(reader.doc_count_all(), dtype=np.float32)
        weights[np.fromiter(penalised, dtype=np.int64)] = penalty
    return FastScorer(reader, params or DEFAULT_PARAMS, weights, sources)


# --- highlighting ------------------------------------------------------------------

_TOKEN = re.compile(TOKEN_PATTERN)


def match_spans(text: str, terms: set[str]) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of `text` whose analysed form is in `terms`: the
    same spans as running `indexer.storage.schema.body_analyzer()` over the text
    (tokenise, lower-case, drop stop words, stem), about 10x faster
    because each distinct word is analysed once per process (`term_of`)."""
    if not terms:
        return ()
    return tuple((m.start(), m.end()) for m in _TOKEN.finditer(text) if term_of(m.group()) in terms)
