"""Where the embedded corpus and the default index live."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the index folder (same as `--index`).
INDEX_ENV = "GROUNDSEARCH_INDEX"


def embedded_corpus() -> Path:
    """The seed documents installed with groundsearch (`corpus/`)."""
    return Path(__file__).resolve().parent.parent / "corpus"


def templates_dir() -> Path:
    """The Jinja templates installed with groundsearch (`templates/`)."""
    return Path(__file__).resolve().parent.parent / "templates"


def default_index() -> Path:
    """The index used when neither `--index` nor $GROUNDSEARCH_INDEX names one."""
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "groundsearch" / "index"
