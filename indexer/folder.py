"""Indexing a folder: one index, or a sharded one (`build.py`, `shards.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from pathlib import Path

from .build import DEFAULT_MAX_BYTES, index_plain, prepare
from .model import IndexReport, IndexSettings
from .shards import index_shards
from .storage.manifest import ShardedStore

_DEFAULT_SETTINGS = IndexSettings()


def index_folder(
    folder: Path,
    index_dir: Path,
    *,
    settings: IndexSettings = _DEFAULT_SETTINGS,
    metadata_file: Path | None = None,
    synonyms_file: Path | None = None,
    rebuild: bool = False,
    wait: float = 0.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[Iterator, int], contextlib.AbstractContextManager] | None = None,
    processes: int | None = None,
    executor: Executor | None = None,
    shards: int | None = None,
) -> IndexReport:
    """Index every `.txt`, `.md` and `.html` file under `folder` into `index_dir`.

    Incremental: files whose bytes and metadata are unchanged since the last
    run are skipped, changed ones re-indexed, deleted ones removed.  The new
    index becomes visible only once complete.  `progress(iterable, length)`,
    if given, wraps the loop over files (e.g. `click.progressbar`).

    The files are shared between this process and `processes - 1` tasks
    on `executor`; by default, one process per core (at most `MAX_PROCS`)
    from `PARALLEL_FROM` files up, else one, and a local pool of helper
    processes (`parallel.LocalPool`).  Another executor (a Dask cluster's)
    must run where the index folder can be written.

    `shards=N` builds (or updates) a sharded index of N shards, each shard
    built by a task on `executor` (by default a local pool, one task per
    core); an index that is sharded already is updated as such, and
    another `shards` is refused unless `rebuild` (see `shards.py`).
    """
    run, candidates, report = prepare(
        folder, index_dir, settings, metadata_file, synonyms_file, max_bytes
    )
    if shards is not None or ShardedStore(Path(index_dir)).exists():
        return index_shards(
            run, candidates, Path(index_dir), report, shards=shards, rebuild=rebuild, wait=wait,
            progress=progress, executor=executor,
        )
    return index_plain(
        run, candidates, index_dir, report, rebuild=rebuild, wait=wait, progress=progress,
        processes=processes, executor=executor,
    )
