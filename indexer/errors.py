"""Exceptions raised by the indexer and the search layer."""


class GroundsearchError(Exception):
    """Base class: every error groundsearch reports to the user."""


class UnreadableDocument(GroundsearchError):
    """A document could not be read as text (binary, undecodable, unreadable)."""


class CorpusError(GroundsearchError):
    """The corpus folder is missing, not a folder, or holds no documents."""


class MetadataError(GroundsearchError):
    """The corpus metadata or synonym file is malformed."""


class IndexMissing(GroundsearchError):
    """No index exists at the given location."""


class IndexCorrupt(GroundsearchError):
    """The index exists but cannot be read, or was built by another schema version."""


class IndexOutdated(IndexCorrupt):
    """The index was built by an older groundsearch, with another schema version."""


class IndexingFailed(GroundsearchError):
    """An indexing run could not finish (a helper process failed); nothing was published."""


class ShardsMismatch(GroundsearchError):
    """`--shards` names another number of shards than the index has."""


class ClusterUnavailable(GroundsearchError):
    """The Dask cluster named by --scheduler cannot be used (no Dask, no scheduler, no workers)."""


class Interrupted(GroundsearchError):
    """An indexing run was interrupted (Ctrl-C) before it published anything."""


class IndexLocked(GroundsearchError):
    """Another indexing run holds the index's write lock."""


class UnknownPassage(GroundsearchError):
    """No passage has the requested id."""


class PassageChanged(UnknownPassage):
    """The passage an id named is no longer in its document as it was;
    `nearest` is the id of the passage now most like it, or None."""

    def __init__(self, message: str, nearest: str | None = None):
        super().__init__(message)
        self.nearest = nearest

    def __reduce__(self):  # (sent back from a shard's worker whole)
        return type(self), (str(self), self.nearest)


class PassageGone(UnknownPassage):
    """The document of the passage an id named is no longer in the index."""


class QueryError(GroundsearchError):
    """The query cannot be parsed."""
