"""Keeping old passage ids answerable: after a run, the passages of the
previous generation that the new one no longer holds are recorded in the
new generation's `retired` table, so that `show` can say that a cited
passage changed or is gone, and name the passage now nearest to it."""

from __future__ import annotations

from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from .ids import normalised, text_hash
from .storage import sources, trust
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
        try:
            if paths is None:
                sources.carry_retired(db, old / sources.SOURCES_DB)
                live = _ids(after)
                gone = _ids(before) - live
                sources.unretire(db, set(sources.retired_ids(db)) & live)
                # One pass over each index's stored fields, not a lookup per
                # id: after an upgrade every id is gone (17,633 on SciFact).
                fields = [f for f in before.all_stored_fields() if f["passage_id"] in gone]
                now = {_now_id(f) for f in fields} & live
                texts = {
                    f["passage_id"]: f["body"]
                    for f in (after.all_stored_fields() if now else ())
                    if f["passage_id"] in now
                }
            else:
                fields = [f for path in paths for f in before.documents(path=path)]
                found = [f for path in paths for f in after.documents(path=path)]
                live = {f["passage_id"] for f in found}
                sources.unretire(db, live)
                fields = [f for f in fields if f["passage_id"] not in live]
                texts = {f["passage_id"]: f["body"] for f in found}
            rows = [_row(f, texts) for f in fields]
            sources.retire(db, rows)
            db.commit()
        finally:
            db.close()
    return len(rows)


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
    """Every passage id in the index (deleted passages' ones may be among them)."""
    reader = searcher.reader()
    return {
        term.decode("utf-8") if isinstance(term, bytes) else term
        for term in reader.lexicon("passage_id")
    }


def _searcher(generation: Path | FileStorage):
    if not isinstance(generation, FileStorage):  # (the new generation, not sealed yet)
        generation = FileStorage(str(generation), readonly=True, supports_mmap=False)
    return open_generation(generation).searcher()
