"""The query language: what a user types, as a tree, and that tree as a
Whoosh query.

    baclofen withdrawal          plain words rank: more of them ranks higher
    "abuse potential"            a phrase: the words in this order
    +word  -word                 the word must (must not) be in the passage
    a AND b, a OR b, NOT a, ( )  boolean logic; AND binds before OR, and both
                                 before words side by side
    kind:comment, source:NAME,   filters: they never rank, they must hold;
    author:NAME, path:P, date:D  side by side they all hold
    halluc*                      a prefix: words that start with it as typed
    term~, term~2, title:word    fuzzy terms and a field of their own, as
                                 Whoosh parses them

`parse_query` makes the tree (raising `QueryError` for what it cannot
read); `compile_query` turns it into a Whoosh query and the filter every
result must pass, leaving the leaves to a `Builder` (the index): plain text
goes to Whoosh's parser as before, so a plain query is the very query it
always was (and the fast scorer still takes it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from whoosh.query import And, AndMaybe, AndNot, Every, Not, NullQuery, Or, Query

from indexer import QueryError

from .query import SYNTAX_HINT

#: Fields a user may name with `field:value`.
USER_FIELDS = ("title", "body", "source", "kind", "author", "path", "date")
#: Fields that filter rather than rank.
FILTER_FIELDS = ("source", "kind", "author", "path", "date")
#: Words side by side are OR-ed with this coordination scale (as Whoosh's
#: `OrGroup.factory(0.9)` does for the plain words it parses).
GROUP_SCALE = 0.9

_TOKENS = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<sign>[-+])(?=[^\s)+-])  # a leading + or -, not "-" alone
    | (?P<phrase>"[^"]*(?:"|$))
    | (?P<field>[A-Za-z]+:(?:"[^"]*(?:"|$)|[^\s()"]+))
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_OPERATORS = ("AND", "OR", "NOT")
#: Deepest nesting of parentheses and NOTs accepted.
MAX_DEPTH = 50
# Punctuation that may trail a word: "halluc*?" is the prefix "halluc".
_TRAILING = "?!.,;:"
_PREFIX = re.compile(r"[^\W_]+")


# --- the tree -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leaf:
    """A word, phrase, fuzzy term or field term (`kind` "text"), a filter
    (`kind` "filter": `field`, `value`) or a prefix (`kind` "prefix")."""

    kind: str
    text: str
    field: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Items side by side (or in parentheses): filters and `+items` must
    hold, `-items` and `NOT items` must not, the others rank."""

    items: tuple


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`a AND b` (`op` "and") or `a OR b` ("or")."""

    op: str
    items: tuple


@dataclass(frozen=True, slots=True)
class Negated:
    """`-item` or `NOT item`."""

    item: object


@dataclass(frozen=True, slots=True)
class Required:
    """`+item`."""

    item: object


def is_filter(node) -> bool:
    """Whether `node` only filters: all its leaves are filters."""
    if isinstance(node, Leaf):
        return node.kind == "filter"
    if isinstance(node, (Negated, Required)):
        return is_filter(node.item)
    return bool(node.items) and all(is_filter(item) for item in node.items)


# --- reading --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # open, close, op, sign, leaf
    text: str
    leaf: Leaf | None = None


def _leaf(kind: str, text: str) -> Leaf | None:
    if kind == "phrase":
        return Leaf("text", text)
    if kind == "field":
        name, value = text.split(":", 1)
        field = name.lower()
        if field in FILTER_FIELDS:
            if field != "path" and not value.startswith('"'):
                value = value.rstrip(_TRAILING) or value  # "kind:comment?" ends a question
            return Leaf("filter", text, field, value.strip('"'))
        if field in USER_FIELDS:
            return Leaf("text", f"{field}:{value}")
        return _word(text)  # "ratio:2", "Note:x": words with a colon
    return _word(text)


def _word(text: str) -> Leaf | None:
    name, colon, rest = text.partition(":")
    if colon and not rest and name.lower() in USER_FIELDS:
        raise QueryError(
            f"{text} needs a value right after the colon, as in {name.lower()}:"
            f"{'comment' if name.lower() == 'kind' else 'NAME'}"
        )
    core = text.rstrip(_TRAILING)
    if "*" not in core:
        return Leaf("text", text)
    if not core.strip("*"):
        return Leaf("text", "")  # `*` alone: no word
    prefix = core[:-1]
    if core.endswith("*") and _PREFIX.fullmatch(prefix):
        if len(prefix) < 2:
            raise QueryError(f"{core} is too short a prefix: give two letters or more")
        return Leaf("prefix", text, value=prefix.lower())
    raise QueryError(
        f"{core}: only a * at the end of a word is supported (halluc* finds the words "
        "starting with halluc); put the text in double quotes to search for it as written"
    )


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "space":
            continue
        if kind in ("open", "close", "sign"):
            tokens.append(_Token(kind, value))
        elif kind == "word" and value in _OPERATORS:
            tokens.append(_Token("op", value))
        else:
            tokens.append(_Token("leaf", value, _leaf(kind, value)))
    return tokens


class _Reader:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"the query nests parentheses or NOTs more than {MAX_DEPTH} deep: {SYNTAX_HINT}"
            )

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def group(self, nested: bool) -> Group:
        items = []
        while (token := self.peek()) is not None:
            if token.kind == "close":
                if nested:
                    break
                self.take()  # a stray ")": nothing to close, as Whoosh read it
                continue
            items.append(self.either())
        return Group(tuple(items))

    def either(self):
        items = [self.both()]
        while self._at_op("OR"):
            self.take()
            items.append(self.both())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def both(self):
        items = [self.unary()]
        while self._at_op("AND"):
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def unary(self):
        token = self.peek()
        if token is not None and token.kind == "op" and token.text == "NOT":
            self.take()
            self._operand_after("NOT")
            self.deeper()
            item = self.unary()
            self.depth -= 1
            return Negated(item)
        if token is not None and token.kind == "sign":
            self.take()
            self._operand_after(token.text)
            item = self.primary()
            return Negated(item) if token.text == "-" else Required(item)
        return self.primary()

    def primary(self):
        token = self.peek()
        if token is None or token.kind in ("op", "close"):
            where = token.text if token else "the query"
            raise QueryError(f"{where} is missing a word: {SYNTAX_HINT}")
        self.take()
        if token.kind == "open":
            self.deeper()
            group = self.group(nested=True)
            self.depth -= 1
            if self.peek() is not None:
                self.take()  # its ")" (an unclosed "(" closes at the end)
            return group
        return token.leaf

    def _at_op(self, name: str) -> bool:
        token = self.peek()
        if token is None or token.kind != "op" or token.text != name:
            return False
        following = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        if following is None or following.kind == "close" or (
            following.kind == "op" and following.text != "NOT"
        ):
            raise QueryError(f"{name} needs a word on each side: {SYNTAX_HINT}")
        return True

    def _operand_after(self, what: str) -> None:
        token = self.peek()
        if token is None or token.kind == "close" or (token.kind == "op" and token.text != "NOT"):
            raise QueryError(f"{what} needs a word after it: {SYNTAX_HINT}")


def parse_query(text: str) -> Group:
    """The tree of `text`; raises `QueryError` when it cannot be read."""
    tokens = _tokens(text)
    first = tokens[0] if tokens else None
    if first is not None and first.kind == "op" and first.text != "NOT":
        raise QueryError(f"{first.text} needs a word on each side: {SYNTAX_HINT}")
    return _Reader(tokens).group(nested=False)


# --- compiling ------------------------------------------------------------------


class Builder(Protocol):
    """What `compile_query` asks of the index for each leaf."""

    def text_query(self, text: str) -> Query: ...
    def filter_query(self, field: str, value: str) -> Query: ...
    def prefix_query(self, prefix: str) -> Query: ...


@dataclass(frozen=True, slots=True)
class Compiled:
    """A query ready to run."""

    query: Query
    """What ranks the passages (`Every()` for filters alone, `NullQuery` for nothing)."""
    restrict: Query | None
    """The top-level filters, which every result must pass, or None."""
    ranked: Sequence[Query]
    """The query's ranking items side by side at its top level (words,
    phrases, prefixes), each on its own: `search` counts the passages that
    hold every one.  Empty when something is required.  Made on first use
    (`Later`)."""


class Later(Sequence):
    """A tuple made by `make` the first time it is used."""

    __slots__ = ("_items", "_make")

    def __init__(self, make):
        self._make, self._items = make, None

    def _made(self) -> tuple:
        if self._items is None:
            self._items, self._make = tuple(self._make()), None
        return self._items

    def __getitem__(self, index):
        return self._made()[index]

    def __len__(self) -> int:
        return len(self._made())


def compile_query(tree: Group, builder: Builder) -> Compiled:
    """`tree` as a Whoosh query; its top-level filters become the `restrict`."""
    items = tree.items
    if len(items) == 1 and isinstance(items[0], BoolOp) and items[0].op == "and":
        # `a AND kind:comment`: each side must hold, so its filters filter.
        items = tuple(i if isinstance(i, Negated) else Required(i) for i in items[0].items)
    filters: list[Query] = []
    query, ranked = _group(items, builder, filters)
    restrict = None
    if filters:
        restrict = filters[0] if len(filters) == 1 else And(filters)
        if query is NullQuery:
            query = Every()
    return Compiled(query, restrict, ranked)


def _compile(node, builder: Builder) -> Query:
    if isinstance(node, Leaf):
        if node.kind == "filter":
            return builder.filter_query(node.field, node.value)
        if node.kind == "prefix":
            return builder.prefix_query(node.value)
        return builder.text_query(node.text)
    if isinstance(node, Group):
        return _group(node.items, builder)[0]
    if isinstance(node, Required):
        return _compile(node.item, builder)
    if isinstance(node, Negated):
        excluded = _compile(node.item, builder)
        return NullQuery if excluded is NullQuery else AndNot(Every(), excluded)
    if node.op == "or":
        return _or([_compile(item, builder) for item in node.items], scale=None)
    positive = [_compile(i, builder) for i in node.items if not isinstance(i, Negated)]
    negative = [_compile(i.item, builder) for i in node.items if isinstance(i, Negated)]
    return _and_not(_and(positive) if positive else Every(), negative)


def _group(items, builder: Builder, filters: list[Query] | None = None):
    """(the query of items side by side, their ranking items one by one).
    With `filters`, the filters among them go there instead of the query."""
    words: list[str] = []
    ranking: list[Query] = []
    must: list[Query] = []
    must_not: list[Query] = []
    for item in items:
        negated = isinstance(item, Negated)
        inner = item.item if isinstance(item, (Negated, Required)) else item
        if is_filter(inner) and filters is not None:
            query = _compile(inner, builder)
            filters.append(Not(query) if negated else query)
        elif negated:
            must_not.append(_compile(inner, builder))
        elif isinstance(item, Required) or is_filter(inner):
            must.append(_compile(inner, builder))
        elif isinstance(inner, Leaf) and inner.kind == "text":
            words.append(inner.text)
        else:
            ranking.append(_compile(inner, builder))
    # Plain text side by side goes to Whoosh's parser in one piece: the
    # query it always made of it (the fast scorer recognises it).
    text = builder.text_query(" ".join(words)) if words else NullQuery
    optional = _or([text, *ranking], scale=GROUP_SCALE)
    must = [q for q in must if q is not NullQuery]
    if must:
        query = _and(must)
        if optional is not NullQuery:
            query = AndMaybe(query, optional)
    elif optional is not NullQuery:
        query = optional
    else:
        query = Every() if must_not else NullQuery
    query = _and_not(query, must_not)
    ranked: Sequence[Query] = ()
    if not must and not must_not:
        # (each word parsed on its own costs as much as the query: only
        # `count_all_words` needs them)
        ranked = Later(
            lambda: [q for q in (*map(builder.text_query, words), *ranking) if q is not NullQuery]
        )
    return query, ranked


def _or(queries: list[Query], scale: float | None) -> Query:
    queries = [q for q in queries if q is not NullQuery]
    if not queries:
        return NullQuery
    if len(queries) == 1:
        return queries[0]
    return Or(queries, scale=scale) if scale is not None else Or(queries)


def _and(queries: list[Query]) -> Query:
    if any(q is NullQuery for q in queries):
        queries = [q for q in queries if q is not NullQuery]
    if not queries:
        return NullQuery
    return queries[0] if len(queries) == 1 else And(queries)


def _and_not(query: Query, excluded: list[Query]) -> Query:
    excluded = [q for q in excluded if q is not NullQuery]
    if not excluded or query is NullQuery:
        return query
    return AndNot(query, excluded[0] if len(excluded) == 1 else Or(excluded))
