"""`--format text|json|jsonl|csv|markdown` for search, ask and audit: each
format holds the same records as the JSON, one row per hit, answer
sentence or claim, and corpus text can never turn into markup."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from search import AuditReport
from search.claims.records import Answer
from search.present import formats
from search.present.cli import cli
from search.retrieval.results import SearchResult

from .conftest import write_corpus

SEARCH = ("search", "withdrawal symptoms", "--limit", 5)
ASK = ("ask", "How long does baclofen withdrawal last?")
AUDIT = ("audit", "Is baclofen addictive?")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def output(*args) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def ix(seed_index):
    return ["--index", str(seed_index)]


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def table(text: str) -> list[list[str]]:
    """The cells of a Markdown table (an escaped `\\|` stays in its cell)."""
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[1:]]


def test_every_format_of_every_result_is_registered():
    for kind in (SearchResult, Answer, formats.Audits):
        for fmt in formats.FORMATS:
            assert (fmt, kind.__name__) in formats._RENDERERS, (fmt, kind)


def test_formats_are_listed_in_the_help():
    for command in ("search", "ask", "audit"):
        assert "[text|json|jsonl|csv|markdown]" in output(command, "--help")


class TestOptions:
    def test_json_is_short_for_format_json(self, ix):
        short = json.loads(output(*SEARCH, *ix, "--json"))
        long = json.loads(output(*SEARCH, *ix, "--format", "json"))
        # The two runs may fall either side of a second: "created" is each run's own time.
        for report in (short, long):
            assert report["provenance"].pop("created")
        assert short == long

    def test_text_is_the_default(self, ix):
        assert output(*SEARCH, *ix) == output(*SEARCH, *ix, "--format", "text")

    def test_json_with_another_format_is_a_usage_error(self, ix):
        result = run(*SEARCH, *ix, "--json", "--format", "csv")
        assert result.exit_code == 2 and result.stdout == ""
        assert "--json is short for --format json" in result.stderr

    def test_html_dash_with_a_format_is_a_usage_error(self, ix):
        result = run(*SEARCH, *ix, "--format", "markdown", "--html", "-")
        assert result.exit_code == 2
        assert "--format markdown both write to standard output" in result.stderr

    def test_an_unknown_format_names_the_formats(self, ix):
        result = run(*SEARCH, *ix, "--format", "xml")
        assert result.exit_code == 2
        assert "'text', 'json', 'jsonl', 'csv', 'markdown'" in result.stderr


class TestSearch:
    @pytest.fixture
    def hits(self, ix):
        return json.loads(output(*SEARCH, *ix, "--json"))["hits"]

    def test_jsonl_is_one_hit_per_line(self, ix, hits):
        lines = output(*SEARCH, *ix, "--format", "jsonl").splitlines()
        assert [json.loads(line) for line in lines] == hits

    def test_csv_is_one_row_per_hit(self, ix, hits):
        found = rows(output(*SEARCH, *ix, "--format", "csv"))
        assert [r["passage id"] for r in found] == [h["passage_id"] for h in hits]
        for row, hit in zip(found, hits, strict=True):
            assert row["text"] == hit["text"]  # verbatim, line breaks and all
            assert row["path:line"] == f"{hit['source']['path']}:{hit['line']}"
            assert row["source"] == hit["source"]["title"] and row["rank"] == str(hit["rank"])

    def test_markdown_is_a_table_row_per_hit(self, ix, hits):
        text = output(*SEARCH, *ix, "--format", "markdown")
        assert text.startswith("**Search:** withdrawal symptoms")
        cells = table(text)
        assert [row[0] for row in cells] == [str(h["rank"]) for h in hits]
        assert all(len(row) == 6 for row in cells)
        assert "**withdrawal**" in cells[0][5]

    def test_grouped_rows_follow_the_groups(self, ix):
        data = json.loads(output(*SEARCH, *ix, "--by-source", "--json"))
        found = rows(output(*SEARCH, *ix, "--by-source", "--format", "csv"))
        expected = [h["passage_id"] for g in data["groups"] for h in g["hits"]]
        assert [r["passage id"] for r in found] == expected


class TestMarkup:
    @pytest.fixture
    def odd(self, tmp_path):
        corpus = write_corpus(
            tmp_path / "c",
            {"odd.txt": "Odd page\n\nBaclofen <script>alert(1)</script> is a | b, and this is "
                        "*not bold* [x](http://e.vil) text.\nA second line with `code` in it.\n"},
        )
        run("index", corpus, "--index", tmp_path / "ix")
        return ["--index", str(tmp_path / "ix")]

    def test_markdown_escapes_corpus_text(self, odd):
        text = output("search", "kind:content", *odd, "--format", "markdown")
        assert "<script>" not in text and "\\<script\\>" in text
        assert "\\*not bold\\*" in text and "\\[x\\]" in text and "\\`code\\`" in text
        cells = table(text)
        assert len(cells) == 2 and all(len(row) == 6 for row in cells)  # "|" split no cell

    def test_a_line_break_stays_in_its_cell(self):
        assert formats.md("one\ntwo | three") == "one<br>two \\| three"

    def test_csv_keeps_the_text_as_it_is(self, odd):
        (row,) = rows(output("search", "baclofen", *odd, "--format", "csv"))
        assert row["text"].startswith("Baclofen <script>alert(1)</script> is a | b, and this")


class TestAsk:
    @pytest.fixture
    def answer(self, ix):
        data = json.loads(output(*ASK, *ix, "--json"))
        assert data["answer"]
        return data["answer"]

    def test_jsonl_is_one_sentence_per_line(self, ix, answer):
        lines = output(*ASK, *ix, "--format", "jsonl").splitlines()
        assert [json.loads(line) for line in lines] == answer

    def test_csv_is_one_row_per_sentence(self, ix, answer):
        found = rows(output(*ASK, *ix, "--format", "csv"))
        assert [r["quote"] for r in found] == [q["text"] for q in answer]
        assert [r["passage id"] for r in found] == [q["passage_id"] for q in answer]
        assert found[0]["citation"] == "1"

    def test_markdown_quotes_each_sentence_with_its_citation(self, ix, answer):
        text = output(*ASK, *ix, "--format", "markdown")
        assert text.startswith("**Q:** How long does baclofen withdrawal last?")
        assert text.count("\n> “") + text.startswith("> “") == len(answer)
        assert f"1. {answer[0]['source']['title']}" in text


class TestAudit:
    def claims(self, *args) -> list[tuple[str, dict]]:
        data = json.loads(output(*args, "--json"))
        reports = data["topics"] if "topics" in data else [data]
        return [(r["topic"], claim) for r in reports for claim in r["claims"]]

    def test_csv_is_one_row_per_claim(self, ix):
        claims = self.claims(*AUDIT, *ix)
        found = rows(output(*AUDIT, *ix, "--format", "csv"))
        assert list(found[0]) == formats.AUDIT_COLUMNS == [
            "topic", "aspect", "source", "path:line", "passage id", "stance", "attributed to",
            "quote",
        ]
        assert len(found) == len(claims) > 0
        for row, (topic, claim) in zip(found, claims, strict=True):
            assert row["topic"] == topic
            assert (row["aspect"], row["stance"]) == (claim["aspect"], claim["stance"])
            assert row["passage id"] == claim["passage_id"] and row["quote"] == claim["text"]
            assert row["source"] == claim["source"]["title"]
            assert row["attributed to"] == (claim["attributed_to"] or "")
            assert row["path:line"].startswith(claim["source"]["path"] + ":")

    def test_markdown_is_one_row_per_claim_of_every_topic(self, ix):
        args = ("audit", "Is baclofen addictive?", "How long does withdrawal last?", *ix)
        claims = self.claims(*args)
        cells = table(output(*args, "--format", "markdown"))
        assert [(row[0], row[4].strip("`")) for row in cells] == [
            (topic, claim["passage_id"]) for topic, claim in claims
        ]
        assert {row[0] for row in cells} == {
            "Is baclofen addictive?", "How long does withdrawal last?"
        }

    def test_jsonl_is_one_claim_per_line_with_its_topic(self, ix):
        claims = self.claims(*AUDIT, *ix)
        lines = [json.loads(line) for line in output(*AUDIT, *ix, "--format", "jsonl").splitlines()]
        assert lines == [{"topic": topic, **claim} for topic, claim in claims]

    def test_rows_come_from_the_claims_alone(self):
        """A report with claims and nothing else still renders: the rows read
        `AuditReport.claims` only."""
        report = AuditReport("t", (), (), ())
        text = formats.render("csv", formats.Audits((report,)))
        assert text.splitlines() == [",".join(formats.AUDIT_COLUMNS)]
