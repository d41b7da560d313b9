"""No text misattributed: a signature between blank lines is read from the
page as a whole, and calls to buy are boilerplate."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.reading.boilerplate import sentence_rule
from indexer.reading.passages import split_passages
from indexer.reading.plain import MarkdownLoader
from search.present.cli import cli

from .conftest import write_corpus

ARTICLE = (
    "A 2019 study found that melatonin shortened the time it takes to fall asleep "
    "by about seven minutes."
)
REPLY = "Seven minutes? My doctor told me it would knock me out in seconds."
ERIN = "Posted by Erin on March 3, 2012"


def who(markdown: str) -> list[tuple[str, str | None, str]]:
    """(kind, author, first words) of each passage of a Markdown page."""
    passages = split_passages(MarkdownLoader().load(markdown.encode()), "page.md")
    return [(p.kind, p.author, p.text[:20]) for p in passages]


class TestSignatureBetweenBlankLines:
    def test_the_reply_below_is_the_signers_and_the_article_the_pages(self):
        page = f"# Melatonin and sleep\n\n{ARTICLE}\n\n{ERIN}\n\n{REPLY}\n"
        assert who(page) == [
            ("content", None, ARTICLE[:20]),
            ("boilerplate", None, ERIN[:20]),
            ("comment", "Erin", REPLY[:20]),
        ]

    def test_under_a_comments_heading(self):
        page = f"# Melatonin and sleep\n\n{ARTICLE}\n\n## Comments\n\n{ERIN}\n\n{REPLY}\n"
        assert who(page)[0] == ("content", None, ARTICLE[:20])
        assert who(page)[-1] == ("comment", "Erin", REPLY[:20])

    def test_under_a_comments_heading_with_a_signature_at_the_end(self):
        page = (
            f"# Melatonin and sleep\n\n{ARTICLE}\n\n## 2 Comments\n\n{ERIN}\n\n{REPLY}\n\n"
            "Posted by Sam on March 4, 2012\n"
        )
        assert who(page)[0] == ("content", None, ARTICLE[:20])
        assert ("comment", "Erin", REPLY[:20]) in who(page)

    def test_every_such_signature_on_the_page_reads_alike(self):
        page = (
            f"# Melatonin and sleep\n\n{ARTICLE}\n\n{ERIN}\n\n{REPLY}\n\n"
            "Posted by Sam on March 4, 2012\n\nIt never worked for me.\n"
        )
        assert [(kind, author) for kind, author, _ in who(page)] == [
            ("content", None),
            ("boilerplate", None),
            ("comment", "Erin"),
            ("boilerplate", None),
            ("comment", "Sam"),
        ]

    def test_a_thread_signed_below_stays_signed_below(self):
        """Its last signature has nothing below it: each signs the post above."""
        page = (
            "# Sleep forum\n\nDoes melatonin work for anyone?\n\n"
            f"{ERIN}\n\nIt never worked for me.\n\nPosted by Sam on March 4, 2012\n"
        )
        assert [(kind, author) for kind, author, _ in who(page)] == [
            ("comment", "Erin"),
            ("boilerplate", None),
            ("comment", "Sam"),
            ("boilerplate", None),
        ]

    def test_when_it_cannot_be_told_no_reader_is_named(self):
        """One signature under the article, nothing below: the article's
        signature or its byline.  The text is a comment with no author, never
        the article credited to Erin."""
        page = f"# Melatonin and sleep\n\n{ARTICLE}\n\n{ERIN}\n"
        assert who(page)[0] == ("comment", None, ARTICLE[:20])

    def test_through_the_command_line(self, tmp_path):
        page = f"# Melatonin and sleep\n\n{ARTICLE}\n\n{ERIN}\n\n{REPLY}\n"
        corpus = write_corpus(tmp_path / "c", {"page.md": page})
        CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
        result = CliRunner().invoke(
            cli, ["search", "seven minutes", "--index", str(tmp_path / "ix"), "--json"]
        )
        hits = {h["text"][:20]: h for h in json.loads(result.stdout)["hits"]}
        assert (hits[ARTICLE[:20]]["kind"], hits[ARTICLE[:20]]["author"]) == ("content", None)
        reply = hits[REPLY[:20]]
        assert (reply["kind"], reply["author"], reply["date"]) == ("comment", "Erin", "2012-03-03")


class TestSalesPitches:
    @pytest.mark.parametrize(
        "sentence",
        [
            "Buy SleepWell Melatonin Gummies now and save 20%.",
            "Order now and get FREE shipping!",
            "Sign up for our newsletter!",
            "Shop our sleep range today.",
            "Subscribe and save 15% on every delivery.",
            "Use code SLEEP15 at checkout.",
            "Call now!",
            "Try it risk-free: free shipping on every order.",
            "Don't wait, order today!",
        ],
    )
    def test_calls_to_buy_are_boilerplate(self, sentence):
        assert sentence_rule(sentence), sentence

    @pytest.mark.parametrize(
        "sentence",
        [
            "Patients buy it over the counter.",
            "Many patients order online from pharmacies without a licence.",
            "Order of administration matters.",
            "Save the leftover tablets for your pharmacist.",
            "People who buy melatonin rarely read the label.",
            "Get plenty of sleep while tapering.",
        ],
    )
    def test_buying_as_a_fact_stays_content(self, sentence):
        assert sentence_rule(sentence) is None, sentence

    def test_on_a_page(self, tmp_path):
        page = (
            "# SleepWell\n\nMelatonin helps some people fall asleep. "
            "Buy SleepWell Melatonin Gummies now and save 20%. Order now and get FREE shipping!\n"
        )
        assert [(kind, text) for kind, _, text in who(page)] == [
            ("content", "Melatonin helps some"),
            ("boilerplate", "Buy SleepWell Melato"),
        ]
