"""Reading a Whoosh index's postings into NumPy arrays: segment by segment
(much faster than through Whoosh's merged view), whole posting blocks at a
time where the codec allows it.  The scorer (`search.retrieval.postings`)
and the corpus statistics (`statistics.py`) read them this way."""

from __future__ import annotations

import numpy as np


def leaf_readers(reader) -> list:
    """(segment reader, its first doc number) for each segment of `reader`:
    reading postings segment by segment is much faster than through the
    merged view."""
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def term_text(term) -> str:
    """A term from a Whoosh lexicon (bytes or str) as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


def read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """(doc numbers, weights) of a segment's posting list, in doc order."""
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
    else:  # (postings inlined in the terms table: a `ListMatcher`)
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(ids), np.concatenate(weights)
