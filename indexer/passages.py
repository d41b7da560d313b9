"""Splitting a document into attributed passages.

Blocks (from the loaders) are split into sentences; each sentence gets a
kind (content, a reader's comment, or boilerplate); runs of sentences of one
kind are packed into passages of at most `max_chars` characters without
cutting a sentence.
"""

from __future__ import annotations

import re
from datetime import datetime

from .boilerplate import paragraph_rule, sentence_rule
from .loaders import HEADING, MENU, Block, Extracted, heading_text
from .model import BOILERPLATE, COMMENT, CONTENT, Passage
from .text import line_of, line_starts, sentence_spans

#: Default upper bound on a passage's length, in characters.
DEFAULT_MAX_CHARS = 600

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_DATE = (
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:,?\s+(?:at\s+)?{_TIME})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_TIME})?"
    rf"|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_TIME})?"
    rf"|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}(?:,?\s+(?:at\s+)?{_TIME})?"
)
SIGNATURE = re.compile(
    r"^\s*(?:posted|submitted|written|commented)\s+by\s*:?\s*"
    rf"(?P<author>[^\n]+?)(?:(?:\s+(?:on|at)\s+|\s*[@,\-–—]\s*|\s+)(?P<date>{_DATE}))?\s*$",
    re.IGNORECASE,
)
_DATE_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%B %d %Y %I:%M %p",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
)


def parse_signature(line: str) -> tuple[str, str | None] | None:
    """`(author, iso_date)` from a signature line such as
    "Posted by: Jason 11/20/2006 2:33:10 AM", or None if it is not one."""
    match = SIGNATURE.match(line)
    if not match:
        return None
    author = match.group("author").strip(" :,-–—")
    if not author or len(author) > 60:
        return None
    return author, parse_date(match.group("date")) if match.group("date") else None


def parse_date(raw: str) -> str | None:
    """ISO 8601 for a date as forum pages write it; None if unparseable."""
    cleaned = re.sub(r"\s+", " ", raw.replace(",", " ").replace(" at ", " ")).strip()
    cleaned = re.sub(r"([ap])\.?m\.?$", lambda m: m.group(1).upper() + "M", cleaned, flags=re.I)
    cleaned = re.sub(r"(\d)([AP]M)$", r"\1 \2", cleaned)
    cleaned = cleaned.replace("Sept ", "Sep ").replace(".", "")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt or "%I" in fmt
        return parsed.isoformat() if has_time else parsed.date().isoformat()
    return None


def split_passages(
    extracted: Extracted, path: str, stem: str, max_chars: int = DEFAULT_MAX_CHARS
) -> list[Passage]:
    """Split an extracted document into passages, in document order."""
    text = extracted.text
    blocks = extracted.blocks
    comments = _comment_blocks(text, blocks)
    starts = line_starts(text)
    passages: list[Passage] = []
    section: str | None = None
    for index, block in enumerate(blocks):
        block_text = text[block.start : block.end]
        if block.type == HEADING and not sentence_rule(block_text):
            section = heading_text(text, block)
            continue
        author = date = None
        if index in comments:
            author, date = comments[index]
            fixed_kind = COMMENT
        elif block.type in (MENU, HEADING) or index in comments.signatures:
            fixed_kind = BOILERPLATE
        elif paragraph_rule(block_text):
            fixed_kind = BOILERPLATE
        else:
            fixed_kind = None
        sentences = [span for unit in block.units for span in sentence_spans(text, *unit)]
        kinds = [
            fixed_kind or (BOILERPLATE if sentence_rule(text[a:b]) else CONTENT)
            for a, b in sentences
        ]
        for group_kind, group in _runs(sentences, kinds):
            for window in _pack(group, max_chars):
                start, end = window[0][0], window[-1][1]
                passages.append(
                    Passage(
                        passage_id=f"{stem}#{len(passages) + 1}",
                        path=path,
                        start=start,
                        end=end,
                        line=line_of(starts, start),
                        text=text[start:end],
                        kind=group_kind,
                        section=section,
                        author=author if group_kind == COMMENT else None,
                        date=date if group_kind == COMMENT else None,
                        sentences=tuple(window),
                    )
                )
    return passages


class _Comments(dict):
    """Block index -> (author, date) for comment blocks; `.signatures` holds
    the indexes of the signature lines themselves."""

    signatures: set[int]


def _comment_blocks(text: str, blocks: list[Block]) -> _Comments:
    """Find forum comments: the text above each "Posted by: NAME DATE" line.

    A comment runs back to the previous signature; the first comment on a
    page is only the block directly above its signature, since above that
    is usually the article itself.
    """
    found = _Comments()
    found.signatures = set()
    previous: int | None = None
    for index, block in enumerate(blocks):
        if len(block.units) != 1:
            continue
        parsed = parse_signature(text[block.start : block.end])
        if not parsed:
            continue
        found.signatures.add(index)
        first = previous + 1 if previous is not None else index - 1
        for body in range(max(first, 0), index):
            if blocks[body].type != HEADING and body not in found.signatures:
                found[body] = parsed
        previous = index
    return found


def _runs(sentences, kinds):
    """Group consecutive sentences of the same kind."""
    group: list[tuple[int, int]] = []
    current = None
    for span, kind in zip(sentences, kinds, strict=True):
        if group and kind != current:
            yield current, group
            group = []
        group.append(span)
        current = kind
    if group:
        yield current, group


def _pack(sentences: list[tuple[int, int]], max_chars: int):
    """Greedily pack whole sentences into windows of at most `max_chars`
    (a single longer sentence is a window of its own)."""
    window: list[tuple[int, int]] = []
    for span in sentences:
        if window and span[1] - window[0][0] > max_chars:
            yield window
            window = []
        window.append(span)
    if window:
        yield window
