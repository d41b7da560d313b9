"""Auditing a topic: claims across sources, their stances, conflicts and agreements.

Following de Marneffe, Rafferty & Manning (2008), two claims are compared
only once they speak of the same thing (the same aspect); then polarity
(negation in scope), antonyms and quantities decide whether they conflict.
A negation word alone is not evidence: the negation must reach the words
that address the aspect.  What is reported is a possible conflict, with both
quotes and the reason, not a verdict.
"""

from __future__ import annotations

import dataclasses
import re
from itertools import combinations

from indexer import BOILERPLATE, body_analyzer, is_list_item, line_start_within

from ..retrieval.engine import Index
from .aspects import (
    ASPECTS,
    IDENTITY_TOPIC,
    Aspect,
    asks_about_effects,
    asks_about_treatment,
    aspects_for,
    topic_aspect,
)
from .language import (
    ANTONYMS,
    BASE_UNIT,
    NEGATION_TRIGGERS,
    NUMBER_WORDS,
    UNITS,
    amount,
    given_as_limit,
    hedges,
    negated,
    quantities,
    span_of,
    tokens,
)
from .records import (
    AFFIRMS,
    ANTONYM,
    DENIES,
    NEGATION,
    NEUTRAL,
    QUANTITY,
    Agreement,
    AuditReport,
    Claim,
    Conflict,
    Quote,
)
from .words import common_stems, content_stems, content_words

_ANALYZER = body_analyzer()

#: Passages retrieved per search when gathering claims.
RETRIEVE = 40
#: Hedged claims make a weaker conflict.
HEDGE_FACTOR = 0.7
#: Conflicts reported per aspect and type, strongest and cross-source first.
MAX_CONFLICTS_PER_ASPECT = 6
#: Two quantity ranges conflict when one ends this many times below the other's start.
QUANTITY_GAP = 1.5
#: ... or, when both are given as upper limits ("no more than 80 mg a day",
#: "up to 120 mg a day"), this many times: limits are stated exactly.
LIMIT_GAP = 1.1
#: Words either side of a quantity searched for what it qualifies; of a
#: limit, which is often told further from what it limits ("Drugx can be
#: taken at up to 120 mg").
QUALIFIER_WINDOW = 4
LIMIT_WINDOW = 8
#: A topic word in more than this share of passages is its subject, not its predicate.
SUBJECT_SHARE = 0.25
#: ... but only in a corpus of at least this many passages.
MIN_PASSAGES_FOR_SHARE = 20


def audit(ix: Index, topic: str, *, correct: bool = True) -> AuditReport:
    """Gather the claims the corpus makes on `topic` and compare them.

    A misspelt word is corrected first, from the index's vocabulary, and the
    corrected topic is the one audited (`AuditReport.corrected_topic`);
    `correct=False` audits the topic as typed."""
    corrected = ix.corrected(topic) if correct else None
    audited = corrected or topic
    aspects = _curated(ix, audited) or [_aspect_from_topic(ix, audited)]
    claims = _claims(ix, audited, aspects, correct)
    conflicts, more = _conflicts(claims)
    agreements = _agreements(claims, conflicts)
    return AuditReport(
        topic, tuple(claims), tuple(conflicts), tuple(agreements), corrected, more
    )


def read_topics(text: str) -> list[str]:
    """Topics from a checklist file: a TOML `topics = [...]` list, or one per
    line (blank lines and lines starting with `#` are skipped)."""
    stripped = text.lstrip()
    if stripped.startswith("topics"):
        import tomllib

        data = tomllib.loads(text)
        topics = data.get("topics")
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise ValueError("`topics` must be a list of strings")
        return [t.strip() for t in topics if t.strip()]
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# --- claims -------------------------------------------------------------------


def _subject(stems: list[str]) -> list[str]:
    """The stems of the subject that opens a topic's content `stems`: the
    first, with a letter or number that belongs to it ("vitamin D")."""
    subject = stems[:1]
    for stem in stems[1:]:
        if len(stem) > 2 and not stem.isdigit():
            break
        subject.append(stem)
    return subject


def _shared(ix: Index, stems: list[str]) -> set[str]:
    """The stems most passages share: in a corpus about one thing (every seed
    is about baclofen) it goes without saying and need not be named."""
    return common_stems(ix, stems, SUBJECT_SHARE, MIN_PASSAGES_FOR_SHARE)


#: Words that ask rather than name ("how many mg", "how much"): never a subject.
_ASKING = frozenset("many much often long".split())


def _curated(ix: Index, topic: str) -> list[Aspect]:
    """The curated aspects `topic` asks about, each requiring the topic's
    subject: its first content word that none of their topic patterns uses
    ("caffeine" in "Is caffeine addictive?"), so that claims about the abuse
    potential of other drugs are not taken for claims about caffeine."""
    aspects = aspects_for(topic)
    if not aspects:
        return []
    patterns = [re.sub(r"\\[a-zA-Z]", " ", a.topic.pattern).lower() for a in aspects]  # no \b
    asked = {w for pattern in patterns for w in re.findall(r"[a-z]{3,}", pattern)}
    # A pattern's short words ("mg") only as whole words: "of" is no start of "often".
    short = {w for pattern in patterns for w in re.findall(r"\b[a-z]{2}\b", pattern)}
    words = [
        word for word in content_words(topic)
        if word not in short and word not in _ASKING
        and not any(word.startswith(w) or w.startswith(word) for w in asked)
    ]
    stems = _subject([s for word in words for s in content_stems(word)])
    subject = tuple(sorted(set(stems) - _shared(ix, stems)))
    return [dataclasses.replace(aspect, subject=subject) for aspect in aspects]


def _aspect_from_topic(ix: Index, topic: str) -> Aspect:
    """An aspect from the topic's words: its subject (the first content word,
    "coffee" in "Is coffee safe during pregnancy?", with a letter or number
    that follows it, "vitamin D"; and in a corpus of some size any word most
    passages share) is left out, and the rest, the predicate, must appear in
    a claim and decides its polarity.  A subject most passages do not share
    must be named in the claim's sentence, passage or source title."""
    stems = content_stems(topic)
    subject = set(_subject(stems))
    shared = _shared(ix, stems)
    predicate = [s for s in stems if s not in subject | shared]
    words = " ".join(dict.fromkeys(content_words(topic)))
    return topic_aspect(
        f"claims about {words or topic}",
        predicate or stems or [re.escape(topic.lower())],
        polar=bool(predicate),
        subject=tuple(sorted(subject - shared)) if predicate else (),
        identity=_identity(ix, topic, subject) if predicate else (),
        treatment=bool(predicate) and asks_about_treatment(topic),
        effects=bool(predicate) and asks_about_effects(topic),
    )


def _identity(ix: Index, topic: str, subject: set[str]) -> tuple[str, ...]:
    """For a topic asking what its subject is ("Is baclofen an opioid?"): the
    subject's stems and its synonyms' (`topic_aspect`'s `identity`)."""
    if not subject or not IDENTITY_TOPIC.search(topic):
        return ()
    return tuple(sorted(ix.synonyms.closure(subject)))


def _claims(ix: Index, topic: str, aspects: list[Aspect], correct: bool = True) -> list[Claim]:
    kinds = ("content", "comment")
    # What the topic names, with its synonyms: whose quantities count.
    named = ix.synonyms.closure(set(content_stems(topic)))
    passages = {}
    for query in [topic, *(a.query for a in aspects if a.query)]:
        for hit in ix.search(query, limit=RETRIEVE, kinds=kinds, correct=correct).hits:
            passages.setdefault(hit.passage.passage_id, (hit.passage, hit.source))
    claims = []
    texts: dict[str, str] = {}
    for passage, source in sorted(passages.values(), key=lambda ps: (ps[0].path, ps[0].start)):
        if passage.kind == BOILERPLATE:
            continue
        here = _naming_the_subject(ix, aspects, passage, source)
        if not here:
            continue
        text = texts.setdefault(passage.path, ix.source_text(passage.path))
        spans = passage.sentences or ((passage.start, passage.end),)
        lists = _lists_opened(text, spans)
        for (start, end), lead, list_end in zip(spans, _lead_ins(text, spans), lists, strict=True):
            if text[start:end].rstrip().endswith("?"):
                continue  # a question asserts nothing
            quote = Quote.of(text, lead, end, passage, source)
            for aspect in here:
                claim = _claim(quote, aspect, named)
                if claim and list_end:
                    # "There are certain side effects. These include: • Nausea
                    # • Drowsiness …": the list is what the sentence claims.
                    claim = _claim(Quote.of(text, lead, list_end, passage, source), aspect, named)
                if claim and lead < start and all(e <= start - lead for _, e in claim.cues):
                    continue  # its lead-in or an earlier item says it: claimed there
                if claim:  # who it credits is read for the claims kept only
                    credited = claim.quote.attributed(text)
                    who = credited.attributed_to
                    claims.append(dataclasses.replace(claim, quote=credited, attributed_to=who))
    return claims


#: Characters a list item's line may hold before its sentence: indent and marker.
_MARKER_ROOM = 16


def _is_item(text: str, start: int, end: int) -> bool:
    """Whether the sentence at `start` is (the text of) a list item: its
    line holds a marker ("- Drowsiness") a few characters back at most."""
    line_start = line_start_within(text, start, _MARKER_ROOM)
    return line_start is not None and is_list_item(text[line_start:end])


def _lists_opened(text: str, spans) -> list[int | None]:
    """For each sentence that opens a list, itself ("…include the
    possibility of:") or with the next sentence ("There are certain side
    effects. These include:"), where the list's last item ends; else None."""
    items = [_is_item(text, start, end) for start, end in spans]
    colon = [text[start:end].rstrip().endswith(":") for start, end in spans]
    ends: list[int | None] = []
    for index in range(len(spans)):
        if items[index]:
            ends.append(None)
            continue
        first = index + 1 if colon[index] else index + 2
        opener = first - 1
        if opener >= len(spans) or not colon[opener] or items[opener]:
            ends.append(None)
            continue
        last = first
        while last < len(spans) and items[last]:
            last += 1
        ends.append(spans[last - 1][1] if last > first else None)
    return ends


def _lead_ins(text: str, spans) -> list[int]:
    """Where each sentence's quote starts.  A list item ("• Drowsiness") is
    quoted from the sentence before the one that opens its list ("There are
    certain side effects from using Baclofen. These include:"), so that the
    reader sees what it is a list of; any other sentence, from itself."""
    leads = []
    lead = None
    for index, (start, end) in enumerate(spans):
        item = _is_item(text, start, end)
        if not item:
            lead = None
        leads.append(lead if item and lead is not None else start)
        if not item and text[start:end].rstrip().endswith(":"):
            lead = spans[index - 1][0] if index else start
    return leads


def _naming_the_subject(ix: Index, aspects: list[Aspect], passage, source) -> list[Aspect]:
    """The `aspects` whose subject the passage or its source's title names
    (itself or a synonym); the text is analysed only if one has a subject."""
    if not any(aspect.subject for aspect in aspects):
        return aspects
    named = ix.synonyms.closure(set(content_stems(f"{source.title or ''} {passage.text}")))
    return [aspect for aspect in aspects if set(aspect.subject) <= named]


def _claim(quote: Quote, aspect: Aspect, named: set[str]) -> Claim | None:
    cues = aspect.cues(quote.text)
    if not cues:
        return None
    if aspect.dimension:
        found = [q for q in quantities(quote.text) if q.dimension == aspect.dimension]
        found = _own(quote.text, found, named)
        if not found or _FIRST_PERSON.search(quote.text):
            return None  # a reader's own dose or history is not a claim about the drug
        stance = AFFIRMS
        spans = tuple((q.start, q.end) for q in found)
    elif not aspect.polar:
        stance = NEUTRAL
        spans = tuple((m.start(), m.end()) for m in cues)
    else:
        polarity = [negated(quote.text, m.start()) for m in cues]
        stance = DENIES if all(polarity) else AFFIRMS
        spans = tuple((m.start(), m.end()) for m in cues)
        spans += _negation_spans(quote.text, cues) if stance == DENIES else ()
    return Claim(quote, aspect.name, stance, None, tuple(sorted(spans)))


def _own(text: str, found: list, named: set[str]) -> list:
    """The quantities that are the topic's own.  In "quetiapine 100 mg daily
    along with ... and baclofen 20 mg daily" the 20 mg is baclofen's: once a
    quantity is written beside a word the topic names ("baclofen 20 mg",
    "20 mg of baclofen"), those beside another word ("quetiapine 100 mg")
    belong to that word and are left out."""
    toks = tokens(text)
    owners = [_owner(toks, quantity) for quantity in found]
    if not any(owner & named for owner in owners):
        return found
    return [q for q, owner in zip(found, owners) if not owner or owner & named]


def _owner(toks, quantity) -> set[str]:
    """The stems of the word a quantity is written beside: the one after an
    "of" just after it ("20 mg of baclofen"), else the one just before its
    number ("quetiapine 100 mg"); nothing for a word such as "to" or "at"."""
    after = [t for t in toks if t.start >= quantity.end][:2]
    if len(after) == 2 and after[0].lower == "of":
        return {tok.text for tok in _ANALYZER(after[1].text)}
    before = [t for t in toks if t.end <= quantity.start][-1:]
    if before and not before[0].lower[:1].isdigit():
        return {tok.text for tok in _ANALYZER(before[0].text)}
    return set()


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me|i)\b")


def _negation_spans(text: str, cues) -> tuple[tuple[int, int], ...]:
    """Where the negations that reach the cues are, so they can be emphasised."""
    first = min(m.start() for m in cues)
    return tuple((t.start, t.end) for t in tokens(text) if t.end <= first and t.lower in NEGATION_TRIGGERS)


# --- conflicts ------------------------------------------------------------------


def _conflicts(claims: list[Claim]) -> tuple[list[Conflict], int]:
    """The conflicts listed, at most `MAX_CONFLICTS_PER_ASPECT` per aspect,
    and how many more pairs conflict beyond them."""
    by_aspect: dict[str, list[Claim]] = {}
    for claim in claims:
        by_aspect.setdefault(claim.aspect, []).append(claim)
    found: list[Conflict] = []
    more = 0
    for group in by_aspect.values():
        candidates = []
        for a, b in combinations(group, 2):
            if a.quote.source.path == b.quote.source.path and a.quote.start == b.quote.start:
                continue
            if _different_places(a, b):
                continue  # US law and UK law may both be right
            conflict = _negation(a, b) or _quantity(a, b) or _antonym(a, b)
            if conflict:
                candidates.append(conflict)
        candidates.sort(key=lambda c: (c.a.quote.source.path == c.b.quote.source.path, -c.strength))
        found += candidates[:MAX_CONFLICTS_PER_ASPECT]
        more += len(candidates[MAX_CONFLICTS_PER_ASPECT:])
    return found, more


def _strength(*claims: Claim) -> float:
    strength = 1.0
    for claim in claims:
        if hedges(claim.quote.text, claim.cues):
            strength *= HEDGE_FACTOR
    return strength


def _who(claim: Claim) -> str:
    return claim.quote.credited_as()


#: Countries and unions a claim may be about, by their usual names (and
#: their drug regulators').
_PLACES = {
    "United States": r"United States|U\.S\.(?:A\.)?|USA|US|America|American|DEA|FDA",
    "United Kingdom": r"United Kingdom|U\.K\.|UK|Britain|British|England|Scotland|Wales|MHRA|NHS",
    "Canada": r"Canada|Canadian",
    "Australia": r"Australia|Australian",
    "European Union": r"European Union|EU|Europe|European",
    "India": r"India|Indian",
    "Ireland": r"Ireland|Irish",
    "New Zealand": r"New Zealand",
}
_PLACE_NAMES = [
    (place, re.compile(rf"\b(?:{pattern})\b(?!-)")) for place, pattern in _PLACES.items()
]


def _places(claim: Claim) -> set[str]:
    return {place for place, pattern in _PLACE_NAMES if pattern.search(claim.quote.text)}


def _different_places(a: Claim, b: Claim) -> bool:
    """Whether the two claims speak of different countries, each naming one:
    "not controlled at the federal level in the United States" and "the UK
    reclassified it as a Class C controlled drug" can both be true."""
    pa, pb = _places(a), _places(b)
    return bool(pa) and bool(pb) and pa.isdisjoint(pb)


def _negation(a: Claim, b: Claim) -> Conflict | None:
    if {a.stance, b.stance} != {AFFIRMS, DENIES}:
        return None
    deny, affirm = (a, b) if a.stance == DENIES else (b, a)
    return Conflict(
        deny, affirm, NEGATION,
        f"{_who(deny)} denies {deny.aspect}; {_who(affirm)} affirms it",
        _strength(deny, affirm),
    )


def _quantity(a: Claim, b: Claim) -> Conflict | None:
    dimension = _dimension(a)
    # On an aspect made from the topic's words, the figures next to those
    # words are what the topic asks about: they measure the same thing.
    own_words = dimension is None
    if own_words:
        qa, qb = _quantities_near_cues(a), _quantities_near_cues(b)
        common = {q.dimension for q in qa} & {q.dimension for q in qb}
        if len(common) != 1:
            return None
        (dimension,) = common
    else:
        qa, qb = _quantities_of(a), _quantities_of(b)
    # Where both give a limit, the limits are compared, not the starting
    # dose beside one ("300 mg at bedtime; the maximum dose is 2400 mg").
    la, lb = _limits_of(a, qa), _limits_of(b, qb)
    limits = bool(la and lb)
    if limits:
        qa, qb = la, lb
    ra, rb = span_of(qa, dimension), span_of(qb, dimension)
    if ra is None or rb is None:
        return None
    low, high = sorted((ra, rb))
    if low[1] * (LIMIT_GAP if limits else QUANTITY_GAP) >= high[0]:
        return None  # the ranges overlap or nearly touch
    window = LIMIT_WINDOW if limits else QUALIFIER_WINDOW
    if not own_words and not (
        _neighbours(a, qa, dimension, window) & _neighbours(b, qb, dimension, window)
    ):
        return None  # the numbers measure different things
    gives, differ = ("gives a limit of", "the limits differ") if limits else (
        "gives", "the ranges do not overlap"
    )
    return Conflict(
        a, b, QUANTITY,
        f"{_who(a)} {gives} {_describe(qa, dimension, ra)}; {_who(b)} {gives} "
        f"{_describe(qb, dimension, rb)}: {differ}",
        _strength(a, b),
    )


def _limits_of(claim: Claim, found: list) -> list:
    """The quantities of `found` the claim gives as upper limits."""
    return [q for q in found if given_as_limit(claim.quote.text, q)]


def _quantities_of(claim: Claim) -> list:
    """The quantities the claim was taken for (its cues), not every one its
    sentence holds."""
    return [q for q in quantities(claim.quote.text) if (q.start, q.end) in claim.cues]


def _quantities_near_cues(claim: Claim) -> list:
    """On an aspect made from the topic's words ("What is the half-life of
    gabapentin?"), the quantities within `QUALIFIER_WINDOW` words of those
    words: "a half-life of 5 to 7 hours" gives 5 to 7 hours."""
    toks = tokens(claim.quote.text)
    cued = [i for i, t in enumerate(toks) if any(a <= t.start < b for a, b in claim.cues)]
    near = []
    for quantity in quantities(claim.quote.text):
        inside = [i for i, t in enumerate(toks) if quantity.start <= t.start < quantity.end]
        if inside and any(
            inside[0] - QUALIFIER_WINDOW <= i <= inside[-1] + QUALIFIER_WINDOW for i in cued
        ):
            near.append(quantity)
    return near


def _describe(found, dimension: str, span: tuple[float, float]) -> str:
    """ "one to two weeks, months (168–8,760 hours)" """
    words = ", ".join(q.text for q in found if q.dimension == dimension)
    low, high = span
    unit = BASE_UNIT[dimension]
    figure = amount(low) if low == high else f"{amount(low)}–{amount(high)}"
    return f"{words} ({figure} {unit})"


def _neighbours(claim: Claim, found, dimension: str, window: int) -> set[str]:
    """Content words within `window` words of the claim's quantities: two
    numbers are compared only when they qualify the same thing."""
    text = claim.quote.text
    toks = tokens(text)
    near = set()
    for quantity in (q for q in found if q.dimension == dimension):
        inside = [i for i, t in enumerate(toks) if quantity.start <= t.start < quantity.end]
        if not inside:
            continue
        lo, hi = max(0, inside[0] - window), inside[-1] + window + 1
        for t in toks[lo:hi]:
            if t.lower in NUMBER_WORDS or t.lower in UNITS or t.lower[:1].isdigit():
                continue
            near.update(tok.text for tok in _ANALYZER(t.text))
    return near


def _dimension(claim: Claim) -> str | None:
    for aspect in ASPECTS:
        if aspect.name == claim.aspect:
            return aspect.dimension
    return None


def _antonym(a: Claim, b: Claim) -> Conflict | None:
    if a.stance != b.stance:
        return None
    words_a = _near_cues(a)
    words_b = _near_cues(b)
    for word in sorted(words_a):
        opposite = ANTONYMS.get(word)
        if opposite and opposite in words_b and word not in words_b and opposite not in words_a:
            return Conflict(
                a, b, ANTONYM,
                f"{_who(a)} says “{word}”; {_who(b)} says “{opposite}” about {a.aspect}",
                _strength(a, b),
            )
    return None


def _near_cues(claim: Claim, window: int = 2) -> set[str]:
    """Words within `window` words of the claim's cues: where an antonym
    would qualify the aspect itself, not something else in the sentence."""
    toks = tokens(claim.quote.text)
    near = set()
    for start, _ in claim.cues:
        index = next((i for i, t in enumerate(toks) if t.start >= start), len(toks))
        for t in toks[max(0, index - window) : index + window + 1]:
            near.add(t.lower)
    return near


# --- agreements -----------------------------------------------------------------


def _agreements(claims: list[Claim], conflicts: list[Conflict]) -> list[Agreement]:
    disputed = {c.a.aspect for c in conflicts}
    by_aspect: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.stance != NEUTRAL:
            by_aspect.setdefault(claim.aspect, []).append(claim)
    found = []
    for aspect, group in by_aspect.items():
        if aspect in disputed:
            continue
        stances = {c.stance for c in group}
        sources = {c.quote.source.path for c in group}
        if len(stances) == 1 and len(sources) >= 2 and _same_figures(group):
            found.append(Agreement(aspect, tuple(group)))
    return found


def _same_figures(claims: list[Claim]) -> bool:
    """Whether claims on a quantity aspect give about the same figures (every
    range within `QUANTITY_GAP` of the others): a starting dose of 20 mg and a
    limit of 100 mg a day both "affirm" the dose but agree on nothing.  True
    for an aspect without quantities."""
    dimension = _dimension(claims[0])
    if dimension is None:
        return True
    spans = [span_of(_quantities_of(c), dimension) for c in claims]
    spans = [span for span in spans if span is not None]
    return not spans or max(lo for lo, _ in spans) <= min(hi for _, hi in spans) * QUANTITY_GAP
