"""One spelling for British and American forms and for Greek letters, at
indexing and search time alike; the passages keep their own spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import index_folder
from indexer.spellings import BRITISH, GREEK, normalise
from search import Index

from .conftest import write_corpus

DOCS = {
    "uk.txt": "NHS guidance\n\nThe tumour shrank and haemoglobin rose in the randomised trial.\n",
    "us.txt": "FDA label\n\nThe tumor shrank and hemoglobin rose in the randomized trial.\n",
    "greek.txt": "Cytokines\n\nTNF-α and IFN-γ levels fell; NF-κB stayed active.\n",
    "latin.txt": "Cytokines again\n\nTNF-alpha was measured at 5 μM in each well.\n",
    "family.txt": "Family\n\nEvery mum was asked to keep a diary of the exercise she did.\n",
}


@pytest.fixture
def ix(tmp_path):
    index_folder(write_corpus(tmp_path / "docs", DOCS), tmp_path / "index")
    with Index(tmp_path / "index") as opened:
        yield opened


def found(ix, query):
    """(file, highlighted text) of every passage the query finds."""
    return {h.passage.path: h.highlights for h in ix.search(query, limit=20).hits}


class TestNormalise:
    @pytest.mark.parametrize(
        "british, american",
        [
            ("tumours", "tumors"),
            ("behavioural", "behavioral"),
            ("haemorrhage", "hemorrhage"),
            ("hypoglycaemic", "hypoglycemic"),
            ("lymphoedema", "lymphedema"),
            ("oesophageal", "esophageal"),
            ("amenorrhoea", "amenorrhea"),
            ("paediatric", "pediatric"),
            ("centred", "centered"),
            ("millilitres", "milliliters"),
            ("analogue", "analog"),
            ("sulphonylurea", "sulfonylurea"),
            ("programme", "program"),
            ("randomised", "randomized"),
            ("hospitalisation", "hospitalization"),
            ("recognised", "recognized"),
            ("immunising", "immunizing"),
            ("hypothesised", "hypothesized"),
            ("analysed", "analyzed"),
            ("paralysing", "paralyzing"),
        ],
    )
    def test_british_spellings_become_american(self, british, american):
        assert normalise(british) == american
        assert normalise(american) == american

    @pytest.mark.parametrize(
        "word",
        ["exercise", "precise", "revise", "advertise", "surprise", "promise", "compromised",
         "treatise", "noise", "raise", "otherwise", "expertise", "analysis", "analyses",
         "diagnosis", "organism", "lysed", "crises", "hour", "tour", "genre", "are"],
    )
    def test_words_that_only_look_british_are_left_alone(self, word):
        assert normalise(word) == word

    def test_greek_letters_become_their_names(self):
        assert normalise("α") == "alpha"
        assert normalise("κb") == "kappab"
        assert normalise("aβ42") == "abeta42"
        assert normalise("ς") == "sigma"

    def test_mu_is_micro(self):
        assert normalise("μm") == normalise("µm") == "microm"

    PIECES = sorted(BRITISH) + sorted(BRITISH.values()) + sorted(GREEK) + [
        "is", "ise", "ised", "ys", "yse", "al", "l", "our", "re", "a", "e", "o"
    ]

    @given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join))
    def test_normalising_twice_changes_nothing(self, word):
        assert normalise(normalise(word)) == normalise(word)


class TestSearch:
    def test_either_spelling_finds_both_sources(self, ix):
        for query in ("tumour haemoglobin", "tumor hemoglobin"):
            hits = found(ix, query)
            assert {"uk.txt", "us.txt"} <= set(hits), query

    def test_each_source_is_highlighted_in_its_own_spelling(self, ix):
        hits = found(ix, "tumour randomized")
        assert "The **tumour** shrank" in hits["uk.txt"]
        assert "the **randomised** trial" in hits["uk.txt"]
        assert "The **tumor** shrank" in hits["us.txt"]
        assert "the **randomized** trial" in hits["us.txt"]

    def test_passage_text_keeps_its_spelling(self, ix):
        passage = ix.search("haemoglobin").hits[0].passage
        source_text = DOCS[passage.path]
        assert passage.text in source_text

    def test_greek_letter_and_its_name_match(self, ix):
        hits = found(ix, "TNF-alpha")
        assert "**TNF**-**α**" in hits["greek.txt"]
        assert "**TNF**-**alpha**" in hits["latin.txt"]
        assert "**NF**-**κB**" in found(ix, "NF-kappaB")["greek.txt"]

    def test_mum_does_not_match_micromolar(self, ix):
        assert set(found(ix, "mum")) == {"family.txt"}

    def test_no_spelling_suggestion_for_a_word_the_sources_spell_otherwise(self, ix):
        result = ix.search("tumour")
        assert result.suggestions == {} and result.corrected_query is None
        assert ix.search("haemoglobn").suggestions == {"haemoglobn": "haemoglobin"}
