"""Indexes made by older groundsearch releases.

`fixtures/index-d1be011.tar.gz` holds an index made by commit d1be011
(before the modules moved into `indexer.storage`, so its Whoosh table of
contents names `indexer.schema.BodyAnalyzer`) of its two-file corpus:

    git worktree add --detach /tmp/gs-old d1be011
    PYTHONPATH=/tmp/gs-old python -m search.cli index corpus --index ix

`fixtures/index-0c98b08.tar.gz` holds one of the same corpus made by commit
0c98b08 (schema version 7: passage text stored in the Whoosh segment as well
as in the sources table, both uncompressed), and `report.json`, what that
index answered to `search melatonin --json`:

    PYTHONPATH=/tmp/gs-0c98b08 python -m search index corpus --index ix
    PYTHONPATH=/tmp/gs-0c98b08 python -m search search melatonin --index ix --json > report.json
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.storage.schema import SCHEMA_VERSION
from search.present.cli import cli

from .conftest import reseal

FIXTURE = Path(__file__).parent / "fixtures" / "index-d1be011.tar.gz"
FIXTURE_7 = Path(__file__).parent / "fixtures" / "index-0c98b08.tar.gz"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def unpack(fixture: Path, folder: Path) -> tuple[Path, Path]:
    """An old index and its corpus, unpacked into `folder`; the index
    records the corpus folder it was built from, here the unpacked one."""
    with tarfile.open(fixture) as archive:
        archive.extractall(folder, filter="data")
    index, corpus = folder / "ix", folder / "corpus"
    generation = index / (index / "CURRENT").read_text().strip()
    with sqlite3.connect(generation / "sources.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'corpus'", (json.dumps(str(corpus)),))
    return index, corpus


@pytest.fixture
def old_index(tmp_path) -> tuple[Path, Path]:
    return unpack(FIXTURE, tmp_path)


def assert_search_names_the_rebuild(index: Path, corpus: Path, version: int) -> None:
    """`search` on an index of schema `version` fails with one line naming
    the command that rebuilds it, and prints nothing on stdout."""
    result = run("search", "melatonin", "--index", index)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: the index at {index} was built by an older groundsearch (schema version "
        f"{version}, this one reads {SCHEMA_VERSION}); run `groundsearch index {corpus} "
        f"--index {index} --rebuild`\n"
    )


class TestOlderIndex:
    """An index of an older schema version is rebuilt by `index` (and, for
    the default index, on first use); `search` names the command that
    rebuilds it."""

    def test_search_names_the_command_that_rebuilds_it(self, old_index):
        index, corpus = old_index
        assert_search_names_the_rebuild(index, corpus, 6)

    def test_the_named_command_works(self, old_index):
        index, corpus = old_index
        assert run("index", corpus, "--index", index, "--rebuild").exit_code == 0
        assert "Melatonin is not addictive" in run("search", "melatonin", "--index", index).stdout

    def test_index_rebuilds_it_by_itself(self, old_index):
        index, corpus = old_index
        result = run("index", corpus, "--index", index, "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["rebuilt"] is True
        assert sorted(report["added"]) == ["guide.md", "notes.txt"]
        result = run("search", "melatonin", "--index", index, "--json")
        (hit,) = json.loads(result.stdout)["hits"]
        assert hit["passage_id"].startswith("guide.md#")

    def test_old_ids_name_the_passage_now(self, old_index):
        """`guide#1` was the old index's id for the melatonin sentence: after
        the rebuild, `show` says which id the same text has now (exit 1)."""
        index, corpus = old_index
        run("index", corpus, "--index", index)
        (hit,) = json.loads(run("search", "melatonin", "--index", index, "--json").stdout)["hits"]
        result = run("show", "guide#1", "--index", index)
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: passage 'guide#1' is an id from an older groundsearch; the same text is now "
            f"passage '{hit['passage_id']}'\n"
        )

    def test_the_default_index_rebuilds_itself(self, old_index, tmp_path, monkeypatch):
        """From the folder it was built from (not the embedded corpus, which
        would replace the user's documents), saying so."""
        index, corpus = old_index
        default = tmp_path / "xdg" / "groundsearch" / "index"
        default.parent.mkdir(parents=True)
        index.rename(default)
        result = run("search", "melatonin", "--json")
        assert result.exit_code == 0, result.output
        assert f"built by an older groundsearch; rebuilding it from {corpus}" in result.stderr
        (hit,) = json.loads(result.stdout)["hits"]
        assert hit["passage_id"].startswith("guide.md#")

    def test_the_default_index_without_its_folder_rebuilds_from_the_embedded_corpus(
        self, old_index, tmp_path
    ):
        import shutil

        index, corpus = old_index
        shutil.rmtree(corpus)
        default = tmp_path / "xdg" / "groundsearch" / "index"
        default.parent.mkdir(parents=True)
        index.rename(default)
        result = run("search", "baclofen", "--json")
        assert result.exit_code == 0, result.output
        assert "built by an older groundsearch; rebuilding it\n" in result.stderr
        assert json.loads(result.stdout)["total"] == 90


class TestIndexWithTextStoredTwice:
    """An index of schema version 7 stored each passage's text in its Whoosh
    segment; version 8 reads it from the sources table.  The old index is
    refused with the command that rebuilds it, and once rebuilt, its ids and
    the quotes saved from it hold."""

    @pytest.fixture
    def index_7(self, tmp_path) -> tuple[Path, Path]:
        index, corpus = unpack(FIXTURE_7, tmp_path)
        reseal(index)  # (sealed by the user who built it: this test's user)
        return index, corpus

    def test_search_names_the_command_that_rebuilds_it(self, index_7):
        index, corpus = index_7
        assert_search_names_the_rebuild(index, corpus, 7)

    def test_rebuilt_it_keeps_its_ids_and_quotes(self, index_7, tmp_path):
        index, corpus = index_7
        report = tmp_path / "report.json"
        (old_hit,) = json.loads(report.read_text())["hits"]
        result = run("index", corpus, "--index", index, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["rebuilt"] is True

        (hit,) = json.loads(run("search", "melatonin", "--index", index, "--json").stdout)["hits"]
        kept = ("passage_id", "text", "sha256", "start", "end", "line", "section", "source")
        assert {key: hit[key] for key in kept} == {key: old_hit[key] for key in kept}
        shown = run("show", old_hit["passage_id"], "--index", index, "--json")
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.stdout)["text"] == old_hit["text"]
        checked = run("check", report, "--index", index)
        assert checked.exit_code == 0, checked.output
        assert "1 quote: 1 present, 0 changed, 0 gone" in checked.stdout
