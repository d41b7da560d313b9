"""Telling a damaged index from a bad query when Whoosh fails mid-search.

Whoosh reports damaged files with whatever exception the damaged bytes
cause (`IndexError`, `struct.error`, `UnicodeDecodeError`, zlib errors...),
and some unusual queries raise the same kinds.  A query at fault fails the
same way on any index, so the failing query is run again on a tiny healthy
in-memory index with the same schema: if it fails there too the query is to
blame (`QueryError`), otherwise the index is (`IndexCorrupt`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from whoosh.filedb.filestore import RamStorage

from indexer import GroundsearchError, IndexCorrupt, QueryError, make_schema, rebuild_hint


def damaged(root: Path, exc: BaseException) -> IndexCorrupt:
    """The error for an index whose files could not be read."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return IndexCorrupt(f"the index at {root} is damaged ({detail}); {rebuild_hint(root)}")


def query_or_damage(exc: Exception, parsed, restrict, root: Path, hint: str) -> GroundsearchError:
    """`QueryError` if `parsed` also fails on a healthy index, else `IndexCorrupt`."""
    try:
        with _probe_index().searcher() as searcher:
            list(searcher.search(parsed, limit=1, filter=restrict))
    except Exception:  # noqa: BLE001 - the query itself cannot run
        return QueryError(f"cannot run the query ({exc}): {hint}")
    return damaged(root, exc)


@functools.cache
def _probe_index():
    index = RamStorage().create_index(make_schema())
    writer = index.writer()
    writer.add_document(
        path="probe",
        kind="content",
        title="probe",
        body="probe text",
    )
    writer.commit()
    return index


def guarded(method):
    """Report any unexpected exception from an `Index` read method as a
    damaged index (with the `--rebuild` hint), never as a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except GroundsearchError:
            raise
        except Exception as exc:  # noqa: BLE001 - Whoosh/sqlite on damaged files
            raise damaged(self.store.root, exc) from None

    return wrapper
