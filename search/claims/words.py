"""The words of questions, topics and claims: their content words as typed
and as stems, and how common a stem is among an index's passages."""

from __future__ import annotations

import re

from indexer import body_analyzer

from ..retrieval.engine import Index
from ..retrieval.query import is_stop_word, word_core
from .stance import UNTRUE, lemma_stem

_ANALYZER = body_analyzer()


def content_stems(text: str) -> list[str]:
    """The analysed (stemmed, stop-word-free) words of `text`, in order."""
    return [t.text for t in _ANALYZER(text)]


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stop words, as typed (lower-cased); a
    figure keeps its thousands ("4,000", not "4")."""
    words = (
        figure.group() if (figure := _FIGURE.search(p)) else word_core(p).lower()
        for p in text.split()
    )
    return [w for w in words if w and not is_stop_word(w)]


_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def passage_share(ix: Index, stem: str) -> float:
    """The share of `ix`'s passages whose body contains `stem`."""
    return ix.passages_holding(stem) / ix.passage_count()


def common_stems(ix: Index, stems, share: float, min_passages: int = 0) -> set[str]:
    """The stems of `stems` in more than `share` of `ix`'s passages: in a
    corpus about one thing ("baclofen" in the seeds) they go without saying.
    None in a corpus of fewer than `min_passages` passages, where a share
    says little."""
    if ix.passage_count() < min_passages:
        return set()
    return {stem for stem in stems if passage_share(ix, stem) > share}


_END = r"[\s?.!]*$"
_STORY = r"(?:the|this|that)\s+(?:claim|story|report|rumou?r|idea|notion|statement|headline)"
#: Questions that ask whether a claim holds ("Is it true that X?", "Is there
#: evidence that X?", "Is the story that X true?"): the claim is what a
#: source affirms or denies, not the words around it ("true", "evidence").
_ASKS_IF_TRUE = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"^\s*(?:is|was|isn'?t|wasn'?t)\s+it\s+(?:really\s+|actually\s+)?"
        r"(?:true|correct|right|accurate|the case|a fact|factual|real)\s+that\s+(?P<claim>.+?)"
        + _END,
        r"^\s*(?:is|are|was|were)\s+there\s+(?:any\s+|some\s+|good\s+|strong\s+)?"
        r"(?:evidence|proof|data|studies|research)\s+(?:that|for|showing)\s+(?P<claim>.+?)" + _END,
        r"^\s*(?:do|does|did)\s+(?:the\s+)?(?:studies|research|evidence|reports|data|experts)\s+"
        r"(?:show|suggest|prove|confirm|support)\s+(?:that\s+)?(?P<claim>.+?)" + _END,
        rf"^\s*(?:is|was)\s+{_STORY}\s+(?:that\s+)?(?P<claim>.+?)\s+"
        r"(?:true|correct|accurate|right|real)" + _END,
        r"^\s*(?:true or false|fact or fiction|fact[- ]check)\s*[:,\u2013\u2014-]\s*(?P<claim>.+?)"
        + _END,
    )
)
#: ... and those that ask whether it is false ("Is it a myth that X?").
_ASKS_IF_UNTRUE = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        rf"^\s*(?:is|was)\s+it\s+(?:really\s+)?(?P<untrue>{UNTRUE})\s+that\s+(?P<claim>.+?)" + _END,
        rf"^\s*(?:is|was)\s+{_STORY}\s+(?:that\s+)?(?P<claim>.+?)\s+(?P<untrue>{UNTRUE})" + _END,
    )
)


def claim_asked(topic: str) -> str | None:
    """The claim a question asks the truth of, as a statement: "Is it true
    that the meteorite hit Managua?" asks "the meteorite hit Managua"; "Is it
    a myth that X?" asks "It is a myth that X", a topic worded as a denial.
    None for any other topic."""
    for frame in _ASKS_IF_TRUE:
        if match := frame.match(topic):
            return match["claim"]
    for frame in _ASKS_IF_UNTRUE:
        if match := frame.match(topic):
            return f"It is {match['untrue']} that {match['claim']}"
    return None


#: Words that stand for one another in a claim, in news and health writing:
#: "Aer Lingus will axe the route" speaks to "Is Aer Lingus dropping the
#: route?", "kids" to "children".  One word each (a phrase's words apart say
#: other things), none with a common other sense ("cut", "leave", "pass").
THESAURUS = tuple(
    group.split()
    for group in (
        "resign resignation quit",
        "drop axe scrap cancel withdraw discontinue ditch pull",
        "ban prohibit outlaw forbid",
        "buy acquire acquisition purchase takeover",
        "die dead death kill deceased mortality fatal",
        "crash collision smash wreck",
        "arrest detain",
        "sign join",
        "child children kid kids youngster",
        "iq intelligence intellect",
        "relieve ease alleviate soothe",
        "trigger provoke induce",
        "cancer tumor tumour carcinoma malignancy malignant neoplasm",
        "approve adopt",
        "shut closure",
        "stove cooker hob",
        "vaccine jab vaccination inoculation",
        "lose loss",
        "phone cellphone smartphone handset",
        "car vehicle automobile",
        "airline carrier",
        "link associate association tie",
        "bowel colorectal colon",
        "sack dismiss oust",
        "hire appoint",
        "merge merger",
        "strike walkout",
        # A body part and its medical adjective, and other words health
        # writing uses for one another: "gastric cancer" is stomach cancer.
        "stomach gastric",
        "kidney renal",
        "liver hepatic",
        "lung pulmonary",
        "heart cardiac",
        "brain cerebral",
        "skin cutaneous dermal",
        "salt salty sodium nacl",
        "drug medication",
        "doctor physician clinician",
        "pregnancy pregnant",
        "infant baby newborn neonate neonatal",
        "diet dietary",
        "risk likelihood",
    )
)


def thesaurus(stems: set[str]) -> dict[str, str]:
    """The `THESAURUS`'s words for the topic's stems, each mapped to the
    topic's stem it stands for (as `lemma_stem` reads a sentence's words)."""
    return stand_ins(([lemma_stem(w) for w in group] for group in THESAURUS), stems)


def thesaurus_words(stems: set[str]) -> list[str]:
    """The `THESAURUS`'s words, as written, that stand for one of the topic's
    `stems`: what a search for the topic also looks for."""
    return [
        word
        for group in THESAURUS
        if any(lemma_stem(w) in stems for w in group)
        for word in group
        if lemma_stem(word) not in stems
    ]


def stand_ins(groups, stems: set[str]) -> dict[str, str]:
    """For each group of stems that stand for one another and holds one of
    the topic's `stems`, the group's other stems, each mapped to that one."""
    found: dict[str, str] = {}
    for group in groups:
        topic_stem = next((s for s in group if s in stems), None)
        if topic_stem is not None:
            found.update({s: topic_stem for s in group if s not in stems})
    return found
