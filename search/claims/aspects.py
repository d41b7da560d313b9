"""The aspects claims are grouped by.

An aspect is one subject-and-predicate a claim can speak to ("abuse
potential", "duration of withdrawal").  Each has a pattern for topics that
ask about it, a pattern for the words in a sentence that address it, and,
for quantity aspects, the dimension whose numbers are compared.  These are
general to health claims about a drug; a topic matching none of them gets an
aspect made from its own words (`topic_aspect`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


@dataclass(frozen=True)
class Aspect:
    """One thing a claim can be about."""

    name: str
    topic: re.Pattern
    """Matches a topic that asks about this aspect."""
    claim: re.Pattern
    """Matches the words of a sentence that address it (the stance cues)."""
    context: re.Pattern | None = None
    """If set, the sentence must also match this."""
    dimension: str | None = None
    """For quantity aspects: `time`, `mass` or `percent`."""
    query: str = ""
    """Extra search that gathers candidate passages for this aspect."""
    minimum: int = 1
    """How many distinct cue words a sentence needs (topic aspects)."""
    words: tuple[str, ...] = ()
    """For topic aspects: the stems the claim pattern is made of."""
    polar: bool = True
    """Whether claims take a side on it; a topic that names only its subject
    ("baclofen") gathers claims without stances."""
    subject: tuple[str, ...] = ()
    """For topic aspects: stems a claim's sentence, passage or source title
    must name ("vitamin" for "Does vitamin D reduce cancer risk?"), so that a
    sentence on exercise and cancer risk is not taken for one on vitamin D."""
    treatment: bool = False
    """For topic aspects asking whether something treats a condition: the
    context is words of treating, which a sentence read by how much of the
    topic it repeats must hold too."""
    effects: bool = False
    """For topic aspects asking what the drug causes: a topic word naming a
    condition the reader already has ("seizure disorders", "a history of
    seizures") is no cue."""
    sense: re.Pattern | None = None
    """For curated aspects: words the claim's passage (or its source's title)
    must hold for the aspect to apply in its sense: withdrawal from a drug,
    not from a treaty; a controlled substance, not a government-controlled
    port."""

    def applies_to(self, text: str) -> bool:
        """Whether the aspect applies, in its sense, to a passage's `text`."""
        return self.sense is None or bool(self.sense.search(text))

    def cues(self, sentence: str) -> list[re.Match]:
        if self.context is not None and not self.context.search(sentence):
            return []
        idioms = [m.span("word") for m in IDIOM.finditer(sentence)]
        found = [
            m
            for m in self.claim.finditer(sentence)
            if not any(a <= m.start() < b for a, b in idioms)
        ]
        if self.effects:
            found = [
                m for m in found if not names_a_condition(sentence, m.start(), m.end(), self.words)
            ]
        if self.minimum > 1:
            covered = {w for w in self.words for m in found if m.group().lower().startswith(w)}
            if len(covered) < self.minimum:
                return []
        return found


#: Figures of speech that use a word in no literal sense: "I am scared to
#: death of withdrawal" says nothing of death.
IDIOM = re.compile(
    r"\b(?:scared|frightened|terrified|bored|sick|worried|tickled|loved?)\s+(?:me\s+)?"
    r"(?:half\s+)?to\s+(?P<word>death)\b",
    re.I,
)


def names_a_condition(sentence: str, start: int, end: int, words=()) -> bool:
    """Whether the words at `sentence[start:end]` name a condition the reader
    already has, not one the drug causes: "seizure disorders" (unless `words`,
    the stems asked about, name disorders), "a history of seizures", "patients
    with seizures", or one of a list in "If you have …, liver disease, or
    diabetes mellitus, take baclofen with extreme caution"."""
    after = _CONDITION_NEXT.match(sentence, end)
    if after and not any(after.group(1).lower().startswith(w) for w in words):
        return True
    if _CONDITION_BEFORE.search(sentence, 0, start) is not None:
        return True
    return any(m.start(1) <= start < m.end(1) for m in _IF_YOU_HAVE.finditer(sentence))


_CONDITION_NEXT = re.compile(r"\s+(disorders?|conditions?|diseases?)\b", re.I)
_CONDITION_BEFORE = re.compile(
    r"\b(?:history of|prone to|if you (?:have|had)|if you[’']ve had"
    r"|(?:people|patients|those|anyone|children|adults) (?:with|who have))\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
# "If you have A, B, or C, take/tell/talk to …": every one of A, B, C is a
# condition the reader has.  Only before advice, so "if you have taken it for
# years, you may develop seizures" names no condition.
_IF_YOU_HAVE = re.compile(
    r"\bif you (?:have|had|[’']ve had)\s+([^.;:!?]*?),\s+(?:then\s+)?"
    r"(?:take|tell|talk|consult|use|avoid|ask|check|speak|let|see|do not|don[’']t)\b",
    re.I,
)


#: "How does baclofen work?": a question of what the drug acts on in the body.
MECHANISM_QUESTION = re.compile(
    r"\bhow (?:does|do|did) [\w -]+? (?:work|act)\b|\bmechanism of action\b"
    r"|\bwhat does [\w -]+? do (?:in|to) the (?:body|brain|nerves|muscles)\b",
    _I,
)
#: How a drug acts: what it binds or acts on, and what that does.
MECHANISM = re.compile(
    r"\bacts? (?:as|on|by)\b|\bworks? by\b|\bagonist|\bantagonist|\breceptor|\bmodulat|\binhibit"
    r"|\bblock(?:s|ing)\b|\bbind(?:s|ing)?\b|\battach(?:es|ing)?\b|\bneurotransmitter|\benzyme"
    r"|\bmechanisms?\b|\btargets?\b|\bpathways?\b",
    _I,
)

#: Words that put a text in the sense of a medicine and its use.
_DRUG_SENSE = re.compile(
    r"\b(?:drugs?|medic\w*|substances?|doses?|dosage|dosing|prescri\w*|pills?|tablets?|mg\b"
    r"|pharmac\w*|narcotic\w*|opioid\w*|alcohol\w*|nicotine|caffeine|detox\w*|symptoms?"
    r"|addict\w*|habit[- ]forming|gumm(?:y|ies)|hormones?|supplements?|dependen\w*|taper\w*|overdos\w*|side effects?|patients?|treatment|therap\w*)",
    _I,
)

ASPECTS: tuple[Aspect, ...] = (
    Aspect(
        name="abuse potential",
        sense=_DRUG_SENSE,
        # "dependence", not "dependent on" or "UCP1-independent": a reliance
        # that science claims state about anything.
        topic=re.compile(
            r"abus|misuse|addict|recreational|euphori|habit[- ]forming|\bdependen(?:ce|cy|cies)\b",
            _I,
        ),
        claim=re.compile(
            r"\bpotential (?:for|of) (?:abuse|misuse|addiction)\b|\babuse potential\b"
            r"|\b(?:possibility|risk|rate) of (?:abuse|misuse|addiction)\b"
            r"|\bsusceptible to (?:abuse|misuse)\b|\baddictive\b|\bhabit[- ]forming\b"
            r"|\bcan be (?:abused|misused)\b|\babuse liability\b",
            _I,
        ),
        query='"abuse potential" OR "potential for abuse" OR "possibility of abuse" OR addictive '
        'OR "susceptible to abuse" OR "habit forming"',
    ),
    Aspect(
        name="controlled-substance status",
        sense=_DRUG_SENSE,
        # A drug's standing in law, not "Cdk5 regulates cell death",
        # "cytokines are up regulated during" or "controlled trials".
        topic=re.compile(
            r"controlled substance|schedul|\bDEA\b|drug enforcement|legal status|illegal|\blegal\b"
            r"|\b(?:regulated|controlled)(?: (?:substance|drug)s?\b|\s*[?.!]*\s*$)"
            r"|\b(?:regulated|controlled) (?:by|under) (?:the |any |a )?(?:federal |state |\w+ )?"
            r"(?:(?-i:[A-Z]{2,5})\s*[?.!]*\s*$|law|laws|act|agency|agencies|government|authorit)"
            r"|(?:agency|agencies|authorit\w+|who|law|laws|act) (?:\w+ )?regulat\w*",
            _I,
        ),
        claim=re.compile(
            r"\bcontrolled substances?(?: act)?\b"
            r"|\bcontrolled\b(?! (?:trial|study|studies|release|manner|breathing|dose))"
            r"|\b(?:under|on) (?:any |a )?schedule\b|\bscheduled (?:drug|substance)\b"
            r"|\bregulated under\b",
            _I,
        ),
        query='"controlled substance" OR "controlled substances" OR schedule OR regulated OR controlled',
    ),
    Aspect(
        name="duration of withdrawal",
        sense=_DRUG_SENSE,
        topic=re.compile(
            # Symptoms of withdrawal, not "the onset of symptoms occurs less
            # than 3 hours before" a heart attack.
            r"(?=.*withdraw)(?=.*(?:how long|duration|\blasts?\b|resolv|subside|take|"
            r"hours?|days?|weeks?|months?))",
            _I | re.S,
        ),
        claim=re.compile(
            r"\b(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)?"
            r"(?:\s*(?:to|-|–)\s*\w+)?\s*(?:hours?|days?|weeks?|months?|years?)\b",
            _I,
        ),
        context=re.compile(r"withdraw|symptom|resolution|detox", _I),
        dimension="time",
        query="withdrawal symptoms hours days weeks months resolve subside last",
    ),
    Aspect(
        name="tapering the dose when stopping",
        sense=_DRUG_SENSE,
        topic=re.compile(
            # Lowering the dose, not "a dose-dependent decrease in" an effect.
            r"taper|gradual|slowly|\bwean|cut down"
            r"|\b(?:reduc|decreas|lower)\w* (?:\w+ ){0,2}(?:dose|dosage)s?\b(?!-)"
            r"|\b(?:dose|dosage)s? (?:\w+ ){0,2}(?:reduc|decreas|lower)\w*"
            r"|(?=.*\b(?:reduc|decreas|lower)\w*)(?=.*\bstop)",
            _I | re.S,
        ),
        claim=re.compile(
            r"\btaper\w*|\bgradual(?:ly)?\b|\bslowly\b|\bwean(?:ed|ing)?\b|\bstep(?:-| )?wise\b", _I
        ),
        context=re.compile(
            r"\bstop|discontinu|coming off|getting off|come off|get off|quit|reduc|decreas|lower|"
            r"taper|wean|cessation|withdraw",
            _I,
        ),
        query="taper tapering gradually reduce dose slowly discontinued stop",
    ),
    Aspect(
        name="dose",
        sense=_DRUG_SENSE,
        topic=re.compile(
            r"\bhow much\b|\bmg\b|\b(?:usual|typical|maximum|max|recommended|starting|daily|proper) "
            r"(?:dose|dosage)\b|\bwhat (?:is|are) the (?:\w+ )?dos(?:e|age)",
            _I,
        ),
        claim=re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|g)\b", _I),
        context=re.compile(r"\bdos(?:e|age|ing)|\bdaily\b|\ba day\b|\btake\b", _I),
        dimension="mass",
        query="dose dosage mg daily",
    ),
    # Sentences on what the drug acts on, without stances: "at first it
    # worked" and "it no longer works as well" say nothing of how it works,
    # and are no conflict on it.
    Aspect(
        name="how it works",
        topic=MECHANISM_QUESTION,
        claim=MECHANISM,
        query="acts receptor agonist mechanism",
        polar=False,
    ),
)


def aspects_for(topic: str) -> list[Aspect]:
    """The curated aspects a topic asks about.  A word of an aspect's topic
    pattern that names what the drug is used against is not asked about:
    "Can baclofen treat alcohol dependence?" asks about a use of baclofen,
    not about its own potential for abuse."""
    return [
        aspect
        for aspect in ASPECTS
        if any(not _treated(topic[: m.start()]) for m in aspect.topic.finditer(topic))
    ]


def _treated(before: str) -> bool:
    """Whether the clause that ends with `before` says what the drug treats."""
    return bool(_TREATED.search(_CLAUSES.split(before)[-1]))


# Where a new clause begins: "Does it help with sleep, and is it addictive?"
_CLAUSES = re.compile(
    r"[,;:.?!]|\b(?:and|or|but)\s+(?=(?:is|are|was|were|does|do|did|can|could|will|would"
    r"|should|may|might|has|have|had)\b)",
    _I,
)
# Words of treating, in topics and in sentences alike.
_TREATS = r"treat(?:s|ed|ing|ment|ments)?\b|cur(?:e|es|ed|ing)\b|help(?:s|ed|ing)?\b|manag(?:e|es|ed|ing)\b|therap\w*|remed(?:y|ies)\b"
#: A sentence that speaks of treating something.
_TREATING = re.compile(
    rf"\b(?:{_TREATS}|reliev\w*|eas(?:e|es|ed|ing)\b|alleviat\w*|effect\w*|efficac\w*|protect\w*"
    r"|against)",
    _I,
)


def asks_about_effects(topic: str) -> bool:
    """Whether `topic` asks if the drug causes something ("Can baclofen
    cause seizures?")."""
    return bool(_CAUSES.search(topic))


def what_it_causes(topic: str) -> str:
    """The words after the topic's causing word ("liver damage" in "Can
    baclofen cause liver damage?"), or ""."""
    match = _CAUSES.search(topic)
    return topic[match.end() :] if match else ""


_CAUSES = re.compile(
    r"\b(?:caus\w*|lead(?:s|ing)? to|result(?:s|ing)? in|side[- ]effects?|trigger\w*|induc\w*)",
    _I,
)


def asks_about_treatment(topic: str) -> bool:
    """Whether `topic` asks if the drug treats something ("Can baclofen treat
    alcohol dependence?")."""
    return bool(_TREATED.search(topic))


#: Words that make what follows them a condition the drug treats.
#: A treatment named as such ("chemotherapy treatments", "the therapy
#: reduces") is no question whether something treats: a noun of treating
#: asks so only with what it is for.
_TREATED = re.compile(
    r"\b(?:treat(?:s|ed|ing)?\b|cur(?:e|es|ed|ing)\b|help(?:s|ed|ing)?\b|manag(?:e|es|ed|ing)\b"
    r"|(?:treatments?|therap(?:y|ies)|remed(?:y|ies)) (?:for|of|against)"
    r"|(?:used|use|prescribed|approved|indicated|given|effective|useful|work\w*|good) "
    r"(?:for|in|with|to treat)"
    r"|(?:effective|active|works?|protects?|protective|protection|used|use|useful) against)\b",
    _I,
)


#: Verbs too general to say what a topic is about ("does X cause Y").
LIGHT_VERBS = frozenset(
    "caus make get take use lead result includ contain affect happen occur work help need dure".split()
)


def topic_aspect(
    name: str,
    stems: list[str],
    polar: bool = True,
    subject: tuple[str, ...] = (),
    identity: tuple[str, ...] = (),
    treatment: bool = False,
    effects: bool = False,
) -> Aspect:
    """An aspect made from a topic's own (stemmed) predicate words, for topics
    no curated aspect covers: a sentence speaks to it when it uses all of
    them (two-thirds of them when there are more than two), light verbs aside.
    A stem matches the words it begins, except a stem of one or two
    characters, which must be the whole word ("d" in "vitamin D", not "does").

    A topic that asks what its subject is ("Is baclofen an opioid?") passes
    the subject's stems and synonyms as `identity`: a sentence speaks to it
    only when it says the subject (or "it") is, or is not, one ("Baclofen is
    not an opioid"), not when it merely names opioids.  A topic that asks
    whether the drug treats something (`treatment`, "Does baclofen help
    alcohol withdrawal?") needs a sentence that speaks of treating it, not
    one that compares alcohol withdrawal with baclofen withdrawal.  A topic
    that asks what the drug causes (`effects`, "Does baclofen cause
    seizures?") does not take "if you have seizure disorders, take baclofen
    with caution" for a claim that it does."""
    stems = [s for s in stems if s not in LIGHT_VERBS] or stems
    words = [_stem_pattern(s) for s in stems]
    minimum = len(stems) if len(stems) <= 2 else -(-2 * len(stems) // 3)
    context = None
    if identity:
        who = "|".join([*map(_stem_pattern, identity), r"it", r"this (?:drug|medication|medicine)"])
        context = re.compile(
            rf"\b(?:{who}){_NAMING}\s+{_LINK}{_GAP}\s+\(?\b(?:{'|'.join(words)})", _I
        )
    elif treatment:
        context = _TREATING
    return Aspect(
        name=name,
        topic=re.compile(r"$^"),
        claim=re.compile(rf"\b(?:{'|'.join(words)})", _I),
        context=context,
        minimum=minimum,
        words=tuple(stems),
        query=" ".join(stems),
        polar=polar,
        subject=subject,
        treatment=treatment and not identity,
        effects=effects,
    )


def _stem_pattern(stem: str) -> str:
    return rf"{re.escape(stem)}\w*" if len(stem) > 2 else rf"{re.escape(stem)}\b"


#: "Is X a Y?": topics that ask what their subject is.
IDENTITY_TOPIC = re.compile(r"^\s*(?:is|are|was|were)\s+(?:[\w-]+\s+){1,3}?(?:an?|the)\s+\w", _I)
# Up to two words that go on naming the subject ("baclofen medication"), not a
# phrase that makes it an object ("substances people mix baclofen with are ...").
_NAMING = r"(?:\s+(?!(?:with|to|for|from|of|in|on|at|by|than|that|which|who)\b)[\w-]+){0,2}?"
# Up to six words, within the clause, between the link and what the subject is.
_GAP = r"(?:\s+(?!(?:but|and|or|which|that|while|whereas)\b)[\w()’'-]+){0,6}?"
# What says that something is one: "is (not) a", "acts as", "belongs to the group of".
_LINK = (
    r"\b(?:is|are|was|were|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|acts? as|belongs? to"
    r"|classified as|considered|known as)\b"
)
