"""Built-in drug names: "paracetamol" finds "acetaminophen" with no synonym
map, a user's map still applies and can add to a built-in group, and the
audit reads an American page on a question asked with the British name."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer import body_analyzer, index_folder
from search import open_index
from search.present.cli import cli
from search.retrieval.drug_names import GROUPS

from .conftest import write_corpus

#: A British page, an American one naming the same drug otherwise, and a
#: page on the liver that names neither.
PAGES = {
    "uk.txt": "Paracetamol in pregnancy\n\n"
    "Paracetamol is the first choice of painkiller for pregnant women.\n",
    "us.txt": "Acetaminophen overdose\n\n"
    "Acetaminophen overdose causes liver damage. Call poison control at once.\n",
    "alcohol.txt": "Alcohol and the liver\n\n"
    "Drinking heavily for many years causes liver damage.\n",
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def build(tmp_path, files, **options):
    """The folder and index of a corpus of `files`."""
    corpus = write_corpus(tmp_path / "corpus", files)
    index_folder(corpus, tmp_path / "ix", **options)
    return corpus, tmp_path / "ix"


def searched(corpus, index_dir, query, *extra):
    """The `search --json` hits' paths, each hit checked verbatim."""
    result = run("search", query, "--index", index_dir, "--json", *extra)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for hit in data["hits"]:
        source = (corpus / hit["source"]["path"]).read_text(encoding="utf-8")
        assert source[hit["start"] : hit["end"]] == hit["text"]
    return [hit["source"]["path"] for hit in data["hits"]]


class TestSearch:
    @pytest.mark.parametrize(
        "query, paths",
        [
            ("paracetamol", ["uk.txt", "us.txt"]),
            ("acetaminophen", ["us.txt", "uk.txt"]),
            ("Acetaminophen overdose", ["us.txt", "uk.txt"]),
        ],
    )
    def test_each_name_finds_the_other_with_no_synonym_map(self, tmp_path, query, paths):
        """The name typed ranks first, the other name's page follows."""
        corpus, index_dir = build(tmp_path, PAGES)
        assert searched(corpus, index_dir, query) == paths

    def test_a_name_of_two_words_finds_the_other_and_back(self, tmp_path):
        """ "glyceryl trinitrate" is looked for as a phrase, as a synonym
        map's terms of several words are."""
        corpus, index_dir = build(tmp_path, {
            "bnf.txt": "Angina\n\nGlyceryl trinitrate spray relieves angina within minutes.\n",
            "fda.txt": "Chest pain\n\nNitroglycerin tablets relieve chest pain.\n",
            "other.txt": "Explosives\n\nTrinitrotoluene is not glyceryl anything.\n",
        })
        assert searched(corpus, index_dir, "nitroglycerin") == ["fda.txt", "bnf.txt"]
        assert searched(corpus, index_dir, "glyceryl trinitrate") == [
            "bnf.txt", "fda.txt", "other.txt"
        ]

    def test_a_sharded_index_finds_the_other_name_too(self, tmp_path):
        _, index_dir = build(tmp_path, PAGES, shards=2)
        with open_index(index_dir) as ix:
            found = {h.passage.path for h in ix.search("paracetamol").hits}
        assert found == {"uk.txt", "us.txt"}


class TestUsersMap:
    def test_a_users_map_still_applies_beside_the_built_in_names(self, tmp_path):
        corpus, index_dir = build(tmp_path, {
            **PAGES,
            "spasm.txt": "Spasticity\n\nBaclofen relieves spasticity.\n",
            "synonyms.toml": 'groups = [["baclofen", "Lioresal"]]\n',
        })
        assert searched(corpus, index_dir, "Lioresal") == ["spasm.txt"]
        assert searched(corpus, index_dir, "paracetamol") == ["uk.txt", "us.txt"]

    @pytest.mark.parametrize("where", ["synonyms.toml", "--synonyms"])
    def test_a_users_group_adds_a_brand_to_a_built_in_group(self, tmp_path, where):
        """ "Tylenol" in a group with "paracetamol" finds "acetaminophen"
        too, and "acetaminophen" finds "Tylenol"."""
        group = 'groups = [["paracetamol", "Tylenol"]]\n'
        files = {**PAGES, "brand.txt": "Tylenol\n\nTylenol Extra Strength, 500 mg caplets.\n"}
        extra = []
        if where == "synonyms.toml":
            files["synonyms.toml"] = group
        else:
            (tmp_path / "mine.toml").write_text(group, encoding="utf-8")
            extra = ["--synonyms", tmp_path / "mine.toml"]
        corpus, index_dir = build(tmp_path, files)
        assert searched(corpus, index_dir, "Tylenol", *extra) == ["brand.txt", "uk.txt", "us.txt"]
        assert searched(corpus, index_dir, "acetaminophen", *extra)[0] == "us.txt"
        assert set(searched(corpus, index_dir, "acetaminophen", *extra)) == {
            "us.txt", "uk.txt", "brand.txt"
        }


class TestAudit:
    def test_the_american_page_is_read_on_a_question_in_british_words(self, tmp_path):
        corpus, index_dir = build(tmp_path, PAGES)
        topic = "Does paracetamol cause liver damage?"
        result = run("audit", topic, "--index", index_dir, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        (claim,) = [c for c in data["claims"] if c["source"]["path"] == "us.txt"]
        assert claim["text"] == "Acetaminophen overdose causes liver damage."
        source = (corpus / "us.txt").read_text(encoding="utf-8")
        assert source[claim["start"] : claim["end"]] == claim["text"]
        assert claim["stance"] == "affirms"
        assert "us.txt" not in {s["path"] for s in data["set_aside"] + data["without_claims"]}


class TestTheList:
    def test_each_name_is_needed_and_in_one_group(self):
        """Every name differs from the others after the spelling rules and
        stemming (else it is not needed), and no name is in two groups."""
        analyse = body_analyzer()
        seen: dict[tuple[str, ...], str] = {}
        for group in GROUPS:
            assert len(group) >= 2, group
            for name in group:
                assert name == name.lower().strip(), name
                key = tuple(t.text for t in analyse(name))
                assert key and key not in seen, (name, seen.get(key))
                seen[key] = name
