"""The words of questions, topics and claims: their content words as typed
and as stems, and how common a stem is among an index's passages."""

from __future__ import annotations

from indexer import body_analyzer

from ..retrieval.engine import Index
from ..retrieval.query import is_stop_word, word_core

_ANALYZER = body_analyzer()


def content_stems(text: str) -> list[str]:
    """The analysed (stemmed, stop-word-free) words of `text`, in order."""
    return [t.text for t in _ANALYZER(text)]


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stop words, as typed (lower-cased)."""
    return [w for w in (word_core(p).lower() for p in text.split()) if w and not is_stop_word(w)]


def passage_share(ix: Index, stem: str) -> float:
    """The share of `ix`'s passages whose body contains `stem`."""
    return ix.passages_holding(stem) / ix.passage_count()


def common_stems(ix: Index, stems, share: float, min_passages: int = 0) -> set[str]:
    """The stems of `stems` in more than `share` of `ix`'s passages: in a
    corpus about one thing ("baclofen" in the seeds) they go without saying.
    None in a corpus of fewer than `min_passages` passages, where a share
    says little."""
    if ix.passage_count() < min_passages:
        return set()
    return {stem for stem in stems if passage_share(ix, stem) > share}
