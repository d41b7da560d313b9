"""What a search returns: ranked passages with their attribution."""

from __future__ import annotations

from dataclasses import dataclass

from indexer import Passage, SourceInfo

from .highlight import mark


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
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            **self.passage.to_dict(),
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
