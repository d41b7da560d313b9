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


def test_an_index_saved_before_the_layout_move_opens(old_index):
    """Whoosh pickled the schema's class paths (`indexer.schema`): an index
    made before the modules moved is read with today's schema instead."""
    index, corpus = old_index
    result = run("search", "melatonin", "--index", index)
    assert result.exit_code == 0, result.output
    assert "Melatonin is not addictive" in result.stdout
    result = run("index", corpus, "--index", index)
    assert result.exit_code == 0, result.output
