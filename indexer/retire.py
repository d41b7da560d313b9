"""Keeping old passage ids answerable: after a run, the passages of the
previous generation that the new one no longer holds are recorded in the
new generation's `retired` table, so that `show` can say that a cited
passage changed or is gone, and name the passage now nearest to it."""

from __future__ import annotations

import functools
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from .ids import normalised, text_hash
from .storage import sources, trust
from .storage.schema import stored_passage
from .storage.store import open_generation, rebuild_hint


def retire(old: Path, new: Path, paths: list[str] | None, *, unsealed_if_own: bool = False) -> int:
    """Record in `new` the passages of `old` (the generation before it) that
    `new` no longer holds: those of the documents at `paths` (updated or
    removed), or of every document when `paths` is None (a run that read
    everything afresh).  The number recorded.  `old` is read only once
    verified (`trust.storage_of`, which reads a generation from before
    indexes were sealed `unsealed_if_own`)."""
    hint = rebuild_hint(old.parent)
    previous = trust.storage_of(old, hint, unsealed_if_own=unsealed_if_own)
    with _searcher(previous) as before, _searcher(new) as after:
        db = sources.connect(new / sources.SOURCES_DB)
        old_texts = sources.SourceTable(old)
        new_text = functools.lru_cache(maxsize=64)(lambda path: sources.text_of(db, path) or "")
        try:
            if paths is None:
                sources.carry_retired(db, old / sources.SOURCES_DB)
                live = _ids(after)
                gone = _ids(before) - live
                sources.unretire(db, set(sources.retired_ids(db)) & live)
                # One pass over each index's stored fields, not a lookup per
                # id: after an upgrade every id is gone (17,633 on SciFact).
                fields = [
                    _with_body(f, old_texts)
                    for f in map(stored_passage, before.all_stored_fields())
                    if f["passage_id"] in gone
                ]
                now = {_now_id(f) for f in fields} & live
                texts = {
                    f["passage_id"]: _body(f, new_text)
                    for f in (map(stored_passage, after.all_stored_fields()) if now else ())
                    if f["passage_id"] in now
                }
            else:
                fields = [stored_passage(f) for path in paths for f in before.documents(path=path)]
                found = [stored_passage(f) for path in paths for f in after.documents(path=path)]
                live = {f["passage_id"] for f in found}
                sources.unretire(db, live)
                fields = [_with_body(f, old_texts) for f in fields if f["passage_id"] not in live]
                texts = {f["passage_id"]: _body(f, new_text) for f in found}
            rows = [_row(f, texts) for f in fields]
            sources.retire(db, rows)
            db.commit()
        finally:
            old_texts.close()
            db.close()
    return len(rows)


def _with_body(fields: dict, texts: sources.SourceTable) -> dict:
    """An old passage's stored fields with its text as `body` (an index
    from before schema 8 stored it; since, it is read from the sources
    table)."""
    if "body" in fields:
        return fields
    text = texts.text(fields["path"]) or ""
    return {**fields, "body": text[fields["start"] : fields["end"]]}


def _body(fields: dict, text_of) -> str:
    """A new passage's text: its source's (`text_of` its path) at its offsets."""
    return text_of(fields["path"])[fields["start"] : fields["end"]]


def _now_id(fields: dict) -> str:
    """The id an old passage's text would have today (the first such passage
    of its document)."""
    return f"{fields['path']}#{text_hash(fields['body'])}"


def _row(fields: dict, texts: dict[str, str]) -> tuple[str, str, str | None, str | None]:
    """The `retired` row of an old passage: its text, or the id the same text
    has now (an id from an older groundsearch, which numbered passages).
    `texts`: the new index's text of each id that may be that one."""
    path, text = fields["path"], fields["body"]
    now = _now_id(fields)
    if now in texts and normalised(texts[now]) == normalised(text):
        return fields["passage_id"], path, None, now
    return fields["passage_id"], path, text, None


def _ids(searcher) -> set[str]:
    """Every passage id in the index."""
    return {stored_passage(fields)["passage_id"] for fields in searcher.all_stored_fields()}


def _searcher(generation: Path | FileStorage):
    if not isinstance(generation, FileStorage):  # (the new generation, not sealed yet)
        generation = FileStorage(str(generation), readonly=True, supports_mmap=False)
    return open_generation(generation).searcher()
