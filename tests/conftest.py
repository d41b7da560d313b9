"""Shared fixtures: a real index of the seed corpus, and small corpora made in tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import IndexStore, index_folder
from indexer.storage import trust
from search import Index
from search.present.cli import cli
from search.retrieval.default import embedded_corpus

SEEDS = embedded_corpus()


@pytest.fixture(scope="session", autouse=True)
def _isolated_key(tmp_path_factory):
    """Never touch the user's index key: the session's indexes, and those
    of the processes it starts, are sealed with a key of its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the five seed documents, built once per test session."""
    location = tmp_path_factory.mktemp("seed-index") / "index"
    index_folder(SEEDS, location)
    return location


@pytest.fixture
def seeds(seed_index):
    with Index(seed_index) as ix:
        yield ix


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the user's default index or environment."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GROUNDSEARCH_INDEX", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create `folder` holding `files` (name -> text or bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def make_index(folder: Path, files: dict[str, str | bytes]) -> Index:
    """An open index of a corpus of `files`, both made under `folder`."""
    corpus = write_corpus(folder / "corpus", files)
    index_folder(corpus, folder / "ix")
    return Index(folder / "ix")


def indexed_with_cli(folder: Path, files: dict[str, str | bytes]) -> Path:
    """The index folder of `files`, written under `folder` and indexed by
    `groundsearch index`."""
    docs = write_corpus(folder / "docs", files)
    index = folder / "ix"
    assert CliRunner().invoke(cli, ["index", str(docs), "--index", str(index)]).exit_code == 0
    return index


def reseal(index_dir: Path) -> None:
    """Seal the current generation again after a test edited it on purpose
    (as the groundsearch that wrote it would have sealed it): see
    `indexer.storage.trust`."""
    generation = IndexStore(index_dir).current()
    (generation / trust.MANIFEST).unlink()
    trust.seal(Path(index_dir), generation)
