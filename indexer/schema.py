"""The Whoosh schema and analyzers shared by the indexer and the search layer."""

from __future__ import annotations

import threading
from urllib.parse import urlparse

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

#: Bump when the schema or analysis changes: older indexes must be rebuilt.
SCHEMA_VERSION = 3

#: Whoosh's stop words plus the words natural questions are made of.
STOP_WORDS = frozenset(WHOOSH_STOP_WORDS) | frozenset(
    """what which who whom whose why how where does do did doing done was were is
    am been being has had having there their them they its it's about into any
    some such than then these those very should would could i me my mine our
    ours he him his she her hers s t also just only all most more other so""".split()
)

TOKEN_PATTERN = r"\w+(?:\.?\w+)*"

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

    def stem(word: str) -> str:
        """The Snowball English stem of a lower-case word."""
        stemmer = getattr(_local, "stemmer", None)
        if stemmer is None:
            stemmer = _local.stemmer = _pystemmer.Stemmer("english")
        return stemmer.stemWord(word)

else:  # pragma: no cover
    from whoosh.lang.snowball.english import EnglishStemmer as _EnglishStemmer

    STEMMER = "snowball-english/whoosh"
    _whoosh_stemmer = _EnglishStemmer()

    def stem(word: str) -> str:
        """The Snowball English stem of a lower-case word."""
        return _whoosh_stemmer.stem(word)


def body_analyzer():
    """Tokenise, lower-case, drop stop words, stem (Snowball English, i.e.
    Porter2): "hiccups" and "hiccuping" both become "hiccup"."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem, cachesize=100_000)
    )


def word_analyzer():
    """Unstemmed lower-case words: the vocabulary spelling suggestions come from."""
    return RegexTokenizer(r"[^\W\d_]{2,}") | LowercaseFilter()


def make_schema() -> Schema:
    analyzer = body_analyzer()
    return Schema(
        passage_id=ID(stored=True, unique=True),
        path=ID(stored=True),
        source=KEYWORD(lowercase=True, scorable=False),
        kind=ID(stored=True),
        author=TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), stored=True, phrase=False),
        date=ID(stored=True),
        title=TEXT(analyzer=analyzer, field_boost=2.0),
        body=TEXT(analyzer=analyzer, stored=True),
        words=TEXT(analyzer=word_analyzer(), phrase=False),
        section=STORED,
        sentences=STORED,
        start=STORED,
        end=STORED,
        line=STORED,
        doc_title=STORED,
        url=STORED,
        publisher=STORED,
    )


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
