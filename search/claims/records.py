"""Records for grounded answers (`ask`) and claim audits (`audit`).

Like `Hit`, these are the objects both `--json` and the HTML pages read.
Every `text` here is verbatim: `source_text[start:end] == text`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from indexer import SourceInfo, fingerprint

from ..retrieval.results import Hit, counted  # (counted: also the terminal's)

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
            text[start:end],
            start,
            end,
            passage.passage_id,
            passage.kind,
            passage.author,
            passage.date,
            source,
            passage.line + text.count("\n", passage.start, start),
        )

    def attributed(self, text: str) -> Quote:
        """This quote with who its words credit (`attributed_to`), read from
        it and from `text`, its source's text, just above and below it (the
        tag of a quotation it opens: `"...," Vega said.`)."""
        from .language import attributed_to  # (a search shows no claims: imported here)

        # all of the text: a person's full name and job may be far from the quote
        before, after = text[: self.start], text[self.end :]
        return dataclasses.replace(self, attributed_to=attributed_to(self.text, before, after))

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "sha256": fingerprint(self.text),
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
class Side:
    """One side of a contested question: the voices that take it and their best quotes."""

    stance: str
    """`affirms` or `denies`."""
    voices: tuple[str, ...]
    """Who takes it ("the DEA (per Baclofen FAQ)", "Erin, commenting on ...")."""
    quotes: tuple[Quote, ...]

    def to_dict(self) -> dict:
        return {
            "stance": self.stance,
            "voices": list(self.voices),
            "quotes": [q.to_dict() for q in self.quotes],
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of `ask`: up to three sentences that answer the question."""

    question: str
    answer: tuple[Quote, ...]
    hits: tuple[Hit, ...]
    """The supporting passages, as `search` returns them."""
    corrected_question: str | None = None
    """The question answered, when spelling correction changed it."""
    sides: tuple[Side, ...] = ()
    """When the sources take opposite positions on a yes/no question (or a
    claim): each side, its voices and quotes (also first in `answer`)."""

    @property
    def contested(self) -> bool:
        return len(self.sides) > 1

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "corrected_question": self.corrected_question,
            "answer": [quote.to_dict() for quote in self.answer],
            "contested": self.contested,
            "sides": [side.to_dict() for side in self.sides],
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence that speaks to the audited topic, with its stance."""

    quote: Quote
    aspect: str
    """What it is about, e.g. "abuse potential", "duration of withdrawal"."""
    stance: str
    """`affirms`, `denies` or `neutral` (discusses, reports, asks) on its aspect."""
    attributed_to: str | None
    """Who the sentence says holds the view ("the DEA"), when it says so."""
    cues: tuple[tuple[int, int], ...] = ()
    """Offsets within `quote.text` of the words that decide the stance or
    carry the quantity (emphasised on the HTML page)."""
    confidence: float = 0.0
    """How sure the reading is of the stance, 0.5 to 1 (0 when it takes no side)."""
    reported: bool = False
    """The sentence repeats what others say ("reports say", "X claimed")
    without taking it on as its source's own view: it is `neutral`."""
    found_by: str = "aspect"
    """Why it is a claim: `aspect` (it holds the aspect's words), `topic` (it
    repeats most of the topic's predicate), `cue` (it refutes, denies or
    confirms what it refers to) or `closest` (its source's sentence closest
    to the topic, read so that no source on the topic goes unread)."""

    @property
    def cue_words(self) -> list[str]:
        return [self.quote.text[a:b] for a, b in self.cues]

    def to_dict(self) -> dict:
        return {
            **self.quote.to_dict(),
            "aspect": self.aspect,
            "stance": self.stance,
            "confidence": round(self.confidence, 2),
            "cues": self.cue_words,
            "reported": self.reported,
            "found_by": self.found_by,
            "attributed_to": self.attributed_to,
        }


#: A source's position on an aspect.
MIXED = "mixed"
UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Position:
    """Where one voice stands on one aspect: a source's own text, or one
    reader's comments on it (a row of their own, named)."""

    aspect: str
    source: SourceInfo
    author: str | None
    """The commenter, for a reader's comments; None for the page's own text."""
    kind: str
    """`content` (the page's own text) or `comment`."""
    stance: str
    """`affirms`, `denies`, `mixed` or `unclear`."""
    confidence: float
    """The reading's probability of the stance taken (0.5 to 1)."""
    evidence: Claim | None
    """Its best evidence: the most confident claim on the side taken (or,
    when none takes it, its most confident claim: see `evidence_note`)."""
    claims: tuple[Claim, ...] = ()
    speaker: str | None = None
    """A named speaker the source quotes against its own view ("the DEA")."""

    def who(self) -> str:
        """ "Erin, commenting on Sleep guide"; "the DEA (per Baclofen FAQ)"; or the source's title."""
        if self.kind == "comment":
            where = f"{self.author or 'an anonymous reader'}, commenting on {self.source.title}"
        else:
            where = self.source.title
        return f"{self.speaker} (per {where})" if self.speaker else where

    def evidence_note(self) -> str | None:
        """When the position is read from the voice's whole text and its best
        quote alone reads otherwise, a note saying so."""
        if (
            self.evidence is None
            or self.stance not in (AFFIRMS, DENIES)
            or self.evidence.stance == self.stance
        ):
            return None
        return _read_whole(self.evidence)

    def note(self) -> str | None:
        """What a reader should know of the row's quote: whose words it is
        when a page's own row quotes someone the page reports ("quoting
        Helen Marchetti"), and its `evidence_note`."""
        notes = []
        if self.evidence is not None and self.evidence.attributed_to and not self.speaker:
            notes.append(f"quoting {self.evidence.attributed_to}")
        if evidence := self.evidence_note():
            notes.append(evidence)
        return "; ".join(notes) or None

    @property
    def turned(self) -> bool:
        """Whether it takes a side none of its claims takes, its best claim
        taking the other (its `evidence_note` then says so)."""
        return self.evidence_note() is not None and self.evidence.stance in (AFFIRMS, DENIES)

    def to_dict(self) -> dict:
        return {
            "aspect": self.aspect,
            "source": self.source.to_dict(),
            "author": self.author,
            "kind": self.kind,
            "speaker": self.speaker,
            "who": self.who(),
            "stance": self.stance,
            "confidence": round(self.confidence, 2),
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "claims": len(self.claims),
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """A claim and the claims of other voices it cannot be true with, shown
    once with all of them (not repeated for every pair)."""

    claim: Claim
    opposed_by: tuple[Claim, ...]
    type: str
    """`negation` (opposite stances), `quantity` (figures of the same thing
    that do not overlap) or `antonym` (opposite words, same stance)."""
    explanation: str
    strength: float = 1.0
    """Lower when the readings are less sure, or a claim is hedged ("may")."""
    sides: tuple[str, ...] = ()
    """In a `negation` conflict, the side each of `claims` stands for: its
    voice's position, which may be read from the voice's whole text when the
    quote alone takes no side (`Position.evidence_note`)."""

    @property
    def aspect(self) -> str:
        return self.claim.aspect

    def side_of(self, claim: Claim) -> str:
        """The side `claim` stands for here: its voice's, else its own stance."""
        for member, side in zip(self.claims, self.sides, strict=False):
            if member == claim:
                return side
        return claim.stance

    def note_on(self, claim: Claim) -> str | None:
        """When the quote alone reads otherwise than the side it stands for."""
        if self.side_of(claim) == claim.stance:
            return None
        return f"its voice's position, {_read_whole(claim)}"

    @property
    def claims(self) -> tuple[Claim, ...]:
        return (self.claim, *self.opposed_by)

    def pairs(self) -> list[tuple[Claim, Claim]]:
        return [(self.claim, other) for other in self.opposed_by]

    def to_dict(self) -> dict:
        return {
            "aspect": self.aspect,
            "type": self.type,
            "claim": self._claim_dict(self.claim),
            "opposed_by": [self._claim_dict(c) for c in self.opposed_by],
            "explanation": self.explanation,
            "strength": round(self.strength, 2),
        }

    def _claim_dict(self, claim: Claim) -> dict:
        return {**claim.to_dict(), "side": self.side_of(claim), "side_note": self.note_on(claim)}


def _read_whole(quote_of: Claim) -> str:
    """The note on a side read from a voice's whole text, beside the quote
    `quote_of` that alone reads otherwise."""
    alone = quote_of.stance if quote_of.stance in (AFFIRMS, DENIES) else "takes no side"
    return f"read from its whole text; this quote alone {alone}"


@dataclass(frozen=True, slots=True)
class Related:
    """Two figures of a kind that were not compared, and why: they measure
    different things (one after treatment, the other without)."""

    a: Claim
    b: Claim
    reason: str

    def to_dict(self) -> dict:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "reason": self.reason}


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
    positions: tuple[Position, ...] = ()
    """Who says what: one per voice (source, or commenter) and aspect."""
    related: tuple[Related, ...] = ()
    """Figures of one kind not compared, as they measure different things."""
    set_aside: tuple[SourceInfo, ...] = ()
    """Sources the topic's words found but that are not about it (another
    story sharing a word with it): none of their sentences is read as a claim."""
    without_claims: tuple[SourceInfo, ...] = ()
    """Sources retrieved on the topic and about it, in which no sentence was
    read as a claim (they may say it in words other than the topic's)."""

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
        shown = {claim for c in self.conflicts for claim in c.claims}
        shown |= {claim for a in self.agreements for claim in a.claims}
        shown |= {claim for r in self.related for claim in (r.a, r.b)}
        found: dict[str, list[Claim]] = {}
        for claim in self.claims:
            if claim not in shown:
                found.setdefault(claim.aspect, []).append(claim)
        return {aspect: tuple(claims) for aspect, claims in found.items()}

    def first_opposed_alike(self) -> list[int]:
        """For each listed conflict, the number (from 1) of the first one
        opposed by the same claims: its own number when none before is.
        Claims of one side against the same others quote them once."""
        first: dict[tuple, int] = {}
        return [
            first.setdefault(c.opposed_by, number) for number, c in enumerate(self.conflicts, 1)
        ]

    def pairs(self) -> int:
        """How many pairs of opposed claims the listed conflicts hold."""
        return sum(len(c.opposed_by) for c in self.conflicts)

    def summary(self) -> str:
        """e.g. "2 conflicts (7 opposed pairs) across 4 sources on 1 aspect; ...",
        or "no conflicts; 1 agreement; ..."."""
        involved = {claim.quote.source.path for c in self.conflicts for claim in c.claims}
        aspects = {c.aspect for c in self.conflicts}
        pairs = self.pairs()
        grouped = f" ({counted(pairs, 'opposed pair')})" if pairs > len(self.conflicts) else ""
        more = f" (and {self.more_conflicts} more not listed)" if self.more_conflicts else ""
        conflicts = (
            f"{counted(len(self.conflicts), 'conflict')}{grouped}{more} across "
            f"{counted(len(involved), 'source')} on {counted(len(aspects), 'aspect')}"
            if self.conflicts or self.more_conflicts
            else "no conflicts"
        )
        return (
            f"{conflicts}; "
            f"{counted(len(self.agreements), 'agreement')}; "
            f"{counted(len(self.claims), 'claim')} from {counted(len(self.sources), 'source')}"
            + (
                f"; {counted(len(self.set_aside), 'source')} set aside as not about the topic"
                if self.set_aside
                else ""
            )
        )

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "corrected_topic": self.corrected_topic,
            "summary": self.summary(),
            "positions": [p.to_dict() for p in self.positions],
            "claims": [c.to_dict() for c in self.claims],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "more_conflicts": self.more_conflicts,
            "agreements": [a.to_dict() for a in self.agreements],
            "related_figures": [r.to_dict() for r in self.related],
            "set_aside": [{"path": s.path, "title": s.title} for s in self.set_aside],
            "without_claims": [{"path": s.path, "title": s.title} for s in self.without_claims],
        }
