"""One spelling for British and American forms, Greek letters, accents,
ligatures and sub- or superscripts, at indexing and search time alike; the
passages keep their own spelling.  A hyphenated query word also finds its
joined spelling ("IL-6", "IL6")."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import index_folder
from indexer.spellings import BRITISH, GREEK, LETTERS, normalise
from search import Index

from .conftest import write_corpus

DOCS = {
    "uk.txt": "NHS guidance\n\nThe tumour shrank and haemoglobin rose in the randomised trial.\n",
    "us.txt": "FDA label\n\nThe tumor shrank and hemoglobin rose in the randomized trial.\n",
    "greek.txt": "Cytokines\n\nTNF-α and IFN-γ levels fell; NF-κB stayed active.\n",
    "latin.txt": "Cytokines again\n\nTNF-alpha was measured at 5 μM in each well.\n",
    "family.txt": "Family\n\nEvery mum was asked to keep a diary of the exercise she did.\n",
    "accents.txt": "Diet\n\nNaïve patients with Sjögren syndrome took açaí and vitamin B₁₂.\n",
    # The same accents as separate combining marks, as decomposed text has them.
    "decomposed.txt": "Clinic\n\nNai\u0308ve patients came to the Sjo\u0308gren clinic.\n",
}


@contextmanager
def indexed(tmp_path, docs):
    """An index of `docs` (file name -> text), open."""
    index_folder(write_corpus(tmp_path / "docs", docs), tmp_path / "index")
    with Index(tmp_path / "index") as opened:
        yield opened


@pytest.fixture
def ix(tmp_path):
    with indexed(tmp_path, DOCS) as opened:
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

    @pytest.mark.parametrize(
        "written, plain",
        [
            ("naïve", "naive"),
            ("sjögren", "sjogren"),
            ("açaí", "acai"),
            ("b₁₂", "b12"),
            ("m²", "m2"),
            ("œdema", "edema"),  # the ligature, then the British spelling
            ("ﬁbrosis", "fibrosis"),
            ("tromsø", "tromso"),
            ("il1ß", "il1beta"),
            ("ά", "alpha"),
        ],
    )
    def test_accents_ligatures_and_small_figures_are_folded(self, written, plain):
        assert normalise(written) == plain

    def test_other_scripts_keep_their_marks(self):
        # Folding applies only when it leaves plain ASCII: dropping the vowel
        # signs of Hindi or the accents of Russian would merge distinct words.
        for word in ("हिंदी", "молоко", "йод", "日本"):
            assert normalise(word) == word
        assert normalise("йκ") == "йkappa"  # Greek letters are still named

    PIECES = sorted(BRITISH) + sorted(BRITISH.values()) + sorted(GREEK) + sorted(LETTERS) + [
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

    def test_the_plain_form_finds_accents_and_small_figures(self, ix):
        hits = found(ix, "naive sjogren acai B12")
        assert hits["accents.txt"] == (
            "**Naïve** patients with **Sjögren** syndrome took **açaí** and vitamin **B₁₂**."
        )
        assert "accents.txt" in found(ix, "Sjögren")
        decomposed = found(ix, "naive sjogren")["decomposed.txt"]
        assert decomposed == "**Nai\u0308ve** patients came to the **Sjo\u0308gren** clinic."
        assert "accents.txt" in found(ix, '"vitamin b12"')  # phrases go through Whoosh

    def test_a_misspelling_without_accents_is_corrected_to_the_accented_word(self, ix):
        result = ix.search("sjogrn")
        assert result.suggestions == {"sjogrn": "sjögren"}
        assert {h.passage.path for h in result.hits} >= {"accents.txt", "decomposed.txt"}

    def test_decomposed_text_gives_whole_words_to_the_vocabulary(self, tmp_path):
        docs = {"decomposed.txt": DOCS["decomposed.txt"]}
        with indexed(tmp_path, docs) as only:
            assert only.search("sjogrn").suggestions == {"sjogrn": "sjögren"}

    def test_mum_does_not_match_micromolar(self, ix):
        assert set(found(ix, "mum")) == {"family.txt"}

    def test_no_spelling_suggestion_for_a_word_the_sources_spell_otherwise(self, ix):
        result = ix.search("tumour")
        assert result.suggestions == {} and result.corrected_query is None
        assert ix.search("haemoglobn").suggestions == {"haemoglobn": "haemoglobin"}


JOINED_DOCS = {
    "hyphen.txt": "Cytokines\n\nIL-6 levels rose once the birth-weight was known.\n",
    "joined.txt": "Cytokines again\n\nIL6 levels rose once the birthweight was known.\n",
    "both.txt": "Both\n\nInterleukin 6 (IL-6, also written IL6) was measured.\n",
    "range.txt": "Timing\n\nSymptoms resolved within 4-72 hours.\n",
    "number.txt": "Doses\n\nA dose of 472 mg was given.\n",
}


@pytest.fixture
def joined_ix(tmp_path):
    with indexed(tmp_path, JOINED_DOCS) as opened:
        yield opened


def scores(ix, query):
    return dict(ix.rank(query, limit=None, by_source=True))


class TestJoinedSpellings:
    def test_a_hyphenated_word_finds_its_joined_spelling(self, joined_ix):
        hits = found(joined_ix, "IL-6 levels")
        assert "**IL6** **levels**" in hits["joined.txt"]
        assert "**IL**-**6** **levels**" in hits["hyphen.txt"]
        assert "joined.txt" in found(joined_ix, "birth-weight")
        # A passage that only writes it joined scores as if the query had too.
        only_joined = scores(joined_ix, "IL6")["joined.txt"]
        assert scores(joined_ix, "IL-6")["joined.txt"] == pytest.approx(only_joined)

    def test_the_joined_spelling_is_found_when_no_source_hyphenates(self, tmp_path):
        with indexed(tmp_path, {"only.txt": "Cytokines\n\nIL6 rose in every sample.\n"}) as ix:
            assert "**IL6**" in found(ix, "IL-6")["only.txt"]

    def test_a_passage_with_both_spellings_counts_the_word_once(self, joined_ix):
        # The better of the parts and the joined term, never both.
        hyphenated = scores(joined_ix, "IL-6")["both.txt"]
        parts, joined = scores(joined_ix, "IL 6")["both.txt"], scores(joined_ix, "IL6")["both.txt"]
        assert max(parts, joined) <= hyphenated < parts + joined

    def test_a_number_range_is_not_a_joined_number(self, joined_ix):
        assert set(found(joined_ix, "4-72")) == {"range.txt"}

    def test_without_the_joined_spelling_in_the_index_nothing_changes(self, joined_ix):
        assert scores(joined_ix, "levels-rose") == scores(joined_ix, "levels rose")

    def test_rank_and_search_agree(self, joined_ix):
        ranked = [path for path, _ in joined_ix.rank("IL-6", limit=None, by_source=True)]
        searched = list(dict.fromkeys(found(joined_ix, "IL-6")))
        assert ranked == searched and "joined.txt" in ranked

    def test_feedback_keeps_the_joined_spelling(self, joined_ix):
        hits = joined_ix.search("IL-6", feedback=True).hits
        assert "joined.txt" in {h.passage.path for h in hits}
