"""Output formats of `search`, `ask` and `audit`: text, json, jsonl, csv
and markdown, registered per record type.

Each renderer takes one result record (`SearchResult`, `Answer`, `Audits`)
and returns the whole output as a string; `render(format, record)` looks
it up, so the command line names a format and never branches on it.
Every renderer reads the records' own fields and `to_dict()`; none builds
a second dict of a record.  CSV and Markdown have one row per hit, answer
sentence or claim: the shapes people paste into reports.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..retrieval.results import Hit, SearchResult
from . import json as json_output
from . import terminal

if TYPE_CHECKING:  # (a search's output needs none of the claims layer)
    from ..claims.records import Answer, AuditReport
    from ..retrieval.provenance import Provenance

#: The formats, in the order `--format` lists them.
FORMATS = ("text", "json", "jsonl", "csv", "markdown")

#: Renderers by format and the name of the record type they take (a name,
#: so that registering `ask`'s renderers imports nothing of the claims layer).
_RENDERERS: dict[tuple[str, str], Callable[..., str]] = {}


@dataclass(frozen=True, slots=True)
class Audits:
    """What one `audit` command found: a report per topic."""

    reports: tuple[AuditReport, ...]
    checklist: bool = False
    """The topics came from a `--topics` checklist (JSON lists them under
    `topics` even when there is one)."""


def renderer(fmt: str, kind: type | str):
    """Register the decorated function as the `fmt` output of `kind` records
    (a class, or its name)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")

    def register(function: Callable[..., str]) -> Callable[..., str]:
        _RENDERERS[(fmt, kind if isinstance(kind, str) else kind.__name__)] = function
        return function

    return register


def render(fmt: str, record, **options) -> str:
    """`record` in format `fmt`.  `options` (such as the text audit's
    `width`) go to the renderers that take them; the others ignore them."""
    try:
        function = _RENDERERS[(fmt, type(record).__name__)]
    except KeyError:
        raise ValueError(f"no {fmt} output for {type(record).__name__}") from None
    taken = inspect.signature(function).parameters
    return function(record, **{name: v for name, v in options.items() if name in taken})


# --- shared pieces ----------------------------------------------------------------


def _json(data: dict, provenance: Provenance | None) -> str:
    """`data` as JSON, with where it comes from under `provenance` (when known)."""
    if provenance is not None:
        data = {**data, "provenance": provenance.to_dict()}
    return json_output.dumps(data) + "\n"


def _jsonl(rows) -> str:
    return "".join(json_output.dumps_line(row) + "\n" for row in rows)


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# Markdown's inline syntax, and HTML: a quote's "*" or "<script>" must stay text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(text: str) -> str:
    """`text` as literal Markdown on one line (a table cell): its syntax
    characters backslash-escaped, its line breaks `<br>`."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(escaped.splitlines()) if "\n" in escaped else escaped


def _md_marked(text: str, spans) -> str:
    """`text` as `md` makes it, with each `(start, end)` span in bold."""
    out, cursor = [], 0
    for start, end in spans:
        out += [md(text[cursor:start]), "**", md(text[start:end]), "**"]
        cursor = end
    out.append(md(text[cursor:]))
    return "".join(out)


def _md_table(header: list[str], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """`text` as Markdown code (a path, an id); escaped text if it holds a
    backtick.  A `|` is escaped even in code: it would end a table cell."""
    if "`" in text or "\n" in text:
        return md(text)
    return "`" + text.replace("|", "\\|") + "`"


def _where(source, line: int) -> str:
    return f"{source.path}:{line}"


def _credit(kind: str, author: str | None, date: str | None) -> str:
    """`comment by Jason, 2006-11-20` for a comment, else the kind."""
    if kind != "comment":
        return kind
    return f"comment by {author or 'anonymous'}" + (f", {date[:10]}" if date else "")


# --- search -------------------------------------------------------------------------


def _shown(result: SearchResult) -> list[Hit]:
    """The hits in the order they are shown: under each source when grouped."""
    if result.groups is not None:
        return [hit for group in result.groups for hit in group.hits]
    return list(result.hits)


@renderer("text", SearchResult)
def search_text(result: SearchResult) -> str:
    return terminal.format_search(result)


@renderer("json", SearchResult)
def search_json(result: SearchResult, provenance: Provenance | None = None) -> str:
    return _json(result.to_dict(), provenance)


@renderer("jsonl", SearchResult)
def search_jsonl(result: SearchResult) -> str:
    """One hit per line, as in `json`'s `hits`."""
    return _jsonl(hit.to_dict() for hit in _shown(result))


_SEARCH_COLUMNS = [
    "rank", "score", "source", "path:line", "passage id", "kind", "author", "date", "section",
    "text",
]


@renderer("csv", SearchResult)
def search_csv(result: SearchResult) -> str:
    return _csv(
        _SEARCH_COLUMNS,
        (
            [
                hit.rank, f"{hit.score:.4f}", hit.source.title,
                _where(hit.source, hit.passage.line),
                hit.passage.passage_id, hit.passage.kind, hit.passage.author or "",
                hit.passage.date or "", hit.passage.section or "", hit.passage.text,
            ]
            for hit in _shown(result)
        ),
    )


@renderer("markdown", SearchResult)
def search_markdown(result: SearchResult) -> str:
    head = f"**Search:** {md(result.query)}"
    if result.corrected_query:
        head += f" (showing results for {md(result.corrected_query)})"
    out = [head, "", md(terminal.count_line(result)), ""]
    rows = [
        [
            str(hit.rank), md(hit.source.title), _code(_where(hit.source, hit.passage.line)),
            md(_credit(hit.passage.kind, hit.passage.author, hit.passage.date)),
            _code(hit.passage.passage_id), _md_marked(hit.passage.text, hit.matches),
        ]
        for hit in _shown(result)
    ]
    if rows:
        out.append(_md_table(["#", "source", "where", "kind", "passage", "text"], rows))
    return "\n".join(out).rstrip("\n") + "\n"


# --- ask ----------------------------------------------------------------------------


@renderer("text", "Answer")
def ask_text(answer: Answer) -> str:
    return terminal.format_answer(answer)


@renderer("json", "Answer")
def ask_json(answer: Answer, provenance: Provenance | None = None) -> str:
    return _json(answer.to_dict(), provenance)


@renderer("jsonl", "Answer")
def ask_jsonl(answer: Answer) -> str:
    """One answer sentence per line, as in `json`'s `answer`."""
    return _jsonl(quote.to_dict() for quote in answer.answer)


@renderer("csv", "Answer")
def ask_csv(answer: Answer) -> str:
    """A row per answer sentence, numbered as the text cites them; on a
    contested question, the side it is quoted for (yes, no or also)."""
    marks = terminal.side_marks(answer)
    return _csv(
        ["citation", "quote", "source", "path:line", "passage id", "kind", "author", "date",
         "attributed to", "side"],
        (
            [
                number, q.text, q.source.title, _where(q.source, q.line),
                q.passage_id, q.kind, q.author or "", q.date or "", q.attributed_to or "",
                marks.get(q, ""),
            ]
            for number, q in enumerate(answer.answer, 1)
        ),
    )


@renderer("markdown", "Answer")
def ask_markdown(answer: Answer) -> str:
    out = [f"**Q:** {md(answer.question)}", ""]
    if answer.corrected_question:
        out += [f"Answering {md(answer.corrected_question)}", ""]
    if not answer.answer:
        return "\n".join([*out, "No source in the corpus answers this question."]) + "\n"
    if answer.contested:
        out += [md(terminal.disagreement(answer)), ""]
    marks = terminal.side_marks(answer)
    for number, quote in enumerate(answer.answer, 1):
        said = _credit(quote.kind, quote.author, quote.date)
        by = f" ({md(said)})" if quote.kind == "comment" else ""
        mark = f"**{marks[quote]}:** " if marks else ""
        out.append(f"> {mark}“{md(quote.text)}” [{number}]{by}")
        out.append(">")
    out[-1] = ""
    for number, quote in enumerate(answer.answer, 1):
        out.append(
            f"{number}. {md(quote.credited_as())} — "
            f"{_code(_where(quote.source, quote.line))} ({_code(quote.passage_id)})"
        )
    return "\n".join(out) + "\n"


# --- audit --------------------------------------------------------------------------


@renderer("text", Audits)
def audit_text(audits: Audits, width: int = 100) -> str:
    return terminal.format_audit(list(audits.reports), width=width, checklist=audits.checklist)


@renderer("json", Audits)
def audit_json(audits: Audits, provenance: Provenance | None = None) -> str:
    return _json(json_output.audits(list(audits.reports), checklist=audits.checklist), provenance)


@renderer("jsonl", Audits)
def audit_jsonl(audits: Audits) -> str:
    """One claim per line, as in `json`'s `claims`, with its topic."""
    return _jsonl(
        {"topic": report.topic, **claim.to_dict()}
        for report in audits.reports
        for claim in report.claims
    )


#: The columns of an audit's CSV and Markdown: one row per claim.
AUDIT_COLUMNS = [
    "topic", "aspect", "source", "path:line", "passage id", "stance", "attributed to", "quote",
]


def _claim_rows(audits: Audits):
    for report in audits.reports:
        for claim in report.claims:
            quote = claim.quote
            yield report.topic, claim, quote


@renderer("csv", Audits)
def audit_csv(audits: Audits) -> str:
    return _csv(
        AUDIT_COLUMNS,
        (
            [
                topic, claim.aspect, quote.source.title, _where(quote.source, quote.line),
                quote.passage_id, claim.stance, claim.attributed_to or "", quote.text,
            ]
            for topic, claim, quote in _claim_rows(audits)
        ),
    )


@renderer("markdown", Audits)
def audit_markdown(audits: Audits) -> str:
    rows = [
        [
            md(topic), md(claim.aspect), md(quote.source.title),
            _code(_where(quote.source, quote.line)), _code(quote.passage_id), md(claim.stance),
            md(claim.attributed_to or "—"), f"“{md(quote.text)}”",
        ]
        for topic, claim, quote in _claim_rows(audits)
    ]
    summaries = [f"- **{md(r.topic)}**: {md(r.summary())}" for r in audits.reports]
    table = _md_table(AUDIT_COLUMNS, rows) if rows else "No claims found.\n"
    return "\n".join(summaries) + "\n\n" + table
