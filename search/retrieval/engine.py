"""Searching an index: ranked passages with their source attribution."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import collectors
from whoosh.query import And, Every, NullQuery, Or, Term
from whoosh.scoring import BM25F

from indexer import (
    BOILERPLATE,
    KINDS,
    SOURCES_DB,
    IndexStore,
    Passage,
    QueryError,
    Source,
    SourceInfo,
    UnknownPassage,
    body_analyzer,
    connect,
    stem,
)

from . import bm25f
from .integrity import damaged, guarded, query_or_damage
from .query import (
    SYNTAX_HINT,
    Synonyms,
    check_length,
    is_stop_word,
    make_parser,
    parse,
    plain_words,
    split_filters,
    word_core,
)
from .spelling import Vocabulary

#: Boilerplate passages score this fraction of their BM25F score.
BOILERPLATE_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked passage."""

    rank: int
    score: float
    passage: Passage
    source: SourceInfo
    matches: tuple[tuple[int, int], ...]
    """Offsets, within the passage text, of the words that matched the query."""

    @property
    def highlights(self) -> str:
        """The passage text with each match wrapped in `**`."""
        return mark(self.passage.text, self.matches, "**", "**")

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "passage_id": p.passage_id,
            "text": p.text,
            "start": p.start,
            "end": p.end,
            "line": p.line,
            "kind": p.kind,
            "author": p.author,
            "date": p.date,
            "section": p.section,
            "source": self.source.to_dict(),
            "highlights": self.highlights,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one search."""

    query: str
    corrected_query: str | None
    """The query that actually ran, when spelling correction changed it."""
    total: int
    hits: tuple[Hit, ...]
    suggestions: dict[str, str]
    """Unknown query word -> suggested word from the index."""

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "corrected_query": self.corrected_query,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "suggestions": self.suggestions,
        }


def mark(text: str, spans, before: str, after: str) -> str:
    """`text` with `before`/`after` around each `(start, end)` span."""
    out, cursor = [], 0
    for start, end in spans:
        out += [text[cursor:start], before, text[start:end], after]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


class _Ranking(BM25F):
    """BM25F that scales down boilerplate passages."""

    def __init__(self, penalised: frozenset[int], **kwargs):
        super().__init__(**kwargs)
        self.penalised = penalised
        self.use_final = bool(penalised)

    def final(self, searcher, docnum, score):
        return score * BOILERPLATE_WEIGHT if docnum in self.penalised else score


class Index:
    """An open index.  Use as a context manager, or call `close()`."""

    def __init__(self, index_dir: Path, synonyms: list[list[str]] | None = None):
        self.store = IndexStore(Path(index_dir))
        self.generation = self.store.current()
        self.meta = self.store.read_meta(self.generation)
        self._ix, self._searcher = self.store.open_whoosh(self.generation)
        self._db = connect(self.generation / SOURCES_DB, readonly=True)
        boilerplate = self._searcher.docs_for_query(Term("kind", BOILERPLATE))
        self._searcher.weighting = _Ranking(frozenset(boilerplate), B=0.75, K1=1.2)
        self.synonyms = Synonyms(synonyms if synonyms is not None else self.meta.get("synonyms", []))
        self._parser = make_parser(self._ix.schema)
        self._analyzer = body_analyzer()
        self._vocabulary: Vocabulary | None = None
        self._fast: bm25f.FastScorer | None = None  # built on the first plain query
        self._id_table = None  # passage ids, read on the first `rank`
        self._source_table = None  # passage -> source, read with the fast scorer

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
    ) -> SearchResult:
        """Rank passages for `query`.

        If the query names a word the index does not hold, a spelling
        suggestion is made; when the query as typed finds nothing, or a word
        is unknown and a suggestion exists for it, the corrected query runs
        and `corrected_query` says so.

        `feedback=True` adds pseudo-relevance feedback (RM3-style, see
        `bm25f.Feedback`) to plain free-text queries: the words that weigh
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
        options = (_feedback(feedback), highlight)
        hits, total = self._run(corrected or query, limit, kinds, *options)
        if corrected and total == 0:
            hits, total = self._run(query, limit, kinds, *options)
            if total:
                corrected = None
        return SearchResult(query, corrected, total, tuple(hits), suggestions)

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
        scores = fast.ranked_scores(words, _feedback(feedback), concepts)
        if not by_source:
            ids = self._passage_ids()
            chosen, values, _ = bm25f.best_of(scores, limit)
            return [(ids[d], float(v)) for d, v in zip(chosen.tolist(), values.tolist(), strict=True)]
        path_of, names = self._sources()
        best = np.zeros(len(names), dtype=np.float32)
        np.maximum.at(best, path_of, scores)
        chosen, values, _ = bm25f.best_of(best, limit)
        return [(names[p], float(v)) for p, v in zip(chosen.tolist(), values.tolist(), strict=True)]

    def _fast_scorer(self) -> bm25f.FastScorer:
        if self._fast is None:
            self._fast = bm25f.scorer_for(
                self._searcher.reader(),
                self._searcher.weighting.penalised,
                BOILERPLATE_WEIGHT,
                sources=self._source_numbers(),
            )
        return self._fast

    def _passage_ids(self) -> list[str]:
        """Passage number -> passage id, read once from the `passage_id` postings."""
        if self._id_table is None:
            reader = self._searcher.reader()
            ids = [""] * reader.doc_count_all()
            for leaf, offset in bm25f.leaf_readers(reader):
                for term in leaf.lexicon("passage_id"):
                    text = bm25f.term_text(term)
                    for d in leaf.postings("passage_id", term).all_ids():
                        ids[d + offset] = text
            self._id_table = ids
        return self._id_table

    def _source_numbers(self) -> np.ndarray:
        """Passage number -> a number for its source (what the scorer needs).

        A source's passages are added one after another, numbered from 1
        (the `passage_number` column), so each 1 starts the next source;
        much cheaper than reading every path's postings (`_sources`)."""
        reader = self._searcher.reader()
        n = reader.doc_count_all()
        if n and reader.has_column("passage_number"):
            numbers = np.fromiter(reader.column_reader("passage_number"), dtype=np.int64, count=n)
            if numbers[0] == 1 and numbers.all():
                return np.cumsum(numbers == 1) - 1
        return self._sources()[0]  # (an index without the column)

    def _sources(self) -> tuple[np.ndarray, list[str]]:
        """(passage number -> source number, source paths), read once from the
        `path` postings."""
        if self._source_table is None:
            reader = self._searcher.reader()
            number: dict[str, int] = {}
            path_of = np.zeros(reader.doc_count_all(), dtype=np.int64)
            for leaf, offset in bm25f.leaf_readers(reader):
                for term in leaf.lexicon("path"):
                    name = bm25f.term_text(term)
                    ids = np.fromiter(leaf.postings("path", term).all_ids(), dtype=np.int64)
                    path_of[ids + offset] = number.setdefault(name, len(number))
            names = sorted(number)  # source numbers in path order, as before
            position = {name: i for i, name in enumerate(names)}
            renumber = np.asarray([position[name] for name in number] or [0], dtype=np.int64)
            self._source_table = (renumber[path_of], names)
        return self._source_table

    def _run(
        self, text: str, limit: int | None, kinds: tuple[str, ...],
        feedback: bm25f.Feedback | None = None, highlight: bool = True,
    ):
        parsed, restrict = self.parse(text, kinds)
        if parsed is NullQuery:
            return [], 0
        # A plain OR of words (no filter; synonyms allowed) is scored
        # by the vectorised BM25F scorer over this index's own postings
        # (search/retrieval/bm25f.py); every other query runs through Whoosh.
        plain = _plain(parsed, text) if restrict is None and bm25f.ENABLED else None
        concepts = plain[1] if plain is not None else []
        if plain is not None:
            try:
                fast = self._fast_scorer()
                docnums, scores, total = fast.top(plain[0], limit, feedback, concepts)
                stored = self._searcher.stored_fields
                found = [(float(s), stored(int(d))) for d, s in zip(docnums, scores, strict=True)]
            except Exception as exc:  # plain words cannot be at fault: the files are
                raise damaged(self.store.root, exc) from None
        else:
            try:
                results = self._whoosh_search(parsed, limit, restrict)
            except Exception as exc:  # e.g. a fuzzy term on a field without a lexicon
                raise query_or_damage(exc, parsed, restrict, self.store.root, SYNTAX_HINT) from None
            found, total = [(r.score, r.fields()) for r in results], len(results)
        terms = self._match_terms(parsed).union(*(c.terms() for c in concepts))  # "IL6" for "IL-6"
        hits = []
        for rank, (score, fields) in enumerate(found, 1):
            passage, source = _passage_from_fields(fields)
            matches = self._matches(passage.text, terms) if highlight else ()
            hits.append(Hit(rank, score, passage, source, matches))
        return hits, total

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
        rest, filter_pieces = split_filters(text)
        marked_text, marked = self.synonyms.mark(rest)
        parsed = self.synonyms.expand(parse(self._parser, marked_text), marked)
        by_field: dict[str, list] = {}
        for piece in filter_pieces:
            field = piece.split(":", 1)[0]
            by_field.setdefault(field, []).append(parse(self._parser, piece))
        if kinds:
            by_field["kind"] = [Term("kind", k) for k in kinds]
        restrict = And([Or(qs) for qs in by_field.values()]) if by_field else None
        if parsed is NullQuery and restrict is not None and not rest.strip():
            parsed = Every()
        return parsed, restrict

    def _match_terms(self, parsed) -> set[str]:
        """The analysed words the query looks for in passage text (fuzzy
        terms expanded to the words they matched)."""
        reader = self._searcher.reader()
        found = set()
        for leaf in parsed.leaves():
            for field, text in leaf.expanded_terms(reader, phrases=True):
                if field in ("body", "title"):
                    found.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
        return found

    def _matches(self, text: str, terms: set[str]) -> tuple[tuple[int, int], ...]:
        # Same spans as running self._analyzer over the text, with a word cache.
        return bm25f.match_spans(text, terms)

    # --- vocabulary statistics -------------------------------------------

    def content_stems(self, text: str) -> list[str]:
        """The analysed (stemmed, stop-word-free) words of `text`, in order."""
        return [t.text for t in self._analyzer(text)]

    def content_words(self, text: str) -> list[str]:
        """The words of `text` that are not stop words, as typed (lower-cased)."""
        return [w for w in (word_core(p).lower() for p in text.split()) if w and not is_stop_word(w)]

    def passage_count(self) -> int:
        return self._searcher.doc_count() or 1

    def passage_share(self, stem: str) -> float:
        """The share of passages whose body contains `stem`."""
        total = self._searcher.doc_count() or 1
        return self._searcher.doc_frequency("body", stem) / total

    def common_stems(self, stems, share: float, min_passages: int = 0) -> set[str]:
        """The stems of `stems` in more than `share` of the passages: in a
        corpus about one thing ("baclofen" in the seeds) they go without
        saying.  None in a corpus of fewer than `min_passages` passages,
        where a share says little."""
        if self.passage_count() < min_passages:
            return set()
        return {stem for stem in stems if self.passage_share(stem) > share}

    # --- spelling ----------------------------------------------------------

    @guarded
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            words = dict(self._db.execute("SELECT word, sources FROM words"))
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
        reader = self._searcher.reader()
        term = stem(word)
        return any((field, term) in reader for field in ("body", "title"))

    # --- passages and sources ---------------------------------------------

    @guarded
    def passage(self, passage_id: str) -> tuple[Passage, SourceInfo]:
        """The passage with this id and its source; raises `UnknownPassage`."""
        fields = self._searcher.document(passage_id=passage_id)
        if not fields:
            raise UnknownPassage(
                f"no passage {passage_id!r} in the index; ids look like `file_stem#3` "
                "(see `groundsearch search ... --json`)"
            )
        return _passage_from_fields(fields)

    @guarded
    def passages(self, path: str) -> list[Passage]:
        """Every passage of one source, in document order."""
        found = [
            _passage_from_fields(fields)[0]
            for fields in self._searcher.documents(path=path)
        ]
        return sorted(found, key=lambda p: p.start)

    @guarded
    def source_text(self, path: str) -> str:
        row = self._db.execute("SELECT text FROM sources WHERE path = ?", (path,)).fetchone()
        if row is None:
            raise UnknownPassage(f"no source {path!r} in the index")
        return row[0]

    @guarded
    def sources(self) -> list[Source]:
        """Every indexed source, by path."""
        rows = self._db.execute(
            "SELECT path, title, url, publisher, retrieved, format, encoding, text,"
            " passages, notes, sha256, kinds FROM sources ORDER BY path"
        )
        return [
            Source(
                info=SourceInfo(path, title, url, publisher),
                text=text,
                sha256=sha,
                format=fmt,
                encoding=encoding,
                retrieved=retrieved,
                passages=passages,
                notes=tuple(json.loads(notes)),
                kinds=json.loads(kinds),
            )
            for path, title, url, publisher, retrieved, fmt, encoding, text, passages, notes, sha, kinds in rows
        ]


def _passage_from_fields(fields: dict) -> tuple[Passage, SourceInfo]:
    passage = Passage(
        passage_id=fields["passage_id"],
        path=fields["path"],
        start=fields["start"],
        end=fields["end"],
        line=fields["line"],
        text=fields["body"],
        kind=fields["kind"],
        section=fields.get("section"),
        author=fields.get("author"),
        date=fields.get("date"),
        sentences=tuple(tuple(span) for span in fields.get("sentences", ())),
    )
    source = SourceInfo(
        path=fields["path"],
        title=fields["doc_title"],
        url=fields.get("url"),
        publisher=fields.get("publisher"),
    )
    return passage, source


def _plain(parsed, text: str):
    """`(words, concepts)` of a plain free-text query for the fast scorer
    (synonyms and the joined spellings of its hyphenated words), or None."""
    plain = bm25f.plain_query(parsed)
    if plain is None:
        return None
    words, concepts = plain
    return words, concepts + bm25f.joined_forms(text)


#: The `feedback=` argument for each name the CLI and the benchmarks take.
FEEDBACK_SETTINGS: dict[str, bool | str] = {"off": False, "on": True, "auto": "auto"}


def _feedback(value: bool | str) -> bm25f.Feedback | None:
    """The feedback a `feedback=` argument asks for: False, True or "auto"."""
    if value == "auto":
        return bm25f.AUTO_FEEDBACK
    if value is True:
        return bm25f.DEFAULT_FEEDBACK
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


@contextlib.contextmanager
def open_index(index_dir: Path, synonyms: list[list[str]] | None = None):
    """Open the index at `index_dir` for searching."""
    index = Index(index_dir, synonyms)
    try:
        yield index
    finally:
        index.close()
