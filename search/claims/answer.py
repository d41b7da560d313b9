"""Grounded answers: the sentences from the corpus that best answer a question.

Sentences from the top passages are scored by how much of the question they
cover (IDF-weighted), how close together the covered words are, and whether
they hold what the question type asks for (a duration for "how long", a
number for "how many", a frequency for "how often is it taken", a dose
with its limit for "what is the maximum
dose", a name for "who", a maker for "who makes", advice naming whom it
concerns for "who should not take", a cause for "what causes", what a drug
acts on for "how does it work", a definition for "what is"; "how is X
treated" must be about X).  Nothing
is generated: every answer sentence is quoted verbatim with its offsets.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from indexer import stem as stem_of
from indexer import title_text

from ..retrieval.engine import Index
from ..retrieval.query import ALTERNATIVE_WEIGHT, word_core
from .aspects import MECHANISM, MECHANISM_QUESTION, names_a_condition, what_it_causes
from .audit import audit, reported_speech
from .conflicts import CONFLICT_CONFIDENCE
from .language import PER_DAY, given_as_limit, quantities, tokens
from .records import AFFIRMS, DENIES, Answer, Quote, Side
from .stance import YES_NO_QUESTION, default_model, is_question
from .words import claim_asked, common_stems, content_stems, content_words, passage_share

#: Passages whose sentences are considered.
CANDIDATE_PASSAGES = 15
#: At most this many answer sentences.
MAX_SENTENCES = 3
#: A sentence must cover this share of the question's (IDF-weighted) words ...
MIN_COVERAGE = 0.5
#: ... or this share, for a question of `LONG_QUESTION` content words or more:
#: a long claim is paraphrased, not repeated.  Chosen on SciFact claims
#: `train` by `python -m benchmarks.ask_coverage` (cited abstracts against
#: the nearest uncited ones); too few short claims there to move the first.
MIN_COVERAGE_LONG = 0.3
LONG_QUESTION = 5
#: Further sentences must score at least this share of the best one.
FOLLOW_UP_SHARE = 0.75
#: What a sentence that only repeats what others say ("claims that X", "it
#: has been reported") keeps of its score: it does not answer, so any
#: sentence that says it in its own words comes first.
REPORTED_SHARE = 0.5
#: Question types whose answers a pattern recognises reliably (a duration, a
#: frequency, a number, a dose limit, a maker, a date, a cause, how a drug
#: acts): once the
#: best sentence holds one, so must the others.
STRICT_TYPES = frozenset(
    {"duration", "frequency", "number", "limit", "maker", "date", "cause", "mechanism"}
)
#: Question types only a sentence holding that kind of thing answers.
ANSWER_TYPES = frozenset({"duration", "frequency", "limit", "maker", "mechanism"})
#: What holding all the question's words in the form typed adds to a
#: sentence's score (a coverage of 1 scores about 1): enough to let it in
#: before sentences of better-ranked passages that hold them otherwise.
EXACT_SHARE = 0.15
#: How much of its weight a question word counts for when only the sentence's
#: source title or section names it.
HEADING_SHARE = 0.5
#: ... unless more than this share of the passages hold the word.
SHARED = 0.25

_QUESTION_TYPES = (
    ("duration", re.compile(r"\bhow long\b|\bhow much time\b|\bduration\b|\bhow many (?:hours|days|weeks|months|years)\b", re.I)),
    # "What is the maximum dose?": a dose, and the limit it is given as.
    ("limit", re.compile(
        r"\b(?:maximum|max|highest|largest)\s+(?:daily\s+|safe\s+|recommended\s+)?"
        r"(?:doses?|dosages?|amount)\b|\bhow much\b.*\btoo much\b|\b(?:dose|dosage) limit\b",
        re.I,
    )),
    # "How often is it taken?": a frequency (twice a day, every 8 hours), not any
    # number.  ("How often do hallucinations occur?" asks how common: a number.)
    ("frequency", re.compile(
        r"\bhow often\b(?=.*\b(?:take|taken|taking|use|used|dosed|given|administered|injected)\b)"
        r"|\bhow many times (?:a|an|per|each) (?:day|week|month)\b",
        re.I,
    )),
    ("number", re.compile(r"\bhow (?:many|much|often)\b|\bwhat (?:percentage|proportion|fraction|share|dose|number)\b|\bwhat percent\b", re.I)),
    # "Who should not take it?" asks which people or conditions, not for a name.
    ("caution", re.compile(
        r"\bwho (?:should|must|can|could|may)(?:n?[’']t| ?not)\s+"
        r"(?:take|use|have|be given|receive)\b"
        r"|\bwho should avoid\b|\bcontraindicat",
        re.I,
    )),
    # "Who makes it?" asks for a maker, not for any name.  (Not "who made the
    # claim", "who developed hallucinations": those ask for people.)
    ("maker", re.compile(
        r"\bwho (?:makes|manufactures|manufactured|produces|sells|markets|invented"
        r"|synthesi[sz]ed)\b"
        r"|\b(?:which|what) (?:company|companies|manufacturers?|firms?)\b|\bmanufacturers? of\b",
        re.I,
    )),
    ("person", re.compile(r"^\s*(?:who|whom|whose)\b|\bwhich (?:organi[sz]ation|agency|authority|company)\b", re.I)),
    ("date", re.compile(r"^\s*when\b|\bwhat year\b", re.I)),
    ("reason", re.compile(r"^\s*why\b", re.I)),
    ("cause", re.compile(r"\bwhat (?:causes|caused|can cause)\b|\b(?:the )?causes? of\b", re.I)),
    # "How is X treated?": the answer must be about X, not any treatment.
    ("treatment", re.compile(
        r"\bhow (?:is|are|was|were|do|does|did|can|should|to)\b(?:\s+[\w-]+){0,5}?\s+"
        r"(?:treat|manag)\w*|\bwhat (?:is|are|'s) the (?:best |usual )?"
        r"(?:treatments?|therap(?:y|ies)|management|cures?) (?:for|of)\b",
        re.I,
    )),
    # "How does baclofen work?": by what it acts on in the body.
    ("mechanism", MECHANISM_QUESTION),
    # "What is baclofen (used for)?", not "What are the symptoms of baclofen withdrawal?"
    ("definition", re.compile(
        r"^\s*what (?:is|are|was|were) (?:an? )?[\w-]+(?: [\w-]+)?(?: used for)?\W*$"
        r"|\bdefin|\bwhat does .+ mean\b",
        re.I,
    )),
)
# Not "one": far more often a pronoun ("a tough one") than a count.
_NUMBER = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|half|several|dozen)\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+|\b[A-Z]{2,}\b")
# "When was it approved?" asks for a date; "When should it be avoided?" may
# be answered by a circumstance.
_PAST_EVENT = re.compile(r"\s*when (?:was|were|did)\b", re.I)
_DATE = re.compile(r"\b(?:1[89]|20)\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_REASON = re.compile(r"\bbecause\b|\bdue to\b|\bsince\b|\bcaused by\b|\bso that\b|\bin order to\b", re.I)
_CAUSE = re.compile(
    r"\b(?:is|are|was|were|be) caused by\b|\bbecause\b|\bdue to\b"
    r"|\bresult(?:s|ed|ing)? (?:in|from)\b|\bleads? to\b",
    re.I,
)
# Who should not take something: advice against it or for care ...
_CAUTION = re.compile(
    r"\bnot taking\b|\b(?:should|must) not (?:take|use|be)\b|\bnot (?:be )?(?:right|suitable|safe"
    r"|recommended) for\b|\bwith (?:extreme )?caution\b|\bavoid|\bcontraindicat",
    re.I,
)
# ... and the people or conditions it concerns.
_CONDITION = re.compile(
    r"\bif you(?:[’']ve| have| are| had| were)\b"
    r"|\b(?:people|patients|those|anyone|women|children) (?:with|who)\b"
    r"|\ballerg|\bpregnan|\bbreastfeed",
    re.I,
)
# How often: so many times a day, daily, every so many hours.
_FREQUENCY = re.compile(
    r"\b(?:once|twice|thrice|\w+ times?)\s+(?:a|an|per|each|every)\s+"
    r"(?:day|week|month|hour|night)\b|\b(?:daily|weekly|nightly|hourly)\b"
    r"|\bevery\s+(?:\w+\s+)?(?:hours?|days?|weeks?|morning|night)\b"
    r"|\b(?:a|per) (?:day|week)\b|\bat bedtime\b|\b\d+\s*(?:x|times)\s*(?:a|per)\s*day\b",
    re.I,
)
# Who makes a drug: a maker's deed, or a company.
_MAKER = re.compile(
    r"\bmanufactur\w*|\b(?:made|produced|developed|marketed|sold|distributed|invented"
    r"|discovered|synthesi[sz]ed|created) by\b|\bpharmaceuticals?\b"
    r"|\b(?:company|companies|firm|laborator(?:y|ies))\b|\b(?:Inc|Ltd|LLC|GmbH|plc)\b",
    re.I,
)
_DEFINITION = re.compile(r"\b(?:is|are|was|were) (?:a|an|the)\b|\bis called\b|\brefers to\b|\bknown as\b|\bgoes by\b", re.I)


# Words that say what kind of answer is wanted, not what it is about.
_QUESTION_WORDS = re.compile(
    r"\bhow (?:long|many|much|often|far|soon)\b|\bwhat (?:kind|type|sort) of\b"
    r"|\bwhat (?:percentage|proportion|fraction|share|number|percent) of\b"
    r"|\bwhich (?:organi[sz]ation|agency|authority|body)\b",
    re.I,
)
# The word of a treatment question that says "treat".
_TREATING_WORD = re.compile(r"\b(?:treat|manag|therap|cure)\w*", re.I)
#: Content words either side of the condition's owner ("baclofen") within
#: which a treated word ("withdrawal") makes it part of the condition's name.
_BESIDE = 2
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]")
# In "how long does it last", "last" asks for the duration; it is not a topic word.
_DURATION_VERBS = re.compile(r"\b(?:last|lasts|lasting|persist|persists)\b", re.I)
# ... nor are the words that ask for a limit ("maximum dose": a dose held in
# milligrams answers for "dose"), a maker ("who makes") or a frequency.
_LIMIT_WORDS = re.compile(
    r"\b(?:maximum|max|highest|largest|limit|how much|too much|amount)\b", re.I
)
_MAKER_WORDS = re.compile(
    r"\b(?:makes|manufactures|manufactured|manufacturers?|produces|sells|markets|invented"
    r"|synthesi[sz]ed|company|companies|firms?)\b",
    re.I,
)
_FREQUENCY_WORDS = re.compile(
    r"\bhow often\b|\bhow many times (?:a|an|per|each) (?:day|week|month)\b|\bfrequency\b", re.I
)
# ... nor does "work" in "how does it work": it asks how.
_MECHANISM_VERBS = re.compile(
    r"\b(?:work|works|act|acts|do|mechanism of action)\b|\b(?:in|on) the body\b", re.I
)
# ... and in "can it cause Y", "cause" only links the drug to Y: a sentence
# on what causes withdrawal does not answer whether it causes hallucinations.
_FUNCTION_STEMS = frozenset(
    "after befor dure take took taken get got make made happen caus".split()
    # ... and words that only join or grade ("while pregnant", "too much").
    + "while whilst too much mani veri also just even still".split()
)
#: By question type, the words that ask for its kind of answer.
_TYPE_WORDS = {
    "duration": _DURATION_VERBS,
    "limit": _LIMIT_WORDS,
    "frequency": _FREQUENCY_WORDS,
    "maker": _MAKER_WORDS,
    "mechanism": _MECHANISM_VERBS,
}
_DOSE_STEMS = frozenset(map(stem_of, ("dose", "dosage")))
#: "daily" as a sentence says it otherwise: "in 24 hours", "a day", "per day".
_DAILY_STEMS = frozenset(map(stem_of, ("daily",)))
_PER_DAY = re.compile(rf"(?:\b|(?=/)){PER_DAY}", re.I)
#: A limit on a dose is written with these as often as with "dose", a
#: frequency and a duration with these: such a question also searches for
#: them (those the corpus holds), so that a passage giving the time ("within
#: one to two weeks") is among those considered.
_SEARCHED_TOO = {
    "limit": ("dosage", "mg"),
    "frequency": ("daily", "day"),
    "duration": ("hours", "days", "weeks", "months"),
}


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    coverage: float
    quote: Quote
    typed: bool
    """Whether it holds what the question type asks for (a duration, ...)."""


def question_type(question: str) -> str | None:
    """`duration`, `limit`, `frequency`, `number`, `caution`, `maker`, `person`, `date`,
    `reason`, `cause`, `treatment`, `mechanism`, `definition`, or None."""
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return name
    return None


def ask(ix: Index, question: str, *, correct: bool = True) -> Answer:
    """Answer `question` from the corpus, or with no sentences when no source does.

    A misspelt word is corrected first, from the index's vocabulary, and the
    corrected question is the one answered (`Answer.corrected_question`);
    `correct=False` answers the question as typed."""
    # "Is it true that X?" is answered as X (and only X is corrected).
    asked = claim_asked(question) or question
    corrected = ix.corrected(asked) if correct else None
    query = corrected or asked
    kind = question_type(query)
    # (searched for too, never a word the answer must cover)
    held = [
        word for word in _SEARCHED_TOO.get(kind, ())
        if any(passage_share(ix, s) for s in content_stems(word))
    ]
    wording = "".join(f"{word} " for word in held)
    result = ix.search(
        wording + query, limit=CANDIDATE_PASSAGES, kinds=("content", "comment"), correct=False
    )
    weights = _term_weights(ix, query)
    if not weights or not result.hits:
        return Answer(question, (), result.hits, corrected)
    past_event = kind == "date" and _PAST_EVENT.match(query) is not None
    shared = common_stems(ix, weights, SHARED)
    treated, owners = _treated(ix, query, weights, shared) if kind == "treatment" else ({}, set())
    caused = set(content_stems(what_it_causes(query))) - shared
    scored: list[_Scored] = []
    topic = default_model().topic(query)
    typed_forms = {_uninflected(word) for word in content_words(query)}
    top_score = result.hits[0].score or 1.0
    texts: dict[str, str] = {}
    for hit in result.hits:
        passage = hit.passage
        text = texts.setdefault(passage.path, ix.source_text(passage.path))
        prior = hit.score / top_score
        named = _named_by_heading(ix, hit, weights, shared)
        for start, end in _units(passage):
            sentence = text[start:end]
            implied = _DOSE_STEMS if kind == "limit" and _holds_dose(sentence) else frozenset()
            if _PER_DAY.search(sentence):
                implied |= _DAILY_STEMS
            coverage, proximity = _coverage(ix, sentence, weights, named, implied)
            if coverage == 0:
                continue
            if treated and not _about(ix, sentence, treated, named):
                continue  # treating something else
            if owners and _treats_with(ix, sentence, treated, owners):
                continue  # "baclofen helps people manage withdrawal" from alcohol
            if caused and _only_as_condition(ix, sentence, caused):
                continue  # "If you have … liver disease …, take baclofen with caution"
            bonus = _type_bonus(kind, sentence)
            exact = _as_typed(sentence, typed_forms)
            score = coverage * (1 + 0.3 * proximity) + 0.15 * prior + EXACT_SHARE * exact + bonus
            if is_question(sentence):
                score *= 0.3  # a question is not an answer
            if len(sentence.split()) < 4:
                score *= 0.5
            if reported_speech(sentence, topic):
                score *= REPORTED_SHARE  # "claims that X": it does not say X itself
            quote = Quote.of(text, start, end, passage, hit.source)
            scored.append(_Scored(score, coverage, quote, bonus > 0))
    scored.sort(key=lambda s: -s.score)
    needed = min_coverage(query)
    chosen: list[_Scored] = []
    for candidate in scored:
        if candidate.coverage < needed or is_question(candidate.quote.text):
            continue
        if chosen and candidate.score < FOLLOW_UP_SHARE * chosen[0].score:
            break
        # "How long" is not answered by a sentence without a duration, nor
        # "when was it approved" by one without a date.
        if (kind in ANSWER_TYPES or past_event) and not candidate.typed:
            continue
        if chosen and kind in STRICT_TYPES and chosen[0].typed and not candidate.typed:
            continue  # the best says how long, how many, when or why: so must the others
        if any(_same(candidate.quote, c.quote) for c in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == MAX_SENTENCES:
            break
    quotes = tuple(c.quote.attributed(texts[c.quote.source.path]) for c in chosen)
    polar = _POLAR.match(query) or (kind is None and not _WH.match(query))
    found = _sides(ix, query, quotes) if polar else ()
    sides = tuple(side for side, _ in found)
    if len(sides) > 1:
        # Each side first, in its own words; then what else answers.
        first = tuple(quote for side in sides for quote in side.quotes)
        rest = tuple(q for q in quotes if not any(_same(q, f) for f in first))
        rest = rest[: max(0, MAX_SENTENCES - len(first))]
        # A further sentence by a voice on a side, saying what its side says,
        # is quoted with its side, so that no quote reads as the other side's.
        sides = tuple(
            dataclasses.replace(
                side,
                quotes=side.quotes + tuple(q for q in rest if (q.source.path, q.start) in said),
            )
            for side, said in found
        )
        grouped = tuple(quote for side in sides for quote in side.quotes)
        quotes = grouped + tuple(q for q in rest if q not in grouped)
    return Answer(question, quotes, result.hits, corrected, sides if len(sides) > 1 else ())


#: A yes/no question: the sources may take sides.
_POLAR = YES_NO_QUESTION
_WH = re.compile(r"^\s*(?:what|who|whom|whose|which|when|where|why|how)\b", re.I)


def _sides(ix: Index, question: str, answered: tuple[Quote, ...]) -> tuple[tuple[Side, set], ...]:
    """The sides the sources take on a yes/no question or a claim, read as
    `audit` reads them: the voices sure enough of their position to take part
    in a conflict.  Each side is quoted by the best answer sentence of one of
    its voices, if any, else by its surest voice's best evidence; it comes
    with the (path, start) of every claim its voices make on their side."""
    report = audit(ix, question, correct=False)
    sides = []
    for stance in (AFFIRMS, DENIES):
        voices = sorted(
            (p for p in report.positions if p.stance == stance and p.confidence >= CONFLICT_CONFIDENCE
             and p.evidence is not None and p.evidence.stance == stance
             and p.evidence.found_by != "closest"),
            key=lambda p: -p.confidence,
        )
        if not voices:
            continue
        said = {(c.quote.source.path, c.quote.start) for p in voices for c in p.claims if c.stance == stance}
        own = [q for q in answered if (q.source.path, q.start) in said]
        quotes = tuple(own[:SIDE_QUOTES]) or tuple(p.evidence.quote for p in voices[:SIDE_QUOTES])
        sides.append((Side(stance, tuple(p.who() for p in voices), quotes), said))
    return tuple(sides)


#: Quotes given for each side of a contested question.
SIDE_QUOTES = 1


def _units(passage) -> list[tuple[int, int]]:
    """The passage's sentences; a sentence ending in a colon ("These signs
    include:") runs on to the end of the passage, so its list comes with it,
    and starts with the sentence before it, which says what the list is of."""
    spans = list(passage.sentences or ((passage.start, passage.end),))
    units = []
    for index, (start, end) in enumerate(spans):
        if passage.text[end - passage.start - 1 : end - passage.start] == ":" and index + 1 < len(spans):
            lead = spans[index - 1][0] if index else start
            units = [u for u in units if u[0] < lead]
            units.append((lead, passage.end))
            break
        units.append((start, end))
    return units


def min_coverage(question: str) -> float:
    """The share of the question's weighted words an answer sentence must hold."""
    long = len(set(content_stems(question))) >= LONG_QUESTION
    return MIN_COVERAGE_LONG if long else MIN_COVERAGE


def best_coverage(ix: Index, question: str, passages) -> float:
    """The largest share of `question`'s words, weighted by rarity, that one
    sentence of `passages` holds: what `ask` holds against `min_coverage`
    before it quotes a sentence."""
    weights = _term_weights(ix, question)
    return max(
        (
            _coverage(ix, ix.source_text(p.path)[a:b], weights)[0]
            for p in passages
            for a, b in _units(p)
        ),
        default=0.0,
    )


def _term_weights(ix: Index, question: str) -> dict[str, float]:
    """IDF of each content word (stem) of the question, over passages.  A
    word the corpus lacks weighs most: no sentence can cover it, which is
    how "What is the capital of France?" finds no answer here."""
    total = ix.passage_count()
    weights = {}
    type_words = _TYPE_WORDS.get(question_type(question))
    if type_words is not None:
        question = type_words.sub(" ", question)
    question = _QUESTION_WORDS.sub(" ", question)
    question = _PER_DAY.sub(" daily ", question)  # "in a day" asks for a daily figure
    for stem in content_stems(question):
        if stem in _FUNCTION_STEMS:
            continue
        share = passage_share(ix, stem) or 0.5 / total
        weights[stem] = math.log(1 + 1 / share)
    return weights


def _named_by_heading(ix: Index, hit, weights: dict[str, float], shared: set[str]) -> set[str]:
    """The question's words that the title or section a content passage is
    written under names: under "Baclofen Withdrawal symptoms", "The time to
    complete resolution of psychiatric symptoms ... was 42.9 hours" speaks of
    withdrawal.  Not words most passages share ("baclofen" in this corpus):
    nearly every heading names them, so a heading says nothing about them.
    A reader's comment is the poster's own, whatever page it is on."""
    if hit.passage.kind != "content":
        return set()
    heading = content_stems(title_text(hit.source.title or "", hit.passage.section))
    return {
        wanted for wanted in weights
        if wanted not in shared and any(_related(stem, wanted) for stem in heading)
    }


def _as_typed(sentence: str, forms: set[str]) -> float:
    """Share of the question's word `forms` (`_uninflected`) the sentence
    holds, inflections aside: asked "Is baclofen addictive?", "Baclofen can
    be addictive" says it in the question's own words, "help in recovery
    from Baclofen addiction" not; "take" and "taking" are one form."""
    if not forms:
        return 0.0
    words = {_uninflected(word_core(piece).lower()) for piece in sentence.split()}
    return len(forms & words) / len(forms)


_INFLECTION = re.compile(r"(?:ing|ed|es|s)$")


def _uninflected(word: str) -> str:
    """`word` without an inflection's ending, or a final "e": "taking" and
    "take" give "tak"; "addictive" and "addiction" stay apart."""
    return _INFLECTION.sub("", word).removesuffix("e") if len(word) > 3 else word


def _coverage(
    ix: Index, sentence: str, weights: dict[str, float], named: set[str] = frozenset(),
    implied: set[str] = frozenset(),
) -> tuple[float, float]:
    """Share of the question's IDF mass the sentence holds, and how tightly
    (1.0 when the matched words sit side by side).  Stems sharing their first
    five letters match too ("resolve" and "resolution").  A word the sentence
    leaves out but its heading `named` counts `HEADING_SHARE` of its weight;
    one it holds in another form (`implied`: "100 mg" for "dose") counts in
    full.  A sentence holding none of the words (or their synonyms, or
    another form) itself has no coverage."""
    positions: dict[str, int] = {}
    stems = content_stems(sentence)
    for position, stem in enumerate(stems):
        for wanted in weights:
            if wanted not in positions and _related(stem, wanted):
                positions[wanted] = position
    # A synonym from the corpus's map ("discontinued" for "stop", "Lioresal"
    # for "baclofen") covers the word, a little less, as it does in search.
    synonyms = ix.synonyms.closure(set(stems)) & weights.keys() - positions.keys()
    implied = implied & weights.keys() - positions.keys() - synonyms
    if not positions and not synonyms and not implied:
        return 0.0, 0.0
    held = positions.keys() | synonyms | implied
    from_heading = sum(weights[w] for w in named & weights.keys() - held)
    covered = sum(weights[w] for w in positions) + sum(weights[w] for w in implied)
    covered += ALTERNATIVE_WEIGHT * sum(weights[w] for w in synonyms)
    total = sum(weights.values()) or 1.0
    coverage = (covered + HEADING_SHARE * from_heading) / total
    if len(positions) < 2:
        return coverage, 1.0 if positions or implied else 0.0
    spread = max(positions.values()) - min(positions.values()) + 1
    return coverage, len(positions) / spread


def _treated(
    ix: Index, question: str, weights: dict[str, float], shared: set[str]
) -> tuple[dict[str, float], set[str]]:
    """What a treatment question asks to be treated, with the words' weights:
    the words after its treating word ("How do doctors manage baclofen
    withdrawal?"), or before it ("How is baclofen overdose treated?"), but
    those most passages share.  Those it leaves out are returned apart: they
    say whose condition it is ("baclofen" withdrawal)."""
    verb = _TREATING_WORD.search(question)
    for part in (question[verb.end() :], question[: verb.start()]) if verb else ():
        stems = {s for s in content_stems(part) if s in weights}
        if stems - shared:
            return {s: weights[s] for s in stems - shared}, stems & shared
    return {}, set()


def _treats_with(ix: Index, sentence: str, treated: dict[str, float], owners: set[str]) -> bool:
    """Whether the sentence names the condition's owner as what treats:
    before its treating word, and with no treated word beside it in its
    clause.  Asked how baclofen withdrawal is managed, "Baclofen is great for
    helping people manage their withdrawals ... such as alcohol" is about
    baclofen treating, where "Baclofen withdrawal is managed by ..." is not."""
    words = [(clause, stem) for clause, part in enumerate(_CLAUSE.split(sentence))
             for stem in content_stems(part)]
    verb = next((i for i, (_, stem) in enumerate(words) if _TREATING_WORD.match(stem)), None)
    for position, (clause, stem) in enumerate(words[:verb] if verb is not None else ()):
        if any(_related(stem, owner) for owner in owners):
            near = words[max(0, position - _BESIDE) : position + _BESIDE + 1]
            if not any(c == clause and _related(s, w) for c, s in near for w in treated):
                return True
    return False


def _only_as_condition(ix: Index, sentence: str, caused: set[str]) -> bool:
    """Whether the sentence names what the question asks the drug to cause
    only as a condition the reader already has: asked whether baclofen can
    cause liver damage, "If you have … liver disease, or diabetes mellitus,
    take baclofen with extreme caution" says nothing of it."""
    found = [
        word for word in tokens(sentence)
        if any(_related(stem, w) for stem in content_stems(word.text) for w in caused)
    ]
    return bool(found) and all(
        names_a_condition(sentence, word.start, word.end, caused) for word in found
    )


def _about(ix: Index, sentence: str, words: dict[str, float], named: set[str]) -> bool:
    """Whether the sentence, or the heading it is written under (`named`),
    holds at least `MIN_COVERAGE` of `words` (by weight)."""
    by_heading = sum(weight for word, weight in words.items() if word in named)
    if by_heading >= MIN_COVERAGE * sum(words.values()):
        return True
    return _coverage(ix, sentence, words, named)[0] >= MIN_COVERAGE


def _related(stem: str, wanted: str) -> bool:
    return stem == wanted or (len(stem) >= 5 and len(wanted) >= 5 and stem[:5] == wanted[:5])


def _type_bonus(kind: str | None, sentence: str) -> float:
    if kind == "duration":
        return 0.6 if any(q.dimension == "time" for q in quantities(sentence)) else 0.0
    if kind == "number":
        return 0.4 if _NUMBER.search(sentence) else 0.0
    if kind == "frequency":
        return 0.5 if _FREQUENCY.search(sentence) else 0.0
    if kind == "limit":
        return 0.5 if _limits_a_dose(sentence) else 0.0
    if kind == "maker":
        return 0.4 if _MAKER.search(sentence) else 0.0
    if kind == "person":
        return 0.3 if _NAME.search(sentence) else 0.0
    if kind == "date":
        return 0.4 if _DATE.search(sentence) else 0.0
    if kind == "reason":
        return 0.3 if _REASON.search(sentence) else 0.0
    if kind == "cause":
        return 0.3 if _CAUSE.search(sentence) else 0.0
    if kind == "caution":  # advice that names whom it concerns answers best
        return 0.2 * bool(_CAUTION.search(sentence)) + 0.15 * bool(_CONDITION.search(sentence))
    if kind == "mechanism":
        return 0.4 if MECHANISM.search(sentence) else 0.0
    if kind == "definition":
        return 0.3 if _DEFINITION.search(sentence) else 0.0
    return 0.0


def _holds_dose(sentence: str) -> bool:
    return any(q.dimension == "mass" for q in quantities(sentence))


def _limits_a_dose(sentence: str) -> bool:
    """A dose given as an upper limit: "no more than 80 mg a day"."""
    return any(
        q.dimension == "mass" and given_as_limit(sentence, q) for q in quantities(sentence)
    )


def _same(a: Quote, b: Quote) -> bool:
    """The same sentence, or the same words quoted from another page."""
    if a.source.path == b.source.path and a.start == b.start:
        return True
    return a.text.strip().lower() == b.text.strip().lower()
