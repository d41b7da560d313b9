"""Bad documents never stop a run: each is skipped or degraded, reported by
name with a reason, and everything else is indexed."""

from __future__ import annotations

import codecs
import json
import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import index_folder
from indexer.reading.html import HtmlLoader, defuse
from indexer.reading.passages import split_passages
from indexer.reading.plain import MarkdownLoader, TextLoader
from search import Index
from search.present.cli import cli

from .conftest import write_corpus

GOOD = "Baclofen is a muscle relaxant used for spasticity."

BAD_DOCUMENTS: dict[str, str | bytes] = {
    "good.txt": GOOD,
    "binary.txt": bytes(range(256)) * 8,
    "png.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    "latin1.txt": "Crème brûlée, café and the zeppelinwort déjà vu. ".encode("cp1252") * 3,
    "utf16.txt": "Ozobax is an oral solution of baclofen.".encode("utf-16"),
    "utf16be.md": b"\xfe\xff" + "# Lioresal\n\nLioresal tablets.".encode("utf-16-be"),
    "empty.txt": b"",
    "blank.md": " \n\n\t \n",
    "nested.html": "<div>" * 10_000 + "deeply nested quokka" + "</div>" * 10_000,
    "unclosed.html": "<html><body><p>unclosed wombat <b>bold <i>italic <div>more <table><tr><td>x",
    "script.html": "<script>" + "var x = 1;" * 20_000 + "</script><p>tiny visible numbat</p>",
    "onlyscript.html": "<html><head><script>alert(1)</script></head><body></body></html>",
    "declaration.html": "<![foo[ x ]]><p>bilby after a bad declaration</p>",
    "sub/inner.txt": "Inner folder echidna text.",
}


@pytest.fixture
def messy(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", BAD_DOCUMENTS)
    outside = write_corpus(tmp_path / "outside", {"secret.txt": "outside secret platypus"})
    os.symlink(outside / "secret.txt", corpus / "link-out.txt")
    os.symlink(outside, corpus / "dir-out")
    os.symlink("..", corpus / "sub" / "loop")
    os.symlink(corpus / "sub", corpus / "alias")
    os.symlink("nowhere.txt", corpus / "dangling.txt")
    os.mkfifo(corpus / "pipe.txt")
    return corpus


def by_path(entries):
    return {e["path"]: e.get("reason") or e.get("note") for e in entries}


class TestBadDocuments:
    def test_run_completes_and_reports_each_file(self, messy, tmp_path):
        """Every bad file is named with a reason; every good one is searchable."""
        report = index_folder(messy, tmp_path / "ix")
        skipped = by_path(report.skipped)
        assert set(skipped) == {"binary.txt", "png.html", "dangling.txt", "pipe.txt"}
        assert "binary" in skipped["binary.txt"] and "binary" in skipped["png.html"]
        assert skipped["pipe.txt"] == "not a regular file"
        ignored = by_path(report.ignored)
        assert ignored == {
            "link-out.txt": "links outside the corpus folder",
            "dir-out/": "links outside the corpus folder",
            "sub/loop/": "symbolic link loop",
            "alias/": "links to a folder inside the corpus (indexed under its own path)",
        }
        notes = {(n["path"], n["note"]) for n in report.notes}
        assert ("empty.txt", "no text to index") in notes
        assert ("blank.md", "no text to index") in notes
        assert ("onlyscript.html", "no visible text") in notes
        assert ("latin1.txt", "decoded as cp1252") in notes
        assert ("utf16.txt", "decoded as utf-16") in notes
        assert ("declaration.html", "malformed markup declarations read as text") in notes
        with Index(tmp_path / "ix") as ix:
            assert ix.source_text("latin1.txt").startswith("Crème brûlée, café")
            for word in (
                "spasticity",
                "zeppelinwort",
                "ozobax",
                "lioresal",
                "quokka",
                "wombat",
                "numbat",
                "bilby",
                "echidna",
            ):
                assert ix.search(word, correct=False).total >= 1, word
            assert ix.search("platypus", correct=False).total == 0, "links outside are not followed"
            paths = {s.info.path for s in ix.sources()}
        assert "link-out.txt" not in paths and not any(p.startswith("dir-out") for p in paths)

    def test_cli_json_lists_them_and_exits_3(self, messy, tmp_path):
        result = CliRunner().invoke(
            cli, ["index", str(messy), "--index", str(tmp_path / "ix"), "--json"]
        )
        assert result.exit_code == 3, result.output
        data = json.loads(result.stdout)
        assert {"binary.txt", "pipe.txt"} <= {s["path"] for s in data["skipped"]}
        assert "empty.txt" in {n["path"] for n in data["notes"]}
        assert "link-out.txt" in {i["path"] for i in data["ignored"]}
        assert "skipped pipe.txt: not a regular file" in result.stderr
        assert "note: empty.txt: no text to index" in result.stderr
        assert "Traceback" not in result.output

    def test_control_characters_in_file_names_cannot_forge_lines(self, tmp_path):
        """A name with a newline or an escape sequence is shown escaped, one
        line per message; spaces and accents are shown as they are, and
        `--json` keeps the real names."""
        forged, coloured = "evil\nError: fake.txt", "b\ta d\x1b[31mé.txt"
        corpus = write_corpus(
            tmp_path / "c", {forged: b"\xff\x00" * 64, coloured: "Evil words here."}
        )
        ix = str(tmp_path / "ix")
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", ix])
        assert result.exit_code == 3, result.output
        assert result.stderr.splitlines() == [
            "groundsearch: skipped evil\\nError: fake.txt: binary file (contains NUL bytes)"
        ]
        shown = CliRunner().invoke(cli, ["search", "evil", "--index", ix]).stdout
        assert "b\\ta d\\x1b[31mé.txt:1" in shown and "\x1b" not in shown
        as_json = CliRunner().invoke(cli, ["index", str(corpus), "--index", ix, "--json"])
        assert [s["path"] for s in json.loads(as_json.stdout)["skipped"]] == [forged]
        (corpus / coloured).unlink()
        failed = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "new")])
        assert failed.exit_code == 1 and failed.stderr.count("\n") == 1, failed.stderr

    def test_only_degraded_files_exit_0(self, tmp_path):
        """Notes (a guessed encoding, an empty file) do not make the run fail."""
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "empty.txt": ""})
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
        assert result.exit_code == 0, result.output
        assert "note: empty.txt: no text to index" in result.stderr

    def test_windows_1252_posts_keep_their_letters_and_posters(self, tmp_path):
        """Short Western forum posts saved as Windows-1252 read as written,
        signatures included ("Jürgen", not cp775's "J³rgen"; "Muñoz", not
        cp852's "Mu˝oz"), with the guessed encoding recorded and noted."""
        posts = {
            "juergen.txt": "Baclofen overdose causes coma.\nPosted by: Jürgen 1/2/2010\n",
            "munoz.txt": "Baclofen helped me sleep.\nPosted by: Señora Muñoz 3/4/2011\n",
            "mixed.txt": (
                "Señora Muñoz said the “crème” and the café’s pâté were fine.\n\n"
                "Baclofen overdose caused coma, and the müsli was très bon.\n"
                "Posted by: Jürgen 1/2/2010 3:04:05 PM\n"
            ),
        }
        corpus = write_corpus(
            tmp_path / "c", {name: post.encode("cp1252") for name, post in posts.items()}
        )
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.notes) == dict.fromkeys(posts, "decoded as cp1252")
        authors = {}
        with Index(tmp_path / "ix") as ix:
            for source in ix.sources():
                path = source.info.path
                assert (source.text, source.encoding) == (posts[path], "cp1252")
                assert source.notes == ("decoded as cp1252",)
                (comment,) = [p for p in ix.passages(path) if p.kind == "comment"]
                assert source.text[comment.start : comment.end] == comment.text
                authors[path] = comment.author
        assert authors == {
            "juergen.txt": "Jürgen",
            "munoz.txt": "Señora Muñoz",
            "mixed.txt": "Jürgen",
        }

    def test_oversized_file_is_skipped_without_reading_it(self, tmp_path, monkeypatch):
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
        with open(corpus / "huge.txt", "wb") as handle:  # 50 MB, sparse: cheap to make
            handle.truncate(50 * 1024 * 1024)
        started = time.monotonic()
        report = index_folder(corpus, tmp_path / "ix")
        assert time.monotonic() - started < 5
        assert by_path(report.skipped) == {"huge.txt": "larger than 20 MB (52,428,800 bytes)"}
        assert report.sources == 1

    def test_file_over_a_small_limit_is_skipped(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": "x " * 600})
        report = index_folder(corpus, tmp_path / "ix", max_bytes=1000)
        assert by_path(report.skipped) == {"b.txt": "larger than 0 MB (1,200 bytes)"}

    @pytest.mark.parametrize("size, skipped", [(900, False), (1200, True)])
    def test_a_file_that_grew_after_stat_is_read_whole_or_skipped(
        self, tmp_path, monkeypatch, size, skipped
    ):
        """stat() saw 10 bytes; by the read the file holds `size`: all of it is
        indexed, or it is skipped once past the limit (1,000 bytes)."""
        text = ("Grown bandicoot words. " * 60)[:size]
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": text})
        real_fstat = os.fstat

        def stale_fstat(fd):
            info = real_fstat(fd)
            if not os.readlink(f"/proc/self/fd/{fd}").endswith("/b.txt"):
                return info
            fields = list(info)
            fields[stat.ST_SIZE] = 10
            return os.stat_result(fields)

        monkeypatch.setattr(os, "fstat", stale_fstat)
        report = index_folder(corpus, tmp_path / "ix", max_bytes=1000)
        if skipped:
            assert by_path(report.skipped) == {"b.txt": "larger than 0 MB"}
        else:
            assert report.skipped == []
            with Index(tmp_path / "ix") as ix:
                assert ix.source_text("b.txt") == text

    def test_vanished_file_is_skipped_and_its_old_version_kept(self, tmp_path, monkeypatch):
        """A file deleted between the scan and its read is reported; what the
        index held for it stays until a run no longer finds it."""
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": "Kept bandicoot."})
        index_folder(corpus, tmp_path / "ix")
        (corpus / "b.txt").write_text("Changed bandicoot text.")
        import indexer.build

        real_scan = indexer.build._scan

        def scan_then_delete(folder, report):
            found = real_scan(folder, report)
            (corpus / "b.txt").unlink()
            return found

        monkeypatch.setattr(indexer.build, "_scan", scan_then_delete)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {"b.txt": "cannot read: No such file or directory"}
        assert report.removed == []
        with Index(tmp_path / "ix") as ix:
            assert ix.search("bandicoot", correct=False).total == 1
        monkeypatch.undo()
        assert index_folder(corpus, tmp_path / "ix").removed == ["b.txt"]

    def test_unreadable_file_is_skipped(self, tmp_path, monkeypatch):
        """Simulated with a failing open(): the tests run as root, which
        ignores file permissions."""
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "locked.txt": "Secret."})
        real_open = os.open

        def guarded_open(path, *args, **kwargs):
            if str(path).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {"locked.txt": "cannot read: Permission denied"}
        assert report.sources == 1

    @pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
    def test_unreadable_file_is_skipped_for_real(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "locked.txt": "Secret."})
        (corpus / "locked.txt").chmod(0)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {"locked.txt": "cannot read: Permission denied"}

    def test_unreadable_folder_is_reported_and_its_documents_kept(self, tmp_path, monkeypatch):
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "private/p.txt": "Private potoroo."})
        index_folder(corpus, tmp_path / "ix")
        real_scandir = os.scandir

        def guarded_scandir(path="."):
            if str(path).endswith("private"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", guarded_scandir)
        report = index_folder(corpus, tmp_path / "ix")
        monkeypatch.undo()
        assert by_path(report.skipped) == {"private/": "cannot read folder: Permission denied"}
        assert report.removed == []
        with Index(tmp_path / "ix") as ix:
            assert ix.search("potoroo", correct=False).total == 1

    def test_a_loader_crash_skips_only_that_document(self, tmp_path, monkeypatch):
        corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.md": "# B\n\nText."})
        import indexer.reading.plain

        def boom(self, data):
            raise KeyError("surprise")

        monkeypatch.setattr(indexer.reading.plain.MarkdownLoader, "load", boom)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {"b.md": "cannot parse: KeyError: 'surprise'"}
        assert report.sources == 1


# Inputs that made a regex or html.parser rescan the rest of the document
# at every position (quadratic: minutes for a few hundred kilobytes).
PATHOLOGICAL = [
    (TextLoader, "see Dr. Smith etc. Then " * 20_000),
    (TextLoader, "a." * 200_000),
    (TextLoader, "word " * 100_000),
    (TextLoader, "ab|" * 100_000),
    (TextLoader, "a » " * 20_000 + "b."),
    (MarkdownLoader, "# T\n\n" + " " * 200_000 + "\n"),
    (MarkdownLoader, "# " + "#" * 200_000 + "x\n"),
    (MarkdownLoader, "---\ntitle: a" + " " * 100_000 + "b\n---\nbody\n"),
    # Over-long passages cut to fit (`passages._cut`): each cut past the last.
    (MarkdownLoader, "| a |\n|---|\n" + "| b |\n" * 100_000),
    (MarkdownLoader, ">" * 1_000_000 + " q\n"),
    (TextLoader, "x\n" + "y" * 1_000_000 + " " * 100_000 + "z"),
    (HtmlLoader, "<a" * 50_000),
    (HtmlLoader, "<!--" * 50_000),
    (HtmlLoader, "<!-- >" * 30_000),
    (HtmlLoader, "<![CDATA[" * 30_000),
    (HtmlLoader, "</" * 50_000),
    (HtmlLoader, "<div>" * 50_000),
    (HtmlLoader, "<h1>a " * 30_000),
    (HtmlLoader, "<h2><span>" * 25_000 + "<p>x"),
]


@pytest.mark.parametrize(
    "loader, text", PATHOLOGICAL, ids=lambda v: v.__name__ if isinstance(v, type) else repr(v[:12])
)
def test_pathological_documents_are_read_in_linear_time(loader, text):
    # This process's CPU time, not the wall clock: a loaded machine does not
    # move it.  A quadratic reading of these inputs takes minutes.
    started = time.process_time()
    extracted = loader().load(text.encode())
    split_passages(extracted, "x")
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>a</p><b", "a\n\n<b"),
        ("<p>a</p><!-- never closed <b>x", "a\n\n<!-- never closed x"),
        ("<!-- closed --><p>a</p>", "a"),
        ("<p>a</p><![CDATA[x", "a\n\n<![CDATA[x"),
        ("<![if !supportLists]><p>a</p><![endif]>", "a"),
    ],
)
def test_defused_markup_reads_as_before(markup, text):
    assert HtmlLoader().load(markup.encode()).text == text
    assert defuse("<p>ok</p>") == "<p>ok</p>"


CRLF_DOCUMENTS: dict[str, str | bytes] = {
    "crlf.txt": (
        "Baclofen withdrawal\r\n\r\n"
        "Stopping baclofen suddenly can cause hallucinations and seizures in people\r\n"
        "who have taken it for a long time.  Taper the dose.\r\n\r\n"
        "An old Mac line end.\rAnd the last line.\r\n"
    ),
    "crlf.md": (
        "---\r\ntitle: Baclofen dosing\r\n---\r\n"
        "Dosing\r\n======\r\n\r\n"
        "The usual starting dose is 5 mg – three times a day,\r\n"
        "raised every three days.\r\n\r\n"
        "- Nausea\r\n- Drowsiness\r\n"
    ),
    "bom.txt": codecs.BOM_UTF8 + b"Baclofen and the liver\r\n\r\nNo dose change.\r\n",
    "utf16.md": "# Lioresal\r\n\r\nLioresal tablets,\r\n10 mg – 25 mg.\r\n".encode("utf-16"),
}


def test_offsets_count_the_file_as_python_text_mode_reads_it(tmp_path):
    """README: for `.txt` and `.md`, `[start:end]` of the file read with
    `open(path, encoding=<its encoding>)` (line endings become "\\n") is the
    passage, CRLF and lone CR files included; the raw characters are not."""
    corpus = write_corpus(tmp_path / "c", CRLF_DOCUMENTS)
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        sources = {s.info.path: s for s in ix.sources()}
        assert set(sources) == set(CRLF_DOCUMENTS)
        assert sources["crlf.md"].info.title == "Baclofen dosing"
        for path, source in sources.items():
            with open(corpus / path, encoding=source.encoding) as handle:
                read = handle.read()
            assert source.text == read and "\r" not in read
            passages = ix.passages(path)
            if path.startswith("crlf"):
                assert any("\n" in p.text for p in passages), f"{path}: none spans a line end"
            for p in passages:
                assert read[p.start : p.end] == p.text, (path, p.passage_id)
            raw = (corpus / path).read_bytes().decode(source.encoding)
            assert any(raw[p.start : p.end] != p.text for p in passages)
    result = CliRunner().invoke(
        cli, ["search", "source:crlf.md", "--index", str(tmp_path / "ix"), "--json"]
    )
    hits = json.loads(result.stdout)["hits"]
    assert hits, result.output
    read = (corpus / "crlf.md").read_text(encoding="utf-8")
    assert all(read[h["start"] : h["end"]] == h["text"] for h in hits)


UNCLOSED_HEADING = """<html><head><title>States crack down on gabapentin</title></head><body>
<h1>States crack down on gabapentin
<p>By the Health Desk &mdash; January 15, 2024</p>
<p>Gabapentin is now a Schedule V controlled substance in more than a dozen states.</p>
<p>Gabapentin has no abuse potential when taken as prescribed, according to Pfizer.</p>
<span>Unclosed span <b>and a stray</div> closing tag.
<div class="comments">
<p>Jim Halloran says: January 16, 2024 at 7:45 am</p>
<p>My pharmacy now makes me show ID to pick it up.</p>
<p>Sarah K says: January 16, 2024 at 9:12 am</p>
<p>My brother overdosed on gabapentin and fentanyl.</p>
</div>
<div class="footer">Contact us: 1-212-555-0177</div>
</body></html>"""


class TestUnclosedHeading:
    def test_an_unclosed_heading_does_not_swallow_the_page(self, tmp_path):
        """An <h1> never closed takes in the rest of the page: only its own
        text is the heading; the article's paragraphs stay content and the
        comments their posters', at verbatim offsets; the file gets a note."""
        corpus = write_corpus(tmp_path / "c", {"news.html": UNCLOSED_HEADING})
        index = str(tmp_path / "ix")
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", index])
        assert result.exit_code == 0, result.output
        assert (
            "note: news.html: malformed heading (holding paragraphs) read as a heading"
            " and its blocks" in result.stderr
        )
        with Index(tmp_path / "ix") as ix:
            text = ix.source_text("news.html")
            found = {p.text: p for p in ix.passages("news.html")}
        for p in found.values():
            assert text[p.start : p.end] == p.text
        claim = found[
            "Gabapentin has no abuse potential when taken as prescribed, according to Pfizer."
        ]
        assert (claim.kind, claim.section) == ("content", "States crack down on gabapentin")
        byline = found["By the Health Desk — January 15, 2024"]
        assert byline.kind == "content"
        jim = found["My pharmacy now makes me show ID to pick it up."]
        assert (jim.kind, jim.author) == ("comment", "Jim Halloran")
        sarah = found["My brother overdosed on gabapentin and fentanyl."]
        assert (sarah.kind, sarah.author) == ("comment", "Sarah K")
        assert found["Contact us: 1-212-555-0177"].kind == "boilerplate"
        answer = CliRunner().invoke(
            cli, ["ask", "Does gabapentin have abuse potential?", "--index", index, "--json"]
        )
        quoted = [quote["text"] for quote in json.loads(answer.stdout)["answer"]]
        assert claim.text in quoted, answer.output

    @pytest.mark.parametrize(
        "heading",
        [
            "<h1>Gabapentin:<br>what the states decided</h1>",
            "<h1><div class=title>Gabapentin: what the states decided</div></h1>",
            "<h1><a href=/x><span>Gabapentin</span>: what the states decided</a></h1>",
        ],
    )
    def test_a_well_formed_heading_stays_one_heading(self, heading):
        """A <br>, a wrapping <div> or links in a heading are still one
        heading, with no note."""
        extracted = HtmlLoader().load(f"<body>{heading}<p>It is scheduled.</p>".encode())
        first = extracted.blocks[0]
        assert first.type == "heading"
        assert extracted.text[first.start : first.end].startswith("Gabapentin")
        assert extracted.text.endswith("what the states decided\n\nIt is scheduled.")
        assert extracted.notes == []


TABLE_ROWS = 5_000
WIDE_COLUMNS = 300
OVER_LONG = {
    "table.md": "# Doses\n\n| drug | dose |\n|---|---|\n"
    + "".join(f"| cell{i} | {i} mg |\n" for i in range(TABLE_ROWS)),
    "wide.md": "| " + " | ".join(f"h{i}" for i in range(WIDE_COLUMNS)) + " |\n"
    + "|---" * WIDE_COLUMNS + "|\n"
    + "".join(
        "| " + " | ".join(f"r{row}c{i}" for i in range(WIDE_COLUMNS)) + " |\n" for row in range(3)
    ),
    "line.txt": "nospace" * 20_000 + "\n\nBaclofen relaxes muscles.\n",
    "quotes.md": ">" * 10_000 + " deeply quoted wallaby\n",
    "spaced-quotes.md": "> " * 5_000 + "spaced quoted wallaby\n",
    "table.html": "<table>"
    + "".join(f"<tr><td>row {i}</td><td>{'dose given daily ' * 200}</td></tr>" for i in range(50))
    + "</table><pre>"
    + "".join(f"drug{i}   {i} mg   daily\n" for i in range(2_000))
    + "</pre>",
}


@pytest.fixture(scope="module")
def over_long(tmp_path_factory):
    """An index of `OVER_LONG`, built once."""
    root = tmp_path_factory.mktemp("over-long")
    index_folder(write_corpus(root / "c", OVER_LONG), root / "ix")
    return root / "ix"


class TestOverLongPassages:
    """README: passages of at most --max-chars characters; a sentence longer
    than that stays whole up to four times --max-chars, and anything longer
    is cut (between a table's rows, at a line break or space, else at the
    limit), offsets verbatim."""

    @pytest.mark.parametrize("name", sorted(OVER_LONG))
    def test_every_passage_fits_and_is_verbatim(self, over_long, name):
        with Index(over_long) as ix:
            text = ix.source_text(name)
            passages = ix.passages(name)
        assert max(p.end - p.start for p in passages) <= 600
        assert all(text[p.start : p.end] == p.text for p in passages)
        covered = "".join(p.text for p in passages)  # nothing left out after the heading:
        assert "".join(covered.split()) == "".join(text[passages[0].start :].split())

    def test_a_long_table_is_split_between_its_rows(self, over_long):
        with Index(over_long) as ix:
            passages = ix.passages("table.md")
        assert len(passages) > TABLE_ROWS * 18 // 600
        assert all(p.text.startswith("|") and p.text.endswith("|") for p in passages)
        assert passages[0].text.startswith("| drug | dose |\n|---|---|\n| cell0 |")
        assert {p.section for p in passages} == {"Doses"}

    def test_a_row_wider_than_a_passage_is_cut_at_spaces(self, over_long):
        with Index(over_long) as ix:
            passages = ix.passages("wide.md")
        assert len(passages) > 3 * WIDE_COLUMNS * 8 // 600
        assert all(p.text[0] != " " and p.text[-1] != " " for p in passages)
        assert all(not p.text.startswith("c") for p in passages)  # no cut inside "r0c12"

    def test_a_line_with_no_spaces_is_cut_at_the_limit(self, over_long):
        with Index(over_long) as ix:
            passages = ix.passages("line.txt")
        assert [len(p.text) for p in passages] == [600] * 233 + [200, 25]
        assert passages[-1].text == "Baclofen relaxes muscles."

    def test_search_prints_the_matching_rows_only(self, over_long):
        result = CliRunner().invoke(
            cli, ["search", f"cell{TABLE_ROWS - 1}", "--index", str(over_long), "--json"]
        )
        (hit,) = json.loads(result.stdout)["hits"]
        assert f"| cell{TABLE_ROWS - 1} | {TABLE_ROWS - 1} mg |" in hit["text"]
        assert len(hit["text"]) <= 600
        with Index(over_long) as ix:
            assert ix.source_text("table.md")[hit["start"] : hit["end"]] == hit["text"]

    def test_a_long_sentence_stays_whole_up_to_four_times_the_limit(self, tmp_path):
        clause = "the dose was raised every three days in the patients who tolerated it, "
        whole = "Baclofen " + clause * 25 + "then held."  # about 1,800 characters
        cut = "Baclofen " + clause * 40 + "then held."  # about 2,900 characters
        corpus = write_corpus(tmp_path / "c", {"whole.txt": whole, "cut.txt": cut})
        index_folder(corpus, tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            assert [p.text for p in ix.passages("whole.txt")] == [whole]
            pieces = ix.passages("cut.txt")
        assert len(pieces) == 5 and max(len(p.text) for p in pieces) <= 600
        assert " ".join(p.text for p in pieces) == cut
