"""The index is never left half-written, damage is detected with a message
that says what to do, and concurrent runs and readers stay consistent."""

from __future__ import annotations

import errno
import gc
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import index_folder
from indexer.errors import IndexCorrupt, IndexMissing, IndexOutdated, QueryError
from indexer.ids import text_hash
from indexer.storage import store as store_module
from indexer.storage.schema import SCHEMA_VERSION
from indexer.storage.store import IndexStore
from search import Index
from search.present.cli import cli

from .conftest import write_corpus

REPO = Path(__file__).resolve().parent.parent
DOCS = {
    "a.txt": "Baclofen is a muscle relaxant.\n\nIt treats spasticity in multiple sclerosis.\n",
    "b.md": "# Hiccups\n\nBaclofen can stop chronic hiccuping.\n",
    "c.html": "<title>Doses</title><p>Reduce the dose gradually.</p>",
}


@pytest.fixture
def built(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    return corpus, tmp_path / "ix"


def generation(index_dir: Path) -> Path:
    return IndexStore(index_dir).current()


def truncate(pattern: str, size: int):
    def damage(ix: Path):
        for path in generation(ix).glob(pattern):
            with open(path, "r+b") as handle:
                handle.truncate(size)

    return damage


def sql(statement: str):
    def damage(ix: Path):
        with sqlite3.connect(generation(ix) / "sources.sqlite") as db:
            db.executescript(statement)

    return damage


def remove(pattern: str):
    return lambda ix: [path.unlink() for path in generation(ix).glob(pattern)]


def write_toc(content: bytes):
    return lambda ix: [path.write_bytes(content) for path in generation(ix).glob("*.toc")]


def write_current(content: bytes):
    return lambda ix: (ix / "CURRENT").write_bytes(content)


DAMAGE = {
    "empty CURRENT": write_current(b""),
    "CURRENT naming a folder outside": write_current(b"../../etc\n"),
    "CURRENT naming a generation outside": write_current(b"gen-../../etc\n"),
    "CURRENT naming a missing generation": write_current(b"gen-99999999\n"),
    "binary CURRENT": write_current(b"\xff\xfe\x00\x01"),
    "truncated segment": truncate("*.seg", 1000),
    "empty segment": truncate("*.seg", 0),
    "truncated table of contents": truncate("*.toc", 10),
    "truncated sources database": truncate("sources.sqlite", 100),
    "missing sources table": sql("DROP TABLE sources"),
    "malformed metadata": sql("UPDATE meta SET value = '{' WHERE key = 'settings'"),
    "older schema version": sql("UPDATE meta SET value = '0' WHERE key = 'schema_version'"),
    "no schema version": sql("DELETE FROM meta WHERE key = 'schema_version'"),
}


@pytest.fixture
def whoosh_leaks():
    """Whoosh leaves a segment file open when opening a damaged one fails:
    collect it here, so its ResourceWarning cannot fail a later test."""
    yield
    gc.collect()


@pytest.mark.usefixtures("whoosh_leaks")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
class TestDamagedIndex:
    @pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
    def test_detected_with_the_rebuild_hint(self, built, damage):
        corpus, ix = built
        damage(ix)
        with pytest.raises(IndexCorrupt, match=r"groundsearch index \S+ --index .* --rebuild"):
            with Index(ix) as index:
                index.search("baclofen")
        result = CliRunner().invoke(cli, ["search", "baclofen", "--index", str(ix)])
        assert result.exit_code == 1, result.output
        assert "--rebuild" in result.stderr and "Traceback" not in result.output
        rebuilt = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix), "--rebuild"])
        assert rebuilt.exit_code == 0, rebuilt.output
        with Index(ix) as index:
            assert index.search("hiccuping").total == 1

    def test_schema_version_is_recorded(self, built):
        _, ix = built
        from indexer.storage.schema import SCHEMA_VERSION

        assert IndexStore(ix).read_meta(generation(ix))["schema_version"] == SCHEMA_VERSION

    def test_older_schema_message_says_what_to_do(self, built):
        """It names the corpus the index was built from: the exact command."""
        corpus, ix = built
        sql("UPDATE meta SET value = '0' WHERE key = 'schema_version'")(ix)
        with pytest.raises(IndexOutdated) as caught:
            Index(ix)
        assert str(caught.value) == (
            f"the index at {ix} was built by an older groundsearch (schema version 0, this one "
            f"reads {SCHEMA_VERSION}); run `groundsearch index {corpus} --index {ix} --rebuild`"
        )

    def test_a_newer_schema_version_is_not_rebuilt_silently(self, built):
        corpus, ix = built
        sql(f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")(ix)
        with pytest.raises(IndexCorrupt, match=f"built with schema version {SCHEMA_VERSION + 1}"):
            Index(ix)
        with pytest.raises(IndexCorrupt, match="--rebuild"):
            index_folder(corpus, ix)

    def test_index_built_with_another_stemmer_says_rebuild(self, built):
        _, ix = built
        from indexer.storage.schema import STEMMER

        assert IndexStore(ix).read_meta(generation(ix))["stemmer"] == STEMMER
        sql("""UPDATE meta SET value = '"porter"' WHERE key = 'stemmer'""")(ix)
        with pytest.raises(IndexCorrupt, match="built with the stemmer porter.*--rebuild"):
            Index(ix)

    def test_incremental_run_on_a_damaged_index_says_rebuild(self, built):
        corpus, ix = built
        truncate("*.seg", 1000)(ix)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1, result.output
        assert "--rebuild" in result.stderr and "Traceback" not in result.output
        assert sorted(p.name for p in ix.glob("gen-*")) == [generation(ix).name]

    @pytest.mark.parametrize(
        "damage",
        [truncate("*.toc", 0), write_toc(os.urandom(3000)), remove("*.toc"), remove("*.seg")],
        ids=["empty TOC", "garbage TOC", "deleted TOC", "deleted segment"],
    )
    def test_index_on_unreadable_segments_says_rebuild_and_changes_nothing(self, built, damage):
        """`index` reports what search reports, in one line, and leaves the
        pointer and the generations as they were."""
        corpus, ix = built
        before = generation(ix)
        damage(ix)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"Error: cannot open the index at {ix} ("), result.stderr
        assert result.stderr.endswith("--rebuild`\n") and result.stderr.count("\n") == 1
        assert generation(ix) == before
        assert sorted(p.name for p in ix.glob("gen-*")) == [before.name]

    def test_damage_found_while_searching_is_not_blamed_on_the_query(self, built, monkeypatch):
        _, ix = built
        with Index(ix) as index:

            def broken(*args, **kwargs):
                raise struct.error("unpack requires a buffer of 4 bytes")

            monkeypatch.setattr(index._searcher, "search_with_collector", broken)
            with pytest.raises(IndexCorrupt, match="damaged .*--rebuild"):
                index.search('"baclofen dose"')  # a phrase: Whoosh's own matcher
            monkeypatch.setattr(index._searcher, "stored_fields", broken)
            with pytest.raises(IndexCorrupt, match="damaged .*--rebuild"):
                index.search("baclofen")  # plain words: the vectorised scorer
            monkeypatch.setattr(index._searcher, "documents", broken)
            with pytest.raises(IndexCorrupt, match="damaged"):
                index.passage("a#1")

    def test_a_query_whoosh_cannot_run_is_still_a_query_error(self, built):
        _, ix = built
        with Index(ix) as index, pytest.raises(QueryError, match="cannot run the query"):
            index.search("a~2/3")


class TestShowStaysInsideTheIndex:
    @pytest.mark.parametrize(
        "passage_id",
        [
            "../../etc/passwd#1",
            "/etc/passwd#1",
            "a#1/../../../etc/passwd",
            "a.txt",
            "*",
            "a#*",
            "%2e%2e/etc#1",
            "a#0",
            "a#-1",
            "a#99999999999999999999",
            "",
            "\x00",
        ],
    )
    def test_crafted_ids_read_nothing_outside(self, built, passage_id):
        _, ix = built
        result = CliRunner().invoke(cli, ["show", passage_id, "--index", str(ix)])
        assert result.exit_code == 1, result.output
        assert "no passage" in result.stderr and "root:" not in result.output

    def test_show_reads_the_indexed_copy_not_the_file(self, built):
        """Text comes from the index: a corpus file replaced by a link to a
        secret after indexing is never read."""
        corpus, ix = built
        secret = write_corpus(corpus.parent / "secret", {"s.txt": "TOP SECRET"}) / "s.txt"
        (corpus / "a.txt").unlink()
        os.symlink(secret, corpus / "a.txt")
        passage_id = f"a.txt#{text_hash('It treats spasticity in multiple sclerosis.')}"
        result = CliRunner().invoke(cli, ["show", passage_id, "--index", str(ix)])
        assert result.exit_code == 0 and "TOP SECRET" not in result.output
        assert "muscle relaxant" in result.output


def make_corpus(folder: Path, count: int, tag: str, seed: int = 0) -> Path:
    rnd = random.Random(seed)
    words = (
        "baclofen spasticity withdrawal dose tablet muscle relaxant seizure nerve spinal".split()
    )
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(
            " ".join(rnd.choice(words) for _ in range(12)).capitalize() + f" {tag}{i}x."
            for _ in range(4)
        )
        (folder / f"{tag}{i:05d}.txt").write_text(body)
    return folder


def paths(index: Index, query: str) -> set[str]:
    return {hit.passage.path for hit in index.search(query, limit=50, correct=False).hits}


def index_process(corpus: Path, ix: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(corpus), "--index", str(ix), *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


class TestKilledRun:
    @pytest.mark.parametrize("delay", [0.0, 0.7, 1.5])
    def test_sigkill_leaves_the_previous_index_and_the_next_run_completes(self, tmp_path, delay):
        corpus = make_corpus(tmp_path / "corpus", 20, "old")
        ix = tmp_path / "ix"
        index_folder(corpus, ix)
        before = generation(ix).name
        make_corpus(corpus, 1500, "new", seed=1)
        process = index_process(corpus, ix)
        try:
            wait_for(
                lambda: any(p.name > before for p in ix.glob("gen-*")) or process.poll() is not None
            )
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
        finally:
            process.communicate(timeout=30)
        published = generation(ix).name != before
        with Index(ix) as index:
            assert paths(index, "old7x") == {"old00007.txt"}
            assert paths(index, "new1234x") == ({"new01234.txt"} if published else set())
            assert len(index.sources()) == (1520 if published else 20)
        report = index_folder(corpus, ix)
        assert len(report.added) == (0 if published else 1500)
        assert report.sources == 1520
        assert [p.name for p in ix.glob("gen-*") if p.name > generation(ix).name] == []
        with Index(ix) as index:
            assert paths(index, "new1234x") == {"new01234.txt"}

    @pytest.mark.parametrize("delay", [0.3, 1.0])
    def test_sigkill_during_a_parallel_first_build_leaves_no_lock(self, tmp_path, delay):
        """A first build of many files runs helper processes; killing the
        run must not leave them holding the index or half an index."""
        corpus = make_corpus(tmp_path / "corpus", 1500, "new", seed=2)
        ix = tmp_path / "ix"
        process = index_process(corpus, ix)
        try:
            wait_for(lambda: any(ix.glob("gen-*/part-*")) or process.poll() is not None)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
        finally:
            process.communicate(timeout=30)
        if not (ix / "CURRENT").exists():
            with pytest.raises(IndexMissing):
                Index(ix)
        report = index_folder(corpus, ix)  # no IndexLocked: the helpers held no lock
        assert report.sources == 1500
        with Index(ix) as index:
            assert paths(index, "new1234x") == {"new01234.txt"}
        assert list(ix.glob("gen-*/part-*")) == []

    def test_a_crash_while_publishing_keeps_the_old_pointer(self, built, monkeypatch):
        corpus, ix = built
        before = generation(ix)
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})

        def crash(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError):
            index_folder(corpus, ix)
        monkeypatch.undo()
        assert generation(ix) == before
        with Index(ix) as index:
            assert index.search("ozobax", correct=False).total == 0
        assert index_folder(corpus, ix).added == ["d.txt"]


class TestInterruptedRun:
    def test_ctrl_c_while_indexing_is_one_line_and_changes_nothing(self, built, monkeypatch):
        corpus, ix = built
        before = generation(ix)
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})

        def interrupt(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr("indexer.build.commit", interrupt)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 130, result.output
        assert result.stderr == f"Error: interrupted; the index at {ix} is unchanged\n"
        assert generation(ix) == before
        assert sorted(p.name for p in ix.glob("gen-*")) == [before.name]

    def test_ctrl_c_after_the_switch_keeps_the_new_generation(self, built, monkeypatch):
        corpus, ix = built
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})
        fsync_dir = store_module._fsync_dir

        def interrupt_at_the_root(folder):
            if Path(folder) == ix:  # (synced once CURRENT was replaced)
                raise KeyboardInterrupt
            fsync_dir(folder)

        monkeypatch.setattr(store_module, "_fsync_dir", interrupt_at_the_root)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 130 and result.stderr == "Error: interrupted\n", result.output
        monkeypatch.undo()
        with Index(ix) as index:
            assert index.search("ozobax", correct=False).total == 1

    def test_a_pointer_that_cannot_be_replaced_is_named_and_no_tmp_is_left(
        self, built, monkeypatch
    ):
        """As with `chattr +i CURRENT`: the rename fails with EPERM."""
        corpus, ix = built
        before = generation(ix)
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})

        def refuse(source, target):
            raise PermissionError(errno.EPERM, "Operation not permitted", source, None, target)

        monkeypatch.setattr(os, "replace", refuse)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1, result.output
        assert result.stderr == f"Error: {ix / 'CURRENT'}: Operation not permitted\n"
        assert sorted(p.name for p in ix.iterdir()) == [".lock", "CURRENT", before.name]


class TestFullDisk:
    def test_a_full_disk_while_copying_the_generation_is_one_line_and_leaves_nothing(
        self, built, monkeypatch
    ):
        corpus, ix = built
        before = generation(ix)
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})
        copy = shutil.copy2

        def fill_up(source, target):
            if Path(source).name == "sources.sqlite":  # (as sendfile reports it)
                raise OSError(errno.ENOSPC, "No space left on device", str(source), None, target)
            return copy(source, target)

        monkeypatch.setattr(shutil, "copy2", fill_up)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1, result.output
        written = ix / "gen-00000002" / "sources.sqlite"
        assert result.stderr == f"Error: no space left on device writing {written}\n"
        assert generation(ix) == before
        assert sorted(p.name for p in ix.glob("gen-*")) == [before.name]

    def test_a_full_disk_while_indexing_names_the_generation(self, built, monkeypatch):
        corpus, ix = built
        before = generation(ix)
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})

        def fill_up(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")  # (as Whoosh's writes do)

        monkeypatch.setattr("indexer.build.commit", fill_up)
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1, result.output
        written = ix / "gen-00000002"
        assert result.stderr == f"Error: no space left on device writing {written}\n"
        assert sorted(p.name for p in ix.glob("gen-*")) == [before.name]


class TestConcurrentUse:
    def test_second_writer_fails_with_a_clear_message(self, built):
        corpus, ix = built
        with IndexStore(ix).lock():
            result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix)])
        assert result.exit_code == 1
        assert "another indexing run" in result.stderr and "--wait SECONDS" in result.stderr

    def test_a_writer_that_waited_in_vain_is_not_told_to_wait(self, built):
        corpus, ix = built
        with IndexStore(ix).lock():
            result = CliRunner().invoke(
                cli, ["index", str(corpus), "--index", str(ix), "--wait", "0.2"]
            )
        assert result.exit_code == 1
        assert "another indexing run" in result.stderr and "--wait" not in result.stderr
        assert "after 0.2 s of waiting" in result.stderr

    def test_second_writer_with_wait_runs_after_the_first(self, built):
        corpus, ix = built
        write_corpus(corpus, {"d.txt": "Ozobax is an oral solution."})
        holding = threading.Event()

        def hold():
            with IndexStore(ix).lock():
                holding.set()
                time.sleep(0.7)

        holder = threading.Thread(target=hold)
        holder.start()
        holding.wait()
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(ix), "--wait", "10"])
        holder.join()
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started >= 0.5
        assert "1 added" in result.stdout

    def test_two_real_processes(self, tmp_path):
        corpus = make_corpus(tmp_path / "corpus", 600, "doc")
        ix = tmp_path / "ix"
        first = index_process(corpus, ix)
        wait_for(lambda: any(ix.glob("gen-*")) or first.poll() is not None)
        second = index_process(corpus, ix)
        _, error = second.communicate(timeout=60)
        first.communicate(timeout=60)
        if first.returncode == 0 and second.returncode == 0:
            pytest.skip("the first run finished before the second started")
        assert first.returncode == 0
        assert second.returncode == 1 and "another indexing run (pid" in error
        assert "Traceback" not in error
        waiting = index_process(corpus, ix, "--wait", "60")
        waiting.communicate(timeout=60)
        assert waiting.returncode == 0

    def test_an_open_reader_keeps_its_generation_through_two_reindexes(self, built):
        """A searcher holds the generation it opened: it keeps answering,
        from the old index, even after two later runs have replaced it and
        deleted its files (POSIX keeps open files readable)."""
        corpus, ix = built
        with Index(ix) as reader:
            passage_id = reader.search("spasticity").hits[0].passage.passage_id
            for version in (2, 3):
                (corpus / "a.txt").write_text(f"Baclofen version{version} text.")
                index_folder(corpus, ix)
            assert not reader.generation.exists(), "its files were deleted"
            assert reader.search("spasticity", correct=False).total == 1
            assert reader.search("version3", correct=False).total == 0
            passage, _ = reader.passage(passage_id)
            assert "spasticity" in passage.text
            assert reader.source_text("a.txt").startswith("Baclofen is a muscle relaxant.")
        with Index(ix) as fresh:
            assert fresh.search("version3", correct=False).total == 1

    def test_searches_during_reindexing_see_one_generation_or_the_other(self, tmp_path):
        files = {f"d{i}.txt": f"Baclofen note {i} says round0 everywhere." for i in range(30)}
        corpus = write_corpus(tmp_path / "corpus", files)
        ix = tmp_path / "ix"
        index_folder(corpus, ix)
        stop = threading.Event()
        seen, problems = [], []

        def search_loop():
            while not stop.is_set():
                try:
                    with Index(ix) as index:
                        rounds = {
                            h.passage.text.split()[-2]
                            for h in index.search("baclofen", limit=100).hits
                        }
                    seen.append(rounds)
                except Exception as exc:  # noqa: BLE001 - collected, asserted below
                    problems.append(repr(exc))

        reader = threading.Thread(target=search_loop)
        reader.start()
        try:
            for round_number in range(1, 8):
                for name in files:
                    (corpus / name).write_text(
                        f"Baclofen note {name} says round{round_number} everywhere."
                    )
                index_folder(corpus, ix)
        finally:
            stop.set()
            reader.join()
        assert not problems, problems[:3]
        assert seen and all(len(rounds) == 1 for rounds in seen), "never a mix of two generations"
