"""The filters of the query language (`kind:`, `source:`, `author:`,
`path:`, `date:`) as Whoosh queries, checked against what the index holds.

A filter value the index has never seen is a mistake, not an empty answer:
`kind:comments`, `source:nonexistent`, `date:2021` raise `QueryError`
naming the value and the ones that exist (or a close one).
"""

from __future__ import annotations

import difflib
import re

from whoosh.query import And, Prefix, Query, Term, TermRange

from indexer import KINDS, QueryError

from .postings import term_text

#: Values listed in an error before "and N more".
LISTED = 6
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DATE_FORMS = "date:2006, date:2006-11, date:2006-11-20 or a range date:2006..2007-06"
# The last term a date prefix can start: "2007" + this sorts after every
# "2007-…" and "2007T…" (dates are ASCII).
_AFTER = "\x7f"


def _listed(values: list[str]) -> str:
    shown = ", ".join(values[:LISTED])
    more = len(values) - LISTED
    return f"{shown} and {more:,} more" if more > 0 else shown


def _close(value: str, known: list[str]) -> str:
    found = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
    return f" (did you mean {found[0]}?)" if found else ""


class Filters:
    """Builds the filter queries for one open index (its Whoosh reader).
    A shard of a sharded index checks values against the whole index's
    terms (`known`: its `Statistics`), not only its own."""

    def __init__(self, reader, known=None):
        self.reader = reader
        self.known = known

    def lexicon(self, field: str) -> list[str]:
        """Every term of `field`, sorted."""
        if self.known is not None:
            return self.known.filter_terms(field)
        if field not in self.reader.schema:
            return []
        return [term_text(term) for term in self.reader.lexicon(field)]

    def has(self, field: str, term: str) -> bool:
        if self.known is not None:
            return self.known.filter_has(field, term)
        return (field, term) in self.reader

    def query(self, field: str, value: str) -> Query:
        """The query for `field:value`; raises `QueryError` for a value the
        index does not hold."""
        return getattr(self, f"_{field}")(value)

    def _kind(self, value: str) -> Query:
        kind = value.lower()
        if kind not in KINDS:
            raise QueryError(
                f"unknown kind {value!r} in kind:{value}: the kinds are {', '.join(KINDS)}"
            )
        return Term("kind", kind)

    def _source(self, value: str) -> Query:
        words = value.lower().split()
        if not words:
            raise QueryError('source:"" names no source: give a file name, publisher or URL host')
        for word in words:
            if not self.has("source", word):
                names = [path.rsplit("/", 1)[-1] for path in self.lexicon("path")]
                close = _close(word, self.lexicon("source"))
                raise QueryError(
                    f"no source matches source:{value}{close}; name a file, its stem, "
                    f"a publisher or a URL host: {_listed(names)} (`groundsearch sources` "
                    "lists them)"
                )
        return _all("source", words)

    def _author(self, value: str) -> Query:
        words = re.findall(r"\w+", value.lower())
        if not words:
            raise QueryError('author:"" names no one: give a poster\'s name')
        for word in words:
            if not self.has("author", word):
                known = self.lexicon("author")
                if not known:
                    raise QueryError(f"no comment is by {value!r}: this index holds no comments")
                raise QueryError(
                    f"no comment is by {value!r}{_close(word, known)}; posters' names "
                    f"include {_listed(known)}"
                )
        return _all("author", words)

    def _path(self, value: str) -> Query:
        if self.has("path", value):
            return Term("path", value)
        paths = self.lexicon("path")
        if value.endswith("/") and any(p.startswith(value) for p in paths):
            return Prefix("path", value)
        raise QueryError(
            f"no source has the path {value!r}{_close(value, paths)}; paths: {_listed(paths)}"
            " (a folder ends with /)"
        )

    def _date(self, value: str) -> Query:
        low, dots, high = value.partition("..")
        bounds = [low, high] if dots else [low]
        if not any(bounds) or any(b and not _DATE.fullmatch(b) for b in bounds):
            raise QueryError(f"date:{value} is not a date: write {_DATE_FORMS}")
        if dots:
            query: Query = TermRange("date", low or None, (high + _AFTER) if high else None)
        else:
            query = Prefix("date", low)
        dates = self.lexicon("date")
        if not dates:
            raise QueryError(f"no passage is dated {value}: no passage in this index has a date")
        if not any(_within(d, low, high if dots else low) for d in dates):
            raise QueryError(
                f"no passage is dated {value}; the dated passages run from "
                f"{dates[0][:10]} to {dates[-1][:10]}"
            )
        return query


def _within(date: str, low: str, high: str) -> bool:
    return (not low or date[: len(low)] >= low) and (not high or date[: len(high)] <= high)


def _all(field: str, words: list[str]) -> Query:
    terms = [Term(field, w) for w in words]
    return terms[0] if len(terms) == 1 else And(terms)
