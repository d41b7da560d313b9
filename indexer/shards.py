"""Sharded indexes: the documents split between N shards by a stable hash of
their path, each shard a complete index (its own generations and lock)
built by a task on an executor, all published at once by a manifest
(`storage/manifest.py`) that also names the corpus statistics summed over
the shards (`storage/statistics.py`), so that they score as one index.

A run builds a new generation of each shard (a shard whose documents did
not change keeps its generation), and only when every shard is built does
it replace the manifest: a failed or killed run leaves the previous index
whole, and the next run builds again whatever it had not finished.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from . import parallel
from .build import Run, _check_readable, _Ticker, build_generation
from .errors import (
    CorpusError,
    GroundsearchError,
    IndexCorrupt,
    IndexingFailed,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    Interrupted,
    ShardsMismatch,
)
from .model import IndexReport
from .storage import statistics, trust
from .storage.manifest import Manifest, ShardedStore, seal_statistics, shard_of, statistics_of
from .storage.store import IndexStore, open_generation


@dataclass(frozen=True, slots=True)
class ShardJob:
    """What the task building one shard is given."""

    root: str
    """The sharded index."""
    number: int
    run: Run
    files: list[str]
    previous: str | None
    """The generation the manifest names, to update; None: build afresh."""
    wait: float
    processes: int | None
    """Processes for the shard's own files (1 in a pool or on a cluster)."""


@dataclass(slots=True)
class ShardBuilt:
    """What a shard task built."""

    number: int
    generation: str
    new: bool
    """False when the shard did not change and keeps its generation."""
    report: IndexReport = field(default_factory=lambda: IndexReport("", ""))


def progress_file(root: Path, number: int) -> Path:
    """Where a shard task counts the files it has done (and finds, if it is
    gone, that the run has stopped)."""
    return Path(root) / f".progress-{number:03d}"


def build_shard(job: ShardJob) -> ShardBuilt:
    """In a task: a new generation of one shard, not published, with its
    statistics counted; or the shard's generation as it is, if no document
    of it changed.  A shard whose generation is missing or damaged is built
    afresh."""
    store = ShardedStore(job.root).shard(job.number)
    report = IndexReport(index=str(store.root), corpus=str(job.run.folder))
    counter = _FileProgress(progress_file(Path(job.root), job.number))
    if not counter.path.exists():  # (a task started after its run had stopped)
        raise IndexingFailed("the indexing run has stopped")
    store.root.mkdir(parents=True, exist_ok=True)
    with store.lock(job.wait):
        previous, previous_meta = _readable(store, job.previous)
        generation = build_generation(
            store, job.run, job.files, report, previous, previous, previous_meta,
            progress=counter, processes=job.processes, shard=True,
        )
        if previous is not None and not report.changed and statistics_of(previous).is_file():
            store.discard(generation)  # (the same documents: keep the generation there is)
            return ShardBuilt(job.number, previous.name, False, report)
        try:
            _count(generation)
            trust.seal(store.root, generation)  # (what opening it checks)
        except BaseException:
            store.discard(generation)
            raise
        return ShardBuilt(job.number, generation.name, True, report)


def _readable(store: IndexStore, name: str | None):
    """The generation `name` of a shard and its metadata, if it can be
    updated; else (None, None): it is built afresh."""
    if name is None:
        return None, None
    try:
        generation = store.named(name)
        meta = store.read_meta(generation)
        _check_readable(store, generation)
    except (IndexMissing, IndexCorrupt):
        return None, None
    return generation, meta


def _count(generation: Path) -> None:
    # Without mmap: Whoosh copies a memory-mapped segment's postings into
    # memory when it opens it, which made a shard's task grow with its shard.
    ix = open_generation(FileStorage(str(generation), readonly=True, supports_mmap=False))
    with ix.reader() as reader:
        statistics.count(reader, generation)


class _FileProgress:
    """A `progress(iterable, length)` for a shard task: it appends a byte to
    its progress file every `EVERY` files, and stops the task (raising
    `IndexingFailed`) once the file is gone."""

    EVERY = 25

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, iterable, length):
        return contextlib.nullcontext(self._items(iterable))

    def _items(self, iterable):
        for done, item in enumerate(iterable, 1):
            if done % self.EVERY == 0:
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                except FileNotFoundError:
                    raise IndexingFailed("the indexing run has stopped") from None
                try:
                    os.write(fd, b"." * self.EVERY)
                finally:
                    os.close(fd)
            yield item


# --- the run ------------------------------------------------------------------


def index_shards(
    run: Run, candidates: list[str], root: Path, report: IndexReport, *,
    shards: int | None, rebuild: bool, wait: float, progress=None,
    executor: Executor | None = None,
) -> IndexReport:
    """Build or update the sharded index at `root` (see `index_folder`)."""
    store = ShardedStore(root)
    plain = IndexStore(root)
    _refuse(store, plain, shards, rebuild, run)
    with store.lock(wait):
        manifest = _manifest(store, rebuild)
        count = shards or (manifest.shards if manifest else 1)
        if manifest is not None and count != manifest.shards and not rebuild:
            raise ShardsMismatch(
                f"{root} has {manifest.shards} shards, not {count}; to split it into {count}, "
                f"run `groundsearch index {run.folder} --index {root} --shards {count} --rebuild`"
                f" (or leave out --shards to update it as it is)"
            )
        if manifest is not None:
            store.repoint(manifest)  # (a run killed after the manifest, before the pointers)
        update = manifest is not None and not rebuild and count == manifest.shards
        files: list[list[str]] = [[] for _ in range(count)]
        for rel in candidates:
            files[shard_of(rel, count)].append(rel)
        pool = None
        if executor is None:
            workers = min(count, os.cpu_count() or 1)
            if len(candidates) < parallel.PARALLEL_FROM:
                workers = 1  # (starting helpers would take longer than the work)
            if workers == 1:  # one task at a time: this process, its own helpers
                executor = pool = concurrent.futures.ThreadPoolExecutor(1)
            else:
                executor = pool = parallel.LocalPool(workers)
        processes = None if isinstance(executor, concurrent.futures.ThreadPoolExecutor) else 1
        jobs = [
            ShardJob(
                str(root), n, run, files[n], manifest.generations[n] if update else None,
                wait, processes,
            )
            for n in range(count)
        ]
        try:
            built = _build_all(store, jobs, executor, progress, len(candidates))
        finally:
            if pool is not None:
                pool.shutdown()
        _merge_reports(report, [b.report for b in built])
        unchanged = update and not any(b.new for b in built) and manifest.meta == run.meta()
        if unchanged and store.statistics(manifest).parent.is_dir():
            return report  # (nothing to publish)
        try:
            version = manifest.version + 1 if manifest is not None else 1
            new = Manifest(version, tuple(b.generation for b in built), run.meta())
            if report.sources == 0:
                reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:5])
                raise CorpusError(f"no document in {run.folder} could be indexed ({reasons})")
            folder = store.statistics(new).parent
            shutil.rmtree(folder, ignore_errors=True)  # (left by a run killed here)
            folder.mkdir()
            statistics.merge(
                [statistics_of(store.shard(b.number).root / b.generation) for b in built],
                store.statistics(new),
            )
            seal_statistics(store.root, new)
        except BaseException:
            _discard(store, built)
            shutil.rmtree(store.statistics(new).parent, ignore_errors=True)
            raise
        store.publish(new, manifest)
        if plain.exists():  # a plain index made sharded (--rebuild): its generations go
            _remove_plain(plain)
    return report


def _refuse(store: ShardedStore, plain: IndexStore, shards, rebuild: bool, run: Run) -> None:
    """Never write into a folder that is not ours, nor make a plain index
    sharded without --rebuild."""
    root = store.root
    if root.exists() and not root.is_dir():
        raise CorpusError(f"index location {root} is a file, not a folder")
    if plain.exists() and not store.exists() and not rebuild:
        raise ShardsMismatch(
            f"{root} is an index of one shard; to split it into {shards}, run "
            f"`groundsearch index {run.folder} --index {root} --shards {shards} --rebuild`"
        )
    if root.is_dir() and not store.exists() and not plain.exists():
        foreign = [n for n in store.foreign_files() if not n.startswith(".progress-")]
        if foreign:
            raise IndexCorrupt(
                f"{root} is not empty and is not a groundsearch index; "
                "choose a new folder for --index"
            )


def _manifest(store: ShardedStore, rebuild: bool) -> Manifest | None:
    """The manifest to update, or None: none yet, or one this groundsearch
    cannot update (rebuilt afresh; a damaged one only with --rebuild)."""
    if not store.exists():
        return None
    try:
        return store.manifest()
    except IndexOutdated:
        return None
    except IndexCorrupt:
        if rebuild:
            return None
        raise


def _build_all(store: ShardedStore, jobs: list[ShardJob], executor, progress, total: int):
    """Run every shard's job; if one fails, stop the others, discard what
    they built, and raise one error naming the shard."""
    root = store.root
    for job in jobs:
        progress_file(root, job.number).write_bytes(b"")
    futures = {}
    reported = dict.fromkeys(range(len(jobs)), 0)
    built: list[ShardBuilt] = []
    try:
        with _Ticker(progress, total) as tick:
            for job in jobs:
                futures[executor.submit(build_shard, job)] = job
            pending = set(futures)
            while pending:
                done, pending = concurrent.futures.wait(
                    pending, timeout=0.25, return_when=concurrent.futures.FIRST_COMPLETED
                )
                _tick(root, jobs, reported, tick)
                for future in done:
                    job = futures[future]
                    try:
                        result = future.result()
                    except BaseException as exc:  # noqa: BLE001 - reported as one line
                        raise _shard_failed(store, job, exc) from None
                    tick(len(job.files) - reported[job.number])
                    reported[job.number] = len(job.files)
                    built.append(result)
    except BaseException as exc:
        for job in jobs:  # tell running tasks to stop: they do within a few files
            progress_file(root, job.number).unlink(missing_ok=True)
        for future in futures:
            future.cancel()
        parallel.wait_started(futures)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                built.append(future.result())
        _discard(store, built)
        # What killed tasks left; a task cancelled here may still run on a
        # cluster (it cannot be killed) until it sees its progress file gone.
        stopping = {job.number for future, job in futures.items() if future.cancelled()}
        _remove_abandoned(store, len(jobs), stopping)
        if isinstance(exc, KeyboardInterrupt):
            raise Interrupted(f"interrupted; the index at {root} is unchanged") from None
        raise
    finally:
        for job in jobs:
            progress_file(root, job.number).unlink(missing_ok=True)
    return sorted(built, key=lambda b: b.number)


def _tick(root: Path, jobs, reported: dict[int, int], tick) -> None:
    for job in jobs:
        try:
            done = progress_file(root, job.number).stat().st_size
        except OSError:
            continue
        if done > reported[job.number]:
            tick(done - reported[job.number])
            reported[job.number] = done


def _shard_failed(store: ShardedStore, job: ShardJob, exc: BaseException) -> GroundsearchError:
    """One line naming the shard and what happened to it."""
    where = f"shard {job.number} ({store.shard(job.number).root})"
    if isinstance(exc, GroundsearchError) and not isinstance(exc, IndexingFailed):
        return type(exc)(f"{where}: {exc}")
    if isinstance(exc, concurrent.futures.process.BrokenProcessPool) or (
        type(exc).__name__ == "KilledWorker"  # Dask's, when a worker died running it
    ):
        why = "the worker building it died"
    else:
        why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return IndexingFailed(
        f"{where} failed: {why}; nothing was published, the index at {store.root} is "
        "unchanged (run the same command again)"
    )


def _discard(store: ShardedStore, built: list[ShardBuilt]) -> None:
    """Remove the new generations of a run that will not publish."""
    for result in built:
        if result.new:
            shard = store.shard(result.number)
            shard.discard(shard.root / result.generation)


def _remove_abandoned(store: ShardedStore, count: int, stopping: set[int]) -> None:
    """The generations that tasks killed while building left in the shards,
    once the tasks still `stopping` have let go of their shard (within a
    few files)."""
    for number in range(count):
        shard = store.shard(number)
        if not shard.root.is_dir():
            continue
        try:
            with shard.lock(60.0 if number in stopping else 0.0):
                shard.remove_abandoned()
        except IndexLocked:
            pass


def _merge_reports(report: IndexReport, reports: list[IndexReport]) -> None:
    """The shards' reports in one, in path order (as one index reports)."""
    for name in ("added", "updated", "removed", "unchanged"):
        getattr(report, name).extend(sorted(p for r in reports for p in getattr(r, name)))
    for name in ("skipped", "notes"):
        entries = [e for r in reports for e in getattr(r, name)]
        getattr(report, name).extend(sorted(entries, key=lambda e: e["path"]))
    report.sources = sum(r.sources for r in reports)
    report.passages = sum(r.passages for r in reports)
    report.rebuilt = all(r.rebuilt for r in reports)


def _remove_plain(plain: IndexStore) -> None:
    """The generations and pointer of the plain index a sharded one replaced."""
    (plain.root / "CURRENT").unlink(missing_ok=True)
    for generation in plain.root.glob("gen-*"):
        shutil.rmtree(generation, ignore_errors=True)

