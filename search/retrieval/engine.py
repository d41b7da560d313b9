"""Searching an index: ranked passages with their source attribution."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from math import log
from pathlib import Path

import numpy as np
from whoosh import collectors
from whoosh.query import And, AndNot, Every, Not, NullQuery, Or, Phrase, Term
from whoosh.scoring import BM25F, BM25FScorer

from indexer import (
    BOILERPLATE,
    KINDS,
    IndexStore,
    Passage,
    PassageChanged,
    PassageGone,
    QueryError,
    Source,
    SourceInfo,
    SourceTable,
    UnknownPassage,
    stem,
    stored_passage,
)

from .bm25f import DEFAULT_PARAMS, CorpusStats, FastScorer, Params, scorer_for
from .feedback import AUTO_FEEDBACK, DEFAULT_FEEDBACK, Feedback, evidence
from .filters import Filters
from .fuzzy import Lexicon, capped
from .fuzzy import notes as fuzzy_notes
from .integrity import damaged, guarded, query_or_damage
from .postings import term_text
from .prefixes import Prefixes, PrefixMatch
from .provenance import Provenance
from .query import (
    SYNTAX_HINT,
    Synonyms,
    check_length,
    excluding,
    is_stop_word,
    make_parser,
    parse,
    plain_words,
    with_built_ins,
    word_core,
)
from .results import Hit, SearchResult, SourceGroup, Spans
from .shapes import FIELDS, joined_forms, plain_query
from .spelling import Vocabulary
from .syntax import Compiled, Later, compile_query, parse_query
from .texts import Texts

#: Boilerplate passages score this fraction of their BM25F score.
BOILERPLATE_WEIGHT = 0.5

#: The `scorer=` an `Index` takes (see `Index.__init__`).
SCORERS = ("fast", "whoosh")


class _Ranking(BM25F):
    """BM25F that scales down boilerplate passages; with `stats` (corpus
    statistics, as the fast scorer takes them), title and body words
    score with their `N`, `df` and average lengths instead of the index's."""

    def __init__(self, penalised: frozenset[int], stats: CorpusStats | None = None, **kwargs):
        super().__init__(**kwargs)
        self.penalised = penalised
        self.use_final = bool(penalised)
        self.stats = stats

    def final(self, searcher, docnum, score):
        return score * BOILERPLATE_WEIGHT if docnum in self.penalised else score

    def idf(self, searcher, fieldname, text):
        if self.stats is None or fieldname not in FIELDS:
            return super().idf(searcher, fieldname, text)
        known = self.stats.term(term_text(text))
        df = getattr(known, fieldname) if known is not None else 0
        return log(self.stats.collection.passages / (df + 1)) + 1  # (Whoosh's idf)

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if self.stats is not None and fieldname in FIELDS and isinstance(scorer, BM25FScorer):
            whole = self.stats.collection
            total = getattr(whole, f"{fieldname}_terms")
            scorer.avgfl = (total / whole.passages if whole.passages else 0) or 1
        return scorer


@dataclass(slots=True)
class _Ran:
    """What one run of a query found (`Index._run`)."""

    hits: list[Hit]
    total: int
    all_words: int | None = None
    groups: list[tuple[int, list[Hit]]] | None = None
    sources: int | None = None
    notes: tuple[str, ...] = ()
    """What a limit did to the query (`fuzzy.notes`)."""


class Index:
    """An open index.  Use as a context manager, or call `close()`."""

    def __init__(
        self,
        index_dir: Path,
        synonyms: list[list[str]] | None = None,
        *,
        scorer: str = "fast",
        params: Params | None = None,
        stats: CorpusStats | None = None,
        generation: str | None = None,
    ):
        """`synonyms`: a synonym map instead of the one the index was built
        with; either way the built-in drug names (`drug_names.py`) are
        added to it.  `scorer`: "fast" scores plain free-text queries with the
        vectorised BM25F scorer (`bm25f.py`, with `params`), "whoosh" scores
        every query with Whoosh's own BM25F (benchmarks compare both);
        `rank` always uses the fast scorer.

        A shard of a sharded index is opened with the whole index's corpus
        statistics (`stats`: scores, passage counts and the spelling
        vocabulary are then the whole index's) and at the `generation` its
        manifest names, instead of the current one."""
        if scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {', '.join(SCORERS)}, not {scorer!r}")
        self.scorer = scorer
        self.params = params or DEFAULT_PARAMS
        self.store = IndexStore(Path(index_dir))
        self.stats = stats
        if generation is None:
            self.generation = self.store.current()
        else:
            self.generation = self.store.named(generation)
        self.meta = self.store.read_meta(self.generation)
        self._ix, self._searcher = self.store.open_whoosh(self.generation)
        self._db = SourceTable(self.generation)
        self._texts = Texts(self._searcher, self._db)
        boilerplate = self._searcher.docs_for_query(Term("kind", BOILERPLATE))
        self._searcher.weighting = _Ranking(frozenset(boilerplate), stats, B=0.75, K1=1.2)
        groups = synonyms if synonyms is not None else self.meta.get("synonyms", [])
        self.synonyms = Synonyms(with_built_ins(groups))
        self._parser = make_parser(self._ix.schema)
        self._filters = Filters(self._searcher.reader(), stats)
        self._prefixes = Prefixes(
            self._searcher, lambda: self.vocabulary().frequency, self._texts.fields_text
        )
        self._vocabulary: Vocabulary | None = None
        self._lexicon: Lexicon | None = None  # for fuzzy terms, read on the first
        self._fast: FastScorer | None = None  # opened on the first plain query

    def provenance(self) -> Provenance:
        """Where an output made now from this index comes from."""
        return Provenance.of(self.store.root, self.generation, self.meta)

    def close(self) -> None:
        self._searcher.close()
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- search -----------------------------------------------------------

    @guarded
    def search(
        self,
        query: str,
        *,
        limit: int | None = 10,
        kinds: tuple[str, ...] = (),
        correct: bool = True,
        feedback: bool | str = False,
        highlight: bool = True,
        per_source: int | None = None,
        count_all_words: bool = False,
    ) -> SearchResult:
        """Rank passages for `query`.

        `per_source=N` groups the results by source: the best N passages of
        each source, for the `limit` best sources (ranked by their best
        passage), in `groups`; `hits` holds the same passages by rank.
        `count_all_words=True` also counts the passages that hold every
        word of a query of several words (`total_all_words`; a second
        pass over the postings, so off unless asked for).

        If the query names a word the index does not hold, a spelling
        suggestion is made; when the query as typed finds nothing, or a word
        is unknown and a suggestion exists for it, the corrected query runs
        and `corrected_query` says so.

        `feedback=True` adds pseudo-relevance feedback (RM3-style, see
        `feedback.Feedback`) to plain free-text queries: the words that weigh
        most in the best passages join the query.  It helps short topical
        queries (NFCorpus) and hurts long claims (SciFact); `feedback="auto"`
        applies it to short queries only (at most 3 words after stop words).
        Either way results may match words the user never typed (and their
        highlights show only the typed ones), so it is off by default.
        `highlight=False` leaves every hit's `matches` empty (cheaper).
        """
        check_length(query)
        for kind in kinds:
            if kind not in KINDS:
                raise QueryError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
        suggestions = self.suggest(query) if correct else {}
        corrected = _apply(query, suggestions) if suggestions else None
        if per_source is not None and per_source < 1:
            raise QueryError(f"per_source must be 1 or more, not {per_source}")
        options = (_feedback(feedback), highlight, per_source, count_all_words)
        ran = self._run(corrected or query, limit, kinds, *options)
        if corrected and ran.total == 0:
            ran = self._run(query, limit, kinds, *options)
            if ran.total:
                corrected = None
        groups = None
        if ran.groups is not None:
            groups = tuple(
                SourceGroup(hits[0].source, count, tuple(hits)) for count, hits in ran.groups
            )
        return SearchResult(
            query, corrected, ran.total, tuple(ran.hits), suggestions, ran.all_words, groups,
            ran.sources, ran.notes,
        )

    def rank(
        self,
        query: str,
        *,
        limit: int | None = 10,
        by_source: bool = False,
        feedback: bool | str = False,
    ) -> list[tuple[str, float]]:
        """`(passage_id, score)` best first for `query` -- or, with
        `by_source`, `(path, score of its best passage)` -- without building
        `Hit`s (no stored fields, no highlights): for callers that need many
        results fast, such as evaluation.  Plain free-text queries only (as
        `search(..., correct=False)` ranks them, `feedback` as there); raises
        `QueryError` for anything else (phrases, operators, fields, filters)."""
        parsed, restrict = self.parse(query)
        if parsed is NullQuery:
            return []
        plain = _plain(parsed, query) if restrict is None else None
        if plain is None:
            raise QueryError("rank() takes plain words only; use search() for operators and fields")
        words, concepts = plain
        fast = self._fast_scorer()
        if not by_source:
            chosen, values, _ = fast.top(words, limit, _feedback(feedback), concepts)
            stored = self._searcher.stored_fields
            return [
                (stored_passage(stored(d))["passage_id"], float(v))
                for d, v in zip(chosen.tolist(), values.tolist(), strict=True)
            ]
        chosen, values, _ = fast.top_sources(words, limit, _feedback(feedback), concepts)
        path = fast.source_path
        return [(path(s), float(v)) for s, v in zip(chosen.tolist(), values.tolist(), strict=True)]

    def _fast_scorer(self) -> FastScorer:
        if self._fast is None:
            self._fast = scorer_for(
                self._searcher.reader(), self.generation, BOILERPLATE_WEIGHT,
                params=self.params, stats=self.stats, texts=self._texts,
            )
        return self._fast

    def _run(
        self, text: str, limit: int | None, kinds: tuple[str, ...],
        feedback: Feedback | None = None, highlight: bool = True, per_source: int | None = None,
        count_all_words: bool = False,
    ) -> _Ran:
        compiled = self.compile(text, kinds)
        parsed, restrict = compiled.query, compiled.restrict
        if parsed is NullQuery:
            return _Ran([], 0)
        # With `per_source`, every match is ranked, then each source's best kept.
        wanted = None if per_source else limit
        # A plain OR of words (no filter; synonyms allowed) is scored
        # by the vectorised BM25F scorer over this index's own postings
        # (bm25f.py) unless the index was opened with scorer="whoosh";
        # every other query runs through Whoosh.
        fast = restrict is None and self.scorer == "fast"
        plain = _plain(parsed, text) if fast else None
        concepts = plain[1] if plain is not None else []
        if plain is not None:
            try:
                fast = self._fast_scorer()
                docnums, scores, total = fast.top(plain[0], wanted, feedback, concepts)
                if per_source:  # (every match: grouped before any list is made)
                    keep = self._kept_per_source(docnums, per_source, limit)
                    docnums, scores = docnums[keep[0]], scores[keep[0]]
                ranked = list(zip(scores.tolist(), docnums.tolist(), strict=True))
            except Exception as exc:  # plain words cannot be at fault: the files are
                raise damaged(self.store.root, exc) from None
        else:
            try:
                results = self._whoosh_search(parsed, wanted, restrict)
                ranked, total = list(results.top_n), len(results)
            except Exception as exc:  # e.g. a fuzzy term on a field without a lexicon
                raise query_or_damage(exc, parsed, restrict, self.store.root, SYNTAX_HINT) from None
        chosen = list(enumerate(ranked, 1))
        groups = sources = None
        if per_source and plain is not None:  # (`ranked` holds the passages kept)
            positions, groups, sources = keep
            chosen = [(int(p) + 1, r) for p, r in zip(positions.tolist(), ranked, strict=True)]
        elif per_source:
            docs = np.asarray([int(doc) for _, doc in ranked], np.int64)
            positions, groups, sources = self._kept_per_source(docs, per_source, limit)
            chosen = [chosen[p] for p in positions.tolist()]
        terms, phrases, prefixes = self._match_terms(parsed)
        terms = terms.union(*(c.terms() for c in concepts))  # "IL6" for "IL-6"
        matches = Spans(terms, phrases, prefixes) if highlight else ()  # found when read
        hits = {}
        chosen.sort()
        shown = self._texts.of([int(doc) for _, (_, doc) in chosen])
        for (rank, (score, _)), (passage, source) in zip(chosen, shown, strict=True):
            hits[rank] = Hit(rank, float(score), passage, source, matches)
        if groups is not None:
            groups = [(total_of, [hits[rank] for rank in ranks]) for total_of, ranks in groups]
        all_words = None
        if count_all_words and len(compiled.ranked) > 1:
            all_words = self._holding_all(compiled, total)
        notes = fuzzy_notes(parsed)
        return _Ran(list(hits.values()), total, all_words, groups, sources, notes)

    def _kept_per_source(self, docs: np.ndarray, per_source: int, sources: int | None):
        """Of the passages `docs`, best first, the best `per_source` of
        each of the best `sources` sources (by their best passage): their
        places in `docs` (in order), and per source kept, how many of `docs`
        it holds and the ranks kept (a place + 1); and how many sources
        `docs` holds.  Counted with NumPy: a query matches thousands of
        passages, and a Python loop over them was most of a search's time."""
        numbers = self._fast_scorer().source_of(docs)
        n = len(numbers)
        if n == 0:
            return np.zeros(0, np.int64), [], 0
        # Each passage's place among its source's passages (0 for its best):
        # a stable sort keeps each source's passages in rank order.
        order = np.argsort(numbers, kind="stable")
        grouped = numbers[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        sizes = np.diff(np.r_[starts, n])
        within = np.empty(n, np.int64)
        within[order] = np.arange(n) - np.repeat(starts, sizes)
        firsts = np.flatnonzero(within == 0)  # each source's best, in rank order
        if sources is not None:
            firsts = firsts[:sources]
        allowed = np.zeros(int(numbers.max()) + 1, bool)
        allowed[numbers[firsts]] = True
        positions = np.flatnonzero((within < per_source) & allowed[numbers])
        counts = np.bincount(numbers)
        by_source: dict[int, list[int]] = {int(numbers[f]): [] for f in firsts.tolist()}
        for place, source in zip(positions.tolist(), numbers[positions].tolist(), strict=True):
            by_source[source].append(place + 1)
        groups = [(int(counts[source]), ranks) for source, ranks in by_source.items()]
        return positions, groups, len(starts)

    def _holding_all(self, compiled: Compiled, total: int) -> int:
        """How many passages match every one of the query's ranking items
        (and its filters): "90 passages match" tells little of a question
        on a one-subject corpus, how many hold all its words does."""
        try:
            docs = set(self._searcher.docs_for_query(And(list(compiled.ranked))))
            if compiled.restrict is not None:
                docs &= set(self._searcher.docs_for_query(compiled.restrict))
        except Exception as exc:  # noqa: BLE001 - the query ran: the files are at fault
            raise damaged(self.store.root, exc) from None
        reader = self._searcher.reader()
        if reader.has_deletions():
            docs = {d for d in docs if not reader.is_deleted(d)}
        return min(len(docs), total)

    def _whoosh_search(self, parsed, limit: int | None, restrict):
        """Whoosh's best `limit` passages for `parsed`, and exactly how many
        match.  Whoosh's usual top-N collector stops following the words
        that can no longer lift a passage into the top N and counts only
        the passages it still visits: "338 passages match" where 489 did.
        Same top passages, up to twice the time on large result sets."""
        if limit is None:
            return self._searcher.search(parsed, limit=None, filter=restrict)
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if restrict is not None:
            collector = collectors.FilterCollector(collector, restrict)
        self._searcher.search_with_collector(parsed, collector)
        return collector.results()

    def parse(self, text: str, kinds: tuple[str, ...] = ()):
        """The Whoosh query for `text` and the filter every result must pass."""
        compiled = self.compile(text, kinds)
        return compiled.query, compiled.restrict

    def compile(self, text: str, kinds: tuple[str, ...] = ()) -> Compiled:
        """`text` in the query language (`syntax.py`) as a Whoosh query, the
        filter every result must pass (the query's filters and `kinds`, all
        of them) and its ranking items; raises `QueryError`."""
        marked_text, marked = self.synonyms.mark(text)
        compiled = compile_query(parse_query(marked_text), self)
        restrict = compiled.restrict
        if kinds:
            chosen = _any_of([Term("kind", k) for k in kinds])
            restrict = chosen if restrict is None else And([restrict, chosen])
            query = Every() if compiled.query is NullQuery else compiled.query
        else:
            query = compiled.query
        ranked = Later(lambda: [self.synonyms.expand(q, marked) for q in compiled.ranked])
        query = excluding(self.synonyms.expand(query, marked))
        return Compiled(query, excluding(restrict) if restrict is not None else None, ranked)

    # The leaves of the query language (`syntax.Builder`).

    def text_query(self, text: str):
        """Plain words, phrases, fuzzy and field terms, as Whoosh parses them
        (fuzzy terms bounded: `fuzzy.py`)."""
        if self._lexicon is None:
            self._lexicon = Lexicon(self._searcher.reader(), self.stats)
        return capped(parse(self._parser, text), self._lexicon)

    def filter_query(self, field: str, value: str):
        """`field:value` for a filter field, checked against the index."""
        return self._filters.query(field, value)

    def prefix_query(self, prefix: str):
        """The words starting with `prefix` as written."""
        return self._prefixes.query(prefix)

    def _match_terms(self, parsed) -> tuple[set[str], set[tuple[str, ...]], set[str]]:
        """What the query looks for in passage text, to highlight: analysed
        words (fuzzy terms expanded to the words they matched), phrases
        (highlighted only where the whole phrase stands) and prefixes.
        Excluded words are not looked for."""
        reader = self._searcher.reader()
        terms, phrases, prefixes = set(), set(), set()

        def walk(node) -> None:
            if isinstance(node, PrefixMatch):
                prefixes.add(node.prefix)
            elif isinstance(node, Not):
                return
            elif isinstance(node, AndNot):
                walk(node.a)
            elif isinstance(node, Phrase):
                if node.fieldname in ("body", "title") and node.words:
                    phrases.add(tuple(node.words))
            elif node.is_leaf():
                for field, text in node.expanded_terms(reader, phrases=True):
                    if field in ("body", "title"):
                        terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
            else:
                for child in node.children():
                    walk(child)

        walk(parsed)
        return terms, phrases, prefixes

    # --- as a shard of a sharded index (see sharded.py) --------------------

    def plan(self, text: str, kinds: tuple[str, ...] = ()) -> tuple[bool, tuple | None]:
        """Whether `text` can find anything, and its plain words and concepts
        when it is a plain query (else None): what a sharded index needs to
        know of a query before its shards run it."""
        parsed, restrict = self.parse(text, kinds)
        if parsed is NullQuery:
            return False, None
        return True, (_plain(parsed, text) if restrict is None else None)

    def phrase_counts(self, phrases: list[str]) -> dict[str, tuple[int, int]]:
        """(live passages, sources) holding each phrase (words joined by
        spaces) here: the corpus statistics have no entry for phrases."""
        fast = self._fast_scorer()
        return {phrase: fast.count(phrase) for phrase in phrases}

    def feedback_evidence(self, query: str, feedback: bool | str | Feedback) -> list[tuple]:
        """What feedback would learn from here for a plain `query`: its
        best passages' `(score, path, words, weights)`, best first."""
        parsed, restrict = self.parse(query)
        plain = _plain(parsed, query) if parsed is not NullQuery and restrict is None else None
        if plain is None:
            return []
        fast = self._fast_scorer()
        scores = fast.scores(plain[0], concepts=plain[1])
        stored = self._searcher.stored_fields
        return [
            (score, stored_passage(stored(p))["path"], words, data)
            for score, p, words, data in evidence(fast, scores, _feedback(feedback))
        ]

    # --- corpus statistics ------------------------------------------------

    def passage_count(self) -> int:
        """The number of passages (at least 1)."""
        if self.stats is not None:
            return self.stats.collection.passages or 1
        return self._searcher.doc_count() or 1

    def passages_holding(self, stem: str) -> int:
        """The number of passages whose body holds the analysed word `stem`."""
        if self.stats is not None:
            known = self.stats.term(stem)
            return known.body if known is not None else 0
        return self._searcher.doc_frequency("body", stem)

    # --- spelling ----------------------------------------------------------

    @guarded
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            words = self.stats.words() if self.stats is not None else self._db.words()
            self._vocabulary = Vocabulary(words)
        return self._vocabulary

    @guarded
    def suggest(self, query: str) -> dict[str, str]:
        """Suggestions for the query's words that the index does not contain."""
        suggestions = {}
        for number, piece in enumerate(plain_words(query)):
            typed = word_core(piece.text)
            word = typed.lower()
            if number and typed[:1].isupper():
                continue  # a capitalised word inside a query is likely a name
            if (
                len(word) < 3
                or not word.isalpha()
                or is_stop_word(word)
                or word in self.synonyms.words
                or word in self.vocabulary()
                or self._indexed(word)
            ):
                continue
            suggestion = self.vocabulary().suggest(word)
            # Never a stop word, which would drop the word from the search
            # ("show" is no typo of "how").
            if suggestion and not is_stop_word(suggestion):
                suggestions[word] = suggestion
        return suggestions

    def corrected(self, text: str) -> str | None:
        """`text` with each word the index lacks replaced by its suggestion, or
        None when `suggest` has none.  `ask` and `audit` answer the corrected
        wording, as `search` runs the corrected query, and say so."""
        suggestions = self.suggest(text)
        return _apply(text, suggestions) if suggestions else None

    def _indexed(self, word: str) -> bool:
        """Whether the index holds the term `word` is searched under: a word
        spelt another way than the sources spell it ("tumour" for "tumor")
        already finds them, so it needs no suggestion."""
        term = stem(word)
        if self.stats is not None:
            return self.stats.term(term) is not None
        reader = self._searcher.reader()
        return any((field, term) in reader for field in ("body", "title"))

    # --- passages and sources ---------------------------------------------

    @guarded
    def passage(self, passage_id: str) -> tuple[Passage, SourceInfo]:
        """The passage with this id and its source.

        Never another passage in its place: for an id the index held once
        (`retired`), raises `PassageChanged` naming the passage now nearest
        to it in its document, or `PassageGone` when the document is gone;
        for an id it never held, `UnknownPassage`."""
        path = passage_id.rpartition("#")[0]  # (an id is its path, "#", an anchor)
        for fields in self._searcher.documents(path=path):
            if stored_passage(fields)["passage_id"] == passage_id:
                return self._texts.passage(fields)
        retired = self._db.retired(passage_id)
        if retired is None:
            raise UnknownPassage(
                f"no passage {passage_id!r} in the index; ids look like `guide.md#3f9a1c2b7e` "
                "(see `groundsearch search ... --json`)"
            )
        path, text, now = retired
        if self._db.text(path) is None:
            raise PassageGone(
                f"passage {passage_id!r} is gone: {path} is no longer in the index"
            )
        if now is not None:
            raise PassageChanged(
                f"passage {passage_id!r} is an id from an older groundsearch; the same text "
                f"is now passage {now!r}",
                now,
            )
        nearest, share = nearest_passage(text, self.passages(path))
        if nearest is None:
            raise PassageChanged(
                f"passage {passage_id!r} has changed since it was cited: "
                f"{path} holds no passage now"
            )
        raise PassageChanged(
            f"passage {passage_id!r} has changed since it was cited; nearest now: "
            f"{nearest.passage_id!r} ({path}:{nearest.line}, {share:.0%} of its words)",
            nearest.passage_id,
        )

    @guarded
    def passages(self, path: str) -> list[Passage]:
        """Every passage of one source, in document order."""
        found = [p for p, _ in self._texts.passages(list(self._searcher.documents(path=path)))]
        return sorted(found, key=lambda p: p.start)

    @guarded
    def source_text(self, path: str) -> str:
        text = self._db.text(path)
        if text is None:
            raise UnknownPassage(f"no source {path!r} in the index")
        return text

    @guarded
    def sources(self) -> list[Source]:
        """Every indexed source, by path."""
        return self._db.sources()


_WORDS = re.compile(r"\w+")


def nearest_passage(text: str, passages: list[Passage]) -> tuple[Passage | None, float]:
    """The passage with the most words of `text` in common (the first of
    equals), and the share of `text`'s words it holds."""
    wanted = Counter(w.casefold() for w in _WORDS.findall(text))
    best, most = None, -1
    for passage in passages:
        found = Counter(w.casefold() for w in _WORDS.findall(passage.text))
        common = sum((wanted & found).values())
        if common > most:
            best, most = passage, common
    return best, (most / max(1, sum(wanted.values())) if best else 0.0)


def _any_of(queries: list) -> Or | Term:
    return queries[0] if len(queries) == 1 else Or(queries)


def _plain(parsed, text: str):
    """`(words, concepts)` of a plain free-text query for the fast scorer
    (synonyms and the joined spellings of its hyphenated words), or None."""
    plain = plain_query(parsed)
    if plain is None:
        return None
    words, concepts = plain
    return words, concepts + joined_forms(text)


#: The `feedback=` argument for each name the CLI and the benchmarks take.
FEEDBACK_SETTINGS: dict[str, bool | str] = {"off": False, "on": True, "auto": "auto"}


def _feedback(value: bool | str | Feedback) -> Feedback | None:
    """The feedback a `feedback=` argument asks for: False, True or "auto"
    (or a `Feedback`, as a sharded index passes its shards)."""
    if isinstance(value, Feedback):
        return value
    if value == "auto":
        return AUTO_FEEDBACK
    if value is True:
        return DEFAULT_FEEDBACK
    if value is False or value is None:
        return None
    raise QueryError(f"feedback must be False, True or 'auto', not {value!r}")


def _apply(query: str, suggestions: dict[str, str]) -> str:
    """`query` with each misspelt plain word replaced by its suggestion."""
    out, cursor = [], 0
    for piece in plain_words(query):
        core = word_core(piece.text)
        fix = suggestions.get(core.lower())
        if not fix:
            continue
        start = piece.start + piece.text.index(core)
        out += [query[cursor:start], fix]
        cursor = start + len(core)
    out.append(query[cursor:])
    return "".join(out)
