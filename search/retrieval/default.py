"""The default index: where it lives, and the embedded corpus it is built from."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from indexer import READING_VERSION, IndexCorrupt, IndexMissing, IndexOutdated, index_folder

from .engine import Index

#: Environment variable naming the index folder (same as `--index`).
INDEX_ENV = "GROUNDSEARCH_INDEX"


def embedded_corpus() -> Path:
    """The seed documents installed with groundsearch (`corpus/`)."""
    return Path(__file__).resolve().parents[2] / "corpus"


def default_index() -> Path:
    """The index used when neither `--index` nor $GROUNDSEARCH_INDEX names one."""
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "groundsearch" / "index"


def resolve_index(
    index_dir: Path | None, note: Callable[[str], None] = lambda message: None
) -> Path:
    """The index to read: `index_dir`, or when it is None the default one,
    built from the embedded corpus the first time, and rebuilt when an older
    groundsearch left it in a format this one cannot read or read its
    documents another way.  `note` hears what is being done, one line each."""
    if index_dir is not None:
        return index_dir
    location = default_index()
    older = "the default index was built by an older groundsearch; rebuilding it"
    try:
        with Index(location) as ix:
            stale = ix.meta.get("reading") != READING_VERSION
        if stale:  # (`index_folder` reads every file again, and keeps the old ids' passages)
            note(older)
            index_folder(embedded_corpus(), location)
    except IndexOutdated:
        note(older)
        index_folder(embedded_corpus(), location)
    except IndexMissing:
        corpus = embedded_corpus()
        note(f"no index yet: building one from the embedded corpus ({corpus}) at {location}")
        report = index_folder(corpus, location)
        note(f"indexed {report.sources} documents, {report.passages} passages")
    except IndexCorrupt as exc:
        note(f"the default index cannot be read ({exc}); rebuilding it from the embedded corpus")
        index_folder(embedded_corpus(), location, rebuild=True)
    return location
