"""What the fast scorer reads, segment by segment: each segment's scores
file, memory-mapped (`indexer.open_scores`), or for a segment without one the
same arrays read from Whoosh's postings and columns (`WhooshScores`).
Phrases are counted from Whoosh's positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import (
    BOILERPLATE,
    leaf_readers,
    open_scores,
    read_postings,
    source_lengths,
    source_numbers,
    stored_passage,
    term_text,
)

#: The fields the scorer reads.
FIELDS = ("title", "body")


@dataclass
class Segment:
    """One segment as the scorer sees it: its arrays (`scores`), where its
    passages and sources start among the index's, and which of its passages
    are live (None: all of them)."""

    scores: object
    offset: int
    source_offset: int
    live: np.ndarray | None
    source_length: dict[str, np.ndarray]
    """Each source's title and body length, counting live passages only."""
    live_sources: np.ndarray | None
    """Which sources have a live passage (None: all of them)."""


def segments(reader, folder: Path) -> list[Segment]:
    """The segments of `reader` (an index in `folder`), in document order."""
    found, sources = [], 0
    for leaf, offset in leaf_readers(reader):
        scores = _open(leaf, folder)
        live, lengths, live_sources = None, scores.source_length, None
        if leaf.has_deletions():
            live = np.ones(scores.docs, dtype=bool)
            live[np.fromiter(leaf.segment().deleted_docs(), np.int64)] = False
            kept = {f: np.where(live, scores.length[f], 0) for f in FIELDS}
            lengths = source_lengths(scores.source, scores.sources, kept)
            live_sources = np.bincount(scores.source[live], minlength=scores.sources) > 0
        found.append(Segment(scores, offset, sources, live, lengths, live_sources))
        sources += scores.sources
    return found


def _open(leaf, folder: Path):
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    mapped = open_scores(folder, segment.segment_id()) if segment is not None else None
    if mapped is not None and mapped.docs == leaf.doc_count_all() and mapped.source is not None:
        return mapped
    return WhooshScores(leaf)


class WhooshScores:
    """A segment's scorer arrays read from Whoosh, for a segment without its
    scores file: the attributes and `postings` of
    `indexer.storage.scores.SegmentScores`, in memory."""

    def __init__(self, leaf):
        self._leaf = leaf
        n = self.docs = leaf.doc_count_all()
        schema = leaf.schema
        self.boosts = {f: getattr(schema[f].format, "field_boost", 1.0) or 1.0 for f in FIELDS}
        self.length = field_lengths(leaf, FIELDS, self.boosts)
        source = None
        if leaf.has_column("passage_number"):
            numbers = np.fromiter(leaf.column_reader("passage_number"), np.int64, count=n)
            source = source_numbers(numbers)
        self._paths = None
        if source is None:  # sources in path order, from the `path` postings
            source, self._paths = np.zeros(n, np.uint32), []
            for term in leaf.lexicon("path"):
                ids = np.fromiter(leaf.postings("path", term).all_ids(), np.int64)
                source[ids] = len(self._paths)
                self._paths.append(term_text(term))
        self.source = source
        self.sources = int(source.max()) + 1 if n else 0
        self.source_length = source_lengths(source, self.sources, self.length)
        kind = ("kind", BOILERPLATE)
        self.boilerplate = (
            np.fromiter(leaf.postings(*kind).all_ids(), np.int64) if kind in leaf
            else np.zeros(0, np.int64)
        )

    def postings(self, fieldname: str, term: str):
        """(document numbers, weights) of `term` in `fieldname` (its live
        passages), or None."""
        if (fieldname, term) not in self._leaf:
            return None
        return read_postings(self._leaf.postings(fieldname, term))

    def path(self, source: int) -> str:
        if self._paths is not None:
            return self._paths[source]
        first = int(np.searchsorted(self.source, source))
        return stored_passage(self._leaf.stored_fields(first))["path"]


def phrase_postings(reader, fieldname: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
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


def field_postings(reader, fieldname):
    """(term text, doc numbers, weights) for each term of a field, reading
    whole posting blocks where the codec allows it (global doc numbers)."""
    per_term: dict[str, list] = {}
    for leaf, offset in leaf_readers(reader):
        for term in leaf.lexicon(fieldname):
            ids, weights = read_postings(leaf.postings(fieldname, term))
            per_term.setdefault(term_text(term), []).append((ids + offset, weights))
    for text, parts in per_term.items():
        if len(parts) == 1:
            yield text, parts[0][0], parts[0][1]
        else:
            yield text, np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def field_lengths(reader, fields, boosts: dict[str, float]) -> dict[str, np.ndarray]:
    """Each passage's title and body length in terms: from the index's
    length columns, or (an index built without them) summed from every
    posting (`reader` one segment's)."""
    n = reader.doc_count_all()
    lengths = {}
    for f in fields:
        column = f"{f}_terms"
        if column in reader.schema and reader.has_column(column):
            values = np.fromiter(reader.column_reader(column), dtype=np.float64, count=n)
            if abs(values.sum() - reader.field_length(f)) < 0.5:
                lengths[f] = values
                continue
        lengths[f] = np.zeros(n, dtype=np.float64)
        for _, ids, weights in field_postings(reader, f):
            np.add.at(lengths[f], ids, weights / boosts[f])
    return lengths
