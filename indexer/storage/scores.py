"""The fast scorer's arrays: written beside each Whoosh segment when it is
written, memory-mapped by searches.

`<segment id>.scores` (in the generation, next to the segment's `.seg`; Whoosh
removes it with its segment) holds what the vectorised BM25F scorer
(`search.retrieval.bm25f`) reads, so that a search process maps it instead
of reading every passage's lengths and a word's postings through Whoosh:

- per passage (the segment's document numbers): its title and body length
  in terms (the exact `title_terms`/`body_terms` columns) and the number of
  its source in the segment (a source's passages are added one after
  another, the first numbered 1 in the `passage_number` column);
- per source: its path, its title length (the longest of its passages'
  titles) and its body length (the sum of its passages');
- the boilerplate passages;
- per field (title, body) and term: the passages holding it and the term's
  Whoosh weight in each (its frequency times the field's boost), one row
  per term (numbers of 2 bytes in a segment of up to 65,536 passages,
  weights of 1 byte when they are whole numbers under 256); the terms
  themselves, found by a 64-bit hash.

Whoosh stays the index of record: everything here is read from what the
segment holds (`tests/test_scores.py` checks it against Whoosh's reader),
and a segment without its file is scored from Whoosh's postings instead
(`search.retrieval.postings.WhooshScores`).

The file is the arrays one after another, each 64-byte aligned, then a JSON
directory of them, then a 16-byte trailer: the directory's offset and
`MAGIC`.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import shutil
import struct
from array import array
from pathlib import Path

import numpy as np

#: The file beside a segment: `<segment id>` + this.
SUFFIX = ".scores"
MAGIC = b"GSSCORE1"
#: The fields the scorer reads.
FIELDS = ("title", "body")
_TRAILER = struct.Struct("<Q8s")
_ALIGN = 64
#: Postings held in memory before they are written out.
_CHUNK = 1 << 18


def term_hash(term: bytes) -> int:
    """The 64-bit hash the file finds a term by."""
    return int.from_bytes(hashlib.blake2b(term, digest_size=8).digest(), "little")


def scores_file(folder: Path, segment_id: str) -> Path:
    return Path(folder) / f"{segment_id}{SUFFIX}"


def source_numbers(passage_number: np.ndarray) -> np.ndarray | None:
    """Each passage's source, numbered from 0 within the segment, from its
    place in its source (`passage_number`, from 1); None if the numbers do
    not cut the segment into sources (a segment not written by groundsearch)."""
    if not len(passage_number):
        return np.zeros(0, np.uint32)
    if passage_number[0] != 1 or not passage_number.all():
        return None
    return (np.cumsum(passage_number == 1) - 1).astype(np.uint32)


def source_lengths(source: np.ndarray, sources: int, length: dict[str, np.ndarray]):
    """Each source's title length (its passages' longest) and body length
    (their sum), from the passages' lengths (as floats: sums of whole
    numbers, exact)."""
    title = np.zeros(sources, np.float64)
    np.maximum.at(title, source, np.asarray(length["title"], np.float64))
    body = np.bincount(source, weights=np.asarray(length["body"], np.float64), minlength=sources)
    return {"title": title, "body": body}


class _FieldChunks:
    """What `ScoresWriter` and `RangeScores` share: a field's terms and
    their postings taken one term at a time (`add`) or many at once
    (`add_terms`), a field's terms in order, one field after the other;
    its document numbers and weights handed on every `_CHUNK` postings
    (`_store`), noting whether the weights are whole numbers and the
    largest.  Each class says where a chunk goes (`_store`) and what a field
    begins and ends with (`_open_field`, `_close_field`)."""

    _field = None

    def add(self, fieldname: str, term: bytes, docnums, weights) -> None:
        """A title or body term's postings (in term order within its field)."""
        if fieldname != self._field:
            self._end_field()
            self._start_field(fieldname)
        self._ids.extend(docnums)
        self._weights.extend(weights)
        self._terms.append(term)
        self._hashes.append(term_hash(term))
        self._count += len(docnums)
        self._ptr.append(self._count)
        if len(self._ids) >= _CHUNK:
            self._write_chunk()

    def add_terms(self, fieldname: str, terms: list[bytes], ends, docnums, weights) -> None:
        """`add` each of `terms`, whose postings end at `ends` in the arrays
        `docnums` and `weights`, at once."""
        if fieldname != self._field:
            self._end_field()
            self._start_field(fieldname)
        self._ids.frombytes(np.asarray(docnums, np.uint32).tobytes())
        self._weights.frombytes(np.asarray(weights, np.float32).tobytes())
        self._terms += terms
        self._hashes.fromlist(list(map(term_hash, terms)))
        self._ptr += (np.asarray(ends, np.int64) + self._count).tolist()
        self._count += len(docnums)
        if len(self._ids) >= _CHUNK:
            self._write_chunk()

    def _start_field(self, fieldname: str) -> None:
        self._field = fieldname
        self._ids, self._weights = array("I"), array("f")
        self._terms: list[bytes] = []
        # Each term's `term_hash`, worked out by the process that writes
        # the term (`add_range`: not all at the end, by the one process).
        self._hashes = array("Q")
        # 0, then where each term's postings end, counted within the field.
        self._ptr, self._count = [0], 0
        self._largest, self._whole = 0.0, True
        self._open_field(fieldname)

    def _write_chunk(self) -> None:
        weights = np.frombuffer(self._weights, np.float32)
        if len(weights):
            self._largest = max(self._largest, float(weights.max()))
            self._whole = self._whole and bool((weights == np.floor(weights)).all())
        self._store(self._ids, weights)
        self._ids, self._weights = array("I"), array("f")

    def _end_field(self) -> None:
        if self._field is None:
            return
        self._write_chunk()
        self._close_field(self._field)
        self._field = None

    def _open_field(self, fieldname: str) -> None:
        """Begin `fieldname` (once its arrays are reset)."""
        raise NotImplementedError

    def _store(self, ids: array, weights: np.ndarray) -> None:
        """Hand on a chunk of the field's document numbers and weights."""
        raise NotImplementedError

    def _close_field(self, fieldname: str) -> None:
        """End `fieldname` (once its last chunk is handed on)."""
        raise NotImplementedError


class ScoresWriter(_FieldChunks):
    """Writes a segment's scores file while its postings are written: `add`
    each title and body term's postings (a field's terms in order, one field
    after the other), then `finish`.

    A field's document numbers go straight to the file, its weights to a
    temporary file beside it: once the field is done, they are copied after
    the numbers in the narrowest type that holds them exactly (most are
    small whole numbers: one byte each)."""

    def __init__(self, path: Path, lengths: dict[str, np.ndarray], passage_number: np.ndarray):
        self.path = Path(path)
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed in finish / abandon
        self._spill_path = self.path.with_name(self.path.name + ".weights")
        self._spill = None
        self._position = 0
        self._arrays: dict[str, list] = {}
        self._field = None
        self.docs = len(passage_number)
        self._id_type = np.dtype("<u2") if self.docs <= 1 << 16 else np.dtype("<u4")
        self.lengths = lengths
        self.source = source_numbers(passage_number)
        self.sources = int(self.source[-1]) + 1 if self.source is not None and self.docs else 0
        self.paths: list[bytes | None] = [None] * self.sources
        self.boilerplate: list[int] = []

    # --- while postings are written -----------------------------------------

    def add_path(self, path: bytes, docnums) -> None:
        """A `path` term: the source its passages belong to."""
        if self.source is not None and len(docnums):
            self.paths[int(self.source[docnums[0]])] = path

    def add_boilerplate(self, docnums) -> None:
        self.boilerplate.extend(docnums)

    def add_range(self, recorded: RangeScores) -> None:
        """What a range of terms written by another process gave (in term
        order after those added so far): as if each had been added here."""
        for fieldname, terms, hashes, ptr, ids, weights, largest, whole in recorded.fields:
            if fieldname != self._field:
                self._end_field()
                self._start_field(fieldname)
            self._write_chunk()
            with open(ids, "rb") as handle:
                while chunk := handle.read(4 * _CHUNK):
                    self._write(np.frombuffer(chunk, np.uint32).astype(self._id_type).tobytes())
            with open(weights, "rb") as handle:
                shutil.copyfileobj(handle, self._spill)
            self._largest = max(self._largest, largest)
            self._whole = self._whole and whole
            self._terms += terms
            self._hashes += hashes
            self._ptr += (np.asarray(ptr[1:], np.int64) + self._count).tolist()
            self._count += ptr[-1]
        for path, docnum in recorded.paths:
            self.add_path(path, (docnum,))
        self.boilerplate.extend(recorded.boilerplate)

    def _open_field(self, fieldname: str) -> None:
        self._spill = open(self._spill_path, "w+b")  # noqa: SIM115 - closed in _close_field
        self._pad()
        self._start = self._position

    def _store(self, ids: array, weights: np.ndarray) -> None:
        self._write(np.frombuffer(ids, np.uint32).astype(self._id_type).tobytes())
        self._spill.write(weights.tobytes())

    def _close_field(self, name: str) -> None:
        self._arrays[f"{name}.ids"] = [self._id_type.str, self._start, self._count]
        if self._whole and self._largest < 1 << 8:
            kind = np.dtype("u1")
        elif self._whole and self._largest < 1 << 16:
            kind = np.dtype("<u2")
        else:
            kind = np.dtype("<f4")
        self._pad()
        self._arrays[f"{name}.weights"] = [kind.str, self._position, self._count]
        self._spill.seek(0)
        while chunk := self._spill.read(4 * _CHUNK):
            self._write(np.frombuffer(chunk, np.float32).astype(kind).tobytes())
        self._spill.close()
        self._spill_path.unlink()
        hashes = np.frombuffer(self._hashes, np.uint64)
        order = np.argsort(hashes, kind="stable")
        lengths = np.fromiter(map(len, self._terms), np.int64, count=len(self._terms))
        self._put(f"{name}.hash", hashes[order])
        self._put(f"{name}.row", order.astype(np.uint32))
        self._put(f"{name}.ptr", _offsets(self._ptr))
        self._put(f"{name}.term_ptr", _offsets(np.concatenate([[0], np.cumsum(lengths)])))
        self._put(f"{name}.terms", np.frombuffer(b"".join(self._terms), np.uint8))

    # --- the end ----------------------------------------------------------------

    def finish(self, boosts: dict[str, float]) -> None:
        """Write the per-passage and per-source arrays and the directory."""
        self._end_field()
        meta = {"docs": self.docs, "sources": self.sources, "boosts": boosts}
        for field in FIELDS:
            self._put(f"{field}.length", self.lengths[field].astype(np.uint32))
        self._put("boilerplate", np.asarray(self.boilerplate, np.uint32))
        if self.source is not None:
            self._put("source", self.source)
            for field, values in source_lengths(self.source, self.sources, self.lengths).items():
                self._put(f"source.{field}.length", values.astype(np.uint64))
            names = [path or b"" for path in self.paths]
            sizes = np.fromiter(map(len, names), np.int64, count=len(names))
            self._put("source.path_ptr", _offsets(np.concatenate([[0], np.cumsum(sizes)])))
            self._put("source.paths", np.frombuffer(b"".join(names), np.uint8))
        directory = json.dumps({"meta": meta, "arrays": self._arrays}).encode()
        self._pad()
        offset = self._position
        self._write(directory + _TRAILER.pack(offset, MAGIC))
        self._file.close()

    def abandon(self) -> None:
        """Close and remove what was written (the segment failed)."""
        for handle in (self._file, self._spill):
            if handle is not None:
                handle.close()
        self.path.unlink(missing_ok=True)
        self._spill_path.unlink(missing_ok=True)

    def _put(self, name: str, values: np.ndarray) -> None:
        self._pad()
        values = np.ascontiguousarray(values)
        self._arrays[name] = [values.dtype.str, self._position, len(values)]
        self._write(values.tobytes())

    def _pad(self) -> None:
        gap = -self._position % _ALIGN
        if gap:
            self._write(b"\0" * gap)

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._position += len(data)


class RangeScores(_FieldChunks):
    """What a range of a segment's terms gives its scores file, recorded by
    the process that writes their postings (`ScoresWriter`'s `add`,
    `add_path`, `add_boilerplate`) for the one that writes the file
    (`ScoresWriter.add_range`): each field's terms, where their postings
    end, and their document numbers and weights in files beginning `stem`."""

    def __init__(self, stem: str):
        self._stem = stem
        self.fields: list[tuple] = []
        self.paths: list[tuple[bytes, int]] = []
        self.boilerplate: list[int] = []
        self._field = None

    def __getstate__(self):  # (sent to the writing process: not the files, closed)
        names = ("_stem", "fields", "paths", "boilerplate")
        return {name: getattr(self, name) for name in names} | {"_field": None}

    def add_path(self, path: bytes, docnums) -> None:
        if len(docnums):
            self.paths.append((path, docnums[0]))

    def add_boilerplate(self, docnums) -> None:
        self.boilerplate.extend(docnums)

    def finish(self) -> RangeScores:
        self._end_field()
        return self

    def _open_field(self, fieldname: str) -> None:
        self._files = tuple(f"{self._stem}.{fieldname}.{kind}" for kind in ("ids", "weights"))
        self._handles = tuple(open(path, "wb") for path in self._files)  # noqa: SIM115

    def _store(self, ids: array, weights: np.ndarray) -> None:
        self._handles[0].write(ids.tobytes())
        self._handles[1].write(weights.tobytes())

    def _close_field(self, fieldname: str) -> None:
        for handle in self._handles:
            handle.close()
        self.fields.append((
            fieldname, self._terms, self._hashes, self._ptr, *self._files, self._largest,
            self._whole,
        ))


def _offsets(values) -> np.ndarray:
    """Offsets into another array, in 4 bytes each when they fit."""
    values = np.asarray(values, np.uint64)
    return values.astype(np.uint32) if not len(values) or values[-1] < 1 << 32 else values


class SegmentScores:
    """A segment's scores file, memory-mapped: its arrays are read from the
    file as they are used, and shared by every process that maps it."""

    def __init__(self, path: Path):
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        size = len(self._map)
        if size < _TRAILER.size:
            raise ValueError(f"{path} is too short")
        offset, magic = _TRAILER.unpack(self._map[size - _TRAILER.size :])
        if magic != MAGIC or offset > size - _TRAILER.size:
            raise ValueError(f"{path} is not a scores file")
        directory = json.loads(self._map[offset : size - _TRAILER.size])
        meta = directory["meta"]
        self.docs: int = meta["docs"]
        self.sources: int = meta["sources"]
        self.boosts: dict[str, float] = meta["boosts"]
        arrays = {}
        for name, (dtype, start, count) in directory["arrays"].items():
            dtype = np.dtype(dtype)
            if start + count * dtype.itemsize > offset:
                raise ValueError(f"{path}: {name} runs past the end")
            arrays[name] = (
                np.frombuffer(self._map, dtype, count, start) if count else np.zeros(0, dtype)
            )
        self._arrays = arrays
        self.length = {f: arrays[f"{f}.length"] for f in FIELDS}
        self.boilerplate = arrays["boilerplate"]
        self.source = arrays.get("source")
        self.source_length = (
            {f: arrays[f"source.{f}.length"] for f in FIELDS} if self.source is not None else None
        )

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, weights) of `term` in `fieldname`, or None."""
        arrays = self._arrays
        hashes = arrays.get(f"{fieldname}.hash")
        if hashes is None or not len(hashes):
            return None
        encoded = term.encode("utf-8")
        wanted = term_hash(encoded)
        i = int(np.searchsorted(hashes, np.uint64(wanted)))
        rows, bounds, terms = (arrays[f"{fieldname}.{a}"] for a in ("row", "term_ptr", "terms"))
        while i < len(hashes) and int(hashes[i]) == wanted:
            row = int(rows[i])
            if terms[int(bounds[row]) : int(bounds[row + 1])].tobytes() == encoded:
                ptr = arrays[f"{fieldname}.ptr"]
                start, end = int(ptr[row]), int(ptr[row + 1])
                ids, weights = arrays[f"{fieldname}.ids"], arrays[f"{fieldname}.weights"]
                return ids[start:end], weights[start:end]
            i += 1
        return None

    def path(self, source: int) -> str:
        """The path of source number `source` (within the segment)."""
        bounds = self._arrays["source.path_ptr"]
        names = self._arrays["source.paths"]
        return names[int(bounds[source]) : int(bounds[source + 1])].tobytes().decode("utf-8")

    def close(self) -> None:
        self._arrays = {}
        self.length = self.source_length = self.source = self.boilerplate = None


def open_scores(folder: Path, segment_id: str) -> SegmentScores | None:
    """The scores file of a segment, mapped; None if it has none or it
    cannot be read (it is then scored from Whoosh's postings)."""
    path = scores_file(folder, segment_id)
    if not path.is_file():
        return None
    try:
        return SegmentScores(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
