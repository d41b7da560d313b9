"""What `search` reports beside its hits: a count that tells something, and
results grouped by source (--by-source, --per-source) in text, JSON and HTML."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from search.present.cli import cli

from .conftest import write_corpus


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def search_json(*args) -> dict:
    result = run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def small(tmp_path):
    """An index of three documents, no synonyms: "baclofen controlled" is
    held whole by one passage, in part by two more."""
    corpus = write_corpus(
        tmp_path / "c",
        {
            "a.txt": "Baclofen is a controlled substance in some places.\n",
            "b.txt": "Baclofen is a muscle relaxant.\n",
            "c.txt": "A controlled trial of another drug.\n",
        },
    )
    run("index", corpus, "--index", tmp_path / "ix")
    return tmp_path / "ix"


class TestCount:
    def test_a_question_counts_the_passages_holding_every_word(self, small):
        data = search_json("Is baclofen controlled?", "--index", small)
        assert data["total"] == 3
        assert data["total_all_words"] == 1
        text = run("search", "Is baclofen controlled?", "--index", small).stdout
        assert text.splitlines()[0] == "1 passage holds every word (3 hold some)"

    def test_on_the_seeds_the_count_is_not_every_passage(self, seed_index):
        data = search_json("Is baclofen a controlled substance?", "--index", seed_index)
        assert 0 < data["total_all_words"] < data["total"]
        first = run("search", "Is baclofen a controlled substance?", "--index", seed_index)
        assert first.stdout.startswith(
            f"{data['total_all_words']} passages hold every word ({data['total']} hold some)"
        )

    @pytest.mark.parametrize("query", ["baclofen", "baclofen +controlled", "baclofen OR relaxant"])
    def test_no_such_count_for_one_word_or_required_words(self, small, query):
        data = search_json(query, "--index", small)
        assert data["total_all_words"] is None
        assert run("search", query, "--index", small).stdout.splitlines()[0].endswith("match")

    def test_when_every_passage_holds_every_word_the_line_is_plain(self, small):
        data = search_json("baclofen relaxant", "--index", small)
        assert data["total_all_words"] == 1 < data["total"] == 2
        data = search_json("muscle relaxant", "--index", small)
        assert data["total_all_words"] == data["total"] == 1
        assert run("search", "muscle relaxant", "--index", small).stdout.startswith(
            "1 passage match"
        )

    def test_the_page_shows_the_count(self, small, tmp_path):
        page = tmp_path / "page.html"
        run("search", "Is baclofen controlled?", "--index", small, "--html", page)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".count .all-words").get_text() == "1"
        assert soup.select_one(".count .total").get_text() == "3"


class TestBySource:
    QUERY = "withdrawal"

    @pytest.fixture
    def ranked(self, seed_index):
        """Every passage for QUERY by rank, as an ungrouped search gives them."""
        return search_json(self.QUERY, "--index", seed_index, "--limit", 1000)["hits"]

    def test_json_groups_the_best_passages_of_each_source(self, seed_index, ranked):
        data = search_json(self.QUERY, "--index", seed_index, "--by-source")
        sources = list(dict.fromkeys(hit["source"]["path"] for hit in ranked))
        assert data["total_sources"] == len(sources) > 1
        assert [g["source"]["path"] for g in data["groups"]] == sources  # by best passage
        for group in data["groups"]:
            own = [h for h in ranked if h["source"]["path"] == group["source"]["path"]]
            assert group["total"] == len(own)
            assert [h["passage_id"] for h in group["hits"]] == [h["passage_id"] for h in own[:3]]
            assert [h["rank"] for h in group["hits"]] == [h["rank"] for h in own[:3]]
        flat = [h for g in data["groups"] for h in g["hits"]]
        assert data["hits"] == sorted(flat, key=lambda h: h["rank"])

    def test_per_source_and_limit(self, seed_index):
        data = search_json(self.QUERY, "--index", seed_index, "--per-source", 1, "--limit", 2)
        assert len(data["groups"]) == 2
        assert [len(g["hits"]) for g in data["groups"]] == [1, 1]
        assert data["groups"][0]["hits"][0]["rank"] == 1

    def test_without_by_source_there_are_no_groups(self, seed_index):
        data = search_json(self.QUERY, "--index", seed_index)
        assert data["groups"] is None and data["total_sources"] is None

    def test_text_shows_a_heading_per_source(self, seed_index):
        data = search_json(self.QUERY, "--index", seed_index, "--by-source", "--per-source", 2)
        out = run("search", self.QUERY, "--index", seed_index, "--by-source", "--per-source", 2)
        lines = out.stdout.splitlines()
        assert lines[0].startswith(f"{data['total']} passages match in {data['total_sources']} ")
        assert "the best 2 passages of each" in lines[0]
        headings = [line for line in lines if line.startswith("== ")]
        assert len(headings) == len(data["groups"])
        for heading, group in zip(headings, data["groups"], strict=True):
            assert f"({group['source']['path']})" in heading
            assert heading.endswith(f"— {len(group['hits'])} of {group['total']} passages") or (
                group["total"] == 1 and heading.endswith("— 1 of 1 passage")
            )

    def test_the_page_groups_the_same_way(self, seed_index, tmp_path):
        page = tmp_path / "grouped.html"
        run("search", self.QUERY, "--index", seed_index, "--by-source", "--html", page)
        data = search_json(self.QUERY, "--index", seed_index, "--by-source")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sections = soup.select("section.group")
        assert [s["data-source"] for s in sections] == [
            g["source"]["path"] for g in data["groups"]
        ]
        for section, group in zip(sections, data["groups"], strict=True):
            assert len(section.select("ol.results > li")) == len(group["hits"])
            assert f"of {group['total']} passage" in section.select_one("h2").get_text()
        assert soup.select_one(".count .sources").get_text() == str(data["total_sources"])
