"""Building and updating an index from a folder of documents: scan the
folder, hold the lock, make a generation, add each file, publish.  One
file is read and added by `document.py`; helper processes (`parallel.py`)
share the files of a large run.  A sharded index (`shards.py`) builds a
generation of each shard the same way; `folder.py` chooses."""

from __future__ import annotations

import errno
import os
import pickle
import sqlite3
import struct
import zlib
from collections import Counter
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from . import parallel
from .document import _suffix, index_one, recorded_words
from .errors import CorpusError, IndexCorrupt, IndexMissing, IndexOutdated, Interrupted
from .metadata import METADATA_FILE, SYNONYMS_FILE, load_metadata, load_synonyms
from .model import IndexReport, IndexSettings
from .reading import READING_VERSION
from .reading.loaders import SUPPORTED_SUFFIXES
from .retire import retire
from .storage import sources
from .storage.schema import SCHEMA_VERSION, STEMMER, make_schema
from .storage.store import IndexStore, open_generation, os_error_at, rebuild_hint
from .storage.writer import collector_paused, commit, open_writer

# What Whoosh raises when the previous generation's files are damaged.
_DAMAGE = (
    EOFError, IndexError, KeyError, struct.error, zlib.error, pickle.UnpicklingError,
    UnicodeDecodeError,
)

#: Documents larger than this are skipped (and reported), not indexed.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def prepare(
    folder: Path,
    index_dir: Path,
    settings: IndexSettings,
    metadata_file: Path | None,
    synonyms_file: Path | None,
    max_bytes: int,
) -> tuple[Run, list[str], IndexReport]:
    """What a run over `folder` reads (its settings, metadata and synonyms),
    the documents found there, and its report so far; raises `CorpusError`
    if there is none."""
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"corpus folder {folder} does not exist")
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder")
    folder = folder.resolve()
    metadata_file = metadata_file or _optional(folder / METADATA_FILE)
    synonyms_file = synonyms_file or _optional(folder / SYNONYMS_FILE)
    metadata = load_metadata(metadata_file) if metadata_file else {}
    synonyms = load_synonyms(synonyms_file) if synonyms_file else []

    report = IndexReport(index=str(index_dir), corpus=str(folder))
    candidates = _scan(folder, report)
    if not candidates:
        raise CorpusError(f"{folder} holds no .txt, .md or .html documents")
    if metadata:
        named = set(metadata) - set(candidates)
        report.notes += [
            {"path": Path(metadata_file).name, "note": f"names {name}, no document here"}
            for name in sorted(named)
        ]
    unlisted = tuple(s["path"] for s in report.skipped if s["path"].endswith("/"))
    if "./" in unlisted:
        unlisted = ("",)
    return Run(folder, metadata, synonyms, settings, max_bytes, unlisted), candidates, report


def index_plain(
    run: Run, candidates: list[str], index_dir: Path, report: IndexReport, *,
    rebuild: bool, wait: float, progress=None, processes: int | None = None,
    executor: Executor | None = None,
) -> IndexReport:
    """Build or update the (unsharded) index at `index_dir` (see `index_folder`)."""
    store = IndexStore(Path(index_dir))
    _refuse_foreign_folder(store)
    store.check_pointer()  # (even with `rebuild`: a CURRENT folder cannot be replaced)
    with store.lock(wait):
        old = _current(store)  # whatever it holds: its passages' ids are retired from it
        previous, previous_meta = _previous_generation(store, rebuild)
        generation = build_generation(
            store, run, candidates, report, old, previous, previous_meta,
            progress=progress, processes=processes, executor=executor, rebuild=rebuild,
        )
        # Once CURRENT names the generation, an error or an interrupt must
        # not discard it (`publish` discards it before).
        store.publish(generation)
    return report


def _sqlite_failure(exc: sqlite3.OperationalError, path: Path) -> OSError:
    """What SQLite's "unable to open database file" or "database or disk is
    full" meant, as the OSError a write would have raised: a device out of
    space or of inodes is "no space left on device"."""
    try:
        device = os.statvfs(path.parent.parent)
        full = device.f_bavail == 0 or (device.f_files and device.f_favail == 0)
    except OSError:
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, f"SQLite: {exc}", str(path))


@dataclass(frozen=True, slots=True)
class Run:
    """What an indexing run reads, and how (the same for every shard)."""

    folder: Path
    metadata: dict
    synonyms: list
    settings: IndexSettings
    max_bytes: int
    unlisted: tuple[str, ...]
    """Folders that could not be listed: their documents are not removed."""

    def meta(self) -> dict:
        """The metadata a generation built by this run records."""
        return {
            "schema_version": SCHEMA_VERSION,
            "stemmer": STEMMER,
            "settings": self.settings.to_dict(),
            "reading": READING_VERSION,
            "corpus": str(self.folder),
            "synonyms": self.synonyms,
        }


def build_generation(
    store: IndexStore, run: Run, candidates: list[str], report: IndexReport,
    old: Path | None, previous: Path | None, previous_meta: dict | None, *,
    progress=None, processes: int | None = None, executor: Executor | None = None,
    shard: bool = False, rebuild: bool = False,
) -> Path:
    """A new generation of `store` (call with its lock held) holding
    `candidates`, updated from `previous` (None: built afresh); not yet
    published.  The passages of `old` it no longer holds are retired.  On
    any failure the new generation is discarded.  Unless it is a `shard`
    of a sharded index, it must hold a document."""
    settings = run.settings
    if previous_meta is not None and (
        previous_meta.get("settings") != settings.to_dict()
        or previous_meta.get("reading") != READING_VERSION
    ):
        previous = None  # passages would be cut or attributed differently: start afresh
    if previous is not None:
        _check_readable(store, previous)
    report.rebuilt = previous is None
    known = sources.known_hashes(previous) if previous else {}
    generation = store.new_generation(previous)
    try:
        _update(
            generation, run, candidates, known, report, progress,
            fresh=previous is None, processes=processes, executor=executor,
        )
        if report.sources == 0 and not shard:
            reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:5])
            raise CorpusError(f"no document in {run.folder} could be indexed ({reasons})")
        if old is not None and (report.rebuilt or report.updated or report.removed):
            changed = None if report.rebuilt else report.updated + report.removed
            _retire(old, generation, changed, unsealed=not rebuild)
    except KeyboardInterrupt:
        store.discard(generation)
        raise Interrupted(f"interrupted; the index at {store.root} is unchanged") from None
    except _DAMAGE as exc:
        store.discard(generation)
        if previous is None:
            raise
        raise IndexCorrupt(
            f"cannot update the index at {store.root}: it looks damaged "
            f"({type(exc).__name__}: {exc}); {rebuild_hint(store.root)}"
        ) from None
    except OSError as exc:  # a full disk, most often
        store.discard(generation)
        # (Whoosh's and Python's writes fail with a bare "No space left on device")
        raise (exc if exc.filename else os_error_at(exc, generation)) from None
    except sqlite3.OperationalError as exc:  # SQLite names no errno, nor the file
        failure = _sqlite_failure(exc, generation / sources.SOURCES_DB)  # (before freeing)
        store.discard(generation)
        raise failure from None
    except BaseException:
        store.discard(generation)
        raise
    return generation


def _optional(path: Path) -> Path | None:
    return path if path.is_file() else None


def _refuse_foreign_folder(store: IndexStore) -> None:
    """Never write into (or later delete from) a folder that is not ours."""
    root = store.root
    if root.exists() and not root.is_dir():
        raise CorpusError(f"index location {root} is a file, not a folder")
    if root.is_dir() and not store.exists() and store.foreign_files():
        raise IndexCorrupt(
            f"{root} is not empty and is not a groundsearch index; choose a new folder for --index"
        )


def _previous_generation(store: IndexStore, rebuild: bool):
    """The generation to update and its metadata, or (None, None) to read
    every file afresh: `rebuild`, no index yet, or an index that an older
    groundsearch built."""
    if rebuild:
        return None, None
    try:
        generation = store.current()
        meta = store.read_meta(generation)
        store.verify(generation)  # (an index sealed before: IndexOutdated)
        return generation, meta
    except (IndexMissing, IndexOutdated):
        return None, None


def _current(store: IndexStore) -> Path | None:
    try:
        return store.current()
    except (IndexMissing, IndexCorrupt):
        return None


def _retire(old: Path, generation: Path, paths: list[str] | None, unsealed: bool) -> None:
    """Record the passages of `old` that `generation` no longer holds (see
    `retire.py`).  Best effort: an old generation too damaged to read just
    leaves its ids unknown, as before; so does one not sealed for this user
    (`trust.py`), except, when `unsealed`, one from before indexes were
    sealed that is this user's alone (`--rebuild` never reads one)."""
    try:
        retire(old, generation, paths, unsealed_if_own=unsealed)
    except (OSError, KeyboardInterrupt):
        raise
    except Exception:  # noqa: BLE001, S110 - damage in the old index must not fail the run
        pass


def _check_readable(store: IndexStore, generation: Path) -> None:
    """Find damaged segments before the generation is copied: no new
    generation is left behind, and the message is the one readers give."""
    _, searcher = store.open_whoosh(generation)
    searcher.close()


def _scan(folder: Path, report: IndexReport) -> list[str]:
    """Documents under `folder` as relative posix paths, sorted (a document
    is `folder / rel`: a path per file would cost ~0.4 KB a file).

    Hidden files and folders are ignored.  Links to files are followed only
    when they stay inside the folder; links to folders never are (one inside
    the folder is indexed under its own path), so there can be no loop.
    A name that is not UTF-8 is skipped (a file) or not entered (a folder),
    and so is a folder that can be listed but not entered.
    """
    found = []

    def unreadable(exc: OSError) -> None:  # a folder that cannot be listed is reported, not dropped
        rel = Path(exc.filename).relative_to(folder).as_posix() if exc.filename else "."
        reason = f"cannot read folder: {exc.strerror or exc}"
        report.skipped.append({"path": shown_name(rel.rstrip("/") + "/"), "reason": reason})

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        here = Path(dirpath)
        try:  # a folder listed but not entered (no search permission): lstat fails in it
            for name in (*dirnames, *filenames)[:1]:
                os.lstat(here / name)
        except OSError as exc:
            rel = here.relative_to(folder).as_posix()
            reason = f"cannot enter folder: {exc.strerror or exc}"
            report.skipped.append({"path": shown_name(rel + "/"), "reason": reason})
            dirnames[:] = []
            continue
        kept = []
        for name in sorted(dirnames):
            path = here / name
            if name.startswith("."):
                continue
            rel = path.relative_to(folder).as_posix()
            if not _utf8(name):
                reason = "folder name is not UTF-8; rename it"
                report.skipped.append({"path": shown_name(rel + "/"), "reason": reason})
                continue
            if path.is_symlink():
                why = _why_not_followed(path, folder)
                report.ignored.append({"path": rel + "/", "reason": why})
                continue
            kept.append(name)
        dirnames[:] = kept
        # Each file's path made as a string (as `Path` would make it: a
        # `Path` and `relative_to` per file took longer than its `lstat`).
        inside = here.relative_to(folder).as_posix()
        prefix = "" if inside == "." else inside + "/"
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = prefix + name
            if rel in (METADATA_FILE, SYNONYMS_FILE):
                continue
            if _suffix(name).lower() not in SUPPORTED_SUFFIXES:
                reason = "not a .txt, .md or .html file"
                report.ignored.append({"path": shown_name(rel), "reason": reason})
                continue
            if not _utf8(name):
                reason = "file name is not UTF-8; rename it"
                report.skipped.append({"path": shown_name(rel), "reason": reason})
                continue
            path = os.path.join(dirpath, name)
            if os.path.islink(path) and not _inside(os.path.realpath(path), folder):
                report.ignored.append({"path": rel, "reason": "links outside the corpus folder"})
                continue
            found.append(rel)
    return sorted(found)


def _utf8(name: str) -> bool:
    """Whether a name read from the file system was valid UTF-8 (Python
    keeps other bytes as lone surrogates, which no index or JSON can hold)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A name read from the file system, its bytes that are not UTF-8
    written `\\xNN` (as Python writes bytes): what reports show of it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _why_not_followed(link: Path, folder: Path) -> str:
    real = os.path.realpath(link)
    if not _inside(real, folder):
        return "links outside the corpus folder"
    if _inside(os.path.realpath(link.parent), Path(real)):
        return "symbolic link loop"
    return "links to a folder inside the corpus (indexed under its own path)"


def _inside(real: str, folder: Path) -> bool:
    return real == str(folder) or real.startswith(str(folder) + os.sep)


def _update(generation, run, candidates, known, report, progress, fresh, processes, executor):
    with collector_paused():
        _add_files(generation, run, candidates, known, report, progress, fresh, processes, executor)


def _add_files(generation, run, candidates, known, report, progress, fresh, processes, executor):
    folder, metadata, settings, max_bytes = run.folder, run.metadata, run.settings, run.max_bytes
    if fresh:
        ix = whoosh_index.create_in(generation, make_schema())
    else:
        ix = open_generation(generation)  # (readable: see `_check_readable`)
    db = sources.connect(generation / sources.SOURCES_DB)
    # Many files use every core: the files are shared out between this
    # process and tasks on other processes, each reading, splitting and
    # indexing its share, which this process's writer takes in after its
    # own and writes as one segment (see `writer.py`).  A task does not
    # touch the index's existing segments: this process deletes the old
    # versions of the files it re-indexed.  Still one generation, published
    # atomically as before.
    procs = parallel.processes(len(candidates), processes)
    shares = parallel.share(folder, candidates, procs)
    pool = None
    if procs > 1 and executor is None:
        executor = pool = parallel.LocalPool(procs - 1)
    writer = open_writer(ix, limitmb=256 if procs == 1 else 128)
    if procs > 1:  # the helpers also write part of the segment (`writer.py`)
        writer.helpers = (executor, procs - 1)
    # The index as this run found it (the writer's deletions are its own):
    # the words of a file's old version are read back from it.
    before = None if fresh else ix.searcher()

    def old_words(rel: str) -> list[str]:
        return recorded_words(db, before, rel)

    try:
        present, unlisted = set(candidates), run.unlisted
        vocabulary = Counter()  # change in the number of sources each word occurs in
        for rel in sorted(r for r in set(known) - present if not r.startswith(unlisted)):
            writer.delete_by_term("path", rel)
            vocabulary.subtract(old_words(rel))
            sources.remove(db, rel)
            report.removed.append(rel)
        # Each task gets only its own files' names and metadata.
        work = [
            [(rel, metadata.get(rel), known.get(rel)) for rel in share]
            for share in shares[1:]
        ]
        part_args = (str(generation), str(folder), settings, max_bytes)
        parts = parallel.Parts(executor, work, part_args)
        words: list[str] = []  # recorded sources' words, not yet counted
        rows = sources.SourceRows(db)
        with _Ticker(progress, len(candidates)) as tick, parts:
            for done, rel in enumerate(shares[0], 1):
                row = index_one(
                    writer, rel, folder, known, metadata.get(rel), settings,
                    max_bytes, report,
                )
                if row is not None:
                    if rel in known:
                        sources.count_words(vocabulary, words)  # (first: the same order)
                        vocabulary.subtract(old_words(rel))
                    rows.add(row, words)
                    sources.count_words(vocabulary, words, sources.WORDS_AT_ONCE)
                tick(1)
                if done % parallel.PROGRESS_EVERY == 0:  # (as often as the parts report)
                    parts.progress(tick)
            sources.count_words(vocabulary, words)
            rows.flush()  # (before the parts' sources: the same order)
            writer.analyse_waiting()
            parts.join(report, vocabulary, tick, writer, old_words)
        if pool is not None and not writer.pool.runs:
            # The helpers are done.  The writer may fork a copy of this
            # process to write half of its postings, held in memory
            # (`Writer._fork_range`): no other thread may be running.
            pool.shutdown()
            writer.helpers, writer.fork_ranges = None, True

        def record() -> None:  # (while the copy writes: `Writer.meanwhile`)
            parts.record(db, vocabulary)
            sources.update_vocabulary(db, vocabulary)
            sources.write_meta(db, run.meta())
            report.sources, report.passages = sources.totals(db)

        writer.meanwhile = record
        commit(writer)
        db.commit()
    except BaseException:
        if pool is not None:  # (a helper may still be writing: stop it, not wait)
            pool.kill()
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        if before is not None:
            before.close()
        db.close()
        if pool is not None:
            pool.shutdown()


class _Ticker:
    """Advances the caller's progress bar by n files at a time (the bar wraps
    an iterable, so each step is one `next`)."""

    def __init__(self, progress, total: int):
        self.progress = progress
        self.total = total

    def __enter__(self):
        if self.progress is None:
            self._bar = None
            return lambda n: None
        self._context = self.progress(iter(range(self.total)), self.total)
        self._bar = iter(self._context.__enter__())
        return self.tick

    def tick(self, n: int) -> None:
        for _ in range(n):
            next(self._bar, None)

    def __exit__(self, *exc):
        if self._bar is None:
            return False
        if exc[0] is None:
            for _ in self._bar:  # a bar may count an item only when asked for the next
                pass
        return self._context.__exit__(*exc)


