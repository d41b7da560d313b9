"""What a loader reads a document into: its text and its blocks.

Shared by every loader (`plain.py`, `html.py`) and by `passages.py`; it
imports none of them, so the loaders and the HTML reader no longer import
each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST = "list"
#: Site chrome: a run of short link-like lines (navigation), or on a web
#: page an element marked as a menu, breadcrumbs or a cookie banner.
MENU = "menu"


@dataclass(frozen=True, slots=True)
class Poster:
    """Who posted an HTML comment element, as its markup names them (an
    element of class "author" or "fn", a `<time>`): `author`, `date` (ISO
    8601, or None), and whether the block only `signs` it (the name, the
    date, "says:") rather than holding the poster's words.  `author` None:
    a reply nested in a named comment that names no one of its own."""

    author: str | None
    date: str | None
    signs: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or list: one or more units of text.

    A paragraph or heading has one unit; a list has one unit per item (and
    its introducing line, when it ends with a colon).  Sentences never cross
    a unit's edges.  `glued`: the page broke a line, not a paragraph, before
    it (an HTML `<br>`; plain text shows that in its own layout).  `comment`:
    for a signature alone in an HTML element with its comment (`<div
    class="comment"><p>Posted by …</p><p>…</p></div>`), how many blocks of
    that element come before it and after it.  `poster`: for a block of an
    HTML comment element whose markup names its author, who that is.
    """

    type: str
    units: tuple[tuple[int, int], ...]
    glued: bool = False
    comment: tuple[int, int] | None = None
    poster: Poster | None = None

    @property
    def start(self) -> int:
        return self.units[0][0]

    @property
    def end(self) -> int:
        return self.units[-1][1]


@dataclass(slots=True)
class Extracted:
    """What a loader read from one file."""

    text: str
    blocks: list[Block]
    encoding: str
    format: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    retrieved: str | None = None
    notes: list[str] = field(default_factory=list)


class Loader(Protocol):
    """Reads one document format."""

    format: str
    suffixes: tuple[str, ...]

    def load(self, data: bytes) -> Extracted: ...
