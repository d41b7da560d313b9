"""What a search returns: ranked passages with their attribution."""

from __future__ import annotations

from dataclasses import dataclass

from indexer import Passage, SourceInfo

from .highlight import mark, match_spans


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked passage."""

    rank: int
    score: float
    passage: Passage
    source: SourceInfo
    matches: tuple[tuple[int, int], ...]
    """Offsets, within the passage text, of the words that matched the query.
    A search passes a `Spans` instead: the offsets are then found when
    first read (see `_Deferred`)."""

    @property
    def highlights(self) -> str:
        """The passage text with each match wrapped in `**`."""
        return mark(self.passage.text, self.matches, "**", "**")

    def at_rank(self, rank: int) -> Hit:
        """This hit at another `rank` (a sharded search numbers its shards'
        hits together); offsets not yet found are still found when read."""
        return Hit(rank, self.score, self.passage, self.source, Hit.matches.unread(self))

    def to_dict(self) -> dict:
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            **self.passage.to_dict(),
            "source": self.source.to_dict(),
            "highlights": self.highlights,
        }


@dataclass(frozen=True, slots=True)
class Spans:
    """What a query looks for in a passage's text (`highlight.match_spans`),
    to find a `Hit`'s `matches` when they are first read."""

    terms: set[str]
    phrases: set[tuple[str, ...]]
    prefixes: set[str]

    def of(self, text: str) -> tuple[tuple[int, int], ...]:
        return match_spans(text, self.terms, self.phrases, self.prefixes)


class _Deferred:
    """`Hit.matches`, its slot holding either the offsets or the `Spans`
    that find them: looking each word of 100 passages up was 40 % of a
    search for the top 100, and most callers read only the hits they show.
    The offsets found are kept in the slot, so they are looked for once."""

    __slots__ = ("_slot",)

    def __init__(self, slot):
        self._slot = slot

    def __get__(self, hit, owner=None):
        if hit is None:
            return self
        value = self._slot.__get__(hit, owner)
        if type(value) is Spans:
            value = value.of(hit.passage.text)
            self._slot.__set__(hit, value)
        return value

    def __set__(self, hit, value):
        self._slot.__set__(hit, value)

    def unread(self, hit):
        """What the slot holds: the offsets, or the `Spans` that find them."""
        return self._slot.__get__(hit, type(hit))


Hit.matches = _Deferred(Hit.matches)


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """The best passages of one source, in a search grouped by source."""

    source: SourceInfo
    total: int
    """How many of the source's passages match."""
    hits: tuple[Hit, ...]
    """Its best passages, best first (each keeps its rank among all passages)."""

    def to_dict(self) -> dict:
        return {
            "source": self.source.to_dict(),
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
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
    total_all_words: int | None = None
    """How many passages hold every word (phrase, prefix) of a query of
    several side by side, none required: the count that tells something
    when `total` is nearly every passage.  None for other queries."""
    groups: tuple[SourceGroup, ...] | None = None
    """With `per_source`: the sources, best passage first, each with its
    best passages (`hits` holds the same hits by rank).  Else None."""
    total_sources: int | None = None
    """With `per_source`: how many sources have a matching passage."""
    notes: tuple[str, ...] = ()
    """What was searched otherwise than typed, one line each: a fuzzy term
    past its limits ("baclofen~9 searched as baclofen~2 ...")."""

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "corrected_query": self.corrected_query,
            "total": self.total,
            "total_all_words": self.total_all_words,
            "hits": [hit.to_dict() for hit in self.hits],
            "suggestions": self.suggestions,
            "total_sources": self.total_sources,
            "groups": None if self.groups is None else [g.to_dict() for g in self.groups],
            "notes": list(self.notes),
        }


def counted(n: int, noun: str) -> str:
    """`n` and `noun`, plural unless `n` is 1: "1 claim", "3 claims"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
