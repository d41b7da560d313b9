"""Spelling suggestions drawn from the index's own vocabulary.

Whoosh's corrector misbehaves on stemmed fields, so the index keeps its
unstemmed words and the number of sources each occurs in (the `words` table of
the sources database) and suggestions come from there: the closest word by
edit distance (transpositions count as one edit), most frequent first.
"""

from __future__ import annotations

from collections import defaultdict

from indexer import fold


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance between `a` and `b`, or `limit + 1`
    as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """The set of words in the index, bucketed by length for fast lookup.
    Words are compared without their accents ("sjogrn" is one edit from
    "Sjögren"), as the index matches them."""

    def __init__(self, words_with_frequency: dict[str, int]):
        self.frequency = words_with_frequency
        self._by_length: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for word in words_with_frequency:
            plain = fold(word)
            self._by_length[len(plain)].append((plain, word))

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def suggest(self, word: str) -> str | None:
        """The best known word within one edit (two for words of 8+ letters)
        that begins with the same letter: a slip of the first letter is rare,
        and allowing it turns real words into others ("falls" into "calls",
        "gain" into "again").  A word under five letters is corrected only
        for a letter left out or two swapped ("ofen", "teh"): one letter for
        another makes other real words of it ("dry" into "day")."""
        word = fold(word)
        limit = 1 if len(word) < 8 else 2
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for plain, candidate in self._by_length.get(length, ()):
                if plain[:1] != word[:1]:
                    continue
                if len(word) < 5 and not (
                    len(plain) == len(word) + 1 or sorted(plain) == sorted(word)
                ):
                    continue
                distance = edit_distance(word, plain, limit)
                if distance > limit:
                    continue
                key = (distance, -self.frequency[candidate], candidate)
                if best is None or key < best:
                    best = key
        if best and best[0] > 1 and self._compound(word):
            return None  # "wildfire" (with "fire" known) is no slip for "wildlife"
        return best[2] if best else None

    def _compound(self, word: str) -> bool:
        """Whether a word ends in a known word of `COMPOUND_TAIL` letters or
        more after a head of three or more: a compound the sources do not
        use ("wildfire" beside "fire"), not a word misspelt."""
        return any(
            word[i:] in self.frequency for i in range(3, len(word) - COMPOUND_TAIL + 1)
        )


#: Letters a known word ending an unknown one must have for the unknown
#: word to be read as a compound.
COMPOUND_TAIL = 4
