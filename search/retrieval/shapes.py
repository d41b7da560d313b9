"""Which queries the fast scorer takes: a plain OR of words over `title` and
`body` (what the parser makes of text without operators, phrases, fields,
fuzzy terms or boosts; synonyms included).  Everything else runs through
Whoosh (see `plain_query`).

A word that sources write in more than one way is one `Concept`: a
hyphenated word and its joined spelling ("IL-6" and "IL6", "birth-weight"
and "birthweight"), a word of the synonym map and its synonyms ("baclofen"
and "Lioresal", the synonym at 0.8).  It scores a passage (and a source) by
the best form the passage holds, never by several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.query import Or, Phrase, Term

from indexer import body_analyzer, term_of

from .query import BestOf

#: The fields plain words are scored in.
FIELDS = ("title", "body")
_ANALYZER = body_analyzer()


@dataclass(frozen=True, slots=True)
class Concept:
    """One word of a query that sources write in more than one way: the
    terms of the form typed and the other forms, each `(terms, weight)`.
    "IL-6": ("il", "6") and (("il6",), 1.0); "baclofen": ("baclofen",) and
    (("liores",), 0.8), ..."""

    typed: tuple[str, ...]
    others: tuple[tuple[tuple[str, ...], float], ...]

    def terms(self) -> set[str]:
        """Every term of every form."""
        return {t for terms, _ in ((self.typed, 1.0), *self.others) for t in terms}


# A hyphenated word as the user typed it; the tokenizer cuts it at the hyphens.
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


def joined_forms(text: str) -> list[Concept]:
    """The hyphenated words of a plain query, each with its joined spelling's
    term as the other form.  Number ranges ("4-72") are left out: "472" is
    another number."""
    found = []
    for match in _HYPHENATED.finditer(text):
        word = match.group()
        if all(piece.isdigit() for piece in word.split("-")):
            continue
        parts = tuple(_ANALYZER.index_terms(word)[1])
        term = term_of(word.replace("-", ""))
        if parts and term and term not in parts:
            found.append(Concept(parts, (((term,), 1.0),)))
    return found


def plain_query(query) -> tuple[list[str], list[Concept]] | None:
    """The stemmed words of a plain free-text query and its synonym
    concepts, or None if `query` is anything else (phrases, AND/NOT, fields,
    fuzzy terms, boosts).

    The parser turns plain words into `Or`s (flattened where it can) of
    `Term("title", w)` and `Term("body", w)` for each analysed word `w`
    (a word such as "4-PBA" gives two); parentheses nest another `Or`; a
    word of the synonym map becomes a `BestOf` per field of its forms (see
    `_form`), the typed one first and unboosted, its synonyms at their
    weight.  Accepted: only those, each word in both fields; a synonym's
    typed words count among the words."""
    title: list[str] = []
    body: list[str] = []
    concepts: dict[str, list[Concept]] = {"title": [], "body": []}

    def walk(node) -> bool:
        if type(node) is Or and node.boost == 1.0:
            return all(walk(sub) for sub in node.subqueries)
        if type(node) is Term and node.boost == 1.0 and node.fieldname in FIELDS:
            (title if node.fieldname == "title" else body).append(node.text)
            return True
        if type(node) is BestOf and node.boost == 1.0 and node.subqueries:
            forms = [_form(f) for f in node.subqueries]
            if None in forms or forms[0][2] != 1.0 or " " in "".join(forms[0][1]):
                return False
            field = forms[0][0]
            if field not in FIELDS or any(f[0] != field for f in forms):
                return False
            (title if field == "title" else body).extend(forms[0][1])
            others = tuple((terms, weight) for _, terms, weight in forms[1:])
            concepts[field].append(Concept(forms[0][1], others))
            return True
        return False

    if not walk(query) or not title or sorted(title) != sorted(body):
        return None
    if concepts["title"] != concepts["body"]:
        return None
    return body, concepts["body"]


def _form(node) -> tuple[str, tuple[str, ...], float] | None:
    """(field, terms, weight) of one form of a synonym `BestOf`: a word, the
    words of a typed term of several words (an `Or`), or a phrase, which is
    one term of the words joined by spaces (see `FastScorer.row`)."""
    if type(node) is Term:
        return node.fieldname, (node.text,), float(node.boost)
    if type(node) is Phrase and node.slop == 1 and node.words:
        return node.fieldname, (" ".join(node.words),), float(node.boost)
    if type(node) is Or and node.boost == 1.0 and node.subqueries:
        if all(type(t) is Term and t.boost == 1.0 for t in node.subqueries):
            fields = {t.fieldname for t in node.subqueries}
            if len(fields) == 1:
                return fields.pop(), tuple(t.text for t in node.subqueries), 1.0
    return None
