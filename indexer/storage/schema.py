"""The Whoosh schema and analyzers shared by the indexer and the search layer."""

from __future__ import annotations

import re
import threading
from itertools import chain, compress, repeat
from operator import is_, is_not, mul, sub
from typing import NamedTuple
from urllib.parse import urlparse

import numpy as np
from whoosh import columns
from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from ..spellings import normalise

#: Bump when the schema or analysis changes: older indexes must be rebuilt.
#: 8: passage text read from the sources table, not stored twice; positions as
#: varints; passage ids not indexed.  9: no `words` column in the sources table.
#: 10: a passage's stored fields packed in one tuple (`place`).  11: the
#: postings of a term in at most 4 passages inlined in the terms table.
SCHEMA_VERSION = 11

#: Whoosh's stop words plus the words natural questions are made of.
STOP_WORDS = frozenset(WHOOSH_STOP_WORDS) | frozenset(
    """what which who whom whose why how where does do did doing done was were is
    am been being has had having there their them they its it's about into any
    some such than then these those very should would could i me my mine our
    ours he him his she her hers s t also just only all most more other so""".split()
)

# A word is letters and digits, with any accents written as separate combining
# marks (text saved decomposed, "nai\u0308ve"): Python's \w leaves those out, which
# cut such a word in two.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"\w[\w{_MARKS}]*"
TOKEN_PATTERN = rf"{_WORD}(?:\.?{_WORD})*"
#: The tokens `TOKEN_PATTERN` finds in text that is all ASCII (which holds no
#: combining marks), found faster.
ASCII_TOKEN_PATTERN = r"\w+(?:\.\w+)*"

# English Snowball (Porter2) stemming: PyStemmer's C implementation when it is
# installed, else Whoosh's pure-Python one.  They disagree on about 0.2 % of
# words ("university", "-ologists"), so the index records which one built it
# (`STEMMER`) and an index built with the other must be rebuilt.
try:
    import Stemmer as _pystemmer
except ImportError:  # pragma: no cover - PyStemmer is a dependency
    _pystemmer = None

if _pystemmer is not None:
    STEMMER = "snowball-english/pystemmer"
    _local = threading.local()  # a PyStemmer Stemmer is not thread-safe

    def _stemmer():
        stemmer = getattr(_local, "stemmer", None)
        if stemmer is None:
            # (Without PyStemmer's own cache: each word is stemmed once
            # here, `terms_of` and `TermIds` keep the results, and keeping
            # its cache of 10,000 words made `stemWords` three times slower.)
            stemmer = _local.stemmer = _pystemmer.Stemmer("english", 0)
        return stemmer

    def _snowball(word: str) -> str:
        return _stemmer().stemWord(word)

    def _snowball_all(words: list[str]) -> list[str]:
        return _stemmer().stemWords(words)

else:  # pragma: no cover
    from whoosh.lang.snowball.english import EnglishStemmer as _EnglishStemmer

    STEMMER = "snowball-english/whoosh"
    _whoosh_stemmer = _EnglishStemmer()

    def _snowball(word: str) -> str:
        return _whoosh_stemmer.stem(word)

    def _snowball_all(words: list[str]) -> list[str]:
        return [_whoosh_stemmer.stem(word) for word in words]


def stem(word: str) -> str:
    """The term a lower-case word is indexed and searched under: its spelling
    made one (`spellings.normalise`: "tumours" and "tumors", "TNF-α" and
    "TNF-alpha"), then its Snowball English stem."""
    return _snowball(normalise(word))


class BodyAnalyzer(CompositeAnalyzer):
    """Tokenise, lower-case, drop stop words, stem (one spelling, then
    Snowball English, i.e. Porter2): "hiccups" and "hiccuping" both become
    "hiccup", "tumours" and "tumor" both "tumor".

    A Whoosh analyzer (queries and phrases use its token stream) with a fast
    path for indexing, `index_terms`, that gives the same terms without
    building a token object per word: indexing spends most of its time here.
    """

    def __init__(self):
        super().__init__(
            RegexTokenizer(TOKEN_PATTERN),
            LowercaseFilter(),
            StopFilter(stoplist=STOP_WORDS, minsize=1),
            StemFilter(stemfn=stem, cachesize=100_000),
        )

    def index_terms(self, text: str) -> tuple[int, list[str]]:
        """The terms of `text` in order, and the position of the first one.

        Positions count up from there: Whoosh's stop filter renumbers the
        words it keeps but leaves the first at its place among all tokens
        (so "the drug" puts "drug" at 1), and phrase queries only need the
        distances between terms.
        """
        known = _RECENT.pop(id(text), None)
        if known is not None and known[0] is text:
            _RECENT[id(text)] = known  # (now the most recent)
            return known[1]
        result = self._index_terms(text)
        if len(_RECENT) >= 4:
            del _RECENT[next(iter(_RECENT))]  # the least recent
        _RECENT[id(text)] = (text, result)
        return result

    def _index_terms(self, text: str) -> tuple[int, list[str]]:
        tokens = (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)
        mapped = terms_of(tokens)
        terms = list(compress(mapped, map(is_not, mapped, repeat(None))))
        if not terms:
            return 0, terms
        first = 0
        while mapped[first] is None:
            first += 1
        return first, terms


_TOKEN = re.compile(TOKEN_PATTERN)
_ASCII_TOKEN = re.compile(ASCII_TOKEN_PATTERN, re.ASCII)  # (the same tokens in ASCII text, faster)
# The last few texts analysed (by identity): a passage's title and body are
# counted for their length columns just before Whoosh indexes them, and a
# section's passages share one title.
_RECENT: dict[int, tuple[str, tuple[int, list[str]]]] = {}
_TERMS: dict[str, str | None] = {}
_UNKNOWN = object()
_CACHE_SIZE = 500_000


def terms_of(tokens: list[str]) -> list[str | None]:
    """`term_of` each token, looked up in C (the words this process has not
    met yet are stemmed in one batch)."""
    mapped = list(map(_TERMS.get, tokens, repeat(_UNKNOWN)))
    if _UNKNOWN in mapped:
        new = dict.fromkeys(compress(tokens, map(is_, mapped, repeat(_UNKNOWN))))
        if not _room_for(len(new)):
            new = dict.fromkeys(tokens)  # (the cache was emptied)
        _remember_all(new)
        mapped = list(map(_TERMS.get, tokens))
    return mapped


def term_of(token: str) -> str | None:
    """What the analyzer's filters make of one token (as the tokenizer cuts
    it): its term, or None for a stop word.  Remembered per token."""
    term = _TERMS.get(token, _UNKNOWN)
    if term is _UNKNOWN:
        _room_for(1)
        _remember_all([token])
        term = _TERMS[token]
    return term


def _room_for(new: int) -> bool:
    """Whether `_TERMS` has room for `new` more tokens; if not, it is
    emptied (which keeps memory bounded on huge vocabularies)."""
    if len(_TERMS) + new < _CACHE_SIZE:
        return True
    _TERMS.clear()
    return False


def _remember_all(tokens) -> None:
    """Add the terms of `tokens` (distinct) to `_TERMS`: lower-cased, stop
    words None, the others spelt one way and stemmed in one call (PyStemmer's
    `stemWords`)."""
    _TERMS.update(zip(tokens, _new_terms(tokens), strict=True))


def _new_terms(tokens) -> list[str | None]:
    """What the analyzer's filters make of each of `tokens` (distinct):
    lower-cased, stop words None, the others spelt one way and stemmed in
    one call (PyStemmer's `stemWords`)."""
    words = [token.lower() for token in tokens]
    # (Distinct: tokens differing only in case, "Cancer" and "cancer", are one word.)
    kept = list(dict.fromkeys(word for word in words if word and word not in STOP_WORDS))
    stems = dict(zip(kept, _snowball_all([normalise(word) for word in kept]), strict=True))
    return list(map(stems.get, words))


class IndexedPositions(Positions):
    """Whoosh's `Positions` format, indexing through `BodyAnalyzer.index_terms`
    and writing positions in fewer bytes.

    It gives exactly what `Positions` gives (the same terms, frequencies,
    weights and positions), several times faster.  A posting's positions are
    the gaps between them (the first from 0), each an unsigned LEB128
    number: one byte for a gap under 128, where Whoosh pickles a list after a
    4-byte count (12 bytes for one position).  Whoosh reads them through
    this class's `decode_*` methods, as phrase queries do.
    """

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, BodyAnalyzer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for term, found in _positions(value, analyzer).items():
            yield term, len(found), len(found) * boost, encode(found)

    def encode(self, poslist) -> bytes:
        """A term's positions in one passage (ascending).  Most terms are at
        one position, whose encoding is taken from a table (one object for
        every posting at that position: a block pickles it once)."""
        if len(poslist) == 1 and 0 <= poslist[0] < len(_AT_ONE_POSITION):
            return _AT_ONE_POSITION[poslist[0]]
        return _varints(map(sub, poslist, [0, *poslist[:-1]]))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = []
        position = gap = shift = 0
        for byte in valuestring:
            gap |= (byte & 0x7F) << shift
            if byte & 0x80:
                shift += 7
            else:
                position += gap
                positions.append(position)
                gap = shift = 0
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return sum(byte < 0x80 for byte in valuestring)  # (one last byte per number)

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def index_items(self, value: str, analyzer) -> list[tuple[bytes, int, float, bytes]]:
        """What Whoosh's `FieldType.index` makes of `word_values`: each term
        as UTF-8 bytes with its frequency, weight and encoded positions."""
        if not isinstance(analyzer, BodyAnalyzer):
            values = self.word_values(value, analyzer)
            return [(term.encode("utf-8"), *rest) for term, *rest in values]
        terms, frequencies, weights, values = self.index_columns(value, analyzer)
        return list(zip(terms, frequencies, weights, values, strict=True))

    def index_columns(self, value: str, analyzer: BodyAnalyzer) -> tuple[list, list, list, list]:
        """`index_items` as four lists (terms, frequencies, weights,
        values), made mostly by calls that run in C: the index writer's
        fast path (`indexer.storage.writer`)."""
        positions = _positions(value, analyzer)
        found = list(positions.values())
        frequencies = list(map(len, found))
        weights = list(map(mul, frequencies, repeat(self.field_boost)))
        # `encode` inlined for a term at one position (most are): a call
        # per posting was a tenth of the time spent here.
        encode = self.encode
        values = [
            _AT_ONE_POSITION[at[0]] if len(at) == 1 and at[0] < _ONE_POSITION_LIMIT else encode(at)
            for at in found
        ]
        return list(map(str.encode, positions)), frequencies, weights, values


class Analysed(NamedTuple):
    """Many texts' terms (`analyse_many`): each occurrence of a term (stop
    words left out) as the text it is in, its term id and its position."""

    terms: list[bytes]
    """Term id -> the term, UTF-8."""
    texts: np.ndarray
    ids: np.ndarray
    positions: np.ndarray
    lengths: np.ndarray
    """Each text's number of terms (`term_count`)."""


def analyse_many(texts: list[str], term_ids: TermIds) -> Analysed:
    """What `BodyAnalyzer.index_terms` makes of each of `texts`, with the
    positions `_positions` gives them, for all of them at once: a
    tokenisation per text and a look-up per token in C, the rest NumPy's.
    Term ids are `term_ids`'s."""
    tokens = list(map(_tokens, texts))
    counts = np.fromiter(map(len, tokens), np.int64, len(tokens))
    ids = term_ids.of(list(chain.from_iterable(tokens)))
    keep = np.flatnonzero(ids >= 0)
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), counts)[keep]
    lengths = np.bincount(text_of, minlength=len(texts)).astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    # A text's first term keeps its place among all its tokens (stop words
    # too), the others count up from it (see `index_terms`).
    token_starts = np.cumsum(counts) - counts
    first = np.zeros(len(texts), np.int64)
    has = lengths > 0
    first[has] = keep[starts[has]] - token_starts[has]
    positions = first[text_of] + np.arange(len(keep), dtype=np.int64) - starts[text_of]
    return Analysed(term_ids.terms, text_of, ids[keep], positions, lengths)


def _tokens(text: str) -> list:
    """The tokens `TOKEN_PATTERN` finds in `text`; from text that is all
    ASCII, as bytes (`ascii_tokens`)."""
    if text.isascii():
        return ascii_tokens(text)
    return _TOKEN.findall(text)


def ascii_tokens(text: str) -> list[bytes]:
    """The tokens `ASCII_TOKEN_PATTERN` finds in `text` (all ASCII), as
    bytes, cut by calls that run at the speed of copying: every character
    but a word's and a full stop made a space, then every full stop not
    between two word characters, then split at the spaces.  (SciFact's
    texts: 0.15 s instead of the pattern's 0.31.)"""
    data = text.encode("ascii").translate(_ASCII_WORD_BYTES)
    if b"." in data:
        data = _LONE_STOP.sub(b" ", data)
    return data.split()


#: ASCII's bytes, those of no word nor a full stop made spaces.
_ASCII_WORD_BYTES = bytes(
    n if chr(n).isalnum() and n < 128 or chr(n) in "_." else 32 for n in range(256)
)
#: A full stop not between two word characters: followed by none, or
#: preceded by none (the lookbehind spans the stop itself).
_LONE_STOP = re.compile(rb"\.(?:(?!\w)|(?<!\w\.))")


class TermIds:
    """Tokens (as the tokenizer cuts them) -> term ids, -1 for a stop word,
    and term ids -> terms (UTF-8), for `analyse_many`: one per index
    writer, emptied when it holds `_CACHE_SIZE` tokens (between calls: the
    ids of one call's `Analysed` stay its own)."""

    def __init__(self):
        self._tokens: dict[str | bytes, int] = {}
        self._ids: dict[str, int] = {}
        self.terms: list[bytes] = []

    def of(self, tokens: list[str | bytes]) -> np.ndarray:
        """Each token's term id, the new ones' terms found in one batch
        (kept here, not in `terms_of`'s cache as well).  A token is a
        string or, from text that is all ASCII, bytes (`ascii_tokens`).
        The ids go straight into an array (a list of them made an int
        object per token, then the array), and only the new tokens' places
        are looked up again."""
        known = self._tokens
        n = len(tokens)
        ids = np.fromiter(map(known.get, tokens, repeat(-2)), np.int64, n)
        missing = np.flatnonzero(ids == -2)
        if len(missing):
            found_at = list(map(tokens.__getitem__, missing.tolist()))
            new = list(dict.fromkeys(found_at))
            if len(known) + len(new) >= _CACHE_SIZE:
                self._tokens, self._ids, self.terms = {}, {}, []
                known = self._tokens
                new = list(dict.fromkeys(tokens))
                missing, found_at = np.arange(n), tokens
            term_ids, terms = self._ids, self.terms
            words = [token.decode("ascii") if type(token) is bytes else token for token in new]
            for token, term in zip(new, _new_terms(words), strict=True):
                if term is None:
                    known[token] = -1
                    continue
                found = term_ids.get(term)
                if found is None:
                    found = term_ids[term] = len(terms)
                    terms.append(term.encode())
                known[token] = found
            ids[missing] = np.fromiter(map(known.__getitem__, found_at), np.int64, len(found_at))
        return ids


class Postings(NamedTuple):
    """Analysed texts' postings, text by text, each text's by term id."""

    starts: np.ndarray
    ends: np.ndarray
    """Where each text's postings start and end in the arrays below."""
    terms: np.ndarray
    weights: np.ndarray
    values: list
    """Each posting's positions, encoded (`IndexedPositions.encode`)."""


def postings_of(analysed: Analysed, field_boost: float) -> Postings:
    """The postings of `analysed` texts (`analyse_many`): one per text and
    term, its frequency times `field_boost` as its weight and its positions
    encoded as `IndexedPositions.index_columns` encodes them (the same
    objects for a term at one position below 2,048)."""
    texts = len(analysed.lengths)
    width = max(len(analysed.terms), 1)
    key = analysed.texts * width + analysed.ids
    order = np.argsort(key, kind="stable")  # (positions stay in order within a posting)
    key = key[order]
    positions = analysed.positions[order]
    if len(key):
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    else:
        starts = np.zeros(0, np.int64)
    ends = np.append(starts[1:], len(key)).astype(np.int64)
    frequencies = ends - starts
    text_of = key[starts] // width
    bounds = np.searchsorted(text_of, np.arange(texts + 1))
    values = np.empty(len(starts), object)
    first = positions[starts]
    single = frequencies == 1
    table = single & (first < len(_AT_ONE_ARRAY))
    values[table] = _AT_ONE_ARRAY[first[table]]
    for i in np.flatnonzero(single & ~table).tolist():
        values[i] = _varints([int(first[i])])
    many = np.flatnonzero(~single)
    if len(many):
        gaps = positions - np.concatenate(([0], positions[:-1]))
        gaps[starts] = positions[starts]
        small = np.maximum.reduceat(gaps, starts)[many] < 0x80  # (each gap one byte)
        packed = gaps.astype(np.uint8).tobytes()
        for i, lo, hi, fits in zip(
            many.tolist(), starts[many].tolist(), ends[many].tolist(), small.tolist(),
            strict=True,
        ):
            values[i] = packed[lo:hi] if fits else _varints(gaps[lo:hi].tolist())
    return Postings(
        bounds[:-1], bounds[1:], key[starts] % width,
        frequencies * field_boost, values.tolist(),
    )


#: The columns that hold a field's exact term counts (the scorer's lengths).
COUNT_COLUMNS = {"title": "title_terms", "body": "body_terms"}


class _TermCount:
    """A document's value for one of `COUNT_COLUMNS` that the index writer
    fills with its field's term count as it analyses the field
    (`TERM_COUNT`): counted by the caller, each text was analysed twice."""

    def __repr__(self) -> str:
        return "TERM_COUNT"


TERM_COUNT = _TermCount()


def _varints(numbers) -> bytes:
    """`numbers` (whole, not negative) as unsigned LEB128: 7 bits a byte,
    the lowest first, the top bit set on every byte but a number's last."""
    out = bytearray()
    for n in numbers:
        while n > 0x7F:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


# `IndexedPositions.encode([n])`.
_AT_ONE_POSITION = tuple(_varints([n]) for n in range(2048))
_ONE_POSITION_LIMIT = len(_AT_ONE_POSITION)
_AT_ONE_ARRAY = np.array(_AT_ONE_POSITION + (None,), object)[:-1]  # (bytes items, not 2-d)


def _positions(value: str, analyzer: BodyAnalyzer) -> dict[str, list[int]]:
    """Each term of `value`, with the positions it is at."""
    first, terms = analyzer.index_terms(value)
    positions: dict[str, list[int]] = {}
    get = positions.get
    for offset, term in enumerate(terms, first):
        found = get(term)
        if found is None:
            positions[term] = [offset]
        else:
            found.append(offset)
    return positions


def body_analyzer() -> BodyAnalyzer:
    return BodyAnalyzer()


_COUNTER = BodyAnalyzer()


def term_count(text: str) -> int:
    """How many terms `text` gives in the title and body fields."""
    return len(_COUNTER.index_terms(text)[1])


def _text_field(analyzer: BodyAnalyzer, **kwargs) -> TEXT:
    field = TEXT(analyzer=analyzer, **kwargs)
    field.format = IndexedPositions(field_boost=field.format.field_boost)
    return field


def title_text(title: str, section: str | None) -> str:
    """What a passage's `title` field holds: its source's title and its section."""
    return f"{title}\n{section or ''}"


def make_schema() -> Schema:
    """The fields of one passage.  Spelling suggestions come from the
    `words` table of the sources database, not from a Whoosh field.

    A passage's text is indexed but not stored, and nor is its source's
    title, URL or publisher: they are read from the sources table, by the
    passage's path and offsets (`source_text[start:end]`), for the passages
    shown.  (Stored here too, they made up a fifth of the index.)  Its id
    is stored, not indexed: a passage is found among its source's, by the
    path its id starts with (a term per passage took 5 % of the index).
    What is stored of a passage is one tuple, `place` (`pack_place`; read
    it through `stored_passage`): a dict of named fields per passage took
    twice the space."""
    analyzer = body_analyzer()
    return Schema(
        path=ID,
        source=KEYWORD(lowercase=True, scorable=False),
        kind=ID,
        author=TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), phrase=False),
        date=ID,
        title=_text_field(analyzer, field_boost=2.0),
        body=_text_field(analyzer),
        # Exact term counts (Whoosh keeps each length only approximately, in
        # one byte): the vectorised scorer's length normalisation reads them.
        title_terms=COLUMN(columns.NumericColumn("I")),
        body_terms=COLUMN(columns.NumericColumn("I")),
        # A passage's place in its source (1, 2, ...): where a source's passages begin.
        passage_number=COLUMN(columns.NumericColumn("I")),
        place=STORED,
    )


def pack_place(
    passage_id: str, kind: str, author: str | None, date: str | None, section: str | None,
    start: int, end: int, line: int, sentences,
) -> tuple:
    """What the index stores of a passage (its `place` field): its id, its
    labels, its section and where it stands in its source, its sentences'
    offsets as the gaps and lengths between them (small numbers)."""
    steps, at = [], start
    for first, last in sentences:
        steps += (first - at, last - first)
        at = last
    return (passage_id, kind, author, date, section, start, end, line, tuple(steps))


def stored_passage(fields: dict) -> dict:
    """A passage's stored fields by name (`passage_id`, `path`, `kind`,
    `author`, `date`, `section`, `start`, `end`, `line`, `sentences`), from
    what the index stored (`pack_place`; an index before schema version 10
    stored them by name, as they are returned)."""
    place = fields.get("place")
    if place is None:
        return fields
    passage_id, kind, author, date, section, start, end, line, steps = place
    sentences, at = [], start
    for n in range(0, len(steps), 2):
        first = at + steps[n]
        at = first + steps[n + 1]
        sentences.append((first, at))
    return {
        "passage_id": passage_id, "path": passage_id.rpartition("#")[0], "kind": kind,
        "author": author, "date": date, "section": section, "start": start, "end": end,
        "line": line, "sentences": sentences,
    }


def source_tokens(path: str, publisher: str | None, url: str | None) -> str:
    """Words that `source:NAME` matches: the path, the file's name and stem,
    the publisher (with and without spaces) and the URL's host."""
    tokens = {path, path.rsplit("/", 1)[-1]}
    name = path.rsplit("/", 1)[-1]
    tokens.add(name.rsplit(".", 1)[0])
    tokens.update(part for part in path.split("/") if part)
    if publisher:
        words = [w for w in "".join(c if c.isalnum() else " " for c in publisher).split()]
        tokens.update(words)
        tokens.add("".join(words))
    if url:
        host = urlparse(url).hostname or ""
        if host:
            tokens.add(host)
            tokens.add(host.removeprefix("www."))
    return " ".join(sorted(t.lower() for t in tokens if t))
