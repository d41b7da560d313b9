"""A sharded index's folder: its shards, and the manifest naming the
generation of each shard that readers use.

    INDEX/
      MANIFEST                     JSON: each shard's generation, the settings
      .lock                        held by the one indexing run allowed at a time
      statistics-00000003/         the corpus statistics of every shard, summed
      shard-000/ shard-001/ ...    each a complete index (`store.py`)

A run makes a new generation in each shard that changed, without
publishing it, sums the shards' statistics, and only then replaces MANIFEST
(an atomic rename).  Then each shard's CURRENT is pointed at the
generation the manifest names, and the generations and statistics that
neither this manifest nor the one before it name are removed.  Readers open
what MANIFEST names: the old index or the new one, never a mix.  A run
killed between MANIFEST and the pointers leaves them behind; the next run
sets them first (`repoint`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndexCorrupt, IndexMissing, IndexOutdated
from . import trust
from .schema import SCHEMA_VERSION, STEMMER
from .statistics import STATISTICS_DB, Statistics
from .store import IndexStore, _fsync_dir, _fsync_tree, replace_file

MANIFEST = "MANIFEST"
FORMAT = 1
_STATISTICS = "statistics-"
_SHARD = "shard-"


def shard_of(rel: str, shards: int) -> int:
    """The shard of the document at `rel` (relative path): a stable hash of
    the path, the same in every run and process, so a document stays in
    its shard and updates stay incremental."""
    digest = hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def update_hint(root: Path, corpus: str | None) -> str:
    """The command that updates the sharded index at `root` (which rebuilds
    what is missing or damaged in it)."""
    folder = shlex.quote(corpus) if corpus and Path(corpus).is_dir() else "CORPUS_FOLDER"
    return f"run `groundsearch index {folder} --index {shlex.quote(str(root))}`"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a sharded index's readers open."""

    version: int
    """Counts the runs that published; names the statistics file."""
    generations: tuple[str, ...]
    """The generation of each shard, in shard order."""
    meta: dict
    """As a generation's metadata: schema version, settings, corpus, synonyms..."""

    @property
    def shards(self) -> int:
        return len(self.generations)

    @property
    def statistics(self) -> str:
        """The folder of its statistics (sealed as a generation is)."""
        return f"{_STATISTICS}{self.version:08d}"

    @property
    def name(self) -> str:
        """What provenance calls this version of the index."""
        return f"manifest-{self.version:08d}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "version": self.version,
                "shards": list(self.generations),
                "meta": self.meta,
            },
            indent=1,
        )


class ShardedStore:
    """One sharded index folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def exists(self) -> bool:
        return (self.root / MANIFEST).is_file()

    def shard(self, number: int) -> IndexStore:
        return IndexStore(self.root / f"{_SHARD}{number:03d}")

    def statistics(self, manifest: Manifest) -> Path:
        """The statistics file of `manifest`."""
        return self.root / manifest.statistics / STATISTICS_DB

    def open_statistics(self, manifest: Manifest, hint: str) -> Statistics:
        """The statistics of `manifest`, once their seal is checked (`trust.py`)."""
        return open_statistics(self.root, manifest.statistics, hint)

    def manifest(self) -> Manifest:
        """The manifest readers use; raises if there is none or it is not ours."""
        path = self.root / MANIFEST
        if not path.is_file():
            raise IndexMissing(
                f"no index at {self.root}; build one with "
                f"`groundsearch index CORPUS_FOLDER --index {self.root} --shards N`"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = Manifest(
                int(data["version"]), tuple(str(g) for g in data["shards"]), dict(data["meta"])
            )
            known = data["format"] == FORMAT and manifest.generations
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(
                f"{path} is damaged ({exc}); run `groundsearch index CORPUS_FOLDER "
                f"--index {self.root} --shards N --rebuild`"
            ) from None
        if not known:
            raise IndexCorrupt(f"{path} is not a manifest this groundsearch reads")
        version = manifest.meta.get("schema_version")
        if version != SCHEMA_VERSION or manifest.meta.get("stemmer") != STEMMER:
            built = f"schema version {version}, stemmer {manifest.meta.get('stemmer')}"
            older = isinstance(version, int) and version < SCHEMA_VERSION
            raise (IndexOutdated if older else IndexCorrupt)(
                f"the index at {self.root} was built by another groundsearch ({built}; this "
                f"one reads version {SCHEMA_VERSION}); run `groundsearch index "
                f"{manifest.meta.get('corpus') or 'CORPUS_FOLDER'} --index {self.root} "
                f"--shards {manifest.shards} --rebuild`"
            )
        return manifest

    def foreign_files(self) -> list[str]:
        """Names in the folder that a sharded index does not put there."""
        ours = {MANIFEST, f"{MANIFEST}.tmp", ".lock"}
        return sorted(
            p.name for p in self.root.iterdir()
            if p.name not in ours and not p.name.startswith((_STATISTICS, _SHARD))
        )

    @contextlib.contextmanager
    def lock(self, wait: float = 0.0):
        """Hold the sharded index's write lock (its own; each shard has one too)."""
        with IndexStore(self.root).lock(wait):
            yield

    # --- publishing ---------------------------------------------------------

    def publish(self, manifest: Manifest, previous: Manifest | None) -> None:
        """Make `manifest` the one readers use, atomically; then point each
        shard at its generation and remove what neither it nor `previous`
        names (a search may still be reading that)."""
        for number, name in enumerate(manifest.generations):
            _fsync_tree(self.shard(number).root / name)
        _fsync_tree(self.root / manifest.statistics)
        replace_file(self.root / MANIFEST, manifest.to_json() + "\n")
        _fsync_dir(self.root)
        self.repoint(manifest)
        self._clean(manifest, previous)

    def repoint(self, manifest: Manifest) -> None:
        """Point every shard's CURRENT at the generation `manifest` names."""
        for number, name in enumerate(manifest.generations):
            shard = self.shard(number)
            if (shard.root / name).is_dir() and _pointer(shard) != name:
                shard.point_to(name)

    def _clean(self, manifest: Manifest, previous: Manifest | None) -> None:
        kept = [manifest] + ([previous] if previous is not None else [])
        for path in self.root.glob(f"{_STATISTICS}*"):
            if path.name not in {m.statistics for m in kept}:
                shutil.rmtree(path, ignore_errors=True)
        for shard_root in self.root.glob(f"{_SHARD}*"):
            number = _shard_number(shard_root.name)
            names = {
                m.generations[number] for m in kept if number is not None and number < m.shards
            }
            if not names:  # a shard of an earlier shard count
                shutil.rmtree(shard_root, ignore_errors=True)
                continue
            for generation in shard_root.glob("gen-*"):
                if generation.name not in names:
                    shutil.rmtree(generation, ignore_errors=True)


def _pointer(store: IndexStore) -> str | None:
    try:
        return store.current().name
    except (IndexMissing, IndexCorrupt):
        return None


def _shard_number(name: str) -> int | None:
    digits = name[len(_SHARD) :]
    return int(digits) if digits.isdigit() else None


def open_statistics(root: Path, folder: str, hint: str) -> Statistics:
    """The statistics in `root / folder`, once their seal is checked."""
    try:
        trust.verify(Path(root), Path(root) / folder, hint)
    except OSError as exc:
        detail = exc.strerror or exc
        raise IndexCorrupt(f"cannot read {Path(root) / folder} ({detail}); {hint}") from None
    return Statistics(Path(root) / folder / STATISTICS_DB)


def seal_statistics(root: Path, manifest: Manifest) -> None:
    trust.seal(Path(root), Path(root) / manifest.statistics)


def statistics_of(generation: Path) -> Path:
    """A shard generation's own statistics file."""
    return Path(generation) / STATISTICS_DB
