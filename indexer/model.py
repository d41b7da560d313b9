"""The records the indexer produces and the rest of groundsearch reads.

`Passage` and `Source` are the public contract: the JSON written by every
command, the HTML pages and the benchmarks read these fields by name.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

#: The three kinds of passage.
CONTENT = "content"
COMMENT = "comment"
BOILERPLATE = "boilerplate"
KINDS = (CONTENT, COMMENT, BOILERPLATE)

#: Default upper bound on a passage's length, in characters.
DEFAULT_MAX_CHARS = 600


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Who said it and where: the attribution shown beside every passage."""

    path: str
    """Path of the document relative to the corpus folder, with `/` separators."""
    title: str
    url: str | None = None
    publisher: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Source:
    """One indexed document: its attribution, its text and how it was read."""

    info: SourceInfo
    text: str
    """The text that passage offsets refer to: for `.txt` and Markdown the
    file as Python's text mode reads it (line endings read as `\\n`), for
    HTML the extracted text."""
    sha256: str
    """Hash of the file's bytes and its metadata, used by incremental indexing."""
    format: str
    """`txt`, `html` or `md`."""
    encoding: str
    retrieved: str | None = None
    passages: int = 0
    notes: tuple[str, ...] = ()
    """What was degraded while reading it, e.g. a guessed encoding."""
    kinds: dict[str, int] = field(default_factory=dict)
    """Number of passages of each kind."""

    def to_dict(self) -> dict:
        return {
            **self.info.to_dict(),
            "retrieved": self.retrieved,
            "format": self.format,
            "encoding": self.encoding,
            "passages": self.passages,
            "kinds": dict(self.kinds),
            "chars": len(self.text),
            "notes": list(self.notes),
        }


def fingerprint(text: str) -> str:
    """The SHA-256 of `text` (UTF-8), in hex: what a report records of each
    quote, so that `groundsearch check` can tell whether it still stands."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of whole sentences from one block of one source.

    `source_text[start:end] == text` always holds, where `source_text` is the
    `Source.text` of `path`.
    """

    passage_id: str
    """`<file stem>#<n>`, n counting from 1 in document order."""
    path: str
    start: int
    end: int
    line: int
    """1-based line of `start` in the source text."""
    text: str
    kind: str
    """`content`, `comment` or `boilerplate`."""
    section: str | None = None
    author: str | None = None
    """For comments: the poster's name from the signature."""
    date: str | None = None
    """For comments: ISO 8601 date (and time when the signature gives one)."""
    sentences: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    """Source offsets of the sentences in the passage."""

    def to_dict(self) -> dict:
        """The passage as JSON shows it: its `path` is in its source's
        attribution beside it, and its sentences' offsets are not shown."""
        return {
            "passage_id": self.passage_id,
            "text": self.text,
            "sha256": fingerprint(self.text),
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "kind": self.kind,
            "author": self.author,
            "date": self.date,
            "section": self.section,
        }


@dataclass(slots=True)
class IndexReport:
    """What an indexing run did, file by file."""

    index: str
    corpus: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """`{"path", "reason"}` for each document that could not be read (a
    previous version, if any, stays in the index)."""
    ignored: list[dict] = field(default_factory=list)
    """`{"path", "reason"}` for files that are not documents (other types,
    links leaving the corpus folder)."""
    notes: list[dict] = field(default_factory=list)
    """`{"path", "note"}` for files indexed in a degraded way."""
    sources: int = 0
    passages: int = 0
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "corpus": self.corpus,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "notes": self.notes,
            "sources": self.sources,
            "passages": self.passages,
            "rebuilt": self.rebuilt,
        }


@dataclass(frozen=True, slots=True)
class IndexSettings:
    """Settings that change what is in the index; changing one rebuilds it."""

    max_chars: int = DEFAULT_MAX_CHARS

    def to_dict(self) -> dict:
        return {"max_chars": self.max_chars}
