"""Running an indexing run's work in other processes, through one interface:
a `concurrent.futures.Executor`.  By default a local pool of helper
interpreters (`LocalPool`); a Dask cluster's executor works the same way.

A fresh index of many files uses every core: the files are cut into runs of
consecutive files (`share`), and each task (`index_part`) reads, splits and
indexes its run for the main process's writer to take in (its postings
and stored fields, handed over in files: one segment per run) and into a
sources database of its own (`part-N.sqlite` in the generation); the
main process takes them in once its own files are done (`Parts.join`,
`Parts.record`).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing.context
import os
import sys
import threading
import time
import types
from collections import Counter
from concurrent.futures import Executor
from itertools import accumulate
from multiprocessing import popen_spawn_posix
from pathlib import Path

from . import forks
from .document import index_one
from .errors import ClusterUnavailable, IndexingFailed
from .model import IndexReport
from .storage import sources
from .storage.store import open_generation
from .storage.writer import abandon_part, collector_paused, hand_over, open_writer

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


#: How much of a file a helper indexes while the main process indexes one
#: of the same size: it also hands its documents over (2-3 % of its time
#: on SciFact and NFCorpus), and its pages are copied from the main
#: process's as it first writes to them; it started 2-4 % behind.  (At
#: 0.95 the helper waited 0.04 s on average for the main process at the end
#: of NFCorpus's files, at 0.965 0.02 s; on SciFact both left them even.)
HELPER_PACE = 0.965


def share(folder: Path, candidates: list[str], procs: int) -> list[list[str]]:
    """`candidates` cut into `procs` runs of consecutive files, the first
    for this process, their total sizes in proportion to the processes'
    pace (`HELPER_PACE`: segments keep the files' order)."""
    if procs == 1:
        return [candidates]
    sizes = []
    base = os.fspath(folder)
    for rel in candidates:  # (a `Path` a file took as long as its `stat`)
        try:
            sizes.append(max(os.stat(os.path.join(base, rel)).st_size, 1))
        except OSError:
            sizes.append(1)
    paces = [1.0] + [HELPER_PACE] * (procs - 1)
    total = sum(sizes)
    ends = list(accumulate(total * pace / sum(paces) for pace in paces))
    shares: list[list[str]] = [[] for _ in range(procs)]
    done = at = 0
    for item, size in zip(candidates, sizes, strict=True):
        while at < procs - 1 and done >= ends[at]:
            at += 1
        shares[at].append(item)
        done += size
    return shares


# --- the local pool -----------------------------------------------------------


class _Popen(popen_spawn_posix.Popen):
    """Starts a helper as "spawn" does, with a stand-in `__main__` in place:
    the helper is told of no main module to run.  (Swapped only while the
    helper's start-up data is written, under a lock.)"""

    def _launch(self, process_obj):
        with _SWAPPING_MAIN:
            main = sys.modules["__main__"]
            sys.modules["__main__"] = _NO_MAIN
            try:
                super()._launch(process_obj)
            finally:
                sys.modules["__main__"] = main


_SWAPPING_MAIN = threading.Lock()
_NO_MAIN = types.ModuleType("__main__")  # (no __file__, no __spec__: nothing to run)


class _Process(multiprocessing.context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):  # noqa: N802 - multiprocessing's name
        return _Popen(process_obj)


class _SpawnWithoutMain(multiprocessing.context.SpawnContext):
    """multiprocessing's "spawn", minus the caller's `__main__` (see `LocalPool`)."""

    Process = _Process


def _watch_parent(parent: int) -> None:
    """In a helper: end it as soon as the process that started it is gone
    (a killed run), busy or idle (an idle helper would wait for work forever)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _forked(parent: int) -> None:
    """In a forked helper: let go of the index locks, and end when the
    parent does."""
    forks.let_go_of_locks()
    _watch_parent(parent)


def wait_started(futures) -> None:
    """Wait for the `futures` that could not be cancelled, those already
    running, to end.

    A cancelled future is never waited for: Dask's executor leaves one
    cancelled after its task failed (a worker died) in a state that
    `concurrent.futures.wait` never sees as done, and waits forever.
    """
    concurrent.futures.wait([future for future in futures if not future.cancelled()])


class LocalPool(concurrent.futures.ProcessPoolExecutor):
    """A pool of helper interpreters on this machine.

    Where it is safe (`forks.method`), a helper is a fork of this process:
    it starts at once, with every module imported (a new interpreter took
    0.3 s to import them, a tenth of SciFact's build, while this process
    waited for its share at the end), and closes its copies of the index
    locks held here.  Elsewhere a helper is a new interpreter
    (multiprocessing's "spawn"), which runs no copy of the caller's main
    module either: "spawn" otherwise runs it again in every helper (as
    `__mp_main__`), and a script that calls `index_folder` without an
    `if __name__ == "__main__"` guard would index again in each.  A helper
    ends when the process that started it does.
    """

    def __init__(self, workers: int):
        if forks.method() == "fork":
            context, start = multiprocessing.get_context("fork"), _forked
        else:
            context, start = _SpawnWithoutMain(), _watch_parent
        super().__init__(
            max_workers=workers, mp_context=context, initializer=start,
            initargs=(os.getpid(),),
        )

    def kill(self) -> None:
        """Stop every helper at once, running work included (`shutdown`
        would wait for it to finish)."""
        for process in list((getattr(self, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
        self.shutdown(wait=True, cancel_futures=True)


class Cluster:
    """A Dask cluster, reached through its scheduler: executors whose tasks
    run on its workers (`distributed`'s `Client.get_executor`).  Needs the
    `cluster` extra (`pip install "groundsearch[cluster]"`).  Its workers
    must be able to import groundsearch and to read and write the index
    folder by the same path (a shared file system)."""

    def __init__(self, address: str, timeout: float = 10.0):
        try:
            import distributed
        except ImportError:
            raise ClusterUnavailable(
                f"--scheduler {address} needs Dask: pip install 'groundsearch[cluster]'"
            ) from None
        self.address = address
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnavailable(
                f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                "`dask scheduler` and its workers with `dask worker ADDRESS`"
            ) from None

    def workers(self) -> list[str]:
        """The workers' addresses, sorted."""
        return sorted(self.client.nthreads())

    def executor(self) -> Executor:
        """An executor whose tasks run on any worker."""
        return self.client.get_executor(pure=False)

    def pinned(self) -> list[Executor]:
        """One executor per worker, each sending its tasks to its worker
        (or, if that one is gone, to another): what keeps a shard open on
        one worker between queries."""
        workers = self.workers()
        if not workers:
            raise ClusterUnavailable(f"the Dask scheduler at {self.address} has no workers")
        return [
            self.client.get_executor(workers=[w], allow_other_workers=True, pure=False)
            for w in workers
        ]

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def helper_failure(exc: BaseException) -> IndexingFailed:
    """The error for a task that failed or whose process died."""
    if isinstance(exc, IndexingFailed):
        return exc
    if isinstance(exc, concurrent.futures.process.BrokenProcessPool):
        return IndexingFailed("a helper process stopped unexpectedly while indexing")
    return IndexingFailed(f"a helper process failed while indexing: {type(exc).__name__}: {exc}")


# --- one part of a run ----------------------------------------------------------


def index_part(part: int, files, args) -> tuple:
    """In a helper: index `files` (`(rel, metadata, sha256 of the indexed
    version or None)` each) for the main writer to take in (a `Handover`:
    its documents' postings and stored fields, in files) and into a sources
    database of its own (`part-N.sqlite` in the generation).  Returns the
    handover (None if empty), what happened to each file and the words seen.
    Unchanged files are skipped; old versions are left to the main process.

    Every `PROGRESS_EVERY` files it adds as many bytes to its progress file
    (`part-N.progress`), which the main process reads; if that file is gone,
    the run has stopped, and so does the part."""
    with collector_paused():
        return _index_part(part, files, args)


def _index_part(part: int, files, args) -> tuple:
    generation, folder, settings, max_bytes = args
    folder = Path(folder)
    report = IndexReport(index="", corpus="")
    vocabulary, words = Counter(), []
    writer = open_writer(open_generation(generation), limitmb=128, lock=False, part=True)
    db = sources.connect(part_file(generation, part, "sqlite"))
    progress = part_file(generation, part, "progress")
    rows = sources.SourceRows(db)
    try:
        for done, (rel, source_meta, sha) in enumerate(files, 1):
            row = index_one(
                writer, rel, folder, {rel: sha} if sha else {}, source_meta,
                settings, max_bytes, report, delete_old=False,
            )
            if row is not None:
                rows.add(row, words)
                sources.count_words(vocabulary, words, sources.WORDS_AT_ONCE)
            if done % PROGRESS_EVERY == 0:
                _advance(progress)
        sources.count_words(vocabulary, words)
        rows.flush()
        db.commit()
        return hand_over(writer), report, vocabulary
    except BaseException as exc:
        abandon_part(writer)
        if isinstance(exc, IndexingFailed | KeyboardInterrupt):
            raise
        # (as a plain message: the exception itself may not unpickle in the caller)
        raise IndexingFailed(
            f"a helper process failed while indexing: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        db.close()


def _advance(progress: Path) -> None:
    """Report `PROGRESS_EVERY` more files done, or stop if the run has."""
    try:
        fd = os.open(progress, os.O_WRONLY | os.O_APPEND)  # (never created here)
    except FileNotFoundError:
        raise IndexingFailed("the indexing run has stopped") from None
    try:
        os.write(fd, b"." * PROGRESS_EVERY)
    finally:
        os.close(fd)


def part_file(generation, part: int, suffix: str) -> Path:
    """A part's own file in the generation: its sources database or its progress."""
    return Path(generation) / f"part-{part}.{suffix}"


#: A part reports its progress every this many files, and the main process
#: looks for it as often.
PROGRESS_EVERY = 25


class Parts:
    """The other shares of a run's files, indexed by tasks on an executor
    (`index_part`).  Leaving the `with` block unfinished (an error, an
    interrupt) stops them: their progress files go, and a `LocalPool` is
    killed."""

    def __init__(self, executor: Executor | None, shares, args):
        self.executor = executor
        self.shares = [share for share in shares if share]
        self.generation = args[0]
        self.args = args
        self.futures: list[tuple[int, concurrent.futures.Future]] = []
        self.reported: dict[int, int] = {}
        self.words: dict[int, Counter] = {}  # joined parts' words, not yet recorded
        self.joined = False

    @property
    def running(self) -> bool:
        return bool(self.futures)

    def __enter__(self):
        try:
            for part, files in enumerate(self.shares, 1):
                part_file(self.generation, part, "progress").touch()
                self.reported[part] = 0
                future = self.executor.submit(index_part, part, files, self.args)
                self.futures.append((part, future))
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def progress(self, tick) -> None:
        """Pass the files the parts have reported done so far on to `tick`."""
        for part, _ in self.futures:
            try:
                size = part_file(self.generation, part, "progress").stat().st_size
            except OSError:
                continue
            done = size // PROGRESS_EVERY * PROGRESS_EVERY
            if done > self.reported[part]:
                tick(done - self.reported[part])
                self.reported[part] = done

    def join(self, report: IndexReport, vocabulary: Counter, tick, writer, old_words) -> None:
        """Wait for every part; take in its report and documents (into
        `writer`, after its own), and delete the old versions of the files
        it re-indexed, taking their words (`old_words` of a path) from
        `vocabulary`.  Its sources wait for `record`."""
        for part, future in self.futures:
            try:
                handover, part_report, words = future.result()
            except Exception as exc:  # noqa: BLE001 - one line, whatever the helper raised
                raise helper_failure(exc) from None
            self.progress(tick)
            tick(len(self.shares[part - 1]) - self.reported[part])
            self.reported[part] = len(self.shares[part - 1])
            for rel in part_report.updated:
                writer.delete_by_term("path", rel)
                vocabulary.subtract(old_words(rel))
            part_file(self.generation, part, "progress").unlink()
            self.words[part] = words
            for name in ("added", "updated", "unchanged", "skipped", "notes"):
                getattr(report, name).extend(getattr(part_report, name))
            if handover is not None:
                writer.take_in(handover)
        self.joined = True

    def record(self, db, vocabulary: Counter) -> None:
        """Take in the joined parts' sources (after this process's own) and
        count their words in `vocabulary`."""
        for part, words in self.words.items():
            part_db = part_file(self.generation, part, "sqlite")
            sources.take_in(db, part_db)
            part_db.unlink()
            vocabulary.update(words)
        self.words = {}

    def __exit__(self, *exc):
        if self.joined:
            return False
        for part, future in self.futures:  # tell running parts to stop
            future.cancel()
            part_file(self.generation, part, "progress").unlink(missing_ok=True)
        if isinstance(self.executor, LocalPool):
            self.executor.kill()
        else:
            wait_started([future for _, future in self.futures])
        return False
