"""The sources database (`sources.sqlite` in each generation): every SQL
statement groundsearch runs.

    sources   one row per indexed document: its attribution, its text (what
              passage offsets refer to, and where passages' text is read
              from; compressed, `pack`) and how it was read
    words     the spelling vocabulary: each word of the corpus (as written,
              lower-case) and the number of sources it occurs in
    meta      the settings the generation was built with (JSON values)
    retired   the passage ids the index no longer holds: each id's document,
              and the passage's text, or the id the same text has now

Removing or replacing a source takes its words back from `words`: the
indexer reads them again from its title, passages and text
(`indexer.document.recorded_words`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import zlib
from collections import Counter, OrderedDict
from pathlib import Path

from ..model import Source, SourceInfo

SOURCES_DB = "sources.sqlite"

_SOURCES_TABLE = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    publisher TEXT,
    retrieved TEXT,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    text BLOB NOT NULL,
    passages INTEGER NOT NULL,
    notes TEXT NOT NULL,
    kinds TEXT NOT NULL
)"""
# The spelling vocabulary: each word of the corpus (as written, lower-case)
# and the number of sources it occurs in.
_WORDS_TABLE = """
CREATE TABLE IF NOT EXISTS words (
    word TEXT PRIMARY KEY,
    sources INTEGER NOT NULL
) WITHOUT ROWID"""
_META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
# A passage id the index held once and holds no more: its document's path, and
# either the passage's text (to find the passage now most like it) or, when
# only the id changed (ids from an older groundsearch), the id it has now.
_RETIRED_TABLE = """
CREATE TABLE IF NOT EXISTS retired (
    passage_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    text TEXT,
    now TEXT
) WITHOUT ROWID"""


_PAGE_SIZE = 65536


def pack(text: str) -> bytes:
    """`text` as the `sources` table holds it: UTF-8, deflated (SciFact's
    texts take 3.7 MB instead of 7.8).  zlib is set up with a window sized
    to the text: `zlib.compress` prepares 256 KB of state for each call,
    which took longer than compressing an abstract.  Its hash table is
    sized down too (memory level 5, not 8: 8 KB, not 64), and it deflates
    at level 3, not zlib's default 6: SciFact's texts take 3.82 MB instead
    of 3.73, in 0.157 s of CPU instead of 0.240 (level 6 at memory level
    5: 0.195 s)."""
    data = text.encode("utf-8")
    bits = min(15, max(9, len(data).bit_length()))
    compressor = zlib.compressobj(3, zlib.DEFLATED, bits, 5)
    return compressor.compress(data) + compressor.flush()


def unpack(value: bytes | str) -> str:
    """The text `pack` made `value` from (a `str`, from a database written
    before texts were packed, as it is)."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """The database at `path`; opened for writing, its tables are made if missing."""
    if readonly:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        db = sqlite3.connect(path)
        # Written only in a generation not yet published, which publishing
        # syncs to disk (`IndexStore.publish`) and a failed run discards:
        # SQLite's own syncs and journal file are not needed (each table
        # made, each commit synced twice: 0.01-0.02 s of a SciFact build).
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA journal_mode = MEMORY")
        # A new database's pages hold several sources each: with SQLite's
        # default 4 KB, a source of 2-3 KB filled a page alone (SciFact's
        # database: 19.7 MB at 4 KB pages, 14.9 MB at 64 KB).
        db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        db.execute(_SOURCES_TABLE)
        db.execute(_WORDS_TABLE)
        db.execute(_META_TABLE)
        db.execute(_RETIRED_TABLE)
    return db


# --- reading ------------------------------------------------------------------


def read_meta(path: Path) -> dict:
    """The `meta` table of the database at `path`, its values decoded; raises
    `sqlite3.DatabaseError` or `ValueError` if the database is damaged."""
    with contextlib.closing(connect(path, readonly=True)) as db:
        rows = dict(db.execute("SELECT key, value FROM meta"))
        db.execute("SELECT path FROM sources LIMIT 1").fetchall()
    return {key: json.loads(value) for key, value in rows.items()}


def known_hashes(generation: Path) -> dict[str, str]:
    """Path -> sha256 of every source in `generation`."""
    with contextlib.closing(connect(generation / SOURCES_DB, readonly=True)) as db:
        return dict(db.execute("SELECT path, sha256 FROM sources"))


#: Characters of text a `SourceTable` keeps of the sources it read last.
_KEPT_CHARS = 4_000_000
#: Sources read in one query (SQLite takes up to 32,766 parameters).
_AT_ONCE = 500


class SourceTable:
    """A generation's sources and spelling words, read-only (for searching)."""

    def __init__(self, generation: Path):
        self._db = connect(Path(generation) / SOURCES_DB, readonly=True)
        self._kept: OrderedDict[str, tuple[SourceInfo, str]] = OrderedDict()  # (see `source`)
        self._kept_chars = 0
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def words(self) -> dict[str, int]:
        """Each word of the corpus and the number of sources it occurs in."""
        return dict(self._db.execute("SELECT word, sources FROM words"))

    def text(self, path: str) -> str | None:
        """The text of the source at `path`, or None if there is none."""
        found = self.source(path)
        return found[1] if found else None

    def source(self, path: str) -> tuple[SourceInfo, str] | None:
        """The attribution and text of the source at `path`, or None if there
        is none."""
        return self.sources_at([path]).get(path)

    def sources_at(self, paths) -> dict[str, tuple[SourceInfo, str]]:
        """The attribution and text of each source at `paths` that the table
        holds.  A search reads its hits' text from here (the Whoosh index
        stores none), all at once; the sources read last are kept, up to
        `_KEPT_CHARS` characters of text."""
        found, wanted = {}, []
        with self._lock:
            for path in dict.fromkeys(paths):
                known = self._kept.get(path)
                if known is None:
                    wanted.append(path)
                else:
                    self._kept.move_to_end(path)
                    found[path] = known
        for first in range(0, len(wanted), _AT_ONCE):
            chunk = wanted[first : first + _AT_ONCE]
            rows = self._db.execute(
                "SELECT path, title, url, publisher, text FROM sources"
                f" WHERE path IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for path, title, url, publisher, text in rows:
                found[path] = SourceInfo(path, title, url, publisher), unpack(text)
        if wanted:
            self._keep({path: found[path] for path in wanted if path in found})
        return found

    def _keep(self, read: dict[str, tuple[SourceInfo, str]]) -> None:
        with self._lock:
            for path, known in read.items():
                if path not in self._kept:
                    self._kept[path] = known
                    self._kept_chars += len(known[1])
            while self._kept_chars > _KEPT_CHARS and len(self._kept) > 1:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._kept_chars -= len(dropped)

    def retired(self, passage_id: str) -> tuple[str, str | None, str | None] | None:
        """`(path, text, now)` of a passage id the index no longer holds
        (`retire`), or None if it never held it."""
        if not self._has_retired:
            return None
        return self._db.execute(
            "SELECT path, text, now FROM retired WHERE passage_id = ?", (passage_id,)
        ).fetchone()

    @property
    def _has_retired(self) -> bool:
        return _has_table(self._db, "main", "retired")

    def sources(self) -> list[Source]:
        """Every source, by path."""
        rows = self._db.execute(
            "SELECT path, title, url, publisher, retrieved, format, encoding, text,"
            " passages, notes, sha256, kinds FROM sources ORDER BY path"
        )
        return [
            Source(
                info=SourceInfo(path, title, url, publisher),
                text=unpack(text),
                sha256=sha,
                format=fmt,
                encoding=encoding,
                retrieved=retrieved,
                passages=passages,
                notes=tuple(json.loads(notes)),
                kinds=json.loads(kinds),
            )
            for path, title, url, publisher, retrieved, fmt, encoding, text, passages, notes, sha,
            kinds in rows
        ]


# --- writing ------------------------------------------------------------------


#: The place of the text among the `sources` columns.
_TEXT = 8


class SourceRows:
    """Sources to add or replace in the sources table of `db` (`add`),
    inserted `ROWS_AT_ONCE` at a time and when flushed (`flush`).  Inserted
    one at a time, between indexing one source and the next, a source took
    17 µs of CPU (the table's 64 KB pages had left the processor's caches),
    in a batch 5 µs: SciFact's 0.088 s, 0.026 s.  The same rows in the
    same order: the same database."""

    def __init__(self, db):
        self.db = db
        self._rows: list[list] = []

    def add(self, row: tuple, words: list[str]) -> None:
        """Add or replace a source (`row`: the `sources` columns in order,
        the text as a string, then a list of its distinct words), and add
        its words to `words`, those to count (`count_words`)."""
        *row, found = row
        words += found
        row[_TEXT] = pack(row[_TEXT])
        self._rows.append(row)
        if len(self._rows) >= ROWS_AT_ONCE:
            self.flush()

    def flush(self) -> None:
        """Insert the sources added since the last flush."""
        rows = self._rows
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT OR REPLACE INTO sources VALUES ({marks})", rows)
            self._rows = []


#: Sources `SourceRows` inserts at a time.
ROWS_AT_ONCE = 256


def count_words(vocabulary: Counter, words: list[str], at_least: int = 0) -> None:
    """Count `words` (sources' words, from `SourceRows.add`) in
    `vocabulary` and empty it, if it holds `at_least` words.  Counted a
    source at a time, between reading one source and the next, the counts'
    table had left the processor's caches each time: SciFact's words took
    0.12-0.13 s of CPU, 0.04-0.05 s in batches of about 100,000."""
    if len(words) >= at_least:
        vocabulary.update(words)
        words.clear()


#: Words `count_words` is given at a time while sources are recorded.
WORDS_AT_ONCE = 100_000


def remove(db, rel: str) -> None:
    db.execute("DELETE FROM sources WHERE path = ?", (rel,))


def text_of(db, rel: str) -> str | None:
    """The text recorded for `rel`, or None if there is none."""
    row = db.execute("SELECT text FROM sources WHERE path = ?", (rel,)).fetchone()
    return unpack(row[0]) if row else None


def title_and_text(db, rel: str) -> tuple[str, str] | None:
    """The title and text recorded for `rel`, or None if there are none."""
    row = db.execute("SELECT title, text FROM sources WHERE path = ?", (rel,)).fetchone()
    return (row[0], unpack(row[1])) if row else None


def update_vocabulary(db, change: Counter) -> None:
    """Add `change` (word -> change in the number of sources) to `words`."""
    db.executemany(
        "INSERT INTO words VALUES (?, ?)"
        " ON CONFLICT(word) DO UPDATE SET sources = sources + excluded.sources",
        ((word, n) for word, n in change.items() if n),
    )
    db.execute("DELETE FROM words WHERE sources <= 0")


def write_meta(db, meta: dict) -> None:
    db.execute("DELETE FROM meta")
    db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])


def totals(db) -> tuple[int, int]:
    """(number of sources, number of passages)."""
    return db.execute("SELECT COUNT(*), COALESCE(SUM(passages), 0) FROM sources").fetchone()


def retire(db, rows) -> None:
    """Record passage ids the index no longer holds: `(passage_id, path,
    text, now)` rows (see the `retired` table)."""
    db.executemany("INSERT OR REPLACE INTO retired VALUES (?, ?, ?, ?)", rows)


def unretire(db, passage_ids) -> None:
    """Forget that these ids were retired: the index holds them again."""
    db.executemany("DELETE FROM retired WHERE passage_id = ?", ((i,) for i in passage_ids))


def retired_ids(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT passage_id FROM retired")]


def carry_retired(db, older: Path) -> None:
    """Copy the retired ids of the database at `older` (a previous
    generation's, maybe from an older groundsearch) into `db`."""
    db.commit()
    db.execute("ATTACH DATABASE ? AS older", (str(older),))
    try:
        if _has_table(db, "older", "retired"):
            db.execute("INSERT OR IGNORE INTO retired SELECT * FROM older.retired")
        db.commit()
    finally:
        db.execute("DETACH DATABASE older")


def _has_table(db, schema: str, name: str) -> bool:
    query = f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?"
    return db.execute(query, (name,)).fetchone() is not None


def take_in(db, part: Path) -> None:
    """Copy every source of the database at `part` (a helper's) into `db`."""
    db.commit()  # (a database can only be attached between transactions)
    db.execute("ATTACH DATABASE ? AS part", (str(part),))
    db.execute("INSERT OR REPLACE INTO sources SELECT * FROM part.sources")
    db.commit()
    db.execute("DETACH DATABASE part")
