"""HTML pages through the public API: structure (BeautifulSoup `select`), escaping, size."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from indexer import index_folder
from indexer.model import Passage, SourceInfo
from search import Index
from search.claims.audit import audit
from search.claims.records import (
    AFFIRMS,
    DENIES,
    Agreement,
    Answer,
    AuditReport,
    Claim,
    Conflict,
    Position,
    Quote,
)
from search.present.cli import cli
from search.present.html import (
    environment,
    marked_html,
    passage_contexts,
    render_ask,
    render_audit,
    render_search,
    safe_url,
    templates_dir,
    write_page,
)
from search.retrieval.engine import Hit, SearchResult

from .conftest import make_index, write_corpus
from .records import DEA_DENIES, ZINNIA, seed_answer, seed_audit_report

EVIL_TEXT = (
    "Baclofen warning <script>alert(1)</script> and <b>bold claims</b> & more.\n\n"
    "Baclofen is fine, says <img src=x onerror=alert(2)>."
)
EVIL_SOURCES = """
[sources."evil.txt"]
title = "<b>Bold</b> title <script>alert('title')</script>"
url = "javascript:alert(3)"
publisher = "<i>Publisher</i>"

[sources."good.txt"]
title = "Good page"
url = "https://example.org/good?a=1&b=2"

[sources."data.txt"]
title = "Data page"
url = "data:text/html,<script>alert(4)</script>"
"""


def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory) -> Path:
    """Documents whose text, title and URL hold markup and script."""
    folder = write_corpus(
        tmp_path_factory.mktemp("evil") / "corpus",
        {
            "evil.txt": EVIL_TEXT,
            "good.txt": "Baclofen is a muscle relaxant.",
            "data.txt": "Baclofen tablets come in 10 mg.",
            "sources.toml": EVIL_SOURCES,
        },
    )
    location = folder.parent / "index"
    index_folder(folder, location)
    return location


def search_page(index: Path, query: str, **kwargs) -> BeautifulSoup:
    with Index(index) as ix:
        result = ix.search(query, limit=kwargs.pop("limit", 10))
        contexts = passage_contexts(ix, result.hits)
    return soup(render_search(result, contexts=contexts, **kwargs))


class TestSearchPage:
    def test_each_result_shows_rank_source_location_and_kind(self, seed_index):
        """Every hit has its rank, title, path:line, passage id and kind badge."""
        page = search_page(seed_index, "Is baclofen a controlled substance?", limit=5)
        results = page.select("ol.results > li.result")
        assert len(results) == 5
        first = results[0]
        assert first.select_one(".rank").get_text() == "1."
        assert (
            first.select_one(".source-title").get_text()
            == "Baclofen side effects, abuse and toxicity"
        )
        assert first.select_one(".where").get_text() == "001_a426a29352d06d7c.txt:28"
        assert first.select_one(".kind").get_text() == "content"
        assert "kind-content" in first.select_one(".kind")["class"]
        assert first.select_one(".passage-id").get_text() == "001_a426a29352d06d7c.txt#408e47c672"
        assert [r.select_one(".rank").get_text() for r in results] == ["1.", "2.", "3.", "4.", "5."]

    def test_query_and_counts(self, seed_index):
        page = search_page(seed_index, "Is baclofen a controlled substance?", limit=2)
        assert page.select_one("h1 .query").get_text() == "Is baclofen a controlled substance?"
        assert page.select_one(".count .total").get_text() == "90"
        assert page.select_one(".count .shown").get_text() == "2"
        assert page.title.get_text().startswith("Is baclofen a controlled substance?")

    def test_corrected_query_is_shown(self, seed_index):
        page = search_page(seed_index, "withdrawl symptons")
        assert page.select_one(".corrected-query").get_text() == "withdrawal symptoms"

    def test_matches_are_marked(self, seed_index):
        """The matched words, and only they, are in <mark>; the text is otherwise verbatim."""
        with Index(seed_index) as ix:
            result = ix.search("controlled substance", limit=3)
        page = soup(render_search(result))
        for hit, li in zip(result.hits, page.select("li.result"), strict=True):
            text = li.select_one(".passage-text")
            assert text.get_text() == hit.passage.text
            marked = [m.get_text() for m in text.select("mark")]
            assert marked == [hit.passage.text[a:b] for a, b in hit.matches]
            assert "controlled" in {m.lower() for m in marked}

    def test_context_is_collapsible_and_surrounds_the_passage(self, seed_index):
        page = search_page(seed_index, '"controlled substances"', limit=1)
        details = page.select_one("li.result details.context")
        assert details is not None and not details.has_attr("open")
        assert "lines 26–30" in details.summary.get_text()
        source = details.select_one(".source-text")
        here = source.select_one(".here").get_text()
        assert here.startswith("Although the number of cases with Baclofen abuse is growing")
        text = source.get_text()
        assert text.index("Unlike gabapentin") < text.index(here)  # line 26, before the passage

    def test_no_context_without_contexts(self, seed_index):
        with Index(seed_index) as ix:
            result = ix.search("baclofen", limit=2)
        assert soup(render_search(result)).select("details") == []

    def test_comment_shows_author_and_date(self, seed_index):
        page = search_page(seed_index, "kind:comment tapering", limit=1)
        first = page.select_one("li.result")
        assert first.select_one(".kind").get_text() == "comment"
        assert first.select_one(".commenter .author").get_text() == "Jeanne"
        date = first.select_one(".commenter time.date")
        assert date["datetime"] == "2008-01-04T03:12:10"
        assert date.get_text() == "2008-01-04 03:12"

    def test_content_has_no_commenter(self, seed_index):
        page = search_page(seed_index, "kind:content baclofen", limit=3)
        assert page.select(".commenter") == []

    def test_by_source_groups_results_under_each_source(self, seed_index):
        with Index(seed_index) as ix:
            result = ix.search("withdrawal symptoms", limit=12)
        page = soup(render_search(result, by_source=True))
        groups = page.select("section.group")
        paths = [g["data-source"] for g in groups]
        assert len(paths) == len(set(paths)) == len({h.source.path for h in result.hits})
        assert paths[0] == result.hits[0].source.path
        for group in groups:
            wheres = [w.get_text() for w in group.select("li.result .where")]
            assert all(w.startswith(group["data-source"] + ":") for w in wheres)
        assert sum(len(g.select("li.result")) for g in groups) == len(result.hits)

    def test_empty_result(self, seed_index):
        page = soup(render_search(SearchResult("zzzz", None, 0, (), {})))
        assert page.select("li.result") == []
        assert page.select_one(".count .total").get_text() == "0"

    def test_large_result_set_renders(self):
        """500 hits render into one page of 500 results (templates are linear)."""
        source = SourceInfo("big.txt", "Big", "https://example.org/big", "Pub")
        hits = []
        for i in range(500):
            text = f"Passage {i} about baclofen withdrawal <and> other things."
            passage = Passage(
                f"big#{i + 1}", "big.txt", i * 100, i * 100 + len(text), i + 1, text, "content"
            )
            hits.append(
                Hit(
                    i + 1,
                    10 - i / 100,
                    passage,
                    source,
                    ((len(f"Passage {i} about "), len(f"Passage {i} about baclofen")),),
                )
            )
        result = SearchResult("baclofen", None, 500, tuple(hits), {})
        for by_source in (False, True):
            page = soup(render_search(result, by_source=by_source))
            assert len(page.select("li.result")) == 500
            assert len(page.select("li.result mark")) == 500
            assert page.select_one("#r500 .rank").get_text() == "500."


class TestEscaping:
    """Source text and metadata are data: they appear as text, never as markup."""

    def test_search_page_escapes_text_title_and_publisher(self, evil_index):
        page_text = None
        with Index(evil_index) as ix:
            result = ix.search("baclofen", limit=10)
            page_text = render_search(result, contexts=passage_contexts(ix, result.hits))
        page = soup(page_text)
        assert page.select("script") == []
        assert page.select("b, i, img") == []
        assert "<script>alert(1)</script>" in page.get_text()
        assert "<b>bold claims</b>" in page.get_text()
        assert "<img src=x onerror=alert(2)>" in page.get_text()
        titles = [t.get_text() for t in page.select(".source-title")]
        assert "<b>Bold</b> title <script>alert('title')</script>" in titles
        assert "<i>Publisher</i>" in [p.get_text() for p in page.select(".publisher")]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text

    def test_by_source_headings_are_escaped(self, evil_index):
        with Index(evil_index) as ix:
            page = soup(render_search(ix.search("baclofen"), by_source=True))
        assert page.select("script, b, i") == []
        assert any("<script>" in h.get_text() for h in page.select("section.group h2"))

    def test_only_http_urls_become_links(self, evil_index):
        with Index(evil_index) as ix:
            page = soup(render_search(ix.search("baclofen", limit=10), by_source=True))
        hrefs = [a["href"] for a in page.select("a[href]")]
        assert hrefs and set(hrefs) == {"https://example.org/good?a=1&b=2"}
        evil = [t for t in page.select(".source-title") if "Bold" in t.get_text()]
        assert evil and all(t.name == "span" for t in evil)
        assert "javascript:" not in str(page.select("[href], [src]"))

    def test_marked_html_escapes_around_and_inside_spans(self):
        text = "<b>x</b> & <script>y</script>"
        html = marked_html(text, [(3, 4), (19, 20)])
        assert (
            str(html)
            == "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &lt;script&gt;<mark>y</mark>&lt;/script&gt;"
        )

    def test_marked_html_survives_bad_spans(self):
        """Overlapping, unsorted or out-of-range spans never drop or duplicate text."""
        text = "<a>bcdef"
        html = marked_html(text, [(5, 7), (-3, 2), (1, 4), (6, 99), (8, 8)], tag="em")
        assert soup(str(html)).get_text() == text
        assert "<a>" not in str(html)

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("https://example.org/x", "https://example.org/x"),
            ("http://example.org", "http://example.org"),
            ("  HTTPS://Example.org/  ", "HTTPS://Example.org/"),
            ("javascript:alert(1)", None),
            ("JavaScript:alert(1)", None),
            (" java\tscript:alert(1)", None),
            ("data:text/html,<script>", None),
            ("vbscript:x", None),
            ("//example.org/x", None),
            ("/relative", None),
            ("http:/no-host", None),
            ("https://exa\nmple.org", None),
            ("", None),
            (None, None),
        ],
    )
    def test_safe_url(self, url, expected):
        assert safe_url(url) == expected

    def test_audit_page_escapes_claims(self):
        source = SourceInfo("evil.txt", "<b>T</b>", "javascript:alert(1)", "<i>P</i>")
        text = "It <script>alert(1)</script> does <b>not</b> help."
        quote = Quote(text, 0, len(text), "evil#1", "comment", "<u>me</u>", "2020-01-01", source, 1)
        a = Claim(
            quote, "<aspect>", DENIES, "<the DEA>", ((text.index("not"), text.index("not") + 3),)
        )
        b = Claim(quote, "<aspect>", AFFIRMS, None)
        voice = Position("<aspect>", source, "<u>me</u>", "comment", DENIES, 0.9, a, (a,), "<the DEA>")
        report = AuditReport(
            "<topic>",
            (a, b),
            (Conflict(a, (b,), "negation", "<why>"),),
            (Agreement("<aspect>", (a, b)),),
            positions=(voice,),
        )
        page = soup(render_audit(report))
        assert page.select("script, b, i, u, aspect, topic, why, the") == []
        assert page.select_one("table.positions .speaker").get_text() == "<the DEA>"
        assert page.select("[href^='javascript'], [src]") == []
        assert page.select_one("h1").get_text() == "Audit: <topic>"
        assert page.select_one(".conflict .explanation").get_text() == "<why>"
        quote_el = page.select_one(".claim .quote")
        assert quote_el.get_text() == text
        assert quote_el.select_one("em.cue").get_text() == "not"
        assert page.select_one(".claim .author").get_text() == "<u>me</u>"
        assert page.select_one(".attributed-to").get_text() == "according to <the DEA>"

    def test_ask_page_escapes(self):
        source = SourceInfo("evil.txt", "<b>T</b>", "javascript:alert(1)")
        text = "Yes <script>alert(1)</script>."
        answer = Answer(
            "<q>?", (Quote(text, 0, len(text), "evil#1", "content", None, None, source, 1),), ()
        )
        page = soup(render_ask(answer))
        assert page.select("script, b") == []
        assert page.select_one(".sentence").get_text().startswith(text)
        assert page.select("[href^='javascript']") == []

    def test_templates_never_mark_data_safe(self):
        for template in templates_dir().glob("*.html"):
            assert not re.search(r"\|\s*safe\b", template.read_text()), template.name
            assert "autoescape false" not in template.read_text(), template.name


class TestAskPage:
    def test_sentences_cite_passages_below(self):
        page = soup(render_ask(seed_answer()))
        sentences = page.select(".answer .sentence")
        assert [s.select_one("a.cite").get_text() for s in sentences] == ["[1]", "[2]"]
        for s in sentences:
            target = page.select_one(s.select_one("a.cite")["href"])
            assert target is not None and "result" in target["class"]
        cited = page.select("ol.citations > li.result")
        assert [c["data-passage-id"] for c in cited] == [
            "001_a426a29352d06d7c.txt#408e47c672",
            "001_a426a29352d06d7c.txt#8cda324e3a",
        ]
        assert cited[0].select_one(".where").get_text() == "001_a426a29352d06d7c.txt:28"
        assert (
            "Baclofen side effects, abuse and toxicity" in sentences[0].select_one(".by").get_text()
        )

    def test_cited_passage_marks_the_quoted_sentence(self, seeds):
        base = seed_answer()
        result = seeds.search("Is baclofen a controlled substance?", limit=4)
        answer = Answer(base.question, base.answer, result.hits)
        page = soup(render_ask(answer, contexts=passage_contexts(seeds, result.hits)))
        first = page.select_one("#cite-1")
        assert [m.get_text() for m in first.select(".passage-text mark")] == [base.answer[0].text]
        assert (
            first.select_one(".passage-text").get_text().endswith("neurotransmitters in the brain.")
        )
        assert first.select_one("details.context") is not None
        others = page.select("h2 + ol.results > li.result")
        assert {o["data-passage-id"] for o in others} == {
            h.passage.passage_id for h in result.hits
        } - {q.passage_id for q in base.answer}

    def test_same_passage_cited_once(self):
        base = seed_answer()
        answer = Answer(base.question, (base.answer[0], base.answer[0]), ())
        page = soup(render_ask(answer))
        assert [a.get_text() for a in page.select("a.cite")] == ["[1]", "[1]"]
        assert len(page.select("ol.citations > li")) == 1

    def test_no_answer(self):
        page = soup(render_ask(Answer("Why?", (), ())))
        assert page.select_one(".no-answer") is not None
        assert page.select(".answer, ol.citations") == []


class TestAuditPage:
    def test_who_says_what_leads_with_one_row_per_voice(self):
        report = seed_audit_report()
        page = soup(render_audit(report))
        headings = [h.get_text() for h in page.select("h3")]
        assert headings == ["Who says what", "Conflicts", "Agreements"]
        abuse = page.select_one('table.positions[data-aspect="abuse potential"]')
        rows = abuse.select("tbody tr")
        assert [r.select_one("th").get_text(" ", strip=True) for r in rows] == [
            "Baclofen side effects, abuse and toxicity 001_a426a29352d06d7c.txt",
            "the DEA per Baclofen side effects, abuse and toxicity 001_a426a29352d06d7c.txt",
            "What you need to know about Baclofen 003_1957af6f8275ef46.txt",
        ]
        assert [r.select_one(".stance").get_text() for r in rows] == ["affirms", "denies", "affirms"]
        assert "voice-speaker" in rows[1]["class"] and "conflicted" in rows[1]["class"]
        for link in abuse.select("a.excerpt"):
            assert page.select_one(link["href"]) is not None

    def test_conflict_shows_the_claim_once_with_every_claim_opposed_to_it(self):
        report = seed_audit_report()
        page = soup(render_audit(report))
        (conflict,) = page.select("article.conflict")
        assert conflict.select_one(".conflict-type").get_text() == "negation"
        assert conflict.select_one(".explanation").get_text() == report.conflicts[0].explanation
        main = conflict.select_one(".sides > .claim")
        assert "side-claim" in main["class"]
        assert main.select_one(".quote").get_text() == DEA_DENIES
        assert main.select_one(".stance").get_text() == "denies"
        assert main.select_one(".attributed-to").get_text() == "according to the DEA"
        assert [e.get_text() for e in main.select(".quote em.cue")] == [
            "does not consider",
            "any potential for abuse",
        ]
        opposed = conflict.select(".opposed-by .claim")
        assert [o.select_one(".quote").get_text() for o in opposed] == [
            c.quote.text for c in report.conflicts[0].opposed_by
        ]
        assert [o.select_one(".where").get_text() for o in opposed] == [
            "001_a426a29352d06d7c.txt:12", "003_1957af6f8275ef46.txt:15"
        ]

    def test_every_claim_is_quoted_in_full(self, seeds):
        report = audit(seeds, "Is baclofen a controlled substance with abuse potential?")
        page = soup(render_audit(report))
        quoted = [q.get_text() for q in page.select("section.claim .quote")]
        assert {c.quote.text for c in report.claims} <= set(quoted)
        excerpts = page.select("table.positions .excerpt")
        assert len(excerpts) == len(report.positions)
        assert all(e.name == "a" and page.select_one(e["href"]) for e in excerpts)

    def test_a_commenter_has_a_row_of_their_own_named(self, tmp_path):
        page = (
            "<h1>Melatonin guide</h1><p>Melatonin is not addictive, and it is safe for adults.</p>"
            '<div class="comments"><div class="comment"><span class="author">Dr. Alan Roe</span>'
            "<p>Melatonin is addictive, I see it in my practice every week.</p></div></div>"
        )
        with make_index(tmp_path, {"guide.html": page}) as ix:
            report = audit(ix, "Is melatonin addictive?")
        html = soup(render_audit(report))
        rows = html.select("table.positions tbody tr")
        comment = [r for r in rows if "voice-comment" in r["class"]]
        assert len(comment) == 1 and comment[0].select_one(".author").get_text() == "Dr. Alan Roe"
        assert comment[0].select_one(".stance").get_text() == "affirms"
        page_row = [r for r in rows if "voice-content" in r["class"]]
        assert page_row[0].select_one(".stance").get_text() == "denies"

    def test_the_excerpt_shows_the_words_that_decide_a_long_claim(self, seeds):
        # "• Drowsiness" is quoted with its list's lead-in, longer than an
        # excerpt: the excerpt keeps the start and the item.
        report = audit(seeds, "Does baclofen cause drowsiness?")
        page = soup(render_audit(report))
        excerpts = [e.get_text() for e in page.select("table.positions .excerpt")]
        quotes = [p.evidence.quote.text for p in report.positions if p.evidence]
        shortened = [e for e in excerpts if e.endswith(" … • Drowsiness")]
        assert shortened
        for excerpt in shortened:
            start = excerpt.removesuffix(" … • Drowsiness")
            assert any(q.startswith(start) and q.rstrip().endswith("Drowsiness") for q in quotes)

    def test_several_reports_on_one_page(self):
        first = seed_audit_report()
        second = AuditReport("withdrawal", (), (), ())
        page = soup(render_audit([first, second]))
        assert page.select_one("h1").get_text() == "Audit of 2 topics"
        topics = page.select("article.topic")
        assert [t.select_one(".topic-title").get_text() for t in topics] == [
            "abuse potential",
            "withdrawal",
        ]
        assert [a["href"] for a in page.select("nav.topics a")] == ["#t1", "#t2"]
        assert topics[1].select_one(".no-conflicts") is not None
        ids = [el["id"] for el in page.select("[id]")]
        assert len(ids) == len(set(ids))

    def test_title_and_summary(self):
        report = seed_audit_report()
        page = soup(render_audit(report, title="Baclofen audit"))
        assert page.select_one("h1").get_text() == "Baclofen audit"
        assert page.select_one(".summary").get_text() == report.summary()


class TestPage:
    def test_pages_are_self_contained(self, seed_index):
        """No script, no external stylesheet or image, and a CSP that forbids requests."""
        with Index(seed_index) as ix:
            search = render_search(ix.search("baclofen"))
        for html in (search, render_ask(seed_answer()), render_audit(seed_audit_report())):
            page = soup(html)
            assert page.select("script, iframe, object, embed, img") == []
            assert [link["href"] for link in page.select("link")] == ["data:,"]
            csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
            assert "default-src 'none'" in csp
            assert page.select_one("style") is not None
            assert "prefers-color-scheme: dark" in page.select_one("style").get_text()
            assert "@media print" in page.select_one("style").get_text()
            assert not re.search(r"url\(|@import", page.select_one("style").get_text())

    def test_one_cached_environment_with_autoescape(self):
        env = environment()
        assert env is environment()
        assert env.autoescape is True
        assert "safe_url" in env.filters

    def test_write_page_replaces_atomically(self, tmp_path):
        target = tmp_path / "page.html"
        target.write_text("old")
        write_page(target, "<p>new ü</p>")
        assert target.read_text(encoding="utf-8") == "<p>new ü</p>"
        assert [p.name for p in tmp_path.iterdir()] == ["page.html"]

    def test_write_page_into_missing_folder_fails_cleanly(self, tmp_path):
        with pytest.raises(OSError):
            write_page(tmp_path / "missing" / "page.html", "x")

    def test_template_files_are_package_data(self):
        config = tomllib.loads((templates_dir().parent / "pyproject.toml").read_text())
        patterns = config["tool"]["setuptools"]["package-data"]["templates"]
        for path in templates_dir().iterdir():
            if path.name != "__pycache__" and path.suffix != ".py":
                assert any(path.match(p) for p in patterns), path.name


class TestCli:
    def run(self, *args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    def test_search_html_writes_page_and_keeps_terminal_output(self, seed_index, tmp_path):
        target = tmp_path / "out.html"
        plain = self.run("search", "controlled substance", "--index", seed_index, "--limit", 3)
        with_html = self.run(
            "search", "controlled substance", "--index", seed_index, "--limit", 3, "--html", target
        )
        assert with_html.exit_code == 0, with_html.output
        assert with_html.stdout == plain.stdout
        assert with_html.stderr == f"groundsearch: wrote {target}\n"
        page = soup(target.read_text(encoding="utf-8"))
        assert len(page.select("li.result")) == 3
        assert len(page.select("li.result details.context")) == 3

    @pytest.mark.parametrize(
        "command, typed, corrected",
        [
            ("ask", "How ofen is it taken?", "How often is it taken?"),
            ("audit", "Is baclofen adictive?", "Is baclofen addictive?"),
        ],
    )
    def test_a_corrected_question_is_shown(self, seed_index, tmp_path, command, typed, corrected):
        target = tmp_path / "out.html"
        result = self.run(command, typed, "--index", seed_index, "--html", target)
        assert result.exit_code == 0, result.output
        page = soup(target.read_text(encoding="utf-8"))
        assert page.select_one(".corrected .corrected-query").get_text() == corrected
        assert page.select_one(".corrected q:not(.corrected-query)").get_text() == typed

    def test_search_html_with_json_keeps_stdout_pure_json(self, seed_index, tmp_path):
        target = tmp_path / "out.html"
        result = self.run(
            "search", "tapering", "--index", seed_index, "--json", "--by-source", "--html", target
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        page = soup(target.read_text(encoding="utf-8"))
        assert len(page.select("li.result")) == len(data["hits"])
        assert page.select("section.group")

    def test_search_html_unwritable(self, seed_index, tmp_path):
        result = CliRunner().invoke(
            cli,
            [
                "search",
                "baclofen",
                "--index",
                str(seed_index),
                "--html",
                str(tmp_path / "no" / "x.html"),
            ],
        )
        assert result.exit_code == 1
        assert "cannot write" in result.stderr

    def test_search_html_rejects_a_folder(self, seed_index, tmp_path):
        result = CliRunner().invoke(
            cli, ["search", "baclofen", "--index", str(seed_index), "--html", str(tmp_path)]
        )
        assert result.exit_code == 2

    def test_zinnia_fixture_is_verbatim(self):
        """The hand-made records quote the seeds exactly (guards the screenshot's honesty)."""
        for claim in seed_audit_report().claims:
            text = (templates_dir().parent / "corpus" / claim.quote.source.path).read_text(
                encoding="utf-8"
            )
            assert text[claim.quote.start : claim.quote.end] == claim.quote.text
        assert ZINNIA.path == "001_a426a29352d06d7c.txt"
