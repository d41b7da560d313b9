"""Reading plain text and Markdown documents into text and blocks.

Each loader turns a file's bytes into an `Extracted`: the text that passage
offsets refer to, and the blocks (headings, paragraphs, lists) found in it.
"""

from __future__ import annotations

import re

from ..text import decode, decoding_notes, is_list_item, sentence_spans
from .blocks import HEADING, LIST, MENU, PARAGRAPH, Block, Extracted
from .boilerplate import rules_for, sentence_rule
from .signatures import (
    ANY_DATE,
    quote_marks,
    read_signature,
    read_thread_header,
    replying_to,
    social_footer,
    trailing_signature,
)

# --- plain text ------------------------------------------------------------

_TERMINAL = tuple('.!?:;"”)')
_SIGNATURE_START = re.compile(r"^\s*(?:posted|submitted|written|commented)\s+by\b", re.I)


def _signature(line: str) -> bool:
    """Whether a line signs a comment ("Posted by …", "-- Gina, 2014-05-06",
    "Jane Doe says: May 2, 2020"): never a heading, nor joined to another."""
    return (
        bool(_SIGNATURE_START.match(line))
        or read_signature(line) is not None
        or social_footer(line)  # "Like · Reply · 14h"
    )


def _heading_like(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > 100:  # (before splitting it: a paragraph may be one line)
        return False
    words = stripped.split()
    if not words or len(words) > 14:
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    if stripped.endswith("?"):
        return len(words) <= 8 and "?" not in stripped[:-1]
    return not stripped.endswith(tuple(".!:;,\"”")) and not _signature(stripped)


def _lines(text: str):
    """Yield `(start, end)` of each line, without its newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def text_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Find headings, paragraphs and lists in plain text.

    Blank lines separate blocks; so does a line that ends a sentence, since
    many pages saved as text put one paragraph on each line.  A long line
    that stops mid-sentence is taken as hard-wrapped and joined to the next.
    """
    end = len(text) if end is None else end
    units: list[list] = []  # [type, start, end] per group of lines
    joinable = False
    lines = [(a + start, b + start) for a, b in _lines(text[start:end])]
    # In a thread's quoted replies a line of quote marks alone (">") parts
    # paragraphs as a blank line does; elsewhere it is text like any other.
    thread = any(read_thread_header(text[a:b]) for a, b in lines)
    for a, b in lines:
        line = text[a:b]
        if not line.strip() or (thread and not line.strip(" \t>")):
            joinable = False
            continue
        signed = trailing_signature(line)
        if signed:  # "… should go. — User:Ann (talk) 14:02, 3 May 2024 (UTC)"
            units += [["line", a, a + signed], ["line", a + signed, b]]
        elif is_list_item(line):
            units.append(["item", a, b])
        elif joinable and not _signature(line):
            units[-1][2] = b
        else:
            units.append(["line", a, b])
        last = line.rstrip()
        joinable = (
            units[-1][0] == "line"
            and len(last) >= 50
            and not last.endswith(_TERMINAL)
            and not _signature(line)
        )
    return _group_units(text, [(k, *_strip(text, a, b)) for k, a, b in units])


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _group_units(text: str, units: list[tuple[str, int, int]]) -> list[Block]:
    """Turn line groups into blocks: runs of items become lists, short
    unpunctuated lines become headings."""
    blocks: list[Block] = []
    i = 0
    while i < len(units):
        kind, a, b = units[i]
        if kind == "item":
            items = []
            while i < len(units) and units[i][0] == "item":
                items.append(units[i][1:])
                i += 1
            if not _join_intro(text, blocks, tuple(items)):
                blocks.append(Block(LIST, tuple(items)))
            continue
        if (
            _heading_like(text[a:b])
            and not _asked_under(text, blocks, a, b)
            and not _under_thread_header(text, blocks)
        ):
            blocks.append(Block(HEADING, ((a, b),)))
        else:
            blocks.append(Block(PARAGRAPH, ((a, b),)))
        i += 1
    return _demote_heading_runs(blocks)


def _asked_under(text: str, blocks: list[Block], start: int, end: int) -> bool:
    """Whether the line `text[start:end]` is a question run on under a
    paragraph, no blank line between ("I cannot sleep.\nIs this normal?"):
    the writer's own words, not a heading as "What is baclofen?" alone is."""
    previous = blocks[-1] if blocks else None
    return (
        previous is not None
        and previous.type == PARAGRAPH
        and text[start:end].rstrip().endswith("?")
        and text.count("\n", previous.end, start) == 1
    )


def _under_thread_header(text: str, blocks: list[Block]) -> bool:
    """Whether the last of `blocks` is a thread's comment header ("u/Ann ·
    3y ago"): the line under it is her comment ("Is this normal?"), never
    a heading; nor is the line under its "Replying to @ann" ("WELCOME TO
    LYON MARTA!!!")."""
    if blocks and replying_to(text[blocks[-1].start : blocks[-1].end]):
        blocks = blocks[:-1]
    return bool(blocks) and read_thread_header(text[blocks[-1].start : blocks[-1].end]) is not None


def _demote_heading_runs(blocks: list[Block]) -> list[Block]:
    """Three or more headings in a row are a menu or link list, not headings."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].type == HEADING:
            j += 1
        if j - i >= 3:
            out.extend(Block(MENU, b.units) for b in blocks[i:j])
            i = j
        elif j > i:
            out.extend(blocks[i:j])
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def _site_line(line: str) -> bool:
    """Whether a line is the site's chrome, never a title: each of its
    sentences boilerplate ("We use cookies to give you the best experience
    on our website. ... Accept | Reject | Settings")."""
    spans = sentence_spans(line[:1000])
    return bool(spans) and len(line) <= 1000 and all(sentence_rule(line[a:b]) for a, b in spans)


def _site_span(text: str, start: int, end: int) -> bool:
    """`_site_line(text[start:end])`, each sentence judged by the rules of
    the whole text (`rules_for`), which the splitter then judges with."""
    line = text[start:end]
    spans = sentence_spans(line[:1000])
    if not spans or len(line) > 1000:
        return False
    rule = rules_for(text).rule
    return all(rule(start + a, start + b) for a, b in spans)


#: A note that the story was updated or corrected, never its title: in
#: capitals ("UPDATED 6.40pm:", "CORRECTION:"), or dated ("Updated 6.40pm:",
#: "Correction (March 4):"), or an editor's note; not a title that begins
#: with the word ("Update of the FANTOM web resource: ...").
_UPDATE_NOTE = re.compile(
    r"^\W*(?:(?:UPDATED?|CORRECTION|CLARIFICATION)\b[^:\n]{0,30}"
    r"|(?i:updated?|correction|clarification)[\s(,]+(?i:at\s+|on\s+)?"
    r"(?:\d|(?i:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"[^:\n]{0,30}"
    r"|(?i:editor['’]?s note)\b[^:\n]{0,30}):"
)
#: A byline, never a title: "By Leila Farouk, ClearSight Verification", "By
#: The Associated Press" (a name of two words or more after "By").
_BYLINE = re.compile(
    r"\W*By\s+[A-Z][\w.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.'’-]*){1,4}\s*(?:,.*)?"
)
#: A line of counts, never a title: "Views: 4,812 | Replies: 6".
_STATS = re.compile(r"(?:[|·•]?\s*[A-Za-z][A-Za-z ]{0,20}:\s*[\d,.]+[KkMm]?\s*)+")


def first_heading_or_line(text: str, blocks: list[Block]) -> str | None:
    """A default title: the first heading, else the first line, passing
    over chrome (a cookie banner's line)."""
    for at, block in enumerate(blocks[:3]):
        if block.type != HEADING or (at and _listed_under(text, blocks[at - 1], block)):
            continue
        heading = text[block.start : block.end].strip().lstrip("#").strip()
        if not (
            _no_title_span(text, block.start, block.end)
            if len(heading) == block.end - block.start
            else _no_title(heading)
        ):
            return " ".join(heading.split())  # a heading of two lines, on one line
    for line in text.splitlines():
        if line.strip() and not _no_title(line):
            line = line.strip()
            return line if len(line) <= 120 else line[:117].rsplit(" ", 1)[0] + "…"
    return None


def _no_title(line: str) -> bool:
    """Whether a line never titles its page: the site's chrome ("FOR
    IMMEDIATE RELEASE", a cookie banner), a line of counts, a byline, or a
    note that the story was updated ("UPDATED 6.40pm: This article has been
    ...")."""
    return bool(
        _UPDATE_NOTE.match(line) or _site_line(line) or _STATS.fullmatch(line.strip())
        or _BYLINE.fullmatch(line.strip())
    )


def _no_title_span(text: str, start: int, end: int) -> bool:
    """`_no_title(text[start:end])`, judged by the text's rules (`_site_span`)."""
    line = text[start:end]
    return bool(
        _UPDATE_NOTE.match(line) or _site_span(text, start, end) or _STATS.fullmatch(line.strip())
        or _BYLINE.fullmatch(line.strip())
    )


def _listed_under(text: str, above: Block, block: Block) -> bool:
    """Whether a block is listed under the line above it, no blank line
    between ("PARTICIPANTS:" then "Mayor Dana Okafor"): a name in a list
    is no heading to title the page."""
    between = text[above.end : block.start]
    return text[above.start : above.end].rstrip().endswith(":") and between.count("\n") == 1


def _dateline(line: str) -> bool:
    """Whether the line under a first line is its dateline, byline or
    subtitle ("Transcript, Monday 14 April 2025, 10:00 a.m., City Hall"),
    not the rest of a wrapped sentence: it starts with a capital, ends with
    no sentence's end, and is short or holds a date."""
    line = line.strip()
    if not line or len(line) > 120 or not (line[0].isupper() or line[0].isdigit()):
        return False
    if line.endswith(tuple(".!?:;,")) or _signature(line) or is_list_item(line):
        return False
    return len(line.split()) <= 15 or ANY_DATE.search(line) is not None


def _first_line_title(text: str, blocks: list[Block]) -> list[Block]:
    """A short first line on its own is the page's title, even if it ends
    with a full stop ("Baclofen Withdrawal symptoms and ... agonists.");
    so is a short first line with its dateline or subtitle under it (the
    dateline then a paragraph of its own)."""
    at = 0  # (a cookie banner's line above it is no title)
    while at < len(blocks) - 1 and _site_span(text, blocks[at].start, blocks[at].end):
        at += 1
    if len(blocks) < at + 2 or blocks[at].type != PARAGRAPH or len(blocks[at].units) != 1:
        return blocks
    start, end = blocks[at].units[0]
    first, newline, below = text[start:end].partition("\n")
    if newline and ("\n" in below or not first[:1].isupper() or not _dateline(below)):
        return blocks
    if len(first) > 120 or len(first.split()) > 15 or first.endswith(":"):
        return blocks
    if _UPDATE_NOTE.match(first):
        return blocks  # "UPDATED 6.40pm: ...": a note on the story, not its title
    if read_thread_header(first):
        return blocks  # a thread's first comment, headed on the first line
    if _signature(text[blocks[at + 1].start : blocks[at + 1].end]):
        return blocks  # a forum post, signed on the next line
    if not newline:
        return [*blocks[:at], Block(HEADING, blocks[at].units), *blocks[at + 1 :]]
    title = Block(HEADING, (_strip(text, start, start + len(first)),))
    dateline = Block(PARAGRAPH, (_strip(text, start + len(first) + 1, end),))
    return [*blocks[:at], title, dateline, *blocks[at + 1 :]]


class TextLoader:
    format = "txt"
    suffixes = (".txt", ".text")

    def load(self, data: bytes) -> Extracted:
        text, encoding = decode(data)
        blocks = _first_line_title(text, text_blocks(text))
        notes = decoding_notes(encoding)
        return Extracted(
            text=text,
            blocks=blocks,
            encoding=encoding,
            format=self.format,
            title=first_heading_or_line(text, blocks),
            notes=notes,
        )


# --- Markdown --------------------------------------------------------------

# An ATX heading's opening; its text is the rest of the line without trailing
# spaces and `#`s (stripped in Python: `(.*?)[ \t#]*$` is quadratic on long runs of `#`).
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)
# Possessive `\s*+` and a greedy value: `\s*(.+?)\s*$` backtracks quadratically on long blanks.
_FRONT_FIELD = re.compile(r"^(title|url|publisher|source|date)\s*+:\s*+(.*\S)", re.M | re.I)


class MarkdownLoader:
    """Markdown is indexed as written: offsets point into the file's text
    (as Python's text mode reads it), `#` headings and setext headings
    become section titles."""

    format = "md"
    suffixes = (".md", ".markdown")

    def load(self, data: bytes) -> Extracted:
        text, encoding = decode(data)
        meta = {}
        body_start = 0
        front = _FRONT_MATTER.match(text)
        if front:
            meta = {k.lower(): v.strip("\"'") for k, v in _FRONT_FIELD.findall(front.group(1))}
            body_start = front.end()
        blocks = self._blocks(text, body_start)
        title = meta.get("title")
        if not title:
            # Markdown's own headings: a capitalised line over a list far
            # down ("UPCOMING EVENTS") is no title.
            headings = [
                b
                for b in blocks
                if b.type == HEADING
                and _marked_heading(text, b)
                and not _site_line(_heading_text(text, b))  # "# NEWS RELEASE"
            ]
            title = (
                _heading_text(text, headings[0]) if headings else first_heading_or_line(text, blocks)
            )
        return Extracted(
            text=text,
            blocks=blocks,
            encoding=encoding,
            format=self.format,
            title=title,
            url=meta.get("url") or meta.get("source"),
            publisher=meta.get("publisher"),
            retrieved=meta.get("date"),
            notes=decoding_notes(encoding),
        )

    def _blocks(self, text: str, start: int) -> list[Block]:
        lines = [(a, b) for a, b in _lines(text) if a >= start]
        blocks: list[Block] = []
        chunk_start = None  # start of the current stretch of non-heading lines
        fence = False
        i = 0
        while i < len(lines):
            a, b = lines[i]
            line = text[a:b]
            if _FENCE.match(line):
                fence = not fence
            heading = None
            if not fence:
                if _ATX.match(line):
                    heading = (a, b)
                elif (
                    i + 1 < len(lines)
                    and line.strip()
                    and _SETEXT.match(text[lines[i + 1][0] : lines[i + 1][1]])
                    and not is_list_item(line)
                ):
                    heading = (a, lines[i + 1][1])
            if heading:
                if chunk_start is not None:
                    blocks.extend(_md_chunk(text, chunk_start, a))
                    chunk_start = None
                blocks.append(Block(HEADING, (_strip(text, *heading),)))
                i += 2 if heading[1] != b else 1
                continue
            if chunk_start is None:
                chunk_start = a
            i += 1
        if chunk_start is not None:
            blocks.extend(_md_chunk(text, chunk_start, len(text)))
        return blocks


def _join_intro(text: str, blocks: list[Block], items: tuple) -> bool:
    """Make a list of `items` one block with the paragraph before it, the
    last of `blocks`, if that paragraph opens it ("These include:"): the list
    keeps what it is a list of.  Whether it did."""
    intro = blocks[-1] if blocks and blocks[-1].type == PARAGRAPH else None
    if intro is None or not text[intro.start : intro.end].rstrip().endswith(":"):
        return False
    blocks[-1] = Block(LIST, intro.units + items)
    return True


def _md_chunk(text: str, start: int, end: int) -> list[Block]:
    """Paragraphs and lists between two Markdown headings.  Markdown
    paragraphs are wrapped, so lines join until a blank line."""
    blocks: list[Block] = []
    for a, b in _paragraph_spans(text, start, end):
        lines = [(x + a, y + a) for x, y in _lines(text[a:b])]
        if any(is_list_item(text[x:y]) for x, y in lines):
            found = text_blocks(text, a, b)
            # "Its side effects include:", a blank line, then the list: one
            # block, as in plain text.
            if found and found[0].type == LIST and _join_intro(text, blocks, found[0].units):
                found.pop(0)
            blocks.extend(found)
        else:
            blocks.extend(_signatures_apart(text, lines))
    return [b for b in blocks if b.start < b.end]


def _signatures_apart(text: str, lines: list[tuple[int, int]]) -> list[Block]:
    """A Markdown paragraph, with each signature line in it ("Posted by:
    Erin …" right under her comment, which Markdown would join to it) a
    paragraph of its own, as in plain text.  In a thread's quoted replies
    ("> **u/Ann** · 3y ago" / ">" / "> Her words"), a line of quote marks
    alone parts paragraphs too, and each starts after its quote marks."""
    blocks: list[Block] = []
    run: list[tuple[int, int]] = []
    thread = any(read_thread_header(text[a:b]) for a, b in lines)
    if thread:
        lines = [(a + quote_marks(text[a:b]), b) for a, b in lines]
    for line in lines:
        if thread and line[0] == line[1]:  # ">": a blank line, quoted
            if run:
                blocks.append(Block(PARAGRAPH, (_strip(text, run[0][0], run[-1][1]),)))
            run = []
            continue
        signed = trailing_signature(text[line[0] : line[1]])
        if signed:  # a wiki talk page's, at the end of the comment it signs
            run.append((line[0], line[0] + signed))
            line = (line[0] + signed, line[1])
        words = text[line[0] : line[1]].strip()
        # A signature starts its line with a capital ("written by Dr. Lee and
        # colleagues" in a wrapped sentence is not one).
        capital = words[:1].isupper() or words[:1] in ("-", "—", "–", "*", "_", "~", "[")
        if (capital or thread) and (
            read_signature(words) is not None or (thread and replying_to(words))
        ):
            if run:
                blocks.append(Block(PARAGRAPH, (_strip(text, run[0][0], run[-1][1]),)))
            blocks.append(Block(PARAGRAPH, (_strip(text, *line),)))
            run = []
        else:
            run.append(line)
    if run:
        blocks.append(Block(PARAGRAPH, (_strip(text, run[0][0], run[-1][1]),)))
    return blocks


def _paragraph_spans(text: str, start: int, end: int):
    """Runs of non-blank lines in `text[start:end]`, stripped.  (A line scan:
    a regex for this backtracks quadratically over long blank lines.)"""
    run_start = None
    pos = start
    for line in text[start:end].split("\n"):
        blank = line.isspace() or not line
        if not blank and run_start is None:
            run_start = pos
        elif blank and run_start is not None:
            yield _strip(text, run_start, pos)
            run_start = None
        pos += len(line) + 1
    if run_start is not None:
        yield _strip(text, run_start, end)


def _marked_heading(text: str, block: Block) -> bool:
    """Whether a heading is marked as one in Markdown (`#`, or underlined)."""
    lines = text[block.start : block.end].split("\n")
    return bool(_ATX.match(lines[0])) or (len(lines) == 2 and bool(_SETEXT.match(lines[1])))


def _heading_text(text: str, block: Block) -> str:
    raw = text[block.start : block.end].split("\n")[0]
    match = _ATX.match(raw)
    return (raw[match.end() :].rstrip(" \t#") if match else raw).strip()


def heading_text(text: str, block: Block) -> str:
    """The words of a heading, without Markdown's `#` marks."""
    return _heading_text(text, block)
