"""Property-based tests (Hypothesis): the splitter and the query parser hold
their contracts for arbitrary input."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from indexer import ASCII_TOKEN_PATTERN, TOKEN_PATTERN
from indexer.errors import QueryError, UnreadableDocument
from indexer.reading.blocks import HEADING
from indexer.reading.html import HtmlLoader
from indexer.reading.passages import split_passages
from indexer.reading.plain import MarkdownLoader, TextLoader
from indexer.storage.schema import make_schema
from search import Index, SearchResult
from search.retrieval.query import make_parser, parse

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that steer splitting: terminators, quotes,
# bullets, list numbers, signatures, headings, pipes, odd whitespace.
_PIECES = st.sampled_from(
    [
        "Baclofen",
        "is",
        "a",
        "muscle",
        "relaxant",
        "Dr.",
        "U.S.",
        "etc.",
        "e.g.",
        "J.",
        "No.",
        ".",
        "!",
        "?",
        "...",
        ":",
        ";",
        ",",
        '"',
        "”",
        "'",
        "(",
        ")",
        "[",
        "]",
        "-",
        "–",
        "•",
        "1.",
        "2)",
        "- item",
        "* item",
        "Posted by: Jason 11/20/2006 2:33:10 AM",
        "Call us",
        "# Heading",
        "## Sub",
        "===",
        "---",
        "```",
        "|",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\u00a0",
        "\u2028",
        "\x0c",
        "é",
        "中文。",
        "💊",
        "A",
        "Then",
        "3.5",
        "mg",
    ]
)
documents = st.one_of(
    st.lists(_PIECES, max_size=80).map(lambda parts: " ".join(parts)),
    st.lists(_PIECES, max_size=80).map("".join),
    st.text(max_size=300),
)


def check_passages(extracted, *, covered_blocks=True):
    text = extracted.text
    passages = split_passages(extracted, "doc", max_chars=120)
    previous_end = 0
    assert len({p.passage_id for p in passages}) == len(passages), "ids are unique"
    for passage in passages:
        assert passage.text == text[passage.start : passage.end], "verbatim at its offsets"
        assert passage.text and passage.text == passage.text.strip()
        assert passage.start >= previous_end, "in order and non-overlapping"
        assert passage.passage_id.startswith("doc#")
        assert passage.line == text.count("\n", 0, passage.start) + 1
        previous_end = passage.end
    if covered_blocks:
        inside = bytearray(len(text))
        for passage in passages:
            inside[passage.start : passage.end] = b"\x01" * (passage.end - passage.start)
        for block in extracted.blocks:
            if block.type == HEADING:
                continue  # headings become section titles
            for start, end in block.units:
                missing = [i for i in range(start, end) if not text[i].isspace() and not inside[i]]
                assert not missing, f"{text[start:end]!r} not covered by any passage"
    return passages


def load(loader, data: bytes):
    try:
        return loader.load(data)
    except UnreadableDocument:
        assume(False)  # binary-looking input is refused by design, tested elsewhere


@SETTINGS
@given(documents)
@example(">")  # a quote mark alone is text outside a thread
@example("A line of words.\n>\nAnother line.")
def test_text_passages_are_verbatim_ordered_and_cover_every_block(text):
    extracted = load(TextLoader(), text.encode())
    check_passages(extracted)
    blocked = bytearray(len(extracted.text))
    for block in extracted.blocks:
        for start, end in block.units:
            blocked[start:end] = b"\x01" * (end - start)
    dropped = [c for c, b in zip(extracted.text, blocked, strict=True) if not b and not c.isspace()]
    assert not dropped, "every non-blank character of a text file is in some block"


@SETTINGS
@given(documents)
def test_markdown_passages_are_verbatim_ordered_and_cover_every_block(text):
    check_passages(load(MarkdownLoader(), text.encode()))


_TAGS = [
    "p",
    "div",
    "span",
    "b",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "pre",
    "br",
    "table",
    "td",
    "tr",
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "article",
    "a",
    "title",
    "blockquote",
]
html_documents = st.lists(
    st.one_of(
        st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
        st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
        st.sampled_from(
            [
                "<!-- c -->",
                "<!--",
                "<![CDATA[x]]>",
                "<!x",
                "&amp;",
                "&lt;",
                "&#0;",
                "<a href='javascript:x'>",
                "<",
                ">",
                "<p",
                '"',
                "<br/>",
            ]
        ),
        _PIECES,
    ),
    max_size=60,
).map("".join)


@SETTINGS
@given(html_documents)
def test_html_passages_are_verbatim_ordered_and_cover_every_block(markup):
    check_passages(load(HtmlLoader(), markup.encode()))


# --- queries ------------------------------------------------------------------

query_text = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "ANDNOT",
                "*",
                "?",
                "~",
                "^",
                ":",
                "title:",
                "source:",
                "kind:",
                "author:",
                "date:",
                "path:",
                "baclofen",
                "withdrawal",
                "the",
                "2",
                "-",
                "[",
                "]",
                "{",
                "}",
                "TO",
                "'",
                "\\",
                "💊",
                "中文",
                "~2",
                "^3",
                "/",
            ]
        ),
        max_size=20,
    ).map(" ".join),
)


@pytest.fixture(scope="module")
def seeds_ix(seed_index):
    with Index(seed_index) as ix:
        yield ix


@pytest.fixture(scope="module")
def seeds_whoosh(seed_index):
    """The seeds' index with every query scored through Whoosh's matcher."""
    with Index(seed_index, scorer="whoosh") as ix:
        yield ix


@SETTINGS
@given(query=query_text, correct=st.booleans())
def test_any_query_gives_results_or_a_query_error(seeds_ix, query, correct):
    try:
        result = seeds_ix.search(query, limit=3, correct=correct)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(result, SearchResult)
        assert result.total >= len(result.hits)


_PARSER = make_parser(make_schema())


@SETTINGS
@given(query_text)
def test_parser_raises_only_query_error(query):
    try:
        parse(_PARSER, query)
    except QueryError:
        pass


# --- indexing analysis -------------------------------------------------------

_WORDY = st.lists(
    st.sampled_from(
        list("abcxyzABCXYZ0129 .,-'’_\n\tİßéÅ")
        + ["the ", "The ", "of ", "and ", "GABA-B ", "4.5 ", "U.S. "]
    ),
    max_size=80,
).map("".join)


@given(_WORDY)
@settings(max_examples=300, deadline=None)
def test_indexed_positions_write_what_whoosh_positions_write(text):
    """The fast indexing path gives the very postings Whoosh's own token
    stream gives: terms, frequencies, weights and positions (written in
    fewer bytes, read back the same)."""
    from whoosh.formats import Positions

    from indexer.storage.schema import IndexedPositions, body_analyzer

    analyzer = body_analyzer()
    for boost in (1.0, 2.0):
        ours, whoosh = IndexedPositions(field_boost=boost), Positions(field_boost=boost)
        fast = [
            (term, freq, weight, ours.decode_positions(value), ours.decode_frequency(value))
            for term, freq, weight, value in ours.word_values(text, analyzer, mode="index")
        ]
        slow = [
            (term, freq, weight, whoosh.decode_positions(value), whoosh.decode_frequency(value))
            for term, freq, weight, value in whoosh.word_values(text, analyzer, mode="index")
        ]
        assert sorted(fast) == sorted(slow)


@given(st.lists(_WORDY, max_size=6), st.sampled_from([1.0, 2.0]))
@settings(max_examples=200, deadline=None)
def test_texts_analysed_together_give_each_texts_postings(texts, boost):
    """Many texts analysed at once (`analyse_many`, `postings_of`) give each
    text the postings the one-text path gives (`index_columns`): the same
    terms, weights and encoded positions, and its term count."""
    from indexer.storage.schema import (
        IndexedPositions,
        TermIds,
        analyse_many,
        body_analyzer,
        postings_of,
        term_count,
    )

    analyzer, format_ = body_analyzer(), IndexedPositions(field_boost=boost)
    analysed = analyse_many(texts, TermIds())
    postings = postings_of(analysed, boost)
    for n, text in enumerate(texts):
        terms, _, weights, values = format_.index_columns(text, analyzer)
        start, end = int(postings.starts[n]), int(postings.ends[n])
        ours = [
            (analysed.terms[term], weight, value)
            for term, weight, value in zip(
                postings.terms[start:end].tolist(), postings.weights[start:end].tolist(),
                postings.values[start:end], strict=True,
            )
        ]
        assert sorted(ours) == sorted(zip(terms, weights, values, strict=True))
        assert analysed.lengths[n] == term_count(text)


_RULE_BITS = [
    "we", "We're", "we are here", "our", "us", "you", "your", "Contact us", "call",
    "Call 1-800-555-0199", "(555) 555-0199", "insurance", "Health Insurance", "member's contract",
    "verify your", "disclaimer", "not intended as a substitute for",
    "for informational purposes only", "24/7", "If you or a loved one", "help", "treatment",
    "program", "read more", "Sign up", "find a center", "baclofen", "dose", "|", "a|b|c",
    "12/05/2019", "Reply", "name:", "123", "4567", " ", " ", ".", ",", "\n", "ſ", "İ", "’",
    "Call your doctor", "Contact dermatitis", "contact with", "Call 911",
    "we offer", "We specialize", "call us", "Your call is", "Learn more", "click", "555-0199",
    "555.0199", "find your treatment", "This site uses cookies", "We use cookies", "to improve",
    "cookie policy", "cookies", "Powered by", "powered by phpBB", "a", "»", "›", ">", "Forums",
    "medical advice", "this forum does not provide", "OK", "Got it",
]


@SETTINGS
@given(st.text(alphabet="0123456789 .-x\n\u0663\u00e9", max_size=60))
def test_phone_number_ends_are_the_patterns_matches(text):
    """The ends of phone numbers a text's sentences are checked against
    (`_number_ends`, found without the regex in ASCII text) are the
    pattern's own matches."""
    from indexer.reading.boilerplate import _NUMBER_END, _number_ends

    assert _number_ends(text) == [match.span() for match in _NUMBER_END.finditer(text)]


@given(st.lists(st.sampled_from(_RULE_BITS), max_size=14).map(" ".join))
@settings(max_examples=500, deadline=None)
def test_boilerplate_shortcuts_never_change_a_verdict(sentence):
    """The cheap checks before each rule's regex skip only what the regex
    would not match: the verdict is the first rule that matches."""
    from indexer.reading.boilerplate import matching_rules, sentence_rule

    matches = matching_rules(sentence)
    assert sentence_rule(sentence) == (matches[0] if matches else None)


_SALES_BITS = [
    "Buy", "buy", "Shop", "shop-", "Order", "order", "in order to", "now", "Today", "online",
    "yours", "directly", "Save", "save", "up to", "20%", "2.5 %", "$5", "€ 5", "free", "FREE",
    "shipping", "delivery", "promo", "coupon", "discount", "code", "use", "the", "add", "to",
    "cart", "basket", "limited-time", "limited time", "offer", "while", "supplies", "last",
    "ſave", "K", "İ", "-", "!", "\t", "\n", "  ", "while supplies last", "use the code",
    "promo code", "add to cart", "Add to basket", "limited-time offer", "Order now",
    "Order online", "save up to 20%", "Save $5", "free shipping", "FREE delivery", "Shop now",
]


@given(
    st.lists(st.sampled_from(_SALES_BITS), max_size=10).flatmap(
        lambda bits: st.sampled_from([" ", "", "\t"]).map(lambda space: space.join(bits))
    )
)
@example("Order online.")
@example("Buy it.")
@example("They shop now.")
@example("Save up to 20%.")
@example("Use the code.")
@example("While supplies last.")
@settings(max_examples=500, deadline=None)
def test_a_rules_alternatives_tried_apart_give_its_verdict(sentence):
    """The sales pitch's alternatives, each tried only on a sentence holding
    a word it needs, find a pitch where the rule's whole pattern does."""
    from indexer.reading.boilerplate import matching_rules, sentence_rule

    matches = matching_rules(sentence)
    assert sentence_rule(sentence) == (matches[0] if matches else None)


@pytest.mark.parametrize(
    "sentence", ["Enjoy free shipping!", "Enjoy free  shipping!", "Enjoy free\tdelivery today!"]
)
def test_a_rule_with_any_space_between_its_words_is_never_skipped(sentence):
    """A rule whose pattern allows any space between its words ("free
    shipping") is tried whatever the space: the shortcut looks for one word."""
    from indexer.reading.boilerplate import matching_rules, sentence_rule

    assert sentence_rule(sentence) == matching_rules(sentence)[0] == "sales pitch"


# A word, a full stop and what follows it: abbreviations in any case, words
# ending like one, short words, numbers, initials, acronyms, and letters
# that lower-casing treats differently.
_WORD_BEFORE_STOP = st.sampled_from(
    [
        "etc", "Etc", "ETC", "figs", "xfigs", "approx", "al", "xal", "Inc", "inc", "ınc",
        "İnc", "U.S", "e.g", "i.e", "Ph.D", "ab.cd", "cells", "CELLS", "mice", "1", "12",
        "1234", "J", "dec", "Dec", "Decl", "é", "ééé", "Σ", "", "(see",
    ]
)
_STOP = st.sampled_from([".", "..", ".)", ".\"", "!"])
_AFTER_STOP = st.sampled_from([" A", " The", " then", "The", "then", " 1", "\n", "\n- a", " "])
_FULL_STOPS = st.lists(
    st.tuples(_WORD_BEFORE_STOP, _STOP, _AFTER_STOP).map("".join), max_size=8
).map(" ".join)


@given(_FULL_STOPS, st.integers(0, 4))
@settings(max_examples=500, deadline=None)
def test_a_full_stops_shortcut_gives_the_words_verdict(text, back):
    """Whether a full stop ends a sentence, decided from the three letters
    before it where they can decide (`_is_boundary`), is what reading the
    word before it decides (`_read_boundary`), wherever the sentence starts."""
    from indexer.text import _BOUNDARY, _is_boundary, _read_boundary

    for match in _BOUNDARY.finditer(text):
        start = max(0, match.start() - back)
        assert _is_boundary(text, match, start) == _read_boundary(text, match, start), text


_TEXT_BITS = st.sampled_from([
    *_RULE_BITS, "Buy now.", "Save 20%.", "é", "K", "\n\n", ". ", "Shop", "Order now", "use code",
    "Free shipping", "add to cart", "limited-time offer", "member", "You",
])


@given(st.lists(_TEXT_BITS, max_size=30).map(" ".join), st.data())
@settings(max_examples=500, deadline=None)
def test_a_documents_sentence_rules_give_each_sentences_verdict(text, data):
    """`SentenceRules`, which looks for what the rules need once in the
    whole text, gives every span of it the verdict `sentence_rule` gives
    the span alone."""
    from indexer.reading.boilerplate import SentenceRules, sentence_rule
    from indexer.text import sentence_spans

    rules = SentenceRules(text)
    spans = sentence_spans(text)
    expected = [sentence_rule(text[start:end]) for start, end in spans]
    assert rules.verdicts(spans) == expected, text
    if text:  # and any span: a sentence may start or end in the middle of a word
        start = data.draw(st.integers(0, len(text) - 1))
        spans.append((start, data.draw(st.integers(start + 1, len(text)))))
    for start, end in spans:
        assert rules.rule(start, end) == sentence_rule(text[start:end]), text[start:end]


# Words of the seeds, their synonyms and hyphenated forms, for plain queries.
seed_words = st.lists(
    st.sampled_from(
        "baclofen Lioresal Gablofen Ozobax withdrawal overdose toxicity symptoms dose taper "
        "tapering hiccups seizures alcohol abuse potential DEA muscle relaxer relaxant GABA-B "
        "IL-6 Drug Enforcement Administration controlled substance multiple sclerosis MS GABA "
        "4-72 the what is how long".split()
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@SETTINGS
@given(query=seed_words)
def test_the_plain_word_scorer_finds_what_whoosh_finds(seeds_ix, seeds_whoosh, query):
    def found(ix):
        result = ix.search(query, limit=None, correct=False)
        return {h.passage.passage_id for h in result.hits}

    fast, slow = found(seeds_ix), found(seeds_whoosh)
    assert slow <= fast
    if "-" not in query:  # a hyphenated word also finds its joined spelling
        assert fast == slow


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_the_ascii_token_pattern_finds_the_analyzers_tokens(text):
    """Highlighting cuts all-ASCII text with `ASCII_TOKEN_PATTERN`: the
    tokens `TOKEN_PATTERN` finds there, at the same places."""
    spans = [m.span() for m in re.finditer(TOKEN_PATTERN, text)]
    assert [m.span() for m in re.finditer(ASCII_TOKEN_PATTERN, text, re.ASCII)] == spans


@SETTINGS
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127), max_size=200),
        st.text(alphabet="ab_9.. -\n", max_size=40),
    )
)
def test_ascii_tokens_are_the_patterns_tokens(text):
    """Indexing cuts all-ASCII text without the pattern (`ascii_tokens`):
    the tokens `ASCII_TOKEN_PATTERN` finds, in order, full stops inside a
    word kept and any other dropped ("U.S.", "4.5", "a..b", ".5")."""
    from indexer.storage.schema import ascii_tokens

    found = re.findall(ASCII_TOKEN_PATTERN, text, re.ASCII)
    assert ascii_tokens(text) == [token.encode("ascii") for token in found]


_WORD_BITS = st.sampled_from(
    ["Sjögren", "SJÖGREN", "ΟΔΟΣ", "Σ", "'", "İstanbul", "ǅ", "ﬁne", "x²", "½", "_", "9", "a",
     "é", "e\u0301", "\xa0", "\u2009", "\n", "-", " ", "Ab", "CD", "ß", "\ud800"]
)


@SETTINGS
@given(st.lists(st.one_of(_WORD_BITS, st.text(max_size=8)), max_size=20).map("".join))
def test_a_sources_spelling_words_are_its_lower_cased_words_in_order(text):
    """The spelling vocabulary's words of a source (cut apart without a
    regex where the text allows) are the runs of two letters or more that
    `[^\\W\\d_]{2,}` finds, lower-cased, each once, in order."""
    import unicodedata

    from indexer.document import _source_words

    composed = unicodedata.normalize("NFC", f"{text}\n{text[::-1]}")
    words = [word.lower() for word in re.findall(r"[^\W\d_]{2,}", composed)]
    assert _source_words(text, [], [text[::-1]]) == list(dict.fromkeys(words))
