"""Prefix wildcards (`halluc*`): the words that start with the prefix as
typed, whatever the stemmer makes of them.

The index holds stems ("hallucinations" is `hallucin`), so `hallucinat*`
cannot be looked up among them.  The words as written are in the spelling
vocabulary (`sources.sqlite`): the prefix picks its words there and each
word's stem is searched.  A stem that other words share ("medication" and
"medical" are both `medic`) would find those too, so for such a stem only
the passages that really hold a word starting with the prefix are kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import And, NullQuery, Or, Query, Term
from whoosh.query.wrappers import WrappingQuery

from indexer import TOKEN_PATTERN, QueryError, term_of

from .postings import term_text

#: The fields a prefix is looked for in (as plain words are).
FIELDS = ("title", "body")
#: Most distinct stems one prefix may stand for.
MAX_STEMS = 1000
_TOKEN = re.compile(TOKEN_PATTERN)


class PrefixMatch(WrappingQuery):
    """The words starting with `prefix`: `child` is their expansion.  Its
    terms are not highlighted as words (they may be shared with words that
    do not start with the prefix); the prefix is (`highlight.match_spans`)."""

    def __init__(self, child: Query, prefix: str):
        super().__init__(child)
        self.prefix = prefix

    def __repr__(self):
        return f"{type(self).__name__}({self.child!r}, {self.prefix!r})"

    def __eq__(self, other):
        same = type(self) is type(other)
        return same and (self.child, self.prefix) == (other.child, other.prefix)

    def __hash__(self):
        return hash((type(self).__name__, self.child, self.prefix))

    def _rewrap(self, child):
        return type(self)(child, self.prefix)

    def leaves(self):
        return iter(())


class _NoScore(ListMatcher):
    def weight(self):
        return 0.0

    def score(self):
        return 0.0

    def block_max_weight(self):
        return 0.0


class PassageSet(Query):
    """Matches a fixed set of passages (document numbers across the whole
    index), adding nothing to their score: it narrows an `And`."""

    def __init__(self, docs: frozenset[int], reader):
        self.docs = docs
        # Whoosh runs a query once per segment, numbering its documents from 0.
        self._offsets = {id(leaf): offset for leaf, offset in reader.leaf_readers()}

    def __repr__(self):
        return f"{type(self).__name__}({len(self.docs)} passages)"

    def __eq__(self, other):
        return type(self) is type(other) and self.docs == other.docs

    def __hash__(self):
        return hash((type(self).__name__, self.docs))

    def is_leaf(self):
        return True

    def estimate_size(self, ixreader):
        return len(self.docs)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        offset = self._offsets.get(id(reader), 0)  # (0: the whole index's reader)
        end = offset + reader.doc_count_all()
        ids = sorted(d - offset for d in self.docs if offset <= d < end)
        return _NoScore(ids) if ids else NullMatcher()


class Prefixes:
    """Expands prefixes for one open index."""

    def __init__(
        self, searcher, words: Callable[[], Iterable[str]],
        texts: Callable[[int], tuple[str, str]],
    ):
        """`words`: the index's vocabulary, as written (read on the first
        prefix); `texts`: a passage's title field and body, by its number
        (`texts.Texts.fields_text`)."""
        self.searcher = searcher
        self._texts = texts
        self._read_words = words
        self._words: list[str] | None = None
        self._by_stem: dict[str, list[str]] = {}

    def _vocabulary(self) -> list[str]:
        if self._words is None:
            self._words = sorted(self._read_words())
            for word in self._words:
                stem = term_of(word)
                if stem is not None:
                    self._by_stem.setdefault(stem, []).append(word)
        return self._words

    def query(self, prefix: str) -> Query:
        """The passages holding a word that starts with `prefix` (lower case)."""
        words = self._vocabulary()
        stems: dict[str, bool] = {}  # stem -> every word written with it has the prefix
        for word in words[bisect.bisect_left(words, prefix):]:
            if not word.startswith(prefix):
                break
            stem = term_of(word)
            if stem is not None and stem not in stems:
                stems[stem] = all(w.startswith(prefix) for w in self._by_stem[stem])
        reader = self.searcher.reader()
        parts: list[Query] = []
        for field in FIELDS:
            found = {s: exact for s, exact in stems.items() if (field, s) in reader}
            # Words the vocabulary leaves out (it keeps letters only: "b12").
            for term in reader.expand_prefix(field, prefix):
                found.setdefault(term_text(term), False)
            if len(found) > MAX_STEMS:
                raise QueryError(
                    f"{prefix}* stands for more than {MAX_STEMS:,} words: give a longer prefix"
                )
            for stem, exact in sorted(found.items()):
                if exact:
                    parts.append(Term(field, stem))
                    continue
                held = self._holding(field, stem, prefix)
                if held:
                    parts.append(And([Term(field, stem), PassageSet(held, reader)]))
        if not parts:
            return NullQuery
        return PrefixMatch(parts[0] if len(parts) == 1 else Or(parts), prefix)

    def _holding(self, field: str, stem: str, prefix: str) -> frozenset[int]:
        """The passages whose `field` holds `stem` written as a word that
        starts with `prefix`."""
        held = set()
        for doc in self.searcher.docs_for_query(Term(field, stem)):
            title, body = self._texts(doc)
            text = body if field == "body" else title
            if any(t.lower().startswith(prefix) for t in _TOKEN.findall(text)):
                held.add(doc)
        return frozenset(held)
