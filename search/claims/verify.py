"""Does a set of sentences support or contradict a claim?  The audit's own rules,
applied to one claim at a time.

This is not a separate classifier: it measures the rules `audit` uses.  As in
the audit (after de Marneffe, Rafferty & Manning 2008), the claim's predicate
becomes an aspect (`topic_aspect`, its subject, the first content word, left
out); only sentences that speak to that aspect are compared; and then

* polarity: a negation (`negated`) reaching the aspect's words in the claim but
  not in the sentence, or the other way round;
* antonyms: a direction word near the aspect's words in the claim and its
  opposite near them in the sentence ("increases" / "reduced", `opposed`);
* quantities: the same dimension with ranges that do not overlap
  (`quantities`, the audit's `QUANTITY_GAP`)

say CONTRADICT.  A sentence on the aspect with none of these supports the
claim, and so does an abstract where no sentence speaks to the aspect (the
label set has no "not enough info").  Polarity and direction combine like
signs: a denied decrease is an affirmed increase.  Hedged sentences
(`hedges`) are trusted less: an unhedged sentence decides before a hedged one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer import body_analyzer

from .aspects import Aspect, topic_aspect
from .audit import QUANTITY_GAP
from .language import (
    NEGATION_TRIGGERS,
    direction,
    hedges,
    negated,
    opposed,
    quantities,
    span_of,
    tokens,
)

SUPPORT = "SUPPORT"
CONTRADICT = "CONTRADICT"

#: Words either side of a cue in which a direction word qualifies the aspect.
DIRECTION_WINDOW = 4


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the sentences say about a claim, and which sentence decided it."""

    label: str
    """`SUPPORT` or `CONTRADICT`."""
    evidence: int | None
    """Index of the deciding sentence, or None when none spoke to the claim."""
    reason: str
    """One line, e.g. "negation: the claim affirms 'X'; sentence 3 denies it"."""


@dataclass(frozen=True, slots=True)
class _Reading:
    """How one text (the claim or a sentence) stands on the aspect."""

    cues: tuple[tuple[int, int], ...]
    denies: bool
    directions: frozenset[str]
    hedged: bool


def claim_aspect(claim: str) -> Aspect:
    """The aspect a claim speaks to, built the way the audit builds one for a
    topic: its stemmed content words, the subject (first word) left out, and
    without the words that carry polarity or direction, which are what is
    compared, not what is matched."""
    stems = _stems(claim)
    predicate = [s for s in stems[1:] if not _polar(s)] or [s for s in stems if not _polar(s)] or stems
    predicate = list(dict.fromkeys(predicate))
    return topic_aspect(f"claim: {claim}", predicate or [re.escape(claim.lower())])


def verify(claim: str, sentences: list[str]) -> Verdict:
    """SUPPORT or CONTRADICT, with the deciding sentence and why."""
    aspect = claim_aspect(claim)
    claim_cues = list(aspect.claim.finditer(claim))
    mine = _read(claim, claim_cues)
    relevant = _relevant(aspect, sentences)
    if not relevant:
        return Verdict(SUPPORT, None, "no sentence speaks to the claim's aspect: nothing contradicts it")
    # Strongest first: unhedged before hedged, more cue words first, later (conclusions) first.
    relevant.sort(key=lambda item: (item[2].hedged, -item[1], -item[0]))
    for index, _, theirs in relevant:
        reason = _contradiction(claim, mine, sentences[index], theirs, index)
        if reason:
            return Verdict(CONTRADICT, index, reason)
    index, overlap, theirs = relevant[0]
    hedge = " (hedged)" if theirs.hedged else ""
    return Verdict(
        SUPPORT, index,
        f"agreement: sentence {index}{hedge} speaks to the claim's aspect "
        f"({overlap} cue words) with the same polarity and direction",
    )


# --- reading --------------------------------------------------------------------

_ANALYZER = body_analyzer()


def _stems(text: str) -> list[str]:
    return [t.text for t in _ANALYZER(text)]


def _polar(stem: str) -> bool:
    return direction(stem) is not None or stem in NEGATION_TRIGGERS


def _relevant(aspect: Aspect, sentences: list[str]) -> list[tuple[int, int, _Reading]]:
    """(index, distinct cue words, reading) of the sentences on the aspect: those
    with the aspect's minimum of cue words, or failing any, those with the most."""
    counted = []
    for index, sentence in enumerate(sentences):
        if sentence.rstrip().endswith("?"):
            continue  # a question asserts nothing
        found = list(aspect.claim.finditer(sentence))
        distinct = len({m.group().lower() for m in found})
        if distinct:
            counted.append((index, distinct, found))
    if not counted:
        return []
    need = min(aspect.minimum, max(d for _, d, _ in counted))
    return [(i, d, _read(sentences[i], found)) for i, d, found in counted if d >= need]


def _read(text: str, cues: list[re.Match]) -> _Reading:
    spans = tuple((m.start(), m.end()) for m in cues)
    # Denies when a negation reaches the aspect's words (any of them: in a long
    # sentence the audit's "all of them" is rarely met).
    denies = bool(cues) and any(negated(text, m.start()) for m in cues)
    toks = tokens(text)
    near: set[str] = set()
    for start, _ in spans:
        index = next((i for i, t in enumerate(toks) if t.start >= start), len(toks))
        for t in toks[max(0, index - DIRECTION_WINDOW) : index + DIRECTION_WINDOW + 1]:
            if direction(t.lower) and not any(a <= t.start < b for a, b in spans):
                near.add(t.lower)
    return _Reading(spans, denies, frozenset(near), bool(hedges(text, spans)))


# --- deciding -------------------------------------------------------------------


def _contradiction(claim: str, mine: _Reading, sentence: str, theirs: _Reading, index: int) -> str | None:
    flipped = _opposite_direction(mine.directions, theirs.directions)
    if mine.denies != theirs.denies and not flipped:
        affirms, denies = ("sentence %d" % index, "the claim") if mine.denies else ("the claim", "sentence %d" % index)
        return f"negation: {affirms} affirms '{_cue_words(claim, mine)}'; {denies} denies it"
    if flipped and mine.denies == theirs.denies:
        word, opposite = flipped
        return f"antonym: the claim says '{word}'; sentence {index} says '{opposite}'"
    return _quantity(claim, sentence, index)


def _opposite_direction(mine: frozenset[str], theirs: frozenset[str]) -> tuple[str, str] | None:
    """A direction word of the claim whose opposite the sentence uses, when the
    sentence does not also use a word on the claim's side of that axis."""
    for word in sorted(mine):
        axis = direction(word)
        same_side = any(direction(w) == axis for w in theirs)
        for other in sorted(theirs):
            if opposed(word, other) and not same_side:
                return word, other
    return None


def _quantity(claim: str, sentence: str, index: int) -> str | None:
    qa, qb = quantities(claim), quantities(sentence)
    for dimension in sorted({q.dimension for q in qa} & {q.dimension for q in qb}):
        ra, rb = span_of(qa, dimension), span_of(qb, dimension)
        low, high = sorted((ra, rb))
        if low[1] * QUANTITY_GAP < high[0]:
            said = ", ".join(q.text for q in qa if q.dimension == dimension)
            found = ", ".join(q.text for q in qb if q.dimension == dimension)
            return f"quantity: the claim gives {said}; sentence {index} gives {found}"
    return None


def _cue_words(text: str, reading: _Reading) -> str:
    return " ".join(text[a:b] for a, b in reading.cues[:4]) or text
