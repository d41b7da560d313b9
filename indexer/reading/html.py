"""Reading HTML pages: the visible article text, without the page's chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from bs4.exceptions import ParserRejectedMarkup

from ..errors import UnreadableDocument
from ..text import decode, decoding_notes
from .blocks import HEADING, LIST, MENU, PARAGRAPH, Block, Extracted, Poster
from .signatures import ANY_DATE, find_date, poster_name, read_signature

# Never part of the text a reader sees, or the site's chrome around it.  Not
# `head` itself: a page may leave it open (HTML5 allows omitting `</head>`),
# and html.parser then puts the whole body inside it; what belongs in a head
# is dropped tag by tag.
_DROP = frozenset(
    """script style noscript template nav form iframe svg canvas button select
    input textarea object embed title meta link base aside dialog menu""".split()
)
# header/footer are chrome at page level, but an article's own header holds its title.
_CHROME = frozenset(("header", "footer"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BLOCKS = frozenset(
    """p div section article main body html blockquote pre table thead tbody
    tfoot tr td th dl dt dd figure figcaption address center details summary
    fieldset legend ul ol li br hr caption""".split()
)
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_SPACE = re.compile(r"\s+")


class HtmlLoader:
    format = "html"
    suffixes = (".html", ".htm")

    def load(self, data: bytes) -> Extracted:
        markup, encoding = decode(data)
        soup, notes = _parse(markup)
        meta = _page_metadata(soup)
        entries, broken = _walk(soup)
        text, blocks = _assemble(entries)
        title = meta.get("title")
        if not title:
            headings = [b for b in blocks if b.type == HEADING]
            title = text[headings[0].start : headings[0].end] if headings else None
        notes[:0] = decoding_notes(encoding)
        if broken:
            notes.append("malformed heading (holding paragraphs) read as a heading and its blocks")
        if not text.strip():
            notes.append("no visible text")
        return Extracted(
            text=text,
            blocks=blocks,
            encoding=encoding,
            format=self.format,
            title=title,
            url=meta.get("url"),
            publisher=meta.get("publisher"),
            retrieved=meta.get("date"),
            notes=notes,
        )


_COMMENT_CLOSE = re.compile(r"--\s*>")
_SECTION_CLOSE = re.compile(r"]\s*>")


def _parse(markup: str) -> tuple[BeautifulSoup, list[str]]:
    """Parse with html.parser; markup it rejects (e.g. `<![foo[`) is parsed
    again with every `<!` taken as text, and a note says so."""
    try:
        return BeautifulSoup(defuse(markup), "html.parser"), []
    except ParserRejectedMarkup:
        pass
    try:
        soup = BeautifulSoup(defuse(markup.replace("<!", "&lt;!")), "html.parser")
    except ParserRejectedMarkup as exc:
        raise UnreadableDocument(f"cannot parse HTML: {exc}") from None
    return soup, ["malformed markup declarations read as text"]


def defuse(markup: str) -> str:
    """Escape the `<` of constructs that can never be closed: any `<` after
    the last `>`, `<!--` after the last `-->`, `<![` after the last `]>`.

    html.parser reads each of them as text anyway, but only after searching
    to the end of the page for its closer, which takes quadratic time on a
    page full of them (fixed in later CPython patch releases, not in all).
    """
    last = markup.rfind(">") + 1
    markup = markup[:last] + markup[last:].replace("<", "&lt;")
    for opener, closer in (("<!--", _COMMENT_CLOSE), ("<![", _SECTION_CLOSE)):
        if opener not in markup:
            continue
        last = 0
        for last_match in closer.finditer(markup):
            last = last_match.end()
        tail = markup[last:].replace(opener, "&lt;" + opener[1:])
        markup = markup[:last] + tail
    return markup


def _page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = _SPACE.sub(" ", soup.title.get_text()).strip()
    canonical = soup.find("link", rel=lambda v: v and "canonical" in v)
    if isinstance(canonical, Tag) and canonical.get("href"):
        meta["url"] = str(canonical["href"]).strip()
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        value = str(tag.get("content") or "").strip()
        if not value:
            continue
        if key == "og:url" and "url" not in meta:
            meta["url"] = value
        elif key in ("og:site_name", "application-name") and "publisher" not in meta:
            meta["publisher"] = value
        elif key == "og:title" and "title" not in meta:
            meta["title"] = value
        elif key in ("article:published_time", "date", "dc.date") and "date" not in meta:
            meta["date"] = value
    return meta


@dataclass(slots=True)
class _Entry:
    """A heading, paragraph or list item (`kind` "item") as the walk finds
    it, with its `Block` fields: `glued`, `comment` and `poster`."""

    kind: str
    text: str
    glued: bool = False
    comment: tuple[int, int] | None = None
    poster: Poster | None = None


def _walk(soup: BeautifulSoup) -> tuple[list[_Entry], bool]:
    """Flatten the page into entries: headings, paragraphs and list items,
    each `glued` if only a `<br>` parts it from the one before.  A comment's
    signature in a list item ("<li><p>…</p><p>Posted by: …</p></li>") is a
    paragraph of its own, so that it can sign the item above it; a
    signature alone in its comment's element gets `comment` (see
    `_mark_signature`), and the text of a comment element whose markup names
    its author gets `poster` (see `_CommentElement`).  Iterative, so deeply
    nested pages cannot exhaust the stack.

    A heading that holds paragraphs (an `<h1>` never closed takes in the
    rest of its element, the page's text and comments) is walked like a
    `<div>`: only its own leading text is the heading.  The second value
    says whether the page had such a heading."""
    entries: list[_Entry] = []
    inline: list[str] = []
    in_item = 0
    in_pre = 0
    glue = False  # the next entry follows a <br>
    comments: list[_CommentElement] = []  # the comment elements the walk is in
    heading_next = False  # the text up to the next block is a broken heading's own
    broken = False

    def flush() -> bool:
        nonlocal glue, heading_next
        text = "".join(inline)
        inline.clear()
        text = text.strip() if in_pre else _SPACE.sub(" ", text).strip()
        heading, heading_next = heading_next, False
        if not text:
            return False
        if heading and len(text) <= _HEADING_CHARS:
            kind = HEADING
        else:
            kind = "item" if in_item and not read_signature(text) else PARAGRAPH
        entries.append(_Entry(kind, text, glue))
        if comments:  # (the innermost comment element holds it: see `mark`)
            comments[-1].entries.append(entries[-1])
        glue = False
        return True

    stack: list = [(soup, iter(soup.children), 0)]
    while stack:
        node, children, first = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if isinstance(node, Tag) and node is not soup:
                name = node.name
                if name in _BLOCKS or name in _HEADINGS or comments and _text_part(node):
                    flush()
                    glue = glue and name == "br"
                if name in _CONTAINERS:
                    _mark_signature(entries, first)
                if comments and comments[-1].tag is node:
                    unnamed = comments.pop().mark()
                    if comments and unnamed:  # a reply naming no one: never its parent's poster's
                        comments[-1].replies.append(unnamed)
                if name in _BLOCKS and node.attrs and (box := _marked_as_chrome(node)):
                    _demote_to_menu(entries, first, titled=box == _LINK_BOX)
                if name == "li":
                    in_item -= 1
                elif name == "pre":
                    in_pre -= 1
            continue
        if isinstance(child, str):
            if not isinstance(child, _SKIP_STRINGS):
                inline.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "a" and inline and _signs_line(child):
            # A wiki talk page's signature ends its comment's line: a
            # paragraph of its own, with the dash before it.
            said = "".join(inline)
            dash = _DASH_BEFORE.search(said)
            inline[:] = [said[: dash.start()]] if dash else [said]
            if flush() and dash:
                inline.append(dash.group())
        if name == "meta" and comments:  # `<meta itemprop="author" content="…">`
            comments[-1].note(child)
        if (name in _DROP and not _comment_form(child)) or (
            name in _CHROME and not comments and not _inside_article(child)
        ):  # a comment's own <footer> holds its author
            continue
        opens = (name in _CONTAINERS or name in _REDDIT) and _comment_element(
            child, nested=bool(comments)
        )
        if comments and not opens:  # (a reply's markup is its own, never its parent's)
            comments[-1].note(child)
        if name in _HEADINGS:
            flush()
            glue = False
            if not _holds_blocks(child):
                if comments:  # its name: `<h4 class="message-name"><a class="username">`
                    for inner in child.find_all(True):
                        comments[-1].note(inner)
                heading = _SPACE.sub(" ", child.get_text(" ")).strip()
                if heading:
                    entries.append(_Entry(HEADING, heading))
                    if comments:
                        comments[-1].entries.append(entries[-1])
                continue
            broken = heading_next = True
        if name in _BLOCKS or comments and _text_part(child):
            # (a comment's text apart from its name on the same line: Stack
            # Exchange's `<span class="comment-copy">…</span> – <a>Ann</a>`)
            flushed = flush()
            glue = name == "br" and flushed
        if name == "li":
            in_item += 1
        elif name == "pre":
            in_pre += 1
        if opens:
            comments.append(_CommentElement(child))
        stack.append((child, iter(child.children), len(entries)))
    flush()
    return entries, broken


def _comment_form(tag: Tag) -> bool:
    """Whether a `<form>` holds a comment's text: old Reddit puts each
    comment's words in `<form class="usertext">` (its edit box, were it
    there, is dropped as any `<textarea>` is)."""
    return tag.name == "form" and "usertext" in (tag.get("class") or ())


# A link to a wiki user's page ("/wiki/User:Ann", "index.php?title=User:Ann"),
# followed by "(talk) 14:02, 3 May 2024 (UTC)": a talk page's signature.
_USER_PAGE = re.compile(r"(?:^|[/=:])User:[^/]", re.IGNORECASE)
_TALK_DATE = re.compile(
    r"\s*\(\s*talk\s*(?:[|·•][^)\n]{0,40})?\)\s*\d{1,2}:\d{2},?\s+\d{1,2}\s+[a-z]+\.?\s+\d{4}"
    r"\s*\(UTC\)\s*$",
    re.IGNORECASE,
)
_DASH_BEFORE = re.compile(r"(?:-{2}|[—–])\s*$")


def _signs_line(link: Tag) -> bool:
    """Whether a link to a wiki user's page is the start of a talk page's
    signature: its name, then "(talk)" and the date, to the end of its line."""
    if not _USER_PAGE.search(str(link.get("href") or "") + " " + str(link.get("title") or "")):
        return False
    after: list[str] = []
    node = link.next_sibling
    for _ in range(12):  # (a signature is short: its talk link and the date)
        if node is None:
            break
        if isinstance(node, Tag):
            if node.name in _BLOCKS:
                break
            after.append(_short_text(node, limit=12))
        elif not isinstance(node, _SKIP_STRINGS):
            after.append(str(node))
        node = node.next_sibling
    else:
        return False
    return bool(_TALK_DATE.match(_SPACE.sub(" ", "".join(after))))


#: The longest text a heading may hold; more is a page's text run into it.
_HEADING_CHARS = 200
#: What a heading never holds, though broken markup can put it there: a
#: <div> or a <br> may wrap or break a title, a paragraph may not.
_NOT_IN_HEADINGS = (_BLOCKS | _HEADINGS) - {"br", "div", "center"}


def _holds_blocks(heading: Tag) -> bool:
    """Whether a heading holds paragraphs, lists, tables or other headings,
    or far more text than a heading.  Reads only up to the first of them
    (the rest of a long page run into an unclosed heading is not read; nor
    is bs4's `descendants` used, which first walks to the heading's last
    descendant: quadratic on nested headings)."""
    length = 0
    stack = [iter(heading.children)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            if node.name in _NOT_IN_HEADINGS:
                return True
            stack.append(iter(node.children))
        elif not isinstance(node, _SKIP_STRINGS):
            length += len(node.strip())
            if length > _HEADING_CHARS:
                return True
    return False


# New Reddit's comment and post elements: `<shreddit-comment author="Ann"
# created="…">`, its words in `<div slot="comment">`.
_REDDIT = frozenset(("shreddit-comment", "shreddit-post"))
# Elements that may hold one comment with its signature, of up to so many paragraphs.
_CONTAINERS = frozenset("div article section li blockquote td dd".split())
_COMMENT_BLOCKS = 4


def _mark_signature(entries: list[_Entry], first: int) -> None:
    """If the element whose entries start at `first` holds a few paragraphs
    and one signature, mark the signature with how many of them come before
    and after it: they are its comment, whatever the page's other comments
    look like ("<div class=comment><p>Posted by …</p><p>…</p></div>").  The
    innermost such element decides."""
    if not 2 <= len(entries) - first <= _COMMENT_BLOCKS + 1:  # (before copying: linear)
        return  # not one comment: an article's <div> is left to the layout rules
    inside = entries[first:]
    if any(e.kind != PARAGRAPH for e in inside):
        return
    signed = [i for i, entry in enumerate(inside) if read_signature(entry.text)]
    if len(signed) != 1 or inside[signed[0]].comment:  # none, several, or marked inside
        return
    at = signed[0]
    inside[at].comment = (at, len(inside) - 1 - at)


# Words of an element's class naming one reader's comment or post.  A class
# names a whole comment when its other words only place it ("comment",
# "post", "topic-post", "js-post", "message--post"; not "comment-list"),
# and a comment's text when a part word follows the noun ("comment-body",
# "post-message", "message-body"; phpBB's run-together "postbody").
_NOUNS = frozenset("comment post reply review message question answer".split())
_BESIDE = frozenset("topic forum crawler js user item single card accepted".split())
_PARTS = frozenset("body content contents text inner message copy".split())
_COMPOUND = re.compile(
    r"(comment|post|reply|review|message)"
    r"(body|content|contents|text|message|list|profile|author|meta|metadata|details|info)"
)
_CLASS_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# `id="comment-12"` (WordPress), "post-101" (Disqus), "post_1" (Discourse),
# "js-post-55" (XenForo): one numbered comment.
_COMMENT_ID = re.compile(
    r"(?:(?:div|li|js)[-_])?(?:comment|post|reply|review|message|answer)[-_]?\d+", re.IGNORECASE
)
_COMMENT_TYPE = re.compile(
    r"schema\.org/(?:Comment|Answer|Review|DiscussionForumPosting)\b", re.IGNORECASE
)
# Microdata naming a comment's text, not a comment.
_TEXT_PROPS = frozenset("text articleBody reviewBody commentText".split())
# (Reddit's "tagline": "[–] Ann 12 points 3 years ago")
_DATE_WORDS = frozenset("date time timestamp published datetime meta metadata tagline".split())
_DATE_PROPS = frozenset("datePublished dateCreated".split())
# New Reddit's meta line: the name and "3y ago" (a comment's), the community too (a post's).
_META_SLOTS = frozenset(("commentMeta", "credit-bar"))
# An element holding these is an article (with its byline), not a comment.
_ARTICLE_CLASSES = frozenset("hentry type-post entry-content".split())
# What a comment's meta line says besides the name and the date ("says:",
# "Post by … »", "#1"; Reddit's "[–] … 211 points212 points 3 years ago (1
# child)", its three scores run together, and "submitted … by").
_META_WORDS = re.compile(
    r"[\W_]*(?:(?:says|said|wrote|posted|post|by|on|at|reply|permalink|submitted|points?|ago"
    r"|child|children|OP|\d[\d.,]*k?)(?![^\W\d_])[\W_]*)*",
    re.IGNORECASE,
)
# A comment's buttons ("Reply", "Like Reply Report"): no one's words.
_ACTIONS = re.compile(
    r"(?:\W*\b(?:reply|report|quote|like|share|edit|delete|flag|permalink|follow|accepted"
    r"|save|embed|parent|give award|\d+ comments?)\b)+\W*",
    re.IGNORECASE,
)
# So many author and date elements are kept per comment (the first ones).
_CANDIDATES = 8


@lru_cache(maxsize=4096)
def _class_words(token: str) -> tuple[str, ...]:
    """The lower-case words of a class name: "wp-block-comment-author-name",
    "message-userContent", "postbody" ("post", "body")."""
    words: list[str] = []
    for word in _CLASS_WORD.findall(token):
        word = word.lower()
        compound = _COMPOUND.fullmatch(word)
        words.extend(compound.groups() if compound else (word,))
    return tuple(words)


def _comment_element(tag: Tag, nested: bool) -> bool:
    """Whether an element is one reader's comment: a class, its id or its
    microdata type names it one (`<li class="comment">`, `<article
    class="message">`, `id="post-101"`, `itemtype=".../Comment"`).  An
    element naming a comment's text (`comment-body`, `post-message`,
    `itemprop="text"`) is part of the comment it is `nested` in; outside
    one, a comment's text is a comment (phpBB's `<div class="postbody">`),
    unless it is a post's (`post-content`: a blog's article)."""
    whole = text = own = False
    for token in tag.get("class") or ():
        words = _class_words(token)
        noun = next((i for i, word in enumerate(words) if word in _NOUNS), None)
        if noun is not None and _PARTS.intersection(words[noun + 1 :]):
            text = True
            own = own or words[noun] != "post" or token.lower() == "postbody"
            continue
        rest = [word for word in words if word not in _BESIDE]
        whole = whole or bool(rest) and all(word in _NOUNS for word in rest)
    if _TEXT_PROPS.intersection(str(tag.get("itemprop") or "").split()):
        text = True
    if text and nested:
        return False
    return (
        whole
        or own
        or bool(_COMMENT_ID.fullmatch(str(tag.get("id") or "")))
        or bool(_COMMENT_TYPE.search(str(tag.get("itemtype") or "")))
        # old Reddit: `<div class="thing comment" data-type="comment">`, and
        # the thread's post, `<div class="thing link self" data-type="link">`
        or "thing" in (tag.get("class") or ()) and tag.get("data-type") in ("comment", "link")
        or tag.name in _REDDIT
    )


def _text_part(tag: Tag) -> bool:
    """Whether an inline element holds a comment's text ("comment-copy",
    "comment-text"): read as a block of its own."""
    if tag.name in _BLOCKS or not tag.get("class"):
        return False
    for token in tag.get("class"):
        words = _class_words(token)
        noun = next((i for i, word in enumerate(words) if word in _NOUNS), None)
        if noun is not None and _PARTS.intersection(words[noun + 1 :]):
            return True
    return False


def _author_rank(tag: Tag) -> int | None:
    """How telling an element is as a comment's author, or None if it is
    none: 0 for class "fn" (hCard: WordPress's `<b class="fn">`), 1 for a
    user name ("username", "userName", "comment-author-name"), 2 for an
    author (class "author", "comment-author", `itemprop="author"`,
    `rel="author"`), 3 for a card holding more than the name ("vcard")."""
    ranks = []
    if "author" in str(tag.get("itemprop") or "").split() or "author" in (tag.get("rel") or ()):
        ranks.append(2)
    for token in tag.get("class") or ():
        words = set(_class_words(token))
        if "fn" in words:
            ranks.append(0)
        elif (
            "username" in words
            or "name" in words and words & {"user", "author"}
            or "user" in words and words <= _NOUNS | {"user"}  # Stack Exchange: "comment-user"
        ):
            ranks.append(1)
        elif words & {"author", "commenter", "poster", "reviewer"}:
            ranks.append(2)
        elif token in ("vcard", "user"):
            ranks.append(3)
    return min(ranks, default=None)


def _dated(tag: Tag) -> bool:
    """Whether an element marks a date: `<time>`, a `datetime`, microdata
    (`datePublished`), a class ("comment-date", "comment-meta", "timestamp"),
    or new Reddit's meta line (`slot="commentMeta"`)."""
    if tag.name == "time" or tag.has_attr("datetime"):
        return True
    if tag.get("slot") in _META_SLOTS:
        return True
    if _DATE_PROPS.intersection(str(tag.get("itemprop") or "").split()):
        return True
    return any(_DATE_WORDS.intersection(_class_words(token)) for token in tag.get("class") or ())


def _shown(tag: Tag) -> str:
    """What an author or date element shows (a `<meta>`'s `content`)."""
    if tag.name == "meta":
        return _SPACE.sub(" ", str(tag.get("content") or "")).strip()
    return _short_text(tag)


class _CommentElement:
    """An element marked as a comment (`_comment_element`), as the walk
    goes through it: the elements naming its author (class "fn",
    "username", "author" …, `itemprop="author"`, `rel="author"`, or its own
    `data-author`) and its date (`<time>`, `datetime`, class "date",
    "comment-meta" …) that are not inside a comment nested in it.  Its text
    is that author's, except the lines that only name them (the name, the
    date, "says:") and its buttons ("Reply"); with no author element, its
    one signature's (`_credit_signer`).  An element that holds a page's or
    article's title (`<h1>`, `<h2>`) or an article's classes is no comment."""

    def __init__(self, tag: Tag):
        self.tag = tag
        self.named = str(tag.get("data-author") or "")  # XenForo: <article data-author="…">
        self.authors: list[tuple[int, int, Tag]] = []  # (rank, order, element)
        self.dates: list[Tag] = []
        self.article = bool(_ARTICLE_CLASSES & set(tag.get("class") or ()))
        # New Reddit names the poster and the time on the element itself (a
        # post holds the thread's title, an <h1>: it is still its poster's).
        self.reddit = tag.name in _REDDIT
        if self.reddit:
            self.named = str(tag.get("author") or "")
        # A Q&A page's question holds the page's title too, and is its asker's
        # (`<div class="question">`, "Asked ... by <a class="author">").
        self.question = any(
            "question" in _class_words(token) for token in tag.get("class") or ()
        )
        self.entries: list[_Entry] = []  # those read while it was the innermost comment element
        self.replies: list[tuple] = []  # what replies in it that name no poster left (see `mark`)

    def note(self, tag: Tag) -> None:
        """Take in an element inside this one (and in no comment nested in it)."""
        classes = set(tag.get("class") or ())
        if tag.name in ("h1", "h2") and not (self.reddit or self.question) or (
            _ARTICLE_CLASSES & classes
        ):
            self.article = True
        rank = _author_rank(tag)
        if rank is not None and len(self.authors) < _CANDIDATES:
            self.authors.append((rank, len(self.authors), tag))
        if len(self.dates) < _CANDIDATES and _dated(tag):
            self.dates.append(tag)

    def mark(self) -> tuple | None:
        """Give this element's own entries (not those of comments nested in
        it) its poster: the author its markup names, or else the one
        signature among them ("Posted by Bob on May 5, 2021"), which then
        signs only them, never the text above or below the element.  The
        entries of replies nested in it that name no poster are then a
        comment with no author: a reply is another poster's.  Returns what
        is left with no poster, for the comment element around this one:
        `(entries, replies)`, a tree (passed up as it is, so that a deep
        nest of comments takes linear time), or None."""
        for entry in [] if self.article else self.entries:
            if entry.kind != HEADING and not entry.poster and _ACTIONS.fullmatch(entry.text):
                entry.kind = MENU
        own = [e for e in self.entries if not e.poster and e.kind not in (HEADING, MENU)]
        name = self._name()
        if self.article and not (name or "").startswith("u/"):
            name = None  # (a saved Reddit post holds the thread's title: still its poster's)
        if name:
            self._credit_author(name)
        elif self.article or not _credit_signer(own):
            return (own, self.replies) if own or self.replies else None
        nobody = Poster(None, None)
        pending = list(self.replies)
        while pending:
            entries, replies = pending.pop()
            for entry in entries:
                entry.poster = nobody
            pending += replies
        return None

    def _name(self) -> str | None:
        """The poster's name: its `data-author`, else the most telling
        author element that shows a name ("TomG says:" reads "TomG")."""
        if self.named and (name := poster_name(self.named)):
            return name
        for _, _, tag in sorted(self.authors, key=lambda found: found[:2]):
            if name := poster_name(_shown(tag)):
                return name
        return None

    def _when(self) -> str | None:
        """The comment's date: a date element's `datetime` (or microdata
        `content`), else the first date shown in a date element, its
        `title`, or an author element ("by Ann » Mon Mar 03, 2025 9:14 pm")."""
        if self.reddit:
            created = self.tag.get("created") or self.tag.get("created-timestamp")
            if created and (when := _iso(str(created))):
                return when
        for tag in self.dates:
            value = tag.get("datetime") or (tag.get("content") if tag.name == "meta" else None)
            if value and (when := _iso(str(value))):
                return when
        shown = [_shown(tag) for tag in self.dates]
        shown += [str(tag.get("title") or "") for tag in self.dates]
        shown += [_shown(tag) for _, _, tag in self.authors]
        return next(filter(None, map(find_date, shown)), None)

    def _credit_author(self, name: str) -> None:
        """Credit the entries to the author the markup names; the lines that
        only name them (the name, the date, "says:") sign them, headings
        among them too (`<h4 class="message-name">`)."""
        shown = [self.named, name]
        shown += [_shown(tag) for _, _, tag in self.authors]
        shown += [_shown(tag) for tag in self.dates]
        shown = sorted(filter(None, set(shown)), key=len, reverse=True)
        when = self._when()
        words, signs = Poster(name, when), Poster(name, when, signs=True)
        for entry in self.entries:
            if entry.poster or entry.kind == MENU:
                continue
            rest = entry.text
            for text in shown:
                rest = rest.replace(text, " ")
            if _META_WORDS.fullmatch(ANY_DATE.sub(" ", rest)):
                entry.poster, entry.kind = signs, PARAGRAPH
            elif entry.kind != HEADING:
                entry.poster = words


def _credit_signer(own: list[_Entry]) -> bool:
    """Credit a comment element's entries to the one signature among them;
    several, or none, leave them to the page's layout rules (False)."""
    signatures = [(entry, read_signature(entry.text)) for entry in own]
    signatures = [(entry, signature) for entry, signature in signatures if signature]
    if len(signatures) != 1:
        return False
    signed, signature = signatures[0]
    words = Poster(signature.author, signature.date)
    signs = Poster(signature.author, signature.date, signs=True)
    for entry in own:
        entry.poster = signs if entry is signed else words
    signed.kind = PARAGRAPH
    return True


def _short_text(tag: Tag | None, limit: int = 50) -> str:
    """A small element's text, spaces collapsed: "" for one of more than
    `limit` elements and strings (a name or a date is short; reading a big
    one for each of many nested comments would take quadratic time)."""
    if tag is None:
        return ""
    pieces: list[str] = []
    pending = [tag]  # (not `tag.descendants`: finding its end walks the whole depth)
    for _ in range(limit):
        if not pending:
            return _SPACE.sub(" ", "".join(pieces)).strip()
        node = pending.pop()
        if isinstance(node, Tag) and node is not tag and _beside_name(node):
            continue
        if isinstance(node, Tag):
            pending.extend(reversed(node.contents))
        elif not isinstance(node, _SKIP_STRINGS):
            pieces.append(node)
    return ""


# What a user card shows beside the name: "QuoteHound<span
# class="reputation-score">14.2k</span>", badges, flair.
_BESIDE_NAME = frozenset("reputation rep score badge badges badgecount flair karma".split())


def _beside_name(tag: Tag) -> bool:
    return any(_BESIDE_NAME.intersection(_class_words(token)) for token in tag.get("class") or ())


def _iso(value: str) -> str | None:
    """A `<time datetime>` value as ISO 8601 ("2022-02-14", or with its time
    and offset), or None when it is none."""
    value = value.strip()
    for kind in (date, datetime):
        try:
            return kind.fromisoformat(value).isoformat()
        except ValueError:
            continue
    return None


#: Words of an element's id, class or role that mark it as the site's
#: chrome, not its text: a cookie banner, breadcrumbs, a menu, a disclaimer
#: (the markup's "Disclaimer:"; see `boilerplate.PARAGRAPH_RULES`).  Any
#: name holding "cookie" ("cookieBanner", "CybotCookiebotDialog") counts;
#: "consent" not beside "informed", a topic of health pages.
_CHROME_WORDS = frozenset(
    """banner breadcrumb breadcrumbs consent contentinfo disclaimer gdpr menu nav navbar
    navigation taglist tags related sidebar network""".split()
)
#: Of those, the boxes of links to other pages, titled by a heading ("Hot
#: Network Questions", "Related posts").
_LINK_BOXES = frozenset("related sidebar network".split())
_NAME_WORDS = re.compile(r"[a-z]+")
#: Chrome is short and has no heading: an element holding more, or a
#: heading (a page's wrapper marked "nav-open", a "page-banner" with the
#: page's title), is the page, whatever its class says.
_CHROME_ENTRIES = 40
_CHROME_CHARS = 1000


_LINK_BOX = "box"


def _marked_as_chrome(tag: Tag) -> bool | str:
    """Whether the element's id, class or role names it site chrome
    (`<div id="cookie-banner">`, `<ol class="breadcrumb">`).  Never the
    page's body, main part or article, nor an element marked as a reader's
    comment by its class (`<li class="comment banner">`)."""
    if tag.name in ("body", "html", "main", "article"):
        return False
    classes = tag.get("class") or []
    if _comment_element(tag, nested=False):
        return False
    names = " ".join([str(tag.get("id") or ""), str(tag.get("role") or ""), *classes]).lower()
    words = set(_NAME_WORDS.findall(names))
    if "informed" in words:
        words.discard("consent")
    if not words.isdisjoint(_LINK_BOXES):
        return _LINK_BOX
    return "cookie" in names or not words.isdisjoint(_CHROME_WORDS)


def _demote_to_menu(entries: list, first: int, titled: bool = False) -> None:
    """Make the paragraphs and items of a chrome element, its entries from
    `first` on, menu entries (boilerplate), if there are few and short
    enough and none is a heading (but a box of links' title, its first
    entry, when `titled`)."""
    if len(entries) - first > _CHROME_ENTRIES:  # (before copying them: nested chrome is linear)
        return
    inside = entries[first:]
    if sum(len(entry.text) for entry in inside) > _CHROME_CHARS:
        return
    if any(entry.kind == HEADING for entry in inside[1 if titled else 0 :]):
        return
    for entry in inside:
        entry.kind, entry.comment, entry.poster = MENU, None, None


def _inside_article(tag: Tag) -> bool:
    return any(parent.name in ("article", "main") for parent in tag.parents)


def _assemble(entries: list[_Entry]) -> tuple[str, list[Block]]:
    """Lay the entries out as text (blocks apart by a blank line, list items
    one per line after "- ") and record each block's offsets.  A list's
    items are one comment's, or none's."""
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0

    def add(piece: str) -> tuple[int, int]:
        nonlocal pos
        parts.append(piece)
        span = (pos, pos + len(piece))
        pos += len(piece)
        return span

    i = 0
    while i < len(entries):
        entry = entries[i]
        if blocks:
            add("\n\n")
        if entry.kind == "item":
            items = []
            while (
                i < len(entries)
                and entries[i].kind == "item"
                and entries[i].poster is entry.poster
            ):
                if items:
                    add("\n")
                add("- ")
                items.append(add(entries[i].text))
                i += 1
            intro = blocks[-1] if blocks and blocks[-1].type == PARAGRAPH else None
            if (
                intro
                and intro.poster is entry.poster
                and entries[i - len(items) - 1].text.endswith(":")
            ):
                blocks[-1] = Block(LIST, intro.units + tuple(items), poster=entry.poster)
            else:
                blocks.append(Block(LIST, tuple(items), poster=entry.poster))
            continue
        span = add(entry.text)
        # a heading, paragraph or menu
        blocks.append(Block(entry.kind, (span,), entry.glued, entry.comment, entry.poster))
        i += 1
    return "".join(parts), blocks
