"""`ask`'s supporting passages and comment marks, and `index` around the
default index: what the command line says, through CliRunner on real indexes."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from indexer.storage.store import IndexStore
from search.present.cli import cli
from search.retrieval.default import default_index, embedded_corpus

from .conftest import write_corpus

FORUM = {
    "forum.txt": (
        "Gabapentin forum\n\n"
        "Gabapentin made me dizzy for two weeks when I started it.\n"
        "Posted by: Steve Ramirez 06/09/2021\n\n"
        "It helped me sleep better at night.\nPosted by: Ann Smith 06/10/2021\n"
    ),
    "guide.txt": (
        "Gabapentin guide\n\n"
        "Gabapentin is an anticonvulsant. Doctors prescribe it for nerve pain.\n"
    ),
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def documents(folder, count: int):
    texts = {
        f"d{i}.txt": f"Note {i} on dosing.\n\nDose {i} is taken at night.\n"
        for i in range(1, count + 1)
    }
    return write_corpus(folder, texts)


class TestAsk:
    @pytest.fixture
    def forum(self, tmp_path):
        run("index", write_corpus(tmp_path / "c", FORUM), "--index", tmp_path / "ix")
        return tmp_path / "ix"

    def test_a_comment_is_marked_beside_its_quote(self, forum):
        out = run("ask", "Does gabapentin make you dizzy?", "--index", forum).stdout
        quote = next(line for line in out.splitlines() if line.startswith("  “"))
        assert quote == (
            "  “Gabapentin made me dizzy for two weeks when I started it.” [1] "
            "(comment · Steve Ramirez, 2021-06-09)"
        )

    def test_cited_and_uncited_passages_are_told_apart(self, forum):
        out = run("ask", "Does gabapentin make you dizzy?", "--index", forum).stdout
        cited, others = out.split("\nCited passages:\n")[1].split("\nOther passages that match:\n")
        assert cited.strip().startswith("[1] Gabapentin forum  forum.txt:3")
        heads = [line for line in others.splitlines() if re.match(r"\S", line)]
        assert heads and all(line.startswith("- ") for line in heads)
        assert not re.search(r"^\d+\. ", out, re.M), "no search ranks among the passages"

    def test_on_the_seeds_cited_passages_carry_their_citation_numbers(self, seed_index):
        question = "How long does baclofen withdrawal last?"
        result = run("ask", question, "--index", seed_index)
        data = json.loads(run("ask", question, "--index", seed_index, "--json").stdout)
        assert data["answer"]
        cited = result.stdout.split("\nCited passages:\n")[1]
        labels = re.findall(r"^\[([\d, ]+)\] ", cited, re.M)
        numbers = sorted(int(n) for label in labels for n in label.split(", "))
        assert numbers == list(range(1, len(data["answer"]) + 1))

    def test_no_answer_shows_the_closest_passages_unnumbered(self, forum):
        out = run("ask", "What is the capital of France?", "--index", forum).stdout
        assert "No source in the corpus answers this question." in out
        assert "Cited passages:" not in out


class TestDefaultIndex:
    def test_indexing_another_folder_into_the_default_index_says_so(self, tmp_path):
        assert run("search", "baclofen").exit_code == 0  # the embedded corpus's, built now
        mine = documents(tmp_path / "mine", 2)
        result = run("index", mine)
        assert result.exit_code == 0, result.output
        assert (
            f"groundsearch: the default index held the documents of {embedded_corpus()}; "
            f"it now holds those of {mine.resolve()}"
        ) in result.stderr
        assert "--index DIR" in result.stderr
        data = json.loads(run("search", "dosing", "--json").stdout)
        assert {h["source"]["path"] for h in data["hits"]} == {"d1.txt", "d2.txt"}

    def test_no_note_for_the_same_folder_or_a_named_index(self, tmp_path):
        mine = documents(tmp_path / "mine", 2)
        assert "default index held" not in run("index", mine).stderr  # a first build
        assert "default index held" not in run("index", mine).stderr  # the same folder again
        other = documents(tmp_path / "other", 1)
        assert "default index held" not in run("index", other, "--index", tmp_path / "ix").stderr

    def test_the_help_says_what_the_default_is(self):
        text = " ".join(run("index", "--help").stdout.split())
        assert "Default: the default index ($XDG_DATA_HOME/groundsearch/index)" in text
        assert "replaces the documents it held (and says so)" in text
        assert "built from the embedded corpus" in " ".join(run("search", "--help").stdout.split())

    def test_an_old_default_index_is_rebuilt_from_its_own_folder(self, tmp_path):
        mine = documents(tmp_path / "mine", 2)
        run("index", mine)
        generation = IndexStore(default_index()).current()
        with sqlite3.connect(generation / "sources.sqlite") as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        result = run("search", "dosing", "--json")
        assert result.exit_code == 0, result.output
        assert f"rebuilding it from {mine.resolve()}" in result.stderr
        assert {h["source"]["path"] for h in json.loads(result.stdout)["hits"]} == {
            "d1.txt", "d2.txt"
        }


class TestDocumentsGivenAsIndex:
    def test_the_suggestion_is_one_that_works(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        documents(tmp_path / "mycorpus", 2)
        result = run("search", "dosing", "--index", "mycorpus")
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: mycorpus holds documents, not an index: index them with "
            "`groundsearch index mycorpus --index mycorpus-index`, then give "
            "`--index mycorpus-index`\n"
        )
        assert run("index", "mycorpus", "--index", "mycorpus-index").exit_code == 0
        assert run("search", "dosing", "--index", "mycorpus-index").exit_code == 0

    def test_a_foreign_folder_without_documents_keeps_its_message(self, tmp_path):
        write_corpus(tmp_path / "junk", {"thesis.docx": b"not ours"})
        result = run("search", "dosing", "--index", tmp_path / "junk")
        assert result.exit_code == 1 and "is not a groundsearch index" in result.stderr


class TestVerboseIndex:
    def test_lists_a_few_files_of_each_change_then_how_many_more(self, tmp_path):
        folder = documents(tmp_path / "c", 7)
        result = run("index", folder, "--index", tmp_path / "ix", "-v")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[1] == "  added: d1.txt, d2.txt, d3.txt, d4.txt, d5.txt and 2 more"
        (folder / "d1.txt").unlink()
        (folder / "d2.txt").write_text("Note two, changed.\n\nDose 2 is taken at noon.\n")
        result = run("index", folder, "--index", tmp_path / "ix", "--verbose")
        assert result.stdout.splitlines()[1:] == ["  updated: d2.txt", "  removed: d1.txt"]

    def test_without_verbose_only_the_counts(self, tmp_path):
        result = run("index", documents(tmp_path / "c", 2), "--index", tmp_path / "ix")
        assert len(result.stdout.splitlines()) == 1
