"""groundsearch's indexer: documents in, attributed passages and a Whoosh index out.

The names below are what the rest of groundsearch (the `search` package) may
use; everything else in `indexer` is its own business.  `index_folder`,
`SUPPORTED_SUFFIXES` and the names of sharded and parallel runs are
imported on first use: a search reads no documents, and reading them is
most of what `indexer` imports.
"""

from . import _whoosh  # noqa: F401  (first: Whoosh imported without what we never use)
from .errors import (
    ClusterUnavailable,
    CorpusError,
    GroundsearchError,
    IndexCorrupt,
    IndexingFailed,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    Interrupted,
    MetadataError,
    PassageChanged,
    PassageGone,
    QueryError,
    ShardsMismatch,
    UnknownPassage,
    UnreadableDocument,
)
from .metadata import load_synonyms
from .model import (
    BOILERPLATE,
    COMMENT,
    CONTENT,
    DEFAULT_MAX_CHARS,
    KINDS,
    IndexReport,
    IndexSettings,
    Passage,
    Source,
    SourceInfo,
    fingerprint,
)
from .reading import READING_VERSION
from .spellings import fold
from .storage.manifest import ShardedStore, open_statistics, shard_of, update_hint
from .storage.postings import leaf_readers, read_postings, term_text
from .storage.schema import (
    ASCII_TOKEN_PATTERN,
    STOP_WORDS,
    TOKEN_PATTERN,
    body_analyzer,
    make_schema,
    stem,
    stored_passage,
    term_of,
    terms_of,
    title_text,
)
from .storage.scores import open_scores, source_lengths, source_numbers
from .storage.sources import SourceTable
from .storage.statistics import Collection, Statistics, TermStats
from .storage.store import IndexStore, rebuild_hint
from .text import is_list_item, line_of, line_start_within, line_starts, sentence_spans

__all__ = [
    "ASCII_TOKEN_PATTERN",
    "BOILERPLATE",
    "COMMENT",
    "CONTENT",
    "DEFAULT_MAX_CHARS",
    "KINDS",
    "READING_VERSION",
    "STOP_WORDS",
    "SUPPORTED_SUFFIXES",
    "TOKEN_PATTERN",
    "Cluster",
    "ClusterUnavailable",
    "Collection",
    "CorpusError",
    "GroundsearchError",
    "IndexCorrupt",
    "IndexLocked",
    "IndexMissing",
    "IndexOutdated",
    "IndexReport",
    "IndexSettings",
    "IndexStore",
    "IndexingFailed",
    "Interrupted",
    "LocalPool",
    "MetadataError",
    "Passage",
    "PassageChanged",
    "PassageGone",
    "QueryError",
    "ShardedStore",
    "ShardsMismatch",
    "Source",
    "SourceInfo",
    "SourceTable",
    "Statistics",
    "TermStats",
    "UnknownPassage",
    "UnreadableDocument",
    "body_analyzer",
    "fingerprint",
    "fold",
    "index_folder",
    "is_list_item",
    "leaf_readers",
    "line_of",
    "line_start_within",
    "line_starts",
    "load_synonyms",
    "make_schema",
    "open_scores",
    "open_statistics",
    "read_postings",
    "rebuild_hint",
    "sentence_spans",
    "shard_of",
    "source_lengths",
    "source_numbers",
    "stem",
    "stored_passage",
    "term_of",
    "terms_of",
    "term_text",
    "title_text",
    "update_hint",
]


#: Names imported on first use, and their modules.
_LATER = {
    "index_folder": ".folder",
    "SUPPORTED_SUFFIXES": ".reading.loaders",
    "Cluster": ".parallel",
    "LocalPool": ".parallel",
}


def __getattr__(name: str):
    if name in _LATER:
        from importlib import import_module

        return getattr(import_module(_LATER[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
