"""Issue 22: every promise of the README holds under attack.  One class per
case of the adversarial pass; `benchmarks/adversarial.py` replays the whole
list (and times the cases that were quadratic) against an installed copy."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import indexer.build
from indexer import IndexStore, index_folder
from indexer.storage import trust
from search import Index
from search.present import cli as cli_module
from search.present.cli import cli

from .conftest import write_corpus

# What must never reach a terminal raw: C0 (but newline and tab), DEL, C1,
# the line separators and the bidi controls.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_OUR_STYLES = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, colour: bool = False, monkeypatch=None):
    if colour:
        monkeypatch.setattr(cli_module, "_use_colour", lambda: True)
    return CliRunner().invoke(cli, [*args])


class TestTerminalEscaping:
    """Case 3: names and text cannot forge lines or send terminal escapes.
    Every string from a document or a name (file name, title, publisher,
    URL, section, poster, passage text, the query) goes through one
    escaping function before it reaches the terminal."""

    EVIL = "evil\nError: forged title\x1b]0;OSC\x07\u202e\x9b31m"

    @pytest.fixture
    def poisoned(self, tmp_path):
        evil = self.EVIL
        corpus = write_corpus(
            tmp_path / "c",
            {
                # No <title> and no heading: the file name is the title.
                f"{evil}.html": (
                    "<html><body><p>Baclofen is a controlled substance, says the"
                    f" page.\x1b]52;c;ZXZpbA==\x07 It\nError: forged body {evil}.</p>"
                    "<div class='comment'><span class='fn'>Bob\x1b]0;x\x07\u202e</span>"
                    "<p>Baclofen withdrawal can cause seizures, Bob says.</p></div>"
                    "</body></html>"
                ),
                "plain.md": (
                    "# Section \x1b[31mred\x1b[0m \u202eheading\n\n"
                    "Baclofen is not a controlled substance.\n"
                ),
                "sources.toml": (
                    '[sources."plain.md"]\n'
                    'title = "T\\u001b]0;t\\u0007\\u202e \\u0085itle"\n'
                    'publisher = "Pub\\u001b[31m\\u009b\\u2028x"\n'
                    'url = "http://x/\\u001b]8;;http://evil\\u0007"\n'
                ),
            },
        )
        ix = tmp_path / "ix"
        index_folder(corpus, ix)
        return corpus, str(ix)

    @staticmethod
    def assert_safe(text: str, where: str) -> None:
        text = _OUR_STYLES.sub("", text)
        found = _UNSAFE.findall(text)
        assert not found, f"{where}: {found!r} in {text!r}"
        forged = [line for line in text.splitlines() if line.startswith("Error: forged")]
        assert not forged, f"{where}: {forged}"

    def test_no_output_holds_a_raw_control_or_forged_line(self, poisoned, monkeypatch):
        corpus, ix = poisoned
        runs = {
            "index": ["index", str(corpus), "--index", ix],
            "search": ["search", "baclofen substance \x1b]0;q\x07", "--index", ix],
            "search --by-source": ["search", "baclofen", "--by-source", "--index", ix],
            "ask": ["ask", "Is baclofen a controlled substance?", "--index", ix],
            "audit": ["audit", "Is baclofen a controlled substance?", "--index", ix],
            "sources": ["sources", "--index", ix],
        }
        data = json.loads(run("search", "baclofen", "--index", ix, "--json").stdout)
        for hit in data["hits"]:
            runs[f"show {hit['passage_id']!r}"] = [
                "show", hit["passage_id"], "--index", ix,
            ]
        assert len(runs) >= 8
        for name, args in runs.items():
            result = run(*args, colour=True, monkeypatch=monkeypatch)
            assert result.exit_code == 0, (name, result.output)
            self.assert_safe(result.stdout, f"{name} stdout")
            self.assert_safe(result.stderr, f"{name} stderr")
        ask = run(*runs["ask"]).stdout
        assert "\\x1b]0;OSC\\x07\\u202e\\x9b31m" in ask, ask  # shown, escaped

    def test_json_keeps_the_real_strings_with_terminal_codes_escaped(self, poisoned):
        _, ix = poisoned
        result = run("sources", "--index", ix, "--json")
        assert not _UNSAFE.search(result.stdout.replace("\n", ""))
        titles = {s["title"] for s in json.loads(result.stdout)["sources"]}
        assert "T\x1b]0;t\x07\u202e \x85itle" in titles
        assert self.EVIL in titles

    def test_html_isolates_names_and_wraps_long_ones(self, poisoned, tmp_path):
        """A bidi override in a publisher or a title cannot reorder the page
        around it: each such string is in an isolating element."""
        _, ix = poisoned
        question = "Is baclofen a controlled substance?"
        commands = (["search", "baclofen", "--by-source"], ["ask", question], ["audit", question])
        for command in commands:
            page = tmp_path / f"{command[0]}.html"
            result = run(*command, "--index", ix, "--html", str(page))
            assert result.exit_code == 0, result.output
            html = page.read_text(encoding="utf-8")
            assert html.count("\u202e") >= 2, command
            self.assert_isolated(html)
            css = BeautifulSoup(html, "html.parser").style.get_text()
            assert "overflow-wrap: anywhere" in css

    @staticmethod
    def assert_isolated(html: str) -> None:
        """Each bidi override is inside a U+2068 ... U+2069 isolate."""
        for at in (m.start() for m in re.finditer("\u202e", html)):
            opened, closed = html.rfind("\u2068", 0, at), html.rfind("\u2069", 0, at)
            assert opened > closed and "\u2069" in html[at:], html[max(0, at - 80) : at + 20]


class TestHtmlFile:
    """Case 4: `--html FILE` writes through a temporary file and renames it
    only onto a regular file or a new name; anything else is refused in one
    line and left as it was."""

    def test_a_named_pipe_is_refused_and_kept(self, seed_index, tmp_path):
        fifo = tmp_path / "page.fifo"
        os.mkfifo(fifo)
        result = run("search", "baclofen", "--index", str(seed_index), "--html", str(fifo))
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "is not a regular file" in result.stderr
        assert result.stdout == ""  # refused before any work
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["page.fifo"]

    def test_write_page_itself_never_replaces_a_special_file(self, tmp_path):
        """(The race: the name became a pipe after the option was checked.)"""
        from search.present.html import NotAFile, write_page

        fifo = tmp_path / "page.fifo"
        os.mkfifo(fifo)
        with pytest.raises(NotAFile):
            write_page(fifo, "<p>x</p>")
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["page.fifo"]

    def test_a_link_to_a_page_stays_a_link(self, seed_index, tmp_path):
        page, link = tmp_path / "page.html", tmp_path / "link.html"
        page.write_text("old")
        link.symlink_to(page.name)
        result = run("search", "baclofen", "--index", str(seed_index), "--html", str(link))
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and page.read_text(encoding="utf-8").startswith("<!doctype html>")

    @pytest.mark.parametrize(
        "args",
        [["search", "baclofen", "--html", ""], ["index", ""], ["search", "x", "--index", ""]],
    )
    def test_an_empty_name_is_a_usage_error(self, seed_index, tmp_path, monkeypatch, args):
        """`index ''` indexed the current folder; `--html ''` was a traceback."""
        monkeypatch.chdir(write_corpus(tmp_path / "here", {"a.txt": "Baclofen text."}))
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "an empty name is no file or folder" in result.stderr
        assert sorted(p.name for p in Path.cwd().iterdir()) == ["a.txt"]


def by_path(entries) -> dict:
    return {e["path"]: e.get("reason") or e.get("note") for e in entries}


@pytest.fixture
def shared_tmp():
    """A folder another user can use (tmp_path is private to this one)."""
    folder = Path(tempfile.mkdtemp(prefix="gs-adv-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


NOBODY = 65534


def as_plain_user(*args: str, home: Path) -> subprocess.CompletedProcess:
    """`groundsearch ARGS` run by a user whom file permissions bind: this
    one, or `nobody` when the tests run as root (who reads anything)."""
    command = [sys.executable, "-m", "search", *args]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to run as another user")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data")}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=home, timeout=300)
    if "No module named" in result.stderr:
        pytest.skip(f"the other user cannot import groundsearch: {result.stderr.strip()}")
    return result


class TestNames:
    """Case 1: a file or folder name that is not UTF-8 no longer stops
    `index` (for good: every later run failed while the file existed)."""

    def test_it_is_skipped_with_its_name_escaped_and_the_run_completes(self, tmp_path):
        corpus = write_corpus(tmp_path / "m", {"ok.txt": "Baclofen is fine.", "sub/in.txt": "x"})
        (corpus / os.fsdecode(b"bad\xffname.txt")).write_text("Latin-1 named quoll.")
        folder = corpus / os.fsdecode(b"d\xfeir")
        folder.mkdir()
        (folder / "in.txt").write_text("In a badly named folder, a numbat.")
        ix = str(tmp_path / "ix")
        for _ in range(2):  # and again: the name never stops a later run
            result = run("index", str(corpus), "--index", ix, "--json")
            assert result.exit_code == 3, result.output
            data = json.loads(result.stdout)
            assert by_path(data["skipped"]) == {
                "bad\\xffname.txt": "file name is not UTF-8; rename it",
                "d\\xfeir/": "folder name is not UTF-8; rename it",
            }
            assert data["sources"] == 2
            said = "groundsearch: skipped bad\\xffname.txt: file name is not UTF-8; rename it\n"
            assert said in result.stderr
        assert "Baclofen" in run("search", "baclofen", "--index", ix).stdout

    def test_a_corpus_and_index_named_so_work_and_print(self, tmp_path):
        corpus = write_corpus(tmp_path / os.fsdecode(b"c\xff"), {"a.txt": "Baclofen words."})
        ix = str(tmp_path / os.fsdecode(b"ix\xe9"))
        result = run("index", str(corpus), "--index", ix, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["index"] == ix  # (\udce9 in JSON: the same name)
        result = run("index", str(corpus), "--index", ix)
        assert result.exit_code == 0 and "ix\\xe9" in result.stdout, result.output
        missing = run("search", "x", "--index", str(tmp_path / os.fsdecode(b"no\xff")))
        assert missing.exit_code == 1 and "no\\xff" in missing.stderr, missing.output


class TestReadRace:
    """Case 2: a file swapped for a link (or a pipe) between the scan and
    the read is not followed: the read opens each name on the way without
    following links, and checks that what it opened is a regular file."""

    def test_swapped_files_and_folders_are_not_followed(self, tmp_path, monkeypatch):
        corpus = write_corpus(
            tmp_path / "race",
            {"a.txt": "Baclofen words.", "sub/in.txt": "Inner wombat.", "pipe.txt": "x",
             "target.txt": "Inner bilby.", "zlink.txt": "x", "zzzz.txt": "Harmless echidna."},
        )
        outside = write_corpus(
            tmp_path / "outside",
            {"secret.txt": "Outside platypus.", "sub/in.txt": "Outside quokka."},
        )
        real_scan = indexer.build._scan

        def scan_then_swap(folder, report):  # the hook: runs between the scan and the reads
            found = real_scan(folder, report)
            (corpus / "zzzz.txt").unlink()
            (corpus / "zzzz.txt").symlink_to(outside / "secret.txt")
            shutil.rmtree(corpus / "sub")
            (corpus / "sub").symlink_to(outside / "sub")
            (corpus / "pipe.txt").unlink()
            os.mkfifo(corpus / "pipe.txt")  # would block a plain open() forever
            (corpus / "zlink.txt").unlink()
            (corpus / "zlink.txt").symlink_to("target.txt")  # inside: read at its target
            return found

        monkeypatch.setattr(indexer.build, "_scan", scan_then_swap)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {
            "zzzz.txt": "links outside the corpus folder",
            "sub/in.txt": "links outside the corpus folder",
            "pipe.txt": "not a regular file",
        }
        with Index(tmp_path / "ix") as ix:
            assert ix.search("platypus OR quokka", correct=False).total == 0
            assert ix.source_text("zlink.txt") == "Inner bilby."

    def test_the_read_checks_the_opened_file_itself(self, tmp_path, monkeypatch):
        """Swapped after the read's own lstat: the fstat of what was opened
        says it is no regular file."""
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen words.", "b.txt": "x"})
        real_open = os.open

        def swap_then_open(path, flags, *args, **kwargs):
            if path == "b.txt":
                os.unlink("b.txt", dir_fd=kwargs["dir_fd"])
                os.mkfifo("b.txt", dir_fd=kwargs["dir_fd"])
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", swap_then_open)
        report = index_folder(corpus, tmp_path / "ix")
        assert by_path(report.skipped) == {"b.txt": "not a regular file"}


class TestFolderNotEntered:
    """Case 8: a folder that can be listed but not entered (mode 644) is
    skipped with a reason, exit 3, like one that cannot be listed."""

    def test_it_is_skipped_and_the_rest_indexed(self, shared_tmp):
        corpus = write_corpus(
            shared_tmp / "c", {"a.txt": "Baclofen words.", "noexec/in.txt": "Hidden dibbler."}
        )
        (corpus / "noexec").chmod(0o644)
        result = as_plain_user("index", str(corpus), "--index", str(shared_tmp / "ix"), "--json",
                               home=shared_tmp)
        assert result.returncode == 3, result.stderr
        data = json.loads(result.stdout)
        assert by_path(data["skipped"]) == {"noexec/": "cannot enter folder: Permission denied"}
        assert data["sources"] == 1
        said = "groundsearch: skipped noexec/: cannot enter folder: Permission denied\n"
        assert result.stderr == said


class _Payload:
    """Unpickled, it creates the file `marker`: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def plant(generation: Path, marker: Path) -> None:
    """A newer Whoosh table of contents whose segment list runs code."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from indexer.storage.schema import make_schema

    TOC(make_schema(), [_Payload(marker)], 99).write(FileStorage(str(generation)), "MAIN")


class TestCraftedIndex:
    """Case 9: Whoosh unpickles its files, so a crafted index folder could
    run code on `search`.  Only a generation sealed with this user's key,
    unchanged, belonging to this user and writable by no one else is read."""

    @pytest.fixture
    def built(self, tmp_path):
        corpus = write_corpus(tmp_path / "corpus", {"a.txt": "Baclofen is a muscle relaxant."})
        index_folder(corpus, tmp_path / "ix")
        return corpus, tmp_path / "ix", tmp_path / "pwned"

    def search_refused(self, ix: Path, marker: Path, message: str) -> None:
        for command in (["search", "baclofen"], ["ask", "What is baclofen?"], ["sources"]):
            result = run(*command, "--index", str(ix))
            assert result.exit_code == 1, result.output
            assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
        with pytest.MonkeyPatch.context() as patch:  # the environment variable alike
            patch.setenv("GROUNDSEARCH_INDEX", str(ix))
            assert run("search", "baclofen").exit_code == 1
        assert not marker.exists(), "the crafted index ran code"

    def test_a_file_added_to_a_sealed_index_is_never_read(self, built):
        _, ix, marker = built
        plant(IndexStore(ix).current(), marker)
        self.search_refused(ix, marker, "holds _MAIN_99.toc, which it was not built with")

    def test_an_index_without_a_seal_is_never_read(self, built):
        corpus, ix, marker = built
        generation = IndexStore(ix).current()
        (generation / "MANIFEST").unlink()
        plant(generation, marker)
        self.search_refused(ix, marker, "built before groundsearch sealed its indexes")
        result = run("index", str(corpus), "--index", str(ix), "--rebuild")
        assert result.exit_code == 0 and not marker.exists(), result.output
        assert run("search", "baclofen", "--index", str(ix)).exit_code == 0

    def test_an_index_sealed_with_another_key_is_never_read(self, built, tmp_path, monkeypatch):
        corpus, ix, marker = built
        with pytest.MonkeyPatch.context() as patch:  # the attacker's own key
            patch.setenv("XDG_CONFIG_HOME", str(tmp_path / "attacker"))
            crafted = tmp_path / "crafted"
            index_folder(corpus, crafted)
            generation = IndexStore(crafted).current()
            (generation / "MANIFEST").unlink()
            plant(generation, marker)
            trust.seal(crafted, generation)
        self.search_refused(crafted, marker, "it was not built with your key")
        result = run("index", str(corpus), "--index", str(crafted))  # nor updated
        assert result.exit_code == 1 and not marker.exists(), result.output

    def test_an_index_others_can_write_to_is_never_read(self, built):
        _, ix, marker = built
        toc = next(IndexStore(ix).current().glob("*.toc"))
        toc.chmod(0o666)
        self.search_refused(ix, marker, f"others can write to {toc}")

    @pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
    def test_an_index_of_another_user_is_never_read(self, built):
        _, ix, marker = built
        os.chown(ix, NOBODY, NOBODY)
        self.search_refused(ix, marker, f"{ix} belongs to another user (uid {NOBODY})")

    def test_a_key_others_can_read_is_refused(self, built):
        _, ix, _ = built
        key = trust.key_path()
        key.chmod(0o644)
        try:
            result = run("search", "baclofen", "--index", str(ix))
        finally:
            key.chmod(0o600)
        assert result.exit_code == 1
        assert f"`chmod 600 {key}`" in result.stderr, result.stderr

    def test_a_copied_index_is_read_once_its_files_hash_the_same(self, built, tmp_path):
        """A copy has new inodes: its files are hashed, then read."""
        _, ix, _ = built
        copy = tmp_path / "copy"
        shutil.copytree(ix, copy)
        assert run("search", "baclofen", "--index", str(copy)).exit_code == 0


class TestDamagedTableOfContents:
    """Case 13: one changed byte in the table of contents (`expression` to
    `exprossion`) made search, ask and audit exit 2, "cannot parse the
    query".  Any change to a sealed file is damage: exit 1, `--rebuild`."""

    def test_it_is_reported_as_damage(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen is a controlled substance."})
        index_folder(corpus, tmp_path / "ix")
        (toc,) = IndexStore(tmp_path / "ix").current().glob("*.toc")
        data = toc.read_bytes()
        assert b"expression" in data
        toc.write_bytes(data.replace(b"expression", b"exprossion", 1))
        for command in (["search", "baclofen"], ["ask", "Is it?"], ["audit", "Is it controlled?"]):
            result = run(*command, "--index", str(tmp_path / "ix"))
            assert result.exit_code == 1, result.output
            assert result.stderr.startswith(f"Error: cannot open the index at {tmp_path / 'ix'} (")
            assert f"{toc.name} changed since the index was built" in result.stderr
            assert result.stderr.endswith("--rebuild`\n")


class TestFuzzyLimits:
    """Case 6: fuzzy terms were unbounded (`baclofen~9`: 5.9 s on the five
    seed pages).  At most 2 edits and 50 words, said when capped."""

    def test_the_edit_distance_is_capped_and_said(self, seeds):
        result = seeds.search("baclofen~9", correct=False)
        assert result.notes == (
            "baclofen~9 searched as baclofen~2 (fuzzy terms allow at most 2 edits)",
        )
        assert result.total == seeds.search("baclofen~2", correct=False).total > 0
        assert seeds.search("baclofen~2", correct=False).notes == ()

    def test_the_words_searched_are_capped_and_said(self, tmp_path):
        letters = "abdefghijklmnopqrsuvwxyz"
        words = [f"{a}at" for a in letters] + [f"c{a}t" for a in letters] + ["cat"]
        words += [f"ca{a}" for a in letters]  # 70 words one edit from "cat"
        corpus = write_corpus(tmp_path / "c", {f"{w}.txt": f"The word {w} is here." for w in words})
        index_folder(corpus, tmp_path / "ix")
        result = run("search", "cat~", "--index", str(tmp_path / "ix"), "--json", "--limit", "100")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["notes"] == ["cat~1 matches more than 50 words; the 50 closest were searched"]
        assert 0 < data["total"] <= 50
        assert "cat.txt" in {h["source"]["path"] for h in data["hits"]}  # the exact word first
        assert "groundsearch: cat~1 matches more than 50 words" in result.stderr

    @given(st.text("abc", max_size=7), st.text("abc", max_size=7), st.integers(0, 2))
    def test_the_distance_is_whooshs_within_the_bound(self, a, b, bound):
        from whoosh.support.levenshtein import damerau_levenshtein

        from search.retrieval.fuzzy import bounded_distance

        distance = damerau_levenshtein(a, b)
        assert bounded_distance(a, b, bound) == (distance if distance <= bound else None)


class TestHtmlContext:
    """Case 7: a page grew with hits x line length (one 5 MB line, 100
    hits: a 525 MB page).  "In context" shows at most 2,000 characters on
    each side of the passage, an ellipsis where it is cut."""

    def test_a_long_line_gives_a_bounded_page(self, tmp_path):
        line = " ".join(f"Baclofen tablet number {n} is taken by mouth." for n in range(20_000))
        corpus = write_corpus(tmp_path / "c", {"long.txt": line})
        index_folder(corpus, tmp_path / "ix")
        page = tmp_path / "page.html"
        result = run(
            "search", "baclofen", "--limit", "100", "--index", str(tmp_path / "ix"),
            "--html", str(page),
        )
        assert result.exit_code == 0, result.output
        assert len(line) > 800_000 and page.stat().st_size < 1_500_000
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        contexts = soup.select("div.source-text")
        assert len(contexts) == 100
        for context in contexts:
            here = context.select_one(".here").get_text()
            text = context.get_text()
            assert [c.get_text() for c in context.select(".cut")] in (["…", "…"], ["…"])
            shown = text.removeprefix("…").removesuffix("…")
            assert shown in line and here in shown  # verbatim, around the passage
            before, after = shown.split(here, 1)
            assert len(before) <= 2000 and len(after) <= 2000


class TestFirstUse:
    """Case 10: two commands on first use: the second failed, telling the
    user to pass --wait, which `search` does not have.  It waits for the
    first one's build of the default index, then uses it."""

    def test_the_second_waits_for_the_first_build(self, tmp_path):
        from search.retrieval.default import default_index, embedded_corpus, resolve_index

        location = default_index()
        elsewhere = tmp_path / "built"
        index_folder(embedded_corpus(), elsewhere)
        built = IndexStore(elsewhere).current()
        heard: list[str] = []
        waiting = threading.Event()
        found: list = []

        def note(line: str) -> None:
            heard.append(line)
            if "waiting" in line:
                waiting.set()  # the hook: the other command is now waiting

        second = threading.Thread(target=lambda: found.append(resolve_index(None, note)))
        with IndexStore(location).lock():  # the first command, building
            second.start()
            assert waiting.wait(60), heard
            (location / built.name).parent.mkdir(parents=True, exist_ok=True)
            built.rename(location / built.name)
            (elsewhere / "CURRENT").rename(location / "CURRENT")
        second.join(60)
        assert found == [location]
        assert heard == [
            f"another groundsearch is building the default index at {location}; waiting for it"
        ]
        assert IndexStore(location).current().name == built.name  # used, not built again


class TestTomlFiles:
    """Case 11: TOML nested 5,000 deep was a RecursionError traceback, and
    `--synonyms /dev/zero` or `--topics /dev/zero` read without end.  One
    line each, exit 1 (a corpus or synonym file) or 2 (a `--topics` file)."""

    DEEP = "groups = " + "[" * 5000

    @pytest.mark.parametrize(
        ("args", "code", "says"),
        [
            (["search", "baclofen", "--synonyms", "DEEP"], 1, "nested too deeply"),
            (["audit", "baclofen", "--topics", "DEEP"], 2, "nested too deeply"),
            (["search", "baclofen", "--synonyms", "/dev/zero"], 1, "larger than 32 MB"),
            (["audit", "baclofen", "--topics", "/dev/zero"], 2, "longer than 1,048,576"),
        ],
    )
    def test_options_are_one_line(self, seed_index, tmp_path, args, code, says):
        deep = tmp_path / "deep.toml"
        deep.write_text(self.DEEP.replace("groups", "topics"))
        args = [str(deep) if a == "DEEP" else a for a in args]
        result = run(*args, "--index", str(seed_index))
        assert result.exit_code == code, result.output
        assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr

    @pytest.mark.parametrize("name", ["sources.toml", "synonyms.toml"])
    def test_corpus_files_are_one_line(self, tmp_path, name):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen.", name: "x = " + "[" * 5000})
        result = run("index", str(corpus), "--index", str(tmp_path / "ix"))
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"Error: {corpus / name} is not valid TOML: arrays or tables nested too deeply\n"
        )


def _mount_tiny(folder: Path, inodes: int) -> bool:
    folder.mkdir(exist_ok=True)
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size=20m,nr_inodes={inodes}", "tmpfs", str(folder)],
        capture_output=True,
    )
    return made.returncode == 0


class TestMinorList:
    """The issue's minor list, same standard: one line, a documented code."""

    @pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
    def test_running_out_of_inodes_is_one_line(self, tmp_path):
        """SQLite's "unable to open database file" was a traceback."""
        corpus = write_corpus(tmp_path / "c", {f"{n}.txt": f"Baclofen {n}." for n in range(40)})
        tiny = tmp_path / "tiny"
        # Out of inodes at sources.sqlite (SQLite keeps no journal file while
        # a run builds it: the next inode would be Whoosh's).
        if not _mount_tiny(tiny, 5):
            pytest.skip("cannot mount a tmpfs here")
        try:  # (in a process of its own: no file left open keeps it mounted)
            result = subprocess.run(
                [sys.executable, "-m", "search", "index", str(corpus), "--index",
                 str(tiny / "ix")], capture_output=True, text=True,
            )
        finally:
            subprocess.run(["umount", "-l", str(tiny)], capture_output=True)
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            f"Error: no space left on device writing {tiny}/ix/gen-00000001/sources.sqlite\n"
        )

    def test_ctrl_c_while_starting_is_one_line(self, tmp_path):
        """The hook: the import of the command line is interrupted."""
        script = (
            "import builtins, sys\n"
            "real = builtins.__import__\n"
            "def interrupted(name, *args, **kwargs):\n"
            "    if name == 'cli' or name.endswith('present.cli'):\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = interrupted\n"
            "sys.argv = ['groundsearch', 'search', 'baclofen']\n"
            "from search.present.entry import main\n"
            "main()\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
        )
        assert (result.returncode, result.stderr) == (130, "Error: interrupted\n")

    def test_a_closed_standard_output_is_one_line(self, seed_index, tmp_path):
        result = subprocess.run(
            ["sh", "-c", f'exec "{sys.executable}" -m search search baclofen --index '
             f'"{seed_index}" >&-'],
            capture_output=False, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        assert result.returncode == 1
        assert result.stderr == (
            "Error: standard output is closed; give it a file (> FILE) or /dev/null\n"
        )

    def test_a_current_linking_to_a_big_file_is_not_quoted(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen."})
        index_folder(corpus, tmp_path / "ix")
        big = tmp_path / "big"
        big.write_text("gen-" + "x" * 1_000_000)
        (tmp_path / "ix" / "CURRENT").unlink()
        (tmp_path / "ix" / "CURRENT").symlink_to(big)
        result = run("search", "baclofen", "--index", str(tmp_path / "ix"))
        assert result.exit_code == 1 and len(result.stderr) < 300, result.stderr[:300]
        assert "CURRENT is a link, which groundsearch never makes" in result.stderr

    def test_a_current_folder_says_what_makes_rebuild_work(self, tmp_path):
        corpus = write_corpus(tmp_path / "c", {"a.txt": "Baclofen."})
        ix = tmp_path / "ix"
        index_folder(corpus, ix)
        (ix / "CURRENT").unlink()
        (ix / "CURRENT").mkdir()
        for args in (["search", "baclofen"], ["index", str(corpus), "--rebuild"]):
            result = run(*args, "--index", str(ix))
            assert result.exit_code == 1, result.output
            assert result.stderr.startswith(
                f"Error: {ix / 'CURRENT'} is a folder, which groundsearch never makes: "
                "move it out of the way, then run `groundsearch index"
            ), result.stderr
        (ix / "CURRENT").rename(tmp_path / "moved")
        assert run("index", str(corpus), "--index", str(ix), "--rebuild").exit_code == 0
