"""The index folder on disk: generations, the pointer to the current one, the lock.

    INDEX/
      CURRENT          name of the generation readers use ("gen-00000003")
      .lock            held by the one indexing run allowed at a time
      gen-00000003/    a complete Whoosh index plus sources.sqlite

An indexing run writes a new generation beside the current one and only then
replaces CURRENT (an atomic rename).  A run that fails or is killed leaves
CURRENT pointing at the previous, complete generation; readers open whatever
CURRENT names, so they see the old index or the new one, never a mix.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import fcntl
import os
import shlex
import shutil
import sqlite3
import stat
import time
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from .. import forks
from ..errors import IndexCorrupt, IndexLocked, IndexMissing, IndexOutdated
from . import trust
from .schema import SCHEMA_VERSION, STEMMER, make_schema
from .sources import SOURCES_DB, read_meta

POINTER = "CURRENT"
_POINTER_BYTES = 255  # (CURRENT holds a generation's name: "gen-00000003\n")
LOCK = ".lock"
_PREFIX = "gen-"

def rebuild_hint(root: Path, corpus: str | None = None) -> str:
    """The command that rebuilds the index at `root`: from `corpus` when it is
    given and still a folder, else from CORPUS_FOLDER for the user to fill in."""
    folder = shlex.quote(corpus) if corpus and Path(corpus).is_dir() else "CORPUS_FOLDER"
    return f"run `groundsearch index {folder} --index {shlex.quote(str(root))} --rebuild`"


class IndexStore:
    """One index folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    # --- reading ------------------------------------------------------------

    def exists(self) -> bool:
        return (self.root / POINTER).is_file()

    def current(self) -> Path:
        """The folder of the current generation; raises if there is none."""
        pointer = self.root / POINTER
        self.check_pointer()
        if not pointer.is_file():
            if (self.root / "MANIFEST").is_file():
                raise IndexCorrupt(
                    f"{self.root} is a sharded index: open it with `search.open_index`"
                )
            if self.root.is_dir() and self.foreign_files():
                raise IndexCorrupt(
                    f"{self.root} is not a groundsearch index (no {POINTER} file); "
                    f"{rebuild_hint(self.root)}"
                )
            raise IndexMissing(
                f"no index at {self.root}; build one with "
                f"`groundsearch index CORPUS_FOLDER --index {self.root}`"
            )
        try:  # (a short file: a name longer than a generation's is damage, never quoted whole)
            fd = os.open(pointer, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(_POINTER_BYTES + 1)
            name = data.decode("utf-8").strip()
        except OSError as exc:
            raise IndexCorrupt(f"cannot read {pointer}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise IndexCorrupt(f"{pointer} is damaged; {rebuild_hint(self.root)}") from None
        if len(data) > _POINTER_BYTES:
            raise IndexCorrupt(f"{pointer} is damaged (too long); {rebuild_hint(self.root)}")
        return self.named(name)

    def check_pointer(self) -> None:
        """Raise unless CURRENT, if there is one, is a regular file: a folder
        or a link there is none of groundsearch's making, and must be moved
        away before an index can be built here."""
        pointer = self.root / POINTER
        try:
            mode = pointer.lstat().st_mode
        except OSError:
            return
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a link" if stat.S_ISLNK(mode) else (
                "not a regular file"
            )
            raise IndexCorrupt(
                f"{pointer} is {kind}, which groundsearch never makes: move it out of the way, "
                f"then {rebuild_hint(self.root)}"
            )

    def named(self, name: str, hint: str | None = None) -> Path:
        """The folder of the generation called `name`; raises if it is
        missing (`hint`: what to do then, by default rebuild this index)."""
        generation = self.root / name
        if not name.startswith(_PREFIX) or "/" in name or not generation.is_dir():
            raise IndexCorrupt(
                f"{self.root} names a missing generation {name!r}; "
                f"{hint or rebuild_hint(self.root)}"
            )
        return generation

    def built_from(self) -> str | None:
        """The folder the current generation was built from, as its metadata
        records it, even in an index too old (or too new) to open; None when
        there is no such index or no record."""
        try:
            generation = self.current()
            return read_meta(generation / SOURCES_DB).get("corpus")
        except (IndexCorrupt, IndexMissing, OSError, sqlite3.DatabaseError, ValueError):
            return None

    def foreign_files(self) -> list[str]:
        """Names in the folder that groundsearch did not put there."""
        ours = {POINTER, f"{POINTER}.tmp", LOCK}
        return sorted(
            p.name for p in self.root.iterdir() if p.name not in ours and not p.name.startswith(_PREFIX)
        )

    def read_meta(self, generation: Path) -> dict:
        """The generation's metadata; checks that its schema version is ours."""
        db_path = generation / SOURCES_DB
        if not db_path.is_file():
            raise IndexCorrupt(f"{generation} has no {SOURCES_DB}; {rebuild_hint(self.root)}")
        try:
            meta = read_meta(db_path)
        except (sqlite3.DatabaseError, ValueError) as exc:
            raise IndexCorrupt(
                f"{db_path} is damaged ({exc}); {rebuild_hint(self.root)}"
            ) from None
        version = meta.get("schema_version")
        if isinstance(version, int) and version < SCHEMA_VERSION:
            raise IndexOutdated(
                f"the index at {self.root} was built by an older groundsearch (schema version "
                f"{version}, this one reads {SCHEMA_VERSION}); "
                f"{rebuild_hint(self.root, meta.get('corpus'))}"
            )
        if version != SCHEMA_VERSION:
            built = f"schema version {version}" if version is not None else "no schema version"
            raise IndexCorrupt(
                f"the index at {self.root} was built with {built}, "
                f"this groundsearch reads version {SCHEMA_VERSION}; {rebuild_hint(self.root)}"
            )
        stemmer = meta.get("stemmer", STEMMER)
        if stemmer != STEMMER:
            raise IndexCorrupt(
                f"the index at {self.root} was built with the stemmer {stemmer}, "
                f"this groundsearch stems with {STEMMER}; {rebuild_hint(self.root)}"
            )
        return meta

    def open_whoosh(self, generation: Path):
        """The generation's Whoosh index and a searcher on it.  Whoosh reports
        damaged or missing files with whatever the bytes cause (TypeError,
        its own IndexError, EmptyIndexError, OSError...): any of them is a
        damaged index, reported with the `--rebuild` hint.  Whoosh reads
        only a generation sealed for this user, unchanged (`trust.verify`)."""
        sealed = self.verify(generation)
        try:
            # Without mmap: Whoosh copies a memory-mapped segment's postings
            # into memory when it opens it (95 MB at 50,000 documents); read
            # from the file instead, postings are read as queries need them.
            ix = open_generation(sealed.storage())
            return ix, ix.searcher()
        except Exception as exc:  # noqa: BLE001 - see above
            raise IndexCorrupt(
                f"cannot open the index at {self.root} ({exc}); {rebuild_hint(self.root)}"
            ) from None

    def verify(self, generation: Path) -> trust.Sealed:
        """Check that `generation` was sealed with this user's key and is
        unchanged, before anything reads it (see `trust.py`)."""
        try:
            return trust.verify(self.root, generation, rebuild_hint(self.root))
        except OSError as exc:
            raise IndexCorrupt(
                f"cannot open the index at {self.root} ({exc.strerror or exc}); "
                f"{rebuild_hint(self.root)}"
            ) from None

    # --- writing ------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, wait: float = 0.0):
        """Hold the index's write lock; wait up to `wait` seconds for it."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / LOCK, "a+")  # noqa: SIM115 - released in finally
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        advice = (
                            f"it still held the lock after {wait:g} s of waiting"
                            if wait > 0
                            else "wait for it to finish, or pass --wait SECONDS"
                        )
                        raise IndexLocked(
                            f"another indexing run ({holder}) is updating {self.root}; {advice}"
                        ) from None
                    time.sleep(0.1)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            forks.HELD_LOCKS.add(handle.fileno())
            yield
        finally:
            forks.HELD_LOCKS.discard(handle.fileno())
            handle.close()

    def new_generation(self, copy_from: Path | None) -> Path:
        """Make the folder of the next generation, starting as a copy of
        `copy_from` (for an incremental run) or empty.  Call with the lock held."""
        self.remove_abandoned()
        numbers = [int(p.name[len(_PREFIX) :]) for p in self._generations()]
        generation = self.root / f"{_PREFIX}{max(numbers, default=0) + 1:08d}"
        generation.mkdir()
        try:
            if copy_from is not None:
                _copy_generation(copy_from, generation)
        except BaseException:  # a full disk, an interrupt: leave no half-copied generation
            self.discard(generation)
            raise
        return generation

    def publish(self, generation: Path) -> None:
        """Make `generation` current, atomically, then drop all but it and
        the one before it (a search may still be reading that)."""
        previous = self.root / POINTER
        keep = {generation.name}
        try:
            # The files are synced while the seal hashes them, the one
            # waiting on the disk, the other on the processor (one after
            # the other, 0.031 s at the end of a SciFact build; 0.019 s).
            with concurrent.futures.ThreadPoolExecutor(1) as syncing:
                synced = syncing.submit(_fsync_tree, generation)
                trust.seal(self.root, generation)  # (what `open_whoosh` checks)
                synced.result()
            # (again: the manifest, and the mode of any file the seal made
            # not writable by others, may have changed after the thread synced it)
            _fsync_tree(generation)
            if previous.is_file():  # (a damaged pointer names nothing worth keeping)
                keep.add(previous.read_text(encoding="utf-8", errors="replace").strip())
            self.point_to(generation.name)
        except BaseException:  # not published: the generation is of no use
            self.discard(generation)
            raise
        _fsync_dir(self.root)
        for old in self._generations():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def point_to(self, name: str) -> None:
        """Replace CURRENT by a pointer to `name`, atomically.  A failure
        (an immutable CURRENT, a full disk) names CURRENT and leaves no
        CURRENT.tmp behind."""
        replace_file(self.root / POINTER, name + "\n")

    def discard(self, generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.root.glob(f"{_PREFIX}*") if p.is_dir())

    def remove_abandoned(self) -> None:
        """Generations newer than CURRENT were left by a run that died."""
        try:
            current = self.current().name
        except (IndexMissing, IndexCorrupt):
            current = None
        for generation in self._generations():
            if current is None or generation.name > current:
                shutil.rmtree(generation, ignore_errors=True)


def open_generation(storage):
    """The Whoosh index in `storage` (a `FileStorage` or a folder), read
    with this groundsearch's schema.  Whoosh would otherwise unpickle the
    schema saved in the index, naming its classes by module path: moving
    a module (`indexer.schema` to `indexer.storage.schema`) made every
    older index unreadable.  The schema version in `sources.sqlite` says
    whether the saved schema is this one."""
    if not isinstance(storage, FileStorage):
        storage = FileStorage(str(storage))
    return storage.open_index(schema=make_schema())


def replace_file(path: Path, text: str) -> None:
    """Replace `path` by a file holding `text`, atomically: written and
    synced beside it, then renamed over it.  A failure names `path` and
    leaves no `.tmp` file behind."""
    temporary = path.with_name(f"{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error_at(exc, path) from None
        raise


def os_error_at(exc: OSError, path: Path) -> OSError:
    """`exc` as an OSError naming `path`: the file a write was failing on,
    where Python or Whoosh named another one, or none."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def _copy_generation(source: Path, target: Path) -> None:
    """Copy a generation's files (a flat folder: Whoosh's files and the
    sources database), except Whoosh's lock files.  File by file, so that a
    failure is one OSError naming the file being written: `shutil.copytree`
    gathers every failure into one long list and names the source first."""
    for path in sorted(source.iterdir()):
        if "LOCK" in path.name or path.name == trust.MANIFEST:
            continue
        destination = target / path.name
        try:
            shutil.copy2(path, destination)
        except OSError as exc:
            raise os_error_at(exc, destination) from None


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
