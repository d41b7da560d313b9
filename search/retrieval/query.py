"""Turning what a user types into a Whoosh query.

Plain words are OR-ed with a coordination bonus (passages matching more of
them rank first); `"phrases"`, AND/OR/NOT, parentheses, `field:value` and
fuzzy `term~` work as in Whoosh.  Whoosh's wildcard syntax is switched off:
its parser would turn the `?` ending every natural question into a wildcard.
Synonyms from the corpus's map are added as alternatives before parsing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from whoosh import qparser
from whoosh.matching import AndNotMatcher, DisjunctionMaxMatcher
from whoosh.query import (
    And,
    AndNot,
    DisjunctionMax,
    Every,
    Not,
    NullQuery,
    Or,
    Phrase,
    Query,
    Term,
)

from indexer import STOP_WORDS, TOKEN_PATTERN, QueryError, body_analyzer, term_of

from . import drug_names

#: Longest query accepted, in characters.
MAX_QUERY_CHARS = 2000
#: Fields plain words are looked up in.
DEFAULT_FIELDS = ("title", "body")
_OPERATORS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"))

# A query's pieces: phrases (closed or not), parentheses, field:value, words.
_PIECE = re.compile(
    r'(?P<phrase>"[^"]*(?:"|$))|(?P<paren>[()])|(?P<field>\w+:(?:"[^"]*"?|[^\s()"]+))|(?P<word>[^\s()"]+)'
)
_WORD_CHARS = re.compile(r"\w+(?:[-'’.]\w+)*")
_stem = body_analyzer()
_TOKEN = re.compile(TOKEN_PATTERN)
_PLACEHOLDER = "qqsynonym"
#: A synonym counts this much of the word the user typed.
ALTERNATIVE_WEIGHT = 0.8


class _BestOfMatcher(DisjunctionMaxMatcher):
    """Whoosh's disjunction-max matcher takes the max of both sides' scores
    even when only one side is on the current document; this one scores
    only the sides that match it."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() != b.id():
            return a.score() if a.id() < b.id() else b.score()
        low, high = sorted((a.score(), b.score()))
        return high + self.tiebreak * low

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        a, b = self.a.replace(), self.b.replace()
        if not a.is_active():
            return b
        if not b.is_active():
            return a
        if a is self.a and b is self.b:
            return self
        return self.__class__(a, b, tiebreak=self.tiebreak)


class BestOf(DisjunctionMax):
    """Matches any subquery; scores a document by its best-matching one."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(
            subs, _BestOfMatcher, searcher, context,
            lambda q: q.estimate_size(reader), tiebreak=self.tiebreak,
        )


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AND NOT matcher checks its first passage against the
    excluded ones only when both start on the same passage: "withdrawal NOT
    alcohol" found the first passage holding "withdrawal" although it held
    "alcohol" too, when an earlier passage held "alcohol".  This one skips
    the excluded ones forward first."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active() and self.b.id() <= self.a.id():
            self._find_next()


class Excluding(AndNot):
    """`a ANDNOT b`, with `_AndNotMatcher`."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(
            self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context())
        )


def excluding(query: Query) -> Query:
    """`query` with each of Whoosh's `AndNot` an `Excluding`."""
    query = query.apply(excluding)
    if type(query) is AndNot:
        return Excluding(query.a, query.b)
    return query


@dataclass(frozen=True, slots=True)
class Piece:
    kind: str  # phrase, paren, field or word
    text: str
    start: int
    end: int


def pieces(text: str) -> list[Piece]:
    """Split a query into its pieces, keeping offsets so words can be replaced."""
    return [
        Piece(m.lastgroup, m.group(), m.start(), m.end())
        for m in _PIECE.finditer(text)
        if m.lastgroup
    ]


def plain_words(text: str) -> list[Piece]:
    """The query's plain words (not operators, fields, phrases, fuzzy terms
    or prefixes: those are never spelling-corrected)."""
    return [
        p for p in pieces(text)
        if p.kind == "word" and p.text not in _OPERATORS
        and not any(c in p.text for c in "~^*")
    ]


def _stems(words: list[str]) -> tuple[str, ...]:
    """The stems of `words` joined by spaces (no token spans a space)."""
    return tuple(stem for word in words for stem in _word_stems(word))


@functools.lru_cache(maxsize=20_000)
def _word_stems(word: str) -> tuple[str, ...]:
    """What `_stem` makes of `word` with its stop words kept (lower-cased,
    not stemmed), without its token objects: every index opened stems the
    built-in drug names, and a query its words a few times over."""
    return tuple(term_of(token) or token.lower() for token in _TOKEN.findall(word))


def with_built_ins(groups: list[list[str]]) -> list[list[str]]:
    """A synonym map's `groups` and the built-in drug names
    (`drug_names.GROUPS`): a built-in group adds its other names to the
    first of `groups` that names one of them ("paracetamol" and "Tylenol"
    then find "acetaminophen" too), or else follows `groups` as a group of
    its own.  Terms are compared by their stems; merging twice changes
    nothing, so a map merged already can be passed again."""
    merged = [list(group) for group in groups]
    owner: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(merged):
        for term in group:
            owner.setdefault(_stems(term.split()), number)
    for built_in in drug_names.GROUPS:
        keys = [_stems(term.split()) for term in built_in]
        number = next((owner[key] for key in keys if key in owner), None)
        if number is None:
            number = len(merged)
            merged.append([])
        for term, key in zip(built_in, keys, strict=True):
            if key not in owner:
                merged[number].append(term)
                owner[key] = number
    return merged


class Synonyms:
    """Groups of equivalent terms; each term may be several words."""

    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        self._index: dict[tuple[str, ...], int] = {}
        for number, group in enumerate(groups):
            for term in group:
                key = _stems(term.split())
                if key:
                    self._index.setdefault(key, number)
        self._longest = max((len(k) for k in self._index), default=0)
        self._key_stems = {stem for key in self._index for stem in key}
        self.words = {w.lower() for group in groups for term in group for w in term.split()}

    def closure(self, stems: set[str]) -> set[str]:
        """`stems` and the stems of every synonym of a term among them (a term
        of several words counts when all its words are there)."""
        found = set(stems)
        for key, group in self._index.items():
            if set(key) <= stems:
                for term in self.groups[group]:
                    found.update(_stems(term.split()))
        return found

    def mark(self, text: str) -> tuple[str, dict[str, tuple[str, int]]]:
        """Replace each synonym term among the query's plain words with a
        placeholder word; returns the new text and, for each placeholder, the
        words it replaced and its group.  `expand` turns the placeholders
        back into queries once Whoosh has parsed the rest."""
        if not self._index:
            return text, {}
        found: dict[str, tuple[str, int]] = {}
        words = pieces(text)
        out = []
        cursor = 0
        i = 0
        while i < len(words):
            match = self._match_at(words, i)
            if match is None:
                i += 1
                continue
            length, group = match
            first, last = words[i], words[i + length - 1]
            original = text[first.start : last.end]
            core = original.rstrip("?!.,;:")
            placeholder = f"{_PLACEHOLDER}{len(found)}x"
            found[placeholder] = (core, group)
            out += [text[cursor : first.start], placeholder, original[len(core) :]]
            cursor = last.end
            i += length
        out.append(text[cursor:])
        return "".join(out), found

    def expand(self, query: Query, marked: dict[str, tuple[str, int]]) -> Query:
        """Replace the placeholders in a parsed query with the best match
        among the synonyms (a disjunction-max, so a passage that happens to
        name all of them does not outscore one that names one)."""
        if not marked:
            return query

        def rewrite(node: Query) -> Query:
            if isinstance(node, Term) and node.text in marked:
                return self._alternatives(node.fieldname, *marked[node.text], node.boost)
            return node.apply(rewrite)

        return rewrite(query)

    def _alternatives(self, field: str, original: str, group: int, boost: float) -> Query:
        options: list[Query] = []
        for term in [original] + [t for t in self.groups[group] if t.lower() != original.lower()]:
            stems = [t.text for t in _stem(term)]
            if not stems:
                continue
            if len(stems) == 1:
                options.append(Term(field, stems[0]))
            elif term is original:
                options.append(Or([Term(field, s) for s in stems], scale=0.9))
            else:
                options.append(Phrase(field, stems))
            if term is not original:
                options[-1] = options[-1].with_boost(ALTERNATIVE_WEIGHT)
        if not options:
            return NullQuery
        return BestOf(options, boost=boost, tiebreak=0.1)

    def _match_at(self, words: list[Piece], i: int):
        # Every term starting here holds this word's stems: most words rule
        # out every term at once.
        if words[i].kind != "word" or not set(_word_stems(words[i].text)) <= self._key_stems:
            return None
        for length in range(min(self._longest, len(words) - i), 0, -1):
            run = words[i : i + length]
            if any(p.kind != "word" or p.text in _OPERATORS for p in run):
                continue
            if any(c in p.text for p in run for c in "~^:*"):
                continue
            if any(p.text[0] in "+-" for p in run):  # +word, -word: as typed
                continue
            key = _stems([p.text for p in run])
            if len(key) == length and key in self._index:
                return length, self._index[key]
        return None


def make_parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(DEFAULT_FIELDS), schema, group=qparser.OrGroup.factory(0.9)
    )
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.remove_plugin_class(qparser.EveryPlugin)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


#: What to try when Whoosh cannot parse or run a query.
SYNTAX_HINT = (
    "check that quotes and parentheses are balanced and that AND, OR and NOT "
    "stand between words (or put the words in double quotes)"
)


def check_length(text: str) -> None:
    """Raise `QueryError` if the query as typed is longer than `MAX_QUERY_CHARS`."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )


def parse(parser: qparser.QueryParser, text: str) -> Query:
    """Parse `text`; raises `QueryError` (never another exception) when it cannot be."""
    # Synonym placeholders lengthen the text: the user's limit is checked on
    # the query as typed (`check_length`); this bound only protects the parser.
    if len(text) > 4 * MAX_QUERY_CHARS:
        check_length(text)
    cleaned = "".join(c if c.isprintable() else " " for c in text)
    try:
        query = parser.parse(cleaned)
    except Exception as exc:  # Whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot parse the query ({exc}): {SYNTAX_HINT}") from None
    if query is NullQuery or isinstance(query, type(NullQuery)):
        return NullQuery
    return excluding(lift_negations(_unphrased(query, parser.schema)))


def _unphrased(query: Query, schema) -> Query:
    """A phrase on a field that keeps no word positions (`author:"Steve
    Ramirez"`: a name) as all of its words, which such a short field can
    only hold together."""
    if isinstance(query, Phrase) and not schema[query.fieldname].format.supports("positions"):
        return And([Term(query.fieldname, word) for word in query.words], boost=query.boost)
    return query.apply(lambda node: _unphrased(node, schema))


def lift_negations(query: Query) -> Query:
    """`a b NOT c` means "a or b, but not c".  Whoosh's OR grouping would
    read it as "a or b or anything without c"; rewrite each OR that holds
    negated clauses as (the other clauses) AND NOT (the negated ones)."""
    query = query.apply(lift_negations)
    if not isinstance(query, Or):
        return query
    negated = [q.query for q in query.subqueries if isinstance(q, Not)]
    if not negated:
        return query
    kept = [q for q in query.subqueries if not isinstance(q, Not)]
    positive = Or(kept, boost=query.boost, scale=query.scale) if kept else Every()
    return Excluding(positive, Or(negated))


def is_stop_word(word: str) -> bool:
    return word.lower() in STOP_WORDS


def word_core(word: str) -> str:
    """A plain word without the punctuation around it ("symptoms?" -> "symptoms")."""
    match = _WORD_CHARS.search(word)
    return match.group() if match else ""
