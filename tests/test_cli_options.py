"""The command line's conventions: help, colour, standard output, completion."""

from __future__ import annotations

import click
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from search.present.cli import cli


def run(*args, env=None, input=None, color=False):
    return CliRunner().invoke(
        cli, [str(a) for a in args], env=env, input=input, color=color, catch_exceptions=False
    )


@pytest.fixture
def index_arg(seed_index):
    return ["--index", str(seed_index)]


class TestHelp:
    def test_bare_command_prints_the_help_and_succeeds(self):
        """`groundsearch` alone is a request for help, not a usage error."""
        result = run()
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Usage: groundsearch")
        assert "search" in result.stdout and result.stderr == ""

    @pytest.mark.parametrize("command", [[], *([name] for name in cli.commands)])
    def test_dash_h_is_help_everywhere(self, command):
        result = run(*command, "-h")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Usage: groundsearch")
        assert result.stdout == run(*command, "--help").stdout


class TestColour:
    QUERY = ("search", "chronic hiccups", "--limit", 1)

    def test_always_colours_piped_output(self, index_arg):
        result = run(*self.QUERY, *index_arg, "--color", "always")
        assert "\x1b[33m\x1b[1mchronic\x1b[0m" in result.stdout

    def test_always_overrides_no_color(self, index_arg):
        result = run(*self.QUERY, *index_arg, "--color", "always", env={"NO_COLOR": "1"})
        assert "\x1b[" in result.stdout

    def test_never_is_plain_even_on_a_terminal(self, index_arg, monkeypatch):
        from search.present import cli as cli_module

        monkeypatch.setattr(cli_module, "_use_colour", lambda: True)
        assert "\x1b[" in run(*self.QUERY, *index_arg, color=True).stdout
        assert "\x1b[" not in run(*self.QUERY, *index_arg, "--color", "never", color=True).stdout

    def test_auto_is_plain_when_piped(self, index_arg):
        assert "\x1b[" not in run(*self.QUERY, *index_arg, "--color", "auto").stdout

    def test_an_unknown_choice_is_a_usage_error(self, index_arg):
        result = run(*self.QUERY, *index_arg, "--color", "sometimes")
        assert result.exit_code == 2 and "auto" in result.stderr


class TestStandardOutput:
    @pytest.mark.parametrize(
        "command", [("search", "tapering"), ("ask", "How long does withdrawal last?"),
                    ("audit", "Is baclofen addictive?")]
    )
    def test_html_dash_prints_the_page_alone(self, index_arg, tmp_path, monkeypatch, command):
        monkeypatch.chdir(tmp_path)
        result = run(*command, *index_arg, "--html", "-")
        assert result.exit_code == 0, result.output
        page = BeautifulSoup(result.stdout, "html.parser")
        assert result.stdout.lstrip().lower().startswith("<!doctype html>")
        assert page.find("title") is not None
        assert not (tmp_path / "-").exists()
        assert "wrote" not in result.stderr

    def test_html_dash_with_json_is_a_usage_error(self, index_arg):
        result = run("search", "tapering", *index_arg, "--html", "-", "--json")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "both write to standard output" in result.stderr

    def test_topics_dash_reads_standard_input(self, index_arg):
        import json

        result = run("audit", "--topics", "-", *index_arg, "--json",
                     input="Is baclofen addictive?\nHow long does withdrawal last?\n")
        assert result.exit_code == 0, result.output
        topics = [t["topic"] for t in json.loads(result.stdout)["topics"]]
        assert topics == ["Is baclofen addictive?", "How long does withdrawal last?"]


class TestCompletion:
    def test_the_documented_bash_script_is_printed(self):
        result = CliRunner().invoke(
            cli, [], prog_name="groundsearch", env={"_GROUNDSEARCH_COMPLETE": "bash_source"}
        )
        assert result.exit_code == 0
        assert "_groundsearch_completion" in result.stdout

    def test_commands_and_choices_complete(self):
        def complete(line: str) -> list[str]:
            words = line.split(" ")
            env = {
                "_GROUNDSEARCH_COMPLETE": "bash_complete",
                "COMP_WORDS": line,
                "COMP_CWORD": str(len(words) - 1),
            }
            result = CliRunner().invoke(cli, [], prog_name="groundsearch", env=env)
            return [row.split(",", 1)[1] for row in result.stdout.split()]

        assert complete("groundsearch se") == ["search"]
        assert complete("groundsearch search x --kind co") == ["content", "comment"]
        assert complete("groundsearch search x --color n") == ["never"]

    def test_completion_is_documented_in_the_help(self):
        assert "_GROUNDSEARCH_COMPLETE=bash_source" in run("--help").stdout


def test_every_command_takes_color():
    for name, command in cli.commands.items():
        names = {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts}
        assert "--color" in names, name
