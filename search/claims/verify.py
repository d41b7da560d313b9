"""Do a set of sentences support or contradict a claim?  The audit's reading,
applied to one claim at a time (the SciFact claims benchmark measures it).

The sentences are read as the audit reads a source (`stance.py`): the cue
families of each sentence toward the claim (a negation reaching its words,
"no effect", a direction opposite to the claim's, ...), pooled over the text
with the weights learned from data, give the probability that the text
affirms the claim.  A claim worded as a denial ("X does not cause Y") is
turned round: a text that affirms X causes Y contradicts it.  On top of the
model, one rule of the audit's: figures of the same dimension that do not
overlap (`quantities`, `QUANTITY_GAP`) contradict.

The text is read from its sentences nearest the claim (`RATIONALES`, by the
share of the claim's words they repeat), as a reader picks out the
sentences that bear on a claim before weighing them: an abstract's
background and methods say little about its finding.  The deciding
sentence is the one whose own reading takes the side decided most surely,
and the reason names its cue words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conflicts import QUANTITY_GAP
from .language import direction, quantities, span_of
from .stance import AFFIRMS, DENIES, NEUTRAL, Reading, default_model, read_texts

SUPPORT = "SUPPORT"
CONTRADICT = "CONTRADICT"

#: How many sentences, the nearest the claim, a verdict is read from.  Chosen
#: on SciFact's train claims (macro-F1: every sentence 0.660, the nearest
#: one 0.650, two 0.679, three 0.665, four 0.656).
RATIONALES = 2

#: Cue families that say, when they decide, which kind of contradiction it is.
_KIND = {"opposite_direction": "antonym", "same_direction": "antonym"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the sentences say about a claim, and which sentence decided it."""

    label: str
    """`SUPPORT` or `CONTRADICT`."""
    evidence: int | None
    """Index of the deciding sentence, or None when none spoke to the claim."""
    reason: str
    """One line, e.g. "negation: sentence 3 says 'did not'"."""


def verify(claim: str, sentences: list[str]) -> Verdict:
    """SUPPORT or CONTRADICT, with the deciding sentence and why."""
    model = default_model()
    topic = model.topic(claim)
    readings = read_texts(topic, sentences)
    if not any(r.relevance for r in readings):
        return Verdict(SUPPORT, None, "no sentence speaks to the claim: nothing contradicts it")
    quantity = _quantity(claim, sentences, readings)
    if quantity:
        return quantity
    nearest = sorted(range(len(sentences)), key=lambda i: -readings[i].relevance)[:RATIONALES]
    chosen = sorted(nearest)  # in the text's order
    p = model.position(topic, [readings[i] for i in chosen], [sentences[i] for i in chosen])
    label = SUPPORT if p >= 0.5 else CONTRADICT
    wanted = AFFIRMS if label == SUPPORT else DENIES
    best: tuple[float, int, object] | None = None
    for index in chosen:
        reading, sentence = readings[index], sentences[index]
        stance = model.sentence(topic, reading, sentence)
        if stance.stance == wanted and (best is None or stance.confidence > best[0]):
            best = (stance.confidence, index, stance)
    if best is None:
        index = nearest[0]
        return Verdict(
            label,
            index,
            f"{_kind(label, readings[index])}: the sentences nearest the claim (p={p:.2f})",
        )
    _, index, stance = best
    words = [sentences[index][a:b] for a, b in stance.cues]
    said = (
        f" says '{', '.join(dict.fromkeys(words))}'"
        if words and label == CONTRADICT
        else " speaks to it"
    )
    kind = _kind(label, readings[index])
    if kind == "antonym":
        own = [w for w in claim.split() if direction(w.strip(".,;:"))]
        said = f" (the claim says '{', '.join(w.strip('.,;:') for w in own)}'){said}"
    return Verdict(label, index, f"{kind}: sentence {index}{said} (p={p:.2f})")


def _kind(label: str, reading: Reading) -> str:
    if label == SUPPORT:
        return "agreement"
    families = {family for _, _, family in reading.cues}
    return next((_KIND[f] for f in families if f in _KIND), "negation")


def _quantity(claim: str, sentences: list[str], readings: list[Reading]) -> Verdict | None:
    """Figures of the claim's dimension, in a sentence on it, that do not overlap."""
    qa = quantities(claim)
    if not qa:
        return None
    for index, (sentence, reading) in enumerate(zip(sentences, readings, strict=True)):
        if reading.relevance < 0.5:
            continue
        qb = quantities(sentence)
        for dimension in sorted({q.dimension for q in qa} & {q.dimension for q in qb}):
            ra, rb = span_of(qa, dimension), span_of(qb, dimension)
            low, high = sorted((ra, rb))
            if low[1] * QUANTITY_GAP < high[0]:
                said = ", ".join(q.text for q in qa if q.dimension == dimension)
                found = ", ".join(q.text for q in qb if q.dimension == dimension)
                return Verdict(
                    CONTRADICT,
                    index,
                    f"quantity: the claim gives {said}; sentence {index} gives {found}",
                )
    return None


__all__ = ["CONTRADICT", "NEUTRAL", "SUPPORT", "Verdict", "verify"]
