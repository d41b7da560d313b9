"""Indexing one document: read its file, split it into passages, add them to
the index writer, and make its row for the sources table."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import string
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .errors import GroundsearchError, UnreadableDocument
from .metadata import SourceMeta
from .model import Passage
from .reading.loaders import loader_for
from .reading.passages import split_passages
from .storage import sources
from .storage.schema import (
    TERM_COUNT,
    pack_place,
    source_tokens,
    stored_passage,
    title_text,
)


def index_one(
    writer, rel, folder, known, source_meta, settings, max_bytes, report, delete_old=True
) -> tuple | None:
    """Read, split and add the file `rel` of the corpus `folder`; its row for
    the sources table, or None if it was skipped or is unchanged.  A changed
    file's old version is deleted unless `delete_old` is false (a helper
    leaves that to the main process: it must not touch the existing
    segments)."""
    try:
        # (The caller's path object as it is: a new one per file made its
        # string again for every `os.open`.)
        data = read_document(folder if isinstance(folder, Path) else Path(folder), rel, max_bytes)
    except OSError as exc:
        report.skipped.append({"path": rel, "reason": f"cannot read: {exc.strerror or exc}"})
        return None
    except UnreadableDocument as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return None
    sha = _fingerprint(data, source_meta)
    if known.get(rel) == sha:
        report.unchanged.append(rel)
        return None
    try:
        extracted = loader_for(_suffix(rel)).load(data)
        passages = split_passages(extracted, rel, settings.max_chars)
    except GroundsearchError as exc:
        report.skipped.append({"path": rel, "reason": str(exc)})
        return None
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop the run
        report.skipped.append({"path": rel, "reason": f"cannot parse: {type(exc).__name__}: {exc}"})
        return None
    source_meta = source_meta or SourceMeta()
    title = source_meta.title or extracted.title or Path(rel).stem
    url = source_meta.url or extracted.url
    publisher = source_meta.publisher or extracted.publisher
    notes = list(extracted.notes)
    if not passages:
        notes.append("no text to index")
    for note in notes:
        report.notes.append({"path": rel, "note": note})
    if rel in known:
        if delete_old:
            writer.delete_by_term("path", rel)
        report.updated.append(rel)
    else:
        report.added.append(rel)
    tokens = source_tokens(rel, publisher, url)
    titles: dict[str | None, str] = {}  # (see `_fields`)
    writer.add_documents([
        _fields(passage, number, title, tokens, titles)
        for number, passage in enumerate(passages, 1)
    ])
    return (
        rel, sha, title, url, publisher,
        source_meta.retrieved or extracted.retrieved,
        extracted.format, extracted.encoding, extracted.text, len(passages),
        json.dumps(notes) if notes else "[]",
        _kind_counts(passages),
        _source_words(title, [p.section for p in passages], [p.text for p in passages]),
    )


def _kind_counts(passages: list[Passage]) -> str:
    """How many of `passages` are of each kind, as JSON (`{"content": 3}`,
    in the order the kinds first come)."""
    return _counts_json(tuple(Counter(p.kind for p in passages).items()))


# Most sources' counts are another's too: each is written once (`json.dumps`
# took longer to set up than to write one).
@lru_cache(maxsize=4096)
def _counts_json(counts: tuple) -> str:
    return json.dumps(dict(counts))


def _suffix(rel: str) -> str:
    """`Path(rel).suffix` of a document's path, without making a path."""
    name = rel.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def read_document(folder: Path, rel: str, max_bytes: int) -> bytes:
    """The bytes of the document `rel` of the corpus `folder` (resolved).

    Read where it is now, not where the scan saw it: each folder on the way
    is opened without following a link, and so is the file, from a file
    descriptor on the corpus folder.  A file swapped for a link (to
    /etc/passwd) after the scan is not followed; a link the scan accepted
    (to a file inside the corpus) is read at its target, opened the same
    way.  Only a regular file is opened (a named pipe would block the run
    forever, a device has side effects), and the opened file is checked to
    be one.  Raises `UnreadableDocument` or `OSError`."""
    try:
        fd = _open_inside(folder, rel)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):  # (a folder that is a link: ENOTDIR)
            raise
        real = os.path.realpath(folder / rel)  # a link, followed only to a file inside
        if not real.startswith(str(folder) + os.sep):
            raise UnreadableDocument("links outside the corpus folder") from None
        fd = _open_inside(folder, os.path.relpath(real, folder))  # (ELOOP again: raced)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableDocument("not a regular file")
        too_big = f"larger than {max_bytes // (1024 * 1024)} MB"
        if info.st_size > max_bytes:
            raise UnreadableDocument(f"{too_big} ({info.st_size:,} bytes)")
        # Read as much as fstat() gave: a read of `max_bytes` first makes a
        # buffer of that size, which cost more than reading a small file.
        data = _read(fd, info.st_size + 1)
        if len(data) > info.st_size:  # it has grown since fstat()
            data += _read(fd, max_bytes + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise UnreadableDocument(too_big)
    return data


def _read(fd: int, size: int) -> bytes:
    """Up to `size` bytes from `fd`, fewer only at the end of the file.
    (`os.read` itself: a file object around the descriptor cost more than
    the read of a small file.)"""
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_READ_CHUNK = 1 << 20
_NO_LINK = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _open_inside(folder: Path, rel: str) -> int:
    """A read-only descriptor of `folder/rel`, opened one name at a time
    from `folder` without following links (ELOOP for a link).  Anything but
    a regular file is refused before it is opened (after, the caller's
    fstat catches a swap; O_NONBLOCK keeps a pipe from blocking)."""
    *folders, name = rel.split("/")
    at = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in folders:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NO_LINK, dir_fd=at)
            os.close(at)
            at = inner
        mode = os.stat(name, dir_fd=at, follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), rel)
        if not stat.S_ISREG(mode):
            raise UnreadableDocument("not a regular file")
        return os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | _NO_LINK, dir_fd=at)
    finally:
        os.close(at)


def _fingerprint(data: bytes, meta: SourceMeta | None) -> str:
    digest = hashlib.sha256(data)
    digest.update(_NO_META if meta is None else json.dumps([meta and meta.__repr__()]).encode())
    return digest.hexdigest()


_NO_META = json.dumps([None]).encode()


_WORD = re.compile(r"[^\W\d_]{2,}")
#: Lower-case ASCII text's characters other than letters, made spaces: its
#: words are then what `split` gives (faster than a regex finding them).
_NOT_LETTER = str.maketrans({chr(n): " " for n in range(128) if not "a" <= chr(n) <= "z"})
#: UTF-8 text's ASCII capitals made lower-case and its other ASCII bytes
#: but letters spaces; the bytes of other characters kept.
_ASCII_LETTERS = bytes(
    n if n >= 128 or 97 <= n <= 122 else n + 32 if 65 <= n <= 90 else 32 for n in range(256)
)


def recorded_words(db, before, rel: str) -> list[str]:
    """The words `index_one` counted in the spelling vocabulary for the
    version of `rel` that the index holds, read back from its title and
    text in the sources table `db` and its passages' places in `before` (a
    searcher on the index as it was before this run's deletions).  (Kept in
    the sources table, they took a sixth of SciFact's index.)"""
    found = sources.title_and_text(db, rel)
    if found is None:
        return []
    title, text = found
    stored = [stored_passage(f) for f in before.documents(path=rel)] if before is not None else []
    return _source_words(
        title, [f.get("section") for f in stored], [text[f["start"] : f["end"]] for f in stored]
    )


def _source_words(title: str, sections: list[str | None], texts: list[str]) -> list[str]:
    """The distinct words (lower-case, two letters or more) of a source's
    title, headings (`sections`, its passages') and passages (`texts`): the
    spelling vocabulary counts in how many sources each word occurs."""
    texts = [title, *dict.fromkeys(s for s in sections if s), *texts]
    # Composed first: "Sjo\u0308gren", saved decomposed, is one word.
    text = unicodedata.normalize("NFC", "\n".join(texts))
    if text.isascii():  # (lower-casing first changes no word's letters)
        words = dict.fromkeys(text.lower().translate(_NOT_LETTER).split())
    else:
        # Cut at ASCII's other characters and at white space first (in
        # UTF-8, as bytes: `str.translate` has no fast path for other
        # text): a piece of ASCII letters is a word; `_WORD` reads the
        # words of the few pieces with other characters.
        found = []
        data = text.encode("utf-8", "surrogatepass").translate(_ASCII_LETTERS)
        for piece in data.decode("utf-8", "surrogatepass").split():
            if piece.isascii():
                found.append(piece)
            else:
                found += map(str.lower, _WORD.findall(piece))
        words = dict.fromkeys(found)
    for letter in string.ascii_lowercase:  # (a word is two letters or more)
        words.pop(letter, None)
    return list(words)


def _fields(passage: Passage, number: int, title: str, tokens: str, titles: dict) -> dict:
    """A passage's fields; `number` is its place in its source, from 1.
    `titles` keeps each section's title field for the source's next
    passages: one string, analysed once.  The writer counts the title's and
    the text's terms (`title_terms`, `body_terms`: `TERM_COUNT`) as it
    analyses them."""
    title_field = titles.get(passage.section)
    if title_field is None:
        title_field = titles[passage.section] = title_text(title, passage.section)
    fields = {
        "path": passage.path,
        "source": tokens,
        "kind": passage.kind,
        "author": passage.author,
        "date": passage.date,
        "title": title_field,
        "body": passage.text,
        "passage_number": number,
        "title_terms": TERM_COUNT,
        "body_terms": TERM_COUNT,
        "place": pack_place(
            passage.passage_id, passage.kind, passage.author, passage.date, passage.section,
            passage.start, passage.end, passage.line, passage.sentences,
        ),
    }
    return {name: value for name, value in fields.items() if value is not None}
