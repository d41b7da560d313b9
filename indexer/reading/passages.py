"""Splitting a document into attributed passages.

Blocks (from the loaders) are split into sentences; each sentence gets a
kind (content, a reader's comment, or boilerplate); runs of sentences of one
kind are packed into passages of at most `max_chars` characters without
cutting a sentence.  A long Markdown table is packed a row at a time instead,
and a sentence too long to keep whole (`_LONG_SENTENCE`) is cut (`_cut`).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..ids import IdMaker
from ..model import BOILERPLATE, COMMENT, CONTENT, DEFAULT_MAX_CHARS, Passage
from ..text import line_of, line_starts, sentence_spans, trim
from .blocks import HEADING, LIST, MENU, PARAGRAPH, Block, Extracted
from .boilerplate import paragraph_rule, rules_for, sentence_rule
from .plain import heading_text
from .signatures import (
    ABOVE,
    BELOW,
    EITHER,
    Signature,
    find_date,
    posted_line,
    read_signature,
    replying_to,
    signature_like,
    social_footer,
)

#: Post headers ("**@ann** · Apr 2") that make a page a thread of posts.
THREAD_POSTS = 3
#: A single sentence longer than `max_chars` stays whole, one passage, up to
#: this many times `max_chars` (real sentences run that long: SciFact has
#: abstracts' sentences of 1,674 characters); a longer run of text with no
#: sentence end (a line of 5 MB, a wall of `>`) is cut to `max_chars`.
_LONG_SENTENCE = 4
#: The site speaking between its readers' comments.
_EDITORIAL = re.compile(
    r"\W*(?:editor[’']?s?[’']? note|note from the editors?|moderator[’']?s? note|update|admin)\s*:",
    re.IGNORECASE,
)
#: A poster's own update opening their post: "UPDATE: she posted a video".
_OWN_UPDATE = re.compile(r"\W*update\s*:", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def split_passages(
    extracted: Extracted, path: str, max_chars: int = DEFAULT_MAX_CHARS
) -> list[Passage]:
    """Split an extracted document into passages, in document order, each
    with its id (`indexer.ids`)."""
    text = extracted.text
    make_id = IdMaker(path)
    blocks = extracted.blocks
    comments = _comment_blocks(text, blocks)
    starts = line_starts(text)
    rules = rules_for(text, keep=False)  # (made by the loader, if it judged a line)
    passages: list[Passage] = []
    section: str | None = None

    def add(units, fixed_kind, author=None, date=None) -> None:
        sentences = [span for unit in units for span in _spans(text, *unit, max_chars)]
        if fixed_kind:
            kinds = [fixed_kind] * len(sentences)
        else:
            kinds = [BOILERPLATE if rule else CONTENT for rule in rules.verdicts(sentences)]
        for group_kind, group in _runs(sentences, kinds):
            for window in _pack(group, max_chars):
                start, end = window[0][0], window[-1][1]
                passages.append(
                    Passage(
                        passage_id=make_id(text[start:end]),
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

    # A heading no passage has come under yet, and the section above it: if
    # none comes before the next heading or the end (a lone line, a heading
    # over nothing), its words are a passage, not lost.
    lone = None
    for index, block in enumerate(blocks):
        block_text = text[block.start : block.end]
        if (
            block.type == HEADING
            and not rules.rule(block.start, block.end)
            and index not in comments.signatures  # a letter's sign-off in plain text
        ):
            if lone is not None:
                heading, section = section, lone[1]
                add([lone[0]], None)
                section = heading
            words = _heading_words(text, block, markdown=extracted.format == "md")
            lone = (words, section) if words else None
            section = heading_text(text, block)
            continue
        found = len(passages)
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
        add(block.units, fixed_kind, author, date)
        if len(passages) > found:
            lone = None
    if lone is not None:
        section = lone[1]
        add([lone[0]], None)
    return passages


#: A Markdown heading's marks: `## ` before its words, ` ##` after them.
_OPENING_MARKS = re.compile(r"[ \t]*#{1,6}(?:[ \t]+|$)")
_CLOSING_MARKS = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _heading_words(text: str, block: Block, markdown: bool) -> tuple[int, int] | None:
    """The span of a heading's words in the text: in Markdown, its first
    line (a setext heading's second is its underline) without its `#` marks."""
    start, end = block.start, block.end
    if not markdown:
        return trim(text, start, end)
    newline = text.find("\n", start, end)
    if newline >= 0:
        end = newline
    opening = _OPENING_MARKS.match(text, start, end)
    if opening:
        start = opening.end()
    closing = _CLOSING_MARKS.search(text, start, end)
    if closing and closing.start() > start:
        end = closing.start()
    return trim(text, start, end)


class _Comments(dict):
    """Block index -> (author, date) for comment blocks; `.signatures` holds
    the indexes of the signature lines themselves."""

    signatures: set[int]


def _comment_blocks(text: str, blocks: list[Block]) -> _Comments:
    """Find forum comments and the signatures that name their posters.

    In order of precedence:
    - an HTML comment element whose markup names its author (class "fn",
      "author" …) is that author's, but for the lines that only name them;
    - a signature alone in its comment's HTML element signs that element's
      other paragraphs (`Block.comment`);
    - a "Posted by" line that opens or closes a run of a few lines of text,
      no blank line between, signs that run (`_alone_in_their_lines`);
    - a comment headed by its signature ("NAME says: DATE", or a page whose
      "Posted by" lines each head their comment, `_headed_layout`) runs on
      to the next signature; the last is only the block below;
    - a comment signed below ("Posted by: NAME DATE", "-- NAME, DATE") runs
      back to the previous signature; the first comment on a page is only
      the block directly above its signature, since above that is usually
      the article itself.
    A comment stops at a heading, a separator line, the site speaking and a
    line that looks like a signature not read (it may sign someone else's
    words); a block two signatures both claim is a comment with no author:
    naming no one beats naming the wrong person.  The first signature on a
    page, with nothing above it but headings or the title, is the article's
    byline, not a signature.
    """
    found = _marked_up(blocks)
    _letters(text, blocks, found)
    _social_posts(text, blocks, found)
    signed: dict[int, Signature] = {}
    for index, block in enumerate(blocks):
        # Not a heading: "What the WHO said on May 3, 2020".
        if (
            len(block.units) == 1
            and block.type != HEADING
            and not block.poster
            and index not in found
            and index not in found.signatures
        ):
            signature = read_signature(text[block.start : block.end])
            if signature:
                signed[index] = signature
    if sum(signature.bare for signature in signed.values()) < 2:
        # One "Name — date" line is a byline or a dated heading, not a thread.
        signed = {index: signature for index, signature in signed.items() if not signature.bare}
    if not signed:
        return found  # most pages: no layout to read
    unclaimed = set()
    # Not in a thread whose posts run on from their signatures: there the
    # first one heads the first post ("Posted by: Alice …" over her words).
    if (
        not blocks[min(signed)].comment  # in its own comment's element: no byline
        and not signed[min(signed)].thread  # "Posted by u/Ann · 3y ago": the thread's post
        and not _first_of_posts(blocks, signed)
        and _byline(text, blocks, min(signed))
        and not any(_glued(text, blocks, i + 1) for i in _may_head(text, blocks, signed))
    ):
        unclaimed.add(min(signed) + 1)  # the article's opening, or the byline's own words
        del signed[min(signed)]
    found.signatures |= set(signed)
    headed = _headed_layout(text, blocks, signed)
    alone = _alone_in_their_lines(text, blocks, signed)
    order = sorted(signed)
    loose = [] if headed else _loose(text, blocks, signed, alone)
    heads = _loose_head(text, blocks, signed, alone, loose)
    if loose and not heads and order == loose[:1] and _under_article(text, blocks, order[0]):
        # One "Posted by" line under the article, signing it or closing it:
        # the text above is no reader's for sure, nor the page's.
        found[order[0] - 1] = (None, None)
        unclaimed.add(order[0] - 1)
    claims: dict[int, set[int]] = defaultdict(set)
    # A page of many posts is a thread: a post runs to the next header, blank
    # lines and all; one or two quoted in an article end at a blank line.
    thread_of_posts = sum(1 for index in order if signed[index].post) >= THREAD_POSTS
    for number, index in enumerate(order):
        side = signed[index].side
        if blocks[index].comment:  # its own HTML element holds its comment
            before, after = blocks[index].comment
            body = [*range(index - 1, index - 1 - before, -1), *range(index + 1, index + 1 + after)]
        elif side == EITHER and index in alone:  # the lines run on with it, no blank line between
            body = alone[index]
        elif side == ABOVE or (side == EITHER and (headed or (heads and index in loose))):
            after = order[number + 1] if number + 1 < len(order) else None
            if after is None and signed[index].thread:
                after = len(blocks)  # a thread's last comment: to the page's end or a stop
            if signed[index].post and not thread_of_posts and _glued(text, blocks, index + 1):
                # A post is the text right under its header: what follows a
                # blank line may be the page's own (a post quoted in an article).
                glued = index + 2
                while glued < after and _glued(text, blocks, glued):
                    glued += 1
                after = glued
            body = range(index + 1, after) if after is not None else [index + 1]
        else:
            before = order[number - 1] if number else None
            body = range(index - 1, before, -1) if before is not None else [index - 1]
        for other in body:
            if not 0 <= other < len(blocks) or _stops_comment(
                text, blocks[other], heading_it=other == index + 1
            ):
                break
            if signed[index].post and replying_to(text[blocks[other].start : blocks[other].end]):
                found.signatures.add(other)  # "Replying to @ann": no one's words
                continue
            claims[other].add(index)
    for index, owners in claims.items():
        if index in unclaimed:
            continue
        if len(owners) == 1:
            (owner,) = owners
            found[index] = (signed[owner].author, signed[owner].date)
        else:  # a reader's words, but whose the page does not show
            found[index] = (None, None)
    return found


def _loose(text: str, blocks: list[Block], signed: dict[int, Signature], alone) -> list[int]:
    """The "Posted by" lines that stand alone between blank lines (nothing
    glued to them, no HTML element of their own), which may sign the text
    above them or head the text below: the page as a whole decides."""
    return [
        index
        for index in sorted(signed)
        if signed[index].side == EITHER
        and index not in alone
        and not blocks[index].comment
        and not _glued(text, blocks, index)
        and not _glued(text, blocks, index + 1)
    ]


def _loose_head(text, blocks, signed, alone, loose: list[int]) -> bool:
    """Whether the page's loose "Posted by" lines head the text below them:
    one stands right under a heading ("## Comments": nothing above it to
    sign), or the last one has a reader's text below it that no later
    signature claims (a page whose last comment is signed below ends with
    its signature).  Otherwise they sign the text above them."""
    if not loose:
        return False
    if any(index and blocks[index - 1].type == HEADING for index in loose):
        return True
    last = loose[-1]
    below = last + 1
    if below >= len(blocks) or not _prose(text, blocks[below]):
        return False
    words = text[blocks[below].start : blocks[below].end]
    if _stops_comment(text, blocks[below]) or paragraph_rule(words):
        return False
    if all(sentence_rule(text[a:b]) for a, b in blocks[below].units):
        return False  # "Post your comment", "Reply"
    later = [index for index in signed if index > last]
    if later:  # signed below by the next signature?
        nearest = min(later)
        side = signed[nearest].side
        if side == BELOW or (nearest in alone and min(alone[nearest]) < nearest):
            return False
    return True


#: A heading over the readers' comments: "Comments", "3 Responses", "Replies".
_COMMENTS_HEADING = re.compile(
    r"\W*(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|repl(?:y|ies)|discussion)\b",
    re.IGNORECASE,
)


def _under_article(text: str, blocks: list[Block], index: int) -> bool:
    """Whether the block above a signature is the page's article under its
    title: text, below a heading that names no comments, with no signature
    or comment before it."""
    if not index or not _prose(text, blocks[index - 1]):
        return False
    headings = [block for block in blocks[:index] if block.type == HEADING]
    if not headings:
        return False
    return not _COMMENTS_HEADING.match(text, headings[-1].start, headings[-1].end)


def _marked_up(blocks: list[Block]) -> _Comments:
    """The comments whose HTML markup names their poster (`Block.poster`),
    and the lines that only name them, as signatures."""
    found = _Comments()
    found.signatures = set()
    for index, block in enumerate(blocks):
        if block.poster and block.poster.signs:
            found.signatures.add(index)
        elif block.poster:
            found[index] = (block.poster.author, block.poster.date)
    return found


# A letter to the editor opens by addressing them ("Sir, ...", "Dear
# Editor,", "SIR – ...", "To the Editor:", an advice column's "Dear Dr.
# Morales,") ...
_SALUTATION = re.compile(
    r"[^\S\n]*(?:(?:my )?dear (?:sir|sirs|madam|editor)(?: or madam|/madam)?|sir(?: or madam)?"
    r"|madam|to the editors?"
    # an advice column's "Dear Dr. Morales,"
    r"|dear (?:dr|mr|mrs|ms|mx|miss|prof|professor|doctor)\.?[^\S\n]+[A-Z][\w'’-]+)"
    r"\b[^\S\n]*(?:[,:;!]|[—–-]\s)",
    re.IGNORECASE,
)
# ... and is signed by a name on a line of its own, with the writer's town
# (and address) on the lines below: "Margaret Hollis / Marlbridge",
# "Dr Peter Okonjo / Lathebury", "J. R. Smith, Newcastle upon Tyne".
_WORD = r"[A-Z][\w'’.-]*"
_PLACE = rf"{_WORD}(?:[^\S\n]+(?:(?:upon|on|in|by|under|le|de|the)[^\S\n]+)?{_WORD}){{0,4}}"
_HONORIFIC = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Rev|Revd|Dame|Sir|Lady|Lord|Cllr|Councillor)"
    r"\.?[^\S\n]+)?"
)
_SIGN_OFF = re.compile(
    rf"(?P<name>{_HONORIFIC}{_WORD}(?:[^\S\n]+{_WORD}){{1,3}})"
    rf"(?:,[^\S\n]*{_PLACE})?(?:[^\S\n]*\n\s*{_PLACE},?){{0,3}}"
    # an advice column's pen name after a dash: "— Worried in Westfield"
    rf"|[—–-][^\S\n]*(?P<pen_name>{_WORD}[^\S\n]+(?:in|from|of)[^\S\n]+{_PLACE})"
)
#: A letter runs over at most so many blocks, its sign-off over two.
_LETTER_BLOCKS = 12


def _letters(text: str, blocks: list[Block], found: _Comments) -> None:
    """Letters to the editor: a letter opening "Sir," or "Dear Editor," and
    signed with its writer's name (and town, on the next lines) below it is
    that writer's, as a signed comment is; the sign-off is its signature."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if (
            block.type not in (PARAGRAPH, LIST)
            or block.poster
            or index in found
            or not _SALUTATION.match(text, block.start, block.end)
        ):
            index += 1
            continue
        end = index + 1
        while end < min(len(blocks), index + _LETTER_BLOCKS):
            sign_off = _sign_off(text, blocks, end)
            if sign_off:
                signed = _SIGN_OFF.match(text, blocks[end].start)
                name = _SPACE_RUN.sub(" ", signed.group("name") or signed.group("pen_name"))
                for body in range(index, end):
                    found[body] = (name, None)
                found.signatures.update(range(end, end + sign_off))
                end += sign_off
                break
            if blocks[end].type not in (PARAGRAPH, LIST) or blocks[end].poster:
                break
            end += 1
        index = end


_SPACE_RUN = re.compile(r"\s+")

# A poster's name alone on its line above their post: "Mike Dunleavy",
# "Harlow Falls Neighbors (Admin)".
_POSTER_LINE = re.compile(
    rf"(?P<name>{_WORD}(?:[^\S\n]+{_WORD}){{0,3}})(?:[^\S\n]*\((?i:admin|author|moderator"
    r"|top fan|group expert|follow)\))?"
)
#: A poster's line is short; longer blocks are never tried.
_POSTER_CHARS = 80
#: A post runs over at most so many blocks (lines) above its footer.
_POST_BLOCKS = 50


def _social_posts(text: str, blocks: list[Block], found: _Comments) -> None:
    """A social thread copied as text (Facebook's): each post is its poster's
    name on a line of its own, when it was posted, the post, and a footer
    ("Like · Reply · 14h"), no blank line between.  Read only in a page of
    two or more, so that a name over a paragraph is still a heading."""
    posts = _dated_posts(text, blocks, found)
    named = {name for name, _, _ in posts}
    for index, block in enumerate(blocks):
        if block.poster or not social_footer(text[block.start : block.end]):
            continue
        top = index - 1
        while (
            index - top < _POST_BLOCKS
            and top > 0
            and _glued(text, blocks, top)
            and not _poster_line(text, blocks[top - 1])
            and not social_footer(text[blocks[top - 1].start : blocks[top - 1].end])
        ):
            top -= 1  # (up to the poster's name; never past another post's footer)
        name = top - 1
        if top >= index or name < 0 or not _glued(text, blocks, top):
            continue
        if not _poster_line(text, blocks[name]) or any(i in found for i in range(name, index)):
            continue
        body = range(top, index)
        if posted_line(text[blocks[top].start : blocks[top].end]):
            body = range(top + 1, index)
        if body and name not in named:
            posts.append((name, body, index))
            named.add(name)
    if len(posts) < 2:
        return
    for name, body, footer in posts:
        poster = _POSTER_LINE.fullmatch(text, blocks[name].start, blocks[name].end).group("name")
        # "20 May 2025 at 08:47" under the name dates the post ("March 12" does not)
        when = find_date(text[blocks[name + 1].start : blocks[name + 1].end])
        for index in body:
            found[index] = (poster, when if body.start > name + 1 else None)
        found.signatures.update({name, *range(name + 1, body.start)})
        if footer is not None:
            found.signatures.add(footer)


def _dated_posts(text: str, blocks: list[Block], found: _Comments) -> list:
    """Posts with no footer: a poster's name alone on its line, when it was
    posted on the next ("20 May 2025 at 08:47"), and the post glued below.
    Each `(name's block, the post's blocks, None)`."""
    posts = []
    for name in range(len(blocks) - 2):
        when, top = name + 1, name + 2
        if not (
            _poster_line(text, blocks[name])
            and _glued(text, blocks, when)
            and posted_line(text[blocks[when].start : blocks[when].end])
            and _glued(text, blocks, top)
            and not any(i in found for i in (name, when, top))
        ):
            continue
        end = top + 1
        while end < min(len(blocks), top + _POST_BLOCKS) and _glued(text, blocks, end) and not (
            social_footer(text[blocks[end].start : blocks[end].end])
            or _poster_line(text, blocks[end])
        ):
            end += 1
        posts.append((name, range(top, end), None))
    return posts


def _poster_line(text: str, block: Block) -> bool:
    return (
        len(block.units) == 1
        and block.end - block.start <= _POSTER_CHARS
        and not block.poster
        and _POSTER_LINE.fullmatch(text, block.start, block.end) is not None
    )


def _sign_off(text: str, blocks: list[Block], index: int) -> int:
    """How many blocks from `index` on (one or two: the name and the town
    may be apart) are a letter's sign-off, or 0."""
    for count in (2, 1):
        if index + count > len(blocks):
            continue
        last = blocks[index + count - 1]
        if last.poster or last.type == LIST:
            continue
        if blocks[index].end - blocks[index].start > 200 or last.end - blocks[index].start > 200:
            return 0
        if _SIGN_OFF.fullmatch(text, blocks[index].start, last.end) and (
            count == 1 or last.glued or text.count("\n", blocks[index].end, last.start) == 1
        ):  # (the town on the name's next line: in HTML, after a <br>)
            return count
    return 0


def _alone_in_their_lines(
    text: str, blocks: list[Block], signed: dict[int, Signature]
) -> dict[int, list[int]]:
    """Signature -> the other blocks of its run of lines (no blank line
    between them), for a run of a few lines of text that one signature opens
    or closes: "Posted by Ann …" over "I had terrible hallucinations…", with
    a blank line above, heads Ann's words.  A signature inside its run
    ("… NDA 017851." / "Submitted by Ciba-Geigy on March 3, 1976" / "The
    FDA approved …") shows no side, and is left to the page's layout."""
    runs: list[list[int]] = []
    for index in range(len(blocks)):
        if runs and _glued(text, blocks, index):
            runs[-1].append(index)
        else:
            runs.append([index])
    alone = {}
    for run in runs:
        signatures = [index for index in run if index in signed]
        others = [index for index in run if index not in signed]
        if (
            len(signatures) == 1
            and signatures[0] in (run[0], run[-1])
            and 1 <= len(others) <= _RUN_BLOCKS
            and all(_prose(text, blocks[index]) for index in others)
        ):
            alone[signatures[0]] = others
    return alone


#: The most lines of text a run holding one signature may have to be its comment.
_RUN_BLOCKS = 5


def _prose(text: str, block: Block) -> bool:
    """A paragraph or list, not a separator line ("-----", "* * *")."""
    return _is_text(block) and not _SEPARATOR.fullmatch(text, block.start, block.end)


_SEPARATOR = re.compile(r"[\W_]+")


def _stops_comment(text: str, block: Block, heading_it: bool = False) -> bool:
    """Whether a comment cannot take in or run across this block: a heading,
    a separator line, a line that looks like a signature, the site speaking
    ("Editor's note: …", a paragraph in italics), or a comment whose markup
    names its poster.
    The paragraph right under the signature heading it (`heading_it`) is its
    poster's even when it opens with an update of their own ("UPDATE: she
    posted a video ...")."""
    if block.type in (HEADING, MENU) or block.poster:
        return True
    if _EDITORIAL.match(text, block.start) and not (
        heading_it and _OWN_UPDATE.match(text, block.start)
    ):
        return True
    if _SEPARATOR.fullmatch(text, block.start, block.end):
        return True
    if not heading_it and _IN_ITALICS.fullmatch(text, block.start, block.end):
        return True  # "*Posts shown are as captured; ...*": the page's note below a thread
    return len(block.units) == 1 and signature_like(text[block.start : block.end])


#: A paragraph wholly in italics (Markdown's `*...*` or `_..._`).
_IN_ITALICS = re.compile(r"([*_])(?![*_\s])[^\n*_]+(?<![*_\s])\1")


def _is_text(block: Block) -> bool:
    return block.type in (PARAGRAPH, LIST)


def _first_of_posts(blocks: list[Block], signed: dict[int, Signature]) -> bool:
    """Whether the first signature heads the first of a thread's posts, not
    an article: the next signature comes right after its one paragraph, no
    heading between, and the page holds three or more ("Posted by: luzdeluna
    ..." then her post, then "Posted by: vega_since_2016 ...")."""
    order = sorted(signed)
    if len(order) < THREAD_POSTS or order[1] != order[0] + 2:
        return False
    return _is_text(blocks[order[0] + 1])


def _byline(text: str, blocks: list[Block], index: int) -> bool:
    """Whether the page's first signature is a byline: nothing above it but
    headings or a title line, and the article below it."""
    if index + 1 >= len(blocks) or not _is_text(blocks[index + 1]):
        return False
    above = [block for block in blocks[:index] if block.type not in (HEADING, MENU)]
    if not above:
        return True
    if above != [blocks[0]] or len(blocks[0].units) != 1:
        return False
    title = text[blocks[0].start : blocks[0].end]
    return "\n" not in title and len(title) <= 120 and len(title.split()) <= 15


def _headed_layout(text: str, blocks: list[Block], signed: dict[int, Signature]) -> bool:
    """Whether this page's "Posted by" lines head their comments: they may
    (`_may_head`), and some show it, on the line right before their text or
    with no text above them to sign (under a heading: the first reply of a
    thread).  Otherwise they sign the text above them."""
    return any(
        _glued(text, blocks, index + 1) or not (index and _prose(text, blocks[index - 1]))
        for index in _may_head(text, blocks, signed)
    )


def _may_head(text: str, blocks: list[Block], signed: dict[int, Signature]) -> list[int]:
    """The page's "Posted by" lines if they may head their comments: two or
    more, each followed by text, none on the line right after text; else none."""
    either = [index for index, signature in signed.items() if signature.side == EITHER]
    if len(either) < 2:  # one line makes no layout: a byline glued to its article
        return []
    for index in either:
        after = index + 1
        if after >= len(blocks) or after in signed or not _is_text(blocks[after]):
            return []
        if index and _prose(text, blocks[index - 1]) and _glued(text, blocks, index):
            return []
    return either


def _glued(text: str, blocks: list[Block], index: int) -> bool:
    """Whether only a line break, no blank line, parts block `index` from the
    block before it (on a web page: a `<br>`)."""
    if not 0 < index < len(blocks):
        return False
    if blocks[index].glued:
        return True
    between = text[blocks[index - 1].end : blocks[index].start]
    return "\n" in between and _BLANK_LINE.search(between) is None


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


def _spans(text: str, start: int, end: int, max_chars: int):
    """The spans of a unit to pack into passages: its sentences, or a long
    Markdown table's rows (so that no passage cuts a row when rows fit);
    a row longer than `max_chars`, or a sentence longer than
    `_LONG_SENTENCE` times that, is cut to fit."""
    if end - start > max_chars and _is_table(text, start, end):
        spans, longest = _rows(text, start, end), max_chars
    else:
        spans, longest = sentence_spans(text, start, end), max_chars * _LONG_SENTENCE
    for a, b in spans:
        if b - a > longest:
            yield from _cut(text, a, b, max_chars)
        else:
            yield a, b


#: A Markdown (GFM) table's delimiter row, under its header row: `|---|:--:|`.
_DELIMITER_ROW = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")


def _is_table(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is a Markdown table: its second line a
    delimiter row."""
    first = text.find("\n", start, end)
    if first < 0:
        return False
    second = text.find("\n", first + 1, end)
    return _DELIMITER_ROW.fullmatch(text, first + 1, end if second < 0 else second) is not None


def _rows(text: str, start: int, end: int):
    """The non-blank lines of `text[start:end]`, trimmed."""
    while start < end:
        newline = text.find("\n", start, end)
        line_end = end if newline < 0 else newline
        row = trim(text, start, line_end)
        if row:
            yield row
        start = line_end + 1


#: Everything up to the last whitespace character (matched backwards from the
#: end of the range: time in proportion to the range, not the text).
_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


def _cut(text: str, start: int, end: int, max_chars: int):
    """Cut `text[start:end]` into pieces of at most `max_chars`, each as long
    as it can be: at the last line break that fits, else the last space,
    else (a word longer than a passage) at `max_chars` itself.  Each cut is
    past the previous piece's reach, so the whole takes linear time."""
    while end - start > max_chars:
        limit = start + max_chars  # a piece ends at or before it
        cut = text.rfind("\n", start, limit + 1)
        if cut <= start:
            space = _TO_LAST_SPACE.match(text, start, limit + 1)
            cut = space.end() - 1 if space else start
        if cut <= start:
            cut = limit
        piece = trim(text, start, cut)
        if piece:
            yield piece
        start = cut
        while start < end and text[start].isspace():
            start += 1
    piece = trim(text, start, end)
    if piece:
        yield piece


def _pack(sentences: list[tuple[int, int]], max_chars: int):
    """Greedily pack whole sentences into windows of at most `max_chars`
    (a single longer sentence is a window of its own: `_spans` leaves only
    sentences of up to `_LONG_SENTENCE` times `max_chars` that long)."""
    window: list[tuple[int, int]] = []
    for span in sentences:
        if window and span[1] - window[0][0] > max_chars:
            yield window
            window = []
        window.append(span)
    if window:
        yield window
