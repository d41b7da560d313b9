"""Building and updating an index from a folder of documents."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import select
import stat
import struct
import subprocess
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from .errors import (
    CorpusError,
    GroundsearchError,
    IndexCorrupt,
    IndexingFailed,
    IndexMissing,
    Interrupted,
    UnreadableDocument,
)
from .metadata import METADATA_FILE, SYNONYMS_FILE, SourceMeta, load_metadata, load_synonyms
from .model import Passage
from .reading import READING_VERSION
from .reading.loaders import SUPPORTED_SUFFIXES, loader_for
from .reading.passages import DEFAULT_MAX_CHARS, split_passages
from .storage.schema import (
    SCHEMA_VERSION,
    STEMMER,
    make_schema,
    source_tokens,
    term_count,
    title_text,
)
from .storage.store import SOURCES_DB, IndexStore, connect, os_error_at, rebuild_hint
from .storage.writer import abandon_part, commit, finish_part, open_writer

# What Whoosh raises when the previous generation's files are damaged.
_DAMAGE = (
    EOFError, IndexError, KeyError, struct.error, zlib.error, pickle.UnpicklingError,
    UnicodeDecodeError,
)

#: A fresh index of at least this many files is built with several processes...
PARALLEL_FROM = 1000
#: ...at most this many.
MAX_PROCS = 4

#: Documents larger than this are skipped (and reported), not indexed.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(slots=True)
class IndexReport:
    """What an indexing run did, file by file."""

    index: str
    corpus: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """`{"path", "reason"}` for each document that could not be read (a
    previous version, if any, stays in the index)."""
    ignored: list[dict] = field(default_factory=list)
    """`{"path", "reason"}` for files that are not documents (other types,
    links leaving the corpus folder)."""
    notes: list[dict] = field(default_factory=list)
    """`{"path", "note"}` for files indexed in a degraded way."""
    sources: int = 0
    passages: int = 0
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "corpus": self.corpus,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "notes": self.notes,
            "sources": self.sources,
            "passages": self.passages,
            "rebuilt": self.rebuilt,
        }


@dataclass(frozen=True, slots=True)
class IndexSettings:
    """Settings that change what is in the index; changing one rebuilds it."""

    max_chars: int = DEFAULT_MAX_CHARS

    def to_dict(self) -> dict:
        return {"max_chars": self.max_chars}


def index_folder(
    folder: Path,
    index_dir: Path,
    *,
    settings: IndexSettings = IndexSettings(),
    metadata_file: Path | None = None,
    synonyms_file: Path | None = None,
    rebuild: bool = False,
    wait: float = 0.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[Iterator, int], contextlib.AbstractContextManager] | None = None,
    processes: int | None = None,
) -> IndexReport:
    """Index every `.txt`, `.md` and `.html` file under `folder` into `index_dir`.

    Incremental: files whose bytes and metadata are unchanged since the last
    run are skipped, changed ones re-indexed, deleted ones removed.  The new
    index becomes visible only once complete.  `progress(iterable, length)`,
    if given, wraps the loop over files (e.g. `click.progressbar`).

    The files are shared between `processes` processes; by default, one
    per core (at most `MAX_PROCS`) from `PARALLEL_FROM` files up, else one.
    """
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

    store = IndexStore(Path(index_dir))
    _refuse_foreign_folder(store)
    with store.lock(wait):
        previous, previous_meta = _previous_generation(store, rebuild)
        meta = {
            "schema_version": SCHEMA_VERSION,
            "stemmer": STEMMER,
            "settings": settings.to_dict(),
            "reading": READING_VERSION,
            "corpus": str(folder),
            "synonyms": synonyms,
        }
        if previous_meta is not None and (
            previous_meta.get("settings") != settings.to_dict()
            or previous_meta.get("reading") != READING_VERSION
        ):
            previous = None  # passages would be cut or attributed differently: start afresh
        if previous is not None:
            _check_readable(store, previous)
        report.rebuilt = previous is None
        known = _known_hashes(previous) if previous else {}
        stems = _stems(candidates)
        generation = store.new_generation(previous)
        try:
            _update(
                generation, folder, candidates, known, stems, metadata, settings, max_bytes,
                meta, report, progress, fresh=previous is None, processes=processes,
            )
            if report.sources == 0:
                reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:5])
                raise CorpusError(f"no document in {folder} could be indexed ({reasons})")
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
        except BaseException:
            store.discard(generation)
            raise
        # Outside the `try`: once CURRENT names the generation, an error or
        # an interrupt must not discard it (`publish` discards it before).
        store.publish(generation)
    return report


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
    if rebuild:
        return None, None
    try:
        generation = store.current()
        return generation, store.read_meta(generation)
    except IndexMissing:
        return None, None


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
    """
    found = []

    def unreadable(exc: OSError) -> None:  # a folder that cannot be listed is reported, not dropped
        rel = Path(exc.filename).relative_to(folder).as_posix() if exc.filename else "."
        reason = f"cannot read folder: {exc.strerror or exc}"
        report.skipped.append({"path": rel.rstrip("/") + "/", "reason": reason})

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        kept = []
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                rel = path.relative_to(folder).as_posix()
                why = _why_not_followed(path, folder)
                report.ignored.append({"path": rel + "/", "reason": why})
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if rel in (METADATA_FILE, SYNONYMS_FILE):
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                report.ignored.append({"path": rel, "reason": "not a .txt, .md or .html file"})
                continue
            if path.is_symlink() and not _inside(os.path.realpath(path), folder):
                report.ignored.append({"path": rel, "reason": "links outside the corpus folder"})
                continue
            found.append(rel)
    return sorted(found)


def _why_not_followed(link: Path, folder: Path) -> str:
    real = os.path.realpath(link)
    if not _inside(real, folder):
        return "links outside the corpus folder"
    if _inside(os.path.realpath(link.parent), Path(real)):
        return "symbolic link loop"
    return "links to a folder inside the corpus (indexed under its own path)"


def _inside(real: str, folder: Path) -> bool:
    return real == str(folder) or real.startswith(str(folder) + os.sep)


def _stems(candidates: list[str]) -> dict[str, str]:
    """Passage-id prefix for each path: the path without its suffix, or the
    whole path where two files differ only in suffix."""
    bases: dict[str, list[str]] = {}
    for rel in candidates:
        bases.setdefault(rel.rsplit(".", 1)[0], []).append(rel)
    return {rel: (base if len(rels) == 1 else rel) for base, rels in bases.items() for rel in rels}


def _known_hashes(generation: Path) -> dict[str, str]:
    with contextlib.closing(connect(generation / SOURCES_DB, readonly=True)) as db:
        return dict(db.execute("SELECT path, sha256 FROM sources"))


def _fingerprint(data: bytes, meta: SourceMeta | None, stem: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(json.dumps([meta and meta.__repr__(), stem]).encode())
    return digest.hexdigest()


def _update(
    generation, folder, candidates, known, stems, metadata, settings, max_bytes,
    meta, report, progress, fresh, processes,
):
    if fresh:
        ix = whoosh_index.create_in(generation, make_schema())
    else:
        ix = whoosh_index.open_dir(generation)  # (readable: see `_check_readable`)
    db = connect(generation / SOURCES_DB)
    # Many files use every core: the files are shared out between this
    # process and helper processes, each reading, splitting and indexing its
    # share into its own Whoosh segment (see `writer.py`).  A helper does not
    # touch the index's existing segments: this process deletes the old
    # versions of the files a helper re-indexed.  Still one generation,
    # published atomically as before.
    procs = _processes(len(candidates), processes)
    shares = _share(folder, candidates, procs)
    writer = open_writer(ix, limitmb=256 if procs == 1 else 128)
    try:
        present = set(candidates)
        unlisted = tuple(s["path"] for s in report.skipped if s["path"].endswith("/"))
        if "./" in unlisted:
            unlisted = ("",)
        vocabulary = Counter()  # change in the number of sources each word occurs in
        for rel in sorted(r for r in set(known) - present if not r.startswith(unlisted)):
            writer.delete_by_term("path", rel)
            vocabulary.subtract(_words_of(db, rel))
            db.execute("DELETE FROM sources WHERE path = ?", (rel,))
            report.removed.append(rel)
        # Each helper gets only its own files' names, stems and metadata.
        work = [
            [(rel, stems[rel], metadata.get(rel), known.get(rel)) for rel in share]
            for share in shares[1:]
        ]
        part_args = (str(generation), str(folder), settings, max_bytes)
        with _Ticker(progress, len(candidates)) as tick, _Helpers(work, part_args) as helpers:
            for rel in shares[0]:
                row = _index_one(
                    writer, rel, folder / rel, known, stems[rel], metadata.get(rel), settings,
                    max_bytes, report,
                )
                if row is not None:
                    if rel in known:
                        vocabulary.subtract(_words_of(db, rel))
                    _record(db, row, vocabulary)
                tick(1)
                helpers.progress(tick)
            # A fresh build writes this process's segment while the helpers
            # finish theirs; an update first deletes what they replaced.
            finished = fresh and bool(helpers.running)
            own = finish_part(writer) if finished else None
            parts = helpers.join(db, report, vocabulary, tick, writer)
        _update_vocabulary(db, vocabulary)
        db.execute("DELETE FROM meta")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
        )
        report.sources, report.passages = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(passages), 0) FROM sources"
        ).fetchone()
        commit(writer, own=own, parts=parts, finished=finished)
        db.commit()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        db.close()


def _processes(files: int, wanted: int | None) -> int:
    if not sys.executable:  # (an embedded interpreter cannot start helpers)
        return 1
    if wanted is not None:
        return max(1, min(wanted, files))
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


def _share(folder: Path, candidates: list[str], procs: int) -> list[list[str]]:
    """`candidates` cut into `procs` runs of consecutive files of about the
    same total size (segments keep the files' order)."""
    if procs == 1:
        return [candidates]
    sizes = []
    for rel in candidates:
        try:
            sizes.append(max((folder / rel).stat().st_size, 1))
        except OSError:
            sizes.append(1)
    total = sum(sizes)
    shares: list[list[str]] = [[] for _ in range(procs)]
    done = 0
    for item, size in zip(candidates, sizes, strict=True):
        shares[min(procs - 1, done * procs // total)].append(item)
        done += size
    return shares


def _record(db, row: tuple, vocabulary: Counter) -> None:
    db.execute(f"INSERT OR REPLACE INTO sources VALUES ({', '.join('?' * len(row))})", row)
    vocabulary.update(row[-1].split())


def _index_part(part: int, files, args, parent: int, send) -> None:
    """In a helper process: index `files` (`(rel, stem, metadata, sha256 of
    the indexed version or None)` each) into a segment of its own and a
    sources database of its own (`part-N.sqlite` in the generation), then
    send back the segment, what happened to each file and the words seen.
    Unchanged files are skipped; old versions are left to the main process."""
    generation, folder, settings, max_bytes = args
    report = IndexReport(index="", corpus="")
    vocabulary = Counter()
    writer = open_writer(whoosh_index.open_dir(generation), limitmb=128, lock=False)
    db = connect(_part_file(generation, part, "sqlite"))
    try:
        for done, (rel, stem, source_meta, sha) in enumerate(files, 1):
            if os.getppid() != parent:
                raise SystemExit(1)  # the indexing run is gone: stop, publish nothing
            row = _index_one(
                writer, rel, Path(folder) / rel, {rel: sha} if sha else {}, stem, source_meta,
                settings, max_bytes, report, delete_old=False,
            )
            if row is not None:
                _record(db, row, vocabulary)
            if done % _PROGRESS_EVERY == 0:
                send(("progress", _PROGRESS_EVERY))
        db.commit()
        segment = finish_part(writer)
        send(("done", len(files) % _PROGRESS_EVERY, segment, report, vocabulary))
    except Exception as exc:
        abandon_part(writer)
        send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        db.close()


def _helper_main() -> None:
    """The entry point of a helper process (see `_Helpers`)."""
    work = _read_message(sys.stdin.fileno())
    out = sys.stdout.fileno()
    _index_part(*work, send=lambda message: _write_message(out, message))


def _part_file(generation, part: int, suffix: str) -> Path:
    """A helper's own file in the generation: its sources database or its log."""
    return Path(generation) / f"part-{part}.{suffix}"


_PROGRESS_EVERY = 25
_HELPER_COMMAND = "from indexer.build import _helper_main; _helper_main()"
_LENGTH = struct.Struct("<Q")


def _write_message(fd: int, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_message(fd: int):
    (length,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size))
    return pickle.loads(_read_exactly(fd, length))


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class _Helpers:
    """Helper processes indexing the other shares of the files.

    Each is a new interpreter (`python -c`), not a fork: it inherits neither
    the index lock (a helper outliving a killed run would keep the index
    locked) nor the caller's main module (multiprocessing's "spawn" would
    re-run an unguarded script).  Work and results travel as pickles over
    its stdin and stdout.
    """

    def __init__(self, shares, args):
        self.shares = [share for share in shares if share]
        self.args = args
        self.running: list[tuple[int, subprocess.Popen]] = []
        self.results: dict[int, tuple] = {}  # a helper's last message, once it came

    def __enter__(self):
        root = str(Path(__file__).resolve().parent.parent)  # where `indexer` is importable from
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            for part, share in enumerate(self.shares, 1):
                with open(_part_file(self.args[0], part, "log"), "wb") as errors:
                    process = subprocess.Popen(
                        [sys.executable, "-c", _HELPER_COMMAND],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                        env=env, bufsize=0,
                    )
                self.running.append((part, process))
                try:
                    _write_message(process.stdin.fileno(), (part, share, self.args, os.getpid()))
                except BrokenPipeError:
                    raise self._stopped(part) from None
                process.stdin.close()
        except BaseException:
            self.__exit__()
            raise
        return self

    def progress(self, tick) -> None:
        """Pass the files the helpers have reported done so far on to `tick`."""
        for part, process in self.running:
            self._read(part, process, tick, wait=False)

    def _read(self, part: int, process: subprocess.Popen, tick, wait: bool) -> None:
        """Read a helper's messages, passing its progress on to `tick`: those
        waiting, or with `wait` all of them until its result has come."""
        fd = process.stdout.fileno()
        while part not in self.results and (wait or select.select([fd], [], [], 0)[0]):
            message = self._receive(part, process)
            if message[0] == "progress":
                tick(message[1])
            else:
                self.results[part] = message

    def join(self, db, report: IndexReport, vocabulary: Counter, tick, writer) -> list:
        """Wait for every helper; take in its sources, report and segment, and
        delete (with `writer`) the old versions of the files it re-indexed."""
        segments = []
        for part, process in self.running:
            self._read(part, process, tick, wait=True)
            message = self.results[part]
            process.wait()
            if message[0] == "failed":
                raise IndexingFailed(f"a helper process failed while indexing: {message[1]}")
            _, rest, segment, part_report, words = message
            tick(rest)
            for rel in part_report.updated:
                writer.delete_by_term("path", rel)
                vocabulary.subtract(_words_of(db, rel))
            part_db = _part_file(self.args[0], part, "sqlite")
            db.commit()  # (a database can only be attached between transactions)
            db.execute("ATTACH DATABASE ? AS part", (str(part_db),))
            db.execute("INSERT OR REPLACE INTO sources SELECT * FROM part.sources")
            db.commit()
            db.execute("DETACH DATABASE part")
            part_db.unlink()
            _part_file(self.args[0], part, "log").unlink()
            vocabulary.update(words)
            for name in ("added", "updated", "unchanged", "skipped", "notes"):
                getattr(report, name).extend(getattr(part_report, name))
            if segment is not None:
                segments.append(segment)
        return segments

    def _receive(self, part: int, process: subprocess.Popen):
        try:
            return _read_message(process.stdout.fileno())
        except EOFError:
            raise self._stopped(part) from None

    def _stopped(self, part: int) -> IndexingFailed:
        log = _part_file(self.args[0], part, "log")
        lines = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
        why = f": {lines[-1]}" if lines else ""
        return IndexingFailed(f"a helper process stopped unexpectedly while indexing{why}")

    def __exit__(self, *exc):
        for _, process in self.running:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                pipe.close()
        return False


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


def _index_one(
    writer, rel, path, known, stem, source_meta, settings, max_bytes, report, delete_old=True
) -> tuple | None:
    """Read, split and add one file; its row for the sources table, or None
    if it was skipped or is unchanged.  A changed file's old version is
    deleted unless `delete_old` is false (a helper leaves that to the main
    process: it must not touch the existing segments)."""
    too_big = f"larger than {max_bytes // (1024 * 1024)} MB"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the run forever
            raise UnreadableDocument("not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableDocument(f"{too_big} ({info.st_size:,} bytes)")
        with open(path, "rb") as handle:
            # Read as much as stat() gave: a read of `max_bytes` first makes a
            # buffer of that size, which cost more than reading a small file.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it has grown since stat()
                data += handle.read(max_bytes + 1 - len(data))
        if len(data) > max_bytes:
            raise UnreadableDocument(too_big)
    except OSError as exc:
        report.skipped.append({"path": rel, "reason": f"cannot read: {exc.strerror or exc}"})
        return None
    except UnreadableDocument as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return None
    sha = _fingerprint(data, source_meta, stem)
    if known.get(rel) == sha:
        report.unchanged.append(rel)
        return None
    try:
        extracted = loader_for(path.suffix).load(data)
        passages = split_passages(extracted, rel, stem, settings.max_chars)
    except GroundsearchError as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return None
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop the run
        report.skipped.append({"path": rel, "reason": f"cannot parse: {type(exc).__name__}: {exc}"})
        return None
    source_meta = source_meta or SourceMeta()
    title = source_meta.title or extracted.title or Path(rel).stem
    url = source_meta.url or extracted.url
    publisher = source_meta.publisher or extracted.publisher
    notes = list(extracted.notes)
    if not passages:
        notes.append("no text to index")
    for note in notes:
        report.notes.append({"path": rel, "note": note})
    if rel in known:
        if delete_old:
            writer.delete_by_term("path", rel)
        report.updated.append(rel)
    else:
        report.added.append(rel)
    tokens = source_tokens(rel, publisher, url)
    titles: dict[str | None, tuple[str, int]] = {}  # (see `_fields`)
    for passage in passages:
        writer.add_document(**_fields(passage, title, url, publisher, tokens, titles))
    return (
        rel, stem, sha, title, url, publisher,
        source_meta.retrieved or extracted.retrieved,
        extracted.format, extracted.encoding, extracted.text, len(passages), json.dumps(notes),
        json.dumps(Counter(p.kind for p in passages)), " ".join(_source_words(title, passages)),
    )


_WORD = re.compile(r"[^\W\d_]{2,}")


def _source_words(title: str, passages: list[Passage]) -> list[str]:
    """The distinct words (lower-case, two letters or more) of a source's
    title, headings and passages: the spelling vocabulary counts in how many
    sources each word occurs."""
    texts = [title, *dict.fromkeys(p.section for p in passages if p.section)]
    texts += (p.text for p in passages)
    # Composed first: "Sjo\u0308gren", saved decomposed, is one word.
    text = unicodedata.normalize("NFC", "\n".join(texts))
    if text.isascii():  # (lower-casing first changes no word's letters)
        return list(dict.fromkeys(_WORD.findall(text.lower())))
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))


def _words_of(db, rel: str) -> list[str]:
    """The distinct words recorded for `rel` by the run that indexed it."""
    row = db.execute("SELECT words FROM sources WHERE path = ?", (rel,)).fetchone()
    return row[0].split() if row else []


def _update_vocabulary(db, change: Counter) -> None:
    db.executemany(
        "INSERT INTO words VALUES (?, ?)"
        " ON CONFLICT(word) DO UPDATE SET sources = sources + excluded.sources",
        ((word, n) for word, n in change.items() if n),
    )
    db.execute("DELETE FROM words WHERE sources <= 0")


def _fields(passage: Passage, title: str, url, publisher, tokens: str, titles: dict) -> dict:
    """A passage's fields.  `titles` keeps each section's title field and its
    term count for the source's next passages: one string, analysed once."""
    known = titles.get(passage.section)
    if known is None:
        title_field = title_text(title, passage.section)
        known = titles[passage.section] = (title_field, term_count(title_field))
    title_field, title_terms = known
    fields = {
        "passage_id": passage.passage_id,
        "path": passage.path,
        "source": tokens,
        "kind": passage.kind,
        "author": passage.author,
        "date": passage.date,
        "title": title_field,
        "body": passage.text,
        "passage_number": int(passage.passage_id.rsplit("#", 1)[1]),
        "title_terms": title_terms,
        "body_terms": term_count(passage.text),
        "section": passage.section,
        "sentences": [list(span) for span in passage.sentences],
        "start": passage.start,
        "end": passage.end,
        "line": passage.line,
        "doc_title": title,
        "url": url,
        "publisher": publisher,
    }
    return {name: value for name, value in fields.items() if value is not None}
