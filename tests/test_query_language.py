"""The query language as a user types it (docs/queries.md), through the CLI
on real indexes: booleans with filters, +word and -word, prefixes, unknown
filter values, phrase highlighting."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from search.present.cli import cli

from .conftest import write_corpus


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def search(seed_index):
    """`search QUERY --json` on the seeds: the parsed output."""

    def go(query, *options):
        result = run("search", query, "--index", seed_index, "--json", "--limit", 100, *options)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return go


@pytest.fixture
def refused(seed_index):
    """`search QUERY` on the seeds, expected to be a usage error: its line."""

    def go(query):
        result = run("search", query, "--index", seed_index)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        return result.stderr

    return go


def ids(data) -> set[str]:
    return {hit["passage_id"] for hit in data["hits"]}


def highlighted(hit) -> list[str]:
    return re.findall(r"\*\*(.+?)\*\*", hit["highlights"])


class TestBooleanFilters:
    def test_and_between_two_filters_keeps_both(self, search):
        data = search("kind:comment AND author:Jason")
        assert data["total"] == 1
        assert data["hits"][0]["author"] == "Jason" and data["hits"][0]["kind"] == "comment"
        assert ids(data) == ids(search("kind:comment author:Jason"))

    def test_or_between_two_filters_keeps_either(self, search):
        data = search("kind:comment OR kind:boilerplate")
        expected = search("kind:comment")["total"] + search("kind:boilerplate")["total"]
        assert data["total"] == expected > 0
        assert {hit["kind"] for hit in data["hits"]} == {"comment", "boilerplate"}

    def test_filters_in_parentheses_filter_the_words(self, search):
        data = search("(kind:comment OR kind:boilerplate) baclofen")
        assert data["hits"] and {hit["kind"] for hit in data["hits"]} <= {"comment", "boilerplate"}

    def test_a_filter_and_a_word_joined_by_and(self, search):
        data = search("tapering AND kind:comment")
        assert [h["author"] for h in data["hits"]] == ["Jeanne"]

    def test_query_filter_and_kind_option_both_hold(self, search):
        assert search("kind:comment", "--kind", "content")["total"] == 0
        assert ids(search("kind:comment", "--kind", "comment")) == ids(search("kind:comment"))

    def test_a_negated_filter_excludes(self, search):
        data = search("baclofen -kind:boilerplate -kind:comment")
        assert data["hits"] and {hit["kind"] for hit in data["hits"]} == {"content"}

    def test_a_filter_ending_a_question_drops_its_punctuation(self, search):
        assert ids(search("tapering kind:comment?")) == ids(search("tapering kind:comment"))

    def test_dates_filter_by_year_month_day_or_range(self, search):
        assert [h["author"] for h in search("date:2006")["hits"]] == ["Jason"]
        assert [h["author"] for h in search("date:2006-11-20")["hits"]] == ["Jason"]
        ranged = search("date:2006..2007")["hits"]
        assert ranged and all("2006" <= h["date"][:4] <= "2007" for h in ranged)
        assert search("date:2008-01")["total"] >= 1


class TestPlusMinus:
    def test_minus_excludes_a_word(self, search):
        data = search("baclofen -withdrawal")
        assert 0 < data["total"] < search("baclofen")["total"]
        for hit in data["hits"]:
            assert "withdraw" not in hit["text"].lower()
            assert "withdraw" not in hit["source"]["title"].lower()

    def test_minus_word_as_its_own_argument_is_a_query_word(self, seed_index, search):
        """`groundsearch search baclofen -withdrawal`, unquoted, as a search box."""
        for args in (["baclofen", "-withdrawal"], ["-withdrawal", "baclofen"]):
            result = run("search", *args, "--index", seed_index, "--json", "--limit", 100)
            assert result.exit_code == 0, result.output
            assert ids(json.loads(result.stdout)) == ids(search("baclofen -withdrawal"))

    def test_an_unknown_long_option_is_still_an_error(self, seed_index):
        result = run("search", "baclofen", "--withdrawal", "--index", seed_index)
        assert result.exit_code == 2 and "No such option '--withdrawal'" in result.stderr

    def test_plus_requires_a_word(self, search):
        data = search("baclofen +hiccups")
        assert data["hits"] and all("hiccup" in hit["text"].lower() for hit in data["hits"])

    def test_minus_a_phrase(self, search):
        data = search('abuse -"abuse potential"')
        assert data["hits"]
        assert all("abuse potential" not in hit["text"].lower() for hit in data["hits"])

    def test_an_inner_hyphen_is_part_of_the_word(self, search):
        assert search("GABA-B")["total"] > 0
        assert ids(search("baclofen - withdrawal")) == ids(search("baclofen withdrawal"))


class TestPrefixes:
    @pytest.mark.parametrize("typed", ["halluc*", "hallucinat*", "hallucinations*"])
    def test_a_prefix_matches_as_typed_whatever_the_stem(self, search, typed):
        """'hallucinations' is indexed as the stem 'hallucin', which
        'hallucinat' does not begin."""
        expected = search("hallucinations")
        data = search(typed)
        assert data["total"] == expected["total"] == 3
        assert ids(data) == ids(expected)
        for hit in data["hits"]:
            words = highlighted(hit)
            assert words and all(w.lower().startswith("halluc") for w in words)

    def test_addicti_finds_addiction_and_addictive(self, search):
        assert ids(search("addicti*")) == ids(search("addiction OR addictive")) != set()

    def test_a_stem_shared_with_other_words_is_checked(self, tmp_path):
        """'medication' and 'medical' share the stem 'medic': medicat* finds
        only the passage that says 'medication'."""
        corpus = write_corpus(
            tmp_path / "c",
            {"a.txt": "The medication helped.\n", "b.txt": "A medical exam.\n",
             "c.txt": "Medicine.\n"},
        )
        run("index", corpus, "--index", tmp_path / "ix")
        result = run("search", "medicat*", "--index", tmp_path / "ix", "--json")
        data = json.loads(result.stdout)
        assert [h["source"]["path"] for h in data["hits"]] == ["a.txt"]
        assert highlighted(data["hits"][0]) == ["medication"]
        both = json.loads(run("search", "medic*", "--index", tmp_path / "ix", "--json").stdout)
        assert {h["source"]["path"] for h in both["hits"]} == {"a.txt", "b.txt", "c.txt"}

    def test_a_prefix_is_never_spelling_corrected(self, search):
        data = search("medicat*")
        assert data["corrected_query"] is None and data["suggestions"] == {}
        assert all("medicat" in hit["text"].lower() for hit in data["hits"])

    def test_words_beside_a_prefix_are_still_corrected(self, search):
        data = search("medicat* withdrawl")
        assert data["corrected_query"] == "medicat* withdrawal"

    @pytest.mark.parametrize("query", ["*ache", "ba*clofen", "**bold**", "a*"])
    def test_other_wildcards_are_refused(self, refused, query):
        assert "*" in refused(query)

    def test_a_star_alone_finds_nothing(self, search):
        assert search("*")["total"] == 0


class TestUnknownValues:
    def test_unknown_kind_names_the_kinds(self, refused):
        line = refused("kind:comments")
        assert "'comments'" in line and "content, comment, boilerplate" in line

    def test_unknown_source_names_the_sources(self, refused):
        line = refused("source:nonexistent")
        assert "source:nonexistent" in line
        assert "000_edc437d76033edf8.txt" in line and "groundsearch sources" in line

    def test_unknown_source_close_to_a_known_one(self, refused):
        assert "did you mean recovery?" in refused("source:recovry")

    def test_unknown_author_suggests_a_poster(self, refused):
        assert "did you mean jason?" in refused("author:Jasn")

    def test_a_date_no_passage_has_gives_the_range(self, refused):
        assert "2006-11-20 to 2008-01-04" in refused("date:2021")

    def test_a_malformed_date_says_what_the_filter_accepts(self, refused):
        assert "date:2006-11-20" in refused("date:last-year")

    def test_a_filter_without_a_value(self, refused):
        assert "needs a value" in refused("kind:")

    def test_unknown_values_are_errors_wherever_they_stand(self, refused):
        refused("baclofen OR source:nonexistent")
        refused("baclofen -kind:rumour")

    def test_filters_are_not_spelling_corrected(self, refused, search):
        refused("author:Jasn withdrawl")
        assert search("kind:comment withdrawl")["corrected_query"] == "kind:comment withdrawal"


class TestSyntaxErrors:
    @pytest.mark.parametrize(
        "query", ["NOT NOT NOT", "baclofen AND", "OR baclofen", "a AND OR b", "(" * 60 + "a"]
    )
    def test_malformed_queries_are_one_line(self, refused, query):
        refused(query)

    @pytest.mark.parametrize(
        "query", ["(withdrawal OR tapering", "withdrawal)", '"abuse potential']
    )
    def test_unclosed_parentheses_and_quotes_close_at_the_end(self, search, query):
        assert search(query)["total"] > 0


class TestPhraseHighlighting:
    def test_a_phrase_is_highlighted_only_where_it_stands(self, search):
        data = search('"abuse potential" DEA')
        assert data["hits"]
        for hit in data["hits"]:
            text = hit["highlights"]
            assert "**abuse** **potential**" in text or "**DEA**" in text
            # "abuse" alone, "potential for abuse": not the phrase
            assert not re.search(r"\*\*abuse\*\*(?! \*\*potential)", text)
            assert not re.search(r"(?<!\*\*abuse\*\* )\*\*potential\*\*", text)

    def test_a_synonym_phrase_is_not_highlighted_word_by_word(self, search):
        """"Drug Enforcement Administration" (DEA's synonym) left "drug"
        highlighted in "an addictive drug"."""
        for hit in search('"abuse potential" DEA')["hits"]:
            marked = [w.lower() for w in highlighted(hit)]
            if "drug" in marked:
                assert "**Drug** **Enforcement** **Administration**" in hit["highlights"]

    def test_excluded_words_are_not_highlighted(self, search):
        for hit in search("baclofen NOT alcohol")["hits"]:
            assert "alcohol" not in [w.lower() for w in highlighted(hit)]
