"""Whoosh segment writing: one writer per process, one segment per run.

A run over many files is split between processes (see `build.py`).  Each
helper process reads, splits and analyses its files and hands its
documents over (`hand_over`): its pooled postings, saved as runs, and
each document's stored fields (pickled, `_StoredFields`) and columns, in files
of the writers' shared temporary folder.  The main process's writer takes
them in after its own documents (`Writer.take_in`) and writes one segment:
with a segment per process, each repeated the terms the others held.

The segments are in Whoosh's format (Whoosh's codec reads them, and writes
all but the posting blocks); what differs from Whoosh's `SegmentWriter` is
how postings wait to be written and how they are packed:

- Whoosh pools one `(field, term, docnum, weight, value)` tuple per posting
  and sorts them all before writing.  Here each field's postings are kept
  as columns (term ids, document numbers, weights, values), a document's
  added in a few calls that run in C, and sorted by term with NumPy when
  the segment is written (`_FieldPostings`).
- Whoosh then hands its posting writer one posting at a time, with a
  field-length lookup for each.  Here a pool held in memory is written a
  field's sorted arrays at a time (`_write_sorted`): every block's figures
  (counts, last documents, largest weights, sums, field lengths) and every
  term's row in the terms table come from NumPy at once, leaving a block's
  pickling and compression to do one by one.  A pool saved to disk as runs
  is read back a term at a time, and each term's blocks and row are
  written in one call (`_write_term`): the same bytes.
- A source's passages come to the writer together (`add_documents`) and
  wait for a few hundred more, then are added a field at a time
  (`_add_batch`): a value shared by many (a path, a kind) is looked up
  and pooled once, and stored fields and columns are written in one call.
- Each document's field lengths and column numbers wait in arrays
  (`_DocColumns`) and go to Whoosh's column files in one write each when
  the segment is written, instead of a few calls per document and value.
- With helper processes, the helpers write ranges of the terms' postings
  while the main writer writes the first (`_share_postings`, `write_range`),
  each reading the pooled runs from where its range starts; the main
  writer appends their postings and moves their rows.
- A block's lists are pickled with protocol 3, and compressed only when
  that makes them shorter, by a compressor sized to them (`_deflate`).
  Stored fields are pickled with protocol 4 and not compressed
  (`_StoredFields`: a zlib stream of stored blocks, which Whoosh's reader
  decompresses as any other).  Whoosh's readers unpickle any protocol and
  read the compression from each block's figures.
- The terms table hashes its keys with CRC-32, not MD5
  (`_hash_terms_by_crc`): its header names the hash Whoosh's reader uses.

Indexing SciFact takes 18 % less CPU (`benchmarks/README.md`, round 9),
writing its postings a fifth less again (round 11), and packing blocks this
way roughly halves what remains of writing and a fifth of the index's size
(HISTORY.md, round 14).  Whoosh reads the same index from it as from its own
writer: `tests/test_writer.py` compares every term, block, posting, stored
field and column.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import heapq
import io
import marshal
import os
import pickle
import shutil
import signal
import struct
import threading
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from hashlib import md5
from itertools import accumulate, count, groupby, repeat
from operator import add, itemgetter, sub
from typing import NamedTuple, NoReturn
from zlib import crc32

import numpy as np
from whoosh.analysis import CompositeAnalyzer, IDTokenizer, LowercaseFilter, RegexTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.columns import NumericColumn, PickleColumn, VarBytesColumn
from whoosh.filedb.filetables import crc_hash
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort, unpack_long
from whoosh.util.numeric import _length_byte_cache, byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from .. import forks
from ..errors import IndexingFailed
from ..model import BOILERPLATE
from . import scores
from .schema import (
    COUNT_COLUMNS,
    TERM_COUNT,
    BodyAnalyzer,
    IndexedPositions,
    TermIds,
    analyse_many,
    postings_of,
    term_count,
)


class Writer(SegmentWriter):
    """Whoosh's segment writer, pooling postings by field and term (see the
    module's docstring)."""

    def __init__(self, ix, limitmb: int = 128, part: bool = False, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._last: dict[str, tuple] = {}  # (see `_index`)
        self._runs: dict[str, tuple] = {}  # (see `_pool_postings`)
        self._plans: dict[tuple, tuple] = {}  # field names -> `_plan`
        self._pending: list[dict] = []  # (see `add_documents`)
        # Fields that need Whoosh's own `add_document` (term vectors, a
        # separate spelling field): none in groundsearch's schema.
        self._lean = not any(
            field.vector or field.separate_spelling() for field in self.schema
        )
        _hash_terms_by_crc(self.fieldwriter._tindex)
        colwriters = self.perdocwriter._colwriters
        stored = colwriters["_stored"]._child  # (Whoosh's `STORED_COLUMN`)
        stored._compress = _compress_stored
        # (Whoosh's own path pickles as `_add_planned` does: the same bytes.)
        self._stored_fields = _StoredFields()
        colwriters["_stored"] = _StoredFieldsWriter(stored, self._stored_fields)
        self._stored_column = stored
        self._scores: scores.ScoresWriter | None = None  # (see `_flush_segment`)
        #: An executor and how many of its workers may write ranges of the
        #: segment's terms beside this process (`_share_postings`), or None.
        self.helpers: tuple | None = None
        #: Whether a pool held in memory may be shared with a forked copy of
        #: this process (`_fork_range`; its running copy: `_forked`).
        self.fork_ranges = False
        self._forked: int | None = None
        #: Work for this process while a forked copy writes terms (else
        #: before the postings are written), done once (`_do_meanwhile`).
        self.meanwhile = None
        # A part of a run (see `hand_over`) records its documents' stored
        # fields and columns for the main writer instead of writing them.
        self._segment_perdoc = self.perdocwriter
        self._columns = _DocColumns(self.schema)
        if part:
            self.perdocwriter = self._columns = _Recorder(self.pool._new_run)
            self._columns.before_write = self._analyse_waiting
        #: Fields analysed many documents at a time (`_Waiting`): the
        #: `BodyAnalyzer` fields with `IndexedPositions` postings, and the
        #: column each one's term count fills when a document leaves it out.
        self._batched = {
            name: counts if counts in self.schema and self.schema[counts].column_type else None
            for name, counts in COUNT_COLUMNS.items()
            if name in self.schema and _batchable(self.schema[name])
        }
        self._waiting = _Waiting(self)
        #: The schema's fields by name (not its dynamic ones: none here).
        self._static = dict(self.schema.items())

    def take_in(self, part: Handover) -> None:
        """Add the documents a part of the run handed over (`hand_over`)
        after this writer's own: their stored fields and columns now, their
        postings (the part's pool, saved as runs) when the segment is
        written.  One segment per run: each segment repeats the terms the
        others hold (a row in the terms table, a posting list, a row in the
        scores file), 2.3 MB of SciFact's 25 MB in two segments."""
        self._analyse_waiting()
        offset = self.docnum
        perdoc = self.perdocwriter
        stored = perdoc._colwriters["_stored"]._child
        add_many = self._columns.add_many
        for first, lengths, values, data in self.pool._read_chunks(part.documents, whole=True):
            for is_length, columns in ((True, lengths), (False, values)):
                for fieldname, (docnums, numbers) in columns.items():
                    add_many(is_length, fieldname, [d + offset for d in docnums], numbers)
            if data:  # (pickled and packed by the part)
                _add_var_bytes(stored, offset + first, [value or b"" for value in data])
        # What `start_doc` and `finish_doc` would have counted, a document at
        # a time (their stored fields are in the column already).
        perdoc._doccount += part.count
        self.docnum += part.count
        self.pool.take_in(part.runs, offset, part.indexes)
        if part.pooled is not None:
            self.pool.take_in_columns(part.pooled, offset)
        self._added = self._added or part.count > 0

    def add_document(self, **fields):
        """What Whoosh's `SegmentWriter.add_document` does, with each
        posting put straight into its term's lists in the pool.

        A document that fails part-way (a field's value of the wrong type)
        leaves nothing behind: its postings join the pool only once every
        field is done.  (Whoosh's own writer keeps those already made, under
        the number the next document then gets.)

        A document whose field names come in an order met before, all the
        schema's and none `_`-keys (every passage groundsearch adds), is
        added by that order's plan (`_add_planned`).
        """
        if self._pending:
            self._add_pending()
        plan = self._plans.get(tuple(fields))
        if plan is not None and all(type(fields[name]) is str for name in plan[0]):
            self._add_planned(fields, plan[1])
            return
        batched = self._batched
        if not self._lean or any(
            fieldname in batched and type(fields[fieldname]) is not str for fieldname in fields
        ):
            self._analyse_waiting()  # (analysed now: postings must come in document order)
            batched = {}
        for fieldname, counts in COUNT_COLUMNS.items():
            if fieldname not in batched and fields.get(counts) is TERM_COUNT:
                fields[counts] = term_count(fields.get(fieldname) or "")
        if not self._lean:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        # No `_boost`, `_NAME_boost` or `_stored_NAME` keys (groundsearch's
        # own documents): every boost is 1 and every stored value the
        # field's, and the fields, all the schema's own, are looked up once.
        plain = len(fieldnames) == len(fields) and self._static.keys() >= fields.keys()
        if plain and batched is self._batched and len(self._plans) < _PLANS:
            if batched.keys() >= COUNT_COLUMNS.keys():  # (no term counts to fill here)
                self._plans[tuple(fields)] = self._plan(fieldnames)
        schema = self._static if plain else self.schema
        if not plain:
            self._check_fields(schema, fieldnames)
        last_values = self._last
        perdocwriter.start_doc(self.docnum)
        indexed, lengths, values, waiting = [], [], [], []
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                if fieldname in batched:
                    boost = docboost if plain else self._field_boost(fields, fieldname, docboost)
                    counts = batched[fieldname]
                    counted = counts is not None and fields.get(counts) is TERM_COUNT
                    waiting.append((fieldname, value, boost, counted and counts))
                elif field.indexed:
                    last = last_values.get(fieldname)  # (`_index`'s first look, inlined)
                    if last is not None and last[0] == value:
                        columns = last[1]
                    else:
                        columns = self._index(fieldname, field, value)
                    if field.scorable and columns[3]:
                        lengths.append((fieldname, columns[3]))
                    boost = docboost if plain else self._field_boost(fields, fieldname, docboost)
                    indexed.append((fieldname, columns, boost))
                stored = value if plain else fields.get(f"_stored_{fieldname}", value)
                if field.stored:
                    perdocwriter.add_field(fieldname, field, stored, 0)
                if field.column_type and stored is not None and stored is not TERM_COUNT:
                    values.append((fieldname, field.to_column_value(stored)))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        self._added_document(lengths, values, waiting, indexed)

    def add_documents(self, documents: list[dict]) -> None:
        """Add `documents` (dicts of fields, as `add_document` takes them)
        after those added before: the same index as an `add_document` call
        for each.  They wait (`_pending`) until `_PENDING_DOCUMENTS` have
        come or the writer does anything else, then are added many at a
        time (`_add_pending`): a source's passages were three or four, too
        few to share the work of a field between them."""
        self._check_state()
        self._pending += documents
        if len(self._pending) >= _PENDING_DOCUMENTS:
            self._add_pending()

    def _add_pending(self) -> None:
        """Add the documents waiting (`add_documents`): each stretch of
        them with the same field names, in an order met before, by
        `_add_batch`, the others one by one."""
        pending, self._pending = self._pending, []
        for keys, group in groupby(pending, key=tuple):
            documents = list(group)
            plan = self._plans.get(keys)
            if len(documents) > 1 and plan is not None and self._add_batch(documents, plan[1]):
                continue
            for fields in documents:
                self.add_document(**fields)

    def _add_batch(self, documents: list[dict], steps: tuple) -> bool:
        """`_add_planned` for many documents with the same field names
        (`steps`, their plan), a field at a time; False, having added
        nothing, for documents it does not take (a value None, or one not a
        string in a field that is indexed), which `add_documents` then adds
        one by one (raising where `add_document` would)."""
        keys = tuple(documents[0])
        n = len(documents)
        first = self.docnum
        docnums = list(range(first, first + n))
        by_name = dict(zip(keys, zip(*[fields.values() for fields in documents])))
        perdoc = self.perdocwriter
        direct = perdoc is self._segment_perdoc
        # First what may fail, changing nothing but `_index`'s cache.
        texts = []  # (fieldname, values, counts column or False) per batched field
        pooled = []  # (fieldname, [(columns, docnums)]) per indexed field
        lengths = []  # (fieldname, docnums, lengths)
        values = []  # (fieldname, docnums, values)
        stored_names, stored_values = [], []
        for fieldname, field, counts, batched, indexes, scorable, stored, column in steps:
            column_values = by_name[fieldname]
            if None in column_values:
                return False
            if (batched or indexes) and set(map(type, column_values)) != _STR:
                return False
            if batched:
                counted = counts is not None and all(
                    value is TERM_COUNT for value in by_name.get(counts, (None,))
                )
                if counts is not None and not counted and TERM_COUNT in by_name.get(counts, ()):
                    return False  # (some documents' counts given, some not)
                texts.append((fieldname, column_values, counted and counts))
            elif indexes:
                value = column_values[0]
                if column_values.count(value) == n:
                    groups = {value: docnums}
                else:
                    groups = {}
                    for docnum, value in zip(docnums, column_values):
                        group = groups.get(value)
                        if group is None:
                            groups[value] = [docnum]
                        else:
                            group.append(docnum)
                try:
                    runs = [(self._index(fieldname, field, v), g) for v, g in groups.items()]
                except Exception:  # noqa: BLE001 - raised again, one by one
                    return False
                if scorable:
                    for columns, group in runs:
                        if columns[3]:
                            lengths.append((fieldname, group, [columns[3]] * len(group)))
                pooled.append((fieldname, runs))
            if stored:
                stored_names.append(fieldname)
                stored_values.append(column_values)
            if column:
                if TERM_COUNT in column_values:
                    kept = [i for i, value in enumerate(column_values) if value is not TERM_COUNT]
                    group = [docnums[i] for i in kept]
                    column_values = [column_values[i] for i in kept]
                else:
                    group = docnums
                if column_values:
                    to_column = field.to_column_value
                    try:
                        numbers = [to_column(value) for value in column_values]
                    except Exception:  # noqa: BLE001 - raised again, one by one
                        return False
                    values.append((fieldname, group, numbers))
        # Then the postings, joining the runs waiting (`_pool_postings`)...
        runs = self._runs
        for fieldname, groups in pooled:
            for columns, group in groups:
                run = runs.get(fieldname)
                if run is not None and run[0] is columns and run[1] == 1.0:
                    run[2].extend(group)
                    if len(run[2]) >= _RUN_DOCUMENTS:
                        del runs[fieldname]
                        self._add_run(fieldname, *run)
                    continue
                if run is not None:
                    self._add_run(fieldname, *run)
                runs[fieldname] = (columns, 1.0, list(group))
        stored_fields = [dict(zip(stored_names, row)) for row in zip(*stored_values)] if (
            stored_names
        ) else [{}] * n
        # ... the stored fields and columns...
        if direct:
            for fieldname, group, numbers in lengths:
                self._columns.add_many(True, fieldname, group, numbers)
            for fieldname, group, numbers in values:
                self._columns.add_many(False, fieldname, group, numbers)
            if stored_names:
                value = self._stored_fields.value
                data = [value(fields) for fields in stored_fields]
                _add_var_bytes(self._stored_column, first, data)
        else:  # (a part's `_Recorder`)
            for fieldname, group, numbers in lengths:
                perdoc.add_many(True, fieldname, group, numbers)
            for fieldname, group, numbers in values:
                perdoc.add_many(False, fieldname, group, numbers)
        # ... and the values waiting to be analysed: all at once when that
        # leaves the waiting values short of full (and a part's chunk of
        # documents too), as one by one it would.
        waiting = self._waiting
        if texts and (
            direct or perdoc.waiting + n < _DOCUMENTS_CHUNK
        ) and not waiting.full_with(n, sum(len(text) for _, vals, _ in texts for text in vals)):
            waiting.add_many(docnums, texts)
            texts = None
        for i, docnum in enumerate(docnums):
            perdoc.start_doc(docnum)
            if not direct:
                for fieldname, value in stored_fields[i].items():
                    perdoc.add_field(fieldname, None, value, 0)
            if texts:  # (before `finish_doc`: a part's recorder may write its chunk then)
                waiting.add(docnum, [(name, vals[i], 1.0, counts) for name, vals, counts in texts])
            perdoc.finish_doc()
            self.docnum += 1
            if texts and waiting.full():
                self._analyse_waiting()
        self._added = True
        return True

    def _plan(self, fieldnames: list[str]) -> tuple:
        """How `add_document` adds a plain document with these fields
        (sorted): the batched ones' names, and for each field its name,
        field object, the column its term count fills (batched fields) and
        whether it is batched, indexed otherwise, scorable, stored and a
        column."""
        batched = self._batched
        steps = []
        for fieldname in fieldnames:
            field = self._static[fieldname]
            steps.append((
                fieldname, field, batched.get(fieldname), fieldname in batched,
                fieldname not in batched and field.indexed, field.scorable, field.stored,
                bool(field.column_type),
            ))
        return tuple(name for name in fieldnames if name in batched), tuple(steps)

    def _add_planned(self, fields: dict, steps: tuple) -> None:
        """`add_document`'s steps for a plain document (boosts 1, each
        stored value the field's), by a plan made once for its field names
        (`_plan`): a passage's ten fields took as many schema look-ups,
        attribute tests and a sort each time."""
        self._check_state()
        perdocwriter = self.perdocwriter
        # The segment's stored fields are written here, as Whoosh's
        # per-document writer would (`_StoredFields`), not
        # through its five calls; a part's recorder keeps its own.
        direct = perdocwriter is self._segment_perdoc
        last_values = self._last
        perdocwriter.start_doc(self.docnum)
        indexed, lengths, values, waiting, stored_fields = [], [], [], [], {}
        try:
            for fieldname, field, counts, batched, indexes, scorable, stored, column in steps:
                value = fields[fieldname]
                if value is None:
                    continue
                if batched:
                    counted = counts is not None and fields.get(counts) is TERM_COUNT
                    waiting.append((fieldname, value, 1.0, counted and counts))
                elif indexes:
                    last = last_values.get(fieldname)  # (`_index`'s first look, inlined)
                    if last is not None and last[0] == value:
                        columns = last[1]
                    else:
                        columns = self._index(fieldname, field, value)
                    if scorable and columns[3]:
                        lengths.append((fieldname, columns[3]))
                    indexed.append((fieldname, columns, 1.0))
                if stored:
                    if direct:
                        stored_fields[fieldname] = value
                    else:
                        perdocwriter.add_field(fieldname, field, value, 0)
                if column and value is not TERM_COUNT:
                    values.append((fieldname, field.to_column_value(value)))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        if stored_fields:
            data = self._stored_fields.value(stored_fields)
            VarBytesColumn.Writer.add(self._stored_column, self.docnum, data)
        self._added_document(lengths, values, waiting, indexed)

    def _added_document(self, lengths: list, values: list, waiting: list, indexed: list) -> None:
        """The end of adding a document: its columns, its values waiting to
        be analysed, its stored fields and postings; the next number."""
        perdocwriter = self.perdocwriter
        self._columns.add_columns(self.docnum, lengths, values)
        if waiting:  # (before `finish_doc`: a part's recorder may write its chunk then)
            self._waiting.add(self.docnum, waiting)
        perdocwriter.finish_doc()
        self._pool_postings(indexed)
        self._added = True
        self.docnum += 1
        if self._waiting.full():
            self._analyse_waiting()

    def _pool_postings(self, indexed: list) -> None:
        """Add one document's postings, `(fieldname, columns, boost)` per
        field (see `_index`), to the pool.

        A field whose columns are the document before's (a source's passages
        share their path, source words, kind, author and date: `_index`
        returns the same tuple) adds this document's number to that run of
        documents, which joins the pool in one call (`_add_runs`) when the
        columns change, or when the waiting texts are analysed.  (A call
        per passage and field was 2 % of a build's CPU.)  Postings are sorted by
        term and document when written, so the order they join in changes
        nothing but when a pool over its memory limit is saved."""
        docnum = self.docnum
        runs = self._runs
        for fieldname, columns, boost in indexed:
            run = runs.get(fieldname)
            if run is not None and run[0] is columns and run[1] == boost:
                run[2].append(docnum)
                if len(run[2]) < _RUN_DOCUMENTS:
                    continue
                del runs[fieldname]
                self._add_run(fieldname, *run)
                continue
            if run is not None:
                self._add_run(fieldname, *run)
            runs[fieldname] = (columns, boost, [docnum])

    def _add_runs(self) -> None:
        """Add every waiting run of documents' postings (`_pool_postings`)."""
        runs, self._runs = self._runs, {}
        for fieldname, run in runs.items():
            self._add_run(fieldname, *run)
        self.pool.grow()

    def _add_run(self, fieldname: str, columns: tuple, boost: float, docnums: list) -> None:
        terms, weights, values, _ = columns
        if boost != 1.0:
            weights = [weight * boost for weight in weights]
        postings = self.pool.field(fieldname)
        if len(docnums) == 1:
            postings.add(docnums[0], terms, weights, values)
            return
        n = len(terms)
        postings.add_many(
            docnums if n == 1 else [docnum for docnum in docnums for _ in range(n)],
            list(terms) * len(docnums), list(weights) * len(docnums),
            list(values) * len(docnums),
        )

    def _index(self, fieldname: str, field, value) -> tuple:
        """`field.index(value)` as columns: the terms (bytes), their
        weights and values (bytes), and the sum of their frequencies.

        `IndexedPositions` has its own fast path (`index_columns`), and a
        plain `ID` field's term is its value.  A value the field had in the
        last document (a passage's path, source words, and its title within
        a section) is not analysed again: its postings share their values,
        which a block pickles once.
        """
        fmt = field.format
        last = self._last.get(fieldname)
        if last is not None and last[0] == value:
            return last[1]
        fast = getattr(fmt, "index_columns", None)
        analyzer = field.analyzer
        plain_id = type(analyzer) is IDTokenizer and type(fmt) is Existence
        keywords = _keyword_pattern(field) if isinstance(value, str) else None
        if fast is not None and isinstance(value, str) and isinstance(analyzer, BodyAnalyzer):
            terms, frequencies, weights, values = fast(value, analyzer)
            columns = (terms, weights, values, sum(frequencies))
        elif keywords is not None:
            # (Whoosh's tokenizer and filter made a token object per word:
            # 13 µs for a SciFact source's path, name and stem.)
            counts = Counter([word.lower() for word in keywords.findall(value)])
            boost = fmt.field_boost
            columns = (
                tuple(word.encode("utf-8") for word in counts),
                tuple(n * 1.0 * boost for n in counts.values()),
                tuple(map(pack_uint, counts.values())),
                sum(counts.values()),
            ) if counts else ((), (), (), 0)
        else:
            if plain_id and isinstance(value, str):
                items = [(value.encode("utf-8"), 1, fmt.field_boost, b"")]
            else:
                items = list(field.index(value))
            if items:
                terms, frequencies, weights, values = zip(*items, strict=True)
                columns = (terms, weights, values, sum(frequencies))
            else:
                columns = ((), (), (), 0)
        self._last[fieldname] = (value, columns)
        return columns

    def analyse_waiting(self) -> None:
        """Add and analyse what waits now (`_analyse_waiting`), which taking
        documents in or committing would do first: done while the parts
        finish, their wait is shorter."""
        self._analyse_waiting()

    def _analyse_waiting(self) -> None:
        """Add the documents waiting (`add_documents`), analyse and pool the
        field values still waiting (`_Waiting`), and add the runs of
        documents' postings waiting (`_pool_postings`)."""
        if self._pending:
            self._add_pending()
        if self._runs:
            self._add_runs()
        self._waiting.analyse()

    def add_reader(self, reader):
        self._analyse_waiting()
        self._columns.write(self.perdocwriter)  # (Whoosh's writes the reader's columns now)
        return super().add_reader(reader)

    def write_per_doc(self, fieldnames, reader):
        self._analyse_waiting()
        self._columns.write(self.perdocwriter)
        return super().write_per_doc(fieldnames, reader)

    def cancel(self):
        self._pending = []
        self._waiting.clear()
        return super().cancel()

    def commit(self, *args, **kwargs):
        if self._pending:
            self._add_pending()
        super().commit(*args, **kwargs)
        self._do_meanwhile()  # (if no segment was written)

    def _do_meanwhile(self) -> None:
        work, self.meanwhile = self.meanwhile, None
        if work is not None:
            work()

    def _flush_segment(self):
        self._analyse_waiting()
        self._columns.write(self.perdocwriter)
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.doc_count()) if reader else None
        self._scores = _scores_writer(self, reader)
        fieldwriter = self.fieldwriter
        fieldwriter._postfile = _CountingFile(fieldwriter._postfile)
        fieldwriter._tindex.dbfile = _CountingFile(fieldwriter._tindex.dbfile)
        futures = []
        try:
            shared = self._share_postings(futures, lengths)
            self._do_meanwhile()
            if shared is None:
                terms, parts = self.pool.to_write(), ()
            else:
                terms, parts = shared
            _write_postings(fieldwriter, self.schema, lengths, terms, self._scores, parts)
            if shared is not None:
                self.pool.remove_runs()
            if self._scores is not None:
                boosts = {f: self.schema[f].format.field_boost for f in scores.FIELDS}
                self._scores.finish(boosts)
        except BaseException:
            for future in futures:
                future.cancel()
            self._stop_forked()
            if self._scores is not None:
                self._scores.abandon()
            raise
        finally:
            if reader:
                reader.close()
        fieldwriter.close()

    def _share_postings(self, futures: list, lengths):
        """Cut the pooled terms into ranges (`_TermPool.share`) and have
        the helpers (`self.helpers`) write the postings of all but the first
        (`write_range`), adding their futures to `futures`: the records of
        the first range, for this process to write, and the helpers'
        `RangeWritten`s, in order, waited for one by one.  None when there
        is no helper, or too little to share.

        Each reads the pool's runs from where its range starts; the
        helpers write their postings and rows to files of the temporary
        folder, which this process appends once its own are written.  This
        was the main process writing the segment alone after the helpers
        were done: 1.3 s of SciFact's build, a fifth of the
        200,000-document build's (HISTORY.md, "the helper writes half the
        terms").  A pool never saved to disk is shared with a forked copy
        of this process instead (`_fork_range`)."""
        folder = getattr(self._tempstorage, "folder", None)
        generation = getattr(self.storage, "folder", None)
        if not folder or not generation:
            return None
        if not self.pool.runs:  # (a pool held in memory)
            return self._fork_range(lengths, generation, folder)
        if self.helpers is None:
            return None
        executor, workers = self.helpers
        shared = self.pool.share(workers + 1)
        if shared is None:
            return None
        own, ranges = shared
        folder, runs = self.pool.ranges()
        for number, (low, high) in enumerate(ranges, 1):
            task = self._range_task(generation, folder, number, runs=runs, low=low, high=high)
            futures.append(executor.submit(write_range, task))
        return own, _results(futures)

    def _fork_range(self, lengths, generation: str, folder: str):
        """`_share_postings` for a pool held in memory, where this process
        may fork (`fork_ranges`, `forks.method`): the pool sorted
        (`_TermPool.sortings`), a forked copy of this process writes its
        last terms, `_FORKED_SHARE` of the work, as `write_range` would
        (`_write_sorted_range`), while this one writes the first.  The
        first range's records, and the copy's `RangeWritten` once it is
        done; None if there is too little to share.

        Writing the postings was this process's work alone once the
        helpers had handed their documents over, their cores idle: 0.7 s
        of SciFact's 2.5 s build.  The copy needs no file of the postings
        (a helper would): it has them, as this process had them when it
        forked."""
        if not self.fork_ranges or forks.method() != "fork":
            return None
        sortings = self.pool.sortings()
        cut = _cut(sortings, _FORKED_SHARE)
        if cut is None:
            return None
        if lengths is not None:  # (read now: the copy must not read this process's files)
            for fieldname, _ in sortings:
                lengths.of(fieldname)
        task = self._range_task(generation, folder, 1)
        try:
            pid = os.fork()
        except OSError:  # (no process to spare: this one writes every term)
            return None
        if pid == 0:
            _write_forked_range(_sorted_range(sortings, cut, None), lengths, task)
        self._forked = pid
        return _sorted_range(sortings, None, cut), _forked_written(self, task)

    def _stop_forked(self) -> None:
        """End the forked copy (`_fork_range`) if it is still running."""
        pid, self._forked = self._forked, None
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)

    def _range_task(self, generation: str, folder: str, number: int, **where) -> RangeTask:
        """The `RangeTask` of the `number`th range of this segment's terms."""
        segment = self.get_segment()
        fixed = {
            name: field.format.fixed_value_size()
            for name, field in self.schema.items() if field.format is not None
        }
        return RangeTask(
            generation, segment, self.doc_count(), folder, where.get("runs", []),
            where.get("low"), where.get("high"), fixed, self.codec._blocklimit,
            self.codec._compression, self._scores is not None,
            os.path.join(folder, f"{segment.segment_id()}-range-{number}"),
        )

    def _finalize_segment(self):
        """Whoosh's `_finalize_segment`, then the segment's scores file
        (`scores.py`) takes its name: written under a hidden one, so that
        Whoosh leaves it out of the compound segment file."""
        self._scores = None
        segment = super()._finalize_segment()
        if self._scores is not None:
            final = scores.scores_file(self.storage.folder, segment.segment_id())
            os.rename(self._scores.path, final)
        return segment


def _keyword_pattern(field):
    """The pattern of the words of a field that Whoosh indexes as a
    `KEYWORD(lowercase=True)` field (the words a regex finds, lower-cased,
    each with its frequency: `Frequency`), or None for any other field."""
    analyzer = field.analyzer
    if type(field.format) is not Frequency or type(analyzer) is not CompositeAnalyzer:
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
        return None
    if [type(f) for f in filters] != [LowercaseFilter] or tokenizer.expression.groups:
        return None  # (with a group, `findall` gives the group's text, not the match's)
    return tokenizer.expression


def _batchable(field) -> bool:
    """Whether `field`'s values can wait to be analysed with others'
    (`_Waiting`): `IndexedPositions` postings from a `BodyAnalyzer`, no
    term vectors or spelling field of its own."""
    return (
        field.indexed and type(field.format) is IndexedPositions
        and isinstance(field.analyzer, BodyAnalyzer)
        and not field.vector and not field.separate_spelling()
    )


class _Waiting:
    """The values of a writer's batched fields (title and body) waiting to
    be analysed, many documents' at once (`analyse`): one tokenisation pass
    per text, one look-up per token, and each document's positions,
    frequencies and encoded positions worked out with NumPy for all of
    them, then pooled as one call per field.  One at a time, through
    `IndexedPositions.index_columns`, a passage's analysis and pooling were
    a fifth of a build (HISTORY.md, "Build CPU, analysis in batches").

    The postings are those `Writer._index` makes, value objects included:
    a document whose value is the same as the document before's (a
    section's title) shares that one's encoded positions, which a block
    pickles once."""

    def __init__(self, writer: Writer):
        self._writer = writer
        # fieldname -> its documents' numbers, texts, boosts and count columns
        self._fields: dict[str, tuple[list, list, list, list]] = {}
        self._count = 0
        self._chars = 0
        self._term_ids = TermIds()

    def clear(self) -> None:
        """Forget the values waiting."""
        self._fields, self._count, self._chars = {}, 0, 0

    def add(self, docnum: int, values: list) -> None:
        """Document `docnum`'s values, `(fieldname, text, boost, counts)`:
        `counts` names the column to fill with its term count, or is false."""
        fields = self._fields
        for fieldname, text, boost, counts in values:
            entry = fields.get(fieldname)
            if entry is None:
                entry = fields[fieldname] = ([], [], [], [])
            entry[0].append(docnum)
            entry[1].append(text)
            entry[2].append(boost)
            entry[3].append(counts)
            self._chars += len(text)
        self._count += 1

    def add_many(self, docnums: list, texts: list) -> None:
        """Documents' values, `(fieldname, texts, counts)` per field: what
        `add` takes of each document (boosts 1)."""
        fields = self._fields
        n = len(docnums)
        for fieldname, values, counts in texts:
            entry = fields.get(fieldname)
            if entry is None:
                entry = fields[fieldname] = ([], [], [], [])
            entry[0].extend(docnums)
            entry[1].extend(values)
            entry[2].extend([1.0] * n)
            entry[3].extend([counts] * n)
            self._chars += sum(map(len, values))
        self._count += n

    def full_with(self, count: int, chars: int) -> bool:
        """Whether `full` would be true with `count` documents and `chars`
        characters more."""
        return self._count + count >= _WAITING_DOCUMENTS or (
            (self._chars + chars) * _POSTING_BYTES
            > self._writer.pool.limit * _CHARS_PER_POSTING / 4
        )

    def full(self) -> bool:
        """Whether to analyse now: `_WAITING_DOCUMENTS`, or about a quarter
        of the pool's memory limit in postings (a posting per
        `_CHARS_PER_POSTING` characters), so that the pool is saved as
        often as before."""
        return self._count >= _WAITING_DOCUMENTS or (
            self._chars * _POSTING_BYTES > self._writer.pool.limit * _CHARS_PER_POSTING / 4
        )

    def analyse(self) -> None:
        """Pool the waiting values' postings and add their documents'
        lengths and counts to the writer's columns."""
        if not self._count:
            return
        fields = self._fields
        self.clear()
        for fieldname, entry in fields.items():
            self._analyse_field(fieldname, *entry)
        self._writer.pool.grow()

    def _analyse_field(self, fieldname: str, docnums, texts, boosts, counts) -> None:
        writer = self._writer
        field = writer.schema[fieldname]
        field_boost = field.format.field_boost
        last = writer._last.get(fieldname)
        previous = last[0] if last is not None else None
        # A value equal to the document before's is analysed once (see above).
        fresh = [i for i, text in enumerate(texts) if text != (texts[i - 1] if i else previous)]
        analysed = analyse_many([texts[i] for i in fresh], self._term_ids)
        postings = postings_of(analysed, field_boost)
        n = len(texts)
        # Each document's place among the fresh ones (-1: the value before this batch).
        which = np.full(n, -1, np.int64)
        if fresh:
            marks = np.zeros(n, np.int64)
            marks[fresh] = 1
            which = np.cumsum(marks) - 1
        lengths = np.zeros(n, np.int64)
        ahead = which < 0
        if ahead.any():
            lengths[ahead] = last[1][3]
            for i in np.flatnonzero(ahead).tolist():
                terms, weights, values, _ = last[1]
                if boosts[i] != 1.0:
                    weights = [weight * boosts[i] for weight in weights]
                writer.pool.field(fieldname).add(docnums[i], terms, weights, values)
        fresh_docs = np.flatnonzero(~ahead)
        if len(fresh_docs):
            of = which[fresh_docs]
            lengths[fresh_docs] = analysed.lengths[of]
            starts, ends = postings.starts[of], postings.ends[of]
            sizes = ends - starts
            take = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
            docs = np.repeat(np.asarray(docnums, np.int64)[fresh_docs], sizes)
            weights = postings.weights[take]
            doc_boosts = np.asarray(boosts, np.float64)[fresh_docs]
            if (doc_boosts != 1.0).any():
                weights = weights * np.repeat(doc_boosts, sizes)
            values = postings.values
            every = len(take) == len(values)  # (each posting once, in order: most bodies)
            writer.pool.field(fieldname).add_arrays(
                docs, postings.terms if every else postings.terms[take], analysed.terms,
                weights, values if every else list(map(values.__getitem__, take.tolist())),
            )
            # The last document's columns, as `_index` keeps them (`_last`).
            lo, hi = int(postings.starts[-1]), int(postings.ends[-1])
            writer._last[fieldname] = (
                texts[fresh[-1]],
                (
                    list(map(analysed.terms.__getitem__, postings.terms[lo:hi].tolist())),
                    postings.weights[lo:hi].tolist(),
                    values[lo:hi],
                    int(analysed.lengths[-1]),
                ),
            )
        nonzero = np.flatnonzero(lengths)
        columns = writer._columns
        if field.scorable and len(nonzero):
            columns.add_many(
                True, fieldname, [docnums[i] for i in nonzero.tolist()],
                lengths[nonzero].tolist(),
            )
        filled = [i for i, name in enumerate(counts) if name]
        for name in dict.fromkeys(counts[i] for i in filled):
            mine = [i for i in filled if counts[i] == name]
            columns.add_many(
                False, name, [docnums[i] for i in mine], lengths[mine].tolist(),
            )


#: Field-name orders whose plans a writer keeps at most (`Writer._plan`).
_PLANS = 64
#: Documents in a run of postings waiting to join the pool at most
#: (`Writer._pool_postings`).
_RUN_DOCUMENTS = 4096
#: Documents `add_documents` keeps waiting at most.
_PENDING_DOCUMENTS = 256
#: The types of a field's values `_add_batch` takes (plain strings).
_STR = {str}
#: Documents whose batched values wait to be analysed at most.
_WAITING_DOCUMENTS = 512
#: About how many characters of text make a posting (SciFact: 8.4).
_CHARS_PER_POSTING = 8


class _TermPool(PostingPool):
    """Whoosh's posting pool, holding each field's postings as columns.

    `fields[fieldname]` is a `_FieldPostings`: every posting's term, document
    number, weight and value, in the order they came, which `_records`
    sorts by term (then document) with NumPy.  Past the memory limit the
    pool is saved to disk as a run, one record per term in order, and
    emptied; `by_term` merges the runs, oldest first for each term.
    (Whoosh saves and merges one record per posting, several times as many.)
    """

    def __init__(self, tempstore, segment, limitmb: int):
        super().__init__(tempstore, segment, limitmb=limitmb)
        self.fields: dict[str, _FieldPostings] = {}
        self._offsets: dict[str, int] = {}  # run -> what its document numbers are short of
        self.indexes: dict[str, _RunIndex] = {}  # run -> where its chunks and terms are

    def save_columns(self) -> str:
        """Write the pool's columns, unsorted, to a new file of the temporary
        folder (`take_in_columns` reads it); its name.  Cheaper than a run,
        and sorted once with the main writer's."""
        path, handle = self._new_run()
        columns = {name: postings.columns() for name, postings in self.fields.items()}
        with handle:
            handle.write(marshal.dumps(columns))
        self.fields = {}
        self.currentsize = 0
        return path

    def take_in_columns(self, path: str, offset: int) -> None:
        """Add the columns another pool saved (`save_columns`) to this one's,
        its documents numbered from `offset` here."""
        handle = self._open_run(path)
        try:
            columns = marshal.loads(handle.read())
        finally:
            handle.close()
            self._remove_run(path)
        for fieldname, pooled in columns.items():
            self.field(fieldname).take_in(*pooled, offset)
        self.grow()

    def take_in(self, runs: list[str], offset: int, indexes: dict) -> None:
        """Add another pool's `runs` (its postings, saved; their `indexes`
        from its own), its documents numbered from `offset` here; after the
        postings already pooled."""
        if not runs:
            return
        if self.fields:
            self.save()
        for path in runs:
            self.runs.append(path)
            self._offsets[path] = offset
            self.indexes[path] = indexes[path]

    def field(self, fieldname: str) -> _FieldPostings:
        """The postings of `fieldname`."""
        postings = self.fields.get(fieldname)
        if postings is None:
            postings = self.fields[fieldname] = _FieldPostings()
            self.fieldnames.add(fieldname)
        return postings

    def add(self, item):
        """One posting from Whoosh's own code (segments merged in)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        if docnum == -1:
            return  # (Whoosh's `add_postings` skips postings numbered -1)
        self.field(fieldname).add(docnum, (tbytes,), (weight,), (vbytes,))
        self.grow()

    def grow(self) -> None:
        """Save the pool to disk if it has outgrown its memory limit."""
        self.currentsize = sum(postings.size for postings in self.fields.values())
        if self.currentsize > self.limit:
            self.save()

    def by_term(self):
        """`(fieldname, term bytes, docnums, weights, values)` for every
        term, in Whoosh's order: by field, then term, then document."""
        if not self.runs:
            yield from self._records()
            return
        self._save_all()
        records = self._merge(self.runs)
        self.runs = []
        yield from records

    def _save_all(self) -> None:
        """Save what the pool holds as a run, and merge the oldest runs
        until at most `_OPEN_RUNS` are left."""
        if self.fields:
            self.save()
        while len(self.runs) > _OPEN_RUNS:  # merge the oldest into one
            self.runs[:_OPEN_RUNS] = [self._write_run(self._merge(self.runs[:_OPEN_RUNS]))]

    def cut(self, parts: int) -> list[tuple] | None:
        """Save the pool as runs and cut its terms into `parts` ranges of
        about the same work to write (postings, and `_TERM_WORK` a term),
        by the runs' marks: the `(fieldname, term bytes)` at which each
        range after the first starts (None if there is too little to
        share)."""
        self._save_all()
        marks = sorted(mark for path in self.runs for mark in self.indexes[path].marks)
        total = sum(work for _, work in marks)
        if total < _SHARED_FROM:
            return None
        bounds, done = [], 0
        for key, work in marks:
            if done * parts >= total * (len(bounds) + 1) and key > (bounds or [marks[0][0]])[-1]:
                bounds.append(key)
                if len(bounds) == parts - 1:
                    break
            done += work
        return bounds or None

    def share(self, parts: int):
        """The pool's terms cut into `parts` ranges of about the same work
        to write (`cut`), each read from the runs by `range_records`: the
        records of the first, as `by_term` gives them, and `(low, high)` of
        the others; None if the pool was never saved as runs (it is then
        sorted in memory, which sharing did not make faster: HISTORY.md) or
        there is too little to share."""
        if not self.runs:
            return None
        bounds = self.cut(parts)
        if bounds is None:
            return None
        folder, runs = self.ranges()
        return range_records(folder, runs, None, bounds[0]), list(
            zip(bounds, [*bounds[1:], None], strict=True)
        )

    def ranges(self) -> tuple[str, list]:
        """What `range_records` needs to read the runs: the temporary
        folder and, for each run (oldest first), its file name, its
        documents' offset and its `_RunIndex`."""
        return self.tempstore.folder, [
            (path, self._offsets.get(path, 0), self.indexes[path]) for path in self.runs
        ]

    def remove_runs(self) -> None:
        """Remove the runs once `range_records` has read them."""
        for path in self.runs:
            self._remove_run(path)
            self._offsets.pop(path, None)
            self.indexes.pop(path, None)
        self.runs = []

    def save(self):
        """Write what the pool holds as a run on disk, and empty it."""
        self.runs.append(self._write_run(self._records()))
        self.fields = {}
        self.currentsize = 0

    def items(self, maxfiles=128):
        """Whoosh's view: one `(fieldname, term bytes, docnum, weight,
        value)` tuple per posting, in order."""
        for fieldname, tbytes, *postings in self.by_term():
            for posting in zip(*postings, strict=True):
                yield (fieldname, tbytes, *posting)

    def _records(self):
        for fieldname in sorted(self.fields):
            for record in self.fields[fieldname].by_term():
                yield (fieldname, *record)

    def sortings(self) -> list[tuple[str, _Sorting]]:
        """Each field's `_Sorting`, in Whoosh's order of fields (a pool
        held in memory)."""
        return [(name, self.fields[name].sorting()) for name in sorted(self.fields)]

    def to_write(self):
        """What `_write_postings` writes, in Whoosh's order: a pool held in
        memory as each field's sorted postings (`_SortedTerms`), whose
        blocks are figured out over whole arrays; one saved as runs as their
        merged records, one per term (`by_term`)."""
        if self.runs:
            yield from self.by_term()
            return
        for fieldname in sorted(self.fields):
            yield from self.fields[fieldname].sorted(fieldname)

    def _write_run(self, records) -> str:
        """Write `records` to a new run; its path.  A run is chunks of
        records holding about `_RUN_CHUNK` postings (or one record holding
        more), each one marshalled list after its length: `marshal.load`
        from a file, a record at a time, reads it in many small calls, and
        took three times as long as `marshal.loads` of a chunk.  Merging
        runs holds a chunk of each in memory."""
        path, handle = self._new_run()
        index = self.indexes[path] = _RunIndex([], [], [])
        position = 0

        def write(chunk: list) -> None:
            nonlocal position
            index.positions.append(position)
            index.keys.append((chunk[0][0], chunk[0][1]))
            position += _put_chunk(handle, chunk)

        with handle:
            chunk, postings = [], 0
            mark, work = None, 0  # (see `_RunIndex.marks`)
            for record in records:
                chunk.append(record)
                postings += len(record[2])
                if mark is None:
                    mark = (record[0], record[1])
                work += len(record[2]) + _TERM_WORK
                if work >= _MARK_WORK:
                    index.marks.append((mark, work))
                    mark, work = None, 0
                if postings >= _RUN_CHUNK:
                    write(chunk)
                    chunk, postings = [], 0
            if chunk:
                write(chunk)
            if mark is not None:
                index.marks.append((mark, work))
        return path

    def _read_run(self, path: str):
        """The records of a run, removing its file once read (document
        numbers moved by the run's offset, if another pool's: `take_in`)."""
        offset = self._offsets.pop(path, 0)
        self.indexes.pop(path, None)
        for records in self._read_chunks(path, whole=True):
            yield from _moved(records, offset)

    def _read_chunks(self, path: str, whole: bool = False):
        """The items of the marshalled chunks in a file of the temporary
        folder (each chunk a list, if `whole`), removing the file once read."""
        handle = self._open_run(path)
        try:
            for chunk in _chunks(handle):
                if whole:
                    yield chunk
                else:
                    yield from chunk
        finally:
            handle.close()
            self._remove_run(path)

    def _merge(self, paths: list[str]):
        """The records of the runs at `paths` (oldest first), one per term:
        a term's postings from each run, in the runs' order."""
        return _merge_streams([self._read_run(path) for path in paths])  # (each removed once read)


def _moved(records: list, offset: int) -> list:
    """A run's `records`, their document numbers moved by `offset`."""
    if not offset:
        return records
    return [
        (fieldname, tbytes, list(map(add, docnums, repeat(offset))), *rest)
        for fieldname, tbytes, docnums, *rest in records
    ]


def _merge_streams(streams: list):
    """The records of several runs' `streams` (oldest first), one per term:
    a term's postings from each run, in the runs' order."""
    merged = heapq.merge(*streams, key=itemgetter(0, 1))  # (ties: the earlier run first)
    for (fieldname, tbytes), group in groupby(merged, key=itemgetter(0, 1)):
        parts = list(group)
        if len(parts) == 1:
            yield parts[0]
        else:
            docnums, weights, values = [], [], []
            for _, _, *lists in parts:  # (`+=` copies a list in C)
                docnums += lists[0]
                weights += lists[1]
                values += lists[2]
            yield fieldname, tbytes, docnums, weights, values


def range_records(folder: str, runs: list, low: tuple | None, high: tuple | None):
    """The records of `runs` (`_TermPool.ranges`) whose `(fieldname, term
    bytes)` is at least `low` and below `high` (None: no bound), merged as
    `_TermPool.by_term` merges them; each run read from the chunk where
    `low` may start, its files left in place."""
    return _merge_streams([
        _run_range(os.path.join(folder, path), offset, index, low, high)
        for path, offset, index in runs
    ])


def _run_range(path: str, offset: int, index: _RunIndex, low: tuple | None, high: tuple | None):
    start = 0
    if low is not None and index.keys:
        start = index.positions[max(bisect.bisect_right(index.keys, low) - 1, 0)]
    key = itemgetter(0, 1)
    with open(path, "rb") as handle:
        handle.seek(start)
        for records in _chunks(handle):
            if low is not None and key(records[0]) < low:
                records = [record for record in records if key(record) >= low]
            if high is not None and records and key(records[-1]) >= high:
                records = [record for record in records if key(record) < high]
                yield from _moved(records, offset)
                return
            yield from _moved(records, offset)


class _RunIndex(NamedTuple):
    """Where things are in a run (`_TermPool._write_run`)."""

    positions: list[int]
    """Where each chunk starts in the file..."""
    keys: list[tuple]
    """...and its first record's `(fieldname, term bytes)`."""
    marks: list[tuple]
    """`(key, work)`: the work of writing the records from `key` on
    (postings, and `_TERM_WORK` a term), in spans of about `_MARK_WORK`
    (`_TermPool.cut`)."""


class _FieldPostings:
    """One field's pooled postings, as columns in the order they came: a
    term id each (`vocabulary`: term bytes -> id), document numbers,
    weights (as Python floats, exactly) and values.  Adding a document's
    postings is a few calls that run in C; sorting them by term is NumPy's
    (with Python lists, every posting took three appends and a lookup)."""

    __slots__ = ("vocabulary", "ids", "docnums", "weights", "values", "size")

    def __init__(self):
        self.vocabulary: dict[bytes, int] = {}
        self.ids = array("i")  # (C ints: `np.intc`)
        self.docnums = array("i")
        self.weights = array("d")
        self.values: list = []
        self.size = 0  # (bytes, roughly: see `_POSTING_BYTES`)

    def add(self, docnum: int, terms, weights, values) -> None:
        """One document's postings in this field (sequences of one length)."""
        known = len(self.vocabulary)
        # A new term's id is the position of its first posting.  (An
        # array's `fromlist` sizes it once; `extend` from an iterator or a
        # list grows it item by item, a third slower.)
        self.ids.fromlist(list(map(self.vocabulary.setdefault, terms, count(len(self.ids)))))
        self.docnums.fromlist([docnum] * len(terms))
        self.weights.fromlist(weights if type(weights) is list else list(weights))
        self.values += values
        self.size += len(terms) * _POSTING_BYTES + (len(self.vocabulary) - known) * _TERM_BYTES

    def add_many(self, docnums: list, terms: list, weights: list, values: list) -> None:
        """Many documents' postings in this field (lists of one length)."""
        known = len(self.vocabulary)
        self.ids.fromlist(list(map(self.vocabulary.setdefault, terms, count(len(self.ids)))))
        self.docnums.fromlist(docnums)
        self.weights.fromlist(weights)
        self.values += values
        self.size += len(terms) * _POSTING_BYTES + (len(self.vocabulary) - known) * _TERM_BYTES

    def add_arrays(self, docnums, ids, terms: list, weights, values: list) -> None:
        """`add_many` from arrays (`_Waiting`): `ids` are places in `terms`
        (an `Analysed`'s term ids), each distinct one looked up here once
        (a look-up of each posting's term, then of its id here, was two
        steps per posting)."""
        if not len(ids):
            return
        known = len(self.vocabulary)
        distinct, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        own = np.fromiter(
            map(
                self.vocabulary.setdefault, map(terms.__getitem__, distinct.tolist()),
                (first + len(self.ids)).tolist(),
            ),
            np.intc, len(distinct),
        )
        self.ids.frombytes(own[inverse].tobytes())
        self.docnums.frombytes(np.asarray(docnums, np.intc).tobytes())
        self.weights.frombytes(np.asarray(weights, np.float64).tobytes())
        self.values += values
        self.size += len(ids) * _POSTING_BYTES + (len(self.vocabulary) - known) * _TERM_BYTES

    def columns(self) -> tuple:
        """The pooled postings as plain objects (`marshal` writes them)."""
        return (
            self.vocabulary, self.ids.tobytes(), self.docnums.tobytes(),
            self.weights.tobytes(), self.values,
        )

    def take_in(self, vocabulary, ids, docnums, weights, values, offset: int) -> None:
        """Add another pool's `columns()`, its documents numbered from
        `offset` here, after the postings this one holds."""
        theirs = np.frombuffer(ids, np.intc)
        if not len(theirs):
            return
        base, known = len(self.ids), len(self.vocabulary)
        # Their term ids are the positions of the terms' first postings: a
        # term new here keeps its id moved by the postings pooled before.
        own = self.vocabulary
        mapping = np.zeros(len(theirs), np.intc)
        mapping[np.fromiter(vocabulary.values(), np.int64, len(vocabulary))] = np.fromiter(
            map(own.setdefault, vocabulary, [base + i for i in vocabulary.values()]),
            np.int64, len(vocabulary),
        )
        self.ids.frombytes(mapping[theirs].tobytes())
        self.docnums.frombytes((np.frombuffer(docnums, np.intc) + np.intc(offset)).tobytes())
        self.weights.frombytes(weights)
        self.values += values
        self.size += len(theirs) * _POSTING_BYTES + (len(own) - known) * _TERM_BYTES

    def by_term(self):
        """`(term bytes, docnums, weights, values)` for every term, in term
        order, each term's postings in document order (from `sorted`)."""
        for chunk in self.sorted(""):
            docnums, weights, values = chunk.docnums.tolist(), chunk.weights.tolist(), chunk.values
            start = 0
            for term, end in zip(chunk.terms, chunk.ends.tolist(), strict=True):
                yield term, docnums[start:end], weights[start:end], values[start:end]
                start = end

    def sorted(self, fieldname: str):
        """The postings sorted by term, then document, as `_SortedTerms` of
        whole terms holding about `_SORTED_CHUNK` postings each (all at once,
        as lists, they took three times the pool's memory)."""
        if self.ids:
            yield from self.sorting().chunks(fieldname)

    def sorting(self) -> _Sorting:
        """The postings' order by term, then document (`_Sorting`)."""
        return _Sorting(self)


class _Sorting:
    """A field's pooled postings in order (`_FieldPostings.sorting`): its
    terms, sorted, and where each term's postings end in that order.  The
    order itself (places in the pool's columns) is worked out when first
    needed, so that each of two processes sorts only the fields whose
    terms it writes (`Writer._fork_range`)."""

    def __init__(self, postings: _FieldPostings):
        self._postings = postings
        vocabulary = postings.vocabulary
        self.terms = terms = sorted(vocabulary)
        ranks = np.zeros(len(postings.ids), np.intc)  # term id -> the term's place in `terms`
        ranks[np.fromiter(map(vocabulary.__getitem__, terms), np.int64, len(terms))] = (
            np.arange(len(terms), dtype=np.intc)
        )
        self._keys = ranks[np.frombuffer(postings.ids, np.intc)]
        self.ends = np.cumsum(np.bincount(self._keys, minlength=len(terms)))
        self._columns = None

    def _sorted(self) -> tuple:
        """The order, and the columns it indexes: document numbers, weights
        and values."""
        if self._columns is None:
            postings, keys = self._postings, self._keys
            docnums = np.frombuffer(postings.docnums, np.intc)
            if (docnums[1:] >= docnums[:-1]).all():  # (as documents were added: most pools)
                # A stable sort by term alone; of 2-byte keys, a radix sort
                # (NumPy's for them), five times as fast as of 4-byte ones.
                small = len(self.terms) <= 1 << 16
                order = np.argsort(keys.astype(np.uint16) if small else keys, kind="stable")
            else:
                order = np.lexsort((docnums, keys))
            # (The values taken through an array of the objects: a look-up
            # per posting in the list took twice as long.)
            values = np.fromiter(postings.values, object, len(postings.values))
            weights = np.frombuffer(postings.weights, np.float64)
            self._columns = (order, docnums, weights, values)
            self._keys = None
        return self._columns

    def work(self) -> np.ndarray:
        """What writing each term costs, in postings (`_TERM_WORK` a term)."""
        return np.diff(self.ends, prepend=0) + _TERM_WORK

    def chunks(self, fieldname: str, first: int = 0, end: int | None = None):
        """The terms from `first` up to `end` (None: the last) and their
        postings, as `_SortedTerms` of about `_SORTED_CHUNK` postings."""
        terms, ends = self.terms, self.ends
        order, docnums, weights, values = self._sorted()
        end = len(terms) if end is None else end
        start = int(ends[first - 1]) if first else 0
        while first < end:
            last = max(int(np.searchsorted(ends, start + _SORTED_CHUNK, "right")), first + 1)
            last = min(last, end)
            stop = int(ends[last - 1])
            chunk = order[start:stop]
            yield _SortedTerms(
                fieldname, terms[first:last], ends[first:last] - start,
                docnums[chunk].astype(np.int64), weights[chunk], values[chunk].tolist(),
            )
            first, start = last, stop


class _SortedTerms(NamedTuple):
    """Consecutive terms of a field and their postings, sorted
    (`_FieldPostings.sorted`): the arrays hold each term's postings in
    document order, one term's after another's."""

    fieldname: str
    terms: list[bytes]
    ends: np.ndarray
    """Where each term's postings end in the arrays."""
    docnums: np.ndarray
    weights: np.ndarray
    values: list


#: Postings made Python lists at a time when a field's pool is sorted.
_SORTED_CHUNK = 1 << 16
#: Bytes counted against the pool's memory limit for each posting and for
#: each term.  A pooled posting takes about 53 (its id, document number,
#: weight and a reference to its value: most values are shared), and
#: sorting the pool about 20 more while it is written out.
_POSTING_BYTES = 80
_TERM_BYTES = 120

#: Runs read at once when a pool's runs are merged.
_OPEN_RUNS = 64
#: Postings in a chunk of a run: a run being merged holds one in memory.
_RUN_CHUNK = 16_384
#: What writing a term costs besides its postings, in postings (`cut`).
_TERM_WORK = 4
#: Terms whose rows a helper writes at a time (`write_range`).
_ROWS_CHUNK = 4096
#: The work between two of a run's marks (`_RunIndex.marks`).
_MARK_WORK = 4096
#: Less work than this (in postings, see `cut`) is written by one process.
_SHARED_FROM = 1 << 17
#: The part of the work of writing a pool held in memory that a forked copy
#: of the writer's process takes (`Writer._fork_range`).
_FORKED_SHARE = 0.58
_CHUNK_LENGTH = struct.Struct("<I")


def _scores_writer(writer: Writer, reader) -> scores.ScoresWriter | None:
    """A writer for the segment's scores file, if its schema has the columns
    the scorer reads and the segment is in a folder."""
    folder = getattr(writer.storage, "folder", None)
    names = ("passage_number", *(f"{f}_terms" for f in scores.FIELDS))
    if reader is None or folder is None or not all(name in writer.schema for name in names):
        return None
    n = writer.doc_count()
    columns = {name: _column(reader, writer.schema, name, n) for name in names}
    lengths = {f: columns[f"{f}_terms"] for f in scores.FIELDS}
    path = scores.scores_file(folder, "." + writer.newsegment.segment_id())  # (hidden, see above)
    return scores.ScoresWriter(path, lengths, columns["passage_number"])


def _column(reader, schema, name: str, n: int) -> np.ndarray:
    """The values of a numeric column of the segment being written."""
    if not reader.has_column(name):
        return np.zeros(n, np.uint32)
    column = reader.column_reader(name, schema[name].column_type)
    return read_numeric_column(column, n)


def read_numeric_column(column, n: int) -> np.ndarray:
    """The values of Whoosh's `NumericColumn("I")` (or "B") reader `column`,
    read as one array (its file holds them big-endian, the trailing
    defaults left out); other readers value by value."""
    if isinstance(column, NumericColumn.Reader) and column._typecode in "IB":
        dtype = _NUMERIC_DTYPES[column._typecode]
        values = np.full(n, column._default, dtype.newbyteorder("="))
        count = min(column._count, n)
        raw = column._dbfile.get(column._basepos, count * dtype.itemsize)
        values[:count] = np.frombuffer(raw, dtype)
        return values
    return np.fromiter(column, np.uint32, count=n)


_BOILERPLATE = BOILERPLATE.encode()


@dataclass(frozen=True)
class RangeTask:
    """A range of the terms of a segment being written, for another
    process to write their postings (`write_range`)."""

    generation: str
    """The folder of the segment's files (its columns written)."""
    segment: object
    """Whoosh's segment (its codec, id and document count)."""
    docs: int
    folder: str
    """The temporary folder, holding the pool's runs (`range_records`)."""
    runs: list
    low: tuple
    high: tuple | None
    """The range: its first `(fieldname, term bytes)`, and the next range's."""
    fixed: dict
    """Each field's fixed value size (`Format.fixed_value_size`)."""
    blocklimit: int
    compression: int
    scored: bool
    """Whether to record what the scores file needs (`scores.RangeScores`)."""
    stem: str
    """The files written begin with this path (in the temporary folder)."""


@dataclass(frozen=True)
class RangeWritten:
    """The postings of a range of terms, written by `write_range`."""

    postings: str
    """Their blocks, for the segment's postings file (positions from 0)."""
    rows: str
    """Their rows of the terms table (positions in the postings file counted
    from `postings`'s start): marshalled `(fieldname, terms, rows)` chunks
    of up to `_ROWS_CHUNK` terms of a field, each after its length."""
    scores: scores.RangeScores | None


def write_range(task: RangeTask) -> RangeWritten:
    """In a helper: write the postings of a range of terms (`task.low` up
    to `task.high`) as the main writer's `_write_postings` would, to files of the
    temporary folder; and record what the scores file needs of them."""
    with collector_paused():
        return _write_range(task)


def _write_range(task: RangeTask) -> RangeWritten:
    from whoosh.filedb.filestore import FileStorage

    codec = task.segment.codec()
    reader = None
    if codec.length_stats:
        reader = codec.per_document_reader(FileStorage(task.generation), task.segment)
    lengths = _Lengths(reader, task.docs) if reader else None
    stem = task.stem
    recorder = scores.RangeScores(stem) if task.scored else None
    field, terms, rows = None, [], []
    try:
        with open(stem + ".pst", "wb") as handle, open(stem + ".rows", "wb") as rows_file:
            postfile = _Appender(handle)

            def write_rows() -> None:
                _put_chunk(rows_file, (field, terms, rows))

            records = range_records(task.folder, task.runs, task.low, task.high)
            for fieldname, tbytes, docnums, weights, values in records:
                if fieldname != field or len(terms) >= _ROWS_CHUNK:
                    if terms:
                        write_rows()
                    if fieldname != field:
                        fixed = task.fixed[fieldname]
                        field_lengths = lengths.of(fieldname) if lengths else None
                    field, terms, rows = fieldname, [], []
                rows.append(_write_term(
                    postfile, docnums, weights, values, field_lengths, fixed,
                    task.blocklimit, task.compression,
                ))
                terms.append(tbytes)
                if recorder is not None:
                    _score(recorder, fieldname, tbytes, docnums, weights)
            if terms:
                write_rows()
    finally:
        if reader is not None:
            reader.close()
    return RangeWritten(stem + ".pst", stem + ".rows", recorder.finish() if recorder else None)


def _write_sorted_range(chunks, lengths, task: RangeTask) -> RangeWritten:
    """`_write_range` for a pool held in memory: `chunks` (`_SortedTerms`
    in order) written by `_write_sorted`."""
    stem = task.stem
    recorder = scores.RangeScores(stem) if task.scored else None
    with open(stem + ".pst", "wb") as handle, open(stem + ".rows", "wb") as rows_file:
        postfile = _Appender(handle)
        for chunk in chunks:
            field_lengths = lengths.of(chunk.fieldname) if lengths else None
            rows = _write_sorted(
                postfile, chunk, field_lengths, task.fixed[chunk.fieldname],
                task.blocklimit, task.compression,
            )
            _put_chunk(rows_file, (chunk.fieldname, chunk.terms, rows))
            if recorder is not None:
                _score_sorted(recorder, chunk)
    return RangeWritten(stem + ".pst", stem + ".rows", recorder.finish() if recorder else None)


def _cut(sortings: list, share: float) -> tuple[int, int] | None:
    """Where the last `share` of the work of writing `sortings`' terms
    begins: the place of the field and of its term; None if there is too
    little work to share (`_SHARED_FROM`) or no term to leave."""
    work = [sorting.work() for _, sorting in sortings]
    total = sum(int(each.sum()) for each in work)
    if total < _SHARED_FROM:
        return None
    before = total * (1 - share)
    for field, each in enumerate(work):
        done = np.cumsum(each)
        if done[-1] > before:
            term = int(np.searchsorted(done, before, "right"))
            return (field, term) if (field, term) != (0, 0) else None
        before -= done[-1]
    return None


def _sorted_range(sortings: list, start: tuple | None, end: tuple | None):
    """The `_SortedTerms` of `sortings` from `start` up to `end` (`_cut`'s
    places; None: the first, the last)."""
    start_field, start_term = start or (0, 0)
    end_field, end_term = end or (len(sortings) - 1, None)
    for field in range(start_field, end_field + 1):
        fieldname, sorting = sortings[field]
        first = start_term if field == start_field else 0
        last = end_term if field == end_field else None
        yield from sorting.chunks(fieldname, first, last)


def _write_forked_range(chunks, lengths, task: RangeTask) -> NoReturn:
    """In a forked copy of the writer's process (`Writer._fork_range`):
    write `chunks` as `write_range` would, leave the `RangeWritten` (or
    why it failed) in a file beginning `task.stem`, and end at once.  The
    copy touches none of the files the writer has open."""
    code = 1
    try:
        forks.let_go_of_locks()
        written = _write_sorted_range(chunks, lengths, task)
        with open(task.stem + ".written", "wb") as handle:
            pickle.dump(written, handle)
        code = 0
    except BaseException as exc:  # noqa: BLE001 - reported to the writer in a file
        with contextlib.suppress(BaseException), open(task.stem + ".failed", "w") as handle:
            handle.write(f"{type(exc).__name__}: {exc}")
    finally:
        os._exit(code)


def _forked_written(writer: Writer, task: RangeTask):
    """The `RangeWritten` of the writer's forked copy, once it has ended
    (until then `_stop_forked` can end it: an interrupt while waiting).

    This process's terms are written by then: its pool is freed first,
    while the copy writes.  The writer is in a reference cycle, so the pool
    was freed by the collector once indexing was over (`collector_paused`),
    which went through its 600,000 postings' values for SciFact: 0.036 s
    at the end of the build, with the other core idle."""
    writer.pool.fields = {}
    _, status = os.waitpid(writer._forked, 0)
    writer._forked = None
    if status != 0:
        try:
            with open(task.stem + ".failed") as handle:
                why = " ".join(handle.read().split())  # (on one line)
        except OSError:
            why = f"it ended with status {status}"
        raise IndexingFailed(f"a helper process failed while writing the index: {why}")
    with open(task.stem + ".written", "rb") as handle:
        yield pickle.load(handle)


def _results(futures: list):
    """The helpers' `RangeWritten`s, in order."""
    for future in futures:
        try:
            yield future.result()
        except Exception as exc:  # noqa: BLE001 - one line, whatever the helper raised
            raise IndexingFailed(
                f"a helper process failed while writing the index: {type(exc).__name__}: {exc}"
            ) from None


def _marshalled(path: str):
    """The marshalled chunks in the file at `path` (`_chunks`)."""
    with open(path, "rb") as handle:
        yield from _chunks(handle)


def _chunks(handle):
    """The marshalled chunks read from `handle` on, each after its length
    (as `_put_chunk` writes them)."""
    while header := handle.read(_CHUNK_LENGTH.size):
        (length,) = _CHUNK_LENGTH.unpack(header)
        yield marshal.loads(handle.read(length))


def _put_chunk(handle, value) -> int:
    """Write `value` to `handle` marshalled, after its length (runs, a
    part's documents, a helper's rows: what `_chunks` reads); the number of
    bytes written."""
    data = marshal.dumps(value)
    handle.write(_CHUNK_LENGTH.pack(len(data)))
    handle.write(data)
    return _CHUNK_LENGTH.size + len(data)


class _Appender:
    """A file being written from its start, counting its position."""

    def __init__(self, handle):
        self._handle = handle
        self._position = 0

    def write(self, data: bytes) -> None:
        self._position += len(data)
        self._handle.write(data)

    def tell(self) -> int:
        return self._position


def _score(scores_writer, fieldname: str, tbytes: bytes, docnums, weights) -> None:
    """Hand a term's postings to `scores_writer` if the scores file needs them."""
    if fieldname in scores.FIELDS:
        scores_writer.add(fieldname, tbytes, docnums, weights)
    elif fieldname == "path":
        scores_writer.add_path(tbytes, docnums)
    elif fieldname == "kind" and tbytes == _BOILERPLATE:
        scores_writer.add_boilerplate(docnums)


def _moved_row(row: bytes, shift: int) -> bytes:
    """A terms table row (`_write_term`) whose postings moved `shift`
    bytes further into the postings file (an inlined row is unchanged)."""
    if row[0]:
        return row
    at = W3TermInfo._struct.size
    (start,) = unpack_long(row[at : at + 8])
    return row[:at] + pack_long(start + shift) + row[at + 8 :]


def _write_postings(fieldwriter, schema, lengths, terms, scores_writer=None, parts=()) -> None:
    """Write postings (`_TermPool.to_write`) and their rows in the terms
    table, as Whoosh's field writer writes them: a record a term at a time
    (`_write_term`), sorted terms from arrays (`_write_sorted`); and what
    the scorer reads of them to `scores_writer`, if given.  Then
    the `RangeWritten` `parts` of the terms after them, which other
    processes wrote (`write_range`): their postings appended, their rows
    moved.

    Whoosh's own `FieldWriter.add_postings` makes several calls per posting
    and a dozen per term; for SciFact, with 69,000 terms most of which are in
    one or two passages, those calls were about a quarter of the time spent
    writing postings.
    """
    codec = fieldwriter._codec
    postfile = fieldwriter._postfile
    table = _TermsTable(fieldwriter._tindex)
    add_row = table.add
    field = None

    def start(fieldname: str) -> bytes:
        """Start writing `fieldname`'s terms: the prefix of their rows' keys."""
        if field is not None:
            fieldwriter.finish_field()
        fieldwriter.start_field(fieldname, schema[fieldname])
        return pack_ushort(fieldwriter._fieldid)

    for record in terms:
        fieldname = record[0]
        if fieldname != field:
            key, field = start(fieldname), fieldname
            fixed = schema[fieldname].format.fixed_value_size()
            field_lengths = lengths.of(fieldname) if lengths else None
        if type(record) is _SortedTerms:
            rows = _write_sorted(
                postfile, record, field_lengths, fixed, codec._blocklimit, codec._compression
            )
            table.add_rows([key + tbytes for tbytes in record.terms], rows)
            if scores_writer is not None:
                _score_sorted(scores_writer, record)
            continue
        _, tbytes, docnums, weights, values = record
        row = _write_term(
            postfile, docnums, weights, values, field_lengths, fixed,
            codec._blocklimit, codec._compression,
        )
        add_row(key + tbytes, row)
        if scores_writer is not None:
            _score(scores_writer, fieldname, tbytes, docnums, weights)
    for part in parts:
        shift = postfile.tell()
        with open(part.postings, "rb") as handle:
            shutil.copyfileobj(handle, postfile, 1 << 20)
        for fieldname, tbytes_list, rows in _marshalled(part.rows):
            if fieldname != field:
                key, field = start(fieldname), fieldname
            if shift:
                rows = [_moved_row(row, shift) for row in rows]
            table.add_rows([key + tbytes for tbytes in tbytes_list], rows)
        if scores_writer is not None and part.scores is not None:
            scores_writer.add_range(part.scores)
    table.finish()
    if field is not None:
        fieldwriter.finish_field()


def _hash_terms_by_crc(tindex) -> None:
    """Have a new terms table (Whoosh's `OrderedHashWriter`, its header
    just written) hash its keys with CRC-32, Whoosh's hash type 1, not MD5
    (type 0, its default).

    The table's header names its hash type, and Whoosh's reader hashes the
    terms it looks up with the one named: tables of either type read the
    same.  A key's CRC-32 takes 0.07 µs to write, its MD5 0.6 µs (SciFact
    has 69,000 terms), and Whoosh's reader hashes each term a query looks
    up in 0.11 µs instead of 0.67 (it parses the MD5 digest's hexadecimal
    form)."""
    dbfile = tindex.dbfile
    header_end = tindex.startoffset + _HASH_HEADER
    if tindex.hashtype != 0 or tindex.buckets != _NO_BUCKETS or dbfile.tell() != header_end:
        return
    dbfile.seek(tindex.startoffset + _HASH_TYPE_AT)
    dbfile.write_byte(_CRC32)
    dbfile.seek(header_end)
    tindex.hashtype = _CRC32
    tindex.hashfn = crc_hash


#: A hash table's header: its magic bytes, its hash type (a byte), two
#: unused ints (`HashWriter`).
_HASH_TYPE_AT = 4
_HASH_HEADER = 4 + 1 + 4 + 4
_CRC32 = 1  # (Whoosh's `_hash_functions`: 0 MD5, 1 CRC-32, 2 CDB)
_NO_BUCKETS = [[] for _ in range(256)]


def _md5_hash(key: bytes) -> int:
    """Whoosh's `md5_hash` (hash type 0): the MD5 digest's last four bytes."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


class _TermsTable:
    """Rows added to Whoosh's terms table (an `OrderedHashWriter`) as its
    `add` adds them, in fewer steps: one write a row, the key's hash (CRC-32,
    `_hash_terms_by_crc`, or MD5 read from the digest's last four bytes,
    where Whoosh parses its hexadecimal form) kept for `_write_hashes`, and
    the rows' positions handed to the table's index at the end, in the type
    Whoosh's `GrowableArray` would have grown to.  (For SciFact's 69,000 terms,
    Whoosh's `add` was a fifth of writing the postings.)  Keys must come in
    increasing order, as Whoosh requires."""

    def __init__(self, tindex):
        self._tindex = tindex
        self._positions: list[int] = []
        self._hashes: list[int] = []
        self._last = None
        # (a table hashed otherwise, or already holding rows: Whoosh's `add`)
        self._own = tindex.hashtype in (0, _CRC32) and not len(tindex.index)
        self._hash = crc32 if tindex.hashtype == _CRC32 else _md5_hash

    def add(self, key: bytes, value: bytes) -> None:
        tindex = self._tindex
        if not self._own:
            tindex.add(key, value)
            return
        dbfile = tindex.dbfile
        position = dbfile.tell()
        self._positions.append(position)
        dbfile.write(b"".join((_ROW_LENGTHS.pack(len(key), len(value)), key, value)))
        self._hashes.append(self._hash(key))
        self._last = key

    def add_rows(self, keys: list[bytes], values: list[bytes]) -> None:
        """`add` each of `keys` with its value, the rows in one write."""
        if not self._own or not keys:
            for key, value in zip(keys, values, strict=True):
                self.add(key, value)
            return
        tindex = self._tindex
        dbfile = tindex.dbfile
        pack = _ROW_LENGTHS.pack
        rows = [b"".join((pack(len(k), len(v)), k, v)) for k, v in zip(keys, values, strict=True)]
        positions = list(accumulate(map(len, rows), initial=dbfile.tell()))[:-1]
        self._positions += positions
        dbfile.write(b"".join(rows))
        self._hashes += map(self._hash, keys)
        self._last = keys[-1]

    def finish(self) -> None:
        """Hand the rows' positions to the table's index (before it is
        closed), and have it write its hash tables as `_write_hashes` does."""
        tindex = self._tindex
        positions, hashes = self._positions, self._hashes
        tindex._write_hashes = functools.partial(_write_hashes, tindex, hashes, positions)
        self._positions, self._hashes = [], []
        if not positions:
            return
        typecode = next(code for code, top in _INDEX_TYPES if positions[-1] < top)
        tindex.index.array = array(typecode, positions)
        tindex.lastkey = self._last


def _write_hashes(tindex, hashes: list[int] = (), positions: list[int] = ()) -> None:
    """Whoosh's `HashWriter._write_hashes`, in a few NumPy calls: for each
    of the table's 256 buckets (a row's hash's last byte), a hash table
    of twice as many slots as it has rows, each slot the row's hash and
    position packed as `_pointer` packs them ("!Iq"), an empty one zeros.
    The rows are `hashes` and `positions` (`_TermsTable`'s), in the order
    they were added, then those in the table's buckets (Whoosh's `add`).

    Whoosh's reader looks a row up from the slot its hash picks, `(hash >>
    8) % slots`, on through the next ones until an empty slot: each row
    must be in the slot its hash picks or after it, with no empty slot
    between.  Whoosh puts each row, in the order they came, in the first
    free slot from the one its hash picks, a step in Python a row:
    SciFact's 51,500 rows took 0.021-0.024 s.  Here the rows are put in
    the order of the slots their hashes pick (then in the order they
    came), each in that slot or the one after the row before it: a
    running maximum.  Rows that run past the end of their bucket's table
    go to its first free slots, as Whoosh's would (there are few: half the
    slots are free).  Every row is found as before; the tables' bytes
    differ from Whoosh's where two rows picked slots near each other."""
    added = [entry for entries in tindex.buckets for entry in entries]
    if added:
        hashes = [*hashes, *(h for h, _ in added)]
        positions = [*positions, *(p for _, p in added)]
    hashes = np.asarray(hashes, np.int64)
    buckets = hashes & 255
    numslots = 2 * np.bincount(buckets, minlength=256)
    firsts = np.cumsum(numslots) - numslots  # (each bucket's first slot)
    start = tindex.dbfile.tell()
    tindex.directory += zip(
        (start + firsts * _POINTER.itemsize).tolist(), numslots.tolist(), strict=True
    )
    slots = np.zeros(int(numslots.sum()), _POINTER)
    if len(hashes):
        picked = (hashes >> 8) % np.maximum(numslots[buckets], 1) + firsts[buckets]
        order = np.lexsort((picked, buckets))  # (stable: rows that came first go first)
        bucket, picked = buckets[order], picked[order]
        # The slot of the nth row, in that order: the larger of the slot
        # it picked and the last row's plus one, n plus the running maximum
        # of (picked - n), started over in each bucket (a larger number
        # added a bucket, then taken away).
        step = len(slots) + len(picked) + 1
        at = np.arange(len(picked))
        slot = np.maximum.accumulate(picked - at + bucket * step) - bucket * step + at
        ends = (firsts + numslots)[bucket]
        fits = slot < ends
        slots["hash"][slot[fits]] = hashes[order[fits]]
        slots["position"][slot[fits]] = np.asarray(positions, np.int64)[order[fits]]
        taken = slots["position"]  # (no row is at 0, before the header's end)
        for row, first in zip(order[~fits].tolist(), firsts[bucket[~fits]].tolist(), strict=True):
            free = first
            while taken[free]:
                free += 1
            slots[free] = (int(hashes[row]), positions[row])
    tindex.dbfile.write(slots.tobytes())
    for entries in tindex.buckets:
        entries.clear()  # (freed now, not by the collector: `_forked_written`)


#: A hash table's slot (Whoosh's `_pointer`, "!Iq").
_POINTER = np.dtype([("hash", ">u4"), ("position", ">i8")])


#: `GrowableArray`'s types, each with the number it holds only numbers below.
_INDEX_TYPES = (("H", 2**16), ("i", 2**31), ("I", 2**32), ("q", 2**63))
#: The lengths of a row's key and value, as Whoosh's hash tables write them.
_ROW_LENGTHS = struct.Struct("!ii")


def _write_term(postfile, docnums, weights, values, field_lengths, fixed, size, level) -> bytes:
    """Write one term's postings to `postfile` in Whoosh's W3 format; the
    term's row for the terms table (`W3TermInfo.to_bytes`).

    A term's postings are a header, then blocks of `size` postings, the last
    one's length negative.  A block is its figures (postings, last document,
    largest weight, compression, shortest and longest field length as bytes)
    and its lists (document numbers as gaps, weights as 32-bit floats or one
    value when all are equal, values), each pickled, the lists compressed
    when that pays (`_deflate`).  The row sums the blocks' figures.  What
    Whoosh's reader reads is what Whoosh's `W3PostingsWriter` writes; the
    bytes differ in three places, all cheaper: the lists are pickled with
    protocol 3, which writes bytes as bytes (protocol 2, Whoosh's, writes
    each positions value as a call decoding a string: twice the size), and
    without a memo (`_pickled`), and a block is compressed only when that
    makes it smaller.
    """
    if len(docnums) <= INLINE_LIMIT:
        return _inline(docnums, weights, values, field_lengths, fixed)
    start = postfile.tell()
    out = [WHOOSH3_HEADER_MAGIC]
    total = 0.0
    shortest, longest, heaviest = None, 0, 0
    count = len(docnums)
    for first in range(0, count, size):
        if count <= size:
            ids, block_weights, block_values = docnums, weights, values
        else:
            ids = docnums[first : first + size]
            block_weights = weights[first : first + size]
            block_values = values[first : first + size]
        n = len(ids)
        if block_weights.count(1.0) == n:
            mini_weights = None
            top = 1.0
            total += n
        else:
            stored = array("f", block_weights)
            top = max(block_weights)
            top = top if top > 0 else 0
            total += sum(stored)
            mini_weights = stored[0] if stored.count(stored[0]) == n else tuple(stored)
        if field_lengths:
            low, high = _shortest_longest(list(map(field_lengths.__getitem__, ids)))
            if shortest is None or (low is not None and low < shortest):
                shortest = low
            if high > longest:
                longest = high
        else:
            low, high = None, 0
        if top > heaviest:
            heaviest = top
        if fixed is None or fixed < 0:
            mini_values = tuple(filter(None, block_values))
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(filter(None, block_values))
        gaps = (ids[0],) if n == 1 else tuple(map(sub, ids, [0, *ids[:-1]]))
        out += _block(
            (gaps, mini_weights, mini_values), n, ids[-1], top, length_to_byte(low),
            length_to_byte(high), level, first + size >= count,
        )
    data = b"".join(out)
    postfile.write(data)
    row = W3TermInfo._struct.pack(
        False, total, count, 0 if shortest is None else length_to_byte(shortest),
        length_to_byte(longest), heaviest, docnums[0], docnums[-1],
    )
    return row + pack_long(start) + pack_int(len(data))


def _block(lists: tuple, count, last, top, low, high, level, final) -> tuple[bytes, bytes, bytes]:
    """A posting block (`_write_term`): its length (negated for a term's
    `final` block), its figures (`count` postings, the `last` document, the
    `top` weight, the compression, the `low` and `high` field length bytes)
    and its `lists` (gaps, weights, values), pickled, the lists deflated at
    `level` when that makes them shorter."""
    data = _pickled(lists)
    compression = 0
    if level and len(data) >= _COMPRESS_FROM:
        packed = _deflate(data, level)
        if len(packed) < len(data):
            data, compression = packed, level
    info = _pickled((count, last, top, compression, low, high), 2)
    length = len(info) + len(data)
    return pack_int(-length if final else length), info, data


def _pickled(value, protocol: int = 3) -> bytes:
    """`pickle.dumps(value, protocol)` without a memo: what a posting
    block's lists, its figures and an inlined term's postings are pickled
    as.  Whoosh's reader unpickles them, so either pickle reads the same.
    The memo wrote a `BINPUT` after each positions value and tuple and
    a `BINGET` (`LONG_BINGET`, 5 bytes, past the 256th) for each value
    met again in the block; written out instead (`C\\x01\\x05`, 3 bytes),
    the values repeat and deflate better: SciFact's posting blocks take
    3.4 MB instead of 4.2, and pickling them 25 % less CPU.  (Every value
    is a number, a string of bytes, None or a tuple of them: nothing that
    refers to itself.)"""
    picklers = _PICKLERS.__dict__
    found = picklers.get(protocol)
    if found is None:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol)
        pickler.fast = True
        found = picklers[protocol] = (out, pickler)
    out, pickler = found
    out.seek(0)
    out.truncate()
    pickler.dump(value)
    return out.getvalue()


#: Each thread's memo-less picklers (`_pickled`), by protocol.
_PICKLERS = threading.local()


def _write_sorted(postfile, sorted_terms: _SortedTerms, field_lengths, fixed, size, level):
    """`_write_term` for each of `sorted_terms`' terms, figured out over the
    whole arrays: their rows for the terms table (the same bytes).

    What a term's blocks need but their lists (each block's count, last
    document, largest weight, sum of weights, shortest and longest field
    length, whether its weights are all 1.0 or all equal) comes from
    NumPy, for every block of every term at once; what is left a block at a
    time is pickling its lists and compressing them.  A term inlined in the
    terms table is one such block.  (With a `_write_term` call a term,
    writing SciFact's postings took 1.10 s of CPU instead of 0.87 s.)"""
    ends = sorted_terms.ends
    docnums, weights, values = sorted_terms.docnums, sorted_terms.weights, sorted_terms.values
    starts = np.concatenate(([0], ends[:-1]))
    counts = ends - starts
    inline = counts <= INLINE_LIMIT
    # Each term's blocks (an inlined term's postings: one block).
    blocks = np.where(inline, 1, -(-counts // size))
    block_term = np.repeat(np.arange(len(counts)), blocks)
    first_block = np.cumsum(blocks) - blocks
    block_start = starts[block_term] + (np.arange(len(block_term)) - first_block[block_term]) * size
    block_end = np.where(
        inline[block_term], ends[block_term], np.minimum(block_start + size, ends[block_term])
    )
    block_count = block_end - block_start
    ones = np.add.reduceat(weights == 1.0, block_start) == block_count
    stored = weights.astype(np.float32).astype(np.float64)  # (as a block stores them)
    equal = np.minimum.reduceat(stored, block_start) == np.maximum.reduceat(stored, block_start)
    top = np.where(ones, 1.0, np.maximum.reduceat(weights, block_start))
    top = np.where(top > 0, top, 0.0)
    block_total = np.where(ones, block_count, _sums(stored, block_start, block_count))
    total = _sums(block_total, first_block, blocks)
    heaviest = np.maximum(np.maximum.reduceat(top, first_block), 0.0)
    if field_lengths:
        doc_lengths = np.frombuffer(field_lengths, np.int64)[docnums]
        high = np.maximum.reduceat(doc_lengths, block_start)
        low = np.minimum.reduceat(np.where(doc_lengths > 0, doc_lengths, _NO_LENGTH), block_start)
    else:
        high = low = np.zeros(len(block_start), np.int64)
    low = np.where(low == _NO_LENGTH, 0, low)  # (none: byte 0, as for `None`)
    shortest = np.minimum.reduceat(np.where(low > 0, low, _NO_LENGTH), first_block)
    longest = np.maximum.reduceat(high, first_block)
    # Rows: `W3TermInfo`'s figures, then the inlined postings or where the
    # term's blocks are.
    figures = np.zeros(len(counts), _TERM_FIGURES)
    figures["inlined"] = inline
    figures["total"] = total
    figures["count"] = counts
    figures["shortest"] = np.where(shortest == _NO_LENGTH, 0, _length_bytes(shortest))
    figures["longest"] = _length_bytes(longest)
    figures["heaviest"] = heaviest
    figures["first"] = docnums[starts]
    figures["last"] = docnums[ends - 1]
    data = figures.tobytes()
    width = _TERM_FIGURES.itemsize
    # A block's lists: its document numbers as gaps (an inlined term's as
    # they are), weights, values.
    gaps = docnums.copy()
    gaps[1:] -= docnums[:-1]
    gaps[block_start] = docnums[block_start]
    inlined_postings = np.repeat(inline[block_term], block_count)
    gaps[inlined_postings] = docnums[inlined_postings]
    gaps, stored = gaps.tolist(), stored.tolist()
    last_doc = docnums[block_end - 1].tolist()
    tops = top.tolist()
    for block in np.flatnonzero(top <= 0).tolist():
        tops[block] = 0  # (`_write_term` keeps an int 0)
    low_bytes, high_bytes = _length_bytes(low).tolist(), _length_bytes(high).tolist()
    block_start, block_end = block_start.tolist(), block_end.tolist()
    ones, equal = ones.tolist(), equal.tolist()
    joined = fixed is not None and fixed > 0
    kept = fixed is None or fixed < 0
    # (No empty value to leave out, as for every positions field: a slice will do.)
    whole = kept and all(values)
    rows, out = [], []
    position = postfile.tell()
    terms = zip(inline.tolist(), first_block.tolist(), blocks.tolist(), strict=True)
    for term, (is_inline, first, n_blocks) in enumerate(terms):
        head = data[term * width : (term + 1) * width]
        if is_inline:
            a, b = block_start[first], block_end[first]
            if joined:
                mini_values = tuple([value or b"" for value in values[a:b]])
            elif whole:
                mini_values = tuple(values[a:b])
            else:
                mini_values = tuple(filter(None, values[a:b])) if kept else None
            mini_weights = None if ones[first] else tuple(stored[a:b])
            rows.append(head + _pickled((tuple(gaps[a:b]), mini_weights, mini_values)))
            continue
        parts = [WHOOSH3_HEADER_MAGIC]
        final = first + n_blocks - 1
        for block in range(first, first + n_blocks):
            a, b = block_start[block], block_end[block]
            if ones[block]:
                mini_weights = None
            else:
                mini_weights = stored[a] if equal[block] else tuple(stored[a:b])
            if kept:
                mini_values = tuple(values[a:b] if whole else filter(None, values[a:b]))
            else:
                mini_values = b"".join(filter(None, values[a:b])) if joined else None
            parts += _block(
                (tuple(gaps[a:b]), mini_weights, mini_values), b - a, last_doc[block],
                tops[block], low_bytes[block], high_bytes[block], level, block == final,
            )
        postings = b"".join(parts)
        out.append(postings)
        rows.append(head + pack_long(position) + pack_int(len(postings)))
        position += len(postings)
    postfile.write(b"".join(out))
    return rows


def _sums(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The sums of `values[start:start + count]` (spans that cut `values`
    from start to end, in order), each added one after another from
    0.0, as `sum` adds floats in `_write_term` (Python 3.11's; 3.12's
    compensates, which differs only where a sum of float32 weights would
    round).  NumPy's `reduceat` adds in pairs, which rounds otherwise unless
    every value is a whole number."""
    if not len(starts):
        return np.zeros(0)
    if np.array_equal(values, np.floor(values)) and np.abs(values).sum() < 2**53:
        return np.add.reduceat(values, starts) + 0.0  # (exact in any order; no -0.0)
    sums = np.zeros(len(starts))
    for k in range(int(counts.max())):
        live = np.flatnonzero(counts > k)
        sums[live] += values[starts[live] + k]
    return sums


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's `length_to_byte` of each of `lengths` (not negative)."""
    return np.searchsorted(_LENGTH_BYTES, np.minimum(lengths, _LENGTH_BYTES[-1]), "left")


def _score_sorted(scores_writer, sorted_terms: _SortedTerms) -> None:
    """`_score` for each of `sorted_terms`' terms, a field's at once."""
    fieldname, terms, ends, docnums, weights, _ = sorted_terms
    if fieldname in scores.FIELDS:
        scores_writer.add_terms(fieldname, terms, ends, docnums, weights)
        return
    starts = [0, *ends[:-1].tolist()]
    if fieldname == "path":
        for tbytes, start in zip(terms, docnums[starts].tolist(), strict=True):
            scores_writer.add_path(tbytes, (start,))
    elif fieldname == "kind" and _BOILERPLATE in terms:
        at = terms.index(_BOILERPLATE)
        scores_writer.add_boilerplate(docnums[starts[at] : ends[at]].tolist())


#: A terms table row's figures (`W3TermInfo._struct`, "!BfIBBfII").
_TERM_FIGURES = np.dtype([
    ("inlined", "u1"), ("total", ">f4"), ("count", ">u4"), ("shortest", "u1"),
    ("longest", "u1"), ("heaviest", ">f4"), ("first", ">u4"), ("last", ">u4"),
])
#: Greater than any field length (`_write_sorted`).
_NO_LENGTH = np.iinfo(np.int64).max
#: The lengths Whoosh's `length_to_byte` finds each byte's place among.
_LENGTH_BYTES = np.array(_length_byte_cache, np.int64)


def _inline(docnums, weights, values, field_lengths, fixed) -> bytes:
    """The terms table's row for a term in at most `INLINE_LIMIT` passages:
    its postings inlined in the row (`W3TermInfo`'s inlined form, which
    Whoosh reads into a `ListMatcher`), nothing in the postings file.

    The figures are those `_write_term` would give the term's one block:
    weights rounded to 32-bit floats, as a block stores them (None when all
    are 1.0: the matcher's weight is then 1.0), values as a block holds
    them (None for a field without values).  A posting block costs a
    header, its figures and a pointer besides its lists, about 45 bytes:
    SciFact's index (one segment) is 23.8 MB with no postings inlined,
    23.3 with a term's in one passage, 22.3 with those in up to 4."""
    n = len(docnums)
    if weights.count(1.0) == n:
        mini_weights, top, total = None, 1.0, float(n)
    else:
        stored = array("f", weights)
        mini_weights = tuple(stored)
        top = max(weights)
        top = top if top > 0 else 0
        total = sum(stored)
    low, high = None, 0
    if field_lengths:
        low, high = _shortest_longest(list(map(field_lengths.__getitem__, docnums)))
    if fixed is None or fixed < 0:
        mini_values = tuple(filter(None, values))
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = tuple([value or b"" for value in values])
    row = W3TermInfo._struct.pack(
        True, total, n, 0 if low is None else length_to_byte(low), length_to_byte(high),
        top, docnums[0], docnums[-1],
    )
    return row + _pickled((tuple(docnums), mini_weights, mini_values))


def _shortest_longest(lengths: list[int]) -> tuple[int | None, int]:
    """The shortest and longest of a block's field `lengths` that are not 0
    (None and 0 if all are), in calls that run in C (a list comprehension
    dropping the zeros was a step per posting)."""
    longest = max(lengths)
    shortest = min(lengths)
    if not shortest:
        shortest = min(filter(None, lengths), default=None)
    return shortest, longest


#: Terms in at most this many passages have their postings inlined in the
#: terms table (`_inline`); 8 saved little more.
INLINE_LIMIT = 4


#: Blocks shorter than this are not compressed: zlib makes them no shorter.
_COMPRESS_FROM = 64


def _deflate(data: bytes, level: int = 3) -> bytes:
    """`zlib.compress(data, level)`, for what Whoosh's readers decompress
    (`zlib.decompress`), with a window and memory sized to `data`:
    `zlib.compress` sets up 256 KB of state for every call, which took
    longer than compressing a posting block."""
    bits = min(15, max(10, len(data).bit_length() + 1))
    compressor = zlib.compressobj(level, zlib.DEFLATED, bits, 4)
    return compressor.compress(data) + compressor.flush()


class _StoredFieldsWriter(PickleColumn.Writer):
    """Whoosh's writer of the stored-fields column (`STORED_COLUMN`, a
    `PickleColumn`), pickling as `_StoredFields` does (the same bytes as a
    planned document's)."""

    def __init__(self, child, pickler: _StoredFields):
        super().__init__(child)
        self._pickler = pickler

    def add(self, docnum, v):
        self._child.add(docnum, b"" if v is None else self._pickler.pickled(v))


def _compress_stored(data: bytes, level: int) -> bytes:
    """The stored-fields column's compressor (`CompressedBytesColumn`):
    `_stored_stream`, whatever the level (see `_StoredFields`)."""
    return _stored_stream(data)


class _StoredFields:
    """Documents' stored fields as the stored-fields column holds them
    (`value`): pickled with protocol 4 (strings' lengths in one byte),
    without a memo (written once, nothing is shared) or a frame, in a zlib
    stream that is not compressed (`_stored_stream`).  One per writer.

    Whoosh's reader decompresses and unpickles every value, so any zlib
    stream and any pickle read the same.  Deflating a passage's fields (146
    bytes in SciFact) took 11 µs, mostly zlib's set-up and a block's
    Huffman tables, and saved 3 % of their size, less than the memo and
    the frame take: SciFact's stored column is 2.36 MB instead of 2.52,
    and a passage's fields take 1.1 µs."""

    def __init__(self):
        self._out = io.BytesIO()
        self._pickler = pickle.Pickler(self._out, 4)
        self._pickler.fast = True  # (no memo)

    def value(self, fields: dict) -> bytes:
        """`fields` as the stored column holds them."""
        return _stored_stream(self.pickled(fields))

    def pickled(self, value) -> bytes:
        """`value` pickled (protocol 4, no memo, no frame).  A value that
        refers to itself is pickled with its memo."""
        out = self._out
        out.seek(0)
        out.truncate()
        try:
            self._pickler.dump(value)
        except ValueError:  # (a value that refers to itself)
            self.__init__()
            return pickle.dumps(value, 4)
        data = out.getvalue()
        # (The frame, FRAME and its length after the protocol's two bytes,
        # only tells a reader how much to read ahead: a pickle may leave it
        # out.)
        if data[2:3] == _FRAME and int.from_bytes(data[3:11], "little") == len(data) - 11:
            return data[:2] + data[11:]
        return data


_FRAME = pickle.FRAME


def _stored_stream(data: bytes) -> bytes:
    """`data` as a zlib stream of stored (not compressed) deflate blocks, the
    bytes `zlib.compress(data, 0)` gives, without zlib's set-up: a header, a
    block per 65,535 bytes (a final flag, the length and its complement),
    the Adler-32 checksum."""
    size = len(data)
    checksum = zlib.adler32(data).to_bytes(4, "big")
    if size <= 0xFFFF:
        return b"".join((b"\x78\x01", _STORED_BLOCK.pack(1, size, size ^ 0xFFFF), data, checksum))
    out = [b"\x78\x01"]
    for start in range(0, size, 0xFFFF):
        block = data[start : start + 0xFFFF]
        out += (_STORED_BLOCK.pack(start + 0xFFFF >= size, len(block), len(block) ^ 0xFFFF), block)
    out.append(checksum)
    return b"".join(out)


_STORED_BLOCK = struct.Struct("<BHH")


class _CountingFile(StructFile):
    """A segment file being written, counting the bytes written to know its
    position.

    Whoosh asks the postings and terms files where they are for every term;
    the file's own `tell` costs a system call, which was a sixth of the time
    spent writing postings.
    """

    def __init__(self, structfile: StructFile):
        super().__init__(structfile.file, structfile._name, structfile.onclose)
        self.is_real = False  # (arrays are written through `write`)
        self._position = structfile.tell()

    def write(self, data):
        self._position += len(data)
        return self.file.write(data)

    def write_pickle(self, obj, protocol=-1):
        self.write(pickle.dumps(obj, protocol))

    def tell(self):
        return self._position

    def seek(self, *args):
        raise io.UnsupportedOperation("a segment file is written from start to end")


class _DocColumns:
    """The documents' field lengths and column values, waiting to be
    written to the segment's columns (`write`), each in one write: through
    Whoosh's per-document writer they took a few calls per document and
    value, most of the time it spent on columns.  The columns' files hold
    the same bytes as Whoosh's writers write."""

    def __init__(self, schema):
        self._schema = schema
        self._lengths: dict[str, tuple[array, array]] = {}  # field: document numbers, lengths
        self._values: dict[str, tuple[array, list]] = {}  # field: document numbers, values

    def add_columns(self, docnum: int, lengths: list, values: list) -> None:
        """Document `docnum`'s field lengths and column values, `(fieldname,
        number)` pairs."""
        for columns, pairs in ((self._lengths, lengths), (self._values, values)):
            for fieldname, value in pairs:
                entry = columns.get(fieldname)
                if entry is None:
                    entry = columns[fieldname] = (array("q"), [])
                entry[0].append(docnum)
                entry[1].append(value)

    def add_many(self, lengths: bool, fieldname: str, docnums: list, values: list) -> None:
        """Many documents' lengths (`lengths`) or column values in one
        field, in any order (`write` places them by document number)."""
        columns = self._lengths if lengths else self._values
        entry = columns.get(fieldname)
        if entry is None:
            entry = columns[fieldname] = (array("q"), [])
        entry[0].fromlist(docnums)
        entry[1].extend(values)

    def write(self, perdoc) -> None:
        """Write the values added to `perdoc`'s (a `W3PerDocWriter`'s)
        columns, and the lengths' sums to its field totals, as its
        `add_field` and `add_column_value` would have, then forget them."""
        for fieldname, (docnums, lengths) in self._lengths.items():
            perdoc._fieldlengths[fieldname] += sum(lengths)
            bytes_ = [length_to_byte(length) for length in lengths]
            _write_column(perdoc, _lenfield(fieldname), LENGTHS_COLUMN, docnums, bytes_)
        for fieldname, (docnums, values) in self._values.items():
            _write_column(perdoc, fieldname, self._schema[fieldname].column_type, docnums, values)
        self._lengths.clear()
        self._values.clear()


#: NumPy's types for Whoosh's `NumericColumn` type codes (big-endian, as
#: `struct`'s "!" sizes them).
_NUMERIC_DTYPES = {code: np.dtype(">" + code) for code in "bBhHiIqQfd"}


def _write_column(perdoc, name: str, column, docnums: array, values: list) -> None:
    """Add `values` (for documents `docnums`, ascending) to `perdoc`'s
    column `name`: a `NumericColumn`'s at once (its file holds each
    document's value from the first up to the last that is not the
    default), any other value by value."""
    if not perdoc._has_column(name):
        perdoc._create_column(name, column)
    writer = perdoc._get_column(name)
    dtype = _NUMERIC_DTYPES.get(getattr(column, "_typecode", None))
    if type(writer) is not NumericColumn.Writer or dtype is None:
        for docnum, value in zip(docnums, values, strict=True):
            writer.add(docnum, value)
        return
    docs = np.frombuffer(docnums, np.int64) - writer._count
    column_values = np.full(int(docs.max()) + 1, writer._default, dtype)
    column_values[docs] = values
    set_ = np.flatnonzero(column_values != writer._default)
    if len(set_):
        end = int(set_[-1]) + 1
        writer._dbfile.write(column_values[:end].tobytes())
        writer._count += end


def _add_var_bytes(writer, first: int, data: list) -> None:
    """What `VarBytesColumn.Writer.add` does for documents `first`,
    `first + 1`, ... and their values `data`, in one write."""
    writer.fill(first)
    writer._dbfile.write(b"".join(data))
    base = writer._offset_base
    sizes = list(map(len, data))
    writer._lengths.extend(sizes)
    writer._offsets.extend(accumulate(sizes[:-1], initial=base))
    writer._offset_base = base + sum(sizes)
    writer._count = first + len(data)


class _Lengths:
    """The field lengths of a segment's documents, as Whoosh reads them."""

    def __init__(self, reader, doc_count: int):
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, array | None] = {}

    def of(self, fieldname: str) -> array | None:
        """Each document's length in `fieldname`, by document number; None
        for a field without lengths (one not scored).  (An array: a list
        took 36 bytes a document, and one segment holds a whole run's.)"""
        if fieldname not in self._fields:
            lengths = None
            name = _lenfield(fieldname)
            if self._reader.has_column(name):
                column = self._reader.column_reader(name, LENGTHS_COLUMN)
                bytes_ = read_numeric_column(column, self._doc_count)
                lengths = array("q", _BYTE_LENGTHS[bytes_].tobytes())
            self._fields[fieldname] = lengths
        return self._fields[fieldname]


#: The length each of a length column's bytes stands for (Whoosh's
#: `byte_to_length`; a document without one reads as 0, as byte 0 does).
_BYTE_LENGTHS = np.array([byte_to_length(n) for n in range(256)], np.int64)


@contextlib.contextmanager
def collector_paused():
    """Keep Python's cyclic garbage collector off while indexing.

    Indexing makes no reference cycles but the writer's own, yet the
    collector ran every few hundred objects made and traversed the posting
    pool (a list per term and posting field: 350,000 for SciFact) again and
    again, finding nothing: 7 % of a build's CPU.  Reentrant and shared by
    threads (a Dask worker may run two parts at once): the collector is
    turned back on, if it was on, when the last one leaves."""
    global _paused, _was_enabled
    with _pause_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


_pause_lock = threading.Lock()
_paused = 0
_was_enabled = True


def open_writer(ix, limitmb: int, lock: bool = True, part: bool = False) -> Writer:
    """A writer for `ix`; `lock=False` for a worker whose parent holds the
    lock; `part=True` for one whose documents the main writer takes in
    (`hand_over`)."""
    return Writer(ix, limitmb=limitmb, part=part, _lk=lock)


@dataclass(frozen=True)
class Handover:
    """A part's documents, handed over to the main writer (`Writer.take_in`):
    files in the writers' shared temporary folder."""

    documents: str
    """Each document's field lengths, column values and stored fields
    (as the stored column holds them, `_StoredFields`), marshalled."""
    runs: list[str]
    """The part's postings, as the pool's runs (document numbers from 0)..."""
    pooled: str | None
    """...or as the pool's columns (`_TermPool.save_columns`), when they
    fitted in its memory."""
    count: int
    """How many documents."""
    indexes: dict = dataclass_field(default_factory=dict)
    """Where things are in each run (`_TermPool.indexes`)."""


class _Recorder:
    """A part writer's per-document writer: what Whoosh's `W3PerDocWriter`
    is told of the documents, written to a file for the main writer
    (`Handover`) in marshalled chunks of `_DOCUMENTS_CHUNK` documents.  A
    chunk is `(first, lengths, values, stored)`: its first document's
    number, each field's lengths and each column's values as `{fieldname:
    (document numbers, numbers)}` (of any of the part's documents: a
    document's lengths may come after its chunk was written, see
    `before_write`), and each document's stored fields (`_StoredFields`,
    None for none), from the first on.  The main writer takes a chunk in
    a field at a time (`Writer.take_in`): a document at a time, that took
    0.07 s of SciFact's build while the helpers' cores were idle."""

    is_closed = False

    def __init__(self, new_file):
        self._stored_fields = _StoredFields()
        self._new_file = new_file
        self.path = self._handle = None
        self.count = 0
        self._lengths: dict[str, tuple[list, list]] = {}
        self._values: dict[str, tuple[list, list]] = {}
        self._stored: list = []
        self._doc_stored = None
        self._docnum = 0
        self._first = 0  # the document number of the chunk's first
        #: Called before a chunk is written: the writer's waiting values
        #: add their documents' lengths and counts (`add_many`) first.
        self.before_write = None

    @property
    def waiting(self) -> int:
        """How many documents the chunk not yet written holds."""
        return len(self._stored)

    def start_doc(self, docnum: int) -> None:
        self._doc_stored = {}
        self._docnum = docnum
        if not self._stored:
            self._first = docnum

    def add_field(self, fieldname, fieldobj, value, length) -> None:
        if value is not None:
            self._doc_stored[fieldname] = value
        if length:
            self._add(self._lengths, fieldname, self._docnum, length)

    def add_column_value(self, fieldname, column, value) -> None:
        self._add(self._values, fieldname, self._docnum, value)

    def add_columns(self, docnum: int, lengths: list, values: list) -> None:
        """The document's field lengths and column values, as `(fieldname,
        number)` pairs (`_DocColumns.add_columns`)."""
        for fieldname, number in lengths:
            self._add(self._lengths, fieldname, docnum, number)
        for fieldname, number in values:
            self._add(self._values, fieldname, docnum, number)

    def add_many(self, lengths: bool, fieldname: str, docnums: list, values: list) -> None:
        """Lengths or column values of many documents (`_DocColumns.add_many`)."""
        entry = self._entry(self._lengths if lengths else self._values, fieldname)
        entry[0].extend(docnums)
        entry[1].extend(values)

    @classmethod
    def _add(cls, columns: dict, fieldname: str, docnum: int, number) -> None:
        entry = cls._entry(columns, fieldname)
        entry[0].append(docnum)
        entry[1].append(number)

    @staticmethod
    def _entry(columns: dict, fieldname: str) -> tuple[list, list]:
        entry = columns.get(fieldname)
        if entry is None:
            entry = columns[fieldname] = ([], [])
        return entry

    def add_vector_items(self, fieldname, fieldobj, items) -> None:
        raise NotImplementedError("a part of a run cannot hold term vectors")

    def finish_doc(self) -> None:
        stored = self._doc_stored
        self._stored.append(self._stored_fields.value(stored) if stored else None)
        self.count += 1
        self._doc_stored = None
        if len(self._stored) >= _DOCUMENTS_CHUNK:
            self._write()

    def cancel_doc(self) -> None:
        self._doc_stored = None

    def _write(self) -> None:
        if self.before_write is not None:
            self.before_write()
        if self._handle is None:
            self.path, self._handle = self._new_file()
        _put_chunk(self._handle, (self._first, self._lengths, self._values, self._stored))
        self._lengths, self._values, self._stored = {}, {}, []

    def close(self) -> None:
        if self._stored or self._lengths or self._values:
            self._write()
        if self._handle is not None:
            self._handle.close()
        self.is_closed = True


#: Documents a part writes to its handed-over file at a time.
_DOCUMENTS_CHUNK = 4096


def hand_over(writer: Writer) -> Handover | None:
    """Close a part's writer (`open_writer(..., part=True)`), leaving its
    documents to the main writer: a `Handover` (None if it added none).
    Its own segment's files are removed; the handed-over files are in the
    temporary folder the main writer shares and removes at its end."""
    writer._analyse_waiting()
    recorder = writer.perdocwriter
    recorder.close()
    handover = None
    if recorder.count:
        pool = writer.pool
        if pool.runs:  # (it outgrew its memory: all of it as runs)
            pool.save()
            runs, pool.runs, pooled = pool.runs, [], None
        else:
            runs, pooled = [], pool.save_columns()
        indexes = {path: pool.indexes[path] for path in runs}
        handover = Handover(recorder.path, runs, pooled, recorder.count, indexes)
    writer.perdocwriter = writer._segment_perdoc
    writer._close_segment()
    for name in writer.newsegment.list_files(writer.storage):
        writer.storage.delete_file(name)
    return handover


def abandon_part(writer: Writer) -> None:
    """Close a worker's writer after a failure.  It shares its temporary
    folder with the main writer, which removes it (`SegmentWriter._finish`,
    `cancel`), once."""
    if isinstance(writer.perdocwriter, _Recorder):
        writer.perdocwriter.close()
        writer.perdocwriter = writer._segment_perdoc
    writer._close_segment()  # (closes only what is still open)


#: When more than this share of the passages in the index's segments are
#: deleted (old versions of changed files, removed files), a run merges every
#: segment into one, dropping them.  Until then it merges only small segments
#: (Whoosh's default): merging all on every run rewrote the whole index even
#: when one file had changed (28 s for 10,000 unchanged files).
PURGE_DELETED = 0.2


def commit(writer: Writer) -> None:
    """Commit `writer`, first merging the index's existing segments into
    its own (small ones, or all of them when they hold too many deleted
    passages) so that segments and deleted passages do not pile up."""
    writer.commit(optimize=_mostly_deleted(writer.segments))


def _mostly_deleted(segments) -> bool:
    total = sum(segment.doc_count_all() for segment in segments)
    deleted = sum(segment.deleted_count() for segment in segments)
    return deleted > PURGE_DELETED * total
