"""Passages as a search shows them: their stored fields in the Whoosh index,
their text and their source's attribution from the sources table.

The Whoosh index stores no text (`indexer.storage.schema.make_schema`): a
passage's text is its source's text at its offsets, `source_text[start:end]`,
which is what its quote is checked against anyway.  It is read only for the
passages shown (and the few that feedback and prefixes look into).
"""

from __future__ import annotations

from indexer import Passage, SourceInfo, SourceTable, stored_passage, title_text


class Texts:
    """A passage's text and attribution, by its document number in
    `searcher` (or a reader) or by its stored fields."""

    def __init__(self, searcher, table: SourceTable):
        self._searcher = searcher
        self._table = table

    def passage(self, fields: dict) -> tuple[Passage, SourceInfo]:
        """The passage whose stored fields are `fields`, and its source."""
        return self.passages([fields])[0]

    def passages(self, stored: list[dict]) -> list[tuple[Passage, SourceInfo]]:
        """The passages whose stored fields are `stored`, each with its
        source (their sources read at once).  Raises `LookupError` if the
        sources table lacks one's source (a damaged index: searches report
        it so)."""
        stored = [stored_passage(fields) for fields in stored]
        sources = self._table.sources_at(fields["path"] for fields in stored)
        return [_passage(fields, sources) for fields in stored]

    def of(self, docs: list[int]) -> list[tuple[Passage, SourceInfo]]:
        """The passages numbered `docs`, each with its source."""
        stored = self._searcher.stored_fields
        return self.passages([stored(doc) for doc in docs])

    def fields_text(self, doc: int) -> tuple[str, str]:
        """What the passage numbered `doc` indexed: its title field (its
        source's title and its section) and its body."""
        ((passage, source),) = self.of([doc])
        return title_text(source.title, passage.section), passage.text


def _passage(fields: dict, sources: dict) -> tuple[Passage, SourceInfo]:
    path = fields["path"]
    found = sources.get(path)
    if found is None:
        raise LookupError(f"no source {path!r} in the sources table")
    source, text = found
    start, end = fields["start"], fields["end"]
    passage = Passage(
        passage_id=fields["passage_id"],
        path=path,
        start=start,
        end=end,
        line=fields["line"],
        text=text[start:end],
        kind=fields["kind"],
        section=fields.get("section"),
        author=fields.get("author"),
        date=fields.get("date"),
        sentences=tuple(tuple(span) for span in fields.get("sentences", ())),
    )
    return passage, source
