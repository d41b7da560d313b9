"""Corpus statistics: what BM25F counts over a whole corpus, so that the
shards of a sharded index can score as one index would (see
`search.retrieval.bm25f` for how each figure is used).

    statistics.sqlite
      collection   live passages and sources, and their total title and
                   body lengths in terms (a source's title length is its
                   passages' longest)
      terms        per term of the title and body fields: the live
                   passages holding it in the title, in the body, in
                   either, and the sources holding it in either
      words        the spelling vocabulary: each word and the number of
                   sources it occurs in (as `sources.sqlite`'s)
      filters      the terms of the fields filters name (`source:`, `path:`,
                   `author:`, `date:`), which a filter's value is checked against

`count` writes a generation's own; `merge` sums several (a sharded index's
shards) into one.  Only live passages count: an updated index has the same
statistics as one built afresh from the same documents.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .postings import leaf_readers, read_postings, term_text
from .sources import SOURCES_DB

STATISTICS_DB = "statistics.sqlite"

#: The fields plain words are scored in.
FIELDS = ("title", "body")

_TABLES = (
    "CREATE TABLE collection (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE terms (term TEXT PRIMARY KEY, title INTEGER NOT NULL, body INTEGER NOT NULL,"
    " passages INTEGER NOT NULL, sources INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE words (word TEXT PRIMARY KEY, sources INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE filters (field TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (field, term))"
    " WITHOUT ROWID",
)

#: The fields whose terms filters are checked against.
FILTER_FIELDS = ("source", "path", "author", "date")


@dataclass(frozen=True, slots=True)
class Collection:
    """Corpus-wide counts over live passages."""

    passages: int
    sources: int
    """Sources with at least one live passage."""
    title_terms: int
    body_terms: int
    source_title_terms: int
    """The sum over sources of their longest passage title."""

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class TermStats:
    """How many live passages (and sources) hold one term."""

    title: int
    body: int
    passages: int
    """Passages holding it in the title or the body."""
    sources: int
    """Sources with a passage holding it."""


def count(reader, generation: Path) -> Collection:
    """Write the statistics of the index `reader` reads (the generation at
    `generation`) to `generation/statistics.sqlite`; its collection counts."""
    n = reader.doc_count_all()
    live = np.ones(n, dtype=bool)
    for leaf, offset in leaf_readers(reader):
        if leaf.has_deletions():
            deleted = getattr(leaf, "deleted_docs_set", None)
            if deleted is None:
                deleted = [d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
            live[np.fromiter(deleted, dtype=np.int64) + offset] = False
    numbers = _column(reader, "passage_number", n)
    source_of = np.cumsum(numbers == 1) - 1  # a source's passages are numbered from 1, in a row
    lengths = {f: _column(reader, f"{f}_terms", n) for f in FIELDS}
    live_sources = np.unique(source_of[live])
    longest = np.zeros(int(source_of[-1]) + 1 if n else 0, dtype=np.int64)
    np.maximum.at(longest, source_of[live], lengths["title"][live])
    collection = Collection(
        passages=int(live.sum()),
        sources=len(live_sources),
        title_terms=int(lengths["title"][live].sum()),
        body_terms=int(lengths["body"][live].sum()),
        source_title_terms=int(longest.sum()),
    )
    target = Path(generation) / STATISTICS_DB
    target.unlink(missing_ok=True)
    db = _create(target)
    try:
        db.executemany("INSERT INTO collection VALUES (?, ?)", collection.to_dict().items())
        db.executemany(
            "INSERT INTO terms VALUES (?, ?, ?, ?, ?)", _term_rows(reader, live, source_of)
        )
        db.execute("ATTACH DATABASE ? AS own", (str(Path(generation) / SOURCES_DB),))
        db.execute("INSERT INTO words SELECT word, sources FROM own.words WHERE sources > 0")
        db.executemany(
            "INSERT INTO filters VALUES (?, ?)",
            (
                (field, term_text(term))
                for field in FILTER_FIELDS if field in reader.schema
                for term in reader.lexicon(field)
            ),
        )
        db.commit()
        db.execute("DETACH DATABASE own")
    finally:
        db.close()
    return collection


def _column(reader, name: str, n: int) -> np.ndarray:
    if not n:  # (an empty index has no columns to read)
        return np.zeros(0, dtype=np.int64)
    return np.fromiter(reader.column_reader(name), dtype=np.int64, count=n)


def _term_rows(reader, live: np.ndarray, source_of: np.ndarray):
    """(term, title, body, passages, sources) for every term with a live passage."""
    title: dict[str, np.ndarray] = {}
    for text, ids in _live_postings(reader, "title", live):
        title[text] = ids
    for text, ids in _live_postings(reader, "body", live):
        in_title = title.pop(text, None)
        either = ids if in_title is None else np.union1d(ids, in_title)
        yield (
            text, 0 if in_title is None else len(in_title), len(ids), len(either),
            _distinct(source_of[either]),
        )
    for text, ids in title.items():
        yield text, len(ids), 0, len(ids), _distinct(source_of[ids])


def _live_postings(reader, field: str, live: np.ndarray):
    """(term, live doc numbers) of each term of `field` with a live passage,
    a term at a time (in the order of the merged lexicon)."""
    if field not in reader.schema:
        return
    leaves = leaf_readers(reader)
    for term in reader.lexicon(field):
        parts = []
        for leaf, offset in leaves:
            if len(leaves) == 1 or (field, term) in leaf:
                ids, _ = read_postings(leaf.postings(field, term))
                parts.append(ids + offset)
        ids = parts[0] if len(parts) == 1 else np.concatenate(parts)
        ids = ids[live[ids]]
        if len(ids):
            yield term_text(term), ids


def _distinct(sorted_values: np.ndarray) -> int:
    if not len(sorted_values):
        return 0
    return 1 + int(np.count_nonzero(np.diff(sorted_values)))


def merge(files: list[Path], target: Path) -> Collection:
    """Sum the statistics in `files` (the shards') into `target`."""
    target = Path(target)
    target.unlink(missing_ok=True)
    db = _create(target)
    try:
        for number, path in enumerate(files):
            db.execute(f"ATTACH DATABASE ? AS s{number}", (str(path),))
        for table, key, values in (
            ("collection", "name", ("value",)),
            ("terms", "term", ("title", "body", "passages", "sources")),
            ("words", "word", ("sources",)),
        ):
            union = " UNION ALL ".join(f"SELECT * FROM s{n}.{table}" for n in range(len(files)))
            sums = ", ".join(f"SUM({v})" for v in values)
            db.execute(
                f"INSERT INTO {table} SELECT {key}, {sums} FROM ({union}) GROUP BY {key}"
            )
        union = " UNION ".join(f"SELECT * FROM s{n}.filters" for n in range(len(files)))
        db.execute(f"INSERT INTO filters SELECT DISTINCT field, term FROM ({union})")
        db.commit()
        for number in range(len(files)):
            db.execute(f"DETACH DATABASE s{number}")
    finally:
        db.close()
    return Statistics(target).collection


def _create(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    for table in _TABLES:
        db.execute(table)
    return db


class Statistics:
    """A statistics file, read: the collection counts, and each term's
    counts on demand (kept once read)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = sqlite3.connect(
            f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        rows = dict(self._db.execute("SELECT name, value FROM collection"))
        self.collection = Collection(**{name: rows.get(name, 0) for name in Collection.__slots__})
        self._terms: dict[str, TermStats | None] = {}

    def term(self, term: str) -> TermStats | None:
        """The counts of `term`, or None if no live passage holds it."""
        if term not in self._terms:
            row = self._db.execute(
                "SELECT title, body, passages, sources FROM terms WHERE term = ?", (term,)
            ).fetchone()
            self._terms[term] = TermStats(*row) if row else None
        return self._terms[term]

    def words(self) -> dict[str, int]:
        """The spelling vocabulary: word -> number of sources."""
        return dict(self._db.execute("SELECT word, sources FROM words"))

    def field_terms(self, field: str) -> list[str]:
        """The terms a live passage holds in `field` ("title" or "body"), sorted."""
        if field not in FIELDS:
            raise ValueError(f"no statistics for the field {field!r}")
        return [t for (t,) in self._db.execute(f"SELECT term FROM terms WHERE {field} > 0")]

    def filter_has(self, field: str, term: str) -> bool:
        """Whether a passage holds `term` in the filter field `field`."""
        found = self._db.execute(
            "SELECT 1 FROM filters WHERE field = ? AND term = ?", (field, term)
        ).fetchone()
        return found is not None

    def filter_terms(self, field: str) -> list[str]:
        """Every term of the filter field `field`, sorted."""
        rows = self._db.execute("SELECT term FROM filters WHERE field = ? ORDER BY term", (field,))
        return [term for (term,) in rows]

    def close(self) -> None:
        self._db.close()
