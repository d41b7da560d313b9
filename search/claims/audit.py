"""Auditing a topic: who says what about it, and where sources disagree.

1. The passages on the topic are retrieved (the topic itself, and the
   searches of the curated aspects it asks about), with the abbreviations the
   documents define for its words ("hydroxychloroquine (HCQ)").
2. Their sentences that speak to the topic become claims: those holding an
   aspect's words; those repeating most of the topic's predicate (its words
   but the subject the corpus is about), rarer words counting more; those
   refuting, denying or confirming it ("the story is a hoax"); and each
   source's closest sentence, so that no source on the topic goes unread.
3. Each claim gets a stance (`stance.py`: cue families weighed by a model
   learned from labelled news articles and scientific claims), with the words
   that decided it.  A sentence repeating what others say ("reports say",
   "X claimed") without taking it on is `neutral`, marked `reported`.
4. Each voice (a source's own text, or one reader's comments) gets a position
   on each aspect, read from its sentences on the topic: affirms, denies,
   mixed or unclear, with its best evidence.
5. Conflicts and agreements between voices (`conflicts.py`).

Following de Marneffe, Rafferty & Manning (2008), claims are compared only
once they speak of the same thing (the same aspect).  What is reported is a
possible conflict, with both quotes and the reason, not a verdict.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter, defaultdict

from indexer import (
    BOILERPLATE,
    COMMENT,
    SourceInfo,
    body_analyzer,
    is_list_item,
    line_start_within,
    sentence_spans,
)

from ..retrieval.engine import Index
from . import conflicts as compare
from . import stance as reading
from .aspects import (
    ASPECTS,
    IDENTITY_TOPIC,
    IDIOM,
    LIGHT_VERBS,
    Aspect,
    asks_about_effects,
    asks_about_treatment,
    aspects_for,
    names_a_condition,
    topic_aspect,
)
from .language import attributed_to, direction, is_person, quantities, tokens
from .records import AFFIRMS, DENIES, MIXED, NEUTRAL, UNCLEAR, AuditReport, Claim, Position, Quote
from .words import (
    claim_asked,
    common_stems,
    content_stems,
    content_words,
    stand_ins,
    thesaurus,
    thesaurus_words,
)

_ANALYZER = body_analyzer()

#: Passages retrieved per aspect search when gathering claims.
RETRIEVE = 40
#: Passages retrieved for the topic itself: enough for every source on it.
RETRIEVE_TOPIC = 200
#: A sentence repeating this share of the topic's predicate (weighted by
#: rarity) speaks to it.
MIN_COVERAGE = 0.5
#: A source's closest sentence is read as its claim when it repeats at least
#: this share of the topic's words (weighted), and no other sentence of it is
#: a claim.  Low: a source only comes this far once it is near the topic's
#: story (`_Reader._about_topic`), and one telling the story in its own
#: words repeats few of the topic's.
MIN_CLOSEST = 0.1
#: A topic word in more than this share of passages is its subject, not its predicate.
SUBJECT_SHARE = 0.25
#: ... but only in a corpus of at least this many passages.
MIN_PASSAGES_FOR_SHARE = 20
#: A plain answer opening a sentence: "No.", "Yes,", "**No** -".
_ANSWER = re.compile(r"^\W{0,3}(?P<word>no|yes)\W{0,3}\s*[.,!:;\u2013\u2014-]", re.I)
#: How sure a plain answer to the topic's own question is.
ANSWER_CONFIDENCE = 0.95
#: A reply's words for what its thread asks about: "it's a hoax", "that's a myth".
_REFERS = re.compile(
    r"\b(?:it|that|this)['’]s\b|\b(?:it|that|this) (?:is|was)\b"
    r"|\bthe (?:story|report|claim|rumou?r|news|photo|video|post)\b",
    re.I,
)
#: How much of the topic a thread's title must say for its comments to be
#: read as answers to the topic (`_thread_claims`): "[RUMOUR] Marta Vidal to
#: OL — done deal??" on "Has Marta Vidal signed for Olympique Lyonnais?".
THREAD_TITLE_COVERAGE = 0.3
#: Comments of one page read as answers to its thread (`_thread_claims`), at most.
THREAD_COMMENTS = 500
#: A voice whose reading is within this of an even chance is unclear.
UNCLEAR_BAND = 0.03
#: ... mixed, when it also makes confident claims on both sides.
MIXED_BAND = 0.15
MIXED_CONFIDENCE = 0.8
#: A named speaker quoted against its source's view is a voice of its own
#: when its claim is read with at least this confidence.
SPEAKER_CONFIDENCE = 0.8


def audit(
    ix: Index, topic: str, *, correct: bool = True, model: reading.StanceModel | None = None
) -> AuditReport:
    """Gather the claims the corpus makes on `topic`, each voice's position,
    and the conflicts and agreements between them.

    A misspelt word is corrected first, from the index's vocabulary, and the
    corrected topic is the one audited (`AuditReport.corrected_topic`);
    `correct=False` audits the topic as typed."""
    # "Is it true that X?" is audited as X (and only X is corrected: a
    # folder on a truce has no "true" in it).
    asked = claim_asked(topic) or topic
    corrected = ix.corrected(asked) if correct else None
    audited = corrected or asked
    model = model or reading.default_model()
    words = _TopicWords.of(ix, audited)
    aspects = _curated(ix, audited) or [_aspect_from_topic(ix, audited, words)]
    gathered = _Gathered.of(ix, audited, aspects, correct)
    reader = _Reader(ix, audited, model, gathered, words)
    claims = [claim for aspect in aspects for claim in reader.claims(aspect)]
    if not claims and not _is_topic_aspect(aspects[0]):
        # A curated aspect none of whose words the sources use ("Is it
        # legal to bring Sudafed into Japan?" is no question of a drug's
        # controlled-substance schedule here): the topic's own words.
        aspects = [_aspect_from_topic(ix, audited, words)]
        gathered = _Gathered.of(ix, audited, aspects, correct)
        reader = _Reader(ix, audited, model, gathered, words)
        claims = reader.claims(aspects[0])
    if not claims and _asks_identity(aspects):
        # "Is the Skerrow Horn a forgery?" where no source says "the horn is
        # (not) a forgery" in so many words: read as any yes/no question.
        aspects = [_aspect_from_topic(ix, audited, words, identity=False)]
        claims = reader.claims(aspects[0])
    positions = [p for aspect in aspects for p in reader.positions(aspect, claims)]
    # Only sources well within the topic are set against each other: a near
    # story keeps its row in who says what, but is in no conflict.
    close = [c for c in claims if reader.compared(c.quote.source.path)]
    # A voice whose claims all say the opposite of its position (read from
    # all its sentences) is set against no one: a conflict shows claims, and
    # two that both affirm are no conflict to a reader.
    close_positions = [
        p for p in positions if reader.compared(p.source.path) and not p.turned
    ]
    conflicts, more, related = compare.conflicts(close, close_positions, reader.same_story)
    agreements = compare.agreements(close, close_positions, conflicts)
    return AuditReport(
        topic,
        tuple(claims),
        tuple(conflicts),
        tuple(agreements),
        corrected,
        more,
        tuple(positions),
        tuple(related),
        reader.set_aside(),
        reader.without_claims(claims),
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
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


# --- the topic's aspects --------------------------------------------------------


def _subject(stems: list[str]) -> list[str]:
    """The stems of the subject that opens a topic's content `stems`: the
    first, with a letter or number that belongs to it ("vitamin D")."""
    subject = stems[:1]
    for stem in stems[1:]:
        if len(stem) > 2 and not stem.isdigit():
            break
        subject.append(stem)
    return subject


#: A question whose subject comes before its main verb ("Does X cause Y?").
_DO_QUESTION = re.compile(
    r"^\s*(?:does|do|did|can|could|will|would|should|may|might|has|have|had)\b", re.I
)
_DETERMINERS = frozenset("the a an your my his her its our their".split())


def _after_the_auxiliary(topic: str) -> list[str]:
    """The words of a "Does ...?" question after its opening word (none for
    another kind of topic)."""
    if not _DO_QUESTION.match(topic):
        return []
    return re.findall(r"[a-z0-9'-]+", topic.lower())[1:]


def _gerund_subject(topic: str) -> list[str]:
    """The rest of a subject an activity names, after its first word: "Does
    knuckle cracking reduce grip strength?" asks about knuckle cracking,
    "Does cracking your knuckles cause arthritis?" about cracking knuckles.
    After "is" or "are", a word in -ing is the verb ("Are vaccines causing
    autism?"), so only a question opening with "does", "can", ... counts."""
    words = _after_the_auxiliary(topic)
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    if len(words) > 1 and _gerund(words[1]) and not _gerund(words[0]):
        return content_stems(words[1])  # "knuckle cracking"
    if len(words) > 2 and _gerund(words[0]) and words[1] in _DETERMINERS:
        return content_stems(words[2])  # "cracking your knuckles"
    return []


def _gerund(word: str) -> bool:
    """Whether `word` is a verb's -ing form: "cracking", not "bring" or "thing"."""
    return word.endswith("ing") and bool(re.search(r"[aeiouy]", word[:-3]))


def _states_something(topic: str, stems) -> bool:
    """Whether a topic says something of its subject, rather than only name
    it ("air fryers"): a yes/no question, a verb of its own ("cause", "is"),
    or more words than a name usually has."""
    return bool(
        _QUESTION.match(topic)
        or _VERB.search(topic)
        or set(stems) & LIGHT_VERBS
        or len(stems) > 2
    )


_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|isn't|aren't|does|do|did|doesn't|don't|can|could|will"
    r"|would|should|may|might|must|has|have|had|not)\b",
    re.I,
)


#: Verbs a "Does X ... ?" question asks with, beyond light and direction verbs.
_ASKING_VERBS = frozenset(
    """treat treats cure cures help helps work works harm harms damage damages kill kills
    trigger triggers interact interacts protect protects raise raises worsen worsens""".split()
)


def _before_the_verb(topic: str) -> list[str]:
    """The rest of the subject of "Does X ... ?" up to its verb: "Do air
    fryers cause asthma?" asks about air fryers, "Can green tea extract
    damage the liver?" about green tea extract.  Only when the verb is one
    such questions are asked with (a light verb, a direction, "treat",
    "harm", ...) and comes within four words."""
    words = _after_the_auxiliary(topic)
    for index, word in enumerate(words[:5]):
        if index and (
            word in _ASKING_VERBS or direction(word) or set(content_stems(word)) & LIGHT_VERBS
        ):
            return [s for w in words[:index] for s in content_stems(w)]
    return []


def _shared(ix: Index, stems: list[str]) -> set[str]:
    """The stems most passages share: in a corpus about one thing (every seed
    is about baclofen) it goes without saying and need not be named."""
    return common_stems(ix, stems, SUBJECT_SHARE, MIN_PASSAGES_FOR_SHARE)


#: Words that ask rather than name ("how many mg", "how much"): never a subject.
_ASKING = frozenset("many much often long".split())
#: A topic asked as a question ("Is ...", "Does ...") opens with its subject;
#: a statement or headline ("Report: Bale quits Jobs film") need not.
_QUESTION = reading.YES_NO_QUESTION


#: "Is it legal to bring Sudafed into Japan?", "Is it safe to ...": no
#: subject of its own opens it ("legal" is what it asks).
_IT_IS_TO = re.compile(r"^\s*(?:is|was|isn't)\s+it\s+(?:\w+\s+){1,2}to\b", re.I)


_WH_QUESTION = re.compile(r"^\s*(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)


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
        word
        for word in content_words(topic)
        if word not in short
        and word not in _ASKING
        and not any(word.startswith(w) or w.startswith(word) for w in asked)
    ]
    stems = _subject([s for word in words for s in content_stems(word)])
    subject = tuple(sorted(set(stems) - _shared(ix, stems)))
    return [dataclasses.replace(aspect, subject=subject) for aspect in aspects]


@dataclasses.dataclass(frozen=True)
class _TopicWords:
    """A topic's content stems, the subject a question opens with (`_subject`)
    and the stems most of the index's passages share (`_shared`)."""

    stems: tuple[str, ...]
    subject: frozenset[str]
    shared: frozenset[str]

    @classmethod
    def of(cls, ix: Index, topic: str) -> _TopicWords:
        stems = content_stems(topic)
        subject = (
            _subject(stems) + _gerund_subject(topic) + _before_the_verb(topic)
            if _QUESTION.match(topic) and not _IT_IS_TO.match(topic)
            else []
        )
        return cls(tuple(stems), frozenset(subject), frozenset(_shared(ix, stems)))


def _asks_identity(aspects: list[Aspect]) -> bool:
    """Whether the one aspect is a topic's own asking what its subject is."""
    if len(aspects) != 1:
        return False
    aspect = aspects[0]
    return _is_topic_aspect(aspect) and aspect.context is not None and not aspect.treatment


def _aspect_from_topic(
    ix: Index, topic: str, words: _TopicWords, identity: bool = True
) -> Aspect:
    """An aspect from the topic's words: its subject (the first content word
    of a question, "coffee" in "Is coffee safe during pregnancy?", with a
    letter or number that follows it, "vitamin D"; and in a corpus of some
    size any word most passages share) is left out, and the rest, the
    predicate, must appear in a claim and decides its polarity.  A subject
    most passages do not share must be named in the claim's sentence,
    passage or source title."""
    stems, subject, shared = words.stems, set(words.subject), set(words.shared)
    predicate = [s for s in stems if s not in subject | shared]
    if not set(predicate) - LIGHT_VERBS and _states_something(topic, stems):
        # A folder all about this one claim shares every word of it ("Air
        # fryers cause asthma" in five pages on it), or all but a light verb
        # ("lead" in "Does knuckle cracking lead to arthritis?"): what
        # follows the subject is still what the sources affirm or deny.
        opening = subject or set(_subject(stems))
        predicate = [s for s in stems if s not in opening]
    typed = " ".join(dict.fromkeys(content_words(topic)))
    return topic_aspect(
        f"claims about {typed or topic}",
        predicate or list(stems) or [re.escape(topic.lower())],
        # "What does it treat?" asks for things, not for a yes or a no.
        polar=bool(predicate) and not _WH_QUESTION.match(topic),
        subject=_named_subject(subject, shared) if predicate else (),
        # "Is ivermectin an effective treatment for COVID-19?" asks whether
        # it treats COVID-19, not what ivermectin is.
        identity=_identity(ix, topic, subject)
        if predicate and identity and not asks_about_treatment(topic)
        else (),
        treatment=bool(predicate) and asks_about_treatment(topic),
        effects=bool(predicate) and asks_about_effects(topic),
    )


#: Words naming the form in which a thing is taken, not the thing: "vitamin D
#: supplementation", "aspirin use", "coffee consumption".
_FORM_WORDS = frozenset(
    content_stems(
        """supplement supplements supplementation supplementing intake use users consumption
        consuming therapy treatment administration dosing"""
    )
)


#: Cue families that take a side on a link by themselves ("did not", "a myth",
#: "confirmed", "reduces").
_DECISIVE = reading.AGAINST | {"confirm", "same_direction"}
#: Light verbs by which a question asks whether one thing brings about another.
_LINK_VERBS = frozenset("caus lead result".split())
#: Words that say two things are linked (beside the topic's own light verb).
_LINK = re.compile(
    r"\b(?:caus|lead|led\b|result|trigger|contribut|link|associat|relat|tied\b|connect"
    r"|risk|responsible|because|due to|give|gave|bring|brought|produc|induc|make|made"
    r"|develop|experienc|suffer|increas|rais|higher|elevat|reduc|lower|decreas|prevent"
    r"|protect)",
    re.I,
)


#: Words that say how often or how much a thing is done, not what it is:
#: "regular aerobic exercise", "daily aspirin", "moderate drinking".
_HOW_OFTEN = frozenset(
    content_stems("regular daily frequent occasional habitual routine prolonged moderate excessive")
)

#: People a question names as who does something ("Can travellers bring
#: pseudoephedrine into Japan?"): sources speak of the thing, not of them.
_PEOPLE = frozenset(
    content_stems(
        """people person persons patient patients adult adults child children woman women man
        men user users traveller travellers traveler travelers tourist tourists visitor visitors
        passenger passengers consumer consumers resident residents parent parents"""
    )
)
_LETTER_AND_NUMBER = re.compile(r"[a-z]\d{1,2}")


def _named_subject(subject: set[str], shared: set[str]) -> tuple[str, ...]:
    """What a sentence, its passage or title must name of the topic's
    subject: its words most passages do not share, people who do something
    aside.  When those only name a
    form of taking it ("supplementation" in "Does vitamin D supplementation
    prevent fractures?", in a folder all about vitamin D), the thing itself:
    a review saying "Vitamin D alone is unlikely to prevent hip fracture"
    speaks to it."""
    own = subject - shared - _PEOPLE  # "Can travellers bring X?" asks about X
    # "high" in "Is high sodium intake linked to ...?" says how much, not what;
    # "regular" in "Is regular aerobic exercise ...?" how often.
    own = {stem for stem in own if not direction(stem) and stem not in _HOW_OFTEN}
    if own and own <= _FORM_WORDS and subject - _FORM_WORDS - _PEOPLE:
        return tuple(sorted(subject - _FORM_WORDS - _PEOPLE))
    return tuple(sorted(own))


def _identity(ix: Index, topic: str, subject: set[str]) -> tuple[str, ...]:
    """For a topic asking what its subject is ("Is baclofen an opioid?"): the
    subject's stems and its synonyms' (`topic_aspect`'s `identity`)."""
    if not subject or not IDENTITY_TOPIC.search(topic):
        return ()
    return tuple(sorted(ix.synonyms.closure(subject)))


def _is_topic_aspect(aspect: Aspect) -> bool:
    return aspect.name not in {a.name for a in ASPECTS}


def _standing_for(counts: Counter, also: dict[str, str], own: set[str]) -> Counter:
    """Stem counts with each stand-in (`also`) counted as the topic's stem it
    stands for; the topic's own stems as they are."""
    mapped: Counter = Counter()
    for stem, n in counts.items():
        mapped[stem if stem in own else also.get(stem, stem)] += n
    return mapped


# --- gathering ------------------------------------------------------------------


@dataclasses.dataclass
class _Gathered:
    """The passages retrieved for a topic, by source, with the sources' texts."""

    passages: dict[str, tuple]
    """passage id -> (passage, source), in document order."""
    texts: dict[str, str]
    abbreviations: dict[str, str]
    """An abbreviation's stem -> the topic stem it stands for ("hcq" -> "hydroxychloroquin")."""

    @classmethod
    def of(cls, ix: Index, topic: str, aspects: list[Aspect], correct: bool) -> _Gathered:
        kinds = ("content", "comment")
        found: dict[str, tuple] = {}
        searches = [(topic, RETRIEVE_TOPIC)] + [(a.query, RETRIEVE) for a in aspects if a.query]
        if synonyms := thesaurus_words(set(content_stems(topic))):
            # "Is salt linked to stomach cancer?" is also answered in words
            # the topic does not use: "sodium", "gastric cancer".
            searches.append((f"{topic} {' '.join(synonyms)}", RETRIEVE_TOPIC))
        for query, limit in searches:
            for hit in ix.search(query, limit=limit, kinds=kinds, correct=correct).hits:
                if hit.passage.kind != BOILERPLATE:
                    found.setdefault(hit.passage.passage_id, (hit.passage, hit.source))
        ordered = dict(sorted(found.items(), key=lambda kv: (kv[1][0].path, kv[1][0].start)))
        texts = {p.path: ix.source_text(p.path) for p, _ in ordered.values()}
        stems = set(content_stems(topic))
        abbreviations = _abbreviations([p.text for p, _ in ordered.values()], stems)
        return cls(ordered, texts, abbreviations)


def _one_word_synonyms(ix: Index, stems: set[str]) -> dict[str, str]:
    """The synonym map's one-word synonyms of the topic's words, each mapped
    to the topic's word: with ["carcinogenic", "cancer"] in the map, "Does
    aspartame cause cancer?" speaks to "Is aspartame carcinogenic?".  A term
    of several words ("causes cancer") is left out: its words apart say
    something else."""
    singles = (
        [s[0] for term in group if len(s := content_stems(term)) == 1 and " " not in term]
        for group in ix.synonyms.groups
    )
    return stand_ins(singles, stems)


#: "long form (ABBR)" or "ABBR (long form)".
_PARENTHESIS = re.compile(r"\(\s*([^()]{1,80}?)\s*\)")


def _abbreviations(texts: list[str], stems: set[str]) -> dict[str, str]:
    """Abbreviations the texts define for a topic word, after Schwartz &
    Hearst (2003): "hydroxychloroquine (HCQ)" or "HCQ (hydroxychloroquine)";
    the abbreviation's letters must appear in order in the long form, its
    first letter opening it."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _PARENTHESIS.finditer(text):
            inside = match.group(1)
            before = text[max(0, match.start() - 120) : match.start()].split()
            if _is_abbreviation(inside) and before:
                short, candidates = inside, before
            elif before and _is_abbreviation(before[-1].strip(",;:")):
                short, candidates = before[-1].strip(",;:"), inside.split()
            else:
                continue
            long_form = _long_form(short, candidates)
            named = [t.text for t in _ANALYZER(long_form or "") if t.text in stems]
            if named:
                for short_stem in (t.text for t in _ANALYZER(short)):
                    if short_stem not in stems:
                        found.setdefault(short_stem, named[0])
    return found


def _is_abbreviation(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return 2 <= len(word) <= 10 and " " not in word and sum(c.isupper() for c in letters) >= 2


def _long_form(short: str, words: list[str]) -> str | None:
    """The shortest run of `words` (at the end of text before the
    parenthesis, or the whole parenthesis) that the abbreviation's letters
    spell in order, its first letter opening the run's first word."""
    letters = [c.lower() for c in short if c.isalnum()]
    for size in range(1, min(len(words), len(letters) + 5) + 1):
        run = words[-size:]
        if not run[0][:1].lower() == letters[0]:
            continue
        joined = " ".join(run).lower()
        position = 0
        for letter in letters:
            position = joined.find(letter, position)
            if position < 0:
                break
            position += 1
        else:
            return " ".join(run)
    return None


# --- reading claims -------------------------------------------------------------


class _Reader:
    """Reads the gathered passages' sentences as claims and voices' positions."""

    def __init__(
        self,
        ix: Index,
        topic: str,
        model: reading.StanceModel,
        gathered: _Gathered,
        words: _TopicWords,
    ):
        self.ix = ix
        self.topic = topic
        self.model = model
        self.gathered = gathered
        self.also = {
            **thesaurus(set(words.stems)),
            **_one_word_synonyms(ix, set(words.stems)),
            **gathered.abbreviations,
        }
        self.asks = bool(_QUESTION.match(topic))
        # "Does knuckle cracking lead to arthritis?" asks about a link.
        self.link = self.asks and bool(set(words.stems) & _LINK_VERBS)
        # The story's names beyond a question's subject, on most pages.
        self.names = set(words.shared - words.subject - LIGHT_VERBS)
        # What the topic names, with its synonyms: whose quantities count.
        self.named = ix.synonyms.closure(set(words.stems))

    def stance_topic(self, aspect: Aspect) -> reading.Topic:
        """The topic a claim's stance is read against: the audited topic for
        an aspect made of its words; a curated aspect's subject and name."""
        if _is_topic_aspect(aspect):
            return self.model.topic(self.topic, self.also)
        return self.model.topic(" ".join([*aspect.subject, aspect.name]), self.also)

    def claims(self, aspect: Aspect) -> list[Claim]:
        texts = self.gathered.texts
        stance_topic = self.stance_topic(aspect)
        # A topic in the user's words is also read by how much of it a
        # sentence repeats; one asking whether X treats Y, only in sentences
        # that speak of treating.
        broad = (
            _is_topic_aspect(aspect)
            and aspect.polar
            and (aspect.context is None or aspect.treatment)
        )
        predicate = self.model.topic(" ".join(aspect.words), self.also) if broad else None
        claims: list[Claim] = []
        closest: dict[str, tuple[float, Claim]] = {}
        voices_with_claims: set[tuple] = set()
        for passage, source in self.gathered.passages.values():
            if not self._about_topic(passage.path):
                continue  # a page on another story that shares a word with this one
            if not self._names_the_subject(aspect, passage, source):
                continue
            if not aspect.applies_to(f"{source.title or ''}\n{passage.text}"):
                continue  # withdrawal from a treaty is no drug's withdrawal
            text = texts[passage.path]
            spans = passage.sentences or ((passage.start, passage.end),)
            lists = _lists_opened(text, spans)
            verdicts = _verdicts_after(text, spans, stance_topic, self.also)
            if verdicts and verdicts[-1] is None:
                verdicts[-1] = _verdict_below(text, spans[-1][1], stance_topic, self.also)
            asked = [passage.section or "", *(text[a:b] for a, b in spans)]
            for (start, end), lead, list_end, verdict_end, before in zip(
                spans, _lead_ins(text, spans), lists, verdicts, asked, strict=False
            ):
                if reading.is_question(text[start:end]):
                    continue  # a question asserts nothing
                quote = Quote.of(text, lead, verdict_end or end, passage, source)
                if broad and (answer := self._answer(before, quote, aspect, predicate, text)):
                    claims.append(answer)
                    voices_with_claims.add(_voice(passage))
                    continue
                cues = aspect.cues(quote.text)
                if cues and list_end:
                    # "There are certain side effects. These include: • Nausea
                    # • Drowsiness …": the list is what the sentence claims.
                    quote = Quote.of(text, lead, list_end, passage, source)
                    cues = aspect.cues(quote.text)
                if cues and lead < start and all(m.end() <= start - lead for m in cues):
                    continue  # its lead-in or an earlier item says it: claimed there
                claim = None
                if (
                    not cues
                    and aspect.dimension
                    and aspect.context
                    and aspect.context.search(quote.text)
                ):
                    claim = _no_limit(quote, aspect, text)
                if cues:
                    claim = self._claim(quote, aspect, stance_topic, cues, text)
                elif broad and (aspect.context is None or aspect.context.search(quote.text)):
                    claim, closeness = self._broad_claim(
                        quote, aspect, stance_topic, predicate, text
                    )
                    if (
                        claim is None
                        and closeness >= MIN_CLOSEST
                        and not self._in_background(quote)  # what was believed, not found
                    ):
                        best = closest.get(_voice(passage))
                        if closeness > (best[0] if best else 0.0):
                            found = self._read_claim(
                                quote, aspect, stance_topic, (), text, found_by="closest"
                            )
                            if found:
                                closest[_voice(passage)] = (closeness, found)
                if claim:
                    claims.append(claim)
                    voices_with_claims.add(_voice(passage))
        if broad:
            # A reader answering the thread says more than their sentence
            # closest to the topic's words ("I rang them yesterday.").
            sided = {_quote_voice(c.quote) for c in claims if c.stance != NEUTRAL}
            answers = self._thread_claims(aspect, stance_topic, sided)
            claims += answers
            voices_with_claims.update(_quote_voice(c.quote) for c in answers)
        # No source on the topic goes unread: its closest sentence is its claim.
        for voice, (_, claim) in closest.items():
            if voice not in voices_with_claims:
                claims.append(claim)
                voices_with_claims.add(voice)
        if broad:
            updates = self._update_claims(aspect, stance_topic, voices_with_claims)
            # A sentence of an update is read as one, once.
            updated = {(c.quote.source.path, c.quote.start) for c in updates}
            claims = [c for c in claims if (c.quote.source.path, c.quote.start) not in updated]
            claims += updates
        return sorted(claims, key=lambda c: (c.quote.source.path, c.quote.start))

    def _update_claims(self, aspect: Aspect, stance_topic, voices_with_claims) -> list[Claim]:
        """The sentences of an update or correction a page adds below its
        story that take a side on what "it", "the story" stands for: "NOTE:
        ... It's a spoof", "CORRECTION: ... has not recalled any formula".
        Only for a page whose own text makes a claim on the topic."""
        found = []
        for path, passages in self._source_passages.items():
            if (path, None, False) not in voices_with_claims:
                continue
            text = self.gathered.texts[path]
            held_by: dict[tuple[int, int], object] = {}
            for passage in passages:
                if passage.kind not in (COMMENT, BOILERPLATE):
                    for span in passage.sentences or ((passage.start, passage.end),):
                        held_by.setdefault(span, passage)
            for (start, end), _ in self._update_sentences(stance_topic, text, list(held_by)):
                quote = Quote.of(text, start, end, held_by[start, end], self._sources[path])
                refers = _references(quote.text)
                claim = self._read_claim(
                    quote, aspect, stance_topic, refers, text, found_by="update"
                )
                if claim and claim.stance != NEUTRAL:
                    found.append(claim)
        return found

    def _update_sentences(
        self, topic: reading.Topic, text: str, sentences: list[tuple[int, int]]
    ) -> list[tuple[tuple[int, int], reading.Reading]]:
        """The sentences of the update note below a page's story (`sentences`
        are the page's own) that refute, deny or confirm, each read with its
        "it", "the story" standing for the topic ("It's a spoof."); in order."""
        update = _update_note(text, sentences)
        if update is None:
            return []
        found = []
        for start, end in sorted(set(sentences)):
            if start < update:
                continue
            read = reading.read(topic, text[start:end], self.also, _references(text[start:end]))
            if {family for _, _, family in read.cues} & _TAKEN_ON:
                found.append(((start, end), read))
        return found

    def _answer(self, question: str, quote: Quote, aspect: Aspect, predicate, text: str):
        """A plain "No." or "Yes." answering a question that speaks to the
        topic (the sentence or heading just before it): on an FAQ page,
        "Does MSG cause headaches?  No. Scientific studies have found no
        link ..." denies it, whatever else the answer goes on to say.  The
        question must repeat the topic, and what it asks of its subject
        (`predicate`): under "Is it safe to consume aspartame?" a "Yes." says
        nothing of whether aspartame causes cancer."""
        said = _ANSWER.match(quote.text)
        if not said or not reading.is_question(question):
            return None
        asked = self.model.topic(question, self.also)
        stance_topic = self.stance_topic(aspect)
        if any(
            reading.read(topic, question, self.also).relevance < MIN_COVERAGE
            for topic in (stance_topic, predicate)
        ):
            return None
        yes = (said.group("word").lower() == "yes") != (asked.negated != stance_topic.negated)
        claim = Claim(
            quote,
            aspect.name,
            AFFIRMS if yes else DENIES,
            None,
            (said.span("word"),),
            ANSWER_CONFIDENCE,
            False,
            "answer",
        )
        return _credited(claim, text)

    def _thread_claims(self, aspect: Aspect, stance_topic, sided) -> list[Claim]:
        """Claims of readers who answer a thread on the topic without naming
        it: under "Is Desmond Kale dead??", "It's a hoax, he is alive" is a
        reader's denial.  The page's title must speak to the topic
        (`THREAD_TITLE_COVERAGE`) and the comment refute, deny or confirm
        something it refers to ("it", "the story") or names.  Only readers
        none of whose own sentences on the topic takes a side are read so
        (`sided` holds the others)."""
        found = []
        sources = self._sources
        for path, passages in self._source_passages.items():
            title = sources[path].title or ""
            if not self._about_topic(path) or not title:
                continue
            asked = reading.read(stance_topic, title, self.also).relevance
            if asked < THREAD_TITLE_COVERAGE:
                continue
            text = self.gathered.texts[path]
            comments = [p for p in passages if p.kind == COMMENT][:THREAD_COMMENTS]
            for passage in comments:
                if _voice(passage) in sided:
                    continue  # its own words on the topic take a side
                for start, end in passage.sentences or ((passage.start, passage.end),):
                    if reading.is_question(text[start:end]):
                        continue
                    quote = Quote.of(text, start, end, passage, sources[path])
                    read = reading.read(stance_topic, quote.text, self.also)
                    decisive = {f for _, _, f in read.cues} & (reading.AGAINST | {"confirm"})
                    refers = any(f.endswith("_near") for f in read.counts) or _REFERS.search(
                        quote.text
                    )
                    if decisive and refers:
                        # It speaks to what the thread asks, as much as the title does.
                        read = dataclasses.replace(read, relevance=max(read.relevance, asked))
                        claim = self._read_claim(
                            quote, aspect, stance_topic, (), text, read, "thread"
                        )
                        if claim and claim.stance != NEUTRAL:
                            found.append(claim)
        return found

    def _about_topic(self, path: str) -> bool:
        """Whether the source is about the audited topic at all, not another
        story sharing a word with it: one of its passages comes as near the
        topic as related news articles do, and not far below the nearest
        source to the topic's story (the stance model's relatedness, learned
        from FNC-1)."""
        return self._related(path, compared=False)

    @functools.cached_property
    def _sources(self) -> dict[str, SourceInfo]:
        """The sources any passage was retrieved from, by their paths."""
        return {p.path: source for p, source in self.gathered.passages.values()}

    @functools.cached_property
    def _retrieved(self) -> list[SourceInfo]:
        """The sources any passage was retrieved from, by path."""
        return [self._sources[path] for path in sorted(self._sources)]

    def set_aside(self) -> tuple[SourceInfo, ...]:
        """The sources retrieved that are not about the topic, by path."""
        return tuple(s for s in self._retrieved if not self._about_topic(s.path))

    def without_claims(self, claims: list[Claim]) -> tuple[SourceInfo, ...]:
        """The sources retrieved on the topic and about it in which no
        sentence was read as a claim: they may say it in other words."""
        claimed = {c.quote.source.path for c in claims}
        return tuple(
            s for s in self._retrieved if s.path not in claimed and self._about_topic(s.path)
        )

    def compared(self, path: str) -> bool:
        """Whether the source is near enough the topic to be set against
        others in conflicts and agreements (a stricter cut than
        `_about_topic`'s, learned the same way)."""
        return self._related(path, compared=True)

    def same_story(self, one: str, other: str) -> bool:
        """Whether two sources tell the same story, their whole texts as near
        each other as two articles on one news story are (learned from
        FNC-1): a source on a near story is set against neither."""
        return one == other or (
            reading.cosine_between(self._vectors[one], self._vectors[other])
            >= self.model.min_same_story
        )

    @functools.cached_property
    def _vectors(self) -> dict[str, tuple[dict[str, float], float]]:
        """Each source's whole text as a TF-IDF vector (`reading.vector`),
        from its passages' stem counts."""
        vectors = {}
        for path, counts in self._passage_counts.items():
            whole = Counter()
            for passage in counts:  # in order: the same as counting the joined texts
                whole.update(passage)
            vectors[path] = reading.weighed(whole, self.model.idf)
        return vectors

    def _related(self, path: str, compared: bool) -> bool:
        near, story = self._relatedness
        return self.model.related(
            near.get(path, 0.0), story.get(path, 0.0), self._nearest_to_story, compared
        )

    @functools.cached_property
    def _nearest_to_story(self) -> float:
        """How near the nearest source comes to the topic's story."""
        return max(self._relatedness[1].values(), default=0.0)

    @functools.cached_property
    def _source_passages(self) -> dict[str, list]:
        """Every passage of each source any passage was retrieved from."""
        return {path: self.ix.passages(path) for path in self.gathered.texts}

    @functools.cached_property
    def _passage_counts(self) -> dict[str, list[Counter]]:
        """The stem counts (`reading.stem_counts`) of each passage of each
        source any passage was retrieved from: stemmed once, for the
        passages' vectors and their sources'."""
        return {
            path: [reading.stem_counts([p.text]) for p in passages]
            for path, passages in self._source_passages.items()
        }

    @functools.cached_property
    def _relatedness(self) -> tuple[dict[str, float], dict[str, float]]:
        """How near each source comes to the topic, and to its story: the
        topic with the words of the sources nearest it."""
        topic = self.model.topic(self.topic, self.also)
        passages = {
            path: [reading.weighed(c, self.model.idf) for c in counts]
            for path, counts in self._passage_counts.items()
        }
        # Near the topic, a synonym counts as the topic's word it stands for:
        # "gastric cancer" comes as near "stomach cancer" as its own words
        # would.  Near its story, only the words themselves count.
        own = {s for s, weight in topic.weights.items() if weight}
        near = {
            path: self.model.nearest_passage(
                topic,
                [
                    reading.weighed(_standing_for(c, self.also, own), self.model.idf)
                    if any(s in self.also and s not in own for s in c)
                    else plain  # no stand-in: the passage's own vector
                    for c, plain in zip(self._passage_counts[path], vectors, strict=True)
                ],
            )
            for path, vectors in passages.items()
        }
        nearest = sorted(passages, key=lambda path: (-near[path], path))
        story = self.model.story(topic, [(near[path], self._vectors[path]) for path in nearest])
        return near, {path: self.model.nearest_passage(story, v) for path, v in passages.items()}

    def _names_the_subject(self, aspect: Aspect, passage, source) -> bool:
        """Whether the passage or its source's title names the aspect's
        subject (itself or a synonym); no subject asks for nothing."""
        if not aspect.subject:
            return True
        stems = set(content_stems(f"{source.title or ''} {passage.text}"))
        stems |= {self.also[s] for s in stems if s in self.also}
        # "vitamin D3" names vitamin D: a letter with a number is one of its kind.
        stems |= {s[0] for s in stems if _LETTER_AND_NUMBER.fullmatch(s)}
        return set(aspect.subject) <= self.ix.synonyms.closure(stems)

    def _claim(self, quote: Quote, aspect: Aspect, stance_topic, cues, text: str) -> Claim | None:
        if aspect.dimension:
            found = [q for q in quantities(quote.text) if q.dimension == aspect.dimension]
            found = _own(quote.text, found, self.named)
            if not found or _FIRST_PERSON.search(quote.text):
                return None  # a reader's own dose or history is not a claim about the drug
            spans = tuple((q.start, q.end) for q in found)
            claim = Claim(quote, aspect.name, AFFIRMS, None, tuple(sorted(spans)), 1.0)
            return _credited(claim, text)
        if not aspect.polar:
            spans = tuple(sorted((m.start(), m.end()) for m in cues))
            return _credited(Claim(quote, aspect.name, NEUTRAL, None, spans), text)
        spans = tuple((m.start(), m.end()) for m in cues)
        return self._read_claim(quote, aspect, stance_topic, spans, text)

    def _broad_claim(self, quote: Quote, aspect: Aspect, stance_topic, predicate, text: str):
        """A claim by how much of the topic's predicate a sentence repeats, or
        by a refuting or confirming word where it refers to the topic ("the
        story is a hoax"); else (None, how close the sentence is: the share of
        the topic it repeats).  A topic worded as a statement ("Christian Bale
        bailed on the Jobs movie") is the story itself: "Bale will star as
        Jobs" is close to it, though in a folder about the story most pages
        share its names.  On a question the sentence must say more than its
        subject: some of what it asks, or the names of the story most pages
        share ("Bale", "Jobs" on "Did Christian Bale quit the Jobs movie?");
        "Baclofen is a muscle relaxer" is no closer to "Can baclofen cause
        diabetes?" than any page on baclofen."""
        near = reading.read(predicate, quote.text, self.also)
        whole = reading.read(stance_topic, quote.text, self.also)
        if not _literal(quote.text, near.matched, aspect):
            return None, 0.0  # "scared to death", "if you have seizure disorders"
        said = {
            self.also.get(s, s) for a, b in whole.matched for s in content_stems(quote.text[a:b])
        }
        story = said & self.names if self.asks else said - LIGHT_VERBS
        closeness = whole.relevance if near.relevance > 0 or story else 0.0
        if near.relevance >= MIN_COVERAGE:
            return self._read_claim(
                quote, aspect, stance_topic, (), text, whole, "topic"
            ), closeness
        # A cue read against the predicate: "not taking baclofen" denies
        # nothing of what baclofen causes; "the story is a hoax" refutes
        # what the story says.  A question asks about its predicate: "no
        # evidence that cracking your knuckles causes arthritis" says nothing
        # of "Does knuckle cracking reduce grip strength?".
        # A light verb alone refers to nothing: "'Text thumb' is real, and
        # can lead to tendon inflammation" on "Does knuckle cracking lead to
        # arthritis?".
        named = {s for a, b in near.matched for s in content_stems(quote.text[a:b])}
        refers = bool(named - LIGHT_VERBS) or (
            not self.asks and any(f.endswith("_near") for f in near.counts)
        )
        decisive = {f for _, _, f in near.cues} & (reading.AGAINST | {"confirm"})
        if decisive and refers and whole.relevance > 0:
            return self._read_claim(quote, aspect, stance_topic, (), text, whole, "cue"), closeness
        return None, closeness

    def _read_claim(
        self,
        quote: Quote,
        aspect: Aspect,
        stance_topic,
        spans,
        text: str,
        read=None,
        found_by="aspect",
    ) -> Claim | None:
        read = (
            read
            if read is not None and not spans
            else reading.read(stance_topic, quote.text, self.also, spans)
        )
        found = self.model.sentence(stance_topic, read, quote.text)
        stance, confidence, cues = found.stance, found.confidence, found.cues
        reported = reported_speech(quote.text, stance_topic, read)
        if self._in_background(quote):
            stance, confidence = NEUTRAL, 0.0  # "BACKGROUND ... is widely believed to cause"
        if reported or only_asked(quote.text, read):
            stance, confidence = NEUTRAL, 0.0
        families = {f for _, _, f in read.cues}
        if self.link and not families & _DECISIVE and not _LINK.search(quote.text):
            # It names both things but not how they are linked: "A reader
            # wrote in about knuckle cracking and arthritis" on "Does knuckle
            # cracking lead to arthritis?".
            stance, confidence = NEUTRAL, 0.0
        if not read.cues and (found_by == "closest" or stance_topic.directions):
            # No word of it takes a side, and it is only the source's nearest
            # sentence or leaves out which way the topic says things go:
            # "810 adults were randomised to zinc lozenges or placebo" on
            # "Do zinc lozenges shorten colds?".
            stance, confidence = NEUTRAL, 0.0
        cues = tuple(sorted({*spans, *cues})) if stance != NEUTRAL else tuple(sorted(spans))
        return _credited(
            Claim(quote, aspect.name, stance, None, cues, confidence, reported, found_by), text
        )

    # --- positions ----------------------------------------------------------------

    def positions(self, aspect: Aspect, claims: list[Claim]) -> list[Position]:
        """Each voice's position on a polar aspect.  A named speaker that a
        source quotes against its own view ("the DEA does not consider it
        addictive" on a page saying it is) is a voice of its own; so is a
        person it quotes taking its side ("There is no deal," chief
        financial officer Ingrid Solberg said) when it also takes that side
        in its own words, and the person's words stay the source's too."""
        if not aspect.polar or aspect.dimension:
            return []
        by_voice: dict[tuple, list[Claim]] = defaultdict(list)
        for claim in claims:
            if claim.aspect == aspect.name:
                by_voice[_quote_voice(claim.quote)].append(claim)
        found = []
        for voice, said in by_voice.items():
            # The source's own view: its claims credited to nobody, if any.
            own = [c for c in said if not c.attributed_to] or said
            position = _position(aspect.name, own, self._probability(aspect, voice, own))
            quoted = [
                c
                for c in said
                if c.attributed_to
                and c.confidence >= SPEAKER_CONFIDENCE
                and c.stance in (AFFIRMS, DENIES)
            ]
            against = [c for c in quoted if {c.stance, position.stance} == {AFFIRMS, DENIES}]
            # A person on the source's side is a row of their own when the
            # source also says so itself; else its row is theirs ("quoting X").
            speaks = any(c.stance in (AFFIRMS, DENIES) for c in said if not c.attributed_to)
            quoted = [c for c in quoted if c in against or (speaks and is_person(c.attributed_to))]
            rest = [c for c in said if c not in against]
            if rest:
                kept = _position(aspect.name, rest, self._probability(aspect, voice, rest))
                if self.link and all(c.stance == NEUTRAL for c in rest):
                    # On a question of a link, a voice none of whose
                    # sentences says anything of it takes no side.
                    kept = dataclasses.replace(kept, stance=UNCLEAR)
                found.append(kept)
            speakers: dict[str, list[Claim]] = defaultdict(list)
            for claim in quoted:
                speakers[claim.attributed_to].append(claim)
            for speaker, theirs in speakers.items():
                found.append(_position(aspect.name, theirs, _vote(theirs), speaker))
        return sorted(
            found,
            key=lambda p: (p.source.path, p.kind != "content", p.speaker or "", p.author or ""),
        )

    def _probability(self, aspect: Aspect, voice: tuple, claims: list[Claim]) -> float:
        """How likely the voice affirms the aspect.  A curated aspect's claims
        are found by its own precise words: their stances are the evidence.
        A topic in the user's words is read from all the voice's sentences on
        it (its claims, the rest of its passages retrieved on the topic and
        its opening), as the model was trained: a debunk need not repeat
        the claim it debunks."""
        if not _is_topic_aspect(aspect) or all(c.found_by == "thread" for c in claims):
            # A reply that never names the topic is read by what it says of it.
            return _vote(claims)
        if answers := [c for c in claims if c.found_by == "answer"]:
            return _vote(answers)  # it says so in as many words
        topic = self.stance_topic(aspect)
        text = self.gathered.texts[claims[0].quote.source.path]
        quoted = {(c.quote.start, c.quote.end) for c in claims}
        sentences = sorted(quoted | set(self._voice_sentences().get(voice, ())))
        ranges = self._background[claims[0].quote.source.path]
        if update := self._update_sentences(topic, text, sentences):
            # "UPDATE: The story is a hoax." below the story: the page's
            # last word on it, when it takes a side.
            readings = [read for _, read in update]
            p = self.model.position(topic, readings, [text[a:b] for (a, b), _ in update])
            if abs(p - 0.5) >= UPDATE_MARGIN:
                return p
        readings = reading.read_sentences(topic, text, sentences, self.also, ranges)
        return self.model.position(topic, readings, [text[a:b] for a, b in sentences])

    def _in_background(self, quote: Quote) -> bool:
        """Whether `quote` sits in its source's background, aim or methods section."""
        ranges = self._background[quote.source.path]
        return reading.in_background(ranges, quote.start, quote.end)

    @functools.cached_property
    def _background(self) -> dict[str, list[tuple[int, int]]]:
        """Each source's structured-abstract background sections, found
        once: every voice of a page with 500 comments reads the page's."""
        return {path: reading.background(text) for path, text in self.gathered.texts.items()}

    @functools.cached_property
    def _sentences(self) -> dict[tuple, list[tuple[int, int]]]:
        """Every sentence of each voice, in the sources any passage was
        retrieved from: a source's own text, or one reader's comments."""
        sentences: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        for path, passages in self._source_passages.items():
            # The line above the first passage (a plain-text page's title) is
            # the page's own words too: often a news article's first sentence.
            opening = min((p.start for p in passages), default=0)
            head = self.gathered.texts[path][:opening]
            if _SENTENCE_END.search(
                head.rstrip()
            ):  # a sentence, not a heading ("Vitamin D and cancer")
                sentences[(path, None, False)] += sentence_spans(head)
            for passage in passages:
                if passage.kind != BOILERPLATE:
                    sentences[_voice(passage)] += list(
                        passage.sentences or ((passage.start, passage.end),)
                    )
        return sentences

    def _voice_sentences(self) -> dict[tuple, list[tuple[int, int]]]:
        return self._sentences


def _literal(sentence: str, matched: tuple[tuple[int, int], ...], aspect: Aspect) -> bool:
    """Whether the topic's words matched in `sentence` are meant as the topic
    means them: none in a figure of speech ("scared to death of
    withdrawal"), none, on a topic asking what the drug causes, a condition
    the reader already has ("if you have seizure disorders").  A sentence
    using one of them so is no evidence on the topic at all."""
    idioms = [m.span("word") for m in IDIOM.finditer(sentence)]
    for start, end in matched:
        if any(a <= start < b for a, b in idioms):
            return False
        if aspect.effects and names_a_condition(sentence, start, end, aspect.words):
            return False
    return True


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


def _voice(passage) -> tuple:
    """Whose words a passage holds: the page's own, or one reader's."""
    return (
        passage.path,
        passage.author if passage.kind == COMMENT else None,
        passage.kind == COMMENT,
    )


def _quote_voice(quote: Quote) -> tuple:
    return (
        quote.source.path,
        quote.author if quote.kind == COMMENT else None,
        quote.kind == COMMENT,
    )


def _vote(claims: list[Claim]) -> float:
    """The claims' stances pooled: the mean of their log-odds, a neutral
    claim counting as none."""
    sides = [
        (1 if c.stance == AFFIRMS else -1) * math.log(c.confidence / (1 - c.confidence))
        for c in claims
        if c.stance in (AFFIRMS, DENIES) and 0.5 < c.confidence < 1
    ]
    if not sides:
        return 0.5
    return 1 / (1 + math.exp(-sum(sides) / len(sides)))


def _position(aspect: str, claims: list[Claim], p: float, speaker: str | None = None) -> Position:
    first = claims[0].quote
    sure = {c.stance for c in claims if c.confidence >= MIXED_CONFIDENCE and c.stance != NEUTRAL}
    if abs(p - 0.5) < UNCLEAR_BAND:
        stance = UNCLEAR
    elif sure == {AFFIRMS, DENIES} and abs(p - 0.5) < MIXED_BAND:
        stance = MIXED
    else:
        stance = AFFIRMS if p > 0.5 else DENIES
    taken = {c.stance for c in claims if c.stance in (AFFIRMS, DENIES)}
    if first.kind == COMMENT and stance != MIXED and stance not in taken:
        # A reader's comment is short, and its own words on the topic say
        # more of it than the reading of its few sentences together (learnt
        # from articles and abstracts): "Drinking it won't give you cancer,
        # full stop." denies, whatever its other sentences lean to, or
        # however near even they read together; a comment none of whose
        # sentences takes a side takes none.
        p = _vote(claims)
        stance = (AFFIRMS if p > 0.5 else DENIES) if taken else UNCLEAR
    side = [c for c in claims if c.stance == stance]
    # A source's own words on its side before those of a person it quotes,
    # who may have a row of their own with them.
    own = [c for c in side if not c.attributed_to] if speaker is None else []
    evidence = max(own or side or claims, key=lambda c: c.confidence)
    return Position(
        aspect,
        first.source,
        first.author if first.kind == COMMENT else None,
        first.kind,
        stance,
        max(p, 1 - p),
        evidence,
        tuple(claims),
        speaker,
    )


#: A sentence saying a quantity has no limit: "There is no maximum dose."
_NO_LIMIT = re.compile(
    r"\b(?:no|not any|without (?:a|any))\s+(?:\w+\s+)?"
    r"(?:maximum|max|upper limit|limit|ceiling|cap)\b",
    re.I,
)


def _no_limit(quote: Quote, aspect: Aspect, text: str) -> Claim | None:
    """On a quantity aspect, a sentence denying that there is a limit: a
    claim that denies it, in conflict with any limit given."""
    match = _NO_LIMIT.search(quote.text)
    if match is None:
        return None
    return _credited(Claim(quote, aspect.name, DENIES, None, (match.span(),), 1.0), text)


def _credited(claim: Claim, text: str) -> Claim:
    """The claim with who its words credit, read for the claims kept only.
    A claim ending in a verdict on the sentence before it ("A Herald report
    said the dam cracked. That was not correct.") is the verdict's speaker's
    (the page's when it names none), not the reported sentence's."""
    quote = claim.quote.attributed(text)
    verdict = _verdict_start(quote.text)
    if verdict is not None:
        at = quote.start + verdict
        who = attributed_to(text[at : quote.end], text[:at], text[quote.end :])
        quote = dataclasses.replace(quote, attributed_to=who)
    return dataclasses.replace(claim, quote=quote, attributed_to=quote.attributed_to)


#: Reported speech a source does not take on as its own: rumours, "reports
#: say", "X claimed", "everyone thinks that", "posts saying", someone unnamed quoted.
_REPORTED = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|alleg\w+|rumou?r\w*|purport\w*|supposedly|reportedly|speculat\w+)\b"
    r"|\b(?:everyone|everybody|many|some|people|fans|users|critics|social media|the internet"
    r"|reports?|stories|posts?|websites?|sites?|tabloids?|newspapers?|outlets?|rumou?rs?"
    r"|parents|grandparents|families"
    r"|skeptics|sceptics|believers|proponents|supporters|opponents|activists|campaigners"
    r"|bloggers|influencers|commenters|theorists)\s+(?:\w+\s+)?"
    r"(?:(?:have|has|had)\s+(?:long\s+|often\s+|always\s+|taken\s+to\s+)?)?"
    r"(?:think|thinks|thought|believe|believes|believed|say|says|said|saying|suggest\w*|insist\w*"
    r"|call|calls|called|calling|dub|dubs|dubbed|dubbing|hail|hails|hailed|hailing|tout\w*"
    r"|warn|warns|warned|argue|argues|argued|maintain\w*|swear|swears|sworn)\b"
    # "A widespread folk belief ... holds that": a belief told, not held
    r"|\b(?:belief|myth|notion|idea|theory|tale|wisdom)s?\b[^.;:\"“”]{0,60}?\b"
    r"(?:holds?|says?|goes|suggests?|claims?)\s+that\b"
    # "My mom keeps telling me ...": a relative's word, passed on
    r"|\b(?:my|his|her|our|their)\s+(?:\w+\s+)?(?:mom|mum|mother|dad|father|parents|gran\w*"
    r"|grandpa|nan|aunt|uncle|friends?|wife|husband|brother|sister|family)\s+(?:\w+\s+){0,2}?"
    r"(?:says|said|told|tells|telling|insists|insisted|warned|warns|swears|swore|believes)\b"
    # "a page ... posted a graphic reading "BREAKING: ...""
    r"|\b(?:posted|shared|published|tweeted|ran|circulated)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:graphic|post|image|photo|picture|video|message|tweet|headline|story|screenshot)s?\s+"
    r"(?:reading|saying|claiming|that (?:said|read|claimed))\b"
    # "Posts shared thousands of times on Facebook since 3 March say that"
    r"|\b(?:reports|stories|posts|websites|tabloids|rumou?rs|messages|tweets)\s+"
    r"(?:shared|circulating|published|spread\w*|posted|seen|going)\b[^.;:!?\"“”]{0,80}?\s"
    r"(?:say|said|claim|claimed|suggest|suggested|allege|alleged)\b"
    r"|\bit (?:is|was) (?:widely |often )?(?:rumou?red|believed|said|claimed|alleged|thought)\b"
    # "WITHDRAWN: "Efficacy of ivermectin ..."": the title of a work withdrawn
    r"|^\W*(?:withdrawn|retracted|retraction(?: notice)?)\s*:"
    # "raised concern that statins may cause memory loss": a worry, not a finding
    r"|\b(?:concerns?|fears?|worries|suspicions?) (?:\w+ ){0,3}?that\b"
    # A quotation credited to someone the source does not name: "'...,' a
    # parent told me", "one reader wrote: '...'".
    r"|[\"”’]\s*,?\s*(?:a|an|one|another)\s+(?:\w+\s+){0,2}?"
    r"(?:told|said|says|wrote|writes|insisted|warned|claimed)\b"
    r"|\b(?:a|an|one|another)\s+(?:\w+\s+){0,2}?(?:told (?:me|us)|said|wrote|warned)\s*[,:]?\s*[\"“]",
    re.I,
)


#: A note a page adds below its story, correcting or updating it: "UPDATE:",
#: "CORRECTION (March 4):", "Editor's note:", "NOTE:", "Clarification —".
_UPDATE = re.compile(
    r"^[\W_]*(?:update[sd]?|correction|clarification|retraction|editor['’]?s['’]? note|note)\b"
    r"[^\n:—–-]{0,40}[:—–-]",
    re.I | re.M,
)
#: How far from an even chance an update's own reading must be to stand for
#: the page's position.
UPDATE_MARGIN = 0.15


def _references(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where a sentence refers to the story it comments on ("it", "the story",
    "no such effect"); a sentence of a few words ("Not happening.", "Fake!")
    refers to it whole."""
    words = list(reading.WORD.finditer(sentence))
    if 0 < len(words) <= SHORT_VERDICT:
        return ((words[0].start(), words[-1].end()),)
    return tuple(
        m.span()
        for m in words
        if re.split(r"['’]", m.group().lower())[0] in reading.REFERENCES | {"such"}
    )


#: Words at most in a sentence of an update that is a verdict on the story whole.
SHORT_VERDICT = 3


def _update_note(text: str, sentences: list[tuple[int, int]]) -> int | None:
    """Where the last update or correction note below a page's story starts
    (only after the voice's first sentence: a note opening a page is no
    update of it), or None."""
    first = min((a for a, _ in sentences), default=0)
    found = [m.start() for m in _UPDATE.finditer(text) if m.start() > first]
    return found[-1] if found else None


#: Cue families by which a sentence takes on, or throws out, what it reports.
_TAKEN_ON = frozenset({"refute", "deny", "no_evidence", "not_true", "confirm"})
#: A fact check's label over the claim it checks: "Claim: "BREAKING: Experts
#: CONFIRM ..."" is the claim, whatever its words, unless its verdict is
#: read with it ("THE CLAIM: ... OUR VERDICT: Misleading.").
_CLAIM_LABEL = re.compile(r"\W*(?:the\s+|viral\s+)?(?:claim|rumou?r|allegation)\s*:", re.I)
_VERDICT_LINE = re.compile(r"\b(?:verdict|rating|ruling)\W{0,4}:", re.I)


def reported_speech(text: str, topic: reading.Topic, read: reading.Reading | None = None) -> bool:
    """Whether a sentence repeats what others say ("claims that", "it has
    been reported", "reports say") without taking it on or throwing it out
    itself, toward `topic` (`read`: its reading, when made already; else it
    is read only if it repeats something)."""
    if _CLAIM_LABEL.match(text):
        return not _VERDICT_LINE.search(text)
    if _EARLIER_VERSION.search(text):
        return True  # what the page itself said before and corrects now
    if not _REPORTED.search(text):
        return False
    read = read or reading.read(topic, text)
    return not {f for _, _, f in read.cues} & _TAKEN_ON


def only_asked(text: str, read: reading.Reading) -> bool:
    """Whether a sentence names the topic only in a question it tells of
    ("travellers asking whether Nordwind has gone bust", "it is unclear
    whether the dam cracked"): it asserts none of it."""
    opened = _ASKS_WHETHER.search(text)
    return bool(opened and read.matched) and all(a >= opened.end() for a, _ in read.matched)


#: What opens a question told of, not asked: "asking whether", "wondered
#: if", "it is unclear whether", "investigating whether", "remains to be
#: seen if".
_ASKS_WHETHER = re.compile(
    r"\b(?:ask\w*|wonder\w*|unclear|uncertain|not\s+(?:yet\s+)?(?:known|clear)|unknown"
    r"|question\w*|investigat\w*|examin\w*|look\w*\s+into|check\w*|determine|establish"
    r"|seen|debat\w*|doubts?|whether\s+or\s+not)\s+(?:\w+\s+){0,3}?(?:whether|if)\b",
    re.I,
)


#: A correction's "An earlier version of this story stated that ...".
_EARLIER_VERSION = re.compile(
    r"\b(?:earlier|previous|original|prior)\s+(?:version|draft|edition|story|article|report"
    r"|headline)s?\s+(?:of\s+(?:this|the|our)\s+\w+\s+)?(?:\w+ly\s+)?"
    r"(?:stated|said|reported|claimed|suggested|described|named|identified|gave|called|misstated)\b",
    re.I,
)


#: Characters a list item's line may hold before its sentence: indent and marker.
_MARKER_ROOM = 16


#: Words from which a list item ending as a sentence does ("- A 2011 study
#: found that ... for hand osteoarthritis.") is a claim of its own.
ITEM_SENTENCE_WORDS = 10


def _is_item(text: str, start: int, end: int) -> bool:
    """Whether the sentence at `start` is (the text of) a list item that is
    no sentence of its own: its line holds a marker ("- Drowsiness") a few
    characters back at most, and it is short or does not end as a sentence
    does.  An item that is a whole sentence is quoted alone."""
    line_start = line_start_within(text, start, _MARKER_ROOM)
    if line_start is None or not is_list_item(text[line_start:end]):
        return False
    item = text[start:end].rstrip()
    whole = item.endswith((".", "!", "?", '."', ".”", ".)"))
    return not (whole and len(reading.WORD.findall(item)) >= ITEM_SENTENCE_WORDS)


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


def _verdicts_after(
    text: str, spans, topic: reading.Topic, also: dict[str, str]
) -> list[int | None]:
    """For each sentence followed by a verdict on it, where the verdict ends;
    else None.  A verdict names none of the topic's words, opens by referring
    back ("This is a myth.", "That claim is false.", "It never happened.")
    and refutes, denies or confirms: "Many people believe that cracking your
    knuckles leads to arthritis. This is a myth." is one claim."""
    ends: list[int | None] = [None] * len(spans)
    for index in range(1, len(spans)):
        start, end = spans[index]
        sentence = text[start:end]
        if _refers_back(sentence) and _is_verdict(sentence, topic, also):
            ends[index - 1] = end
    return ends


def _refers_back(sentence: str) -> bool:
    """Whether a sentence opens by referring to the one before it: "This is
    a myth.", "That claim is false.", "Verdict: False."."""
    opening = [w.lower() for w in reading.WORD.findall(sentence)[:2]]
    return bool(opening) and (opening[0] in _BACK or opening[-1] in reading.REFERENCES)


def _verdict_start(quote: str) -> int | None:
    """Where the last sentence of a quote of several opens, when it refers
    back to the one before (`_verdicts_after`); else None."""
    spans = sentence_spans(quote)
    if len(spans) > 1 and _refers_back(quote[spans[-1][0] :]):
        return spans[-1][0]
    return None


def _is_verdict(sentence: str, topic: reading.Topic, also: dict[str, str]) -> bool:
    """Whether a sentence naming none of the topic's words refutes, denies
    or confirms: a verdict on what it refers back to."""
    read = reading.read(topic, sentence, also)
    families = {family for _, _, family in read.cues}
    return not read.relevance and bool(families & (reading.AGAINST | {"confirm"}))


def _verdict_below(text: str, end: int, topic: reading.Topic, also: dict[str, str]) -> int | None:
    """Where a fact check's verdict, labelled in a paragraph of its own just
    below a sentence, ends ("**Claim:** ... \n\n**Verdict:** False."), when
    it refutes or confirms as `_verdicts_after` asks; else None."""
    label = _VERDICT_LABEL.match(text, end)
    if label and _is_verdict(label.group("verdict"), topic, also):
        return label.end("verdict")
    return None


#: A fact check's verdict label opening the line below: "Verdict: False.",
#: "**Rating:** Mostly false", "Our ruling: True".
_VERDICT_LABEL = re.compile(
    r"[ \t]*\n\s*(?P<verdict>[*_>#\s]*(?:our\s+)?(?:verdict|rating|ruling)\b"
    # to the line's end, or its first sentence's: "**Verdict: FALSE.** The ..."
    r"(?:[^\n.!?]{0,80}[.!?][*_]*(?=\s|\Z)|[^\n]{0,80}?(?=[ \t]*(?:\n|\Z))))",
    re.I,
)
#: Words that open a sentence referring back to the one before, or a fact
#: check's verdict on the claim above it ("Claim: ... Verdict: False.").
_BACK = frozenset("this that it these those such verdict rating ruling".split())


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
    return [q for q, owner in zip(found, owners, strict=True) if not owner or owner & named]


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
