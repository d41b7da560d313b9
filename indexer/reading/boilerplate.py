"""Telling a page's own claims from its marketing, forms and disclaimers.

Classification is per sentence, because real pages mix them within a
paragraph ("...the dose should be reduced slowly. A treatment center will
attempt to verify your health insurance benefits...").  Each rule has a
name, so a test or a curious user can see why a sentence was set aside.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from operator import itemgetter

_I = re.IGNORECASE

# An item of a breadcrumb line: a word, up to 40 characters, ending in no
# space (spaces before a separator go to the separator alone: had both been
# able to take them, a long line that is no breadcrumb took exponential time).
_CRUMB = r"\w(?:[^»›>\n]{0,39}[^\s»›>])?"

# The sales pitch rule's alternatives, each with text (lower-case) that it
# cannot match without: `_sentence_rule` tries only those whose text a
# sentence holds.  (As one regex, eight alternatives tried at every
# character, it took 28 µs a sentence holding "order", "code" ...)
_SALES_PITCH = (
    (("buy", "shop"), r"^\W*(?:buy|shop)\b(?!-)"),
    (("order",), r"^\W*order\s+(?:now|today|online|yours?|one|it|them|here|direct(?:ly)?)\b"),
    (("now", "today"), r"\b(?:buy|shop|order)\s+(?:now|today)\b"),
    (("save",), r"\bsave\s+(?:up\s+to\s+)?(?:\d+(?:\.\d+)?\s?%|[$£€]\s?\d)"),
    (("free",), r"\bfree\s+(?:shipping|delivery)\b"),
    (("code",), r"\b(?:promo|coupon|discount)\s+code\b|\buse\s+(?:the\s+)?code\b"),
    (("cart", "basket"), r"\badd\s+to\s+(?:cart|basket)\b"),
    (("limited", "supplies"), r"\b(?:limited[- ]time\s+offer|while\s+supplies\s+last)\b"),
)

# (name, pattern) pairs; a sentence matching any of them is boilerplate.
SENTENCE_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("phone number", re.compile(r"(?<!\d)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)")),
    (
        "insurance or payment",
        re.compile(
            r"\b(?:health insurance|insurance (?:provider|benefits|coverage)|verify your"
            r"|verification eligibility|payment of benefits|quote of benefits"
            r"|necessary authorizations|member[’']s contract|guarantee payment)\b",
            _I,
        ),
    ),
    (
        "medical disclaimer",
        re.compile(
            r"^\s*(?:medical )?disclaimer\b|not (?:intended|meant) (?:to be )?(?:as )?a substitute for"
            r"|should not be used in place of the advice|for informational purposes only"
            # The site on itself ("this forum does not provide medical
            # advice"), not anyone else ("pharmacists do not give ...").
            r"|\b(?:site|website|forum|page|article|blog|post|information|content|this)\b"
            r"[^.]{0,40}?\b(?:not|n[’']t) "
            r"(?:(?:provide|give|offer|constitute|intended as|meant as) )?"
            r"(?:professional )?medical advice\b",
            _I,
        ),
    ),
    (
        "call to action",
        re.compile(
            # Not advice to reach a clinician or emergency services ("Call your
            # doctor if...", "Call 911"), which is a claim a reader needs, nor
            # "contact" as a noun ("Contact dermatitis", "Contact with skin").
            r"^\s*(?!(?:contact|call|speak to)\s+(?:(?:your|a|an|the)\s+)?(?:\w+\s+)?"
            r"(?:doctor|physician|pharmacist|nurse|health\s?care|prescriber|poison|emergency|911)"
            r"|contact\s+(?:dermatitis|inhibition|allergy|allergies|lens|lenses|with|between|of|time)\b)"
            r"(?:contact|call|speak to|continue reading|read more|learn more|click|"
            r"sign up|subscribe|get help|find (?:a|your) (?:center|treatment))\b"
            r"|\b(?:we[’']re|we are) (?:here|ready)\b|\bcontact (?:us|our)\b|\bcall us\b"
            r"|\byour call is\b|\b24/7\b|\bwe (?:invite|can help|specialize|offer|know the struggle)\b"
            r"|\bif you or (?:a|someone you) love",
            _I,
        ),
    ),
    (
        "sales pitch",
        # An imperative selling verb, whatever the product: "Buy SleepWell
        # Gummies now and save 20%.", "Order now and get FREE shipping!"; not
        # buying told as a fact ("Patients buy it over the counter").
        re.compile("|".join(pattern for _, pattern in _SALES_PITCH), _I),
    ),
    (
        "promotion",
        # The site speaking as "we/our" to "you" about its services.  Anchored
        # with \A: unanchored, each lookahead rescans the sentence from every
        # position, which is quadratic on a long sentence.
        re.compile(
            r"\A(?=.*\b(?:we|we[’']re|we[’']ve|our|us)\b)(?=.*\byou(?:r|[’']re)?\b)"
            r"(?=.*\b(?:help|treatment|program|programs|services|staff|team|facility|center|"
            r"plan|plans|questions|needs|deserve)\b)",
            _I | re.S,
        ),
    ),
    (
        "comment form",
        re.compile(
            r"^\s*(?:post (?:your|a) comments?|leave a (?:reply|comment)|email address:|"
            r"verification code:|input the \d+ characters|name:|website:|want to join the discussion"
            r"|feel free to contribute|your email address will not be published)",
            _I,
        ),
    ),
    # Three or more cells of up to 40 characters at the end of the sentence:
    # the last two whole, the first at least one character.  (Written as
    # `(?:[^|\n]{1,40}\|){2,}[^|\n]{1,40}$` it matches the same sentences but
    # takes quadratic time on long runs of cells.)
    ("navigation row", re.compile(r"[^|\n]\|[^|\n]{1,40}\|[^|\n]{1,40}$")),
    (
        "interface word",
        re.compile(
            r"^\s*(?:reply|cevapla|responder|antworten|répondre|share|tweet|print|email|"
            r"read more|next|previous|back to top|home|menu|log ?in|sign ?in|comments?|"
            r"advertisement|skip to (?:main )?content|cookie settings|accept(?: all)?|ok|got it)"
            r"\s*[.!:»›>]*\s*$",
            _I,
        ),
    ),
    (
        "cookie notice",
        # The site's cookies, not the food: "This site uses cookies", "We use
        # cookies to improve ..." (not "we use cookies as a treat"), "our
        # cookie policy", "Accept all cookies".
        re.compile(
            r"\b(?:this|our|the) (?:site|website|web site|forum|blog)"
            r" (?:uses|places|sets|stores) cookies\b"
            r"|\bwe (?:use|place|set|store) cookies(?:[.,!]|\s*$| and similar| on (?:our|this|your)"
            r"| to (?:improve|give|ensure|personali[sz]e|analy[sz]e|provide|make|enhance|measure"
            r"|remember|understand|offer)\b)"
            r"|\bcookies? (?:policy|settings|preferences|notice|banner|consent)\b"
            r"|\b(?:accept|allow|enable|reject|decline)(?: all)? cookies\b",
            _I,
        ),
    ),
    # "Powered by phpBB®": the software's credit, a line of a few words
    # naming it (not "Powered by a battery, the pump ...").
    (
        "powered by",
        re.compile(
            r"^\s*(?:proudly )?powered by (?!(?:a|an|the|its|their)\b)\w[^.,;:!?\n]{0,40}[.!]?\s*$",
            _I,
        ),
    ),
    # Three or more short items joined by », › or a spaced ">", nothing
    # after the last ("Forums » Medications » Gabapentin"); not a sentence
    # ranking things ("The order was A > B > C.").
    (
        "breadcrumb",
        re.compile(
            rf"^\s*{_CRUMB}(?:\s*[»›]\s*{_CRUMB}|\s+>\s+{_CRUMB}){{2,}}(?<![.,;:])\s*$"
        ),
    ),
    # A Q&A site's line about a post, not its text ("Asked 3 years ago",
    # "Viewed 18k times", "Modified today").
    (
        "post statistics",
        re.compile(
            r"^\s*(?:asked|modified|viewed|active|answered|edited)\s+(?:\d[\d.,]*k?\s+times"
            r"|(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|today|yesterday)"
            r"\s*\.?\s*$",
            _I,
        ),
    ),
    # A press release's marker line, never its title: "FOR IMMEDIATE RELEASE".
    (
        "release marker",
        re.compile(
            r"^[\s*_#]*(?:for immediate release|(?:press|news|media) release|embargoed\b[^\n]{0,60}"
            r"|-30-|###)[\s*_]*[:.]?[\s*_]*$",
            _I,
        ),
    ),
    ("bare date", re.compile(r"^\s*[>»]?\s*\d{1,2}/\d{1,2}/\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)?\s*$", _I)),
)

# A paragraph that opens like this is boilerplate to its end.
PARAGRAPH_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("medical disclaimer", re.compile(r"^\s*(?:medical |legal )?disclaimer\s*:", _I)),
    ("copyright notice", re.compile(r"^\s*(?:©|\(c\)|copyright\b)", _I)),
    # A news page's links to its other stories ("Related:", then headlines).
    (
        "related links",
        re.compile(
            r"^\s*(?:related(?: articles| stories| posts| news| links| headlines| content)?"
            r"|more stories|most read|you may also like|recommended for you)\s*:",
            _I,
        ),
    ),
    # A page's labels for itself: "Tags: Eastbridge Town Council, Colin Frayne".
    (
        "tags",
        re.compile(
            r"^\s*[*_]*(?:tags|tagged(?: with)?|filed under|categories|category|keywords|topics)"
            r"\s*[*_]*\s*:",
            _I,
        ),
    ),
    # How to cite the page: "*Citation: Lindqvist E, Park J. ... 2023.*"
    (
        "citation",
        re.compile(
            r"^\s*[*_]*(?:citation|suggested citation|how to cite(?: this \w+)?|cite as)"
            r"\s*[*_]*\s*:",
            _I,
        ),
    ),
)


# The end of a phone number: three digits, a separator, four digits.
# (Each digit spelt out: as `\d{3}` and `\d{4}`, repeats, a search of a
# whole text took half as long again.)
_NUMBER_END = re.compile(r"\d\d\d[ .-]\d\d\d\d")


def _number_ends(text: str) -> list[tuple[int, int]]:
    """The spans of `_NUMBER_END`'s matches in `text` (`finditer`'s).  In
    text that is all ASCII, found without the regex, which tries a match at
    every character: its digits made "0", the separators " " and the rest
    "x" (as bytes), each "000 0000" is one.  (SciFact's files, three in five
    all ASCII: 0.023 s instead of 0.062.)"""
    if not text.isascii():
        return [match.span() for match in _NUMBER_END.finditer(text)]
    shapes = text.encode("ascii").translate(_SHAPES)
    spans = []
    at = shapes.find(b"000 0000")
    while at >= 0:
        spans.append((at, at + 8))
        at = shapes.find(b"000 0000", at + 8)
    return spans


#: ASCII's bytes as `_number_ends` sees them.
_SHAPES = bytes(48 if 48 <= n <= 57 else 32 if chr(n) in " .-" else 120 for n in range(256))

#: Cheap tests a sentence must pass before a rule's regex runs (same matches:
#: a navigation row has at least two "|"; its regex was the costliest rule).
_PRECHECK = {
    "navigation row": lambda sentence: sentence.count("|") >= 2,
    "phone number": lambda sentence: _NUMBER_END.search(sentence) is not None,
    "breadcrumb": lambda sentence: sum(map(sentence.count, "»›>")) >= 2,
}


def _holds_any(*needles: str):
    """A test of whether a text holds any of `needles` (one regex search)."""
    return re.compile("|".join(map(re.escape, needles))).search


_CALL_OPENERS = (
    "contact", "call", "speak to", "continue reading", "read more", "learn more", "click",
    "sign up", "subscribe", "get help", "find a ", "find your ",
)

#: For a sentence (lower-cased): text without which a rule's pattern cannot
#: match, read off the pattern above (the patterns' letters are ASCII; a
#: "’" where they allow one).  Checking it first skips most regex searches
#: (they were three quarters of splitting's time).  Not used on a sentence
#: holding one of `_CASE_TRAPS`.  ("call to action" also matches a
#: sentence that opens with one of `_CALL_OPENERS`.)
_NEEDLES_OF = {
    "insurance or payment": (
        "insurance", "verify your", "verification eligibility", "payment of benefits",
        "quote of benefits", "necessary authorizations", "member", "guarantee payment",
    ),
    "medical disclaimer": (
        "disclaimer", "a substitute for", "in place of the advice", "informational purposes only",
        "medical advice",
    ),
    "cookie notice": ("cookie",),
    "powered by": ("powered by",),
    "call to action": (
        "we're ", "we’re ", "we are ", "contact us", "contact our", "call us", "your call is",
        "24/7", "we invite", "we can help", "we specialize", "we offer", "we know the struggle",
        "if you or ",
    ),
    "promotion": ("you",),
    "sales pitch": (
        # ("shipping", not "free shipping": the rule allows any space between)
        "buy", "shop", "order", "save", "shipping", "delivery", "code", "cart",
        "basket", "limited", "supplies last",
    ),
}
_CALL_PHRASES = _holds_any(*_NEEDLES_OF["call to action"])
_NEEDS = {name: _holds_any(*needles) for name, needles in _NEEDLES_OF.items()}
_NEEDS["call to action"] = lambda low: (  # (the lookahead only removes matches)
    low.lstrip().startswith(_CALL_OPENERS) or _CALL_PHRASES(low) is not None
)


#: A rule's alternatives, each with the words it needs, where they are tried
#: apart (any matches where the whole pattern does).
_PARTS = {
    "sales pitch": tuple((words, re.compile(part, _I).search) for words, part in _SALES_PITCH),
}


#: The characters that case-insensitive matching takes for an ASCII letter
#: but `str.lower` does not make one ("ſ" matches "s", "İ" lower-cases to
#: two characters): the only ones where the two disagree (checked over
#: every code point).  A sentence holding one is tried on every rule.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def sentence_rule(sentence: str) -> str | None:
    """The name of the first boilerplate rule `sentence` matches, or None."""
    if len(sentence) <= _CACHED_CHARS:
        return _cached_rule(sentence)
    return _sentence_rule(sentence)


#: Sentences up to this long have their verdicts kept (`_cached_rule`).
_CACHED_CHARS = 4096


def _sentence_rule(sentence: str) -> str | None:
    low = sentence.lower() if sentence.isascii() or not _CASE_TRAPS.search(sentence) else None
    for name, pattern in SENTENCE_RULES:
        check = _PRECHECK.get(name)
        if check is not None and not check(sentence):
            continue
        needs = _NEEDS.get(name)
        if low is not None and needs is not None and not needs(low):
            continue
        parts = _PARTS.get(name) if low is not None else None
        if parts is not None:
            if any(part(sentence) for words, part in parts if any(map(low.__contains__, words))):
                return name
        elif pattern.search(sentence):
            return name
    return None


# The last verdicts: a loader and the splitter ask about the same line (a
# title, a heading) in turn.
_cached_rule = functools.lru_cache(maxsize=64)(_sentence_rule)


#: The rules a sentence holding nothing `_NEEDS` or the phone number's
#: precheck look for is tried on, in order, each with its `_PRECHECK`.
_UNGATED = tuple(
    (name, _PRECHECK.get(name), pattern)
    for name, pattern in SENTENCE_RULES
    if name not in _NEEDS and name != "phone number"
)
#: Those of them with no precheck, as one pattern: a sentence it does not
#: match is none of them.
_UNGATED_PATTERNS = re.compile(
    "|".join(f"(?:{pattern.pattern})" for _, check, pattern in _UNGATED if check is None), _I
)
assert all(  # (what `_UNGATED_PATTERNS.match` relies on)
    pattern.flags == _UNGATED_PATTERNS.flags and pattern.pattern.startswith("^")
    for _, check, pattern in _UNGATED
    if check is None
)
#: The characters the other rules' prechecks need two of in a sentence.
_PRECHECKED = {"navigation row": "|", "breadcrumb": "»›>"}
assert {name for name, check, _ in _UNGATED if check} == set(_PRECHECKED)


def _smallest(needles) -> list[str]:
    """`needles` less those that hold another: a text that holds one of
    `needles` overlaps an occurrence of one of these."""
    return sorted(n for n in needles if not any(m != n and m in n for m in needles))


class SentenceRules:
    """`sentence_rule` for the sentences of one text, faster: what the
    rules' `_NEEDS` tests and the phone number's precheck look for is
    looked for once in the whole text.  A sentence that overlaps none of it
    (nor starts as a call to action does) is tried on the other rules
    alone (`_UNGATED`), which is what `sentence_rule` would do with it; a
    sentence holding some of it is tried on those other rules and on the
    rules whose needs what it holds can meet (`_RULES_OF`), the rest being
    rules it cannot match.  Those tests, each searching every sentence,
    were most of the time spent splitting a document; trying every rule on
    the sentences holding a needle ("order", "code", "member", ...: one in
    eight of SciFact's) took as long again as looking for the needles."""

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        # Sentences are looked up in the lower-cased text by their offsets:
        # only where lower-casing keeps every character one character.
        self._low = low if len(low) == len(text) else None
        self._traps = _CASE_TRAPS.search(text) is not None
        self._prechecked = any(
            sum(map(text.count, chars)) >= 2 for chars in _PRECHECKED.values()
        )
        # What was found, by where it starts: its end and the rules it
        # may let match (a phone number's end: `_PHONE`).
        found = []
        if self._low is not None:
            for needle in _NEEDLES:
                at = low.find(needle)
                while at >= 0:
                    found.append((at, at + len(needle), _RULES_OF[needle]))
                    at = low.find(needle, at + 1)
            # (`finditer` misses no number: one inside a sentence overlaps a match it finds)
            found += [(start, end, _PHONE) for start, end in _number_ends(text)]
            found.sort(key=_FIRST)
        self._found = found
        self._starts = [start for start, _, _ in found]
        self._reach = max((end - start for start, end, _ in found), default=0)

    def rule(self, start: int, end: int) -> str | None:
        """`sentence_rule(text[start:end])`."""
        sentence = self.text[start:end]
        if (
            self._low is None
            or (self._traps and _CASE_TRAPS.search(sentence))
            or not sentence
            or sentence[0].isspace()
        ):
            return sentence_rule(sentence)
        opens = self._low.startswith(_CALL_OPENERS, start, end)
        if opens or self._starts:
            held = self._held(start, end)
            if opens:
                held.add("call to action")
            if held:
                return self._tried(sentence, start, end, held)
        if not (self._prechecked or _UNGATED_PATTERNS.match(sentence)):
            return None
        for name, check, pattern in _UNGATED:
            if check is not None and not check(sentence):
                continue
            if pattern.search(sentence):
                return name
        return None

    def verdicts(self, spans: list[tuple[int, int]]) -> list[str | None]:
        """`rule(start, end)` for each of `spans`.  A sentence near nothing
        found, opening as no call to action does, at whose start no
        ungated rule matches (most sentences) takes a few calls in C."""
        if self._low is None or self._traps or self._prechecked:
            return [self.rule(a, b) for a, b in spans]
        text, low, starts, reach = self.text, self._low, self._starts, self._reach
        ungated = _UNGATED_PATTERNS.match
        out = []
        for a, b in spans:
            i = bisect_left(starts, a - reach)
            if i < len(starts) and starts[i] < b:
                out.append(self.rule(a, b))
                continue
            sentence = text[a:b]
            if (
                not sentence
                or sentence[0].isspace()
                or low.startswith(_CALL_OPENERS, a, b)
                or ungated(sentence)
            ):
                out.append(self.rule(a, b))
            else:
                out.append(None)
        return out

    def _held(self, start: int, end: int) -> set[str]:
        """The rules that what was found in `text[start:end]` may let
        match: a needle's rules if it lies within the sentence, the phone
        number's if a number's end overlaps it."""
        starts, found = self._starts, self._found
        held: set[str] = set()
        i = bisect_left(starts, start - self._reach)
        while i < len(starts) and starts[i] < end:
            first, last, rules = found[i]
            if last > start and (rules is _PHONE or (first >= start and last <= end)):
                held |= rules
            i += 1
        return held

    def _tried(self, sentence: str, start: int, end: int, held: set[str]) -> str | None:
        """`_sentence_rule(sentence)` for a sentence that no rule of
        `_NEEDS` can match unless `held` names it, nor the phone number's
        unless `held` names it."""
        low = None
        ungated = None
        for name, pattern in SENTENCE_RULES:
            if name in _GATED:
                if name not in held:
                    continue
                parts = _PARTS.get(name)
                if parts is not None:
                    if low is None:
                        low = self._low[start:end]
                    if any(
                        part(sentence) for words, part in parts if any(map(low.__contains__, words))
                    ):
                        return name
                    continue
            else:
                if ungated is None:
                    ungated = self._prechecked or _UNGATED_PATTERNS.match(sentence) is not None
                if not ungated:
                    continue
                check = _PRECHECK.get(name)
                if check is not None and not check(sentence):
                    continue
            if pattern.search(sentence):
                return name
        return None


_FIRST = itemgetter(0)
#: What `SentenceRules` found may let match: the phone number's end.
_PHONE = frozenset({"phone number"})
#: The rules that need something `SentenceRules` looks for to match.
_GATED = frozenset({*_NEEDS, "phone number"})
#: The needles looked for in a text (those that hold no other: each other
#: one overlaps one of them), each with the rules whose needs a sentence
#: holding it may meet (those with a needle holding it).
_RULES_OF = {
    needle: frozenset(
        name for name, needles in _NEEDLES_OF.items() if any(needle in n for n in needles)
    )
    for needle in _smallest({n for needles in _NEEDLES_OF.values() for n in needles})
}
_NEEDLES = tuple(_RULES_OF)


def rules_for(text: str, keep: bool = True) -> SentenceRules:
    """`SentenceRules(text)`, made once for a document's text: a loader
    judges its first lines and headings with it, then the splitter every
    sentence.  The last one made is kept for the next call on the same
    text, unless `keep` is false (the splitter's: it is the last)."""
    last = _LAST_RULES[0]
    if last is not None and last.text is text:
        if not keep:
            _LAST_RULES[0] = None
        return last
    rules = SentenceRules(text)
    if keep:
        _LAST_RULES[0] = rules
    return rules


#: The last text's `SentenceRules` (`rules_for`).
_LAST_RULES: list[SentenceRules | None] = [None]


def matching_rules(sentence: str) -> list[str]:
    """Every sentence rule whose pattern matches `sentence` (no shortcuts)."""
    return [name for name, pattern in SENTENCE_RULES if pattern.search(sentence)]


def paragraph_rule(paragraph: str) -> str | None:
    """The name of the rule that makes a whole paragraph boilerplate, or None."""
    for name, pattern in PARAGRAPH_RULES:
        if pattern.search(paragraph):
            return name
    return None
