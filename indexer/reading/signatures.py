"""Comment signatures: the lines forum pages sign a reader's comment with.

Most forms sign the comment above them ("Posted by: Jason 11/20/2006",
"-- Gina, 2014-05-06"); WordPress heads it ("Jane Doe says: May 2, 2020").
`Signature.side` says which, or that the page's layout decides.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

#: The comment is the text above the signature ("-- Gina, 2014-05-06").
BELOW = "below"
#: The comment is the text below the signature ("Jane Doe says: May 2, 2020").
ABOVE = "above"
#: Either, as the page lays its comments out ("Posted by: Jason 11/20/2006").
EITHER = "either"

# Signature lines are short; longer lines are never read (the patterns below
# would backtrack quadratically over a long run of spaces).
_MAX_LINE = 200

_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_DATE = (
    rf"{_WEEKDAY}(?:"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:(?:,?\s+(?:at\s+)?|\s+-\s+){_TIME})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_TIME})?"
    rf"|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_TIME})?"
    rf"|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}(?:,?\s+(?:at\s+)?{_TIME})?"
    rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}(?:,?\s+(?:at\s+|um\s+)?{_TIME})?"  # 14.10.2026, day first
    r")"
)
_DASH = r"(?:-{2,}|[—–~])"
# Not "Written by": that is an article's byline, wherever it stands.
_BY = (
    r"(?:(?:original\s+)?post(?:ed)?|submitted|commented|comment|repl(?:y|ied)|answer(?:ed)?)"
    r"\s+(?:by|from)"
)
#: "Posted by: NAME DATE", "Submitted by NAME on DATE", "— Comment by NAME on DATE",
#: "Reply from NAME — DATE", "Original post by NAME — DATE".
SIGNATURE = re.compile(
    rf"^\s*(?:#\d+\s+)?(?P<dash>{_DASH}\s*)?{_BY}\s*:?\s*"  # (a post's number: "#3 Posted by")
    rf"(?P<author>[^\n]+?)(?:(?:\s+(?:on|at)\s+|\s*[@,|»\-–—]\s*|\s+)(?P<date>{_DATE}))?\s*$",
    re.IGNORECASE,
)
# "-- Gina, 2014-05-06", "— Gina May 6, 2014": a date is required, or a dash
# before a quote's source ("— Mark Twain") would sign it.  A name has no
# digits, but a one-word handle may, after its first letter ("-- storm88",
# "-- mike_2001"; not "-- 2001" nor a date).
_HANDLE = r"[^\W\d][\w.\-]*"
_DASHED = re.compile(
    rf"^\s*{_DASH}\s*(?P<author>[^\n\d]+?|{_HANDLE})(?:\s*,\s*|\s+)(?P<date>{_DATE})\s*$",
    re.IGNORECASE,
)
# "LyonLad69 — 17 Jun 2025, 08:41", "**Kasey T.** — June 6, 2024": a name or
# handle of at most four words, then a dash or a dot and a date, alone on
# its line.  One such line may be a byline or a dated heading; a page must
# show two to be read as a thread of them (`Signature.bare`).
_NAME_DATED = re.compile(
    r"^[*_]{0,3}(?P<author>[^\W\d][\w.'’-]*(?:[ \t]+[^\W\d][\w.'’-]*){0,3})[*_]{0,3}"
    rf"[ \t]*(?:{_DASH}|[·•|])[ \t]*(?P<date>{_DATE})\s*$",
    re.IGNORECASE,
)
#: Words that date a page or a line, not name its poster: "Updated — May 2, 2025".
_DATING_WORDS = frozenset(
    """updated published posted edited modified revised date dated filed released issued
    accessed retrieved last first created written by""".split()
)
# "Jane Doe says: May 2, 2020 at 4:15 pm" (a date is required: "The FDA says:"
# opens a quotation).
_SAYS = re.compile(
    rf"^\s*(?P<author>[^\n:]+?)\s+(?:says|said|wrote)\s*:?\s*(?:on\s+)?(?P<date>{_DATE})\s*$",
    re.IGNORECASE,
)
# Lines that look like a signature without being one read above: a comment
# never runs across one (see `signature_like`).
_SIGNATURE_LIKE = re.compile(
    rf"^\s*(?:(?:-{{2,}}|[—–~]+)\s*\w|{_BY}\b)|\b(?:says|wrote)\s*:?\s*$", re.IGNORECASE
)
#: Any date as forum pages write it ("March 3, 2025 at 9:14 pm", "2014-05-06").
ANY_DATE = re.compile(_DATE, re.IGNORECASE)
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
    "%b %d %Y %I:%M %p",
    "%B %d %Y %H:%M",
    "%b %d %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %I:%M %p",
    "%d %b %Y %I:%M %p",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
)


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature line, read: who posted, when (ISO 8601, or None), and on
    which `side` of the line the comment is (`BELOW`, `ABOVE` or `EITHER`)."""

    author: str | None  # None: an unsigned "~~~~" (a reader's, but whose is not shown)
    date: str | None
    side: str
    #: A thread's comment header ("u/Ann · 3y ago · 88 points"): it heads
    #: its comment wherever it stands, never an article's byline.
    thread: bool = False
    #: A social post's header ("**@ann** · Apr 2"): its post is the text
    #: right under it, no blank line between, when there is such text.
    post: bool = False
    #: Only a name and a date ("LyonLad69 — 17 Jun 2025"): a poster's only
    #: where the page shows two or more.
    bare: bool = False


# A wiki talk page's signature, as rendered or as wikitext: "— User:Ann
# (talk) 14:02, 3 May 2024 (UTC)", "[[User:Ann|Ann]] ([[User talk:Ann|talk]])
# 14:02, 3 May 2024 (UTC)", "Ann (talk) 14:02, 3 May 2024 (UTC)"; or the
# "~~~~" a writer typed that was never turned into one.
_WIKI_SIGNATURE = re.compile(
    rf"(?P<lead>{_DASH}\s*(?:\[\[\s*)?(?:User:\s*)?|\[\[\s*User:\s*|User:\s*)?"
    r"(?P<author>[^\s|\[\](){}:][^|\[\](){}:\n]{0,59}?)"
    r"(?:\s*\|[^\]\n]{0,60}\]\])?\s*\((?:\[\[[^\]\n]{0,80}\||\[\[)?\s*talk\s*(?:\]\])?"
    r"(?:\s*[|·•]\s*[^)\n]{0,40})?\)\s*"
    rf"(?P<time>\d{{1,2}}:\d{{2}}),?\s+(?P<date>\d{{1,2}}\s+{_MONTHS}\s+\d{{4}})\s*\(UTC\)\s*$"
    r"|~{3,5}\s*$",
    re.IGNORECASE,
)


_TILDES = re.compile(r"(?<!\S)~{3,5}$")
# Its end: "(talk) 14:02, 3 May 2024 (UTC)", "([[User talk:Ann|talk]]) …".
_TALK = re.compile(
    r"\((?:\[\[[^\]\n]{0,80}\||\[\[)?\s*talk\s*(?:\]\])?(?:\s*[|·•]\s*[^)\n]{0,40})?\)"
    r"\s*\d{1,2}:\d{2},?\s+\d{1,2}\s+[a-z]+\.?\s+\d{4}\s*\(UTC\)$",
    re.IGNORECASE,
)
# Where such a signature may start: a dash, "[[", "User:" or "~~~" after a space.
_WIKI_LEAD = re.compile(r"(?<!\S)(?:-{2}|[—–]|\[\[|User:|~~~)", re.IGNORECASE)


def trailing_signature(line: str) -> int | None:
    """Where a wiki talk page's signature, at the end of the comment it
    signs, starts in a line ("… should go. — User:Ann (talk) 14:02, 3 May
    2024 (UTC)", "… reference 1? ~~~~"), or None.  Run on after text, it
    needs its dash or "User:" (else where the name starts is not known)."""
    tail = line.rstrip()
    if not tail.endswith(("(UTC)", "~~~")):
        return None
    if tail.endswith("~~~"):
        tildes = _TILDES.search(tail)
        return tildes.start() if tildes else None
    talk = _TALK.search(tail, max(0, len(tail) - _MAX_LINE))
    if not talk:
        return None
    # (the name is at most 60 characters, its link markup 80 more)
    for lead in _WIKI_LEAD.finditer(tail, max(0, talk.start() - 150), talk.start()):
        start = lead.start()
        match = _WIKI_SIGNATURE.match(tail, start)
        if match and (match.group("author") is None or match.group("lead")):
            return start if len((match.group("author") or "").split()) <= 5 else None
    return None


# A Reddit-style thread's comment header, as a saved or copied thread shows
# it: "**u/Ann** · 3y ago · 88 points", "u/Ann • 5h", "Posted by u/Ann · 3y
# ago", "[–] Ann 12 points 3 years ago (2 children)", "level 2 · Ann · 4 yr.
# ago", "submitted 3 years ago by Ann".  A header needs its shape: the user's
# "u/" and an age, score or "OP" after a dot; or "[–]", "level N" or
# "submitted" and an age ("u/Ann said so" in a sentence is none).
_USER = r"[A-Za-z0-9][\w-]{0,29}"
_AGE = (
    r"(?:\d+\s*(?:y|yrs?|years?|mo|mos|months?|w|wks?|weeks?|d|days?|h|hrs?|hours?"
    r"|m|mins?|minutes?|s|secs?|seconds?)\.?(?:\s+ago)?"
    r"|an?\s+(?:year|month|week|day|hour|minute)\s+ago|just\s+now)"
)
_POINTS = r"(?:-?\d[\d.,]*k?\s+points?|score\s+hidden)"
# What else a header's line may show: "(OP)", "MODERATOR", "edited 2y ago",
# "(2 children)", the "[+]" of a folded reply, a written date.
_EXTRA = (
    rf"(?:\(?OP\)?|\[S\]|\[M\]|MODERATOR|Mod|Admin|edited|\*"
    rf"|\(\d+\s+child(?:ren)?\)|\[[+–-]\]|{_DATE})"
)
_ITEM = rf"(?:{_AGE}|{_POINTS}|{_EXTRA})"
_DOT = r"\s*[·•|]\s*"
_NEXT = r"(?:\s*[·•|]\s*|\s+)"
_THREAD_HEADER = re.compile(
    rf"(?:posted\s+by\s+)?[*_]{{0,3}}\[?u/(?P<user>{_USER})(?:\]\([^)\s]{{0,300}}\))?[*_]{{0,3}}"
    rf"(?:{_DOT}{_ITEM}|\s+{_AGE})(?:{_NEXT}{_ITEM})*"
    rf"|\[[–+-]\]\s*(?P<old>{_USER}|\[deleted\])(?:\s+{_EXTRA})*(?:\s+{_POINTS})?\s+{_AGE}"
    rf"(?:\s+{_EXTRA})*"
    rf"|level\s+\d+{_DOT}(?P<level>{_USER}|\[deleted\]){_DOT}{_ITEM}(?:{_NEXT}{_ITEM})*"
    rf"|submitted\s+{_AGE}\s+by\s+(?:u/)?(?P<submitted>{_USER})(?:\s+{_EXTRA})*",
    re.IGNORECASE,
)
# A social post's header, as a thread of posts copied from X (Twitter),
# Bluesky or Threads shows it: "**@ann** · Apr 2", "Ann Lee @ann · 2h",
# "**Ann Lee** (@ann) · Apr 2, 2025", "**@ann** ✓ · Apr 2".  It needs the handle's "@" and a date
# or age after a dot ("@ann said so" in a sentence is none).
_AT_HANDLE = r"@[A-Za-z0-9_][\w.-]{0,29}"
_SHORT_DATE = rf"(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS})(?:,?\s+\d{{4}})?"
_POSTED = rf"(?:{_DATE}|{_SHORT_DATE}|{_TIME}|{_AGE})"
_POST_HEADER = re.compile(
    rf"(?:(?P<name>[^@·•|()\s][^@·•|()]{{0,59}}?)\s*)?"
    rf"[*_]{{0,3}}\(?\[?(?P<handle>{_AT_HANDLE})(?:\]\([^)\s]{{0,300}}\))?\)?[*_]{{0,3}}"
    r"(?:\s*\([^()@\n]{1,60}\))?"  # "@ann (Ann Lee, reporter) · Apr 2"
    rf"(?:\s*[✓✔☑✅]\ufe0f?)?"  # a verified account's tick: "**@ann** ✓ · Apr 2"
    rf"(?:{_DOT}{_POSTED})+",
    re.IGNORECASE,
)
# A social post's footer as a copied Facebook page shows it: "Like · Reply ·
# 14h   👍 61" under a comment, "👍😡 134   💬 57 comments   ↪ 22 shares" or
# "👍😮 64 · 38 comments" under a post.
_SOCIAL_FOOTER = re.compile(
    r"\W*(?:like\s*[·•]\s*reply\b"
    # (a count of comments on a short line that is no sentence)
    r"|(?!.*[.!?]\s*$).{0,40}?\b\d[\d.,]*[km]?\s+comments?\b.{0,40}$)",
    re.IGNORECASE,
)
# When it was posted, on a line of its own under the poster's name: "March 12
# at 7:48 AM", "2h", "Yesterday at 9:15 PM".
_POSTED_LINE = re.compile(
    rf"\s*(?:(?:{_POSTED}|yesterday|today)(?:\s+at\s+{_TIME})?)\s*(?:[·•]\s*\W*)?",
    re.IGNORECASE,
)


def social_footer(line: str) -> bool:
    """Whether a line is a social post's footer ("Like · Reply · 14h")."""
    if len(line) > _MAX_LINE:
        return False
    low = line.lower()  # (every line of every page is asked: the regex only where it may match)
    return ("reply" in low or "comment" in low) and _SOCIAL_FOOTER.match(line) is not None


def posted_line(line: str) -> bool:
    """Whether a line only tells when a post was made ("March 12 at 7:48 AM")."""
    return len(line) <= _MAX_LINE and _POSTED_LINE.fullmatch(line) is not None


# The line under a reply's header naming whom it answers ("Replying to @ann").
_REPLYING_TO = re.compile(
    rf"\s*[*_]{{0,2}}replying\s+to\s+{_AT_HANDLE}(?:(?:,\s*|\s+and\s+){_AT_HANDLE})*"
    r"(?:\s+and\s+\d+\s+others?)?[*_]{0,2}\s*",
    re.IGNORECASE,
)
# Quote marks before a nested reply's header ("> > **u/Ann** …").
_QUOTED = re.compile(r"[ \t]*(?:>[ \t]*)+")


def quote_marks(line: str) -> int:
    """How many characters of quote marks and indentation open a line
    ("> > **u/Ann**" → 4)."""
    marks = _QUOTED.match(line)
    return marks.end() if marks else len(line) - len(line.lstrip())


def read_thread_header(line: str) -> Signature | None:
    """A Reddit-style thread's comment header ("**u/Ann** · 3y ago · 88
    points", "[–] Ann 12 points 3 years ago", "level 2 · Ann · 4 yr. ago"),
    quoted or indented as a nested reply's, or None.  It heads its comment
    (`ABOVE`); the author is the user name without "u/", as "User:Ann" on a
    wiki is Ann; the date is only a written one ("3y ago" dates nothing)."""
    if len(line) > _MAX_LINE or not line.strip():
        return None
    return _thread_header(line)


# (The last lines read are kept: a loader and the splitter read a page's
# lines in turn, and `read_signature` reads each as a header first.)
@functools.lru_cache(maxsize=64)
def _thread_header(line: str) -> Signature | None:
    line = line[quote_marks(line) :].rstrip()
    match = _THREAD_HEADER.fullmatch(line)
    if not match:
        return _post_header(line)
    author = next(filter(None, match.group("user", "old", "level", "submitted")))
    if author.lower() in ("[deleted]", "[removed]"):
        author = None  # "[–] [deleted]": a reader's words, whose not shown
    return Signature(author, find_date(line), ABOVE, thread=True)


def _post_header(line: str) -> Signature | None:
    """A social post's header ("**@ann** · Apr 2"): the poster is the
    handle, "@" and all, as the post names them."""
    if "@" not in line:
        return None
    match = _POST_HEADER.fullmatch(line)
    if not match or len((match.group("name") or "").split()) > 6:
        return None
    return Signature(match.group("handle"), find_date(line), ABOVE, thread=True, post=True)


def replying_to(line: str) -> bool:
    """Whether a line under a reply's header names whom it answers
    ("Replying to @ann"): the site's words, not the poster's."""
    return len(line) <= _MAX_LINE and _REPLYING_TO.fullmatch(line) is not None


def read_signature(line: str) -> Signature | None:
    """The signature on a line such as "Posted by: Jason 11/20/2006 2:33:10 AM",
    "-- Gina, 2014-05-06", "Jane Doe says: May 2, 2020", "— User:Ann
    (talk) 14:02, 3 May 2024 (UTC)" or a thread's "u/Ann · 3y ago", or None."""
    if len(line) > _MAX_LINE:
        return None
    return _signature(line)


@functools.lru_cache(maxsize=64)
def _signature(line: str) -> Signature | None:
    header = read_thread_header(line)
    if header:
        return header
    line = line.strip().strip("*_").strip()  # Markdown's emphasis: "**Posted by Harry …**"
    wiki = _WIKI_SIGNATURE.fullmatch(line)
    if wiki:  # (signs the comment above it)
        if wiki.group("author") is None:
            return Signature(None, None, BELOW)
        author = wiki.group("author").strip(" :,-–—»")
        when = parse_date(f"{wiki.group('date')} {wiki.group('time')}")
        return Signature(author, when, BELOW) if author else None
    opens = line.endswith(":")  # "Comment by Dr. Smith on March 15, 2019:" heads what follows
    match = SIGNATURE.match(line.rstrip(":") if opens else line)
    if match:
        author, raw_date = match.group("author"), match.group("date")
        if raw_date is None:
            # "Frank on the 5th": the date is unreadable, the name is still Frank.
            author = re.split(r"\s+(?:on|at)\s+(?=.*\d)", author, maxsplit=1)[0]
        side = ABOVE if opens else BELOW if match.group("dash") else EITHER
    else:
        match = _DASHED.match(line)
        side = BELOW
        if not match:
            match = _SAYS.match(line)
            side = ABOVE
        if not match:
            return _name_dated(line)
        author, raw_date = match.group("author"), match.group("date")
        if len(author.split()) > 5:
            return None
    author = author.strip(" :,-–—»")
    if not author or len(author) > 60 or _NOT_A_POSTER.match(author):
        return None
    if raw_date is None and (len(author.split()) > 4 or re.search(r"[:;]", author)):
        return None  # "Written by experts, reviewed by doctors: our promise"
    return Signature(author, parse_date(raw_date) if raw_date else None, side)


def _name_dated(line: str) -> Signature | None:
    """A line of a name and a date alone ("LyonLad69 — 17 Jun 2025, 08:41"),
    `bare`: the page's layout decides whether it heads or signs its post."""
    match = _NAME_DATED.match(line)
    if not match:
        return None
    words = match.group("author").split()
    if any(w.lower().strip(".") in _DATING_WORDS for w in words):
        return None
    if len(words) > 1 and not all(w[0].isupper() for w in words):
        return None  # "Kickoff moved — 3 May 2025": a sentence's words
    author = match.group("author").strip()
    return Signature(author, parse_date(match.group("date")), EITHER, bare=True)


# What follows "by" in a sentence, not a poster's name: "Submitted by the
# manufacturer to the FDA in 1992.", "Posted by its editors".
_NOT_A_POSTER = re.compile(
    r"(?:the|a|an|its|his|her|their|our|my|your|this|that|these|those)\s", re.IGNORECASE
)


_SAYS_WORD = re.compile(r"\s*\b(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
_BY_WORD = re.compile(rf"^\s*(?:{_BY}|by)\s*:?\s+", re.IGNORECASE)


# What parts a name from the date after it: "Ann » Mon Mar 03, 2025", "Ann | 3 days ago".
_NAME_END = re.compile(r"\s*[»|·•]|\s+(?:on|at)\s*$", re.IGNORECASE)


def poster_name(raw: str) -> str | None:
    """A poster's name as a comment's markup shows it ("Renée Dubois says:",
    "by Ann", "by Ann » Mon Mar 03, 2025 9:14 pm"), or None when it is no
    name (a sentence, "the editors")."""
    raw = _NAME_END.split(ANY_DATE.split(raw, maxsplit=1)[0], maxsplit=1)[0]
    name = _BY_WORD.sub("", _SAYS_WORD.sub("", raw)).strip(" :,-–—»")
    if not name or len(name) > 60 or len(name.split()) > 5 or _NOT_A_POSTER.match(name):
        return None
    return name if re.search(r"[^\W\d_]", name) else None


def find_date(text: str) -> str | None:
    """The first date in a text ("Posted June 9, 2021 at 3:00 pm"), ISO 8601."""
    match = ANY_DATE.search(text)
    return parse_date(match.group()) if match else None


def parse_signature(line: str) -> tuple[str, str | None] | None:
    """`(author, iso_date)` from a signature line such as
    "Posted by: Jason 11/20/2006 2:33:10 AM", or None if it is not one."""
    signature = read_signature(line)
    return (signature.author, signature.date) if signature else None


def signature_like(line: str) -> bool:
    """Whether a short line looks like a signature, read or not: a dash and
    a name, "Posted by …", "… says:", or a few words with a date that are not
    a sentence ("Gina in May 5/6/2014", not "I started it on 5/1/2019.").  A
    comment is never extended across one, since it may sign someone else's words."""
    line = line.strip()
    if not line or "\n" in line or len(line) > 120:
        return False
    if _SIGNATURE_LIKE.search(line):
        return True
    return (
        len(line.split()) <= 8
        and not line.endswith((".", "!", "?"))
        and bool(ANY_DATE.search(line))
    )


def parse_date(raw: str) -> str | None:
    """ISO 8601 for a date as forum pages write it; None if unparseable."""
    cleaned = re.sub(r"\s+", " ", raw.replace(",", " ").replace(" at ", " ")).strip()
    # "14.10.2026": day, month, year (the dots go below)
    # (strptime's %m and %d take one digit or two)
    cleaned = re.sub(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})", r"\3-\2-\1", cleaned)
    cleaned = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.? ", "", cleaned, flags=re.I)
    cleaned = cleaned.replace(" - ", " ")
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
