"""Building and updating an index from a folder of documents."""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import stat
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from .errors import CorpusError, GroundsearchError, IndexCorrupt, IndexMissing, UnreadableDocument
from .loaders import SUPPORTED_SUFFIXES, loader_for
from .metadata import METADATA_FILE, SYNONYMS_FILE, SourceMeta, load_metadata, load_synonyms
from .model import Passage
from .passages import DEFAULT_MAX_CHARS, split_passages
from .schema import SCHEMA_VERSION, STEMMER, make_schema, source_tokens
from .store import IndexStore, connect, rebuild_hint

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
) -> IndexReport:
    """Index every `.txt`, `.md` and `.html` file under `folder` into `index_dir`.

    Incremental: files whose bytes and metadata are unchanged since the last
    run are skipped, changed ones re-indexed, deleted ones removed.  The new
    index becomes visible only once complete.  `progress(iterable, length)`,
    if given, wraps the loop over files (e.g. `click.progressbar`).
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

    store = IndexStore(Path(index_dir))
    _refuse_foreign_folder(store)
    with store.lock(wait):
        previous, previous_meta = _previous_generation(store, rebuild)
        meta = {
            "schema_version": SCHEMA_VERSION,
            "stemmer": STEMMER,
            "settings": settings.to_dict(),
            "corpus": str(folder),
            "synonyms": synonyms,
        }
        if previous_meta is not None and previous_meta.get("settings") != settings.to_dict():
            previous = None  # passages would be cut differently: start afresh
        report.rebuilt = previous is None
        known = _known_hashes(previous) if previous else {}
        stems = _stems(candidates)
        generation = store.new_generation(previous)
        try:
            _update(
                generation, folder, candidates, known, stems, metadata, settings, max_bytes,
                meta, report, progress, fresh=previous is None,
            )
            if report.sources == 0:
                reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:5])
                raise CorpusError(f"no document in {folder} could be indexed ({reasons})")
            store.publish(generation)
        except _DAMAGE as exc:
            store.discard(generation)
            if previous is None:
                raise
            raise IndexCorrupt(
                f"cannot update the index at {store.root}: it looks damaged "
                f"({type(exc).__name__}: {exc}); {rebuild_hint(store.root)}"
            ) from None
        except BaseException:
            store.discard(generation)
            raise
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


def _scan(folder: Path, report: IndexReport) -> list[tuple[str, Path]]:
    """Documents under `folder` as `(relative posix path, path)`, sorted.

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
            found.append((rel, path))
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


def _stems(candidates: list[tuple[str, Path]]) -> dict[str, str]:
    """Passage-id prefix for each path: the path without its suffix, or the
    whole path where two files differ only in suffix."""
    bases: dict[str, list[str]] = {}
    for rel, _ in candidates:
        bases.setdefault(rel.rsplit(".", 1)[0], []).append(rel)
    return {rel: (base if len(rels) == 1 else rel) for base, rels in bases.items() for rel in rels}


def _known_hashes(generation: Path) -> dict[str, str]:
    with contextlib.closing(connect(generation / "sources.sqlite", readonly=True)) as db:
        return dict(db.execute("SELECT path, sha256 FROM sources"))


def _fingerprint(data: bytes, meta: SourceMeta | None, stem: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(json.dumps([meta and meta.__repr__(), stem]).encode())
    return digest.hexdigest()


def _update(
    generation, folder, candidates, known, stems, metadata, settings, max_bytes,
    meta, report, progress, fresh,
):
    if fresh:
        ix = whoosh_index.create_in(generation, make_schema())
    else:
        ix = whoosh_index.open_dir(generation)
    db = connect(generation / "sources.sqlite")
    # A fresh build of many files uses every core: Whoosh's multiprocessing
    # writer indexes in worker processes, and (multisegment) keeps their
    # segments instead of merging them serially at the end.  Still one
    # generation, published atomically as before.
    procs = min(os.cpu_count() or 1, MAX_PROCS) if fresh and len(candidates) >= PARALLEL_FROM else 1
    if multiprocessing.current_process().daemon:  # daemonic processes may not fork workers
        procs = 1
    if procs > 1:
        writer = ix.writer(limitmb=128, procs=procs, multisegment=True)
    else:
        writer = ix.writer(limitmb=256)
    try:
        present = {rel for rel, _ in candidates}
        unlisted = tuple(s["path"] for s in report.skipped if s["path"].endswith("/"))
        if "./" in unlisted:
            unlisted = ("",)
        for rel in sorted(r for r in set(known) - present if not r.startswith(unlisted)):
            writer.delete_by_term("path", rel)
            db.execute("DELETE FROM sources WHERE path = ?", (rel,))
            report.removed.append(rel)
        iterable = iter(candidates)
        with progress(iterable, len(candidates)) if progress else contextlib.nullcontext(iterable) as items:
            for rel, path in items:
                _index_one(writer, db, rel, path, known, stems[rel], metadata.get(rel), settings, max_bytes, report)
        db.execute("DELETE FROM meta")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
        )
        report.sources, report.passages = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(passages), 0) FROM sources"
        ).fetchone()
        writer.commit(optimize=procs == 1 and report.passages < 50_000)
        db.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        db.close()


def _index_one(writer, db, rel, path, known, stem, source_meta, settings, max_bytes, report):
    too_big = f"larger than {max_bytes // (1024 * 1024)} MB"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the run forever
            raise UnreadableDocument("not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableDocument(f"{too_big} ({info.st_size:,} bytes)")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # it may have grown since stat()
        if len(data) > max_bytes:
            raise UnreadableDocument(too_big)
    except OSError as exc:
        report.skipped.append({"path": rel, "reason": f"cannot read: {exc.strerror or exc}"})
        return
    except UnreadableDocument as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return
    sha = _fingerprint(data, source_meta, stem)
    if known.get(rel) == sha:
        report.unchanged.append(rel)
        return
    try:
        extracted = loader_for(path.suffix).load(data)
        passages = split_passages(extracted, rel, stem, settings.max_chars)
    except GroundsearchError as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop the run
        report.skipped.append({"path": rel, "reason": f"cannot parse: {type(exc).__name__}: {exc}"})
        return
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
        writer.delete_by_term("path", rel)
        report.updated.append(rel)
    else:
        report.added.append(rel)
    tokens = source_tokens(rel, publisher, url)
    words = _source_words(passages)
    for number, passage in enumerate(passages):
        writer.add_document(**_fields(passage, title, url, publisher, tokens, words if number == 0 else None))
    db.execute(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rel, stem, sha, title, url, publisher,
            source_meta.retrieved or extracted.retrieved,
            extracted.format, extracted.encoding, extracted.text, len(passages), json.dumps(notes),
            json.dumps(Counter(p.kind for p in passages)),
        ),
    )


_WORD = re.compile(r"[^\W\d_]{2,}")  # the tokens of schema.word_analyzer


def _source_words(passages: list[Passage]) -> str:
    """Each distinct word of a source once: the spelling vocabulary (the
    `words` field) needs which words occur and in how many sources, not
    per-passage postings, and this halves what Whoosh writes."""
    return " ".join(dict.fromkeys(w for p in passages for w in _WORD.findall(p.text)))


def _fields(passage: Passage, title: str, url, publisher, tokens: str, words: str | None = None) -> dict:
    fields = {
        "passage_id": passage.passage_id,
        "path": passage.path,
        "source": tokens,
        "kind": passage.kind,
        "author": passage.author,
        "date": passage.date,
        "title": f"{title}\n{passage.section or ''}",
        "body": passage.text,
        "words": words,  # the source's words, on its first passage only
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
