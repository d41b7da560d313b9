"""groundsearch's indexer: documents in, attributed passages and a Whoosh index out."""

from .build import IndexReport, IndexSettings, index_folder
from .model import BOILERPLATE, COMMENT, CONTENT, KINDS, Passage, Source, SourceInfo

__all__ = [
    "BOILERPLATE",
    "COMMENT",
    "CONTENT",
    "KINDS",
    "IndexReport",
    "IndexSettings",
    "Passage",
    "Source",
    "SourceInfo",
    "index_folder",
]
