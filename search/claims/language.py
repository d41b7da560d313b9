"""Small, inspectable language rules used by `ask` and `audit`.

No models and no downloads: word lists, NegEx-style negation scope,
hedges, a quantity reader with unit normalisation, and attribution
patterns ("According to X", "the DEA does not consider ...").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from indexer import STOP_WORDS, sentence_spans

#: Capital and small letters of names, Latin with accents included ("Lucía",
#: "Émile Núñez", "Łukasz"), for character classes: `[{UPPER}]`.
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower())

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|\d+(?:\.\d+)?%?|[;,:()]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lower: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- negation (NegEx-style: a trigger negates what follows within a window,
# unless a scope terminator comes first) ----------------------------------------

NEGATION_TRIGGERS = frozenset(
    """not no never without none neither nor cannot isn't aren't wasn't weren't
    doesn't don't didn't won't can't shouldn't wouldn't hasn't haven't hadn't
    isn’t aren’t wasn’t doesn’t don’t didn’t won’t can’t
    fail fails failed failing unable""".split()
)
#: Triggers that negate only as "fail(ed) to", "unable to": "failed punctures"
#: is no negation.  ("lacking" is not a trigger at all: "mice lacking X"
#: describes a knockout, not a denial.)
NEEDS_TO = frozenset("fail fails failed failing unable".split())
#: Trigger + next word that only look like a negation ("not only ... but").
PSEUDO_NEGATIONS = frozenset({("not", "only"), ("not", "just"), ("no", "doubt")})
SCOPE_TERMINATORS = frozenset(
    "but however although though yet except whereas while which who whom ; , : ( )".split()
)
#: How many words after a trigger it reaches.
NEGATION_WINDOW = 8
#: Verbs that take what follows them as true, so a negation before them
#: denies nothing of it: "Many people don't realise how easily it can be
#: misused" says it can be.
NOT_DENYING_VERBS = frozenset(
    """realise realize realised realized realising realizing understand understood
    appreciate notice noticed recognise recognize recognised recognized aware""".split()
)
#: Words that make a negation just after them a condition, not a denial:
#: "If not treated, withdrawal can progress" does not deny that it is treated.
CONDITIONS = frozenset("if unless whether".split())
#: How many words may stand between the condition word and the negation
#: ("if it is not treated"); further on, the negation is the main clause's.
CONDITION_REACH = 3


def negated(text: str, start: int) -> bool:
    """Whether the word at character `start` of `text` lies in a negation's scope."""
    every = tokens(text)
    before = [t for t in every if t.end <= start]
    for distance, token in enumerate(reversed(before)):
        if token.lower in SCOPE_TERMINATORS:
            return False
        if distance >= NEGATION_WINDOW:
            return False
        if token.lower in NEGATION_TRIGGERS:
            index = len(before) - 1 - distance
            following = every[index + 1].lower if index + 1 < len(every) else ""
            if (token.lower, following) in PSEUDO_NEGATIONS or (token.lower in NEEDS_TO and following != "to"):
                continue
            if following in NOT_DENYING_VERBS:
                continue
            condition = every[max(0, index - CONDITION_REACH - 1) : index]
            if any(t.lower in CONDITIONS for t in condition):
                continue
            return True
    return False


# --- hedges -------------------------------------------------------------------

HEDGES = frozenset(
    """may might can could some possibly possible possibility potentially
    reportedly likely unlikely perhaps appear appears seem seems suggest
    suggests sometimes often occasionally generally usually""".split()
)


def hedges(text: str, exclude: tuple[tuple[int, int], ...] = ()) -> list[str]:
    """Hedge words in `text`, outside the `exclude` spans (the aspect's own words)."""
    return [
        t.lower
        for t in tokens(text)
        if t.lower in HEDGES and not any(a <= t.start < b for a, b in exclude)
    ]


# --- antonyms (a curated list: WordNet would need a download) -----------------

ANTONYMS = {
    "increase": "decrease", "increases": "decreases", "increased": "decreased",
    "raise": "lower", "raises": "lowers", "higher": "lower", "high": "low",
    "safe": "dangerous", "safer": "riskier", "effective": "ineffective",
    "common": "rare", "frequent": "rare", "fast": "slow", "quickly": "slowly",
    "rapid": "slow", "short": "long", "mild": "severe", "more": "less",
    "improves": "worsens", "improve": "worsen", "benefit": "harm",
    "beneficial": "harmful", "recommended": "discouraged", "helps": "hurts",
}
ANTONYMS.update({b: a for a, b in list(ANTONYMS.items())})
ANTONYMS["unsafe"] = "safe"
# General pairs for findings ("X promotes Y" / "X inhibits Y").  Added without
# overriding the pairs above, so each word keeps its first opposite.  Words
# with synonyms on both sides ("reduced" vs "increased and decreased") are
# left to `opposed()`, which knows the synonyms.
for _a, _b in (
    ("promotes", "inhibits"), ("promote", "inhibit"), ("promoted", "inhibited"),
    ("enhances", "impairs"), ("enhanced", "impaired"),
    ("upregulates", "downregulates"), ("upregulated", "downregulated"),
    ("better", "worse"), ("positively", "negatively"), ("favorable", "unfavorable"),
):
    ANTONYMS.setdefault(_a, _b)
    ANTONYMS.setdefault(_b, _a)


# --- direction of an effect (many-to-many, unlike ANTONYMS' pairs) -------------

#: Word beginnings (or, ending in "$", whole words) that say an effect goes up / down, or is good / bad.  Two
#: words are opposed when they fall on opposite sides of the same axis:
#: "reduces" and "elevated", "impairs" and "promotes", "poor" and "better".
DIRECTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "amount": {
        "up": (
            "increas", "higher", "high$", "higher", "highest", "elevat", "enhanc", "promot", "rais", "greater",
            "more$", "upregulat", "up-regulat", "augment", "accelerat", "stimulat", "induce$", "induces", "induced", "inducing",
            "activat", "boost", "amplif", "exacerbat", "facilitat", "potentiat", "gain",
            "rise", "rises", "rising", "rose$", "larger", "exceed", "aggravat",
            "lengthen", "prolong", "extend", "faster", "fastest", "quicker", "hasten", "speed",
        ),
        "down": (
            "decreas", "reduc", "lower", "low$", "less$", "fewer", "suppress", "inhibit",
            "impair", "attenuat", "downregulat", "down-regulat", "diminish", "abolish",
            "block", "prevent", "slow", "delay", "deplet", "counteract", "smaller",
            "lowest", "declin", "drop$", "drops$", "dropped", "fell$", "loss", "lose", "decline", "weaken", "limits$", "limited$",
            "protect", "alleviat", "ameliorat", "abrogat", "repress", "restrict",
            "shorten",
        ),
    },
    "value": {
        "up": ("better", "improv", "benefi", "favo", "good", "superior", "effective", "safe"),
        "down": ("worse", "worsen", "poor", "harmful", "harms$", "harmed", "detriment", "advers", "inferior", "ineffective", "unsafe", "unfavo"),
    },
    # Whether something goes on: "McDonald's to stop serving ..." against
    # "will no longer serve" (see `stance.read`) or "will continue to serve".
    "continuation": {
        "up": ("continu", "resum", "restart"),
        "down": ("stop$", "stops$", "stopped", "stopping", "ceas", "quit", "halt", "discontinu"),
    },
    "correlation": {
        "up": ("positiv",),
        "down": ("negativ", "invers"),
    },
    # Leave to do something: asked of a question only (`stance.Topic.of`),
    # "Is it legal to bring Sudafed into Japan?" against "are prohibited".
    "permission": {
        "up": ("allow", "permit", "legal$", "legally", "lawful", "authoris", "authoriz"),
        "down": (
            "ban$", "bans$", "banned", "banning", "prohibit", "forbid", "forbade", "illegal",
            "unlawful", "outlaw", "barred",
        ),
    },
}


#: Agent nouns that name a thing, not a direction: "ACE inhibitors", "a gene promoter".
NOT_DIRECTIONS = frozenset(
    """inhibitor inhibitors blocker blockers suppressor suppressors activator activators
    promoter promoters inducer inducers enhancer enhancers stimulator stimulators
    protector protectors limitation limitations""".split()
)


@lru_cache(maxsize=1 << 16)
def direction(word: str) -> tuple[str, str] | None:
    """(axis, side) of a direction word, e.g. "reduces" -> ("amount", "down");
    None for other words.  The longest matching beginning wins, so "lower"
    is "down" although "low" would be too, and "ineffective" beats "effective"."""
    word = word.lower()
    if word in NOT_DIRECTIONS:
        return None
    best: tuple[int, str, str] | None = None
    for axis, sides in DIRECTIONS.items():
        for side, prefixes in sides.items():
            for prefix in prefixes:
                # A trailing "$" asks for the whole word ("more", not "moreover").
                hit = word == prefix[:-1] if prefix.endswith("$") else word.startswith(prefix)
                if hit and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), axis, side)
    return (best[1], best[2]) if best else None


def opposed(a: str, b: str) -> bool:
    """Whether two words say opposite things: a curated antonym pair, or
    opposite sides of one direction axis."""
    a, b = a.lower(), b.lower()
    if ANTONYMS.get(a) == b or ANTONYMS.get(b) == a:
        return True
    da, db = direction(a), direction(b)
    return bool(da and db and da[0] == db[0] and da[1] != db[1])


# --- quantities ---------------------------------------------------------------

#: "Daily" said otherwise: "a day", "per day", "in 24 hours", "24-hour", "/day"
#: (a pattern to put in others: `answer` searches a sentence for it,
#: `conflicts` looks for it right after a figure).
PER_DAY = (
    r"(?:(?:a|per|each|every|one|in one|in a) day\b"
    r"|(?:in|per|every|within|over) (?:any )?24 ?(?:hours|hrs|h)\b"
    r"|24-hour\b|/\s*day\b|/\s*24 ?h\b)"
)

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "few": 3, "several": 4, "couple": 2,
}
# Unit -> (dimension, factor to the dimension's base unit).
UNITS = {
    "minute": ("time", 1 / 60), "minutes": ("time", 1 / 60), "min": ("time", 1 / 60),
    "hour": ("time", 1.0), "hours": ("time", 1.0), "hr": ("time", 1.0), "hrs": ("time", 1.0), "h": ("time", 1.0),
    "day": ("time", 24.0), "days": ("time", 24.0),
    "week": ("time", 168.0), "weeks": ("time", 168.0),
    "month": ("time", 730.0), "months": ("time", 730.0),
    "year": ("time", 8766.0), "years": ("time", 8766.0),
    "mg": ("mass", 1.0), "milligram": ("mass", 1.0), "milligrams": ("mass", 1.0),
    "mmg": ("mass", 1.0),
    "g": ("mass", 1000.0), "gram": ("mass", 1000.0), "grams": ("mass", 1000.0),
    "mcg": ("mass", 0.001), "µg": ("mass", 0.001), "microgram": ("mass", 0.001), "micrograms": ("mass", 0.001),
    "%": ("percent", 1.0), "percent": ("percent", 1.0), "per cent": ("percent", 1.0),
}
BASE_UNIT = {"time": "hours", "mass": "mg", "percent": "%"}

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
_QUANTITY = re.compile(
    rf"(?<![\w.])(?:(?:between|from)\s+)?(?P<low>{_NUM})(?:\s*(?P<low_unit>{_UNIT}))?"
    rf"(?:\s*(?:to|-|–|—|and|or)\s*(?P<high>{_NUM}))?\s*(?P<unit>{_UNIT})(?![\w])",
    re.IGNORECASE,
)
_BARE_UNIT = re.compile(r"(?<![\w])(?P<unit>hours|days|weeks|months|years)(?![\w])", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or range with a unit, normalised to the dimension's base unit."""

    text: str
    start: int
    end: int
    dimension: str
    low: float
    high: float

    def describe(self) -> str:
        unit = BASE_UNIT[self.dimension]
        if self.low == self.high:
            return f"{self.text} ({amount(self.low)} {unit})"
        return f"{self.text} ({amount(self.low)}–{amount(self.high)} {unit})"


def amount(value: float) -> str:
    """A number as a reader writes it: "1,500", "42.9", "4"."""
    return f"{value:,.1f}".rstrip("0").rstrip(".")


#: A number with thousands separators: "2,400", "12,500.5" (a comma before
#: other than three digits is a decimal comma: "2,5 mg").
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _number(word: str) -> float:
    word = word.lower()
    word = word.replace(",", "") if _THOUSANDS.fullmatch(word) else word.replace(",", ".")
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def quantities(text: str) -> list[Quantity]:
    """Quantities with units in `text`: "42.9 hours", "4 to 72 hours", "one to
    two weeks", "100 mg", "30.4%"; a bare plural unit ("for weeks or even
    months") counts as "two or more" of it."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _QUANTITY.finditer(text):
        dimension, factor = UNITS[_unit(match.group("unit"))]
        low_unit = match.group("low_unit") and _unit(match.group("low_unit"))
        low_factor = UNITS[low_unit][1] if low_unit and UNITS[low_unit][0] == dimension else factor
        # "a"/"an" count as one only in a duration ("for a week"), not a rate ("100 mg a day").
        if match.group("low").lower() in ("a", "an") and (
            match.group("high") or not re.search(r"\b(?:for|within|after|in|over|about)\s+$", text[: match.start()])
        ):
            continue
        low = _number(match.group("low")) * low_factor
        high = _number(match.group("high")) * factor if match.group("high") else low
        if match.group("high") is None and low_unit is None:
            high = low = _number(match.group("low")) * factor
        found.append(Quantity(match.group().strip(), match.start(), match.end(), dimension, min(low, high), max(low, high)))
        taken.append((match.start(), match.end()))
    for match in _BARE_UNIT.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        dimension, factor = UNITS[_unit(match.group("unit"))]
        found.append(Quantity(match.group(), match.start(), match.end(), dimension, 2 * factor, 12 * factor))
    return sorted(found, key=lambda q: q.start)


def _unit(written: str) -> str:
    """A unit as `UNITS` spells it: lower-cased, with the micro sign (µ) for
    the Greek mu (μ) that lower-casing it gives and that many texts write."""
    return written.lower().replace("μ", "µ")


#: Words giving a quantity as an upper limit: "no more than 80 mg", "up to
#: 120 mg", "the maximum dose is 80 mg", "try not to go higher than 100 mg".
UPPER_LIMIT = re.compile(
    r"\b(?:maximum|max|no more than|(?:not|never|\w+n[’']t)\s+(?:\w+\s+)?more than|up ?to|at most"
    r"|(?:higher|larger|greater) than"
    r"|not (?:to )?exceed|exceed(?:s|ing)?|(?:not|never) go (?:above|over|beyond)"
    r"|limit(?:ed)? (?:of|to))\b",
    re.I,
)
#: How far before a quantity the words giving it as a limit may start.
LIMIT_REACH = 40


def given_as_limit(text: str, quantity: Quantity) -> bool:
    """Whether `text` gives `quantity` as an upper limit: limit words within
    `LIMIT_REACH` characters before it, in its own clause ("At most, patients
    say that 80 mg helps" gives no limit)."""
    before = text[max(0, quantity.start - LIMIT_REACH) : quantity.start]
    clause = _CLAUSE_END.split(before)[-1]
    return UPPER_LIMIT.search(clause) is not None


# "|": a table's cells; a colon ends a clause, but not a label's ("Maximum
# daily dose: 200 mg").
_CLAUSE_END = re.compile(r"[,;!?|]|(?<!dose)(?<!dosage)(?<!maximum)(?<!limit)(?<!max):|\.\s")


def span_of(found: list[Quantity], dimension: str) -> tuple[float, float] | None:
    """The smallest interval holding every quantity of `dimension`."""
    values = [q for q in found if q.dimension == dimension]
    if not values:
        return None
    return min(q.low for q in values), max(q.high for q in values)



# --- figures: sums of money and counts -----------------------------------------

#: Currency signs and words, by the currency they name.
CURRENCIES = {
    "£": "£", "gbp": "£", "pounds": "£", "pound": "£", "sterling": "£",
    "$": "$", "us$": "$", "usd": "$", "dollars": "$", "dollar": "$",
    "€": "€", "eur": "€", "euros": "€", "euro": "€",
    "¥": "¥", "jpy": "¥", "yen": "¥",
    "₹": "₹", "inr": "₹", "rupees": "₹",
    "a$": "A$", "aud": "A$", "c$": "C$", "cad": "C$",
}
#: Words and letters that scale the number before them: "£212m", "1.2 billion".
SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "bn": 1e9, "b": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}
_SIGN = r"(?:US\$|A\$|C\$|\$|£|€|¥|₹|(?:USD|GBP|EUR|JPY|INR|AUD|CAD)\s?)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|(?:k|m|mn|mln|bn|b|tn)\b)"
_TO = r"\s*(?:-|–|—|to)\s*"
_SIGNED = (
    rf"(?<![\w.,])(?P<between>between\s+)?(?P<sign>{_SIGN})"
    rf"(?P<low>{_DIGITS})(?P<low_scale>{_SCALE})?"
    rf"(?:(?P<to>{_TO}|\s+and\s+)(?:{_SIGN})?(?P<high>{_DIGITS})(?P<high_scale>{_SCALE})?)?"
    r"(?![\w%])"
)
_NAMED = (
    rf"(?<![\w.,$£€¥])(?P<between2>between\s+)?(?P<low2>{_DIGITS})(?P<low_scale2>{_SCALE})?"
    rf"(?:(?P<to2>{_TO}|\s+and\s+)(?P<high2>{_DIGITS})(?P<high_scale2>{_SCALE})?)?"
    r"\s+(?P<word>pounds(?: sterling)?|dollars|euros|yen|rupees)\b"
)
#: A sum of money: "£212m", "$1.5 billion", "£10m-£12m", "5 million dollars".
_MONEY = re.compile(f"{_SIGNED}|{_NAMED}", re.I)
_BIG = r"(?:\s+(?P<{}>thousand|million|billion)\b)?"
#: A count: a number, or a range, and what it counts ("1,200 hourly workers").
_COUNT = re.compile(
    rf"(?<![\w.,$£€¥#/-])(?P<between>between\s+)?(?P<low>{_DIGITS}){_BIG.format('low_scale')}"
    rf"(?:(?P<to>{_TO}|\s+and\s+)(?P<high>{_DIGITS}){_BIG.format('high_scale')})?"
    r"(?=\s+[A-Za-z])",
    re.I,
)


def _ending(words: str) -> re.Pattern:
    """A pattern for text ending with one of `words` ("|"-separated)."""
    return re.compile(rf"\b(?:{words})\s*$", re.I)


#: Words before a figure that widen it: (how far below, how far above), as
#: shares of it; None is no bound.
APPROXIMATELY = (
    (
        _ending(
            r"about|around|roughly|approximately|approx\.?|some|an estimated|estimated|circa"
            r"|c\.|in the region of|of the order of|on the order of|~"
        ),
        0.1,
        0.1,
    ),
    (_ending("nearly|almost|close to|just under|just short of|not quite"), 0.1, 0.0),
    (_ending("just over|just above|a little over|slightly more than"), 0.0, 0.1),
    (
        _ending(
            "more than|over|at least|upwards of|in excess of|above|exceeding"
            "|(?:higher|greater|larger|bigger) than"
        ),
        0.0,
        None,
    ),
    (
        _ending(
            "fewer than|less than|under|up to|as many as|as much as|no more than|below|at most"
            "|not more than|(?:lower|smaller) than"
        ),
        None,
        0.0,
    ),
)
#: Words that are no counted noun, nor its modifier: a figure followed by
#: one counts nothing named ("4,000 at Dayton", "2019 was").
_NOT_COUNTED = frozenset(
    """a an the and or but nor of at in on to by for from with as than then that this these
    those it its is are was were be been will would could should may might can must has have
    had do does did not no so if when while who which whom whose what where why how per each
    every percent pc cent times time years year months month weeks week days day hours hour
    minutes minute seconds second am pm a.m p.m ce bc bce ad cm mm km kg lb lbs ft ml mph
    degrees degree meters metres meter metre feet foot miles mile kilometers kilometres inches
    tons tonnes litres liters gallons ounces""".split()
) | STOP_WORDS
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
#: Plural nouns not ending in s.
_PLURALS = frozenset(
    "people staff personnel children men women police crew cattle sheep fish deer folk".split()
)
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman"}


@dataclass(frozen=True, slots=True)
class Figure:
    """A sum of money or a count, as the range its words allow: "£212m" is
    211.5–212.5 million pounds (rounded to the last digit given), "about 800
    jobs" 720–880 jobs, "between 1,000 and 1,500 hourly positions" that
    range, "more than 40" 40 and up."""

    text: str
    start: int
    end: int
    currency: str | None
    """"£", "$", "€", ...; None for a count."""
    noun: str | None
    """What a count counts, singular: "worker" for "1,200 hourly workers"."""
    modifiers: tuple[str, ...]
    """The words between a count and its noun: ("hourly",)."""
    low: float
    high: float
    stated: tuple[float, float]
    """The number, or the range, as written: (800, 800) for "about 800"."""

    def agrees_with(self, other: Figure) -> bool:
        """Whether each is about what the other says: "£212m" and "around
        £212 million", "1,200" and "between 1,100 and 1,300"; but not "around
        £212 million" and "£198m", though one may be the other, rounded."""
        return (
            self.stated[0] <= other.high and other.low <= self.stated[1]
            and other.stated[0] <= self.high and self.low <= other.stated[1]
        )


def figures(text: str) -> list[Figure]:
    """The sums of money ("£212m", "$1.5 billion", "212 million pounds") and
    counts of things ("1,200 jobs", "between 1,000 and 1,500 hourly
    positions") in `text`.  Not counts: years ("2019", "in 1990 workers"),
    numbers in names ("TideLite 2", "Local 1822"), dates ("31 March"),
    quantities with units (`quantities`) and percentages."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    pos = 0
    while m := _MONEY.search(text, pos):
        pos = m.end()
        if m.group("low2"):
            sign, low, low_scale, to, high, high_scale, between = (
                m.group("word"), m.group("low2"), m.group("low_scale2"), m.group("to2"),
                m.group("high2"), m.group("high_scale2"), m.group("between2"),
            )
        else:
            sign, low, low_scale, to, high, high_scale, between = (
                m.group("sign"), m.group("low"), m.group("low_scale"), m.group("to"),
                m.group("high"), m.group("high_scale"), m.group("between"),
            )
        currency = CURRENCIES[sign.strip().lower().split()[0]]
        end = m.end()
        if high and to.strip().lower() == "and" and not between:
            # "£212m and £198m" are two figures
            high = high_scale = None
            end = pos = m.start("to") if m.group("to") else m.start("to2")
            if m.group("word"):
                continue  # "5 and 6 dollars": whose currency is the first?
        if _PER_UNIT.match(text, end):
            continue  # "138 crowns a share": a price, no sum to set against a total
        scale_high = _scale(high_scale or low_scale)
        scale_low = _scale(low_scale or high_scale) if high else scale_high
        span = _widened(text, m.start(), low, high, scale_low, scale_high)
        found.append(Figure(text[m.start():end].strip(), m.start(), end, currency, None, (), *span))
        taken.append((m.start(), end))
    for m in _COUNT.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        low, high = m.group("low"), m.group("high")
        if high and m.group("to").strip().lower() == "and" and not m.group("between"):
            continue  # "1,200 and 800 jobs" is no range
        if high and _number(high) < _number(low):
            continue  # a score: "a 4-3 vote"
        if _not_a_count(text, m, low, high):
            continue
        counted = _counted(text, m.end())
        if counted is None:
            continue
        modifiers, noun, end = counted
        if _PER_UNIT.match(text, end):
            continue  # "138 crowns a share", "3 tablets a day": a rate
        scale_high = _scale(m.group("high_scale") or m.group("low_scale"))
        scale_low = _scale(m.group("low_scale") or m.group("high_scale")) if high else scale_high
        span = _widened(text, m.start(), low, high, scale_low, scale_high)
        found.append(Figure(text[m.start():end], m.start(), end, None, noun, modifiers, *span))
    return sorted(found, key=lambda f: f.start)


#: After a sum, what makes it a price or a rate: "a share", "per person", "each".
_PER_UNIT = re.compile(
    r"\s*(?:(?:a|an|per)\s+[a-z]+\b(?!\s+(?:after|later|ago|earlier|before|on)\b)"
    r"|each\b|apiece\b|/\s*[a-z]+)",
    re.I,
)


def _scale(word: str | None) -> float:
    return SCALES[word.strip().lower()] if word else 1.0


def _widened(text: str, start: int, low: str, high, scale_low: float, scale_high: float):
    """The range a figure's words allow: "about", "nearly", "more than" ...
    before it say how near it is ("about 800" is 720–880, "nearly £200m"
    180–200 million); else its digits, rounded to the last one that is not
    a zero ("£212m" is 211.5–212.5 million, "800" 750–850), a tenth of it
    at most ("£200m" is 180–220 million)."""
    lo = _number(low) * scale_low
    hi = _number(high) * scale_high if high else lo
    lo, hi = min(lo, hi), max(lo, hi)
    stated = (lo, hi)
    before = text[max(0, start - 30) : start]
    for pattern, below, above in APPROXIMATELY:
        if pattern.search(before):
            # the words say how near it is, not its digits
            lo = 0.0 if below is None else lo * (1 - below)
            hi = float("inf") if above is None else hi * (1 + above)
            return lo, hi, stated
    lo -= min(_half_step(low) * scale_low, 0.1 * lo)
    hi += min(_half_step(high or low) * scale_high, 0.1 * hi)
    return lo, hi, stated


def _half_step(digits: str) -> float:
    """Half the place of a number's last digit that is not a zero: "212" 0.5,
    "1,200" 50, "1.4" 0.05."""
    digits = digits.replace(",", "")
    whole, _, decimals = digits.partition(".")
    if decimals.rstrip("0"):
        return 0.5 * 10 ** -len(decimals.rstrip("0"))
    zeros = len(whole) - len(whole.rstrip("0"))
    return 0.5 * 10**zeros if whole.strip("0") else 0.5


_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|to|of|before|after|during|circa|year|fy|early|late|mid"
    r"|spring|summer|autumn|fall|winter|"
    + "|".join(_MONTHS)
    + r")\s*,?\s*$|\d\s+$",
    re.I,
)


def _not_a_count(text: str, m: re.Match, low: str, high: str | None) -> bool:
    """A year, a number in a name ("TideLite 2 packs", "Local 1822", "No.
    5"), a decimal without a scale, or the second number of a list."""
    before = text[max(0, m.start() - 20) : m.start()]
    for number in (low, high):
        if number and _YEAR.fullmatch(number):
            if _YEAR_BEFORE.search(before) or not m.group("low_scale"):
                return True
    if "." in low.replace(",", "") and not (m.group("low_scale") or m.group("high_scale")):
        return True
    # A capitalised word, "No." or "#" right before the number: part of a name.
    word = re.search(r"([\w.’']+)\s*$", before)
    if word and not m.group("between"):
        w = word.group(1)
        if w[:1].isupper() and w.lower() not in _NOT_NAMES:
            # the first word of a sentence may be capitalised
            head = before[: word.start(1)].rstrip()
            if head and not head.endswith((".", "!", "?", ":", '"', "“", "(")):
                return True
        if w.lower() in ("no.", "no", "number", "nos.", "page", "chapter", "section", "article"):
            return True
    return False


_WORD = re.compile(r"\s+([A-Za-z][A-Za-z’'-]*|\d+)")
#: Capitalised words before a number that make it no name's: "About 800".
_NOT_NAMES = frozenset("about around some nearly almost over up only all just".split())


def _counted(text: str, at: int) -> tuple[tuple[str, ...], str, int] | None:
    """What the count ending at `at` counts: (modifiers, noun, end), the noun
    the first plural noun among the next five words ("TideLite 2 battery
    packs", "hourly workers", "job losses"), if no word that counts nothing
    comes first."""
    words: list[str] = []
    pos = at
    for _ in range(5):
        m = _WORD.match(text, pos)
        if not m:
            return None
        word = m.group(1)
        lower = word.lower()
        if lower in _NOT_COUNTED or lower in _MONTHS or lower in UNITS or lower in SCALES:
            return None
        pos = m.end()
        if word[:1].islower() and _plural(lower):
            return tuple(words), _SINGULAR.get(lower, _singular(lower)), pos
        words.append(lower)
    return None


def _plural(word: str) -> bool:
    if word in _PLURALS:
        return True
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous", "ics"))
        and "-" not in word[-3:]
    )


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word

# --- attribution --------------------------------------------------------------

_NAME = (
    rf"(?:[Tt]he\s+)?(?:[{UPPER}][\w.&’'-]*(?:\s+(?:of|for|and|the|de)?\s*[{UPPER}][\w.&’'-]*)*"
    r"|[a-z0-9-]+\.(?:com|org|gov|net|edu))"
)
_REPORTING = (
    r"(?:consider|considers|considered|say|says|said|state|states|stated|report|reports|reported|"
    r"warn|warns|warned|recommend|recommends|recommended|advise|advises|classif(?:y|ies|ied)|"
    r"list|lists|listed|found|find|finds|note|notes|noted|suggest|suggests|suggested|conclude|concludes|"
    r"concluded|claim|claims|claimed|estimate|estimates|estimated|require|requires|required|"
    r"label|labels|attest|attests|attested|"
    r"den(?:y|ies|ied)|reject|rejects|rejected|insist|insists|insisted|confirm|confirms|confirmed|"
    r"dismiss|dismisses|dismissed|argue|argues|argued|acknowledge|acknowledges|acknowledged|"
    r"admit|admits|admitted|stress|stresses|stressed|caution|cautions|cautioned|"
    r"dispute|disputes|disputed|contend|contends|contended|assert|asserts|asserted|"
    r"concede|concedes|conceded|explain|explains|explained|testify|testifies|testified|"
    r"declare|declares|declared)"
)
#: Verbs of speech: what a quotation's tag ("...," she said) or a speaker
#: named by role or pronoun ("He denied it") says with.
_SPEECH = (
    r"(?:say|says|said|told|tells|(?:added|adds)(?=\s+that\b|\s*[,.;:\"“”]|\s*$)|wrote|writes|"
    r"explained|explains|stated|states|"
    r"noted|notes|warned|warns|den(?:y|ies|ied)|rejected|rejects|insisted|insists|confirmed|confirms|"
    r"dismissed|dismisses|argued|argues|claimed|claims|acknowledged|acknowledges|admitted|admits|"
    r"stressed|stresses|cautioned|cautions|disputed|disputes|contended|contends|asserted|asserts|"
    r"conceded|concedes|countered|replied|responded|announced|announces|reported|reports|"
    r"suggested|suggests|concluded|concludes|recommended|recommends|testified|testifies|"
    r"declared|declares)"
)
#: Words after a reporting verb showing it was a noun ("Case reports suggest",
#: "Case reports and ...") or a passive ("Roosters said to be ...").
_NOT_A_VERB_AFTER = (
    rf"(?<=said|rted|ered|ated|ound|ired|sted|lled|eled|nded|ised|ized)\s+to\b"
    rf"|\s+(?:and|or|of|is|are|was|were|have|has|had|{_REPORTING})\b"
)
#: Speakers a news report names by their role: "a Netflix spokeswoman", "the company".
_ROLE = (
    r"(?:spokes(?:man|woman|person|people)|officials?|representatives?|executives?|sources?"
    r"|analysts?|aides?|lawyers?|attorneys?|ministers?|secretary|president|chairman|chairwoman"
    r"|director|scientists?|researchers?|experts?|company|firm|agency|ministry|department|officers?"
    r"|government|police|statement|publicist|agent|manager|head|chief|leader|office|team|union"
    r"|report|authority|council|board|commission|committee|regulator|watchdog|bureau|service"
    r"|operator|utility|court|hospital|university|institute|association|organi[sz]ation)"
)
#: Who speaks for a person: "his publicist", "her lawyer".
_THEIR_PEOPLE = (
    r"(?:spokes(?:man|woman|person)|publicist|agent|lawyer|attorney|manager|management"
    r"|representatives?|reps?|aides?|adviser|advisor|team|camp|office|family)"
)
_BY_ROLE = rf"(?:[Aa]n?|[Tt]he)\s+(?:[A-Z][\w.&’'-]*\s+){{0,3}}{_ROLE}"
#: A role with what it is of: "the head of the plant's union local", "the
#: city clerk's office", "a spokesman for the mayor".
_ROLE_PHRASE = (
    rf"(?:[Aa]n?|[Tt]he)\s+(?:[\w’'-]+\s+){{0,3}}?{_ROLE}(?:\s+(?:of|for|at|in|from)\s+[^,.;:\"“”]{{1,50}}?)?"
)
#: A group named by what it is ("Swiss police in the canton of Valais",
#: "sources close to city hall").
_GROUP = (
    r"(?:[A-Z][\w-]*\s+){0,3}(?:[Pp]olice|[Cc]ops|[Oo]fficials|[Aa]uthorities|[Ii]nvestigators|[Pp]rosecutors"
    r"|[Rr]egulators|[Ss]ources|[Ii]nsiders)"
    r"(?:\s+(?:of|for|at|in|from|close to|familiar with)\s+[^,.;:\"“”]{1,50}?)?"
)
#: What stands between a speaker's name and the verb: ", a neurologist at
#: ...,", ", who sponsored the measure,", ", 68,", ", president of UAW Local 1822,".
_APPOSITION = (
    r",\s+(?:(?:an?|the|who|whose|his|her|their|its)\s|(?:of|from|at)\s+(?:the\s+)?[A-Z]|\d"
    # a title in capitals: ", Chief Commercial Officer," (not ", Professor Duarte")
    r"|(?:[A-Z][a-z]+\s+){0,3}(?:Officer|Director|President|Executive|Manager|Head|Chair\w*"
    r"|Secretary|Founder|Editor|Partner|Spokes\w+|Counsel)\b"
    r"|(?:[a-z][\w-]*\s+){0,3}(?:president"
    r"|vice|chief|senior|executive|director|head|chair\w*|spokes\w+|professor|founder|co-founder"
    r"|author|editor|leader|lead|secretary|minister|member|manager|former|deputy|assistant|associate"
    r"|owner|partner|analyst|lawyer|attorney|coordinator|officer|adviser|advisor|ex-\w+|\w+ist"
    r"|\w+ian)\b)[^,\"“”]{0,100}"
)
_CLAUSE_START = r"(?:^\s*|(?<=[,;:—(”\"])\s*|(?<=\s[-–])\s*)(?:(?:[Bb]ut|[Aa]nd|[Yy]et)\s+)?"
# "according to the Hollywood Reporter", "according to Johnson, ...", "according
# to the Breitbart Texas article", "according to a post on social media that ..."
# (cut by `_source_phrase`); a quotation's tag comes first ("...," the pope
# said, according to Time).
_ACCORDING = re.compile(
    rf"\b(?i:according\s+to)\s+(?P<who>{_NAME}"
    r"(?:\s+(?:article|report|statement|story|website|site|post|blog|newspaper|tweet|interview"
    r"|release|filing|account|sources?|officials?))?"
    r"(?=[,.;:)”\"]|\s*\(|\s+(?:on|in|at|from|last|this|earlier|late|early)\b|$)"
    r"|(?:(?:an?|the|one|two|several|some)\s+)?[^,.;:\"“”()]{1,150}?(?=[,.;:)”\"]|$))"
)
# "Sorkin told Bloomberg", "a spokesman told Reuters", "Paul Ridder told 2 News"
_TOLD = re.compile(
    rf"(?P<who>{_NAME})\s+(?:\w+self\s+)?(?:told|informed)\s+"
    rf"(?:(?:\d+\s+)?{_NAME}|reporters|the press)\b"
)
# "Dr. Glen Pruitt submitted a declaration stating that", "The company issued
# a statement saying"
_STATEMENT = re.compile(
    rf"(?P<who>{_NAME})(?:,[^,\"“”]{{1,80}})?,?\s+(?:submitted|filed|issued|released|posted|sent"
    r"|gave|wrote|published)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:declaration|statement"
    r"|affidavit|letter|report|testimony|response)\s+(?:stating|saying|claiming|arguing|asserting"
    r"|denying|confirming)\b"
)
# "The FDA does not consider", "Vantrell says"
_SUBJECT = re.compile(
    rf"(?<![\w’'-])(?P<who>{_NAME})\s+(?:(?:does|do|did)\s+not\s+|doesn[’']t\s+|also\s+)?"
    rf"{_REPORTING}\b(?!{_NOT_A_VERB_AFTER})"
)
#: A job written before a person's name in a speech tag: "said Coalition
#: director Mark Ellison" (`_described` credits them with it).
_TITLE_BEFORE = (
    r"(?:director|president|chairman|chairwoman|chair|chief|head|founder|co-founder|executive"
    r"|spokes(?:man|woman|person)|manager|secretary|minister|leader|professor|researcher"
    r"|scientist|analyst|economist|epidemiologist|physician|lawyer|attorney|adviser|advisor"
    r"|coordinator|officer|official|author|co-author|investigator)"
)
#: "Dr. Nicola Klein of the Kaiser Permanente Vaccine Study Center, who has
#: studied it, said": the person, not the body they are of (only when the
#: name before "of" is a person's: see `_speaker_in`).
_PERSON_OF = re.compile(
    rf"(?P<who>{_NAME})\s+(?:of|at|from)\s+{_NAME}(?:{_APPOSITION}){{0,2}},?\s+(?:also\s+)?"
    rf"(?:has\s+|had\s+)?{_SPEECH}\b"
)
#: A person's quoted words after their name and a colon, within a paragraph:
#: "CFO Ingrid Solberg: "There is no deal ..."" (only a person's name, so
#: that "Claim: "..."" is no one).
_NAME_COLON = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s)|(?<=\*\*\s))\s*(?:(?:[A-Z]{{2,5}}|{_TITLE_BEFORE})\s+)?"
    rf"(?P<who>{_NAME})\s*:\s*[\"“]"
)
#: Words of a label that heads a quotation without naming who says it.
_LABELS = frozenset(
    """fact check claim claims verdict rating ruling update note correction quote headline
    summary breaking warning caption question answer myth reality truth""".split()
)
#: A quotation credited after a dash, as an epigraph is: "...?" — Mark
#: Twain; "..." — Instagram post by wellness influencer @pure.jenna.life.
_DASH_CREDIT = re.compile(
    rf"[”\"][ \t]*[—–][ \t]*(?:[A-Za-z][^—–\n\"“”]{{0,50}}?\bby\s+(?:[a-z][\w-]*\s+){{0,3}})?"
    rf"(?P<who>@[A-Za-z0-9_](?:[\w.]*\w)?|{_NAME})"
)
#: Lower-case words after "said" that are no one's role: "said on Monday".
_NOT_A_ROLE = r"(?:in|on|at|by|for|to|from|of|with|the|a|an|that|this|last|next|earlier|later)"
#: A group the text cites for what it found or says, by what it is:
#: "doctors found", "the manufacturer recommends", "experts say".
_FINDERS = re.compile(
    r"(?P<who>(?:the\s+)?(?:healthcare professionals|health care professionals|doctors|physicians|"
    r"experts|researchers|the authors|authors|"
    r"the (?:agency|authority|authorities|manufacturer|label|regulator|guidelines?|article|paper)|"
    r"one person on a drug forum|the (?:\w+ )?website))\s+"
    rf"(?:(?:does|do|did)\s+not\s+|doesn[’']t\s+|\w+\s+)?(?:{_REPORTING})\b",
    re.I,
)
_ATTRIBUTION = (
    # "...," a Netflix spokeswoman told Reuters; "...," the company said
    re.compile(rf"[,”\"]\s*(?P<who>{_BY_ROLE})\s+(?:{_SPEECH})\b"),
    # "..., said Dr. Lena Park", "...," says the ministry, "..., said
    # Coalition director Mark Ellison" (the person, not the coalition)
    re.compile(
        rf"[,”\"]\s*(?:said|says|told reporters|added|explained|wrote)\s+"
        rf"(?:(?:[A-Z][\w&’'-]*\s+|[a-z]+\s+){{0,3}}{_TITLE_BEFORE}\s+(?=[A-Z])"
        # "..., said farmer Craig Lindqvist", "said local resident Ann Bell"
        rf"|(?:(?!{_NOT_A_ROLE}\b)[a-z]+\s+){{1,3}}(?=[A-Z]))?(?P<who>{_NAME})"
    ),
    # "...," she said; "He denied it"
    re.compile(
        rf"(?:^\s*|(?<=[,;:—”\"“])\s*|\b(?:[Aa]nd|[Bb]ut)\s+)(?P<who>[Hh]e|[Ss]he|[Tt]hey)\s+"
        rf"(?:also\s+|later\s+|then\s+)?(?:has\s+|have\s+|had\s+)?{_SPEECH}\b"
    ),
    _PERSON_OF,
    _NAME_COLON,
    _DASH_CREDIT,
    # "Some chiropractors, such as the American author Dale R. Fenwick, have
    # argued that": the person named, for the group they stand for
    re.compile(
        r"\bsuch\s+as\s+(?:(?:the|an?)\s+)?(?:[A-Za-z][\w-]*\s+){0,3}?"
        # (not "Countries such as France, said the minister, ...")
        rf"(?P<who>{_NAME}),?\s+(?:also\s+)?(?:have\s+|has\s+|had\s+)?(?!said\b|says\b)"
        rf"{_SPEECH}\b"
    ),
    # "Dr. Lena Park, a spokeswoman for the agency, said"; "Ashworth, who
    # sponsored it, said"
    re.compile(
        rf"(?P<who>{_NAME})(?:{_APPOSITION}){{1,2}}"
        # "Niamh Colgan, Chief Commercial Officer, Aer Lingus, said": the title's body
        rf"(?:,\s+{_NAME},?|,)\s+(?:also\s+)?(?:has\s+|had\s+)?{_SPEECH}\b"
    ),
    # "his publicist, Naomi Fairclough, told PolitiFact"; "his mother, Diane, said"
    re.compile(
        rf"\b(?:(?:his|her|their|its)\s+(?:[\w-]+\s+){{0,2}}?[a-z][\w-]*|(?:the|an?)\s+"
        rf"(?:[\w-]+\s+){{0,2}}?{_ROLE}|[\w-]+[’']s\s+(?:[\w-]+\s+){{0,2}}?{_ROLE}),\s+"
        rf"(?P<who>{_NAME}),\s+{_SPEECH}\b"
    ),
    # "Desmond Kale's publicist said"; "Mayor Tom Pruitt's office dismissed"
    re.compile(
        rf"(?P<who>{_NAME}[’']s\s+(?:[\w-]+\s+){{0,2}}?{_ROLE})\s+(?:also\s+)?(?:has\s+|had\s+)?"
        rf"{_SPEECH}\b"
    ),
    # "Kale is alive, his publicist said"; "Her lawyer told Reuters": see `_theirs`
    re.compile(
        rf"{_CLAUSE_START}(?P<who>(?:[Hh]is|[Hh]er)\s+(?:[a-z][\w-]*\s+){{0,2}}?{_THEIR_PEOPLE})"
        rf"(?:\s+\w+ly)?\s+(?:also\s+)?(?:has\s+|had\s+)?{_SPEECH}\b"
    ),
    _TOLD,
    _STATEMENT,
    # ", the head of the plant's union local said"; "The city clerk's office said";
    # "A Herald report, published Monday, said"
    re.compile(
        rf"{_CLAUSE_START}(?P<who>{_ROLE_PHRASE})(?:,[^,;:]{{1,80}},)?(?:\s+\w+ly)?\s+(?:also\s+)?"
        rf"(?:has\s+|have\s+|had\s+)?{_SPEECH}\b"
    ),
    # "The officer who led the investigation says" (only after "the": "A
    # source who returned from the North said" is no one)
    re.compile(
        rf"{_CLAUSE_START}(?P<who>[Tt]he\s+(?:[\w’'-]+\s+){{0,3}}?{_ROLE})\s+(?:who|that)\s+"
        rf"[^,;:]{{1,80}}?(?:\s+\w+ly)?\s+(?:also\s+)?(?:has\s+|have\s+|had\s+)?{_SPEECH}\b"
    ),
    # "Swiss police in the canton of Valais said"
    re.compile(
        rf"{_CLAUSE_START}(?P<who>{_GROUP})(?:\s+\w+ly)?\s+(?:also\s+)?(?:have\s+)?{_SPEECH}\b"
    ),
    _ACCORDING,
    re.compile(rf"\b(?i:as)\s+(?P<who>{_NAME})\s+(?:has|have|had)\s+{_REPORTING}\b"),
    _SUBJECT,
    _FINDERS,
)
#: The end of a clause's opening that makes it a subordinate one, an event
#: in what is said ("after doctors found bleeding", "because experts warned"),
#: not who says it ("As experts say" is: no "as").
_SUBORDINATE = re.compile(
    r"\b(?i:after|because|when|whenever|since|before|until|till|once|though|although|while"
    r"|whereas|if|unless)\s+(?:(?:the|some|many|other|local|two|three|several)\s+)?$"
)
#: Patterns whose speaker may be the object of a preposition ("Swiss police
#: in the canton of Valais said" names no "Valais"): checked by `_governed`.
_BARE_NAMES = (_TOLD, _STATEMENT, _SUBJECT)
_PRONOUNS = frozenset({"he", "she", "they"})
_NOT_A_SOURCE = frozenset(
    """it this that these those he she they we you i there which who baclofen therefore thus
    however reports various several many some most other recent new early earlier initial
    previous media news press local unconfirmed monday tuesday wednesday thursday friday
    saturday sunday today yesterday""".split()
)
#: How many earlier sentences a pronoun's speaker is looked for in, and how
#: many pronouns deep ("...," he said. "...," he said.).
_ANTECEDENT_SENTENCES = 6
_ANTECEDENT_DEPTH = 3
#: A speech tag whose speaker is a pronoun that names no one: the quote is
#: left uncredited rather than credited to whoever else is near.
_UNRESOLVED = ""


#: How much of the text above a sentence is read for who speaks in it (all
#: of it is read for a person's name in full).
NEAR = 1_000


def attributed_to(sentence: str, context_before: str = "", context_after: str = "") -> str | None:
    """Who the sentence says holds its view, if it says so: "According to the
    Electronic Medicines Compendium, ..." -> "the Electronic Medicines
    Compendium".  `context_before` is the text above the sentence (its last
    `NEAR` characters are read for who speaks), and `context_after` the
    text below it: a line such as "According to Physiopedia:" just above
    its paragraph attributes it too, and so does a quotation's tag
    (`"...," Vega said.`) for every sentence the quotation holds.  A
    pronoun ("...," she said) is the person named last before it, in its
    paragraph (or for "he"/"she" the paragraph before one without any);
    when there is none, the sentence is credited to no one.  A person is
    credited by the fullest name the text above gives them ("Menon" is the
    "Professor Raj Menon" named pages before), with the job it gives them
    with their name, above or below ("Paul Ridder, economist")."""
    who = _attributed(sentence, context_before[-NEAR:], context_after, context_before)
    if not who:
        return None
    who = _full_name(who, context_before + sentence)
    if _as_person(who):
        return _described(who, context_before + sentence + context_after)
    return who


def _attributed(
    sentence: str, context_before: str, context_after: str, all_before: str
) -> str | None:
    who = _speaker_in(sentence, context_before, 0)
    if who is not None:
        return who or None
    # A transcript's labels name people the text may name in full far above
    # ("Newsreader: Sam Okafor" over "SAM OKAFOR: ..."): all of it is read.
    labelled = _transcript_speaker(sentence, all_before, context_after)
    if labelled:
        return labelled
    for found in (
        _quotation_opened_by(context_before, 0),
        _quotation_closed_by(sentence, context_before, context_after),
        _quotation_continued(sentence, context_before),
    ):
        if found is not None:
            return found or None
    above = context_before[: context_before.rfind("\n") + 1]  # before the sentence's paragraph
    lead_in = above.rstrip().rsplit("\n", 1)[-1].strip()
    if lead_in.endswith(":"):
        match = _ACCORDING.search(lead_in)
        who = match and _clean_name(_source_phrase(match.group("who")), _shouted(lead_in))
        if who:
            return who
        paragraph = context_before[context_before.rfind("\n") + 1 :] + sentence
        if paragraph.lstrip().startswith(('"', "“")):
            # "Lead author Dr Helen Achterberg, of ..., said:" over a quotation
            # paragraph: every sentence of it is theirs.
            who = _speaker_in(lead_in, above[: len(above.rstrip()) - len(lead_in)], 0)
            if who and _is_person(who):
                return who
    return None


#: A transcript's speaker label opening a paragraph: "FERREIRA:", "MAYOR
#: OKAFOR:", "**BEN:**", "Dr. Kofi Mensah:", "Q (Marcus Bell, Herald):",
#: "[CLIP — DEREK MOSS]:".
_SPEAKER_LABEL = re.compile(
    r"^[ \t>*_]*(?:\[(?:(?:CLIP|AUDIO|VIDEO|SOUNDBITE|ACTUALITY|SOT|INTERVIEW)[ \t]*[—–:-][ \t]*)?"
    r"(?=[^\]\n]{1,60}\][ \t]*:))?"  # "[CLIP — DEREK MOSS]:": a clip's speaker
    rf"(?P<who>(?:[{UPPER}][\w.'’-]*[ \t]+){{0,3}}[{UPPER}][\w.'’-]*)\]?[ \t]*"
    r"(?:\((?P<asker>[^)\n]{1,80})\))?[ \t*_]*:[ \t*_]*(?=\S)",
    re.M,
)
#: Paragraphs a text must open with people's labels to be read as a transcript.
TRANSCRIPT_TURNS = 3


def _transcript_speaker(sentence: str, before: str, after: str) -> str | None:
    """Who speaks a sentence of a transcript, from the label opening its
    paragraph ("FERREIRA: ... It was not lead." is Luis Ferreira's, named in
    full above): only in a text of at least `TRANSCRIPT_TURNS` paragraphs
    opening with labels that name people, by a title ("MAYOR OKAFOR") or a
    name the text gives in full ("MAYA" for "Maya Linden"), so that a
    page's "WARNINGS:" or "Dosage:" is no one."""
    paragraph = before[before.rfind("\n") + 1 :] + sentence
    label = _SPEAKER_LABEL.match(paragraph)
    if not label or label.end() > len(paragraph) - len(sentence) + 1 and label.start() != 0:
        return None
    text = before + sentence + after
    people = (m for m in _SPEAKER_LABEL.finditer(text) if _labelled_person(m, text))
    if len(list(itertools.islice(people, TRANSCRIPT_TURNS))) < TRANSCRIPT_TURNS:
        return None  # (the labels are read only until enough name people)
    return _labelled_person(label, text)


#: Labels naming a part, whose speaker is named in brackets: "CALLER (TERRY):".
_LABEL_ROLES = frozenset(
    """q a caller guest host presenter listener interviewer reporter moderator panellist
    panelist viewer audience voice speaker member""".split()
)


def _labelled_person(label: re.Match, text: str) -> str | None:
    """The person a transcript label names, in full where the text gives it;
    a name with a place or a party in brackets is that person's, from there
    ("ANNE (OLD TOWN):" is Anne (Old Town), not Old Town)."""
    named = _uncapitalised(label.group("who")).split()
    if label.group("asker"):
        bracketed = _uncapitalised(label.group("asker").split(",")[0])
        if not bracketed:
            return None
        if named[-1].lower().rstrip(".") not in _LABEL_ROLES:
            if all(_NAME_WORD.fullmatch(w) for w in named) and not (
                {w.lower() for w in named} & (_LABELS | _NOT_PEOPLE)
            ):
                return f"{' '.join(named)} ({bracketed})"  # (a caller's first name only)
            return None
        if label.group("who").rstrip(".").lower() in ("q", "a") and bracketed[0].isupper():
            # "A (TERRY, CALLER):": whom a question or answer is put by
            return _called_in(bracketed.split()[-1], text) or bracketed
        person = _as_person(bracketed)
        if person:
            return person
        # "CALLER (TERRY):": a caller named by first name only
        return bracketed if named[-1].lower() != "q" and _NAME_WORD.fullmatch(bracketed) else None
    if named[0].lower().rstrip(".") in ("q", "a") or len(named[-1]) < 2:
        return None
    titled = len(named) > 1 and named[0].lower() in _TITLES
    full = _called_in(named[-1], text)
    if full:
        return full
    return " ".join(named) if titled else None


def _uncapitalised(name: str) -> str:
    """A name written in capitals as names are written: "DR ANIL MEHTA" is
    "Dr Anil Mehta"."""
    return " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in name.split())


@lru_cache(maxsize=16)
def _called_in(word: str, text: str) -> str | None:
    """A person `text` names in full with `word` as their first or last
    name ("Maya Linden" for "Maya", "Luis Ferreira" for "Ferreira").  (Kept
    for the last texts read: a transcript's labels name few people, each
    many times, and every claim of a source reads its whole text.)"""
    last = next((name for _, name in _named(word, text)), None)
    if last:
        return last
    first = re.search(rf"(?<![\w’'-]){re.escape(word)}\s+[{UPPER}][{LOWER}][\w’'-]*", text)
    return _as_person(first.group()) if first else None


def _speaker_in(sentence: str, before: str, depth: int) -> str | None:
    """The speaker the sentence itself names, outside the quotations it holds;
    `_UNRESOLVED` for a pronoun naming no one."""
    masked = _masked(sentence, before)
    for pattern in _ATTRIBUTION:
        for match in pattern.finditer(masked):
            raw = match.group("who")
            if raw.lower() in _PRONOUNS:
                return _antecedent(raw.lower(), before, depth)
            if pattern in _BARE_NAMES and _governed(masked, match.start("who")):
                continue
            if pattern is _FINDERS and _SUBORDINATE.search(masked, 0, match.start("who")):
                continue  # "... after doctors found bleeding, her management said": an event
            if pattern is _SUBJECT and re.match(r"An?(?:\s|$)", match.group("who")):
                continue  # "A Herald report said": a thing, not someone called "A Herald"
            who = sentence[match.start("who") : match.end("who")]
            if pattern in (_PERSON_OF, _NAME_COLON) and not _as_person(who):
                continue  # "The University of Oxford said": the body speaks
            if pattern is _NAME_COLON and {w.lower() for w in who.split()} & _LABELS:
                continue  # "Fact Check: "...""
            if who.lower() in _MONTHS and re.search(r"\d\s*$", masked[: match.start("who")]):
                continue  # "posts since 3 March say": a date, no one
            if pattern is _ACCORDING:
                who = _source_phrase(who)
            who = _clean_name(who, _shouted(masked))
            if who and _HIS_ROLE.fullmatch(who):
                return _theirs(who, before, masked[: match.start("who")], depth)
            theirs = _THE_ONES_ROLE.fullmatch(who or "")
            person = theirs and _called(theirs["noun"], before + masked[: match.start("who")])
            if person:
                return f"{_whose(_full_name(person, before + masked))} {theirs['role']}"
            if _describes_a_role(masked, match):
                continue  # "IARC classifies hazards; it does not ...": what it does
            if who and _in_a_later_clause(masked[: match.start("who")]):
                return ""  # "One site says X; Aer Lingus says that's wrong": whose is X?
            if who:
                return _full_name(who, before + masked)
    return None


#: Verbs that report a view only with what they make of it: "classifies
#: aspartame as possibly carcinogenic", not "classifies hazards".
_AS_VERBS = re.compile(r"(?:classif|list|label)\w*$", re.IGNORECASE)


def _describes_a_role(masked: str, match: re.Match) -> bool:
    """Whether a speaker's verb only tells what they do ("IARC classifies
    hazards"): a verb of `_AS_VERBS` with no "as" in its clause."""
    if not _AS_VERBS.search(match.group().rstrip()):
        return False
    clause = re.split(r"[;.:]", masked[match.end() :], maxsplit=1)[0]
    return re.search(r"\bas\b", clause) is None


#: A clause of someone else's speech before the speaker named: "One aviation
#: site says ...; Aer Lingus says ...".
_EARLIER_VOICE = re.compile(
    r"\b(?:says|said|claims|claimed|reports|reported|insists|insisted|told)\b"
    r"[^;:—]*(?:[;:—]|,\s+(?:but|and|while|whereas)\s)"
)


def _in_a_later_clause(before_speaker: str) -> bool:
    """Whether a sentence names its speaker in a later clause than its first:
    after a semicolon ("WHO labels X a carcinogen; experts say limits are
    safe"), or after another voice's words in a clause of their own ("One
    site says X; Aer Lingus says ...", "Reports said X, but the club said
    ...").  The speaker then holds their clause only, not the sentence."""
    return ";" in before_speaker or _EARLIER_VOICE.search(before_speaker) is not None


_HIS_ROLE = re.compile(rf"(?:[Hh]is|[Hh]er)\s+(?:[a-z][\w-]*\s+){{0,2}}?{_THEIR_PEOPLE}")


def _theirs(role: str, before: str, clause: str, depth: int) -> str:
    """Whose "his publicist" or "her lawyer" is: the person the pronoun
    stands for ("Desmond Kale's publicist"), never the person themself;
    `_UNRESOLVED` when the pronoun names no one.  `clause` is the
    sentence before the role: a person it names ("Kale is alive, his
    publicist said"); when it names only someone unnamed ("The man, who
    asked not to be named, lives nearby, his attorney said"), no one."""
    pronoun = "he" if role[:3].lower() == "his" else "she"
    if re.search(r"\w", clause) and not re.match(
        r"\W*(?:(?:But|And|Yet)\s+)?(?:He|She)\b", clause
    ):
        person = _person_in(clause, before, pronoun, depth + 1)
        called = re.match(r"\W*(?:(?:But|And|Yet)\s+)?[Tt]he\s+([a-z]+)\b", clause)
        if not person and called:
            person = _called(called[1], before)  # "The actor is fine, his publicist said"
    else:
        person = _antecedent(pronoun, before + clause, depth)
    if not person:
        return _UNRESOLVED
    person = _full_name(person, before + clause)  # "Mr Kale": "Desmond Kale"
    return f"{_whose(person)} {role.split(None, 1)[1]}"


def _whose(person: str) -> str:
    """ "Desmond Kale's", "Chris Evans'"."""
    return f"{person}'" if person.endswith("s") else f"{person}'s"


#: "the actor's publicist": see `_called`.
_THE_ONES_ROLE = re.compile(
    rf"[Tt]he\s+(?P<noun>[a-z]+)[’']s\s+(?P<role>(?:[a-z][\w-]*\s+){{0,2}}?{_THEIR_PEOPLE})"
)


def _called(noun: str, text: str) -> str | None:
    """The person `text` last names just after calling them `noun`: "the
    actor" is the "British actor Desmond Kale" above; None for no one."""
    found = None
    for match in re.finditer(rf"\b(?i:{re.escape(noun)})[ \t]+(?=[A-Z])", text):
        run = _CAPITALISED.match(text, match.end())
        name = _person_named(text, run) if run else None
        found = name or found
    return found


def _full_name(who: str, text: str) -> str:
    """A person speaker as the text names them in full, so that one person
    is one voice: "Vega" is the "Marisol Vega" named above, "Professor
    Raj Menon of Leeds University" is "Professor Raj Menon", "Analyst
    Meredith Kwan" is "Meredith Kwan".  Anyone else is left as named."""
    head = who.split(" of ", 1)[0]
    if head != who and _as_person(head):
        who = head
    words = who.split()
    titles = words[:-1]
    if len(titles) <= 1 and all(w.lower() in _TITLES for w in titles):
        # "Menon", "Professor Menon", "Ms Cowley": a person of that name
        # with a first name and a title that fits: the nearest above, or
        # else the one the text introduced first (a news report names a
        # person in full once, then by surname)
        found = [
            (at, name)
            for at, name in _named(words[-1], text)
            if not titles or _fits(titles[0], name)
        ]
        near = [name for at, name in found if at >= len(text) - NEAR]
        if found:
            words = (near[-1] if near else found[0][1]).split()
    return " ".join(_without_descriptions(words))


def _fits(title: str, name: str) -> bool:
    """Whether a title ("Ms") fits a person named in full ("Mr John Cowley" not)."""
    title = title.lower()
    return _agrees(name, "he" if title in _HE else "she") if title in _HE | _SHE else True


def _named(surname: str, text: str) -> Iterator[tuple[int, str]]:
    """The people `text` names with a first name and `surname`, in order,
    each with where: read only where the surname is, so that a long text
    costs little."""
    if not _NAME_WORD.fullmatch(surname):
        return
    for found in re.finditer(rf"(?<![\w’'-]){re.escape(surname)}(?![\w-])", text):
        start = max(0, found.start() - 120)
        # Up to a full stop after the surname: "Lucía Ferrer. Translated by".
        end = found.end() + (1 if text.startswith(".", found.end()) else 3)
        window = text[start:end]
        for match in _CAPITALISED.finditer(window):
            if match.start() <= found.start() - start < match.end():
                name = _person_named(window, match)
                words = name.split() if name else []
                while len(words) > 2 and words[0].endswith(("’s", "'s")):
                    words = words[1:]  # "Comcast’s Jason Livingood"
                if words and words[-1] == surname and len(
                    [w for w in words if w.lower() not in _TITLES]
                ) > 1:
                    yield start + match.start(), " ".join(words)
                break


#: Endings of words describing a person before their name ("Arachnologist",
#: "Screenwriter", "Australian").
_DESCRIBING = re.compile(r"(?:ist|writer|maker|ian|ese|ish)$")


def _without_descriptions(words: list[str]) -> list[str]:
    """A person's name without what describes them before it: "Arachnologist
    Dr Volker Framenau" is "Dr Volker Framenau", "Australian Dylan Thomas"
    "Dylan Thomas" ("Christian Bale" stays whole)."""
    titled = [i for i, word in enumerate(words) if i and word.lower() in _TITLES]
    if titled and 2 <= len(words) - titled[0] <= 4:
        start = titled[0]
        while start and words[start - 1].lower() in _TITLE_WORDS:
            start -= 1  # "Rear Admiral John Kirby"
        words = words[start:]
    while len(words) > 2 and (
        words[0].lower() in _JOBS or _DESCRIBING.search(words[0].lower())
    ):
        words = words[1:]
    return words


def _as_person(phrase: str) -> str | None:
    match = _CAPITALISED.fullmatch(phrase)
    return _person_named(phrase, match) if match else None


#: Jobs written before a name that are no part of it ("Economist Paul Ridder"),
#: but what the person is credited as (`_described`).
_JOBS = frozenset(
    """analyst economist publicist spokesman spokeswoman spokesperson actor actress author
    historian researcher scientist epidemiologist neurologist physician journalist reporter
    columnist owner resident singer rapper lawyer blogger teacher farmer consultant adviser
    advisor aide expert student""".split()
)
#: Words before a job that say more of it ("local historian", "former aide").
_JOB_MODIFIERS = frozenset(
    """local senior former chief lead independent longtime veteran retired industry state city
    county federal""".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_MONTHS_AND_DAYS = _MONTHS | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def _described(name: str, text: str) -> str:
    """A person credited with what the text first calls them just before
    or after their name: "Economist Paul Ridder" is "Paul Ridder,
    economist", and so is "Ridder" anywhere in the text (one person, one
    voice); "Vantrell spokesman Philip Osei" is "Philip Osei, Vantrell
    spokesman", "Marisol Vega, a spokeswoman for Mayor Tom Pruitt, said"
    "Marisol Vega, spokeswoman for Mayor Tom Pruitt"."""
    for found in re.finditer(rf"(?<![\w’'-]){re.escape(name)}(?![\w’'-])", text):
        before = text[max(0, found.start() - 80) : found.start()]
        job = _job(before.rsplit("\n", 1)[-1].split(), text) if before.endswith(" ") else None
        apposed = _APPOSED.match(text, found.end())
        if job or apposed:
            return f"{name}, {job or apposed['job']}"
    return name


#: Jobs that are titles before a name ("Director Ann Lee") but said after it.
_TITLED_JOBS = frozenset(
    """agent attorney president vice-president director head chair chairman chairwoman
    chairperson founder co-founder editor leader secretary minister member manager partner
    coordinator professor officer executive official representative specialist dean""".split()
)
#: What a person is, in the clause set after their name: ", a spokeswoman for
#: Mayor Tom Pruitt,", ", a neurologist at St Anselm's Hospital who ...",
#: ", the study's lead author,".
_APPOSED = re.compile(
    r",[ \t]+(?:an?[ \t]+)?(?P<job>(?:the[ \t]+)?"
    r"(?:(?!(?:who|whose|which|that|is|was|were|has|had|and|but|said|says)\b)"
    r"[\w’'&.-]+[ \t]+){0,4}?"
    rf"(?:{'|'.join(sorted(_JOBS | _TITLED_JOBS, key=len, reverse=True))}"
    r"|[a-z]+ist|[a-z]+ian|CEO|chief executive)\b"
    r"(?:[ \t]+(?:of|for|at|in|with|to)[ \t]+[^,;:()\"“”\n]{1,60}?)?)"
    r"(?=[ \t]*[,;:)]|(?<![ \t][A-Z])\.|[ \t]+(?:who|which|that|and|said|says|told)\b)"
)


def _job(words: list[str], text: str) -> str | None:
    """The job the words just before a name give ("... said Vantrell
    spokesman"), with the words saying more of it ("Banksy's publicist");
    None for none.  `text` shows whether a word opening a sentence
    ("Government spokeswoman") is a common word."""
    if not words or not _is_job(words[-1]):
        return None
    start = len(words) - 1
    while start and len(words) - start < 4:
        word = words[start - 1]
        lower = word.lower()
        if lower in _JOB_MODIFIERS or re.fullmatch(r"[A-Za-z]+-[a-z]+", word):
            start -= 1
        elif re.fullmatch(r"[A-Z][\w&.-]*[’']s", word):
            start -= 1  # "Iraq’s Interior Ministry spokesman"
            break
        elif (
            re.fullmatch(r"[A-Z][\w&.-]*", word)
            and lower not in _SENTENCE_WORDS | _PREPOSITIONS | _MONTHS_AND_DAYS | _TITLES
        ):
            start -= 1
        else:
            break
    if start and re.fullmatch(r"[A-Z][\w&.-]*", words[start - 1]) and start < len(words) - 1:
        if words[start - 1].lower() not in _SENTENCE_WORDS | _PREPOSITIONS:
            start = len(words) - 1  # a longer name before it: "Wright State University"
    described = words[start:]
    first = described[0].lower()
    opens = not start or re.search(r"[.!?:;”\"]$", words[start - 1])
    if len(described) > 1 and (
        first in _JOB_MODIFIERS
        or "-" in first
        or (opens and re.search(rf"(?<![\w’'-]){re.escape(first)}(?![\w’'-])", text))
    ):
        described[0] = first  # "Local historian", "Government spokeswoman" opening a sentence
    return " ".join([*described[:-1], described[-1].lower()])


def _is_job(word: str) -> bool:
    lower = word.lower()
    return lower in _JOBS or (
        re.fullmatch(r"[a-z]+(?:ist|ian)", word) is not None
        or re.fullmatch(r"[A-Z][a-z]+ist", word) is not None
    )


def _source_phrase(phrase: str) -> str:
    """What "according to" names, without the clause describing it ("a post
    on social media that has been shared ..." is "a post on social media"),
    or "" for no source: a clause that runs on, or evidence cited ("a review
    of more than 100,000 participants", "industry data")."""
    phrase = re.split(r"\s+(?:who|that|which|whose)\s", phrase, maxsplit=1)[0]
    words = phrase.split()
    head = re.split(r"\s+(?:of|from|by|in|on|at|for|with|done|published)\s", phrase, maxsplit=1)[0]
    evidence = any(w.lower() in _EVIDENCE for w in head.split())
    if len(words) > 10 or _FINITE.search(phrase) or evidence:
        return ""  # a clause, not a name ("InSerba News Network girls are seeking ...")
    return phrase


_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|said|says)\b"
)
#: What a source cites as evidence, not a speaker: "Studies have found",
#: "according to a review of ...", "research shows", "according to schedule
#: filings reviewed by ...".
_EVIDENCE = frozenset(
    """research evidence data study studies trial trials analysis analyses findings results review
    reviews survey surveys statistics figures search filing filings record records document
    documents paperwork minutes poll polls numbers estimates tests measurements schedule schedules
    listings bookings register registry logs accounts returns""".split()
)


def _masked(sentence: str, before: str) -> str:
    """The sentence with the words inside its quotations blanked out (the
    marks kept), reading one already open from its paragraph: quoted words
    are the speaker's, never a speaker's tag."""
    paragraph = before[before.rfind("\n") + 1 :]
    inside = _open_quotation(paragraph) is not None
    chars = list(sentence)
    for i, char in enumerate(sentence):
        if not inside:
            inside = char in _OPENING
        elif char in _CLOSING:
            inside = False
        elif char != "\n":
            chars[i] = " "
    return "".join(chars)


#: Quotation marks; a straight one opens or closes, and a curly quotation
#: may close with a straight mark ("“...," said Rogers) or the other way round.
_OPENING = "“\""
_CLOSING = "”\""


def _open_quotation(paragraph: str) -> int | None:
    """Where the quotation still open at the end of `paragraph` opens."""
    opened = None
    for i, char in enumerate(paragraph):
        if opened is None:
            if char in _OPENING:
                opened = i
        elif char in _CLOSING:
            opened = None
    return opened


def _governed(text: str, start: int) -> bool:
    """Whether the name at `start` is the object of a preposition just
    before it ("in the canton of Valais", "in the journal Pediatric
    Pulmonology"), so not the subject of the verb after it (unlike "the
    director of communications Christy Feig told")."""
    line = text[max(0, start - 60) : start].rsplit("\n", 1)[-1]
    for word in reversed(re.findall(r"[\w’'-]+|[^\w\s]", line)[-3:]):
        if word in _PREPOSITIONS:
            return True
        if word not in _BEFORE_A_NAME:
            return False
    return False


_PREPOSITIONS = frozenset(
    "of in at on from near into onto across outside inside around by with within about".split()
)
#: Words between a preposition and the name it governs: "in the journal X".
_BEFORE_A_NAME = frozenset(
    """the a an journal newspaper magazine website site blog paper city town village state country
    province canton region county district""".split()
)


def _quotation_opened_by(context_before: str, depth: int) -> str | None:
    """Who speaks in a quotation the sentence continues: in `The baclofen
    website says, “If not treated, ... withdrawal. Symptoms of advanced
    withdrawal are ...”` the second sentence is still the website's.  The
    quotation must open in the sentence's own paragraph, after a lead-in in
    its own sentence ("X says, “"), and not have closed."""
    start = context_before.rfind("\n") + 1
    paragraph = context_before[start:]
    opened = _open_quotation(paragraph)
    if opened is None:
        return None
    spans = sentence_spans(paragraph, 0, opened)
    if not spans:
        return None
    lead = paragraph[spans[-1][0] : opened].rstrip()
    if not lead.endswith((",", ":")) and not re.search(rf"\b{_SPEECH}$", lead):
        return None  # the quotation opens a sentence of its own
    return _speaker_in(lead, context_before[: start + spans[-1][0]], depth)


def _quotation_closed_by(sentence: str, context_before: str, context_after: str) -> str | None:
    """Who speaks in a quotation still open after the sentence, read from
    its tag in the sentence that closes it: each sentence of `"There is no
    ban. The council never voted on it," Vega said.` is Vega's."""
    start = context_before.rfind("\n") + 1
    opened = _open_quotation(context_before[start:] + sentence)
    if opened is None:
        return None
    rest = context_after[:NEAR].split("\n", 1)[0]
    closing = next((i for i, char in enumerate(rest) if char in _CLOSING), -1)
    if closing < 0:
        return None
    for a, b in sentence_spans(rest):
        if a <= closing < b:
            return _speaker_in(rest[a:b], context_before + sentence + rest[:a], 0)
    return None


def _quotation_continued(sentence: str, context_before: str) -> str | None:
    """Who speaks in a quotation with no tag of its own that follows, in
    the same paragraph, a sentence quoting someone: in `"...," he said. "I
    have seen a handful of patients ..."` the second quotation is his too;
    so is it after a sentence that reports a person's words ("Councillor
    Lindqvist stated that residents had written to her. "This amendment
    means ...")."""
    start = context_before.rfind("\n") + 1
    paragraph = context_before[start:]
    opened = _open_quotation(paragraph)
    if opened is None:
        if not sentence.lstrip().startswith(("“", '"')):
            return None
        opened = len(paragraph)
    spans = sentence_spans(paragraph, 0, opened)
    if not spans:
        return None
    a, b = spans[-1]
    previous = paragraph[a:b]
    if not re.search(r"[.!?][”\"]?$", previous):
        return None  # the quotation opens mid-sentence
    speaker = _speaker_in(previous, context_before[: start + a], 0)
    if re.search(r"[”\"]", previous) or (speaker and _as_person(speaker)):
        return speaker
    return None  # it follows no quotation, nor a person's reported words


def _antecedent(pronoun: str, before: str, depth: int) -> str:
    """The person "he"/"she" stands for: the speaker, or else the person
    named, of the nearest sentence before it that names one, in its
    paragraph or, when that names no one, the paragraph before; "they"
    only a speaker in its own paragraph.  `_UNRESOLVED` when there is none."""
    if depth >= _ANTECEDENT_DEPTH:
        return _UNRESOLVED
    breaks = [m.end() for m in re.finditer(r"\n[ \t]*\n", before)]
    starts = [breaks[-1] if breaks else 0]
    if pronoun != "they" and breaks:
        previous = before[breaks[-2] if len(breaks) > 1 else 0 : breaks[-1]]
        # a paragraph of sentences, not a heading or a byline
        if re.search(r"[.!?][”\"]?\s*$", previous):
            starts.append(breaks[-2] if len(breaks) > 1 else 0)
    end = len(before)
    for start in starts:
        for a, b in list(reversed(sentence_spans(before, start, end)))[:_ANTECEDENT_SENTENCES]:
            found = _person_in(before[a:b], before[:a], pronoun, depth + 1)
            if found is not None:
                return found  # a person, or `_UNRESOLVED` after a pronoun naming no one
        end = start
    return _UNRESOLVED


def _person_in(sentence: str, before: str, pronoun: str, depth: int) -> str | None:
    """The person the sentence offers a pronoun after it: its speaker, else
    the first person it names; `_UNRESOLVED` when its own speaker is a
    pronoun naming no one (the one after it is likely the same unknown)."""
    speaker = _speaker_in(sentence, before, depth)
    if speaker == _UNRESOLVED:
        return _UNRESOLVED
    if speaker and (pronoun == "they" or (_is_person(speaker) and _agrees(speaker, pronoun))):
        return speaker
    if pronoun == "they":
        return None
    masked = _masked(sentence, before)
    if re.match(r"\W*(?:(?:But|And|Yet)\s+)?(?:He|She)\b", masked):
        return None  # "She met Bob Roe.": still the person before, not Bob Roe
    # The names in what a body or a group says are not who speaks next
    # ("Officials said they were unsure if Ahmed Godane died").
    said_from = masked.find(speaker.split()[-1]) if speaker else -1
    for match in _CAPITALISED.finditer(masked):
        if 0 <= said_from <= match.start():
            break
        name = _person_named(masked, match)
        if name is None and _NAME_WORD.fullmatch(match.group().rstrip(".")):
            # "Rosenberg, formerly a resident of Tel Aviv, ...": a person named in full above
            full = _full_name(match.group().rstrip("."), before)
            name = full if " " in full else None
        if name and _agrees(name, pronoun):
            return name  # the first, most often the subject: "he" goes on about them
    return None


_CAPITALISED = re.compile(rf"(?<![\w’'-])[{UPPER}][\w’'.-]*(?:[ \t]+[{UPPER}][\w’'.-]*)*")
_TITLES = frozenset(
    """dr dr. doctor prof prof. professor mr mr. mrs mrs. ms ms. mx sir dame lord lady rev rev.
    mayor councilman councilwoman councillor senator sen. governor gov. rep. judge justice
    chief father sister nurse col col. colonel gen. lt lt. maj maj. capt capt. captain sgt sgt.
    sergeant cmdr adm adm. admiral""".split()
)
#: Words that make a title longer ("Rear Admiral", "Attorney General").
_TITLE_WORDS = frozenset(
    """attorney rear vice deputy lieutenant assistant acting senior surgeon solicitor inspector
    foreign home prime state general""".split()
)
_HE = frozenset("mr mr. sir lord father councilman".split())
_SHE = frozenset("mrs mrs. ms ms. miss dame lady sister councilwoman".split())
#: Words that make a capitalised phrase a place, a body or a thing, not a person.
_NOT_PEOPLE = frozenset(
    """university college school hospital clinic centre center institute foundation trust fund
    administration agency authority association society council commission committee department
    ministry office bureau board service services police court congress senate parliament
    government company corporation corp inc inc. ltd llc group holdings motors bank securities
    capital partners pictures studios media news times post press reporter journal gazette daily
    weekly online network channel radio magazine review church union local party assembly plant
    street road avenue lane square park valley alps mountains river lake bay beach island islands
    city county state states province canton region district kingdom republic north south east west
    new los las san santa fort mount port health medical medicine food drug disease research
    science sciences laboratory harbour harbor hall house airport station forum facebook instagram
    tiktok twitter youtube reuters bloomberg bbc constabulary army navy force forces military
    command guard corps
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina
    dakota ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont virginia washington
    wisconsin wyoming america britain england scotland wales ireland france germany spain italy
    russia china japan korea india canada australia syria iraq iran israel egypt nigeria
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december""".split()
)
#: Capitalised words that start a sentence but no name ("The", "After").
_SENTENCE_WORDS = frozenset(
    """the a an but and yet so or if when after before while in on at by for from with of to as
    this that these those some many most not no our his her their its my we they he she it i
    every each both one two three four however meanwhile also still then there here
    did does do is are was were has have had can could will would should may might must
    like unlike although though because since until what who why how where which whether
    several""".split()
)


#: One word of a person's name: "Feld", "O'Hara", "McDonald", "J."
_NAME_WORD = re.compile(
    rf"[{UPPER}](?:[{LOWER}]+(?:[’'-][{UPPER}]?[{LOWER}]+)*|[{LOWER}]*[{UPPER}][{LOWER}]+|\.)"
)


def _person_named(text: str, match: re.Match) -> str | None:
    """The person a run of capitalised words names ("Dr. Martin Feld",
    "Carol Jenkins"), or None for a place, a body, a byline or one word."""
    words = match.group().split()
    if words[0].lower() in _SENTENCE_WORDS:
        if words[0].lower() in _PREPOSITIONS:
            return None  # "By Hannah Ortiz": a byline; "From Leeds"
        words = words[1:]
    if words and words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]  # "Josh Paler Lin’s business": Josh Paler Lin
    if words and len(words[-1]) > 2 and words[-1].lower() not in _TITLES:
        words[-1] = words[-1].rstrip(".")  # "... Dr. Taher El-badawi."
    if _governed(text, match.start()):
        return None
    words = _without_descriptions(words)  # "California Rep. Duncan Hunter"
    titled = bool(words) and words[0].lower() in _TITLES
    named = [w for w in words if w.lower() not in _TITLES]
    if not named or len(named) + titled < 2 or len(named) > 4:
        return None
    if all(w.lower() in _OFFICE_WORDS for w in named):
        return None  # "Chief Commercial Officer at Aer Lingus said": a title, no name
    # A title makes a surname that also names a place a person's: "Dr. Helen Park".
    placed = named[:-1] if titled else named
    if any(w.lower().strip(".") in _NOT_PEOPLE for w in placed):
        return None
    if any(w.isupper() and len(w) > 1 for w in named):
        return None
    if not all(_NAME_WORD.fullmatch(w) for w in named):
        return None
    return " ".join(_without_descriptions(words))


#: The words of a job's title written in capitals ("Chief Commercial Officer").
_OFFICE_WORDS = frozenset(
    """chief executive officer commercial financial operating technology technical marketing
    communications information medical scientific director president vice chairman chairwoman
    chair head general manager managing secretary senior principal deputy assistant associate
    lead editor founder partner counsel spokesperson spokesman spokeswoman""".split()
)


_PERSON_ROLE = re.compile(
    r"spokes\w+|publicist|agent|lawyer|attorney|aide|analyst|head|chief|president|director|leader"
    r"|manager|executive|official|representative|scientist|researcher|expert|minister|secretary"
    r"|chairman|chairwoman"
)


def is_person(name: str) -> bool:
    """Whether a speaker is a person ("Feld", "a Netflix spokeswoman"), not
    a body ("the company", "The British Heart Foundation", "the FDA")."""
    return _is_person(name)


def _is_person(name: str) -> bool:
    """`is_person`."""
    words = re.split(r"\s+(?:of|for|at|in|from)\s", name, maxsplit=1)[0].split()
    last = words[-1].lower()
    if words[0].lower() in _COUNTED or last in _GROUPS:
        return False  # "Two Australians", "Officials"
    if words[0].lower() in ("the", "a", "an") or last in ("office", "team"):
        return _PERSON_ROLE.fullmatch(last) is not None
    if any(w.isupper() and len(w) > 1 for w in words):
        return False
    return not any(re.sub(r"[’']s$", "", w).strip(".").lower() in _NOT_PEOPLE for w in words)


_COUNTED = frozenset("two three four five six several many some both".split())
_GROUPS = frozenset(
    """officials sources police authorities investigators prosecutors regulators insiders experts
    researchers doctors physicians scientists analysts people residents activists""".split()
)


def _agrees(name: str, pronoun: str) -> bool:
    """Whether a title leaves the pronoun able to stand for the name."""
    title = name.split()[0].lower()
    return not ((pronoun == "he" and title in _SHE) or (pronoun == "she" and title in _HE))


def _common(word: str, shouted: bool) -> str:
    """The word as the common word it may be: lower-cased, unless it is an
    acronym ("WHO") in text that is not all capitals."""
    return word if len(word) > 1 and word.isupper() and not shouted else word.lower()


def _shouted(text: str) -> bool:
    """Whether the text is written in capitals throughout, where "WHO" may
    be the pronoun rather than the World Health Organization."""
    return not any(char.islower() for char in text)


def _clean_name(raw: str, shouted: bool = True) -> str | None:
    """The speaker's name as the sentence gives it, without the words around
    it that are no part of it; None for a word that names no one ("It",
    "Reports").  A word in capitals ("WHO", "THIS") is an acronym, not such
    a word, unless the text around it is all in capitals (`shouted`)."""
    words = raw.strip(" ,.;:").split()
    while words and words[-1].lower() in ("of", "for", "and", "the", "de"):
        words.pop()
    while len(words) > 1 and words[0] in ("But", "And", "Yet", "So", "However", "Meanwhile"):
        words.pop(0)
    name = " ".join(words)
    if not name or _common(name, shouted) in _NOT_A_SOURCE | _EVIDENCE:
        return None
    if words[-1].endswith(("’s", "'s", "’", "'")):
        return None  # "Editor's note", "Editors' note": a possessive is no speaker
    if any(re.search(r"\w[’'](?:d|ll|re|ve|m)$", word, re.I) for word in words):
        return None  # "So I'd say": a contraction is no name
    first = words[0].lower()
    nameless = _NOT_A_SOURCE | _EVIDENCE
    if first == "the" and len(words) == 2 and _common(words[1], shouted) in nameless:
        return None  # "the baclofen", but "the baclofen website" is a source
    if len(words) == 1 and words[0][0].isupper() and words[0].lower() in (
        "because", "although", "while", "despite", "unlike", "if", "when", "as", "and", "but"
    ):
        return None
    return name
