"""Sharing an indexing run's files between this process and helper processes.

A fresh index of many files uses every core: the files are cut into runs of
consecutive files (`share`), and each helper reads, splits and indexes its
run into a Whoosh segment and a sources database of its own
(`part-N.sqlite` in the generation); the main process takes them in at
commit (see `Helpers.join`).
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
from collections import Counter
from pathlib import Path


from .document import index_one
from .errors import IndexingFailed
from .model import IndexReport
from .storage import sources
from .storage.store import open_generation
from .storage.writer import abandon_part, finish_part, open_writer

#: A fresh index of at least this many files is built with several processes...
PARALLEL_FROM = 1000
#: ...at most this many.
MAX_PROCS = 4


def processes(files: int, wanted: int | None) -> int:
    if not sys.executable:  # (an embedded interpreter cannot start helpers)
        return 1
    if wanted is not None:
        return max(1, min(wanted, files))
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


def share(folder: Path, candidates: list[str], procs: int) -> list[list[str]]:
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


def _index_part(part: int, files, args, parent: int, send) -> None:
    """In a helper process: index `files` (`(rel, stem, metadata, sha256 of
    the indexed version or None)` each) into a segment of its own and a
    sources database of its own (`part-N.sqlite` in the generation), then
    send back the segment, what happened to each file and the words seen.
    Unchanged files are skipped; old versions are left to the main process."""
    generation, folder, settings, max_bytes = args
    report = IndexReport(index="", corpus="")
    vocabulary = Counter()
    writer = open_writer(open_generation(generation), limitmb=128, lock=False)
    db = sources.connect(_part_file(generation, part, "sqlite"))
    try:
        for done, (rel, stem, source_meta, sha) in enumerate(files, 1):
            if os.getppid() != parent:
                raise SystemExit(1)  # the indexing run is gone: stop, publish nothing
            row = index_one(
                writer, rel, Path(folder) / rel, {rel: sha} if sha else {}, stem, source_meta,
                settings, max_bytes, report, delete_old=False,
            )
            if row is not None:
                sources.record(db, row, vocabulary)
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
    """The entry point of a helper process (see `Helpers`)."""
    work = _read_message(sys.stdin.fileno())
    out = sys.stdout.fileno()
    _index_part(*work, send=lambda message: _write_message(out, message))


def _part_file(generation, part: int, suffix: str) -> Path:
    """A helper's own file in the generation: its sources database or its log."""
    return Path(generation) / f"part-{part}.{suffix}"


_PROGRESS_EVERY = 25
_HELPER_COMMAND = "from indexer.parallel import _helper_main; _helper_main()"
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


class Helpers:
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
                vocabulary.subtract(sources.words_of(db, rel))
            part_db = _part_file(self.args[0], part, "sqlite")
            sources.take_in(db, part_db)
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
