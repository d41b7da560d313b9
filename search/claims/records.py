"""Records for grounded answers (`ask`) and claim audits (`audit`).

Like `Hit`, these are the objects both `--json` and the HTML pages read.
Every `text` here is verbatim: `source_text[start:end] == text`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from indexer import SourceInfo

from ..retrieval.results import Hit
from .language import attributed_to

#: Characters before a sentence looked at for who it is attributed to: enough
#: for a lead-in line ("According to Physiopedia:") above a long paragraph.
ATTRIBUTION_CONTEXT = 1_000

AFFIRMS = "affirms"
DENIES = "denies"
NEUTRAL = "neutral"

NEGATION = "negation"
QUANTITY = "quantity"
ANTONYM = "antonym"


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim sentence from a passage, with its attribution."""

    text: str
    start: int
    end: int
    passage_id: str
    kind: str
    author: str | None
    date: str | None
    source: SourceInfo
    line: int
    attributed_to: str | None = None
    """Who the text says holds its view ("the DEA", "The baclofen website"),
    when it says so, itself or in a lead-in or quotation it continues."""

    @classmethod
    def of(cls, text: str, start: int, end: int, passage, source: SourceInfo) -> Quote:
        """`text[start:end]`, a stretch of `passage` whose source text is
        `text`; who it credits is read by `attributed`, for the quotes kept."""
        return cls(
            text[start:end], start, end, passage.passage_id, passage.kind, passage.author,
            passage.date, source, passage.line + text.count("\n", passage.start, start),
        )

    def attributed(self, text: str) -> Quote:
        """This quote with who its words credit (`attributed_to`), read from
        it and from `text`, its source's text, just above it."""
        before = text[max(0, self.start - ATTRIBUTION_CONTEXT) : self.start]
        return dataclasses.replace(self, attributed_to=attributed_to(self.text, before))

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "passage_id": self.passage_id,
            "kind": self.kind,
            "author": self.author,
            "date": self.date,
            "source": self.source.to_dict(),
            "attributed_to": self.attributed_to,
        }

    def cited_as(self) -> str:
        """How the quote is credited: the poster for a comment, else the source."""
        if self.kind == "comment":
            who = self.author or "an anonymous reader"
            when = f", {self.date[:10]}" if self.date else ""
            return f"{who}{when}, on {self.source.title}"
        return self.source.title

    def credited_as(self) -> str:
        """Who says it: "the DEA (per Baclofen side effects, abuse and
        toxicity)" for a view the text attributes, else `cited_as()`."""
        if self.attributed_to:
            return f"{self.attributed_to} (per {self.cited_as()})"
        return self.cited_as()


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of `ask`: up to three sentences that answer the question."""

    question: str
    answer: tuple[Quote, ...]
    hits: tuple[Hit, ...]
    """The supporting passages, as `search` returns them."""
    corrected_question: str | None = None
    """The question answered, when spelling correction changed it."""

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "corrected_question": self.corrected_question,
            "answer": [quote.to_dict() for quote in self.answer],
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence that speaks to the audited topic, with its stance."""

    quote: Quote
    aspect: str
    """What it is about, e.g. "abuse potential", "duration of withdrawal"."""
    stance: str
    """`affirms`, `denies` or `neutral` on its aspect."""
    attributed_to: str | None
    """Who the sentence says holds the view ("the DEA"), when it says so."""
    cues: tuple[tuple[int, int], ...] = ()
    """Offsets within `quote.text` of the words that decide the stance or
    carry the quantity (emphasised on the HTML page)."""

    def to_dict(self) -> dict:
        return {
            **self.quote.to_dict(),
            "aspect": self.aspect,
            "stance": self.stance,
            "attributed_to": self.attributed_to,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two claims on the same aspect that cannot both be true."""

    a: Claim
    b: Claim
    type: str
    """`negation`, `quantity` or `antonym`."""
    explanation: str
    strength: float = 1.0
    """Lower when either claim is hedged ("may", "some")."""

    def to_dict(self) -> dict:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "type": self.type,
            "explanation": self.explanation,
            "strength": round(self.strength, 2),
        }


@dataclass(frozen=True, slots=True)
class Agreement:
    """Several sources saying the same thing about one aspect."""

    aspect: str
    claims: tuple[Claim, ...]

    def to_dict(self) -> dict:
        return {"aspect": self.aspect, "claims": [c.to_dict() for c in self.claims]}


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of auditing one topic."""

    topic: str
    claims: tuple[Claim, ...]
    conflicts: tuple[Conflict, ...]
    agreements: tuple[Agreement, ...]
    corrected_topic: str | None = None
    """The topic audited, when spelling correction changed it."""
    more_conflicts: int = 0
    """Conflicting pairs found beyond those listed (a few per aspect are);
    their claims are still in `claims` and in `unmatched()`."""

    @property
    def aspects(self) -> list[str]:
        return sorted({c.aspect for c in self.claims})

    @property
    def sources(self) -> list[SourceInfo]:
        seen: dict[str, SourceInfo] = {}
        for claim in self.claims:
            seen.setdefault(claim.quote.source.path, claim.quote.source)
        return [seen[path] for path in sorted(seen)]

    def unmatched(self) -> dict[str, tuple[Claim, ...]]:
        """Claims in no listed conflict or agreement, by aspect: most often
        one source alone speaks to the aspect, or the claims take no side
        (`neutral`: "how it works", a topic that is a name), or the aspect
        has more conflicting pairs than are listed.  So every claim found is
        shown somewhere."""
        shown = {claim for c in self.conflicts for claim in (c.a, c.b)}
        shown |= {claim for a in self.agreements for claim in a.claims}
        found: dict[str, list[Claim]] = {}
        for claim in self.claims:
            if claim not in shown:
                found.setdefault(claim.aspect, []).append(claim)
        return {aspect: tuple(claims) for aspect, claims in found.items()}

    def summary(self) -> str:
        """e.g. "3 conflicts across 4 sources on 2 aspects"."""
        involved = {c.a.quote.source.path for c in self.conflicts} | {
            c.b.quote.source.path for c in self.conflicts
        }
        aspects = {c.a.aspect for c in self.conflicts}
        more = f" (and {self.more_conflicts} more not listed)" if self.more_conflicts else ""
        return (
            f"{counted(len(self.conflicts), 'conflict')}{more} across "
            f"{counted(len(involved), 'source')} "
            f"on {counted(len(aspects), 'aspect')}; "
            f"{counted(len(self.agreements), 'agreement')}; "
            f"{counted(len(self.claims), 'claim')} from {counted(len(self.sources), 'source')}"
        )

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "corrected_topic": self.corrected_topic,
            "summary": self.summary(),
            "claims": [c.to_dict() for c in self.claims],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "more_conflicts": self.more_conflicts,
            "agreements": [a.to_dict() for a in self.agreements],
        }


def counted(n: int, noun: str) -> str:
    """`n` and `noun`, plural unless `n` is 1: "1 claim", "3 claims"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
