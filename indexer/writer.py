"""Whoosh segment writing: one writer per process, segments joined at commit.

A fresh build of many files is split between processes (see `build.py`);
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


def commit(writer: Writer, optimize: bool, own=None, parts: list = ()) -> None:
    """Commit `writer`.  In a build shared with workers, `own` is the main
    writer's segment (already finished with `finish_part`) and `parts` the
    workers' segments: all are listed, in that order, in one new table of
    contents, without merging."""
    if own is None and not parts:
        writer.commit(optimize=optimize)
        return
    segments = writer._merge_segments(None, False, False)  # the existing ones, as they are
    writer._commit_toc([*segments, *([own] if own else []), *parts])
    writer._finish()
