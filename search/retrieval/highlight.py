"""Highlighting: where a passage's words match the query, and marking them."""

from __future__ import annotations

import re
from itertools import compress
from operator import methodcaller

from indexer import ASCII_TOKEN_PATTERN, TOKEN_PATTERN, term_of, terms_of

_TOKEN = re.compile(TOKEN_PATTERN)
_ASCII_TOKEN = re.compile(ASCII_TOKEN_PATTERN, re.ASCII)
_GROUP = methodcaller("group")


def match_spans(
    text: str,
    terms: set[str],
    phrases: set[tuple[str, ...]] = frozenset(),
    prefixes: set[str] = frozenset(),
) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of `text` whose analysed form is in `terms`: the
    same spans as running `indexer.storage.schema.body_analyzer()` over the text
    (tokenise, lower-case, drop stop words, stem), about 10x faster
    because each distinct word is analysed once per process (`term_of`).

    Also the words of each of `phrases` (analysed words) where the whole
    phrase stands, stop words between them skipped as the index skips them,
    and the words that start with one of `prefixes` (lower case) as written.
    """
    if not phrases and not prefixes:
        if not terms:
            return ()
        tokens = (_ASCII_TOKEN if text.isascii() else _TOKEN).finditer(text)
        found = list(tokens)
        analysed = terms_of(list(map(_GROUP, found)))  # (each token in C, no call per word)
        return tuple(m.span() for m in compress(found, map(terms.__contains__, analysed)))
    words = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    found = set()
    if terms or phrases:
        kept = [(start, end, term_of(word)) for start, end, word in words]
        kept = [(start, end, term) for start, end, term in kept if term is not None]
        found.update((start, end) for start, end, term in kept if term in terms)
        stems = [term for _, _, term in kept]
        for phrase in phrases:
            size = len(phrase)
            for i in range(len(kept) - size + 1):
                run = kept[i : i + size]
                if stems[i] == phrase[0] and tuple(stems[i : i + size]) == phrase and all(
                    _joins(text[a[1] : b[0]]) for a, b in zip(run, run[1:], strict=False)
                ):
                    found.update((start, end) for start, end, _ in run)
    if prefixes:
        starts = tuple(prefixes)
        found.update((start, end) for start, end, word in words if word.lower().startswith(starts))
    return tuple(sorted(found))


def _joins(gap: str) -> bool:
    """Whether the text between two words of a phrase keeps them one phrase:
    spaces, hyphens and stop words, not a sentence's or a clause's end (the
    index matches "abuse. If the potential" as "abuse potential")."""
    return not _TOKEN.sub("", gap).strip(_JOINERS)


_JOINERS = " \t\n\u00a0-\u2010\u2011\u2013/'\u2019"


def mark(text: str, spans, before: str, after: str) -> str:
    """`text` with `before`/`after` around each `(start, end)` span."""
    out, cursor = [], 0
    for start, end in spans:
        out += [text[cursor:start], before, text[start:end], after]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
