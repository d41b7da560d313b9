"""No text lost: every word of a document that is not markup reaches a
passage, or is the heading a passage is written under (`section`)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from indexer import index_folder
from indexer.reading.blocks import HEADING
from indexer.reading.boilerplate import sentence_rule
from indexer.reading.html import HtmlLoader
from indexer.reading.passages import split_passages
from indexer.reading.plain import MarkdownLoader, TextLoader, heading_text
from search import Index

from .conftest import write_corpus
from .test_properties import documents, html_documents, load

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORD = re.compile(r"\w+")
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def lost_words(extracted, max_chars: int = 120) -> list[str]:
    """The words of the document's text that no passage holds, nor the
    heading any passage is written under."""
    text = extracted.text
    passages = split_passages(extracted, "doc", max_chars)
    kept = bytearray(len(text))
    for passage in passages:
        kept[passage.start : passage.end] = b"\x01" * (passage.end - passage.start)
    # (a heading that reads as boilerplate is a passage, not a section)
    headings = [
        b for b in extracted.blocks
        if b.type == HEADING and not sentence_rule(text[b.start : b.end])
    ]
    for number, block in enumerate(headings):
        until = headings[number + 1].start if number + 1 < len(headings) else len(text)
        name = heading_text(text, block)
        if any(p.section == name and block.end <= p.start < until for p in passages):
            kept[block.start : block.end] = b"\x01" * (block.end - block.start)
    start = 0
    if extracted.format == "md" and (front := _FRONT_MATTER.match(text)):
        start = front.end()  # metadata: the title, URL, publisher, date
    return [
        word.group()
        for word in _WORD.finditer(text, start)
        if not all(kept[word.start() : word.end()])
    ]


@SETTINGS
@given(documents)
def test_a_text_file_loses_no_word(text):
    assert lost_words(load(TextLoader(), text.encode())) == []


@SETTINGS
@given(documents)
def test_a_markdown_file_loses_no_word(text):
    assert lost_words(load(MarkdownLoader(), text.encode())) == []


@SETTINGS
@given(html_documents)
def test_a_web_page_loses_no_word_of_its_text(markup):
    """Of what the page shows as its text (not scripts, styles, forms,
    navigation or the page's own header and footer, which are dropped)."""
    assert lost_words(load(HtmlLoader(), markup.encode())) == []


@pytest.mark.parametrize(
    "name, data",
    [
        ("a.txt", b"Baclofen is a muscle relaxant"),
        ("b.txt", b"Cafe baclofen resume zebrafishword"),
        ("c.txt", "Café baclofen résumé zebrafishword".encode("cp1252")),
        ("d.txt", "Café baclofen résumé zebrafishword".encode("utf-16")),
        ("e.md", b"# Baclofen is a muscle relaxant\n"),
        ("f.md", b"Baclofen is a muscle relaxant\n============================\n"),
        ("g.html", b"<h1>Baclofen is a muscle relaxant</h1>"),
    ],
)
def test_a_lone_line_is_a_passage(tmp_path, name, data):
    """A file whose whole text is one line without a full stop was not
    indexed at all ("no text to index"): the line was read as a heading."""
    corpus = write_corpus(tmp_path / "corpus", {name: data})
    report = index_folder(corpus, tmp_path / "ix")
    assert report.passages == 1 and not [n for n in report.notes if "no text" in n["note"]]
    with Index(tmp_path / "ix") as ix:
        (passage,) = ix.passages(name)
        assert "baclofen" in passage.text.lower() and not passage.text.startswith("#")
        word = "relaxant" if "relaxant" in passage.text else "zebrafishword"
        assert [h.passage.path for h in ix.search(word).hits] == [name]


def test_a_heading_over_nothing_is_a_passage():
    text = "# Baclofen\n\n## Dosing ##\n\nStart low.\n\n## Withdrawal\n"
    passages = split_passages(MarkdownLoader().load(text.encode()), "a.md")
    assert [(p.text, p.section) for p in passages] == [
        ("Baclofen", None),
        ("Start low.", "Dosing"),
        ("Withdrawal", "Dosing"),
    ]
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
