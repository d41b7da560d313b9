"""Bad queries never crash: results, or one clear line and exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.errors import QueryError
from search.present.cli import cli

REPO = Path(__file__).resolve().parent.parent

ODD_QUERIES = [
    "the",
    "the and of what is",
    '"',
    '"unbalanced phrase',
    "((",
    "(open",
    "close)",
    "a)",
    "AND",
    "NOT",
    "OR",
    "AND NOT",
    "NOT NOT NOT",
    "a AND",
    "NOT baclofen",
    "*",
    "?",
    "~",
    "^",
    ":",
    "::",
    "a:",
    ":a",
    "title:",
    "source:",
    "kind:nonsense",
    "a^x",
    "a~x",
    "a~2/3",
    "[a TO",
    "{",
    "\\",
    "x" * 2000,
    "中文 查询",
    "баклофен",
    "مرحبا",
    "💊",
    "emoji 💊 baclofen",
    "(" * 1999,
    "NOT " * 499,
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("query", ODD_QUERIES, ids=lambda q: repr(q[:20]))
def test_odd_query_gives_results_or_a_usage_error(seed_index, query):
    result = run("search", query, "--index", seed_index, "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert "hits" in json.loads(result.stdout)
    else:
        assert result.stdout == ""
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["search", "baclofen", "--bogus"],
        ["search", ""],
        ["search", "baclofen", "--limit", "many"],
        ["ask", " "],
        ["audit"],
        ["index"],
        ["bogus"],
    ],
)
def test_a_usage_error_is_one_line(seed_index, args):
    result = run(*args, "--index", seed_index)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.endswith(" --help')\n")  # where to look


def test_too_long_query_names_its_own_length(seed_index):
    """The limit applies to the query as typed, not after synonym expansion."""
    query = "baclofen " * 1200
    result = run("search", query, "--index", seed_index)
    assert result.exit_code == 2
    assert f"the query is {len(query.strip()):,} characters long" in result.stderr


def test_unparseable_query_says_what_to_do(seeds):
    with pytest.raises(QueryError, match="parentheses are balanced"):
        seeds.search("NOT NOT NOT")


@pytest.mark.parametrize("query", ['"unbalanced', "NOT NOT NOT", "x" * 10_000, "💊 ^ ~ :"])
def test_real_process_never_prints_a_traceback(seed_index, query):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "search", "search", query, "--index", str(seed_index)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
