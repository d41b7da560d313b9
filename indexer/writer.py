"""Whoosh segment writing: one writer per process, segments joined at commit.

A run over many files is split between processes (see `build.py`);
each writes its own Whoosh segment into the new generation, and the main
process lists them all in one table of contents when it commits.  This is
what Whoosh's own multi-segment `MpWriter` does, except that the worker
processes also read and split the documents, which is half the work.
"""

from __future__ import annotations

from whoosh.writing import SegmentWriter


class Writer(SegmentWriter):
    """Whoosh's segment writer, reading each document's field lengths once
    when it writes the postings.

    `SegmentWriter` looks a length up (a seek and a read in the length
    column) for every posting it writes; on SciFact that was a third of the
    time spent writing postings.
    """

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.doc_count()) if reader else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader:
            reader.close()


class _Lengths:
    """`doc_field_length` of a per-document reader, one field at a time."""

    def __init__(self, reader, doc_count: int):
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(n, fieldname, default) for n in range(self._doc_count)]
            self._fields[fieldname] = lengths
        return lengths[docnum]


def open_writer(ix, limitmb: int, lock: bool = True) -> Writer:
    """A writer for `ix`; `lock=False` for a worker whose parent holds the lock."""
    return Writer(ix, limitmb=limitmb, _lk=lock)


def finish_part(writer: Writer):
    """Close a worker's writer; its segment (None if it wrote nothing), for
    the main writer to list in `commit`.

    A worker's writer shares its temporary folder with the main writer, so
    it must not clean it up (`SegmentWriter._finish`, `cancel`): the main
    writer does, once.  `abandon_part` closes it after a failure."""
    if writer.doc_count() == 0:
        writer._close_segment()
        return None
    return writer._finalize_segment()


def abandon_part(writer: Writer) -> None:
    """Close a worker's writer after a failure (see `finish_part`)."""
    writer._close_segment()  # (closes only what is still open)


#: When more than this share of the passages in the index's segments are
#: deleted (old versions of changed files, removed files), a run merges every
#: segment into one, dropping them.  Until then it merges only small segments
#: (Whoosh's default): merging all on every run rewrote the whole index even
#: when one file had changed (28 s for 10,000 unchanged files).
PURGE_DELETED = 0.2


def commit(writer: Writer, own=None, parts: list = (), finished: bool = False) -> None:
    """Commit `writer`.  In a run shared with workers, `parts` are the
    workers' segments and `own` the main writer's (when `finished`: already
    finished with `finish_part`, as a fresh build does to overlap with the
    workers).  Otherwise the main writer first merges the index's existing
    segments into its own (small ones, or all of them when they hold too
    many deleted passages) so that segments and deleted passages do not pile
    up.  All are listed in one new table of contents."""
    optimize = _mostly_deleted(writer.segments)
    if not parts and not finished:
        writer.commit(optimize=optimize)
        return
    if finished:
        segments = writer._merge_segments(None, False, False)  # the existing ones, as they are
    else:
        segments = writer._merge_segments(None, optimize, True)  # merged into this writer
        own = finish_part(writer)
    writer._commit_toc([*segments, *([own] if own else []), *parts])
    writer._finish()


def _mostly_deleted(segments) -> bool:
    total = sum(segment.doc_count_all() for segment in segments)
    deleted = sum(segment.deleted_count() for segment in segments)
    return deleted > PURGE_DELETED * total
