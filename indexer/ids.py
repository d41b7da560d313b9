"""Passage ids, anchored on what a passage says.

An id is the document's path, `#`, and the first `HASH_CHARS` hex digits of
the SHA-256 of the passage's text, normalised (Unicode NFC, every run of
white space one space): `guide.md#3f9a1c2b7e`.  A second passage of the same
file with the same normalised text gets `-2` after the hash, a third `-3`.

So an id stays the same while its passage's words do, whatever happens
elsewhere in the file or the folder: it names no position and no other
file.  Two files never share an id, since their paths differ and the hash
holds no `#`.  Re-wrapping a paragraph keeps its id; changing a word, even
its case, makes a new one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

#: Hex digits of the text's hash in an id (40 bits: two passages of one file
#: share them about once in 2 million files of 1,000 passages; the second
#: then gets a `-2`).
HASH_CHARS = 10

_ANCHOR = re.compile(rf"[0-9a-f]{{{HASH_CHARS}}}(?:-[1-9][0-9]*)?")


def normalised(text: str) -> str:
    """`text` as its id sees it: NFC, white space runs made one space, trimmed.
    (`str.split` cuts at the characters regular expressions call `\\s`.)"""
    if text.isascii():
        # Most passages are so already: no ASCII white space but single
        # spaces (`isprintable` is false for the others), none at the ends.
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
    else:
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def text_hash(text: str) -> str:
    """The hash part of the id of a passage saying `text`."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:HASH_CHARS]


class IdMaker:
    """Gives the passages of one document their ids, in document order."""

    def __init__(self, path: str):
        self.path = path
        self._seen: Counter[str] = Counter()

    def __call__(self, text: str) -> str:
        anchor = text_hash(text)
        self._seen[anchor] += 1
        copy = self._seen[anchor]
        return f"{self.path}#{anchor}" if copy == 1 else f"{self.path}#{anchor}-{copy}"


def split_id(passage_id: str) -> tuple[str, str]:
    """`(path, anchor)` of an id: what comes before its last `#`, and after."""
    path, _, anchor = passage_id.rpartition("#")
    return path, anchor


def is_current(passage_id: str) -> bool:
    """Whether `passage_id` has today's form (older groundsearch releases
    numbered passages: `guide#3`)."""
    path, anchor = split_id(passage_id)
    return bool(path) and _ANCHOR.fullmatch(anchor) is not None
