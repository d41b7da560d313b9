"""Decoding files to text and splitting text into sentences."""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right

from .errors import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode a document's bytes, returning `(text, encoding)`.

    UTF-8 first, then a byte-order mark, then charset detection.  Line
    endings are normalised to `\\n` as Python's text mode does, so the text
    is `open(path, encoding=encoding).read()`: passage offsets count its
    characters, which `show` prints.  Raises `UnreadableDocument` for binary
    data.
    """
    text = None
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            if b"\x00" in data[:8192]:
                raise UnreadableDocument("binary file (contains NUL bytes)") from None
            encoding = _detect(data)
    if text is None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableDocument(f"cannot decode as {encoding}: {exc}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise UnreadableDocument("binary file (mostly control characters)")
    return text, encoding


def decoding_notes(encoding: str) -> list[str]:
    """What to tell the user about how a document was decoded."""
    return [] if encoding.startswith("utf-8") else [f"decoded as {encoding}"]


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableDocument("binary file (no text encoding fits)")
    # Short Western text fits Baltic, Central European and DOS code pages as
    # well as Windows-1252, and detection picks any of them ("J³rgen" in
    # cp775, "Se˝ora" in cp852); pages that are not UTF-8 are far more often
    # 1252.  Another Latin code page wins only when it reads letters where
    # 1252 reads symbols inside words ("Za¿ó³æ" is cp1250's "Zażółć").
    # So is text that is nearly all ASCII, whatever the guess: a lone "é" in
    # "Café." was read as Urdu (cp1006), "Ångström" as Big5.
    western = best.encoding in _LATIN_CODE_PAGES or _nearly_ascii(data)
    if western and _reads_as_well_in_cp1252(data, best.encoding):
        return "cp1252"
    return best.encoding


def _nearly_ascii(data: bytes) -> bool:
    """Whether at most three bytes, or one in twenty, are outside ASCII (a
    name or a dash in English text; a page in another script has most of its
    letters there)."""
    high = len(data) - len(data.translate(None, bytes(range(128, 256))))
    return high <= 3 or high * 20 <= len(data)


#: Single-byte code pages for Latin-script languages, as charset_normalizer names them.
_LATIN_CODE_PAGES = frozenset(
    """
    cp1250 cp1252 cp1254 cp1257 cp1258 latin_1 iso8859_2 iso8859_3 iso8859_4 iso8859_9
    iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 mac_latin2 mac_roman mac_iceland
    mac_turkish hp_roman8 cp437 cp775 cp850 cp852 cp857 cp858 cp860 cp861 cp863 cp865
    """.split()
)

#: A character other than ASCII between two letters.
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


def _reads_as_well_in_cp1252(data: bytes, guess: str) -> bool:
    """Whether Windows-1252 decodes `data` (it leaves no byte undefined) with
    no more symbols inside words than the `guess` does."""
    try:
        western = data.decode("cp1252")
        guessed = data.decode(guess)
    except (UnicodeDecodeError, LookupError):
        return False
    return _symbols_inside_words(western) <= _symbols_inside_words(guessed)


def _symbols_inside_words(text: str) -> int:
    """Non-letters between letters, other than apostrophes, dashes and the
    like ("it’s", "a–b", "wait…what", "l·l"): a letter read in the wrong
    code page."""
    return sum(
        1
        for match in _INSIDE_WORD.finditer(text)
        if not match.group().isalpha()
        and match.group() not in "…·"
        and unicodedata.category(match.group()) not in ("Pd", "Pi", "Pf")
    )


#: Control characters other than \n \t \f \v (\r is gone by the time this runs).
_CONTROL = re.compile("[\x00-\x08\x0d\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample))  # same count as a per-character loop, in C
    return "\x00" in sample or controls / len(sample) > 0.05


# --- sentences -------------------------------------------------------------

# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    """
    dr mr mrs ms prof sr jr st vs etc e.g i.e eg ie inc ltd co corp no nos fig
    figs approx ca cf al dept est govt mt jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun u.s u.k u.s.a ph.d m.d d.o r.n
    vol p pp ed eds op resp
    """.split()
)

# A terminator, any closing quotes/brackets, then the next sentence's start.
# (`[.!?][.!?]*`, not `[.!?]+`: a pattern that starts with a set of
# characters lets the regex engine skip to the next of them, where a repeat
# makes it try a match at every character; scanning SciFact's texts took
# 0.093 s of CPU, now 0.033 s, the same matches.)
_BOUNDARY = re.compile(
    r"""
    (?P<end>[.!?][.!?]*[\"'”’)\]]*)     # terminator and closers
    (?:
        (?P<space>\s+)(?=[\"'“‘(\[]?[A-Z0-9•\-–])   # space, then a capital/digit/bullet
      | (?=[A-Z][a-z])                   # or no space before a capitalised word
    )
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[\w.]+")
_LONGEST_WORD = 64  # characters looked at before a full stop


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return `(start, end)` offsets of the sentences in `text[start:end]`.

    Spans are trimmed of surrounding whitespace, in order, non-overlapping,
    and together cover every non-whitespace character of the range.
    """
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end("end")
        if not _is_boundary(text, match, cursor):
            continue
        spans.append((cursor, cut))
        cursor = cut
    spans.append((cursor, end))
    return [s for s in (trim(text, a, b) for a, b in spans) if s]


#: The last three letters of each abbreviation: a word ending in three
#: others is none of them.
_ABBREVIATION_ENDS = frozenset(word[-3:] for word in _ABBREVIATIONS)


def _is_boundary(text: str, match: re.Match, sentence_start: int) -> bool:
    """Whether `match`, a `_BOUNDARY`, ends the sentence that starts at
    `sentence_start`."""
    dot = match.start("end")
    if text[dot] != ".":
        return True
    # After three ASCII letters that end no abbreviation, `_read_boundary`'s
    # rules come to this: the word is no abbreviation, number, initial or
    # acronym.  (So end 85 % of SciFact's full stops; reading the word before
    # each took most of the time spent finding sentences.)
    if dot - 3 >= sentence_start:
        letters = text[dot - 3 : dot]
        if letters.isalpha() and letters.isascii() and letters.lower() not in _ABBREVIATION_ENDS:
            return match.group("space") is not None or text[dot - 1].islower()
    return _read_boundary(text, match, sentence_start)


def _read_boundary(text: str, match: re.Match, sentence_start: int) -> bool:
    """`_is_boundary` without its shortcut: the word before the full stop read."""
    dot = match.start("end")
    if text[dot] != ".":
        return True
    # Look back a bounded distance: from the sentence's start, each candidate
    # would rescan the growing sentence (quadratic on "etc. Then etc. Then ...").
    word = _word_before(text, max(sentence_start, dot - _LONGEST_WORD), dot).lower()
    if not word:
        return True
    if word in _ABBREVIATIONS:
        return False
    if _numbers_an_item(text, dot, word):
        return False
    # An initial ("Raphael J. Leo") or a dotted acronym ("U.S.A.").
    if len(word) == 1 and word.isalpha() and text[dot - 1].isupper():
        return False
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return match.group("space") is not None and not _next_is_lower(text, match.end())
    if match.group("space") is None:
        # "night.Mood": only a boundary after a lower-case word or a number.
        return text[dot - 1].islower() or text[dot - 1].isdigit() or text[dot - 1] in ")%"
    return True


def _word_before(text: str, start: int, end: int) -> str:
    """The run of word characters and full stops that ends `text[start:end]`
    (or ends before its last character, a newline, as a regex's `$` allows),
    matched backwards.  Searching forwards for a run followed by the end
    tries every start from `start` and scans each word to its end: most of
    the time spent deciding whether a full stop ends a sentence."""
    window = text[start:end]
    if window.endswith("\n"):  # (`$` matches before a last newline too)
        window = window[:-1]
    found = _WORD.match(window[::-1])
    return found.group()[::-1] if found else ""


def _numbers_an_item(text: str, dot: int, word: str) -> bool:
    """Whether the full stop ends the number of a numbered list's item ("1. Step
    one"): a number of at most three digits, first on its line."""
    if not (word.isdigit() and len(word) <= 3):
        return False
    start = line_start_within(text, dot, 8)
    return start is not None and text[start:dot].strip() == word


def _next_is_lower(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].islower()


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`(start, end)` narrowed past whitespace at either end, or None if
    `text[start:end]` is all whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of `text` starts."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def line_start_within(text: str, pos: int, room: int) -> int | None:
    """Where the line holding `pos` starts, if at most `room` characters
    before it; else None.  (A bounded look back: never a scan to the start of
    a long line.)"""
    near = max(0, pos - room)
    newline = text.rfind("\n", near, pos)
    if newline < 0:
        return 0 if near == 0 else None
    return newline + 1


def line_of(starts: list[int], offset: int) -> int:
    """1-based line number of `offset`, given `line_starts(text)`."""
    return bisect_right(starts, offset)


_LIST_ITEM = re.compile(r"^[ \t\u00a0]*(?:[-*+•·‣◦▪●–]|\d{1,3}[.)])[ \t\u00a0]+\S")


def is_list_item(line: str) -> bool:
    """Whether a line is an item of a list: "• Nausea", "- Nausea", "2. Nausea"."""
    return bool(_LIST_ITEM.match(line))
