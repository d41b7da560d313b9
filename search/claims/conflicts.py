"""Where voices disagree, and where they agree.

* negation: two voices take opposite positions on an aspect (one affirms,
  one denies), each sure enough of it; or one page says both.
* quantity: figures of the same thing that do not overlap: a maximum with a
  maximum, a usual dose with a usual dose (`role`), never a maximum with a
  usual dose; two sources' sums of money or counts of one thing ("a £212m
  shortfall", "£198m shortfall"; "1,200 jobs will go", "about 800 jobs
  lost") beyond rounding.
* antonym: the same stance with opposite words ("high" / "low" abuse potential).

A claim opposed by several others is one conflict listing all of them.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from indexer import body_analyzer

from .aspects import ASPECTS
from .language import (
    ANTONYMS,
    BASE_UNIT,
    NUMBER_WORDS,
    PER_DAY,
    UNITS,
    Figure,
    amount,
    figures,
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
    Claim,
    Conflict,
    Position,
    Related,
)

_ANALYZER = body_analyzer()

#: Hedged claims make a weaker conflict.
HEDGE_FACTOR = 0.7
#: Conflicts listed per aspect and type, strongest and cross-source first.
MAX_CONFLICTS_PER_ASPECT = 6
#: A voice takes part in a conflict only when the reading is at least this
#: sure of its position.
CONFLICT_CONFIDENCE = 0.6
#: Claims of one page contradict each other only when both are this sure.
SELF_CONFIDENCE = 0.8
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


def conflicts(
    claims: list[Claim], positions: list[Position], same_story=lambda one, other: True
) -> tuple[list[Conflict], int, list]:
    """The conflicts listed, at most `MAX_CONFLICTS_PER_ASPECT` per aspect
    and type, how many opposed pairs there are beyond them, and the related
    figures that were not compared (`Related`).  Two sources are set
    against each other only when `same_story(one_path, other_path)` says
    they tell the same story."""
    found: list[Conflict] = []
    related: list[Related] = []
    more = 0
    by_aspect: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_aspect[claim.aspect].append(claim)
    voices: dict[str, list[Position]] = defaultdict(list)
    for position in positions:
        voices[position.aspect].append(position)
    for aspect, group in by_aspect.items():
        for kind, pairs in (
            (
                NEGATION,
                _opposed_positions(voices[aspect], same_story)
                + _self_contradictions(voices[aspect]),
            ),
            (QUANTITY, _pairs(group, lambda a, b: _quantity(a, b, related), same_story)),
            (ANTONYM, _pairs(group, _antonym, same_story)),
        ):
            grouped = _grouped(kind, pairs)
            grouped.sort(key=lambda c: (-_across(c), -c.strength, -len(c.opposed_by)))
            listed = grouped[:MAX_CONFLICTS_PER_ASPECT]
            found += listed
            more += sum(len(c.opposed_by) for c in grouped[MAX_CONFLICTS_PER_ASPECT:])
    return found, more, related


def _across(conflict: Conflict) -> bool:
    return any(o.quote.source.path != conflict.claim.quote.source.path for o in conflict.opposed_by)


# --- pairs ----------------------------------------------------------------------


def _opposed_positions(
    positions: list[Position], same_story
) -> list[tuple[Claim, Claim, float, str]]:
    """Evidence of each pair of voices that take opposite positions, each
    sure enough, on the same story: (denying claim, affirming claim,
    strength, explanation)."""
    sure = [p for p in positions if p.confidence >= CONFLICT_CONFIDENCE and p.evidence is not None]
    denying = [p for p in sure if p.stance == DENIES]
    affirming = [p for p in sure if p.stance == AFFIRMS]
    pairs = []
    for deny in denying:
        for affirm in affirming:
            if _different_places(deny.evidence, affirm.evidence):
                continue  # US law and UK law may both be right
            if not same_story(deny.source.path, affirm.source.path):
                continue
            strength = min(deny.confidence, affirm.confidence) * _hedging(
                deny.evidence, affirm.evidence
            )
            pairs.append((deny.evidence, affirm.evidence, strength, "position"))
    return pairs


def _self_contradictions(positions: list[Position]) -> list[tuple[Claim, Claim, float, str]]:
    """A voice whose own claims, each sure, take both sides."""
    pairs = []
    for position in positions:
        sure = [c for c in position.claims if c.confidence >= SELF_CONFIDENCE]
        for deny in (c for c in sure if c.stance == DENIES):
            for affirm in (c for c in sure if c.stance == AFFIRMS):
                if not _different_places(deny, affirm):
                    strength = min(deny.confidence, affirm.confidence) * _hedging(deny, affirm)
                    pairs.append((deny, affirm, strength, "self"))
    return pairs


def _pairs(claims: list[Claim], test, same_story) -> list[tuple[Claim, Claim, float, str]]:
    found = []
    for a, b in combinations(claims, 2):
        if a.quote.source.path == b.quote.source.path and a.quote.start == b.quote.start:
            continue
        if _different_places(a, b) or not same_story(a.quote.source.path, b.quote.source.path):
            continue
        result = test(a, b)
        if result:
            found.append((a, b, _hedging(a, b), result))
    return found


def _grouped(kind: str, pairs: list[tuple[Claim, Claim, float, str]]) -> list[Conflict]:
    """Pairs gathered into conflicts: the claim opposed by the most others
    first, with all of them; then the next, with those left."""
    left = {(a, b): (strength, why) for a, b, strength, why in pairs}
    # A negation's pairs are (denying, affirming): the sides their voices take.
    side: dict[Claim, str] = {}
    if kind == NEGATION:
        for a, b in left:
            side.setdefault(a, DENIES)
            side.setdefault(b, AFFIRMS)
    found = []
    while left:
        count: dict[Claim, int] = defaultdict(int)
        for a, b in left:
            count[a] += 1
            count[b] += 1
        pivot = max(
            count, key=lambda c: (count[c], c.stance == DENIES, c.confidence, -c.quote.start)
        )
        mine = [(a, b) for a, b in left if pivot in (a, b)]
        others = tuple(b if a is pivot or a == pivot else a for a, b in mine)
        strength = max(left[p][0] for p in mine)
        whys = [left[p][1] for p in mine]
        sides = tuple(side.get(c, c.stance) for c in (pivot, *others)) if side else ()
        explanation = _explain(kind, pivot, others, whys, sides[0] if sides else pivot.stance)
        found.append(Conflict(pivot, others, kind, explanation, strength, sides))
        for pair in mine:
            del left[pair]
    return found


def _explain(
    kind: str, pivot: Claim, others: tuple[Claim, ...], whys: list[str], stands: str
) -> str:
    """Why the claims conflict; `stands`: the side the pivot stands for."""
    if kind == NEGATION:
        side = {AFFIRMS: "affirms", DENIES: "denies"}.get(stands, "speaks to")
        # (plural, singular) of the other side's verb
        opposite, opposes = {AFFIRMS: ("deny", "denies"), DENIES: ("affirm", "affirms")}.get(
            stands, ("differ on", "differs on")
        )
        who = _names(others)
        same_page = all(o.quote.source.path == pivot.quote.source.path for o in others)
        if same_page and "self" in whys:
            return (
                f"{_who(pivot)} {side} {pivot.aspect}, and elsewhere on the same page "
                "says the opposite"
            )
        verb = opposite if len(others) > 1 else opposes
        return f"{_who(pivot)} {side} {pivot.aspect}; {who} {verb} it"
    if len(whys) == 1:
        return whys[0]
    return f"{_who(pivot)} differs from {len(others)} others: " + "; ".join(dict.fromkeys(whys))


def _names(claims) -> str:
    names = list(dict.fromkeys(_who(c) for c in claims))
    if len(names) <= 3:
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"{', '.join(names[:2])} and {len(names) - 2} others"


def _who(claim: Claim) -> str:
    return claim.quote.credited_as()


def _hedging(*claims: Claim) -> float:
    strength = 1.0
    for claim in claims:
        if hedges(claim.quote.text, claim.cues):
            strength *= HEDGE_FACTOR
    return strength


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


# --- quantities -----------------------------------------------------------------

#: What a figure is a figure of: a limit, a starting dose, a usual one, a
#: range.  Figures are compared only with figures of the same role.
_ROLES = (
    (
        "limit",
        re.compile(
            r"\b(?:max(?:imum)?|highest|limit|up to|no more than|not (?:more|higher|exceed\w*)"
            r"|never (?:go )?(?:above|exceed)|at most|ceiling)\b",
            re.I,
        ),
    ),
    ("start", re.compile(r"\b(?:start\w*|initial\w*|begin\w*|first)\b", re.I)),
    (
        "usual",
        re.compile(
            r"\b(?:usual\w*|typical\w*|average|common\w*|standard|normal\w*|recommended|regular)\b",
            re.I,
        ),
    ),
    ("minimum", re.compile(r"\b(?:min(?:imum)?|lowest|at least)\b", re.I)),
)


def role(claim: Claim, quantity) -> str | None:
    """What the quantity is given as, from the words just before it in its clause."""
    if given_as_limit(claim.quote.text, quantity):
        return "limit"
    before = claim.quote.text[max(0, quantity.start - 60) : quantity.start]
    before = re.split(r"[;.!?]|,\s+(?:and|but|while)\b", before)[-1]
    found = [(m.end(), name) for name, pattern in _ROLES for m in pattern.finditer(before)]
    return max(found)[1] if found else None


def _quantity(a: Claim, b: Claim, related: list[Related]) -> str | None:
    """Why the two claims' figures conflict, or None; figures of the same
    kind under different conditions are added to `related` instead."""
    return _dose_or_duration(a, b, related) or _sums_and_counts(a, b, related)


def _dose_or_duration(a: Claim, b: Claim, related: list[Related]) -> str | None:
    """Doses, durations and percentages (`quantities`): on a quantity aspect,
    its claims' figures; on one of the topic's words, the figures beside them."""
    if DENIES in (a.stance, b.stance):
        return _no_limit_against_a_limit(a, b)
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
    else:
        # Otherwise only figures given as the same thing: a usual dose is no
        # maximum; a figure given as nothing in particular matches any.
        ra_roles = {role(a, q) for q in qa if q.dimension == dimension} - {None}
        rb_roles = {role(b, q) for q in qb if q.dimension == dimension} - {None}
        if ra_roles and rb_roles and not (ra_roles & rb_roles):
            return None
    ra, rb = span_of(qa, dimension), span_of(qb, dimension)
    if ra is None or rb is None:
        return None
    low, high = sorted((ra, rb))
    if low[1] * (LIMIT_GAP if limits else QUANTITY_GAP) >= high[0]:
        return None  # the ranges overlap or nearly touch
    ca, cb = _conditions(a, qa), _conditions(b, qb)
    if ca != cb:
        # Figures of the same kind under different conditions: the time for
        # symptoms to clear after treatment is no length of an untreated
        # withdrawal.  Related, not in conflict.
        which, where_ = (a, ca) if ca else (b, cb)
        related.append(
            Related(
                a,
                b,
                f"{_who(which)} gives its figure {', '.join(sorted(where_))}; "
                f"the other does not: not the same thing measured",
            )
        )
        return None
    window = LIMIT_WINDOW if limits else QUALIFIER_WINDOW
    if not own_words and not (
        _neighbours(a, qa, dimension, window) & _neighbours(b, qb, dimension, window)
    ):
        return None  # the numbers measure different things
    gives, differ = (
        ("gives a limit of", "the limits differ")
        if limits
        else ("gives", "the ranges do not overlap")
    )
    return (
        f"{_who(a)} {gives} {_describe(qa, dimension, ra)}; {_who(b)} {gives} "
        f"{_describe(qb, dimension, rb)}: {differ}"
    )


#: Conditions a figure can be given under, which make it a figure of another thing.
_CONDITIONS = (
    (
        "after treatment",
        re.compile(
            r"\b(?:after|with|during|following|under|on) (?:\w+ ){0,2}"
            r"(?:treatment|therapy|medication)\b"
            r"|\btreated (?:with|by)\b",
            re.I,
        ),
    ),
    (
        "in children",
        re.compile(r"\b(?:children|child|infants?|paediatric|pediatric|kids?)\b", re.I),
    ),
    ("in animals", re.compile(r"\b(?:mice|rats?|dogs?|animals?)\b", re.I)),
    (
        # one dose, not a day's: "50 mg per dose", "100 mg twice a day"
        "per dose",
        re.compile(
            r"\b(?:per|each|a single|single|one) dose\b|\bat a time\b"
            r"|\bper (?:tablet|capsule|caplet|lozenge|sachet|puff)\b"
            r"|\b(?:once|twice|thrice|\w+ times) (?:a|per|each|in 24 hours|daily|every)\b"
            r"|\bevery \d+(?:\s*(?:-|to|–)\s*\d+)? hours\b",
            re.I,
        ),
    ),
    (
        "on prescription",
        re.compile(
            # a condition ("when prescribed"), not a case ("he was prescribed 20 mg")
            r"\b(?:when|if|as|unless) prescribed\b|\b(?:on|by|with) (?:a )?prescription\b"
            r"|\bprescription[- ](?:strength|only)\b"
            r"|\bunder (?:\w+ )?(?:medical|doctor'?s?|physician'?s?) (?:supervision|care)\b",
            re.I,
        ),
    ),
)


def _conditions(claim: Claim, found: list) -> set[str]:
    """The conditions the claim's sentence gives its figures under.  A figure
    given for a day ("100 mg per day", "200 mg daily") is a day's, whatever
    else the sentence says of single doses."""
    text = claim.quote.text
    conditions = {name for name, pattern in _CONDITIONS if pattern.search(text)}
    if any(_A_DAYS.match(text, q.end) for q in found) or not any(
        q.dimension == "mass" for q in found
    ):
        conditions.discard("per dose")  # a day's figure, or no dose at all
    return conditions


#: A day's period right after a figure: "200 mg per day", "4 g in 24 hours".
_A_DAYS = re.compile(rf"\s*(?:\)\s*)?(?:{PER_DAY}|daily)", re.I)


def _no_limit_against_a_limit(a: Claim, b: Claim) -> str | None:
    """ "There is no maximum dose" against a maximum given."""
    if a.stance == b.stance:
        return None
    deny, give = (a, b) if a.stance == DENIES else (b, a)
    limits = _limits_of(give, _quantities_of(give))
    if not limits:
        return None
    dimension = limits[0].dimension
    return (
        f"{_who(deny)} says there is no limit; {_who(give)} gives a limit of "
        f"{_describe(limits, dimension, span_of(limits, dimension))}"
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


# --- sums of money and counts ---------------------------------------------------

#: What a sum of money is of, by the words beside it ("a £212m shortfall",
#: "revenue of £212 million"): two sums are compared only when the nearest
#: such word is of one group.  A budget is no shortfall.
_MONEY_MEASURES = {
    "shortfall": "shortfall gap deficit overspend hole",
    "budget": "budget budgets spending spend expenditure",
    "revenue": "revenue revenues turnover sales",
    "profit": "profit profits earnings",
    "loss": "loss losses",
    "cost": "cost costs bill",
    "price": "price prices fee fees fare fares",
    "debt": "debt debts borrowing borrowings",
    "fine": "fine fines penalty penalties settlement damages compensation",
    "pay": "salary salaries pay wage wages bonus bonuses",
    "value": "valuation value worth",
    "funding": "funding investment grant grants bailout loan loans",
    "savings": "savings cuts",
    "tax": "tax taxes",
    "reserves": "reserves",
    "donation": "donation donations",
}
_MONEY_MEASURE = {w: group for group, words in _MONEY_MEASURES.items() for w in words.split()}
#: What happens to the things a count counts: jobs cut are no jobs created,
#: nor a plant's whole workforce.
_EVENTS = {
    "cut": "cut cuts cutting axe axed axing shed sheds shedding lose loses lost losing loss losses "
    "go going gone eliminate eliminated eliminating elimination lay laid laying layoff layoffs "
    "redundant redundancy redundancies slash slashed slashing scrap scrapped fire fired firing "
    "sack sacked sacking terminate terminated reduce reduced reduction",
    "create": "create creates created creating creation new add adds added adding hire hires hired "
    "hiring recruit recruits recruited recruiting",
    "total": "employ employs employed employing workforce headcount total work works",
    "die": "die dies died dying dead death deaths kill kills killed killing fatal fatalities",
    "injure": "injure injured injuries injury hurt wounded",
    "arrest": "arrest arrests arrested detain detained",
    "evacuate": "evacuate evacuated evacuation",
    "sell": "sell sells sold selling sale",
    "recall": "recall recalls recalled recalling affected",
    "attend": "attend attends attended attending turnout crowd",
}
_EVENT = {w: group for group, words in _EVENTS.items() for w in words.split()}
#: Nouns that count jobs; "job losses", "layoffs" count jobs cut.
_JOBS = frozenset("job worker employee position post role staff personnel".split())
_JOBS_CUT = frozenset("layoff redundancy".split())
#: A figure given as a forecast or an estimate is no actual figure.
_FORECAST = frozenset(
    """forecast forecasts forecasting project projects projected projection projections expect
    expects expected expecting predict predicts predicted prediction target targets estimate
    estimates model models modelled modeled guidance outlook budgeted""".split()
)
#: A figure set against another ("well below the 4,000 ...", "up from
#: £198m", "against management's £6 million") is not what the source gives.
_REFERRED_TO = re.compile(
    r"(?:\b(?:than|below|above|beneath|instead of|rather than|against|versus|vs\.?|unlike"
    r"|compared (?:with|to)|from|previously|not)\s+(?:(?:the|a|an|its|their|our|\w+['’]s)\s+)?"
    r"|\((?:from|was|previously)\s+)$",
    re.I,
)
_CHANGE = re.compile(r"\b(?:by|up|down)\s+(?:(?:about|around|nearly|almost|some)\s+)?$", re.I)
_FIGURE_YEAR = re.compile(r"\b(?:FY\s?)?((?:1[5-9]|20)\d\d)\b|\bFY\s?(\d\d)\b")
#: Where a figure's clause ends: what is beside it across one of these is
#: not what it measures.
_CLAUSE = re.compile(
    r"[;:()\[\]—–]|\.\s|,\s+(?:and|but|while|whereas|which|whose|who|as|although)\b"
    r"|\s(?:and|but|while|whereas)\s",
)
#: Words either side of a figure searched for what it measures.
FIGURE_WINDOW = 8


@dataclass(frozen=True)
class _Given:
    """A figure as a claim gives it, with what it measures."""

    figure: Figure
    kind: str
    """The currency, or the class of what is counted ("job")."""
    measure: str | None
    """What a sum is of ("shortfall"), what happens to what is counted ("cut")."""
    word: str | None
    """The word that said so, as written."""
    change: bool
    forecast: bool
    years: frozenset[str]


@lru_cache(maxsize=4096)
def _given(claim: Claim) -> tuple[_Given, ...]:
    """The sums and counts the claim's sentence gives as its own: not one it
    denies or sets another against, and never a year or a percentage."""
    text = claim.quote.text
    found = []
    for figure in figures(text):
        clause = _clause(text, figure)
        before = text[clause[0] : figure.start]
        if _REFERRED_TO.search(before) or negated(text, figure.start):
            continue
        words = [
            (m.start(), m.group())
            for m in re.finditer(r"[A-Za-z][A-Za-z’'-]*", text[clause[0] : clause[1]])
        ]
        words = [
            (clause[0] + at, w)
            for at, w in words
            if not figure.start <= clause[0] + at < figure.end
        ]
        near = _nearest(words, figure)
        if figure.currency:
            kind = figure.currency
            # Of a compound after the figure, its last word: "a £212m budget
            # gap" is a gap.
            after = [w for at, w in words if at >= figure.end]
            run = list(itertools.takewhile(lambda w: w.lower() in _MONEY_MEASURE, after))
            measure, word = next(
                (
                    (_MONEY_MEASURE[w.lower()], w)
                    for w in run[-1:] + near
                    if w.lower() in _MONEY_MEASURE
                ),
                (None, None),
            )
            if measure is None:
                continue  # a sum of nothing named: not comparable
        else:
            kind, measure, word = figure.noun, None, None
            if figure.noun in _JOBS_CUT or (
                figure.noun in ("loss", "cut") and "job" in figure.modifiers
            ):
                kind, measure, word = "job", "cut", figure.noun
            else:
                inside = [m for m in figure.modifiers if m in _EVENT]
                measure, word = next(
                    ((_EVENT[w.lower()], w) for w in inside + near if w.lower() in _EVENT),
                    (None, None),
                )
                if word and word.lower() in ("lay", "laid", "laying"):
                    word += " off"
                if kind in _JOBS or (kind == "person" and measure in ("cut", "create", "total")):
                    kind = "job"
        span = text[clause[0] : clause[1]]
        found.append(
            _Given(
                figure,
                kind,
                measure,
                word,
                bool(_CHANGE.search(before)),
                any(w.lower() in _FORECAST for _, w in words),
                frozenset(
                    m.group(1) or "20" + m.group(2)
                    for m in _FIGURE_YEAR.finditer(span)
                    if not figure.start <= clause[0] + m.start() < figure.end
                ),
            )
        )
    return tuple(found)


def _clause(text: str, figure: Figure) -> tuple[int, int]:
    """Where the clause holding `figure` starts and ends."""
    start = 0
    for m in _CLAUSE.finditer(text, 0, figure.start):
        start = m.end()
    after = _CLAUSE.search(text, figure.end)
    return start, after.start() if after else len(text)


def _nearest(words: list[tuple[int, str]], figure: Figure) -> list[str]:
    """The clause's words within `FIGURE_WINDOW` words of the figure, nearest first."""
    before = [w for at, w in words if at < figure.start][::-1][:FIGURE_WINDOW]
    after = [w for at, w in words if at >= figure.end][:FIGURE_WINDOW]
    ranked = [(i, 0, w) for i, w in enumerate(after)] + [(i, 1, w) for i, w in enumerate(before)]
    return [w for _, _, w in sorted(ranked)]


def _same_thing(x: _Given, y: _Given) -> bool:
    """Whether two figures measure the same thing: the same currency and what
    it is of, or the same thing counted with what happens to it (when one
    count does not say, the same noun: "about 800 jobs", "1,200 jobs will
    go"); each a change or each not; each a forecast or each not."""
    if x.kind != y.kind or x.change != y.change:
        return False
    if x.figure.currency:
        return x.measure == y.measure
    if x.measure and y.measure:
        return x.measure == y.measure
    return x.figure.noun == y.figure.noun


def _sums_and_counts(a: Claim, b: Claim, related: list[Related]) -> str | None:
    """Why two sources' sums of money or counts of one thing conflict: they
    differ beyond rounding and the words around them ("about", "nearly",
    "between ... and ...").  A claim that denies gives no figure of its own."""
    if a.quote.source.path == b.quote.source.path or DENIES in (a.stance, b.stance):
        return None
    reasons = []
    for x in _given(a):
        same = [y for y in _given(b) if _same_thing(x, y)]
        if not same or any(_overlap(x.figure, y.figure) for y in same):
            continue  # nothing of the kind, or about the same figure
        y = same[0]
        if x.forecast != y.forecast or (x.years and y.years and not x.years & y.years):
            # A forecast is no actual figure; last year's, no other year's.
            if x.forecast != y.forecast:
                first, second = (a, b) if x.forecast else (b, a)
                how = "as a forecast or an estimate; the other does not"
            else:
                first, second = a, b
                years = [", ".join(sorted(g.years)) for g in (x, y)]
                how = f"for {years[0]}; the other for {years[1]}"
            reason = f"{_who(first)} gives its figure {how}: not the same thing measured"
            if not any({r.a, r.b} == {a, b} for r in related):
                related.append(Related(first, second, reason))
            continue
        reasons.append(
            f"{_who(a)} gives {_figure(x)}; {_who(b)} gives {_figure(y)}: "
            "the figures differ beyond rounding"
        )
    return reasons[0] if reasons else None


def _overlap(x: Figure, y: Figure) -> bool:
    return x.low <= y.high and y.low <= x.high


def _figure(given: _Given) -> str:
    """ "£212m (shortfall)", "1,200 jobs (go)" """
    return f"{given.figure.text} ({given.word})" if given.word else given.figure.text


def _figure_agreements(group: list[Claim]) -> list[tuple[Claim, ...]]:
    """Claims of two or more sources giving the same sum or count of one
    thing (`Figure.agrees_with`), none of them against another."""
    given = {c: _given(c) for c in group if c.stance != DENIES}
    given = {c: g for c, g in given.items() if g}

    def agree(a: Claim, b: Claim) -> bool | None:
        """True when they give the same figure of one thing, False when
        figures of one thing differ, None when neither."""
        verdict = None
        for x in given[a]:
            for y in given[b]:
                if _same_thing(x, y) and x.forecast == y.forecast:
                    if not _overlap(x.figure, y.figure):
                        return False
                    if x.figure.agrees_with(y.figure):
                        verdict = True
        return verdict

    found, placed = [], set()
    for claim in given:
        if claim in placed:
            continue
        members = [claim]
        for other in given:
            if other in placed or other is claim:
                continue
            if other.quote.source.path == claim.quote.source.path:
                continue
            verdicts = [agree(other, m) for m in members]
            if False not in verdicts and True in verdicts:
                members.append(other)
        if len({m.quote.source.path for m in members}) >= 2:
            found.append(tuple(members))
            placed.update(members)
    return found


# --- antonyms -------------------------------------------------------------------


def _antonym(a: Claim, b: Claim) -> str | None:
    if a.stance != b.stance or a.stance == NEUTRAL or _dimension(a):
        return None
    words_a = _near_cues(a)
    words_b = _near_cues(b)
    for word in sorted(words_a):
        opposite = ANTONYMS.get(word)
        if opposite and opposite in words_b and word not in words_b and opposite not in words_a:
            return f"{_who(a)} says “{word}”; {_who(b)} says “{opposite}” about {a.aspect}"
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


def agreements(
    claims: list[Claim], positions: list[Position], found: list[Conflict]
) -> list[Agreement]:
    """Aspects on which two or more voices take the same side and none the
    other (or give about the same figures)."""
    disputed = {c.aspect for c in found}
    result = []
    by_aspect: dict[str, list[Position]] = defaultdict(list)
    for position in positions:
        by_aspect[position.aspect].append(position)
    # Claims giving different figures of one thing agree on no side.
    against: dict[Claim, set[Claim]] = defaultdict(set)
    for conflict in found:
        if conflict.type == QUANTITY:
            for a, b in conflict.pairs():
                against[a].add(b)
                against[b].add(a)
    for aspect, group in by_aspect.items():
        # Voices on one side agree, whether or not others take the other
        # side: two sources saying it is not addictive agree, even when a
        # third says it is.
        for side in (AFFIRMS, DENIES):
            voices = [p for p in group if p.stance == side]
            agreeing = _without_figures_against(
                # a person's row shares its claims with their source's
                tuple(dict.fromkeys(c for p in voices for c in p.claims if c.stance == side)),
                against,
            )
            # Two sources' own words on that side: a voice read so from its
            # whole text alone is in who says what, with its note.
            if len({c.quote.source.path for c in agreeing}) >= 2:
                result.append(Agreement(aspect, agreeing))
    # About the same sums or counts of one thing, from two sources or more.
    by_claims: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if not _dimension(claim):
            by_claims[claim.aspect].append(claim)
    for aspect, group in by_claims.items():
        for members in _figure_agreements(group):
            if not any(set(members) <= set(a.claims) for a in result if a.aspect == aspect):
                result.append(Agreement(aspect, members))
    for aspect, group in _quantity_aspects(claims).items():
        if aspect in disputed or len({c.quote.source.path for c in group}) < 2:
            continue
        if _same_figures(group):
            result.append(Agreement(aspect, tuple(group)))
    return result


def _without_figures_against(claims: tuple[Claim, ...], against) -> tuple[Claim, ...]:
    """`claims` but those giving a figure another of them contradicts, the
    most contradicted first: "a £212m shortfall" and "£198m" both affirm a
    budget gap, and agree on nothing."""
    kept = list(claims)
    while True:
        count = {c: len(against[c] & set(kept)) for c in kept}
        worst = max(kept, key=lambda c: count[c], default=None)
        if worst is None or count[worst] == 0:
            return tuple(kept)
        kept.remove(worst)


def _quantity_aspects(claims: list[Claim]) -> dict[str, list[Claim]]:
    found: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if _dimension(claim):
            found[claim.aspect].append(claim)
    return found


def _same_figures(claims: list[Claim]) -> bool:
    """Whether claims on a quantity aspect give about the same figures (every
    range within `QUANTITY_GAP` of the others, limits within `LIMIT_GAP`, as
    conflicts compare them), under the same conditions: a starting dose of
    20 mg and a limit of 100 mg a day both "affirm" the dose but agree on
    nothing, nor do a limit of 2,400 mg and one of 3,200 mg when prescribed."""
    dimension = _dimension(claims[0])
    if len({frozenset(_conditions(c, ())) for c in claims}) > 1:
        return False
    spans = [span_of(_quantities_of(c), dimension) for c in claims]
    spans = [span for span in spans if span is not None]
    limits = all(_limits_of(c, _quantities_of(c)) for c in claims)
    gap = LIMIT_GAP if limits else QUANTITY_GAP
    return not spans or max(lo for lo, _ in spans) <= min(hi for _, hi in spans) * gap
