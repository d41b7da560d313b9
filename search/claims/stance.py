"""How a text stands on a topic: it affirms it, denies it, or takes no side.

One reading, shared by `audit`, `ask` and the SciFact `verify`:

* `Topic`: a topic's content words, weighted by how rare they are in general
  English prose (a background table shipped with the model), whether it is
  worded as a denial ("... is a hoax", "X does not cause Y"), and the
  directions it states ("increases", "better").
* `read(topic, sentence)` counts cue families in a sentence: refuting and
  debunking words ("hoax", "false", "debunked"), denials ("denied"), "no
  evidence"-like phrases, a negation that reaches the topic's words, a
  negative prefix on one of them ("non-addictive"), a direction opposite to the
  topic's, confirmations, hedges, rumour and report words, and how much of the
  topic the sentence repeats.  Each cue keeps its offsets, so the words that
  decided a stance can be shown.
* `StanceModel` weighs those counts with a logistic regression learned from
  labelled data (`benchmarks/train_stance.py`: FNC-1 news articles for and
  against rumours, SciFact claims), not by hand.  A document's position is
  read from all its sentences, the first ones (a news article's lede) and the
  ones closest to the topic counting most; a sentence's stance is the same
  model applied to that sentence alone.

The model predicts whether a text affirms the topic's *positive* form; for a
topic worded as a denial the answer is turned round, so "the story is a hoax"
affirms "The story is a hoax" and denies "The story is true".
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer import STOP_WORDS, sentence_spans, stem

from .language import NUMBER_WORDS, direction

AFFIRMS = "affirms"
DENIES = "denies"
NEUTRAL = "neutral"

MODEL_FILE = Path(__file__).with_name("stance_model.json")

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")

NEGATORS = frozenset(
    "not no never none nobody nothing neither nor without cannot nowhere impossible".split()
)
#: Words after a negator that make it no negation: "not only", "no doubt".
PSEUDO_NEGATION = frozenset("only just doubt".split())
#: Words that end a negation's reach.
TERMINATORS = frozenset(
    "but however although though yet except whereas while which who because whether".split()
)
#: Words after a negator that it reaches.
NEGATION_REACH = 6
#: A finding's nouns: "no" before one opens a null finding, which reaches
#: what it was found for ("No effect was found for previous use of
#: macrolides"), up to `FINDING_REACH` words, in its clause.
FINDING_NOUNS = frozenset(
    """effect effects association associations difference differences relationship
    correlation link benefit benefits change changes impact improvement increase reduction
    decrease influence role""".split()
)
FINDING_REACH = 12
#: Words between "no" and a finding's noun: "no significant difference".
_FINDING_QUALIFIERS = frozenset(
    "significant statistically clear consistent apparent measurable detectable overall".split()
)
#: Words either side of a topic word (or a word referring to it) that a cue is "near".
NEAR = 6

#: Cue families: the words a source uses to take a side, grouped by what they do.
CUE_WORDS = {
    # the source calls the claim untrue
    "refute": """fake fakes faked hoax hoaxes bogus fabricated fabrication fabricate fictional
        fiction satire satirical spoof parody prank pranks doctored photoshopped manipulated staged
        forged forgery scam false falsely untrue incorrect inaccurate baseless groundless myth myths
        misinformation disinformation erroneous unfounded nonsense lie lies lied debunk debunked
        debunks debunking refute refuted refutes refuting disproved disprove disproves dispelled
        discredited misleading""",
    # someone with standing says no
    "deny": """deny denies denied denial denials denying dismiss dismissed dismisses rejected
        rejects reject disputed disputes dispute contradicted contradicts retracted retraction
        retract disagree disagrees disagreed disagreeing""",
    "doubt": """doubt doubts skeptical sceptical skeptic skeptics sceptic questioned questioning
        whether suspicious""",
    # the source finds the claim improbable
    "improbable": """doubtful dubious questionable unproven unsubstantiated implausible unlikely
        improbable""",
    "confirm": """confirm confirms confirmed confirming confirmation verified verifies verify proven
        proved proves true truly indeed officially official announced announces announcement
        revealed reveals admitted admits acknowledged acknowledges genuine authentic real""",
    "hedge": """may might could possibly perhaps apparently seemingly likely probably potentially
        appears seems suggest suggests suggested""",
    "rumour": """allegedly reportedly supposedly purportedly rumored rumoured rumor rumour rumors
        rumours speculation speculated alleged alleges allegation allegations claim claims claimed
        claiming viral circulating unverified unconfirmed""",
    "report": """said says say told according reported reports stated states wrote writes tweeted
        posted""",
    "ineffective": "ineffective fails failed fail failure unable insignificant",
}
CUE_OF = {word: family for family, words in CUE_WORDS.items() for word in words.split()}
#: Families whose words, in a topic, word it as a denial.
DENYING_FAMILIES = ("refute", "deny")

#: A confirmation denied: "could not confirm", "has not been independently
#: verified", "unable to corroborate".
_NOT_CONFIRMED = (
    r"(?:\bnot|\bcannot|n['’]t|\bnever|\bunable to|\bfailed to) (?:\w+ ){0,2}?"
    r"(?:confirm(?:s|ed)?|verif(?:y|ies|ied)|prov(?:e|es|ed|en)|substantiat(?:e|es|ed)"
    r"|corroborat(?:e|es|ed))\b"
)

#: "admitted to hospital", "admitted to the ward": taken in, not confessing
#: ("admitted to lying", "admitted that").
_ADMITS = frozenset("admit admits admitted".split())
_ADMITTED_TO = re.compile(r" to (?!\w+ing\b)", re.I)

#: Cue families that take more than a word: (family, pattern).
CUE_PHRASES = (
    (
        "no_evidence",
        re.compile(
            r"\bno (?:\w+ ){0,2}"
            r"(?:evidence|proof|sign|indication|record|basis|truth|confirmation)\b"
            r"|\bnot (?:been )?supported\b"
            r"|(?:\bnot|n['’]t|\bnever) (?:yet )?(?:been )?"
            r"(?:shown|proven|proved|demonstrated) to\b"
            r"|(?:\bnot|n['’]t) (?:\w+ )?back(?:s|ed)? up\b"
            r"|\bno longer (?:show|shows|showed|find|finds|support|supports)\b"
            r"|(?:\bnot|n['’]t) (?:\w+ )?support (?:for |to )?(?:the |a |an |this |these |that )?"
            r"(?:use|claim|hypothesis|idea|notion|view|theory|conclusion|role|link|association)\b"
            rf"|{_NOT_CONFIRMED}"
            r"|\bno (?:\w+ )?"
            r"(?:link|association|relationship|correlation|effect|difference|benefit|impact)\b"
            r"|\bnot (?:\w+ )?(?:associated|linked|related|correlated|significant|significantly)\b"
            r"|\b(?:similar|comparable) (?:in|between|among|across)\b"
            # "were no more likely to develop influenza than": the same rate
            r"|(?:\bno|\bnot|n['’]t) (?:any )?(?:more|higher|greater)"
            r" (?:likely|often|common|frequent|risk|rate|rates|incidence)\b"
            r"|(?:\bnot|n['’]t) (?:\w+ )?(?:differ|different)\b"
            r"|\bnothing to (?:do|suggest|indicate)\b"
            r"|\b(?:lack(?:s|ed|ing)?|absence|insufficient|inadequate|little|scant) (?:of )?"
            r"(?:\w+ )?(?:evidence|proof|data|support)\b"
            r"|\b(?:evidence|proof|data|support) (?:\w+ ){0,12}?"
            r"(?:is|was|are|were|remains?|remained) "
            r"(?:lacking|absent|insufficient|inconclusive|scarce|weak)\b",
            re.I,
        ),
    ),
    (
        "not_true",
        re.compile(
            r"(?:\bnot|\bcannot|n['’]t|\bnever) (?:\w+ )?"
            r"(?:true|real|accurate|correct|genuine|authentic|official|happen\w*)\b"
            r"|\bturn(?:s|ed)? out to (?:be|have)\b|\bin fact\b|\bactually\b"
            # "ESPN has confirmed that no such panel will take place"
            r"|\bno such\b",
            re.I,
        ),
    ),
    (
        "refute",
        re.compile(
            # "That was wrong.", "reports ... proved wrong", "wide of the mark"
            r"\b(?:is|are|was|were|been|proved|proven|turned out)\s+(?:\w+\s+)?wrong\b"
            r"|\b(?:wide of|off) the mark\b|\b(?:without|no|lacks?)\s+(?:any\s+)?foundation\b"
            r"|\bfar from (?:the )?truth\b|\bmisreport\w*|\bmisattribut\w*|\bmistaken(?:ly)?\b"
            r"|\bin error(?![\w-])",  # not "error-free"
            re.I,
        ),
    ),
    (
        "deny",
        re.compile(
            r"\b(?:shoots?|shot|shooting) down\b|\brul(?:e|es|ed|ing) out\b"
            r"|\bplay(?:s|ed|ing)? down\b"
            r"|\bpour(?:s|ed|ing)? cold water\b|\bknock(?:s|ed|ing)? down\b"
            r"|(?:\bnot|n['’]t) (?:\w+ )?agree\b",
            re.I,
        ),
    ),
    (
        "doubt",
        re.compile(
            r"\bcast(?:s|ing)? doubts?\b|\braised? doubts?\b|\bcalled into question\b"
            # "the evidence is honestly mixed", "conflicting results"
            r"|\b(?:evidence|results|findings|data|studies|research) (?:\w+ ){0,3}?"
            r"(?:is|are|was|were|remains?|remained) (?:\w+ )?"
            r"(?:mixed|inconclusive|conflicting|contradictory|equivocal|unclear)\b"
            r"|\b(?:mixed|inconclusive|conflicting|contradictory|equivocal) "
            r"(?:evidence|results|findings|data)\b",
            re.I,
        ),
    ),
)
#: A topic's main verb that denies the verb after it ("Vitamin D fails to
#: prevent fractures"), not a clause on a noun ("the drug that failed to").
_FAILS_TO = re.compile(r"(?<!\bthat )(?<!\bwhich )(?<!\bwho )\b(?:fails?|failed) to\b", re.I)
#: Nouns and pronouns by which a text refers to the claim it discusses
#: ("the story is a hoax", "it is not true").
REFERENCES = frozenset(
    """story stories report reports claim claims rumour rumor rumours rumors news article articles
    photo photos picture pictures image images video videos footage tweet tweets post posts headline
    headlines account accounts it this that""".split()
)
#: A topic framed as a denial of the claim that follows ("It is a myth that
#: X", as `claims.words.claim_asked` words "Is it a myth that X?").
UNTRUE = r"false|untrue|not true|a myth|a hoax|fake|a lie|fiction|debunked|a fabrication"
_UNTRUE_FRAME = re.compile(rf"^\s*it is (?:{UNTRUE})\s+that\s+", re.I)
NEGATIVE_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis", "anti")
NEGATIVE_SUFFIXES = ("free", "less")
#: Punctuation that ends a clause, and a negation's reach with it.
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]")
#: Where a clause ends for the direction of a finding (a comma does not).
_CLAUSE_END = re.compile(r"[;:()\u2013\u2014]")
_NEGATIVE_SUFFIX = re.compile(r"-(?:free|less)\b", re.I)

#: How relevant a sentence holding an aspect's own words is, at least.
_SPAN_RELEVANCE = 0.5

#: The families that count against the topic's positive form (for emphasis and for `clean`).
AGAINST = frozenset(
    (
        "refute",
        "deny",
        "doubt",
        "improbable",
        "no_evidence",
        "not_true",
        "negation",
        "opposite_direction",
    )
)


#: Irregular forms of common verbs, each to its base, so that "gave" is
#: "give" and "led" is "lead" as "caused" is "cause".
_IRREGULAR = {
    form: base
    for base, forms in (
        ("give", "gave given"), ("lead", "led"), ("make", "made"), ("take", "took taken"),
        ("bring", "brought"), ("become", "became"), ("begin", "began begun"),
        ("break", "broke broken"), ("come", "came"), ("do", "did done"), ("eat", "ate eaten"),
        ("fall", "fell fallen"), ("feel", "felt"), ("find", "found"), ("get", "got gotten"),
        ("grow", "grew grown"), ("hold", "held"), ("keep", "kept"), ("know", "knew known"),
        ("leave", "left"), ("lose", "lost"), ("meet", "met"), ("pay", "paid"), ("run", "ran"),
        ("say", "said"), ("see", "saw seen"), ("sell", "sold"), ("send", "sent"),
        ("show", "shown"), ("speak", "spoke spoken"), ("spend", "spent"), ("stand", "stood"),
        ("strike", "struck stricken"), ("teach", "taught"), ("think", "thought"),
        ("tell", "told"), ("go", "went gone"), ("win", "won"), ("write", "wrote written"),
        ("buy", "bought"), ("seek", "sought"), ("fight", "fought"), ("rise", "rose risen"),
        ("drive", "drove driven"), ("sleep", "slept"), ("build", "built"), ("catch", "caught"),
        ("choose", "chose chosen"), ("hide", "hid hidden"), ("wear", "wore worn"),
        ("shake", "shook shaken"), ("swell", "swollen"), ("sink", "sank sunk"),
    )
    for form in forms.split()
}


def lemma_stem(word: str) -> str:
    """The stem of a (lower-cased) word, an irregular verb's past as its base's."""
    return stem(_IRREGULAR.get(word, word))


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


#: Words before a group's label: "ever use vs no use", "users versus non-users".
_VERSUS = frozenset("vs versus".split())


def is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


@dataclass(frozen=True)
class Topic:
    """What a topic asks about, read once and then compared with every sentence."""

    text: str
    weights: dict[str, float]
    """Its content stems, each weighted by its rarity (inverse document frequency)."""
    negated: bool
    """Worded as a denial: a negation or a refuting word ("... is fake")."""
    directions: tuple[tuple[str, str], ...] = ()
    """(axis, side) of its direction words, in order: "increases" is ("amount", "up")."""
    compounds: frozenset[str] = frozenset()
    """Its hyphenated words, lower-cased: names ("time-restricted eating"),
    whose direction words say nothing of which way the topic goes."""

    @property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0

    @classmethod
    def of(cls, text: str, idf, also: dict[str, str] | None = None) -> Topic:
        """`text` read as a topic; `idf(stem)` weighs its words; `also` maps
        further stems to one of the topic's (an abbreviation the documents
        define, "hcq" for "hydroxychloroquin"), which then count as it does."""
        # The words of a denying phrase ("shoots down", "rules out") say how
        # the claim is taken, not what it is: "down" is no direction here.
        framing = [
            m.span()
            for family, pattern in CUE_PHRASES
            if family in DENYING_FAMILIES
            for m in pattern.finditer(text)
        ] + [m.span() for m in _FAILS_TO.finditer(text)]
        found = [m for m in WORD.finditer(text) if not any(a <= m.start() < b for a, b in framing)]
        words = [_norm(m.group()) for m in found]
        modifiers = {i for i, m in enumerate(found) if _in_compound(text, m.start(), m.end())}
        # "Melatonin is non-addictive" denies that melatonin is addictive:
        # the predicate's base word is the topic's, and the topic is denied.
        denied = {i: base for i in range(len(words)) if (base := _denied_base(words, i, idf))}
        stems = [
            lemma_stem(denied.get(i) or w)
            for i, w in enumerate(words)
            if w not in STOP_WORDS
            and not is_negator(w)
            and CUE_OF.get(w) not in DENYING_FAMILIES
            and not (w == "non" and i in denied)
        ]
        weights = {s: idf(s) for s in dict.fromkeys(stems)}
        for extra, standing_for in (also or {}).items():
            if standing_for in weights and extra not in weights:
                weights[extra] = 0.0  # matched, but adds nothing beyond the word it stands for
        # "It is a myth that X" denies X, whatever X says: a myth that the
        # story is fake affirms the story.
        frame = _UNTRUE_FRAME.match(text)
        claim_start = frame.end() if frame else 0  # what the frame calls untrue
        said_words = [_norm(m.group()) for m in WORD.finditer(text, claim_start)]
        negated = (
            bool(denied)
            or any(
                (is_negator(w) and not _bounds(said_words, i)) or CUE_OF.get(w) in DENYING_FAMILIES
                for i, w in enumerate(said_words)
            )
            or any(start >= claim_start for start, _ in framing)
        )
        # "ineffective" is the denial of "effective", which is up.
        directions = tuple(
            d
            for i, w in enumerate(words)
            if w != "non" and i not in modifiers and (d := direction(denied.get(i) or w))
        )
        if not YES_NO_QUESTION.match(text):
            # A headline reports a ban ("KANYE WEST BARRED FROM ALL AWARDS
            # SHOWS"); only a question asks whether something is allowed.
            directions = tuple(d for d in directions if d[0] != "permission")
        elif _ASKS_LEAVE.match(text) and not any(a == "permission" for a, _ in directions):
            directions += (("permission", "up"),)  # "Can travellers bring ...?"
        compounds = frozenset(m.group().lower() for m in _COMPOUND.finditer(text))
        return cls(text, weights, negated != bool(frame), directions, compounds)


@dataclass(frozen=True)
class Reading:
    """What one sentence says in relation to a topic."""

    relevance: float
    """The share of the topic's (weighted) words the sentence repeats, 0 to 1."""
    counts: dict[str, float]
    """Cue family -> how many times it occurs (and `family_near` near the topic's words)."""
    cues: tuple[tuple[int, int, str], ...] = ()
    """(start, end, family) of each cue within the sentence."""
    matched: tuple[tuple[int, int], ...] = ()
    """Where the topic's words are in the sentence."""

    @property
    def against(self) -> bool:
        return any(family in self.counts for family in AGAINST)


_SEMICOLON = re.compile(r";\s*")
#: A word joined to the next by a hyphen modifies it: "high-dose", "low-fat".
_MODIFIER = re.compile(r"-[A-Za-z]")
#: A hyphenated word: "time-restricted", "CX3CR1-blocking".
_COMPOUND = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")


def _in_compound(text: str, start: int, end: int) -> bool:
    """Whether the word at `start:end` is part of a hyphenated compound:
    in a topic, a name ("high-dose", "time-restricted eating"), whose
    direction words say nothing of which way it goes."""
    return bool(_MODIFIER.match(text, end) or text[max(0, start - 1) : start] == "-")


def _topics_compound(sentence: str, word: re.Match, topic: Topic) -> bool:
    """Whether `word` ends a hyphenated word the topic names with
    ("time-restricted eating"), unlike one that says what is done to the
    topic's thing ("CX3CR1-blocking reagents prevented inflammation")."""
    if sentence[max(0, word.start() - 1) : word.start()] != "-":
        return False
    head = sentence.rfind(" ", 0, word.start()) + 1
    return sentence[head : word.end()].lower() in topic.compounds


def read(
    topic: Topic,
    sentence: str,
    also: dict[str, str] | None = None,
    spans: tuple[tuple[int, int], ...] = (),
) -> Reading:
    """The cues of `sentence` toward `topic`.  `also` maps stems to the topic
    stem they stand for (abbreviations); `spans` are stretches of the sentence
    that count as the topic's words (an aspect's own words: "potential for
    abuse" on "Is it addictive?").

    Clauses joined by a semicolon are findings of their own: "there was no
    association with 8 of the 10 cancers; use was associated with increased
    risk of pancreatic cancer".  When one of them is plainly the nearest the
    topic (more of its words), the sentence's cues are that clause's; its
    relevance and the topic's words found stay the whole sentence's."""
    whole = _read(topic, sentence, also, spans)
    if whole.relevance and (earlier := _EARLIER_SAYING.search(sentence)):
        # "confirmed the deal, days after it said no such deal existed": what
        # was said before is told, not claimed; the cues are the rest's.
        a, b = earlier.span()
        rest = _read(topic, sentence[:a] + " " * (b - a) + sentence[b:], also, spans)
        whole = Reading(whole.relevance, _with_form(rest.counts, whole), rest.cues, whole.matched)
    if ";" not in sentence or not whole.relevance:
        return whole
    breaks = [m for m in _SEMICOLON.finditer(sentence) if not _bracketed(sentence, m.start())]
    starts = [0] + [m.end() for m in breaks]
    ends = [m.start() for m in breaks] + [len(sentence)]
    parts = []
    for a, b in zip(starts, ends, strict=True):
        own = tuple((x - a, y - a) for x, y in spans if a <= x < b)
        parts.append((a, _read(topic, sentence[a:b], also, own)))
    ranked = sorted(parts, key=lambda p: -p[1].relevance)
    if len(ranked) < 2 or ranked[0][1].relevance <= ranked[1][1].relevance:
        return whole
    a, best = ranked[0]
    cues = tuple((x + a, y + a, f) for x, y, f in best.cues)
    return Reading(whole.relevance, _with_form(best.counts, whole), cues, whole.matched)


#: A topic stem this long counts in a word made with it: "arthritis" in
#: "osteoarthritis" and "polyarthritis".
COMPOUND_STEM = 6


def _compounded(word_stem: str, long: list[str]) -> str:
    """The topic's stem a word is made with, after a prefix of at least four
    letters that does not turn its sense ("osteoarthr" holds "arthr(iti)",
    "anticancer" no "cancer"); else the word's own stem.  The topic's stem may
    lose its last letters in the compound's stemming."""
    if word_stem.startswith(_OPPOSING_PREFIXES):
        return word_stem
    for topic_stem in long:
        at = word_stem.find(topic_stem[: COMPOUND_STEM - 1], 4)
        rest = word_stem[at:]
        if at >= 4 and (topic_stem.startswith(rest) or rest.startswith(topic_stem)):
            return topic_stem
    return word_stem


_OPPOSING_PREFIXES = ("anti", "counter", "non", "dis", "mis", "pre", "post", "pseudo")


def _with_form(counts: dict[str, int], whole: Reading) -> dict[str, int]:
    """A part's cue counts, with the whole sentence's form: whether it asks
    or quotes."""
    counts = dict(counts)
    for key in ("question", "quoted"):
        counts.pop(key, None)
        if whole.counts.get(key):
            counts[key] = whole.counts[key]
    return counts


#: A clause telling what someone said before the sentence's news: "...,
#: three business days after it publicly said no such deal existed".
_EARLIER_SAYING = re.compile(
    r"\b(?:after|before|since|until|despite)\s+(?:[\w’'-]+\s+){1,4}?"
    r"(?:said|denied|claimed|insisted|stated|announced|reported|dismissed|rejected|called"
    r"|had\s+(?:said|denied|claimed|insisted|stated))\b[^.;:!?]*"
)


def _bracketed(text: str, at: int) -> bool:
    """Whether `at` is inside brackets: "(HR, 1.13; 95% CI, 1.02-1.26)"."""
    depth = 0
    for ch in text[:at]:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
    return depth > 0


def _read(
    topic: Topic,
    sentence: str,
    also: dict[str, str] | None,
    spans: tuple[tuple[int, int], ...],
) -> Reading:
    """`read`, for one clause or a whole sentence."""
    found = list(WORD.finditer(sentence))
    words = [_norm(m.group()) for m in found]
    stems = [lemma_stem(w) for w in words]
    if also:
        # An abbreviation or synonym counts as the topic's word it stands
        # for (in the topic with no weight of its own, so as not to count twice).
        stems = [s if topic.weights.get(s) else also.get(s, s) for s in stems]
    if long := [t for t in topic.weights if len(t) >= COMPOUND_STEM]:
        stems = [s if s in topic.weights else _compounded(s, long) for s in stems]
    match = [
        s in topic.weights or any(a <= m.start() < b for a, b in spans)
        for s, m in zip(stems, found, strict=True)
    ]
    near = [False] * len(words)
    for i, word in enumerate(words):
        if match[i] or word in REFERENCES:
            for j in range(max(0, i - NEAR), min(len(words), i + NEAR + 1)):
                near[j] = True
    # In the sentence's order: summed over a set, the share would differ in
    # its last digits from run to run (string hashing is salted per process).
    said = dict.fromkeys(s for s, m in zip(stems, match, strict=True) if m)
    relevance = sum(topic.weights.get(s, 0.0) for s in said) / topic.total
    if spans and any(match):
        relevance = max(relevance, _SPAN_RELEVANCE)
    counts: Counter = Counter()
    cues: list[tuple[int, int, str]] = []

    # "Rumours that the car had been stolen proved to be untrue": a word
    # calling the claim untrue refers to the claim named before it.
    named = [False] * len(words)
    for i in range(1, len(words)):
        named[i] = named[i - 1] or words[i - 1] in _CLAIM_NOUNS

    def cue(i: int, family: str) -> None:
        counts[family] += 1
        if near[i] or (named[i] and family in _ABOUT_THE_CLAIM):
            counts[family + "_near"] += 1
        cues.append((found[i].start(), found[i].end(), family))

    # "could not confirm", "not true": the confirming word confirms nothing.
    phrases = [(family, m) for family, pattern in CUE_PHRASES for m in pattern.finditer(sentence)]
    unconfirmed = [m.span() for family, m in phrases if family in ("no_evidence", "not_true")]
    # "has not ruled out": a denial denied (the index of its first word).
    denial_phrases = {
        next(i for i, w in enumerate(found) if w.end() > m.start()): m
        for family, m in phrases
        if family in DENYING_FAMILIES
    }
    denied_denials: dict[int, str] = {}  # a denying word -> the family it counts as instead
    axes = {axis for axis, _ in topic.directions}
    cancelled: set[int] = set()
    negated_direction: dict[int, int] = {}  # a direction word -> the negator turning it
    for i, word in enumerate(words):
        family = CUE_OF.get(word)
        if family and any(a <= found[i].start() < b for a, b in unconfirmed):
            family = None  # "not confirmed", "no more likely": the phrase says it
        if family == "confirm" and any(CUE_OF.get(w) == "refute" for w in words[i + 1 : i + 4]):
            family = None  # "proved to be untrue", "turned out false": no confirmation
        if word in _ADMITS and _ADMITTED_TO.match(sentence, found[i].end()):
            family = None  # "admitted to hospital": a place, not an admission
        if family and stems[i] in topic.weights:
            family = None  # the topic's own word: "failure" in "heart failure"
        if i in denied_denials:
            family = denied_denials[i]
        if family:
            cue(i, family)
        if word in _FAILING and words[i + 1 : i + 2] == ["to"]:
            _turn_after_failing(sentence, found, words, i, axes, negated_direction)
        if (
            is_negator(word)
            and i not in cancelled
            and not _no_longer(words, i, axes)
            and not (i + 1 < len(words) and words[i + 1] in PSEUDO_NEGATION)
            and not (word == "without" and _opens_clause(sentence, found[i].start()))
            and not (i and words[i - 1] in _VERSUS)  # "ever use vs no use": a group
            and not _bounds(words, i)  # "no more than 4 tablets": a limit
            and not _not_only(words, i)  # "not only lowers ... but also": affirms
            and not (word == "without" and _group_without(words, i))
            # "Compared with patients with no hypoglycemia": a group too
            and not (word == "no" and words[i - 1 : i] == ["with"] and _group_without(words, i - 1))
        ):
            reach = words[i + 1 : i + 1 + _reach(words, i)]
            stop = _scope(sentence, found, words, i, i + 1)
            # "Do not use it if: • you have asthma": a prohibition's
            # conditions, listed after a colon, are all in its scope.
            conditions = _conditions_listed(sentence, found, words, i, stop)
            second = next((k for k, w in enumerate(reach[:stop]) if is_negator(w)), None)
            denial = next(
                (
                    i + 1 + k
                    for k, w in enumerate(reach[:stop])
                    if CUE_OF.get(w) in DENYING_FAMILIES or i + 1 + k in denial_phrases
                ),
                None,
            )
            # "did not reduce fractures" turns a direction the topic has round;
            # one it has not ("have not found it to increase cancer risk" on
            # "Is it carcinogenic?") leaves a plain negation.
            turned = next(
                (i + 1 + k for k, w in enumerate(reach[:stop]) if _on_axis(w, axes)), None
            )
            if second is not None:
                cancelled.add(i + 1 + second)  # "never stopped without tapering": no denial
            elif denial is not None:
                # "not a hoax" vouches for it; "did not deny", "has not ruled
                # out" leave it open.
                refuted = CUE_OF.get(words[denial]) == "refute"
                denied_denials[denial] = "confirm" if refuted else "hedge"
            elif turned is not None:
                negated_direction[turned] = i  # "did not decrease": the direction turns round
            elif any(match[i + 1 : i + 1 + stop]) or (conditions and any(match[conditions:])):
                cue(i, "negation")
            else:
                counts["other_negation"] += 1
        base, own = _negative_affix(word, topic), i
        if (
            word == "non"
            and i + 1 < len(words)
            and match[i + 1]
            # "non-small cell lung cancer" is the topic's own name when it says so
            and sentence[found[i].start() : found[i + 1].end()].lower() not in topic.compounds
        ):
            base, own = stems[i + 1], i + 1
        if base and not any(
            s == base for j, s in enumerate(stems) if j != own and words[j - 1 : j] != ["non"]
        ):
            # "non-addictive", "unsafe": a negation of the word itself; but
            # "carriers and noncarriers" compares two groups.
            cue(i, "negation")
        elif match[i] and _NEGATIVE_SUFFIX.match(sentence, found[i].end()):
            cue(i, "negation")  # "habit-free", "pain-less"
    left_open = {denial_phrases[i] for i in denied_denials if i in denial_phrases}
    for family, m in phrases:
        if m in left_open:
            continue  # counted as a hedge where its negation was read
        counts[family] += 1
        # Near the topic as its words are: "ruled out" as "denied".
        if any(
            near[i] or (named[i] and family in _ABOUT_THE_CLAIM)
            for i, w in enumerate(found)
            if m.start() <= w.start() < m.end()
        ):
            counts[family + "_near"] += 1
        cues.append((m.start(), m.end(), family))
    said: list[tuple[str, str, int]] = []
    asked = _asked(sentence, found, words)
    for i, word in enumerate(words):
        if (
            near[i]
            and i not in asked
            and (d := _NO_LONGER if _no_longer(words, i - 1, axes) else direction(word))
            and not _compares_a_number(words, i)
            and not _MODIFIER.match(sentence, found[i].end())  # "high-dose", "low-fat"
            and not _topics_compound(sentence, found[i], topic)
            and not _DISCOURSE & set(words[i + 1 : i + 3])  # "raised concern that"
        ):
            side = d[1] if i not in negated_direction else ("down" if d[1] == "up" else "up")
            said.append((d[0], side, i))
    wanted = _net(topic.directions)
    same_axes: set[str] = set()
    for clause in _by_clause(_coordinated_once(said, words), sentence, found):
        for axis, net in _net((a, s) for a, s, _ in clause).items():
            if axis not in wanted:
                continue
            same = net == wanted[axis]
            family = "same_direction" if same else "opposite_direction"
            if same:
                same_axes.add(axis)
            for a, _, i in clause:
                if a != axis:
                    continue
                if same:  # shown as deciding; counted once per axis, below
                    cues.append((found[i].start(), found[i].end(), family))
                else:
                    cue(i, family)
                if i in negated_direction:  # "did not reduce": the "not" decided too
                    n = negated_direction[i]
                    cues.append((found[n].start(), found[n].end(), family))
    if same_axes:
        counts["same_direction"] += len(same_axes)
    if is_question(sentence):
        counts["question"] += 1
    if re.search(r"[\"“”]", sentence):
        counts["quoted"] += 1
    matched = tuple((found[i].start(), found[i].end()) for i, m in enumerate(match) if m)
    return Reading(relevance, dict(counts), tuple(sorted(cues)), matched)


#: Comparative words that, beside a number, bound a figure ("less than 200
#: cells", "15 or more cigarettes") rather than say which way an effect goes.
_BOUNDS = frozenset("more less fewer greater higher lower".split())


#: A yes/no question ("Is ...", "Does ...", "Can ..."), and one asking leave:
#: "Can travellers bring pseudoephedrine into Japan?", "May children use it?".
YES_NO_QUESTION = re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have|had|may|might)\b",
    re.I,
)
_ASKS_LEAVE = re.compile(
    r"^\s*(?:can|could|may)\s+(?:i|we|you|one|people|patients|travell?ers|tourists|visitors"
    r"|passengers|children|kids|adults|women|men|pilots|drivers|athletes)\b",
    re.I,
)
#: Nouns naming the claim a text discusses, and the families that, after
#: one, speak of it however far away ("Rumours that the car had been stolen
#: proved to be untrue").
_CLAIM_NOUNS = REFERENCES - frozenset("it this that".split())
_ABOUT_THE_CLAIM = frozenset("refute deny not_true no_evidence".split())
#: A structured abstract's labels for what was believed, asked or done, and
#: for what was found.
_BACKGROUND_LABELS = (
    "background|introduction|context|importance|rationale|objectives?|aims?|purpose|goals?"
    "|methods?|methodology|design|study design|settings?|participants|patients|subjects"
    "|interventions?|measurements|main outcome measures?|outcome measures?"
    "|materials and methods|design,? setting,? and participants|data sources|study selection"
    "|data extraction"
)
_FINDING_LABELS = (
    "results|findings|main results|conclusions?|interpretation|discussion|summary"
    "|methods and findings|conclusions and relevance|authors'? conclusions|implications"
    "|significance|key findings"
)
#: A section label opening a line or a sentence: "BACKGROUND Artemisinin ...",
#: "Methods:", "## Results".
_SECTION_LABEL = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?]\s)|(?<=[.!?][\"”’')]\s))[ \t#*>]*"
    r"(?:(?P<caps>[A-Z][A-Z ,']+)|(?P<word>[A-Za-z][A-Za-z ,']+))"
    r"(?P<after>\s*[:.]|[ \t]*\n|(?=\s+[A-Z0-9]))",
)
_BACKGROUND = re.compile(rf"(?:{_BACKGROUND_LABELS})", re.I)
_FINDING = re.compile(rf"(?:{_FINDING_LABELS})", re.I)


def background(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` under a structured abstract's background, aim
    or methods labels ("BACKGROUND", "Objective:", "## Methods"), up to the
    next label: what was believed, asked or done, not what was found."""
    labels = []
    for m in _SECTION_LABEL.finditer(text):
        label = (m.group("caps") or m.group("word")).strip(" ,")
        if m.group("word") and not (":" in m.group("after") or "\n" in m.group("after")):
            continue  # "Patients were randomised": a word, not a label
        if m.group("caps") and m.group("after").strip() == ".":
            continue  # "WHO." ends a sentence
        if _BACKGROUND.fullmatch(label):
            labels.append((m.start(), True))
        elif _FINDING.fullmatch(label):
            labels.append((m.start(), False))
    if {kind for _, kind in labels} != {True, False}:
        return []  # not a structured abstract: a "Background" heading alone says nothing
    ranges = []
    ends = [start for start, _ in labels[1:]] + [len(text)]
    for (start, is_background), end in zip(labels, ends, strict=True):
        if is_background:
            ranges.append((start, end))
    return ranges


def read_sentences(
    topic: Topic,
    text: str,
    spans: list[tuple[int, int]],
    also: dict[str, str] | None = None,
    ranges: list[tuple[int, int]] | None = None,
) -> list[Reading]:
    """`read` for each sentence `text[a:b]`; one in a structured abstract's
    background, aim or methods says nothing for or against the topic
    (`ranges`: `background(text)`, when found already)."""
    ranges = background(text) if ranges is None else ranges
    return [
        Reading(0.0, {}) if in_background(ranges, a, b) else read(topic, text[a:b], also)
        for a, b in spans
    ]


def in_background(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether most of `start:end` lies in the `background` ranges (a title
    run into "BACKGROUND: ..." for want of a full stop counts as it)."""
    inside = sum(max(0, min(end, y) - max(start, x)) for x, y in ranges)
    return inside * 2 > end - start


def read_texts(topic: Topic, texts: list[str], also: dict[str, str] | None = None) -> list[Reading]:
    """`read_sentences` over a document given as its sentences, in order."""
    spans, at = [], 0
    for t in texts:
        spans.append((at, at + len(t)))
        at += len(t) + 1
    return read_sentences(topic, "\n".join(texts), spans, also)


#: Words after "not" in "not only ... but", and people a "without" names.
_ONLY = frozenset("only just merely solely simply exclusively restricted limited confined".split())
_GROUPS = frozenset(
    """those people patients women men children adults individuals participants subjects
    mice rats animals cases controls persons infants users smokers""".split()
)


def _conditions_listed(sentence: str, found, words: list[str], i: int, stop: int) -> int:
    """Where the conditions a negated "if" lists begin ("Do not take it if:
    • you have asthma"): the index of the word after its colon, or 0."""
    end = i + 1 + stop  # the first word past the negation's reach
    if end >= len(words):
        return 0
    last, before = words[end - 1], words[end - 2 : end - 1]
    if not (last == "if" or (last in ("you", "your") and before == ["if"])):
        return 0
    return end if ":" in sentence[found[end - 1].end() : found[end].start()] else 0


def _not_only(words: list[str], i: int) -> bool:
    """Whether the negator `words[i]` opens "not only ... but": "not only
    reduces A but also B", "is not restricted only to A but also found in
    B" affirm."""
    ahead = words[i + 1 : i + 4]
    return any(w in _ONLY for w in ahead) and "but" in words[i + 2 :]


def _group_without(words: list[str], i: int) -> bool:
    """Whether "without" at `words[i]` names a group compared: "patients
    with and without diabetes", "those without symptoms", "compared with
    usual care without training"."""
    if words[i - 1 : i] and words[i - 1] in _GROUPS:
        return True
    if words[max(0, i - 2) : i] in (["with", "and"], ["with", "or"]):
        return True
    return any(w in ("compared", "than", "versus", "vs") for w in words[max(0, i - 5) : i])


def _bounds(words: list[str], i: int) -> bool:
    """Whether the negator `words[i]` bounds a figure rather than denies:
    "no more than three eggs a week", "not less than 8 hours"."""
    return i + 2 < len(words) and words[i + 1] in _BOUNDS and words[i + 2] == "than"


#: "no longer": a direction on the continuation axis, not a negation, when
#: the topic asks whether something stops or goes on.
_NO_LONGER = ("continuation", "down")


def _no_longer(words: list[str], i: int, axes: set[str]) -> bool:
    """Whether `words[i]` opens "no longer" on a topic of something stopping
    ("McDonald's to stop serving ..." and "will no longer serve")."""
    return "continuation" in axes and i >= 0 and words[i : i + 2] == ["no", "longer"]


def _asked(sentence: str, found, words: list[str]) -> set[int]:
    """The words of the indirect questions in a sentence, from "whether" to
    the clause's end: "cannot say whether it raises or lowers the risk"
    says neither."""
    asked: set[int] = set()
    for i, word in enumerate(words):
        if word != "whether":
            continue
        for k in range(i + 1, len(words)):
            if _CLAUSE_BREAK.search(sentence, found[k - 1].end(), found[k].start()):
                break
            asked.add(k)
    return asked


#: What is said or felt about a finding, not the finding: a direction word
#: before one ("raised concern that", "growing evidence", "rising fears")
#: says nothing of which way the finding goes.
_DISCOURSE = frozenset(
    """concern concerns question questions doubt doubts possibility awareness fear fears alarm
    alarms hope hopes interest suspicion suspicions debate speculation worries worry""".split()
)


#: Words that, before "to", say the verb after it did not happen.
_FAILING = frozenset("unable failed fails fail".split())


def _turn_after_failing(sentence, found, words, i, axes, negated_direction) -> None:
    """"unable to suppress", "failed to reduce": the first direction word on
    the topic's `axes` in the clause after `words[i]` "to" turns round, as
    after "not" (`negated_direction`)."""
    for k in range(i + 2, i + 2 + _scope(sentence, found, words, i, i + 2)):
        if _on_axis(words[k], axes):
            negated_direction.setdefault(k, i)
            return


def _scope(sentence: str, found, words: list[str], i: int, first: int) -> int:
    """How many words from `words[first]` on a negator at `words[i]`
    reaches: at most `NEGATION_REACH`, ended by a word that opens another
    clause ("but", "which", "whether") or a comma, colon or bracket."""
    reach = words[first : first + _reach(words, i)]
    return next(
        (
            k
            for k, w in enumerate(reach)
            if w in TERMINATORS
            or _CLAUSE_BREAK.search(sentence, found[i].end(), found[first + k].start())
        ),
        len(reach),
    )


def _reach(words: list[str], i: int) -> int:
    """How many words a negator at `words[i]` reaches at most: a null
    finding's "no" (`FINDING_NOUNS`) further than others."""
    if words[i] == "no":
        k = i + 1
        while k < len(words) and words[k] in _FINDING_QUALIFIERS:
            k += 1
        if k < len(words) and words[k] in FINDING_NOUNS:
            return FINDING_REACH
    return NEGATION_REACH


def _on_axis(word: str, axes: set[str]) -> bool:
    """Whether `word` is a direction word on one of the topic's `axes`."""
    found = direction(word)
    return found is not None and found[0] in axes


def _compares_a_number(words: list[str], i: int) -> bool:
    """Whether `words[i]` bounds a figure: "more than 10", "15 or more"."""
    if words[i - 1 : i] == ["as"] and words[i + 1 : i + 2] == ["as"] and _is_number(words, i + 2):
        return True  # "as low as 1 g", "as many as 40 percent": a figure's size
    if words[i] not in _BOUNDS:
        return False
    if words[i + 1 : i + 2] == ["than"] and _is_number(words, i + 2):
        return True
    return words[i - 1 : i] == ["or"] and _is_number(words, i - 2)


def _is_number(words: list[str], i: int) -> bool:
    """Whether there is a `words[i]` and it is a number ("200", "ten")."""
    return 0 <= i < len(words) and (words[i].isdigit() or words[i] in NUMBER_WORDS)


def _by_clause(said, sentence: str, found) -> list[list]:
    """The direction words `said` (axis, side, word index), grouped by the
    clause they stand in.  A clause ends at a semicolon, colon, bracket or
    dash, not at a comma: in "a reduction in tuberculosis in all strata: (1)
    less than 200 cells" the "less" does not turn the reduction round, while
    "Compared with warfarin, NOACs had a lower risk" is one finding."""
    if not said:
        return []
    ends = sorted(
        [m.start() for m in _CLAUSE_END.finditer(sentence)]
        + [m.start() for m in _ALONGSIDE.finditer(sentence)]
    )
    clauses: dict[int, list] = {}
    for item in said:
        clauses.setdefault(bisect.bisect(ends, found[item[2]].start()), []).append(item)
    return list(clauses.values())


#: Words joining a second finding to a first, whose directions do not
#: multiply: "a reduction in thyroid volume accompanied by a low incidence
#: of hypothyroidism" is a reduction.
_ALONGSIDE = re.compile(
    r"\b(?:accompanied by|along with|as well as|together with|in addition to)\b", re.I
)


def _coordinated_once(said, words: list[str]) -> list:
    """The direction words `said` (axis, side, word index), those joined to
    the one before by "and" or "or" on the same side counted once: "memory
    loss and other cognitive impairment" is one loss, not two that multiply
    (`_net`) into a gain."""
    kept: list = []
    for item in said:
        if kept and kept[-1][:2] == item[:2]:
            between = words[kept[-1][2] + 1 : item[2]]
            if len(between) <= 4 and {"and", "or", "nor"} & set(between):
                continue
        kept.append(item)
    return kept


def _net(directions) -> dict[str, int]:
    """The net direction on each axis, the sides multiplied like signs: "higher
    levels ... fewer fractures" is down, as "prevents fractures" is; "lower
    intake ... more fractures" is down too."""
    net: dict[str, int] = {}
    for axis, side in directions:
        net[axis] = net.get(axis, 1) * (1 if side == "up" else -1)
    return net


def _opens_clause(sentence: str, start: int) -> bool:
    """Whether the word at `start` opens the sentence or a clause set off by
    a comma: "Without treatment, it lasts weeks" and "doses, without
    tapering up, can cause ..." state a condition, not a denial."""
    before = sentence[:start].rstrip()
    return not before or before.endswith((",", ";", ":", "(", "—", "–"))


#: Words before a predicate: a negative word after one of these (with at most
#: `PREDICATE_GAP` function words or adverbs between, "is an ineffective
#: treatment", "are largely uninvolved") denies the predicate; elsewhere it
#: names something ("non-Hodgkin lymphoma", "non-smokers").
COPULAS = frozenset(
    """is are was were be been being remain remains remained seem seems seemed appear appears
    appeared become becomes became""".split()
)
PREDICATE_GAP = 2
#: Negative prefixes whose base must read as an adjective ("incapable",
#: "irrelevant", "impossible"), each only before the letters English puts it
#: before: "inpatient" and "impaired" deny nothing.
_LATIN_PREFIXES = (("in", "acdefghjknoqstuvwxyz"), ("im", "pbm"), ("ir", "r"), ("il", "l"))
_ADJECTIVE_ENDING = re.compile(r"(?:able|ible|ive|ent|ant|al|ate|ete|ect|ic|ary|ile|ure)$")
#: Words that look negated and are not.
_NOT_NEGATED = frozenset("invaluable infamous inflammable unravel unravelled unless".split())


def _denied_base(words: list[str], i: int, idf) -> str | None:
    """The word that the predicate `words[i]` denies, if it is a word with a
    negative affix after a copula: "uninvolved" -> "involved", "non"
    ("non-addictive") -> "addictive", "harmless" -> "harm".  A prefix counts
    only when what is left is a word more common than the whole (`idf`):
    "unrelated" is "related" denied, "united" is not "ited"."""
    word = words[i]
    if word in _NOT_NEGATED or CUE_OF.get(word) in DENYING_FAMILIES or not _after_copula(words, i):
        return None
    if word == "non":
        return words[i + 1] if i + 1 < len(words) else None
    candidates = [word[len(p) :] for p in ("un", "non") if word.startswith(p)]
    candidates += [
        word[len(prefix) :]
        for prefix, letters in _LATIN_PREFIXES
        if word.startswith(prefix)
        and word[len(prefix) : len(prefix) + 1] in letters
        and _ADJECTIVE_ENDING.search(word)
    ]
    if word.endswith("less"):
        candidates.append(word[:-4])
    whole = idf(stem(word))
    return next(
        (
            base
            for base in candidates
            if len(base) >= 3 and base not in STOP_WORDS and idf(stem(base)) < whole
        ),
        None,
    )


def _after_copula(words: list[str], i: int) -> bool:
    """Whether `words[i]` follows a copula, with only function words and
    adverbs between ("is an", "are largely"), or a question's opening one
    and its subject ("Is melatonin non-addictive?", but not "Is it effective
    for non-Hodgkin lymphoma?")."""
    for j in range(i - 1, max(-1, i - 2 - PREDICATE_GAP), -1):
        if words[j] in COPULAS:
            return True
        if words[j] not in STOP_WORDS and not words[j].endswith("ly"):
            break
    subject = words[1:i]
    return (
        bool(words)
        and words[0] in COPULAS
        and any(w not in STOP_WORDS for w in subject)
        and all(w not in STOP_WORDS or w in ("a", "an", "the") for w in subject)
    )


def _negative_affix(word: str, topic: Topic) -> str | None:
    """The topic stem that a word with a negative affix negates: "non-addictive",
    "unsafe", "habit-free", "painless"; None for other words."""
    for prefix in NEGATIVE_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            if (base := stem(word[len(prefix) :].lstrip("-"))) in topic.weights:
                return base
    head, dash, tail = word.rpartition("-")
    if dash and tail in NEGATIVE_SUFFIXES and stem(head) in topic.weights:
        return stem(head)
    if word.endswith("less") and len(word) > 6 and stem(word[:-4]) in topic.weights:
        return stem(word[:-4])
    return None


# --- documents ------------------------------------------------------------------

#: How much a sentence far from the topic still counts toward its document's
#: position, as a share of the document's closest sentence: a debunk often
#: refers to the claim without repeating it ("The story is a hoax").
FLOOR = 0.3
#: How many times more the first sentences (a news article's lede) count.
LEDE_SENTENCES = 2
LEDE_WEIGHT = 3.0


def document_features(topic: Topic, readings: list[Reading], cosine: float) -> dict[str, float]:
    """The model's inputs for a document made of `readings` (its sentences,
    in order): cue counts summed over its sentences, weighted two ways (every
    sentence, the lede and the closest counting most; and the closest
    sentences only), then compressed (`log1p`)."""
    if not readings:
        return {}
    top = max(r.relevance for r in readings)
    summed: Counter = Counter()
    for index, reading in enumerate(readings):
        lede = 1 + LEDE_WEIGHT * (index < LEDE_SENTENCES)
        views = (("", max(reading.relevance, FLOOR * top) * lede), ("top:", reading.relevance**2))
        for prefix, weight in views:
            if not weight:
                continue
            for name, count in reading.counts.items():
                summed[prefix + name] += weight * count
            summed[prefix + "relevance"] += weight * reading.relevance
            if not reading.against:
                summed[prefix + "clean_relevance"] += weight * reading.relevance
    features = {name: math.log1p(value) for name, value in summed.items()}
    features["cosine"] = cosine
    features["log_sentences"] = math.log1p(len(readings))
    return features


def vector(texts: list[str], idf) -> tuple[dict[str, float], float]:
    """The texts together as a TF-IDF vector (log term frequency), with its norm."""
    return weighed(stem_counts(texts), idf)


def stem_counts(texts: list[str]) -> Counter:
    """How often each content stem occurs in the texts, in order of first use."""
    return Counter(
        lemma_stem(w)
        for text in texts
        for m in WORD.finditer(text)
        if (w := _norm(m.group())) not in STOP_WORDS
    )


def weighed(counts: Counter, idf) -> tuple[dict[str, float], float]:
    """`stem_counts` as a TF-IDF vector (log term frequency), with its norm."""
    doc = {s: (1 + math.log(n)) * idf(s) for s, n in counts.items()}
    return doc, math.sqrt(sum(v * v for v in doc.values())) or 1.0


def cosine_between(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    """TF-IDF cosine between two texts' vectors (`vector`)."""
    (small, small_norm), (large, large_norm) = sorted((a, b), key=lambda v: len(v[0]))
    return sum(w * large.get(s, 0.0) for s, w in small.items()) / (small_norm * large_norm)


def cosine_of(topic: Topic, doc: tuple[dict[str, float], float]) -> float:
    weights, norm = doc
    tnorm = math.sqrt(sum(v * v for v in topic.weights.values())) or 1.0
    return sum(w * weights.get(s, 0.0) for s, w in topic.weights.items()) / (norm * tnorm)


def cosine(topic: Topic, texts: list[str], idf) -> float:
    """TF-IDF cosine between the topic and the texts together (Riedel et al. 2017)."""
    return cosine_of(topic, vector(texts, idf))


#: About a passage's size: the windows a source is compared with a topic in.
WINDOW = 600


def windows(text: str, size: int = WINDOW) -> list[str]:
    """`text` in runs of whole sentences of about `size` characters, as the
    indexer cuts passages; a text without sentences is one window."""
    runs: list[str] = []
    start = end = None
    for a, b in sentence_spans(text):
        if start is not None and b - start > size:
            runs.append(text[start:end])
            start = None
        start = a if start is None else start
        end = b
    if start is not None:
        runs.append(text[start:end])
    return runs or [text]


# --- the model ------------------------------------------------------------------


@dataclass(frozen=True)
class Stance:
    """A stance with its confidence and the words that decided it."""

    stance: str
    confidence: float
    """The model's probability of the stance given, 0.5 to 1 (0 for `neutral` with no evidence)."""
    cues: tuple[tuple[int, int], ...] = ()


#: How many of the sources nearest a topic lend it their words when a
#: folder's sources are measured against its story, and how much
#: (`StanceModel.story`): chosen on FNC-1's training rumours, where, keeping
#: 98 % of a story's own articles, 4.3 % of other stories' articles pass
#: against the topic alone and 1.8 % against its story.
FEEDBACK_SOURCES = 5
FEEDBACK_WEIGHT = 1.0


@dataclass(frozen=True)
class StanceModel:
    """A logistic regression over `document_features`, read from a JSON file."""

    weights: dict[str, float]
    bias: float
    idf_table: dict[str, float] = field(repr=False)
    default_idf: float = 1.0
    neutral_margin: float = 0.05
    """Sentence probabilities within this of 0.5 take no side."""
    min_relatedness: float = 0.0
    """A source none of whose passages comes this near a topic (`relatedness`)
    is not about it ..."""
    min_relative: float = 0.0
    """... nor one below this share of the nearest source's relatedness to
    the topic's story (`story`)."""
    min_relative_compared: float = 0.0
    """A source below this share takes no part in conflicts and agreements."""
    min_same_story: float = 0.0
    """Two sources whose whole texts come less near each other than this
    (`cosine_between`) tell different stories: neither is set against the
    other."""
    about: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> StanceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            data["weights"],
            data["bias"],
            data["idf"],
            data["default_idf"],
            data.get("neutral_margin", 0.05),
            data.get("min_relatedness", 0.0),
            data.get("min_relative", 0.0),
            data.get("min_relative_compared", 0.0),
            data.get("min_same_story", 0.0),
            data.get("about", {}),
        )

    def idf(self, stem_: str) -> float:
        return self.idf_table.get(stem_, self.default_idf)

    def topic(self, text: str, also: dict[str, str] | None = None) -> Topic:
        return Topic.of(text, self.idf, also)

    def relatedness(self, topic: Topic, passages: list[str]) -> float:
        """How near a source comes to a topic: the highest TF-IDF cosine
        between the topic and one of its passages (so that a long page is
        not diluted by what else it covers)."""
        return self.nearest_passage(topic, [vector([text], self.idf) for text in passages])

    @staticmethod
    def nearest_passage(topic: Topic, passages: list[tuple[dict[str, float], float]]) -> float:
        """`relatedness` of passages already made vectors (`vector`)."""
        return max((cosine_of(topic, v) for v in passages), default=0.0)

    def story(
        self, topic: Topic, nearest: list[tuple[float, tuple[dict[str, float], float]]]
    ) -> Topic:
        """The topic with the words of the sources nearest it added
        (Rocchio's pseudo-relevance feedback): `nearest` holds each source's
        relatedness and its whole text's `vector`, nearest first; the first
        `FEEDBACK_SOURCES` count, each by how near it comes against the
        nearest.  A story's own sources share its names and words beyond
        the topic's few, so against this they stand apart from other stories
        that share a word with the topic (see `related`)."""
        kept = nearest[:FEEDBACK_SOURCES]
        top = max((x for x, _ in kept), default=0.0)
        if not top:
            return topic
        norm = math.sqrt(sum(v * v for v in topic.weights.values())) or 1.0
        weights = defaultdict(float, {s: v / norm for s, v in topic.weights.items()})
        for x, (doc, length) in kept:
            share = FEEDBACK_WEIGHT * (x / top) / len(kept)
            for s, v in doc.items():
                weights[s] += share * v / length
        return dataclasses.replace(topic, weights=dict(weights))

    def related(self, near: float, story: float, nearest: float, compared: bool = False) -> bool:
        """Whether a source is about a topic: it comes `near` the topic
        (`relatedness`) as related articles do, and `story` near the topic's
        story (`story`) within a share of the `nearest` source's; or
        (`compared`) near enough to be set against other sources in
        conflicts and agreements."""
        share = self.min_relative_compared if compared else self.min_relative
        return near >= self.min_relatedness and story >= share * nearest

    def probability(self, features: dict[str, float]) -> float:
        """The probability that the text affirms the topic's positive form."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def position(self, topic: Topic, readings: list[Reading], texts: list[str]) -> float:
        """The probability that a document of these sentences affirms `topic`."""
        p = self.probability(document_features(topic, readings, cosine(topic, texts, self.idf)))
        return 1.0 - p if topic.negated else p

    def sentence(self, topic: Topic, reading: Reading, text: str) -> Stance:
        """A sentence's stance: the model applied to the sentence alone, as a
        document of one sentence.  Near an even chance it takes no side."""
        if not reading.relevance and not reading.cues:
            return Stance(NEUTRAL, 0.0)
        p = self.position(topic, [reading], [text])
        if abs(p - 0.5) < self.neutral_margin:
            return Stance(NEUTRAL, 1.0 - abs(p - 0.5) * 2)
        stance = AFFIRMS if p > 0.5 else DENIES
        # The cues on the side taken: against the positive form when it denies
        # a positive topic or affirms a negated one.
        against = (stance == DENIES) != topic.negated
        decisive = {(a, b) for a, b, family in reading.cues if (family in AGAINST) == against}
        return Stance(stance, max(p, 1 - p), _outermost(decisive))

    def explain(self, features: dict[str, float], n: int = 5) -> list[tuple[str, float]]:
        """The `n` features that weigh most in this prediction, with their push."""
        pushes = [(k, self.weights.get(k, 0.0) * v) for k, v in features.items()]
        return sorted(pushes, key=lambda kv: -abs(kv[1]))[:n]


def _outermost(spans: set[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The spans in order, without those inside another: "no" within "no
    evidence" is shown once."""
    return tuple(
        (a, b)
        for a, b in sorted(spans)
        if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in spans)
    )


def is_question(sentence: str) -> bool:
    """Whether a sentence asks, quoted or not: "Is it true?", "“Is it true?”"."""
    return sentence.rstrip().rstrip("\"”’')]*_").endswith("?")


@cache
def default_model() -> StanceModel:
    """The model shipped with groundsearch (`stance_model.json`)."""
    return StanceModel.load()
