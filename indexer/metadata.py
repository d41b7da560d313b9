"""The optional per-corpus files: `sources.toml` (who published each document)
and `synonyms.toml` (terms that mean the same thing)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from .errors import MetadataError

METADATA_FILE = "sources.toml"
SYNONYMS_FILE = "synonyms.toml"
_FIELDS = ("title", "url", "publisher", "retrieved")


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What the metadata file says of one document; None where it is silent."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    retrieved: str | None = None


#: Largest `sources.toml` or synonym map read (`/dev/zero` never ends).
MAX_TOML_BYTES = 32 * 1024 * 1024


def _read_toml(path: Path) -> dict:
    import tomllib  # (only when a metadata or synonyms file is read: a search reads none)

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TOML_BYTES + 1)
        if len(data) > MAX_TOML_BYTES:
            raise MetadataError(f"{path} is larger than {MAX_TOML_BYTES // (1024 * 1024)} MB")
        return tomllib.loads(data.decode("utf-8"))
    except OSError as exc:
        raise MetadataError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(f"{path} is not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise MetadataError(
            f"{path} is not valid TOML: arrays or tables nested too deeply"
        ) from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8; tomllib decodes before parsing
        raise MetadataError(
            f"{path} is not valid TOML: not UTF-8 text (byte {exc.start + 1})"
        ) from None


def load_metadata(path: Path) -> dict[str, SourceMeta]:
    """Read a `sources.toml`: a `[sources."relative/path.txt"]` table per document."""
    data = _read_toml(path)
    unknown = set(data) - {"sources"}
    if unknown:  # e.g. `["a.txt"]` for `[sources."a.txt"]`: its metadata would be lost
        raise MetadataError(
            f"{path}: unknown keys {sorted(unknown)}; each document is a [sources.\"PATH\"] table"
        )
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise MetadataError(f"{path}: [sources] must be a table of documents")
    found = {}
    for name, entry in sources.items():
        if not isinstance(entry, dict):
            raise MetadataError(f"{path}: sources.{name!r} must be a table")
        unknown = set(entry) - set(_FIELDS)
        if unknown:
            raise MetadataError(f"{path}: sources.{name!r} has unknown keys {sorted(unknown)}")
        values = {k: _text(path, name, k, entry[k]) for k in _FIELDS if k in entry}
        found[name.replace("\\", "/")] = SourceMeta(**values)
    return found


def _text(path: Path, name: str, key: str, value) -> str | None:
    """A field's value as text: a string, or a TOML date for `retrieved`.
    Anything else is a mistake the user should hear of, not a title "42"."""
    if key == "retrieved" and isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        kind = "a string or a date" if key == "retrieved" else "a string"
        raise MetadataError(f"{path}: sources.{name!r}.{key} must be {kind}, not {value!r}")
    return value.strip() or None


def load_synonyms(path: Path) -> list[list[str]]:
    """Read a `synonyms.toml`: `groups = [["baclofen", "Lioresal"], ...]`."""
    data = _read_toml(path)
    groups = data.get("groups", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(t, str) and t.strip() for t in g)
        for g in groups
    ):
        raise MetadataError(f"{path}: `groups` must be a list of lists of two or more terms")
    return [[t.strip() for t in group] for group in groups]
