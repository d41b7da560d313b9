"""Citations that hold: passage ids anchored on the passage's text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer import PassageChanged, PassageGone, UnknownPassage, index_folder
from search import Index
from search.present.cli import cli

from .conftest import write_corpus

GUIDE = (
    "# SleepWell guide\n\n"
    "Melatonin helps some people fall asleep.\n\n"
    "SleepWell melatonin is not addictive, according to the sleep society.\n\n"
    "Take it one hour before bed.\n"
)
NOT_ADDICTIVE = "SleepWell melatonin is not addictive, according to the sleep society."


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def cited(index_dir, words: str) -> str:
    """The id of the one passage holding `words`."""
    with Index(index_dir) as ix:
        (hit,) = [h for h in ix.search(f'"{words}"', limit=None).hits]
        return hit.passage.passage_id


@pytest.fixture
def guide(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"01_sleepwell_guide.md": GUIDE})
    index_folder(corpus, tmp_path / "ix")
    return corpus, tmp_path / "ix"


class TestIdsStay:
    def test_a_line_added_at_the_top_moves_no_id(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text("Updated May 2024.\n\n" + path.read_text())
        index_folder(corpus, ix)
        assert cited(ix, "not addictive") == before
        result = run("show", before, "--index", ix)
        assert result.exit_code == 0 and NOT_ADDICTIVE in result.stdout

    def test_other_paragraphs_edited_the_id_stays(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        text = path.read_text().replace("fall asleep", "drift off").replace("one hour", "an hour")
        path.write_text(text + "\nStore it in a cool place.\n")
        index_folder(corpus, ix)
        assert cited(ix, "not addictive") == before

    def test_rewrapping_a_passage_keeps_its_id(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text(path.read_text().replace("is not addictive, ", "is not\naddictive,  "))
        index_folder(corpus, ix)
        assert cited(ix, "not addictive") == before

    def test_a_sibling_with_the_same_stem_changes_nothing(self, guide):
        """`doc0001.txt` beside `doc0001.md` renamed every id of the `.md`
        file, and `index --json` reported the untouched file as updated."""
        corpus, ix = guide
        before = cited(ix, "not addictive")
        write_corpus(corpus, {"01_sleepwell_guide.txt": "A plain note on melatonin.\n"})
        report = json.loads(run("index", corpus, "--index", ix, "--json").stdout)
        assert report["unchanged"] == ["01_sleepwell_guide.md"]
        assert report["added"] == ["01_sleepwell_guide.txt"] and report["updated"] == []
        assert cited(ix, "not addictive") == before

    def test_identical_passages_of_one_file_are_numbered(self, tmp_path):
        corpus = write_corpus(
            tmp_path / "corpus", {"faq.md": "Ask your doctor.\n\nIt helps.\n\nAsk your doctor.\n"}
        )
        index_folder(corpus, tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            ids = [p.passage_id for p in ix.passages("faq.md")]
        assert ids[2] == ids[0] + "-2"


class TestChangedOrGone:
    def test_changed_words_say_changed_and_name_the_nearest(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text(path.read_text().replace("is not addictive", "can be habit-forming"))
        index_folder(corpus, ix)
        now = cited(ix, "habit-forming")
        assert now != before
        result = run("show", before, "--index", ix)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == (
            f"Error: passage '{before}' has changed since it was cited; nearest now: '{now}' "
            "(01_sleepwell_guide.md:5, 70% of its words)\n"
        )
        with Index(ix) as index, pytest.raises(PassageChanged) as caught:
            index.passage(before)
        assert caught.value.nearest == now

    def test_never_another_passage_in_its_place(self, guide):
        """The cited passage removed: the message names a neighbour as the
        nearest, and shows none of its text as if it were the cited one."""
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text(path.read_text().replace(NOT_ADDICTIVE + "\n\n", ""))
        index_folder(corpus, ix)
        result = run("show", before, "--index", ix)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "has changed since it was cited" in result.stderr

    def test_a_deleted_document_says_gone(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        write_corpus(corpus, {"other.md": "Something else.\n"})
        (corpus / "01_sleepwell_guide.md").unlink()
        index_folder(corpus, ix)
        result = run("show", before, "--index", ix)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: passage '{before}' is gone: 01_sleepwell_guide.md is no longer in the index\n"
        )
        with Index(ix) as index, pytest.raises(PassageGone):
            index.passage(before)

    def test_changed_ids_are_remembered_through_rebuilds(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text(path.read_text().replace("is not addictive", "can be habit-forming"))
        index_folder(corpus, ix)
        index_folder(corpus, ix, rebuild=True)
        index_folder(corpus, ix)
        with Index(ix) as index, pytest.raises(PassageChanged):
            index.passage(before)

    def test_restored_text_is_found_again(self, guide):
        corpus, ix = guide
        before = cited(ix, "not addictive")
        path = corpus / "01_sleepwell_guide.md"
        path.write_text(GUIDE.replace("is not addictive", "can be habit-forming"))
        index_folder(corpus, ix)
        path.write_text(GUIDE)
        index_folder(corpus, ix)
        result = run("show", before, "--index", ix)
        assert result.exit_code == 0 and NOT_ADDICTIVE in result.stdout

    def test_an_id_never_held_is_unknown(self, guide):
        _, ix = guide
        with Index(ix) as index, pytest.raises(UnknownPassage, match="no passage"):
            index.passage("01_sleepwell_guide.md#0123456789")
