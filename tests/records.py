"""Hand-made `ask`/`audit` records for the HTML tests.

They mirror what the seeds say about baclofen's abuse potential: every quote is
a verbatim sentence of a seed document, with its real offsets, line and
passage id, so the pages built from them look like the real `audit` output.
"""

from __future__ import annotations

from indexer.model import SourceInfo
from search.claims.records import (
    AFFIRMS,
    DENIES,
    NEGATION,
    Agreement,
    Answer,
    AuditReport,
    Claim,
    Conflict,
    Position,
    Quote,
)

from .conftest import SEEDS

ZINNIA = SourceInfo("001_a426a29352d06d7c.txt", "Baclofen side effects, abuse and toxicity")
TRANSFORMATIONS = SourceInfo(
    "003_1957af6f8275ef46.txt",
    "What you need to know about Baclofen",
    publisher="Transformations Treatment Center",
)

DEA_DENIES = (
    "Despite its muscle relaxant properties and interaction with the CNS, the DEA does not "
    "consider baclofen to have any potential for abuse."
)
ZINNIA_AFFIRMS = (
    "- Because of this effect and the fact that it causes pleasant feelings when taken, "
    "it does have abuse potential."
)
TRANSFORMATIONS_AFFIRMS = (
    "Because Baclofen relieves pain, it is a prescription drug with potential for abuse."
)
NOT_CONTROLLED = (
    "Although the number of cases with Baclofen abuse is growing, it is not on the list of "
    "controlled substances."
)
NOT_CONTROLLED_US = "Unlike gabapentin, baclofen is not controlled throughout the US."


def quote(source: SourceInfo, sentence: str, passage_id: str) -> Quote:
    """The quote of `sentence` where it stands in the seed document."""
    text = (SEEDS / source.path).read_text(encoding="utf-8")
    start = text.index(sentence)
    return Quote(
        text=sentence,
        start=start,
        end=start + len(sentence),
        passage_id=passage_id,
        kind="content",
        author=None,
        date=None,
        source=source,
        line=text.count("\n", 0, start) + 1,
    )


def spans(sentence: str, *words: str) -> tuple[tuple[int, int], ...]:
    """The offsets of each of `words` in `sentence`."""
    return tuple((sentence.index(w), sentence.index(w) + len(w)) for w in words)


def claim(source, sentence, passage_id, stance, cues, aspect="abuse potential", attributed_to=None):
    return Claim(
        quote=quote(source, sentence, passage_id),
        aspect=aspect,
        stance=stance,
        attributed_to=attributed_to,
        cues=spans(sentence, *cues),
        confidence=0.8,
    )


def position(claim_: Claim, speaker: str | None = None) -> Position:
    """The position of the voice whose best evidence is `claim_`."""
    return Position(
        claim_.aspect, claim_.quote.source, None, "content", claim_.stance, 0.8, claim_, (claim_,), speaker
    )


def seed_audit_report() -> AuditReport:
    """The seeds' DEA/abuse-potential conflict, as `audit "abuse potential"` reports it."""
    dea = claim(
        ZINNIA,
        DEA_DENIES,
        "001_a426a29352d06d7c.txt#6de51d4889",
        DENIES,
        ("does not consider", "any potential for abuse"),
        attributed_to="the DEA",
    )
    zinnia = claim(
        ZINNIA,
        ZINNIA_AFFIRMS,
        "001_a426a29352d06d7c.txt#b03fc34648",
        AFFIRMS,
        ("does have abuse potential",),
    )
    transformations = claim(
        TRANSFORMATIONS,
        TRANSFORMATIONS_AFFIRMS,
        "003_1957af6f8275ef46.txt#b916e9f349",
        AFFIRMS,
        ("with potential for abuse",),
    )
    not_controlled = claim(
        ZINNIA,
        NOT_CONTROLLED,
        "001_a426a29352d06d7c.txt#408e47c672",
        DENIES,
        ("not on the list of controlled substances",),
        aspect="controlled substance",
    )
    not_controlled_us = claim(
        ZINNIA,
        NOT_CONTROLLED_US,
        "001_a426a29352d06d7c.txt#8cda324e3a",
        DENIES,
        ("not controlled",),
        aspect="controlled substance",
    )
    return AuditReport(
        topic="abuse potential",
        claims=(dea, zinnia, transformations, not_controlled, not_controlled_us),
        conflicts=(
            Conflict(
                dea,
                (zinnia, transformations),
                NEGATION,
                "the DEA (per Baclofen side effects, abuse and toxicity) denies abuse potential; "
                "Baclofen side effects, abuse and toxicity and What you need to know about "
                "Baclofen affirm it",
                0.8,
            ),
        ),
        agreements=(Agreement("controlled substance", (not_controlled, not_controlled_us)),),
        positions=(
            position(zinnia),
            position(dea, speaker="the DEA"),
            position(transformations),
            position(not_controlled),
        ),
    )


def seed_answer() -> Answer:
    """An answer to "Is baclofen a controlled substance?" citing two seed sentences."""
    return Answer(
        question="Is baclofen a controlled substance?",
        answer=(
            quote(ZINNIA, NOT_CONTROLLED, "001_a426a29352d06d7c.txt#408e47c672"),
            quote(ZINNIA, NOT_CONTROLLED_US, "001_a426a29352d06d7c.txt#8cda324e3a"),
        ),
        hits=(),
    )
