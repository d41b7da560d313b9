"""Indexes made by older groundsearch releases.

`fixtures/index-d1be011.tar.gz` holds an index made by commit d1be011
(before the modules moved into `indexer.storage`, so its Whoosh table of
contents names `indexer.schema.BodyAnalyzer`) of its two-file corpus:

    git worktree add --detach /tmp/gs-old d1be011
    PYTHONPATH=/tmp/gs-old python -m search.cli index corpus --index ix
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

FIXTURE = Path(__file__).parent / "fixtures" / "index-d1be011.tar.gz"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def old_index(tmp_path) -> tuple[Path, Path]:
    """The old index and its corpus, unpacked; the index records the corpus
    folder it was built from, here the unpacked one."""
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(tmp_path, filter="data")
    index, corpus = tmp_path / "ix", tmp_path / "corpus"
    generation = index / (index / "CURRENT").read_text().strip()
    with sqlite3.connect(generation / "sources.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'corpus'", (json.dumps(str(corpus)),))
    return index, corpus


class TestOlderIndex:
    """An index of an older schema version is rebuilt by `index` (and, for
    the default index, on first use); `search` names the command that
    rebuilds it."""

    def test_search_names_the_command_that_rebuilds_it(self, old_index):
        index, corpus = old_index
        result = run("search", "melatonin", "--index", index)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr == (
            f"Error: the index at {index} was built by an older groundsearch (schema version 6, "
            f"this one reads {SCHEMA_VERSION}); run `groundsearch index {corpus} --index {index} "
            "--rebuild`\n"
        )

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
