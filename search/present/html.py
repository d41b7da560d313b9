"""Self-contained HTML pages for `search`, `ask` and `audit`.

One Jinja environment (`environment()`, autoescaping on, `StrictUndefined`)
renders the templates in `templates/`; each page gets a context dataclass.
Source text and metadata are data, never markup: the templates escape them,
and the only markup built in Python is `marked_html()`, which escapes the text
around each highlighted span itself.  Its results live in fields named
`*_html`.  No template applies `|safe`.

Pages need nothing else to open: the CSS is inline, there is no JavaScript,
and a Content-Security-Policy forbids every request to another resource.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from indexer import SourceInfo

from ..claims.records import Answer, AuditReport, Claim, Conflict, Quote
from ..retrieval.provenance import Provenance
from ..retrieval.results import Hit, SearchResult
from .terminal import disagreement, passage_context, side_marks

#: Lines of the source shown around a passage in its collapsible context.
CONTEXT_LINES = 2
#: At most so many characters of those lines on each side of the passage: a
#: passage in a 5 MB line made each hit's context 5 MB (a 525 MB page).
CONTEXT_CHARS = 2000

#: The characters of a quote shown in a cell of the audit overview table.
EXCERPT_CHARS = 90

_SPAN_TAGS = {"mark": Markup("<mark>"), "em": Markup('<em class="cue">')}


# --- the environment --------------------------------------------------------


def templates_dir() -> Path:
    """The Jinja templates installed with groundsearch (`templates/`)."""
    return Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment for every page (built once, then cached)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=isolated,
    )
    env.filters["safe_url"] = safe_url
    env.filters["short_date"] = short_date
    env.globals["version"] = _version()
    return env


# Bidi embeddings, overrides and isolates: one in a name reorders whatever
# follows it on the page up to the end of its paragraph.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolated(value):
    """Every value a template prints: one holding bidi controls (a U+202E in
    a publisher) is wrapped in U+2068 FIRST STRONG ISOLATE ... U+2069 POP
    DIRECTIONAL ISOLATE, which ends whatever it opened, so it cannot reverse
    the score or the words beside it.  Other values are unchanged."""
    if isinstance(value, str) and _BIDI_CONTROLS.search(value):
        if isinstance(value, Markup):
            return Markup("\u2068") + value + Markup("\u2069")
        return "\u2068" + value + "\u2069"
    return value


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute `http`/`https` URL, else None.

    Only what this returns may become an `href`: `javascript:`, `data:`,
    relative and scheme-less URLs never do.
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def short_date(date: str | None) -> str:
    """`2006-11-20T02:33:10` as `2006-11-20 02:33`; a bare date unchanged."""
    if not date:
        return ""
    return date[:16].replace("T", " ")


def _version() -> str:
    try:
        return metadata.version("groundsearch")
    except metadata.PackageNotFoundError:
        return "dev"


def marked_html(text: str, spans: Iterable[tuple[int, int]], tag: str = "mark") -> Markup:
    """`text`, escaped, with each `(start, end)` span wrapped in `<mark>`
    (or `<em class="cue">` with `tag="em"`).

    The one place where corpus text and markup meet.  Spans out of range or
    overlapping an earlier span are clipped, so damaged offsets can never
    leave text unescaped.
    """
    opening = _SPAN_TAGS[tag]
    closing = Markup(f"</{tag}>")
    out: list[Markup] = []
    cursor = 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out += [escape(text[cursor:start]), opening, escape(text[start:end]), closing]
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


# --- shared pieces ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """The source lines around a passage (plain text; the template escapes
    it), each side cut to `CONTEXT_CHARS` characters (`cut_before`,
    `cut_after`: an ellipsis marks where)."""

    first_line: int
    last_line: int
    before: str
    after: str
    cut_before: bool = False
    cut_after: bool = False


@dataclass(frozen=True, slots=True)
class PassageView:
    """One passage as `_passage.html` shows it."""

    anchor: str
    """The element id, for links within the page."""
    number: int
    """The rank on a search page, the citation number on an ask page."""
    score: float | None
    passage_id: str
    source: SourceInfo
    line: int
    kind: str
    author: str | None
    date: str | None
    section: str | None
    text_html: Markup
    """The passage text, escaped, with matches (or quoted sentences) in `<mark>`."""
    context: Context | None


def passage_contexts(index, hits: Iterable[Hit], lines: int = CONTEXT_LINES) -> dict[str, dict]:
    """The source context of each hit, by passage id, for `render_search`'s
    (and `render_ask`'s) `contexts`.

    `index` is an open `search.Index`; each source's text is read once.
    """
    texts: dict[str, str] = {}
    contexts = {}
    for hit in hits:
        path = hit.passage.path
        if path not in texts:
            texts[path] = index.source_text(path)
        contexts[hit.passage.passage_id] = passage_context(texts[path], hit.passage, lines)
    return contexts


def _context(contexts: Mapping[str, Mapping] | None, passage_id: str) -> Context | None:
    found = (contexts or {}).get(passage_id)
    if not found:
        return None
    before, after = found["before"], found["after"]
    cut_before, cut_after = len(before) > CONTEXT_CHARS, len(after) > CONTEXT_CHARS
    if cut_before:  # (from a space near the cut, when there is one)
        before = before[-CONTEXT_CHARS:]
        space = before.find(" ", 0, 40)
        before = before[space + 1 :] if space >= 0 else before
    if cut_after:
        after = after[:CONTEXT_CHARS]
        space = after.rfind(" ", CONTEXT_CHARS - 40)
        after = after[:space] if space >= 0 else after
    return Context(found["first_line"], found["last_line"], before, after, cut_before, cut_after)


def _hit_view(hit: Hit, anchor: str, number: int, text_html: Markup, contexts) -> PassageView:
    p = hit.passage
    return PassageView(
        anchor=anchor,
        number=number,
        score=hit.score,
        passage_id=p.passage_id,
        source=hit.source,
        line=p.line,
        kind=p.kind,
        author=p.author,
        date=p.date,
        section=p.section,
        text_html=text_html,
        context=_context(contexts, p.passage_id),
    )


def _render(template: str, page, provenance: Provenance | None = None) -> str:
    """A page; `provenance`, where its contents come from, goes in its footer."""
    return environment().get_template(template).render(page=page, provenance=provenance)


# --- search -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """The results from one source, for `--by-source`."""

    source: SourceInfo
    results: tuple[PassageView, ...]
    total: int | None = None
    """How many of the source's passages match, when the search was grouped."""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """Context for `search.html`."""

    query: str
    corrected_query: str | None
    suggestions: dict[str, str]
    total: int
    results: tuple[PassageView, ...]
    groups: tuple[SourceGroup, ...] | None
    """The results grouped by source (first-ranked source first), or None."""
    total_all_words: int | None = None
    """How many passages hold every word, for a query of several (or None)."""
    total_sources: int | None = None
    """How many sources have a matching passage, when grouped (or None)."""


def search_page(
    result: SearchResult, *, by_source: bool = False, contexts: Mapping[str, Mapping] | None = None
) -> SearchPage:
    """The context `render_search` renders."""
    results = tuple(
        _hit_view(
            hit, f"r{hit.rank}", hit.rank, marked_html(hit.passage.text, hit.matches), contexts
        )
        for hit in result.hits
    )
    groups = None
    if result.groups is not None:
        views = {view.number: view for view in results}
        groups = tuple(
            SourceGroup(g.source, tuple(views[hit.rank] for hit in g.hits), g.total)
            for g in result.groups
        )
    elif by_source:
        grouped: dict[str, list[PassageView]] = {}
        for view in results:
            grouped.setdefault(view.source.path, []).append(view)
        groups = tuple(SourceGroup(views[0].source, tuple(views)) for views in grouped.values())
    return SearchPage(
        query=result.query,
        corrected_query=result.corrected_query,
        suggestions=dict(result.suggestions),
        total=result.total,
        results=results,
        groups=groups,
        total_all_words=result.total_all_words,
        total_sources=result.total_sources,
    )


def render_search(
    result: SearchResult,
    *,
    by_source: bool = False,
    contexts: Mapping[str, Mapping] | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The search results page, as a complete HTML document.

    `contexts` maps passage ids to `search.present.terminal.passage_context()` dicts
    (see `passage_contexts()`); a hit without one is shown without context.
    `provenance` (`Index.provenance()`) is shown in the page's footer.
    """
    page = search_page(result, by_source=by_source, contexts=contexts)
    return _render("search.html", page, provenance)


# --- ask --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    """One sentence of the answer and the citation it links to."""

    text: str
    citation: int
    anchor: str
    cited_as: str
    side: str | None = None
    """On a contested question, the side it is quoted for: yes, no or also."""


@dataclass(frozen=True, slots=True)
class AskPage:
    """Context for `ask.html`."""

    question: str
    corrected_question: str | None
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[PassageView, ...]
    """The cited passages, numbered, with the quoted sentences marked."""
    others: tuple[PassageView, ...]
    """Supporting passages that no sentence cites."""
    disagreement: str | None = None
    """On a contested question, who says yes and who says no."""


def ask_page(answer: Answer, *, contexts: Mapping[str, Mapping] | None = None) -> AskPage:
    """The context `render_ask` renders."""
    hits = {hit.passage.passage_id: hit for hit in answer.hits}
    numbers: dict[str, int] = {}
    quoted: dict[str, list[Quote]] = {}
    sentences = []
    marks = side_marks(answer)
    for quote in answer.answer:
        number = numbers.setdefault(quote.passage_id, len(numbers) + 1)
        quoted.setdefault(quote.passage_id, []).append(quote)
        sentences.append(
            AnswerSentence(
                quote.text, number, f"cite-{number}", quote.credited_as(), marks.get(quote)
            )
        )
    citations = []
    for passage_id, number in numbers.items():
        quotes = quoted[passage_id]
        hit = hits.get(passage_id)
        if hit is not None:
            start = hit.passage.start
            spans = [(q.start - start, q.end - start) for q in quotes]
            citations.append(
                _hit_view(
                    hit, f"cite-{number}", number, marked_html(hit.passage.text, spans), contexts
                )
            )
        else:  # the passage is not among the hits: show the quoted sentence alone
            q = quotes[0]
            citations.append(
                PassageView(
                    anchor=f"cite-{number}",
                    number=number,
                    score=None,
                    passage_id=passage_id,
                    source=q.source,
                    line=q.line,
                    kind=q.kind,
                    author=q.author,
                    date=q.date,
                    section=None,
                    text_html=marked_html(q.text, [(0, len(q.text))]),
                    context=None,
                )
            )
    others = tuple(
        _hit_view(
            hit, f"more-{hit.rank}", hit.rank, marked_html(hit.passage.text, hit.matches), contexts
        )
        for hit in answer.hits
        if hit.passage.passage_id not in numbers
    )
    return AskPage(
        answer.question,
        answer.corrected_question,
        tuple(sentences),
        tuple(citations),
        others,
        disagreement(answer) if answer.contested else None,
    )


def render_ask(
    answer: Answer,
    *,
    contexts: Mapping[str, Mapping] | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The answer page: each sentence with a numbered citation linking to the
    cited passage below, then the other supporting passages.

    `contexts` is as for `render_search` (keyed by passage id).
    """
    return _render("ask.html", ask_page(answer, contexts=contexts), provenance)


# --- audit ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim as `_claim.html` shows it."""

    anchor: str
    quote: Quote
    quote_html: Markup
    """The quote, escaped, with its cue words in `<em class="cue">`."""
    aspect: str
    stance: str
    attributed_to: str | None
    confidence: float = 0.0
    reported: bool = False
    note: str | None = None
    """In a conflict, when the quote alone reads otherwise than the side it
    stands for (`Conflict.note_on`); `stance` is then that side."""


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A claim and every claim opposed to it."""

    anchor: str
    claim: ClaimView
    opposed_by: tuple[ClaimView, ...]
    type: str
    explanation: str
    strength: float
    aspect: str
    same_as: str | None = None
    """The anchor of an earlier conflict quoting the same opposing claims:
    they are not quoted again."""


@dataclass(frozen=True, slots=True)
class AgreementView:
    aspect: str
    claims: tuple[ClaimView, ...]
    sources: int


@dataclass(frozen=True, slots=True)
class ClaimsView:
    """Claims on one aspect that no listed conflict or agreement holds."""

    aspect: str
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class RelatedView:
    """Figures of one kind not compared, and why."""

    aspect: str
    reason: str
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class PositionView:
    """One row of "Who says what": a voice, its position and its best quote."""

    who: str
    kind: str
    author: str | None
    speaker: str | None
    source: SourceInfo
    stance: str
    confidence: float
    excerpt: str
    anchor: str | None
    """Where its evidence is shown in full on the page."""
    conflicted: bool
    note: str | None = None
    """When its quote alone reads otherwise than its whole text (`Position.evidence_note`)."""


@dataclass(frozen=True, slots=True)
class PositionsView:
    aspect: str
    rows: tuple[PositionView, ...]


@dataclass(frozen=True, slots=True)
class AuditPage:
    """Context for one audited topic (a section of `audit.html`)."""

    anchor: str
    topic: str
    corrected_topic: str | None
    summary: str
    positions: tuple[PositionsView, ...]
    conflicts: tuple[ConflictView, ...]
    related: tuple[RelatedView, ...]
    agreements: tuple[AgreementView, ...]
    others: tuple[ClaimsView, ...]
    """Every other claim, in full: no claim found is left off the page."""
    set_aside: tuple[SourceInfo, ...] = ()
    """Sources set aside as not about the topic, named so none goes unseen."""
    without_claims: tuple[SourceInfo, ...] = ()
    """Sources on the topic in which no claim was found."""


@dataclass(frozen=True, slots=True)
class AuditBatchPage:
    """Context for `audit.html`: one or more audited topics."""

    title: str
    reports: tuple[AuditPage, ...]


def audit_page(report: AuditReport, anchor: str = "t1") -> AuditPage:
    """The context for one report's section of the audit page."""
    shown: dict[Claim, str] = {}

    def view(claim: Claim, anchor_: str, conflict: Conflict | None = None) -> ClaimView:
        shown.setdefault(claim, anchor_)
        return ClaimView(
            anchor=anchor_,
            quote=claim.quote,
            quote_html=marked_html(claim.quote.text, claim.cues, tag="em"),
            aspect=claim.aspect,
            stance=conflict.side_of(claim) if conflict else claim.stance,
            attributed_to=claim.attributed_to,
            confidence=claim.confidence,
            reported=claim.reported,
            note=conflict.note_on(claim) if conflict else None,
        )

    firsts = report.first_opposed_alike()
    conflicts = []
    for i, c in enumerate(report.conflicts, 1):
        here = f"{anchor}-x{i}"
        same = f"{anchor}-x{firsts[i - 1]}"
        conflicts.append(
            ConflictView(
                anchor=here,
                claim=view(c.claim, f"{here}c", c),
                opposed_by=tuple(
                    view(o, f"{here}o{j}", c) for j, o in enumerate(c.opposed_by, 1)
                ),
                type=c.type,
                explanation=c.explanation,
                strength=c.strength,
                aspect=c.aspect,
                same_as=same if same != here else None,
            )
        )
    related = tuple(
        RelatedView(r.a.aspect, r.reason, (view(r.a, f"{anchor}-r{i}a"), view(r.b, f"{anchor}-r{i}b")))
        for i, r in enumerate(report.related, 1)
    )
    agreements = tuple(
        AgreementView(
            aspect=ag.aspect,
            claims=tuple(view(c, f"{anchor}-g{i}-{j}") for j, c in enumerate(ag.claims, 1)),
            sources=len({c.quote.source.path for c in ag.claims}),
        )
        for i, ag in enumerate(report.agreements, 1)
    )
    others = tuple(
        ClaimsView(aspect, tuple(view(c, f"{anchor}-o{i}-{j}") for j, c in enumerate(claims, 1)))
        for i, (aspect, claims) in enumerate(report.unmatched().items(), 1)
    )
    in_conflict = {claim for c in report.conflicts for claim in c.claims}
    positions = tuple(
        PositionsView(aspect, tuple(
            PositionView(
                who=p.who(), kind=p.kind, author=p.author, speaker=p.speaker, source=p.source,
                stance=p.stance, confidence=p.confidence,
                excerpt=_excerpt(p.evidence) if p.evidence else "",
                anchor=shown.get(p.evidence) if p.evidence else None,
                conflicted=p.evidence in in_conflict,
                note=p.note(),
            )
            for p in report.positions if p.aspect == aspect
        ))
        for aspect in dict.fromkeys(p.aspect for p in report.positions)
    )
    return AuditPage(
        anchor=anchor,
        topic=report.topic,
        corrected_topic=report.corrected_topic,
        summary=report.summary(),
        positions=positions,
        conflicts=tuple(conflicts),
        related=related,
        agreements=agreements,
        others=others,
        set_aside=report.set_aside,
        without_claims=report.without_claims,
    )


def _excerpt(claim: Claim) -> str:
    """The claim's quote cut to `EXCERPT_CHARS`.  When the words that decide
    it come later (a list item quoted with its lead-in), its start, "…" and
    the line holding the last of them: "There are certain side effects … •
    Drowsiness"."""
    text = claim.quote.text
    if len(text) <= EXCERPT_CHARS:
        return text
    last_start, last_end = max(claim.cues, key=lambda cue: cue[1], default=(0, 0))
    if last_end < EXCERPT_CHARS:
        return text[: EXCERPT_CHARS - 1].rstrip() + "…"
    line = text.rfind("\n", 0, last_start) + 1
    if last_start - line > EXCERPT_CHARS // 2:  # deep in a long line: from a word before it
        line = text.find(" ", last_start - EXCERPT_CHARS // 2, last_start) + 1 or last_start
    tail = text[line:last_end].strip()
    head = text[: max(EXCERPT_CHARS // 3, EXCERPT_CHARS - len(tail) - 3) + 1]
    head = head[: head.rfind(" ")] if " " in head else head  # whole words
    head = head.rstrip(" \n•-")  # not an item's bullet alone
    return f"{head} … {tail}"


def render_audit(
    reports: AuditReport | Sequence[AuditReport],
    *,
    title: str | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The audit page for one report or several (`audit --topics FILE`): for
    each topic, who says what (one row per voice: a source, a commenter, a
    speaker it quotes against its own view), then its conflicts (each claim
    with every claim opposed to it), related figures, agreements and the
    other claims.

    `title` defaults to "Audit: TOPIC" for one report, "Audit of N topics" else.
    """
    if isinstance(reports, AuditReport):
        reports = [reports]
    pages = tuple(audit_page(report, f"t{i}") for i, report in enumerate(reports, 1))
    if title is None:
        title = f"Audit: {pages[0].topic}" if len(pages) == 1 else f"Audit of {len(pages)} topics"
    return _render("audit.html", AuditBatchPage(title, pages), provenance)


# --- writing ----------------------------------------------------------------


class NotAFile(OSError):
    """The page's path names something other than a regular file (a device,
    a named pipe, a folder): it is never replaced."""


def write_page(path: Path, html: str) -> None:
    """Write `html` to `path` (UTF-8) atomically: a reader sees the old file
    or the whole new one, never half a page.  Only a regular file (through a
    link to one, which stays a link) or a new name is written: anything else
    (`/dev/full`, a named pipe) raises `NotAFile`, and is left as it was.
    Raises `OSError`."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(
                f"will not write the page to {path}: it is not a regular file; "
                "give a new file name (or - for standard output)"
            )
        path = Path(os.path.realpath(path))  # replace the file a link names, not the link
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
