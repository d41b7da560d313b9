"""Telling a page's own claims from its marketing, forms and disclaimers.

Classification is per sentence, because real pages mix them within a
paragraph ("...the dose should be reduced slowly. A treatment center will
attempt to verify your health insurance benefits...").  Each rule has a
name, so a test or a curious user can see why a sentence was set aside.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# An item of a breadcrumb line: a word, up to 40 characters, ending in no
# space (spaces before a separator go to the separator alone: had both been
# able to take them, a long line that is no breadcrumb took exponential time).
_CRUMB = r"\w(?:[^»›>\n]{0,39}[^\s»›>])?"

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
        re.compile(
            r"^\W*(?:buy|shop)\b(?!-)"
            r"|^\W*order\s+(?:now|today|online|yours?|one|it|them|here|direct(?:ly)?)\b"
            r"|\b(?:buy|shop|order)\s+(?:now|today)\b"
            r"|\bsave\s+(?:up\s+to\s+)?(?:\d+(?:\.\d+)?\s?%|[$£€]\s?\d)"
            r"|\bfree\s+(?:shipping|delivery)\b"
            r"|\b(?:promo|coupon|discount)\s+code\b|\buse\s+(?:the\s+)?code\b"
            r"|\badd\s+to\s+(?:cart|basket)\b"
            r"|\b(?:limited[- ]time\s+offer|while\s+supplies\s+last)\b",
            _I,
        ),
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
    ("bare date", re.compile(r"^\s*[>»]?\s*\d{1,2}/\d{1,2}/\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)?\s*$", _I)),
)

# A paragraph that opens like this is boilerplate to its end.
PARAGRAPH_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("medical disclaimer", re.compile(r"^\s*(?:medical |legal )?disclaimer\s*:", _I)),
    ("copyright notice", re.compile(r"^\s*(?:©|\(c\)|copyright\b)", _I)),
)


# The end of a phone number: three digits, a separator, four digits.
_NUMBER_END = re.compile(r"\d{3}[ .-]\d{4}")

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
_CALL_PHRASES = _holds_any(
    "we're ", "we are ", "contact us", "contact our", "call us", "your call is", "24/7",
    "we invite", "we can help", "we specialize", "we offer", "we know the struggle", "if you or ",
)

#: For an ASCII sentence (lower-cased): text without which a rule's pattern
#: cannot match, read off the pattern above.  Checking it first skips most
#: regex searches (they were three quarters of splitting's time).  Not used
#: on other sentences, where case-insensitive matching and `str.lower` can
#: disagree ("ſ", "İ").
_NEEDS = {
    "insurance or payment": _holds_any(
        "insurance", "verify your", "verification eligibility", "payment of benefits",
        "quote of benefits", "necessary authorizations", "member", "guarantee payment",
    ),
    "medical disclaimer": _holds_any(
        "disclaimer", "a substitute for", "in place of the advice", "informational purposes only",
        "medical advice",
    ),
    "cookie notice": _holds_any("cookie"),
    "powered by": _holds_any("powered by"),
    "call to action": lambda low: (  # (the lookahead only removes matches)
        low.lstrip().startswith(_CALL_OPENERS) or _CALL_PHRASES(low)
    ),
    "promotion": _holds_any("you"),
    "sales pitch": _holds_any(
        "buy", "shop", "order", "save", "free shipping", "free delivery", "code", "cart",
        "basket", "limited", "supplies last",
    ),
}


def sentence_rule(sentence: str) -> str | None:
    """The name of the first boilerplate rule `sentence` matches, or None."""
    low = sentence.lower() if sentence.isascii() else None
    for name, pattern in SENTENCE_RULES:
        check = _PRECHECK.get(name)
        if check is not None and not check(sentence):
            continue
        needs = _NEEDS.get(name)
        if low is not None and needs is not None and not needs(low):
            continue
        if pattern.search(sentence):
            return name
    return None


def matching_rules(sentence: str) -> list[str]:
    """Every sentence rule whose pattern matches `sentence` (no shortcuts)."""
    return [name for name, pattern in SENTENCE_RULES if pattern.search(sentence)]


def paragraph_rule(paragraph: str) -> str | None:
    """The name of the rule that makes a whole paragraph boilerplate, or None."""
    for name, pattern in PARAGRAPH_RULES:
        if pattern.search(paragraph):
            return name
    return None
