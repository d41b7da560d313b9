"""Where a report came from: which groundsearch made it, from which index
(and which generation of it), built from which folder, and when.  Every
JSON and HTML output carries it, so that a filed report can be re-checked
(`groundsearch check`) long after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from indexer import IndexStore, ShardedStore


@dataclass(frozen=True, slots=True)
class Provenance:
    """The origin of one output."""

    groundsearch: str
    """The version of groundsearch that made it."""
    index: str
    """The index folder, absolute."""
    generation: str | None
    """The generation of the index read ("gen-00000003"): each indexing run
    that changes something makes a new one."""
    corpus: str | None
    """The folder the index was built from, absolute."""
    created: str
    """When the output was made: ISO 8601, UTC, to the second."""

    @classmethod
    def of(cls, index: Path, generation: Path | None, meta: dict) -> Provenance:
        """The provenance of an output made now from `generation` of the
        index at `index` (`meta`: the generation's metadata)."""
        return cls(
            groundsearch=version(),
            index=str(Path(index).absolute()),
            generation=generation.name if generation is not None else None,
            corpus=meta.get("corpus"),
            created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        )

    @classmethod
    def at(cls, index: Path) -> Provenance:
        """The provenance of an output made now from the index at `index`
        as it is (its current generation)."""
        sharded = ShardedStore(Path(index))
        if sharded.exists():
            manifest = sharded.manifest()
            return cls.of(sharded.root, Path(manifest.name), manifest.meta)
        store = IndexStore(Path(index))
        generation = store.current()
        return cls.of(store.root, generation, store.read_meta(generation))

    def to_dict(self) -> dict:
        return {
            "groundsearch": self.groundsearch,
            "index": self.index,
            "generation": self.generation,
            "corpus": self.corpus,
            "created": self.created,
        }


def version() -> str:
    """This groundsearch's version ("dev" when it is not installed)."""
    from importlib import metadata  # (only when a provenance is made)

    try:
        return metadata.version("groundsearch")
    except metadata.PackageNotFoundError:
        return "dev"
