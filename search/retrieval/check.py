"""Re-checking a saved report: is each quote still in its source, verbatim,
at its offsets?

A report is what `search`, `ask`, `audit` or `show` printed with `--json`.
Each quote in it (a search hit, an answer sentence, a claim) names its
source's path, its offsets and the SHA-256 of its text (`sha256`); the
index holds each source's text as it was last indexed.  So a quote is
`present` when the text at its offsets still has that fingerprint,
`changed` when it does not (or the report's own text no longer matches its
fingerprint), and `gone` when its source is no longer in the index.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer import UnknownPassage, fingerprint, line_of, line_starts

from .engine import Index

PRESENT = "present"
CHANGED = "changed"
GONE = "gone"
STATUSES = (PRESENT, CHANGED, GONE)


class ReportError(ValueError):
    """The file is not a report `check` can read."""


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """One quote of a report, checked against the index."""

    path: str
    start: int
    end: int
    sha256: str
    passage_id: str | None
    text: str | None
    """The quote's text as the report gives it."""
    status: str
    """`present`, `changed` or `gone`."""
    line: int | None = None
    """The line of `start` in the source as indexed now (None when gone)."""
    detail: str | None = None
    """Why it is not present, and where its text is now if it moved."""

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "passage_id": self.passage_id,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "sha256": self.sha256,
            "text": self.text,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every quote of a report, checked."""

    quotes: tuple[QuoteCheck, ...]
    made: dict | None
    """The report's own provenance, as it recorded it (None if it has none)."""

    def count(self, status: str) -> int:
        return sum(quote.status == status for quote in self.quotes)

    @property
    def holds(self) -> bool:
        """Whether every quote is still present."""
        return all(quote.status == PRESENT for quote in self.quotes)

    def summary(self) -> str:
        """e.g. "12 quotes: 10 present, 1 changed, 1 gone"."""
        counts = ", ".join(f"{self.count(status)} {status}" for status in STATUSES)
        noun = "quote" if len(self.quotes) == 1 else "quotes"
        return f"{len(self.quotes)} {noun}: {counts}"

    def to_dict(self) -> dict:
        return {
            "summary": self.summary(),
            **{status: self.count(status) for status in STATUSES},
            "quotes": [quote.to_dict() for quote in self.quotes],
            "report_provenance": self.made,
        }


def quotes_in(report) -> list[dict]:
    """The quotes of a report (parsed JSON), in the order they appear, each
    once: every object with a `sha256`, integer `start` and `end`, and a
    `source` naming its `path`."""
    found: dict[tuple, dict] = {}
    stack = [report]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if _is_quote(item):
                key = (item["source"]["path"], item["start"], item["end"], item["sha256"])
                found.setdefault(key, item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return list(found.values())


def _is_quote(item: dict) -> bool:
    source = item.get("source")
    return (
        isinstance(item.get("sha256"), str)
        and all(isinstance(item.get(key), int) and not isinstance(item.get(key), bool)
                for key in ("start", "end"))
        and isinstance(source, dict)
        and isinstance(source.get("path"), str)
    )


def check_report(index: Index, report) -> CheckReport:
    """Check every quote of `report` (a parsed `--json` output) against
    `index`.  A report groundsearch made (it records its provenance) may
    hold no quote, an audit that found no claim: nothing in it has moved.
    Raises `ReportError` for JSON that is no report."""
    if not isinstance(report, dict):
        raise ReportError("it is not a groundsearch --json report (not a JSON object)")
    quotes = quotes_in(report)
    if not quotes and not isinstance(report.get("provenance"), dict):
        raise ReportError(
            "it holds no quote to check (no passage with a sha256: made with --json by "
            "search, ask, audit or show of groundsearch 0.1 or later?)"
        )
    texts: dict[str, str | None] = {}
    checked = []
    for quote in quotes:
        path = quote["source"]["path"]
        if path not in texts:
            try:
                texts[path] = index.source_text(path)
            except UnknownPassage:  # (no such source)
                texts[path] = None
        checked.append(check_quote(quote, texts[path]))
    made = report.get("provenance")
    return CheckReport(tuple(checked), made if isinstance(made, dict) else None)


def check_quote(quote: dict, source_text: str | None) -> QuoteCheck:
    """One quote (a report's object with `sha256`, `start`, `end`, `source`)
    against its source's text now (None: the source is not in the index)."""
    path = quote["source"]["path"]
    start, end, sha = quote["start"], quote["end"], quote["sha256"]
    text = quote.get("text") if isinstance(quote.get("text"), str) else None
    passage_id = quote.get("passage_id") if isinstance(quote.get("passage_id"), str) else None

    def result(status: str, line: int | None = None, detail: str | None = None) -> QuoteCheck:
        return QuoteCheck(path, start, end, sha, passage_id, text, status, line, detail)

    if source_text is None:
        return result(GONE, detail=f"{path} is no longer in the index")
    starts = line_starts(source_text)
    line = line_of(starts, min(max(start, 0), len(source_text)))
    if text is not None and fingerprint(text) != sha:
        return result(CHANGED, line, "the report's text is not the text its sha256 fingerprints")
    if 0 <= start <= end <= len(source_text) and fingerprint(source_text[start:end]) == sha:
        return result(PRESENT, line)
    if text:
        at = source_text.find(text)
        if at >= 0:
            return result(
                CHANGED, line, f"moved: the same text is now at line {line_of(starts, at)} "
                f"(offsets {at}-{at + len(text)})"
            )
    return result(CHANGED, line, f"the text at its offsets in {path} is not the quoted text")

