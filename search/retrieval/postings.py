"""Reading a Whoosh index's postings and field lengths into NumPy arrays.

Segment by segment (much faster than through Whoosh's merged view), whole
posting blocks at a time where the codec allows it; doc numbers are global.
"""

from __future__ import annotations

import numpy as np

from indexer import leaf_readers, read_postings, term_text


def term_postings(reader, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(doc numbers, weights) of one term, across segments (global numbers)."""
    ids, weights = [], []
    for leaf, offset in leaf_readers(reader):
        if (fieldname, term) in leaf:
            i, w = read_postings(leaf.postings(fieldname, term))
            ids.append(i + offset)
            weights.append(w)
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(ids), np.concatenate(weights)


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
    posting."""
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
