"""Re-checkable reports: fingerprints and provenance in every output, and
`groundsearch check`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from search.present.cli import cli

from .conftest import write_corpus

PROVENANCE = {"groundsearch", "index", "generation", "corpus", "created"}

DOCS = {
    "guide.md": (
        "# SleepWell guide\n\n"
        "Melatonin is not addictive, according to the sleep society.\n\n"
        "Take melatonin one hour before bed.\n"
    ),
    "forum.txt": (
        "Sleep forum\n\n"
        "I take melatonin every night and it is not addictive for me.\n"
        "Posted by: Jason 11/20/2006 2:33:10 AM\n"
    ),
    "notes.txt": "Notes\n\nMelatonin is a hormone made at night.\n",
}


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def corpus_index(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    assert run("index", corpus, "--index", tmp_path / "ix").exit_code == 0
    return corpus, tmp_path / "ix"


def report(tmp_path: Path, *args) -> Path:
    """Save a command's --json output as a report file."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    path = tmp_path / "report.json"
    path.write_text(result.stdout)
    return path


class TestFingerprintsAndProvenance:
    def quotes(self, data):
        return [
            *data.get("hits", []),
            *data.get("answer", []),
            *data.get("claims", []),
        ]

    @pytest.mark.parametrize(
        "command",
        [
            ["search", "melatonin addictive"],
            ["ask", "Is melatonin addictive?"],
            ["audit", "Is melatonin addictive?"],
        ],
        ids=["search", "ask", "audit"],
    )
    def test_every_quote_has_its_sha256(self, corpus_index, command):
        corpus, ix = corpus_index
        data = json.loads(run(*command, "--index", ix, "--json").stdout)
        quotes = self.quotes(data)
        assert quotes
        for quote in quotes:
            assert quote["sha256"] == sha(quote["text"])

    @pytest.mark.parametrize(
        "command",
        [
            ["search", "melatonin"],
            ["ask", "Is melatonin addictive?"],
            ["audit", "Is melatonin addictive?"],
            ["sources"],
        ],
        ids=["search", "ask", "audit", "sources"],
    )
    def test_every_json_output_says_where_it_comes_from(self, corpus_index, command):
        corpus, ix = corpus_index
        data = json.loads(run(*command, "--index", ix, "--json").stdout)
        made = data["provenance"]
        assert set(made) == PROVENANCE
        assert made["index"] == str(ix) and made["corpus"] == str(corpus)
        assert made["generation"] == (ix / "CURRENT").read_text().strip()
        assert made["groundsearch"] and made["created"].endswith("+00:00")

    def test_show_and_index_say_it_too(self, corpus_index, tmp_path):
        corpus, ix = corpus_index
        data = json.loads(run("index", corpus, "--index", ix, "--json").stdout)
        assert set(data["provenance"]) == PROVENANCE
        hit = json.loads(run("search", "hormone", "--index", ix, "--json").stdout)["hits"][0]
        shown = json.loads(run("show", hit["passage_id"], "--index", ix, "--json").stdout)
        assert shown["sha256"] == sha(shown["text"]) and set(shown["provenance"]) == PROVENANCE

    @pytest.mark.parametrize(
        "command",
        [["search", "melatonin"], ["ask", "Is melatonin addictive?"], ["audit", "melatonin"]],
        ids=["search", "ask", "audit"],
    )
    def test_every_page_has_it_in_its_footer(self, corpus_index, tmp_path, command):
        corpus, ix = corpus_index
        page = tmp_path / "page.html"
        assert run(*command, "--index", ix, "--html", page).exit_code == 0
        footer = BeautifulSoup(page.read_text(), "html.parser").select_one("footer .provenance")
        assert footer.select_one(".index").get_text() == str(ix)
        assert footer.select_one(".corpus").get_text() == str(corpus)
        assert footer.select_one(".generation").get_text().startswith("gen-")
        assert footer.select_one("time")["datetime"].endswith("+00:00")


class TestCheck:
    def test_an_untouched_report_holds(self, corpus_index, tmp_path):
        _, ix = corpus_index
        saved = report(tmp_path, "audit", "Is melatonin addictive?", "--index", ix)
        result = run("check", saved)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1].startswith("2 quotes: 2 present, 0 changed, 0 gone")

    def test_a_report_with_no_quote_holds(self, corpus_index, tmp_path):
        # An audit that found no claim is still a report: nothing in it moved.
        _, ix = corpus_index
        saved = report(tmp_path, "audit", "Do volcanoes on Mars erupt weekly?", "--index", ix)
        assert '"sha256"' not in saved.read_text()
        result = run("check", saved, "--index", ix)
        assert result.exit_code == 0, result.output
        assert "0 quotes" in result.stdout

    def test_sources_edited_and_deleted(self, corpus_index, tmp_path):
        """The filed report is re-checked after its sources changed: a quote
        changed, one moved (changed, with where it is now), one gone, one
        still there (exit 5)."""
        corpus, ix = corpus_index
        saved = report(tmp_path, "search", "melatonin", "--index", ix, "--limit", 10)
        guide = corpus / "guide.md"
        guide.write_text(guide.read_text().replace("is not addictive", "can be habit-forming"))
        (corpus / "notes.txt").unlink()
        run("index", corpus, "--index", ix)
        result = run("check", saved, "--index", ix, "--json")
        assert result.exit_code == 5, result.output
        data = json.loads(result.stdout)
        found = {q["text"].split()[0] + " " + q["path"]: q for q in data["quotes"]}
        assert found["Melatonin notes.txt"]["status"] == "gone"
        assert found["Melatonin notes.txt"]["detail"] == "notes.txt is no longer in the index"
        assert found["Melatonin guide.md"]["status"] == "changed"
        assert found["Melatonin guide.md"]["detail"] == (
            "the text at its offsets in guide.md is not the quoted text"
        )
        assert found["Take guide.md"]["status"] == "changed"
        assert found["Take guide.md"]["detail"].startswith("moved: the same text is now at line 5")
        assert found["I forum.txt"]["status"] == "present"
        assert (data["present"], data["changed"], data["gone"]) == (1, 2, 1)
        assert set(data["report_provenance"]) == PROVENANCE
        text = run("check", saved, "--index", ix)
        assert text.exit_code == 5
        lines = text.stdout.splitlines()
        assert any(line.startswith("gone     notes.txt  notes.txt#") for line in lines)
        assert lines[-1].startswith("4 quotes: 1 present, 2 changed, 1 gone (index ")
        assert ", the report was made from gen-00000001 on " in lines[-1]

    def test_a_quote_that_moved_says_where_it_is_now(self, corpus_index, tmp_path):
        corpus, ix = corpus_index
        saved = report(tmp_path, "search", "hormone", "--index", ix)
        notes = corpus / "notes.txt"
        notes.write_text("Notes\n\nAdded above.\n\n" + notes.read_text().split("\n\n", 1)[1])
        run("index", corpus, "--index", ix)
        data = json.loads(run("check", saved, "--index", ix, "--json").stdout)
        (quote,) = data["quotes"]
        assert quote["status"] == "changed"
        assert quote["detail"].startswith("moved: the same text is now at line 5")

    def test_the_report_names_its_index(self, corpus_index, tmp_path, monkeypatch):
        _, ix = corpus_index
        saved = report(tmp_path, "search", "melatonin", "--index", ix)
        monkeypatch.chdir(tmp_path)
        result = run("check", saved)
        assert result.exit_code == 0, result.output
        assert f"(index {ix}, generation gen-" in result.stdout

    def test_a_report_on_standard_input(self, corpus_index, tmp_path):
        _, ix = corpus_index
        saved = report(tmp_path, "ask", "Is melatonin addictive?", "--index", ix)
        result = run("check", "-", input=saved.read_text())
        assert result.exit_code == 0, result.output

    def test_an_altered_report_does_not_hold(self, corpus_index, tmp_path):
        _, ix = corpus_index
        saved = report(tmp_path, "search", "hormone", "--index", ix)
        saved.write_text(saved.read_text().replace("made at night", "made at noon"))
        data = json.loads(run("check", saved, "--json").stdout)
        (quote,) = [q for q in data["quotes"] if q["status"] != "present"]
        assert quote["detail"] == "the report's text is not the text its sha256 fingerprints"

    @pytest.mark.parametrize(
        "content, says",
        [
            ("{not json", "is not JSON"),
            ('{"hits": []}', "holds no quote to check"),
            ("[1, 2]", "not a JSON object"),
        ],
    )
    def test_what_is_no_report_is_a_usage_error(self, corpus_index, tmp_path, content, says):
        _, ix = corpus_index
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        result = run("check", bad, "--index", ix)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and says in result.stderr
