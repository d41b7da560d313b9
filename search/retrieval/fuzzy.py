"""Fuzzy terms (`term~`, `term~2`) within bounds.

Whoosh computes the edit distance of the fuzzy term to every word of the
field in pure Python, for each segment and again for highlighting, and ORs
every word within reach: `baclofen~9` took 5.9 s on the five seed pages, and
`cell~9 gene~9 dna~9 rna~9 tau~9 p53~9` 122 s and 869 MB on SciFact.  As
Lucene does, a fuzzy term allows at most `MAX_EDITS` edits and searches at
most `MAX_EXPANSIONS` words, the closest first (fewest edits, then the
words most passages hold).  The words are chosen once per query, when it is
compiled, from the words of the right lengths (`Lexicon`, read once per
index); `notes` says when either limit applied.
"""

from __future__ import annotations

from whoosh.query import FuzzyTerm, Query

from indexer import QueryError

#: Most edits a fuzzy term allows (`term~9` is searched as `term~2`).
MAX_EDITS = 2
#: Most words a fuzzy term is expanded to.
MAX_EXPANSIONS = 50


class Lexicon:
    """The words of each field of an index, by length, read on first use.
    A shard of a sharded index takes the title and body words, and how many
    passages hold each, from the whole index's statistics (`known`)."""

    def __init__(self, reader, known=None):
        self.reader = reader
        self.known = known
        self._by_length: dict[str, dict[int, list[str]]] = {}
        self._expanded: dict[tuple, tuple[list[str], bool]] = {}

    def words(self, field: str, length: int) -> list[str]:
        found = self._by_length.get(field)
        if found is None:
            found = self._by_length[field] = {}
            if self._whole(field):
                terms = self.known.field_terms(field)
            else:
                terms = self.reader.lexicon(field)
            for term in terms:
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                found.setdefault(len(word), []).append(word)
        return found.get(length, [])

    def _whole(self, field: str) -> bool:
        return self.known is not None and field in ("title", "body")

    def _frequency(self, field: str, word: str) -> int:
        if self._whole(field):
            known = self.known.term(word)
            return getattr(known, field) if known is not None else 0
        return self.reader.doc_frequency(field, word)

    def expand(self, field: str, text: str, edits: int, prefix: int) -> tuple[list[str], bool]:
        """The words at most `edits` edits from `text` that share its first
        `prefix` letters, closest first, at most `MAX_EXPANSIONS` of them;
        and whether there were more."""
        key = (field, text, edits, prefix)
        if key not in self._expanded:
            self._expanded[key] = self._expand(field, text, edits, prefix)
        words, more = self._expanded[key]
        return list(words), more

    def _expand(self, field: str, text: str, edits: int, prefix: int) -> tuple[list[str], bool]:
        by_distance: list[list[str]] = [[] for _ in range(edits + 1)]
        start = text[:prefix]
        for length in range(max(0, len(text) - edits), len(text) + edits + 1):
            for word in self.words(field, length):
                if word.startswith(start):
                    distance = bounded_distance(text, word, edits)
                    if distance is not None:
                        by_distance[distance].append(word)
        chosen: list[str] = []
        for words in by_distance:
            if len(chosen) + len(words) > MAX_EXPANSIONS:
                words.sort(key=lambda w: (-self._frequency(field, w), w))
                return chosen + words[: MAX_EXPANSIONS - len(chosen)], True
            chosen += sorted(words)
        return chosen, False


def bounded_distance(a: str, b: str, bound: int) -> int | None:
    """The edit distance of `a` and `b` (insertions, deletions, substitutions
    and swaps of neighbours, as Whoosh counts them), or None above `bound`."""
    if abs(len(a) - len(b)) > bound:
        return None
    far = bound + 1  # (cells more than `bound` off the diagonal cannot be within it)
    before: list[int] = []
    previous = [j if j <= bound else far for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [i if i <= bound else far] + [far] * len(b)
        for j in range(max(1, i - bound), min(len(b), i + bound) + 1):
            changed = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + changed)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > bound:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= bound else None


class BoundedFuzzyTerm(FuzzyTerm):
    """A fuzzy term expanded once, within the limits, to `words`; `asked`
    is the edit distance typed and `more` whether words were left out."""

    def __init__(self, fieldname, text, boost=1.0, maxdist=1, prefixlength=1,
                 constantscore=True, *, words=(), asked=1, more=False):
        super().__init__(fieldname, text, boost, maxdist, prefixlength, constantscore)
        self.words = list(words)
        self.asked = asked
        self.more = more

    def _btexts(self, ixreader):
        return self.words  # (the same words for every segment)


def capped(query: Query, lexicon: Lexicon) -> Query:
    """`query` with each fuzzy term bounded (see the module's docstring)."""
    if isinstance(query, FuzzyTerm) and not isinstance(query, BoundedFuzzyTerm):
        if query.prefixlength > len(query.text):
            typed = f"{query.text}~{query.maxdist:g}/{query.prefixlength}"
            raise QueryError(
                f"cannot run the query ({typed} keeps the first {query.prefixlength} letters "
                f"of a shorter word): write term~2/N with N at most the word's length"
            )
        edits = min(int(query.maxdist), MAX_EDITS)
        words, more = lexicon.expand(query.fieldname, query.text, edits, query.prefixlength)
        return BoundedFuzzyTerm(
            query.fieldname, query.text, query.boost, edits, query.prefixlength,
            query.constantscore, words=words, asked=query.maxdist, more=more,
        )
    return query.apply(lambda node: capped(node, lexicon))


def notes(query: Query) -> tuple[str, ...]:
    """One line for each fuzzy term of `query` that a limit bounded."""
    found: dict[str, None] = {}
    for leaf in [query] if query.is_leaf() else query.leaves():
        if not isinstance(leaf, BoundedFuzzyTerm):
            continue
        typed = f"{leaf.text}~{leaf.asked:g}"
        if leaf.asked > MAX_EDITS:
            found[f"{typed} searched as {leaf.text}~{MAX_EDITS} "
                  f"(fuzzy terms allow at most {MAX_EDITS} edits)"] = None
        if leaf.more:
            found[f"{typed} matches more than {MAX_EXPANSIONS} words; "
                  f"the {MAX_EXPANSIONS} closest were searched"] = None
    return tuple(found)
