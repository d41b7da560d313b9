"""The JSON the command line prints (`--json`), field names being a public
contract (docs/json.md).  Each record has its own `to_dict`; what is built
here only puts records side by side."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from indexer import Passage, Source, SourceInfo

from .terminal import UNSAFE

if TYPE_CHECKING:  # (a search's JSON needs none of the claims layer)
    from ..claims.records import AuditReport


# What `json.dumps` leaves raw but a terminal acts on (what `printable`
# escapes on the terminal, less the C0 codes JSON escapes itself: C1 codes,
# line separators, bidi controls), and lone surrogates (a path that is not
# UTF-8).  They only occur in strings, where `\\uXXXX` is the same
# character to any JSON reader.
_RAW = (*(c for c in UNSAFE if c >= 0x20), *range(0xD800, 0xE000))
_ESCAPED = {c: f"\\u{c:04x}" for c in _RAW}


def dumps(data) -> str:
    """`data` as the command line prints it: indented, non-ASCII kept
    (except the characters in `_RAW`, escaped: safe to print on a terminal)."""
    return json.dumps(data, ensure_ascii=False, indent=2).translate(_ESCAPED)


def dumps_line(data) -> str:
    """`data` on one line, escaped as `dumps` escapes it (`--format jsonl`)."""
    return json.dumps(data, ensure_ascii=False).translate(_ESCAPED)


def shown_passage(passage: Passage, source: SourceInfo, context: dict) -> dict:
    """`show`: a passage, its source and the lines around it."""
    return {**passage.to_dict(), "source": source.to_dict(), "context": context}


def source_list(index: str, sources: list[Source]) -> dict:
    """`sources`: the index's location and every source in it."""
    return {"index": index, "sources": [s.to_dict() for s in sources]}


def audits(reports: list[AuditReport], checklist: bool) -> dict:
    """`audit`: one report as it is, several (or any from a `--topics`
    checklist) under `topics`."""
    if len(reports) == 1 and not checklist:
        return reports[0].to_dict()
    return {"topics": [r.to_dict() for r in reports]}
