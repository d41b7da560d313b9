"""The default index: where it lives, and the embedded corpus it is built from."""

from __future__ import annotations

import itertools
import os
import shlex
from collections.abc import Callable
from pathlib import Path

from indexer import (
    READING_VERSION,
    IndexCorrupt,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    IndexStore,
)

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


def index_folder(*args, **options):
    """`indexer.index_folder`, imported when the default index is built (a
    search that finds it built imports none of the indexing code)."""
    from indexer import index_folder as build

    return build(*args, **options)


def resolve_index(
    index_dir: Path | None, note: Callable[[str], None] = lambda message: None
) -> Path:
    """The index to read: `index_dir`, or when it is None the default one,
    built from the embedded corpus the first time, and rebuilt (from the
    folder it was built from, when that is still there) when an older
    groundsearch left it in a format this one cannot read or read its
    documents another way.  `note` hears what is being done, one line each.

    Raises `IndexMissing` when `index_dir` is a folder of documents rather
    than an index, saying how to index them."""
    if index_dir is not None:
        _refuse_documents(Path(index_dir))
        return index_dir
    location = default_index()
    try:
        return _ready(location, note)
    except IndexLocked:  # another command is building it: wait for that, then use it
        note(f"another groundsearch is building the default index at {location}; waiting for it")
        with IndexStore(location).lock(wait=BUILD_WAIT):
            pass
        return _ready(location, note)


#: Seconds a command waits for another one's build of the default index.
BUILD_WAIT = 600.0


def _ready(location: Path, note: Callable[[str], None]) -> Path:
    """The default index at `location`, built or rebuilt first if need be;
    raises `IndexLocked` when another process holds it to do so."""
    older = "the default index was built by an older groundsearch; rebuilding it"
    try:
        with Index(location) as ix:
            stale = ix.meta.get("reading") != READING_VERSION
        if stale:  # (`index_folder` reads every file again, and keeps the old ids' passages)
            index_folder(_own_folder(location, older, note), location)
    except IndexOutdated:
        index_folder(_own_folder(location, older, note), location)
    except IndexMissing:
        with IndexStore(location).lock():  # (IndexLocked: another command is building it)
            pass
        corpus = embedded_corpus()
        note(f"no index yet: building one from the embedded corpus ({corpus}) at {location}")
        report = index_folder(corpus, location)
        note(f"indexed {report.sources} documents, {report.passages} passages")
    except IndexCorrupt as exc:
        note(f"the default index cannot be read ({exc}); rebuilding it from the embedded corpus")
        index_folder(embedded_corpus(), location, rebuild=True)
    return location


def _own_folder(location: Path, doing: str, note: Callable[[str], None]) -> Path:
    """The folder the default index was built from, if it is still there (a
    user's own, by `groundsearch index FOLDER`), else the embedded corpus;
    says which."""
    built_from = IndexStore(location).built_from()
    folder = Path(built_from) if built_from else None
    if folder is None or not folder.is_dir() or folder == embedded_corpus():
        note(doing)
        return embedded_corpus()
    note(f"{doing} from {folder}")
    return folder


def indexed_folder(location: Path) -> Path | None:
    """The folder the index at `location` was built from, or None."""
    built_from = IndexStore(location).built_from()
    return Path(built_from) if built_from else None


#: Entries of a folder looked at to tell documents from an index.
_LOOKED_AT = 1000


def _refuse_documents(folder: Path) -> None:
    """Raise `IndexMissing` if `folder` (given as an index) is no index but
    holds documents: the suggestion that fits is to index them elsewhere,
    not to rebuild an index there (`index` refuses a folder not its own)."""
    if not folder.is_dir() or IndexStore(folder).exists():
        return
    from indexer import SUPPORTED_SUFFIXES  # (imported with the document readers)

    try:
        entries = itertools.islice(folder.rglob("*"), _LOOKED_AT)
        documents = any(p.suffix.lower() in SUPPORTED_SUFFIXES for p in entries)
    except OSError:
        return
    if documents:
        target = f"{str(folder).rstrip('/') or '/'}-index"
        if folder.name in ("", ".", ".."):
            target = str(folder.resolve().with_name(folder.resolve().name + "-index"))
        raise IndexMissing(
            f"{folder} holds documents, not an index: index them with `groundsearch index "
            f"{shlex.quote(str(folder))} --index {shlex.quote(target)}`, then give "
            f"`--index {shlex.quote(target)}`"
        )
