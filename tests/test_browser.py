"""End to end: the written pages as a person sees them, in headless Chromium.

Uses Debian's `chromium` (never a downloaded browser) through Playwright.
Outside CI the tests are skipped when that browser or Playwright is missing;
in CI ($CI set) they must run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.present.cli import cli
from search.present.html import render_ask, render_audit, write_page

from .records import seed_answer, seed_audit_report

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not os.environ.get("CI"):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"no Chromium at {CHROMIUM} (apt-get install chromium; CI always runs these)",
            allow_module_level=True,
        )
    pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install '.[browser]')"
    )

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium (a fresh profile) for the module."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=ARGS,
            viewport={"width": 1200, "height": 900},
        )
        yield context
        context.close()


class Visit:
    """A page opened from a file, with every request, console error and dialog it caused."""

    def __init__(self, browser, path: Path, *, color_scheme: str = "light"):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page()
        self.page.emulate_media(color_scheme=color_scheme)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def assert_quiet(self):
        """Nothing but the page itself was requested; nothing complained."""
        outside = [u for u in self.requests if u != self.url and not u.startswith("data:")]
        assert outside == [], outside
        assert self.errors == []
        assert self.dialogs == []

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_(path, **kwargs):
        opened.append(Visit(browser, path, **kwargs))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


@pytest.fixture
def audit_file(tmp_path) -> Path:
    path = tmp_path / "audit.html"
    write_page(path, render_audit(seed_audit_report()))
    return path


def side_by_side(page) -> list[tuple[dict, dict]]:
    """Each conflict's claim box and the box of the claims opposed to it."""
    boxes = []
    for conflict in page.locator("article.conflict").all():
        a = conflict.locator(".claim.side-claim").bounding_box()
        b = conflict.locator(".opposed-by").bounding_box()
        boxes.append((a, b))
    return boxes


class TestAuditPage:
    def test_a_conflicts_claim_sits_beside_the_claims_opposed_to_it(self, visit, audit_file, tmp_path):
        """The claim on the left, every claim opposed to it stacked on the right."""
        v = visit(audit_file)
        pairs = side_by_side(v.page)
        assert len(pairs) == 1
        for a, b in pairs:
            assert a["width"] > 200 and b["width"] > 200
            assert a["x"] + a["width"] <= b["x"]
            assert abs(a["y"] - b["y"]) < 30
        opposed = v.page.locator("article.conflict .opposed-by .claim").all()
        first, second = (o.bounding_box() for o in opposed)
        assert second["y"] >= first["y"] + first["height"]
        v.page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
        v.assert_quiet()

    def test_what_a_reader_sees(self, visit, audit_file):
        v = visit(audit_file)
        table = v.page.locator("table.positions").first
        assert table.is_visible()
        first_heading = v.page.locator("h3").first.inner_text().strip()
        assert first_heading == "Who says what"
        conflict = v.page.locator("article.conflict").first
        assert conflict.locator(".conflict-type").inner_text().strip().lower() == "negation"
        quote = conflict.locator(".side-claim .quote")
        assert quote.inner_text().startswith("Despite its muscle relaxant properties")
        assert quote.locator("em.cue").first.inner_text() == "does not consider"
        weight = quote.locator("em.cue").first.evaluate("e => getComputedStyle(e).fontWeight")
        assert int(weight) >= 600
        v.assert_quiet()

    def test_dark_mode(self, visit, audit_file):
        v = visit(audit_file, color_scheme="dark")
        background = v.page.evaluate("getComputedStyle(document.body).backgroundColor")
        colour = v.page.evaluate("getComputedStyle(document.body).color")
        assert _luminance(background) < 0.1 < 0.7 < _luminance(colour)
        v.assert_quiet()

    def test_print_keeps_sides_and_expands_context(self, visit, tmp_path, seeds):
        from search.present.html import passage_contexts, render_search

        result = seeds.search("controlled substance", limit=2)
        search_file = tmp_path / "search.html"
        write_page(
            search_file, render_search(result, contexts=passage_contexts(seeds, result.hits))
        )
        audit = tmp_path / "audit.html"
        write_page(audit, render_audit(seed_audit_report()))
        v = visit(audit)
        v.page.emulate_media(media="print", color_scheme="dark")
        for a, b in side_by_side(v.page):
            assert a["x"] + a["width"] <= b["x"]
        assert _luminance(v.page.evaluate("getComputedStyle(document.body).backgroundColor")) > 0.9
        s = visit(search_file)
        context = s.page.locator("details.context .source-text").first
        assert not context.is_visible()
        s.page.emulate_media(media="print")
        assert context.is_visible()
        s.assert_quiet()

    def test_narrow_screen_stacks_the_sides(self, visit, audit_file):
        v = visit(audit_file)
        v.page.set_viewport_size({"width": 480, "height": 900})
        a, b = side_by_side(v.page)[0]
        assert b["y"] >= a["y"] + a["height"]
        v.page.set_viewport_size({"width": 1200, "height": 900})


class TestSearchPage:
    def test_seed_search_page_renders_results(self, visit, seed_index, tmp_path):
        """The page `search --html` writes on the seed index shows the ranked results."""
        target = tmp_path / "search.html"
        result = CliRunner().invoke(
            cli,
            [
                "search",
                "Is baclofen a controlled substance?",
                "--index",
                str(seed_index),
                "--html",
                str(target),
            ],
        )
        assert result.exit_code == 0, result.output
        v = visit(target)
        results = v.page.locator("li.result")
        assert results.count() == 10
        first = results.first
        assert first.locator(".result-head .where").inner_text() == "001_a426a29352d06d7c.txt:28"
        assert first.locator("mark").first.is_visible()
        context = first.locator("details.context .source-text")
        assert not context.is_visible()
        first.locator("details.context summary").click()
        assert context.is_visible()
        assert "Unlike gabapentin" in context.inner_text()
        v.assert_quiet()

    def test_script_in_a_document_stays_text(self, visit, tmp_path):
        from indexer import index_folder

        from .conftest import write_corpus

        corpus = write_corpus(
            tmp_path / "corpus",
            {
                "evil.html": (
                    "<html><head><title>&lt;script&gt;alert('t')&lt;/script&gt;</title></head>"
                    "<body><p>Baclofen &lt;script&gt;alert(1)&lt;/script&gt;"
                    " &lt;img src=x onerror=alert(2)&gt; &lt;b&gt;bold&lt;/b&gt;.</p></body></html>"
                ),
                "sources.toml": '[sources."evil.html"]\nurl = "javascript:alert(3)"\n',
            },
        )
        index_folder(corpus, tmp_path / "index")
        target = tmp_path / "evil.html"
        result = CliRunner().invoke(
            cli, ["search", "baclofen", "--index", str(tmp_path / "index"), "--html", str(target)]
        )
        assert result.exit_code == 0, result.output
        v = visit(target)
        text = v.page.locator("li.result .passage-text").first.inner_text()
        assert "<script>alert(1)</script>" in text and "<b>bold</b>" in text
        assert (
            v.page.locator("li.result .source-title").first.inner_text()
            == "<script>alert('t')</script>"
        )
        assert v.page.locator("main script, main img, main b").count() == 0
        assert v.page.locator("a[href^='javascript']").count() == 0
        v.assert_quiet()


class TestAskPage:
    def test_citation_jumps_to_the_cited_passage(self, visit, tmp_path):
        target = tmp_path / "ask.html"
        write_page(target, render_ask(seed_answer()))
        v = visit(target)
        v.page.locator(".answer a.cite").nth(1).click()
        assert v.page.url.endswith("#cite-2")
        assert v.page.locator("#cite-2").is_visible()
        assert (
            v.page.locator("#cite-2 .passage-text mark").inner_text()
            == seed_answer().answer[1].text
        )
        v.assert_quiet()


def _luminance(css_colour: str) -> float:
    """Rough relative luminance (0 black .. 1 white) of `rgb(r, g, b)`."""
    r, g, b = (
        int(float(c))
        for c in css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")[:3]
    )
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
