"""groundsearch's search layer: ranked passages with their source attribution."""

from .engine import Hit, Index, SearchResult, open_index

__all__ = ["Hit", "Index", "SearchResult", "open_index"]
