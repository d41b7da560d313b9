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
                gone = _ids(before) - _ids(after)
                sources.unretire(db, set(sources.retired_ids(db)) & _ids(after))
                fields = [f for i in sorted(gone) for f in before.documents(passage_id=i)]
            else:
                fields = [f for path in paths for f in before.documents(path=path)]
                live = {f["passage_id"] for path in paths for f in after.documents(path=path)}
                sources.unretire(db, live)
                fields = [f for f in fields if f["passage_id"] not in live]
            rows = [_row(f, after) for f in fields]
            sources.retire(db, rows)
            db.commit()
        finally:
            db.close()
    return len(rows)


def _row(fields: dict, after) -> tuple[str, str, str | None, str | None]:
    """The `retired` row of an old passage: its text, or the id the same text
    has now (an id from an older groundsearch, which numbered passages)."""
    path, text = fields["path"], fields["body"]
    now = f"{path}#{text_hash(text)}"
    found = after.document(passage_id=now)
    if found is not None and normalised(found["body"]) == normalised(text):
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
