"""The command line, through click's CliRunner: output, JSON contract, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from search.present.cli import cli

from .conftest import SEEDS, write_corpus

HIT_FIELDS = {
    "rank", "score", "passage_id", "text", "sha256", "start", "end", "line", "kind",
    "author", "date", "section", "source", "highlights",
}
SOURCE_FIELDS = {"path", "title", "url", "publisher"}


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture
def index_arg(seed_index):
    return ["--index", str(seed_index)]


class TestSearchJson:
    def test_contract_field_names(self, index_arg):
        result = run("search", '"abuse potential" DEA', *index_arg, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert {"query", "corrected_query", "total", "hits"} <= set(data)
        assert data["query"] == '"abuse potential" DEA'
        assert data["corrected_query"] is None
        assert data["total"] >= len(data["hits"]) > 0
        for rank, hit in enumerate(data["hits"], 1):
            assert set(hit) == HIT_FIELDS
            assert set(hit["source"]) == SOURCE_FIELDS
            assert hit["rank"] == rank
            assert hit["kind"] in ("content", "comment", "boilerplate")

    def test_hit_text_is_verbatim_in_the_source_file(self, index_arg):
        data = json.loads(run("search", "baclofen", *index_arg, "--json", "--limit", 50).stdout)
        for hit in data["hits"]:
            source = (SEEDS / hit["source"]["path"]).read_text(encoding="utf-8")
            assert source[hit["start"] : hit["end"]] == hit["text"]
            assert source.count("\n", 0, hit["start"]) + 1 == hit["line"]
            assert hit["highlights"].replace("**", "") == hit["text"]

    def test_comment_hits_name_their_poster(self, index_arg):
        data = json.loads(run("search", "kind:comment", "tapering", *index_arg, "--json").stdout)
        assert data["hits"][0]["author"] == "Jeanne"
        assert data["hits"][0]["date"] == "2008-01-04T03:12:10"

    def test_corrected_query_is_reported(self, index_arg):
        data = json.loads(run("search", "withdrawl symptons", *index_arg, "--json").stdout)
        assert data["corrected_query"] == "withdrawal symptoms"
        assert data["total"] > 0

    def test_feedback_option_runs_the_library_setting(self, index_arg, seed_index):
        from search import Index

        def ids(*extra):
            args = ("search", "chronic hiccups", *index_arg, "--json", "--limit", 20, *extra)
            data = json.loads(run(*args).stdout)
            return [hit["passage_id"] for hit in data["hits"]]

        with Index(seed_index) as ix:
            expected = {
                setting: [
                    h.passage.passage_id
                    for h in ix.search("chronic hiccups", limit=20, feedback=setting).hits
                ]
                for setting in (False, "auto", True)
            }
        assert expected["auto"] != expected[False]  # the option must make a difference here
        assert ids() == ids("--feedback", "off") == expected[False]
        assert ids("--feedback", "auto") == expected["auto"]
        assert ids("--feedback", "on") == expected[True]

    def test_stdout_holds_only_json_when_building_the_default_index(self):
        result = run("search", "hiccups", "--json")
        assert result.exit_code == 0
        assert "building one from the embedded corpus" in result.stderr
        assert json.loads(result.stdout)["hits"]


class TestSearchText:
    def test_plain_output_has_rank_title_location_and_kind(self, index_arg):
        result = run("search", "DEA controlled substance schedule", *index_arg, "--limit", 1)
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0] == "1 passage holds every word (13 hold some); showing 1"
        assert lines[2].startswith("1. Baclofen side effects, abuse and toxicity  001_a426a29352d06d7c.txt:9  [content]")
        assert "\x1b[" not in result.stdout, "no colour when not on a terminal"
        assert "the DEA does not consider" in result.stdout

    def test_comments_show_author_and_date(self, index_arg):
        result = run("search", "myclonus", *index_arg)
        assert "[comment · Jason, 2006-11-20]" in result.stdout

    def test_by_source_groups(self, index_arg):
        result = run("search", "withdrawal", *index_arg, "--by-source", "--limit", 20)
        headers = [line for line in result.stdout.splitlines() if line.startswith("== ")]
        assert len(headers) == len(set(headers)) >= 3

    def test_correction_is_announced(self, index_arg):
        result = run("search", "withdrawl", *index_arg)
        assert result.stdout.startswith('Showing results for "withdrawal" (you typed "withdrawl")')


class TestShowAndSources:
    def test_show_prints_context_with_line_numbers(self, index_arg):
        result = run("show", "001_a426a29352d06d7c.txt#6de51d4889", *index_arg, "--context", 1)
        assert result.exit_code == 0
        assert ">    9 | For example, if allergic to baclofen" in result.stdout
        assert "     8 | Oral baclofen dosing for spasticity" in result.stdout
        assert "    10 | Spasticity" in result.stdout

    def test_show_json_context_surrounds_the_passage(self, index_arg):
        brand_names = "003_1957af6f8275ef46.txt#7a01325f50"
        data = json.loads(run("show", brand_names, *index_arg, "--json").stdout)
        source = (SEEDS / "003_1957af6f8275ef46.txt").read_text(encoding="utf-8")
        ctx = data["context"]
        assert source[data["start"] - len(ctx["before"]) : data["end"] + len(ctx["after"])] == (
            ctx["before"] + data["text"] + ctx["after"]
        )
        assert data["source"]["publisher"] == "Transformations Treatment Center"

    def test_unknown_passage_is_exit_1_with_one_line(self, index_arg):
        result = run("show", "../../etc/passwd#1", *index_arg)
        assert result.exit_code == 1
        assert result.stderr.strip().count("\n") == 0
        assert "no passage '../../etc/passwd#1'" in result.stderr

    def test_sources_lists_every_seed(self, index_arg):
        data = json.loads(run("sources", *index_arg, "--json").stdout)
        assert [s["path"] for s in data["sources"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
        assert all("text" not in s for s in data["sources"])
        plain = run("sources", *index_arg).stdout
        assert "The Recovery Village" in plain and "5 sources" in plain


class TestIndexCommand:
    def test_index_then_reindex(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen relaxes muscles.", "b.md": "# T\n\nText."})
        first = run("index", corpus, "--index", tmp_path / "ix")
        assert first.exit_code == 0
        assert "2 documents" in first.stdout and "2 added" in first.stdout
        (corpus / "a.txt").write_text("Baclofen relaxes muscles slowly.")
        second = json.loads(run("index", corpus, "--index", tmp_path / "ix", "--json").stdout)
        assert (second["updated"], second["unchanged"]) == (["a.txt"], ["b.md"])

    def test_env_var_names_the_index(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Gablofen is intrathecal baclofen."})
        run("index", corpus, "--index", tmp_path / "ix")
        result = run("search", "intrathecal", "--json", env={"GROUNDSEARCH_INDEX": str(tmp_path / "ix")})
        assert json.loads(result.stdout)["hits"][0]["source"]["path"] == "a.txt"

    def test_skipped_file_exits_3_and_is_named(self, tmp_path):
        corpus = write_corpus(
            tmp_path / "c", {"a.txt": "Good text.", "bad.txt": b"\x00\x01\x02\x03" * 100}
        )
        result = run("index", corpus, "--index", tmp_path / "ix")
        assert result.exit_code == 3
        assert "skipped bad.txt: binary file" in result.stderr
        assert "1 documents" in result.stdout


class TestErrors:
    @pytest.mark.parametrize(
        "args, code, message",
        [
            (["index", "/no/such/folder", "--index", "{tmp}/ix"], 1, "does not exist"),
            (["search", "baclofen", "--index", "{tmp}/missing"], 1, "no index at"),
            (["show", "x#1", "--index", "{tmp}/missing"], 1, "no index at"),
            (["search", "baclofen " * 1000, "--index", "{seed}"], 2, "the limit is"),
            (["search", " ", "--index", "{seed}"], 2, "the query is empty"),
            (["search", "x", "--limit", "0", "--index", "{seed}"], 2, "--limit"),
        ],
    )
    def test_one_clear_line_and_exit_code(self, tmp_path, seed_index, args, code, message):
        args = [a.format(tmp=tmp_path, seed=seed_index) for a in args]
        result = run(*args)
        assert result.exit_code == code, result.output
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert result.stdout == ""

    def test_empty_corpus(self, tmp_path):
        (tmp_path / "empty").mkdir()
        result = run("index", tmp_path / "empty", "--index", tmp_path / "ix")
        assert result.exit_code == 1
        assert "holds no .txt, .md or .html documents" in result.stderr

    @pytest.mark.parametrize("query", ['"unbalanced', "(open", "AND", "NOT", "a:b:c", "~", "^2", "emoji 💊", "中文 查询"])
    def test_odd_queries_do_not_crash(self, seed_index, query):
        result = run("search", query, "--index", seed_index, "--json")
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 0:
            assert "hits" in json.loads(result.stdout)


class TestDefaultIndex:
    def test_an_old_default_index_is_rebuilt(self):
        import sqlite3

        from indexer.storage.store import IndexStore
        from search.retrieval.default import default_index

        assert run("search", "hiccups").exit_code == 0
        generation = IndexStore(default_index()).current()
        with sqlite3.connect(generation / "sources.sqlite") as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        result = run("search", "hiccups", "--json")
        assert result.exit_code == 0, result.output
        assert "built by an older groundsearch; rebuilding it" in result.stderr
        assert json.loads(result.stdout)["hits"]

    def test_a_named_old_index_is_not_touched(self, tmp_path):
        import sqlite3

        from indexer.storage.store import IndexStore

        corpus = write_corpus(tmp_path / "c", {"a.txt": "Some text."})
        run("index", corpus, "--index", tmp_path / "ix")
        generation = IndexStore(tmp_path / "ix").current()
        with sqlite3.connect(generation / "sources.sqlite") as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        result = run("search", "text", "--index", tmp_path / "ix")
        assert result.exit_code == 1
        assert "--rebuild" in result.stderr


class TestColour:
    def test_colour_only_on_a_terminal_without_no_color(self, monkeypatch):
        from search.present import cli as cli_module

        class Terminal:
            def isatty(self):
                return True

        monkeypatch.setattr(cli_module.sys, "stdout", Terminal())
        assert cli_module._use_colour()
        monkeypatch.setenv("NO_COLOR", "1")
        assert not cli_module._use_colour()

    def test_piped_output_is_plain_even_where_colour_is_allowed(self, seed_index):
        result = CliRunner().invoke(
            cli, ["search", "chronic hiccups", "--index", str(seed_index), "--limit", "1"], color=True
        )
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout

    def test_on_a_terminal_matches_are_highlighted(self, seed_index, monkeypatch):
        from search.present import cli as cli_module

        monkeypatch.setattr(cli_module, "_use_colour", lambda: True)
        result = CliRunner().invoke(
            cli, ["search", "chronic hiccups", "--index", str(seed_index), "--limit", "1"], color=True
        )
        assert "\x1b[33m\x1b[1mchronic\x1b[0m" in result.stdout


def test_every_command_and_option_has_help():
    """Help text is the CLI's documentation: nothing may be left blank."""
    for name, command in cli.commands.items():
        assert command.help, name
        assert "Example" in command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"
        assert f"groundsearch {name}" in (SEEDS.parent / "README.md").read_text(encoding="utf-8"), name


def test_a_search_without_html_does_not_import_the_page_templates(seed_index):
    """Jinja is imported for `--html` only: it is a tenth of a command's time."""
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from search.present.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['search', 'dose', '--index', {str(seed_index)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('jinja2' in sys.modules, 'search.present.html' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=root
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
