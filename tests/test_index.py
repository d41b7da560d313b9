"""Building and updating indexes: incremental runs, atomicity, locking, versions."""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading

import numpy as np
import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from indexer import forks, index_folder, parallel
from indexer.errors import CorpusError, IndexCorrupt, IndexingFailed, IndexLocked, IndexMissing
from indexer.ids import text_hash
from indexer.storage.schema import stored_passage, term_count, title_text
from indexer.storage import writer as writer_module
from indexer.storage.store import IndexStore
from search import Index
from search.present.cli import cli

from .conftest import reseal, write_corpus

DOCS = {
    "a.txt": "Baclofen is a muscle relaxant.\n\nIt treats spasticity in multiple sclerosis.\n",
    "b.md": "# Hiccups\n\nBaclofen can stop chronic hiccuping.\n",
    "c.html": "<title>Doses</title><p>Reduce the dose gradually.</p>",
}


def pid(path: str, text: str) -> str:
    """The id of the passage of `path` saying `text`."""
    return f"{path}#{text_hash(text)}"


HICCUPS = pid("b.md", "Baclofen can stop chronic hiccuping.")


def ids(index_dir, query):
    with Index(index_dir) as ix:
        return [h.passage.passage_id for h in ix.search(query, limit=50).hits]


def test_first_run_adds_every_document(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    report = index_folder(corpus, tmp_path / "ix")
    assert sorted(report.added) == ["a.txt", "b.md", "c.html"]
    assert report.sources == 3 and report.passages >= 3 and report.rebuilt
    assert ids(tmp_path / "ix", "hiccuping") == [HICCUPS]


def test_rerun_skips_unchanged_updates_changed_removes_deleted(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    (corpus / "b.md").write_text("# Hiccups\n\nBaclofen rarely helps with hiccups.\n")
    (corpus / "c.html").unlink()
    write_corpus(corpus, {"d.txt": "Gablofen is a brand of baclofen."})
    report = index_folder(corpus, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (
        ["d.txt"], ["b.md"], ["c.html"], ["a.txt"],
    )
    assert not report.rebuilt
    assert ids(tmp_path / "ix", "rarely") == [pid("b.md", "Baclofen rarely helps with hiccups.")]
    assert ids(tmp_path / "ix", "chronic") == []
    assert ids(tmp_path / "ix", "gradually") == []
    with Index(tmp_path / "ix") as ix:
        assert [s.info.path for s in ix.sources()] == ["a.txt", "b.md", "d.txt"]


def test_nothing_changed_means_nothing_rewritten(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    report = index_folder(corpus, tmp_path / "ix")
    assert not report.changed and len(report.unchanged) == 3


def test_changing_the_passage_size_rebuilds(tmp_path):
    from indexer import IndexSettings

    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    report = index_folder(corpus, tmp_path / "ix", settings=IndexSettings(max_chars=300))
    assert report.rebuilt and len(report.added) == 3


def forget_reading_version(index_dir):
    """Make the index look written by a groundsearch that read documents
    another way (before `READING_VERSION`)."""
    generation = IndexStore(index_dir).current()
    with contextlib.closing(sqlite3.connect(generation / "sources.sqlite")) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'reading'")
    reseal(index_dir)


def test_files_read_by_an_older_reader_are_read_again(tmp_path):
    # Unchanged files would otherwise keep the passages, kinds and posters
    # an older groundsearch gave them.
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    assert not index_folder(corpus, tmp_path / "ix").rebuilt
    forget_reading_version(tmp_path / "ix")
    report = index_folder(corpus, tmp_path / "ix")
    assert report.rebuilt and len(report.added) == 3 and report.unchanged == []
    assert not index_folder(corpus, tmp_path / "ix").rebuilt


def test_the_default_index_from_an_older_reader_is_rebuilt():
    from search.present.cli import resolve_index

    location = resolve_index(None)
    forget_reading_version(location)
    before = IndexStore(location).current()
    assert resolve_index(None) == location
    assert IndexStore(location).current() != before
    with Index(location) as ix:
        assert ix.passage_count() > 0


def test_a_failed_run_leaves_the_previous_index_usable(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    write_corpus(corpus, {"e.txt": "Ozobax is an oral solution of baclofen."})

    import indexer.build

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(indexer.build, "index_one", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        index_folder(corpus, tmp_path / "ix")
    monkeypatch.undo()
    assert ids(tmp_path / "ix", "hiccuping") == [HICCUPS]
    assert ids(tmp_path / "ix", "oral solution") == []
    generations = sorted(p.name for p in (tmp_path / "ix").glob("gen-*"))
    assert len(generations) == 1, "the half-written generation was discarded"
    report = index_folder(corpus, tmp_path / "ix")
    assert report.added == ["e.txt"]


def test_a_second_writer_gets_a_clear_error(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    with IndexStore(tmp_path / "ix").lock():
        with pytest.raises(IndexLocked, match="another indexing run"):
            index_folder(corpus, tmp_path / "ix")


def test_an_old_schema_version_is_detected(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    generation = IndexStore(tmp_path / "ix").current()
    with sqlite3.connect(generation / "sources.sqlite") as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        Index(tmp_path / "ix")
    report = index_folder(corpus, tmp_path / "ix", rebuild=True)
    assert report.rebuilt
    assert ids(tmp_path / "ix", "hiccuping") == [HICCUPS]


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexMissing, match="groundsearch index"):
        Index(tmp_path / "nowhere")


def test_refuses_to_write_into_a_foreign_folder(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    precious = write_corpus(tmp_path / "precious", {"thesis.docx": b"not ours"})
    with pytest.raises(IndexCorrupt, match="not a groundsearch index"):
        index_folder(corpus, precious)
    assert (precious / "thesis.docx").read_bytes() == b"not ours"


def test_missing_and_empty_corpus_folders(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        index_folder(tmp_path / "missing", tmp_path / "ix")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="holds no"):
        index_folder(tmp_path / "empty", tmp_path / "ix")
    assert not IndexStore(tmp_path / "ix").exists()


def test_unreadable_documents_are_skipped_and_reported(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {**DOCS, "photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "notes.pdf": b"%PDF"},
    )
    report = index_folder(corpus, tmp_path / "ix")
    assert [s["path"] for s in report.skipped] == ["photo.txt"]
    assert "binary" in report.skipped[0]["reason"]
    assert [s["path"] for s in report.ignored] == ["notes.pdf"]
    assert report.sources == 3


def test_metadata_file_names_the_source(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            **DOCS,
            "sources.toml": '[sources."a.txt"]\ntitle = "Baclofen basics"\n'
            'publisher = "Example Health"\nurl = "https://example.org/a"\n',
        },
    )
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        hit = ix.search("spasticity").hits[0]
        assert hit.source.to_dict() == {
            "path": "a.txt",
            "title": "Baclofen basics",
            "url": "https://example.org/a",
            "publisher": "Example Health",
        }
        assert ix.search("source:example spasticity").total == 1


def test_metadata_for_no_document_is_noted(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus",
        {**DOCS, "sources.toml": '[sources."gone.txt"]\ntitle = "A page since deleted"\n'},
    )
    report = index_folder(corpus, tmp_path / "ix")
    assert {"path": "sources.toml", "note": "names gone.txt, no document here"} in report.notes
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix2")])
    assert result.exit_code == 0
    assert "note: sources.toml: names gone.txt, no document here" in result.stderr


@pytest.mark.parametrize(
    "entry, said",
    [
        ("title = 42", "sources.'a.txt'.title must be a string, not 42"),
        ('publisher = ["Example"]', "sources.'a.txt'.publisher must be a string, not ['Example']"),
        ("retrieved = 3", "sources.'a.txt'.retrieved must be a string or a date, not 3"),
    ],
)
def test_metadata_of_the_wrong_type_is_refused(tmp_path, entry, said):
    corpus = write_corpus(
        tmp_path / "corpus", {**DOCS, "sources.toml": f'[sources."a.txt"]\n{entry}\n'}
    )
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {corpus / 'sources.toml'}: {said}\n"
    assert not (tmp_path / "ix").exists() or not any((tmp_path / "ix").glob("gen-*"))


@pytest.mark.parametrize("toml", ['title = "top"\n', '["a.txt"]\ntitle = "Basics"\n'])
def test_metadata_outside_the_sources_table_is_refused(tmp_path, toml):
    corpus = write_corpus(tmp_path / "corpus", {**DOCS, "sources.toml": toml})
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "unknown keys" in result.stderr and result.stderr.count("\n") == 1


def test_a_toml_date_is_a_retrieved_date(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus", {**DOCS, "sources.toml": '[sources."a.txt"]\nretrieved = 2024-05-06\n'}
    )
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        (source,) = [s for s in ix.sources() if s.info.path == "a.txt"]
        assert source.retrieved == "2024-05-06"


def test_same_stem_different_suffix_gets_distinct_ids(tmp_path):
    corpus = write_corpus(
        tmp_path / "corpus", {"x.txt": "Plain text claim.", "x.md": "Markdown claim."}
    )
    index_folder(corpus, tmp_path / "ix")
    assert set(ids(tmp_path / "ix", "claim")) == {
        pid("x.txt", "Plain text claim."),
        pid("x.md", "Markdown claim."),
    }


def test_ids_are_unique_in_an_index(tmp_path):
    """Issue 22, case 12: `a.md`, `a.txt` and `a.md.txt` once gave `a.md`
    and `a.md.txt` the same id.  Each file's passages, even with the same
    words, have ids of their own, and `show` finds each one."""
    same = "Baclofen\n\nIt is a muscle relaxant.\n\nIt is a muscle relaxant.\n"
    names = ["a.md", "a.txt", "a.md.txt", "a#b.txt", "a.md#x.txt"]
    corpus = write_corpus(tmp_path / "corpus", {name: same for name in names})
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        found = [p.passage_id for name in names for p in ix.passages(name)]
        assert len(found) >= 2 * len(names) and len(found) == len(set(found))
        for passage_id in found:
            passage, source = ix.passage(passage_id)
            assert passage.passage_id == passage_id and source.path in passage_id


def vocabulary(index_dir) -> dict[str, int]:
    with Index(index_dir) as ix:
        return dict(ix.vocabulary().frequency)


def test_spelling_vocabulary_counts_sources_and_follows_updates(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    index_folder(corpus, tmp_path / "ix")
    words = vocabulary(tmp_path / "ix")
    assert words["baclofen"] == 2 and words["hiccuping"] == 1 and words["reduce"] == 1
    assert words["relaxant"] == 1 and words["doses"] == 1  # titles count too
    assert "a" not in words  # one letter: never a suggestion

    (corpus / "b.md").write_text("# Hiccups\n\nBaclofen rarely helps with hiccups.\n")
    (corpus / "c.html").unlink()
    write_corpus(corpus, {"d.txt": "Gablofen is a brand of baclofen."})
    index_folder(corpus, tmp_path / "ix")
    updated = vocabulary(tmp_path / "ix")
    index_folder(corpus, tmp_path / "fresh")
    assert updated == vocabulary(tmp_path / "fresh")
    assert "hiccuping" not in updated and "reduce" not in updated
    assert updated["baclofen"] == 3 and updated["rarely"] == 1
    with Index(tmp_path / "ix") as ix:
        assert ix.suggest("hiccupng") == {"hiccupng": "hiccups"}


def test_spelling_vocabulary_follows_updates_shared_between_processes(tmp_path):
    """A file re-indexed or removed gives back the words of its old version
    (its title, headings and passages, read again from the index), whichever
    process re-indexes it: the vocabulary is then a fresh build's."""
    letters = "abcdefghijkl"
    files = {
        f"doc{c}.md": f"# Heading zorb{c}{c}\n\n## Part quux{c}{c}\n\nBaclofen note{c}{c} here.\n"
        for c in letters
    }
    corpus = write_corpus(tmp_path / "corpus", files)
    index_folder(corpus, tmp_path / "ix", processes=3)
    for c in letters[::2]:
        (corpus / f"doc{c}.md").write_text(f"# Heading zorb{c}{c}\n\nBaclofen changed{c}{c}.\n")
    (corpus / "docb.md").unlink()
    report = index_folder(corpus, tmp_path / "ix", processes=3)
    assert len(report.updated) == 6 and report.removed == ["docb.md"]
    updated = vocabulary(tmp_path / "ix")
    index_folder(corpus, tmp_path / "fresh", processes=1)
    assert updated == vocabulary(tmp_path / "fresh")
    assert "quuxaa" not in updated and "zorbbb" not in updated and "noteaa" not in updated
    assert updated["changedaa"] == 1 and "quuxcc" not in updated
    assert updated["quuxdd"] == 1 and updated["baclofen"] == 11


class TestParallelBuild:
    """A fresh build shared between processes gives the index one process builds."""

    @staticmethod
    def corpus(folder):
        files = {
            f"doc{n:03d}.txt": f"Title {n}\n\n"
            f"Baclofen note {n} about dose{n % 7} and taper{n % 5}.\n\n"
            f"Second paragraph {n} mentions withdrawal and hiccups "
            f"{'often' if n % 2 else 'rarely'}.\n"
            for n in range(60)
        }
        files.update(DOCS)
        files["bad.txt"] = b"\x00\x01binary\x00" * 10
        return write_corpus(folder, files)

    @staticmethod
    def everything(index_dir):
        with Index(index_dir) as ix:
            passages = [
                (p.passage_id, p.text, p.start, p.end, p.kind)
                for s in ix.sources()
                for p in ix.passages(s.info.path)
            ]
            queries = (
                "baclofen", "dose3 taper1", '"withdrawal and hiccups"', "often NOT rarely", "hiccuping"
            )
            searches = {
                q: [(h.passage.passage_id, round(h.score, 6)) for h in ix.search(q, limit=20).hits]
                for q in queries
            }
            for q in ("baclofen dose3", "withdrawal hiccups often"):
                searches[q] = (ix.rank(q, limit=None), ix.rank(q, limit=None, by_source=True))
            return passages, searches, dict(ix.vocabulary().frequency)

    @pytest.mark.parametrize(
        "start, pooled", [("fork", "on disk"), ("spawn", "on disk"), ("fork", "in memory")]
    )
    def test_same_index_as_one_process(self, tmp_path, monkeypatch, start, pooled):
        """Helpers forked or started afresh, also writing ranges of the
        segment's terms: from this process's pool saved as runs, or from its
        sorted terms (the choices are made here)."""
        monkeypatch.setattr(forks, "START_METHOD", start)
        monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
        if pooled == "on disk":
            monkeypatch.setattr(writer_module, "_POSTING_BYTES", 10**6)
        corpus = self.corpus(tmp_path / "corpus")
        one = index_folder(corpus, tmp_path / "one", processes=1)
        three = index_folder(corpus, tmp_path / "three", processes=3)
        assert one.to_dict() | {"index": ""} == three.to_dict() | {"index": ""}
        assert [s["path"] for s in three.skipped] == ["bad.txt"]
        assert self.everything(tmp_path / "one") == self.everything(tmp_path / "three")
        assert list((tmp_path / "three").glob("*/part-*")) == []
        # one segment, as one process writes: the helpers' documents are taken in
        assert len(list((tmp_path / "three").glob("*/*.seg"))) == 1
        assert list((tmp_path / "three").glob("*/*.tmp")) == []

    def test_no_fork_while_another_thread_runs(self, tmp_path, monkeypatch):
        """A caller running a thread of its own gets spawned helpers and a
        writer that writes alone: a fork would copy that thread's locks."""
        monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
        forked = []
        monkeypatch.setattr(os, "fork", lambda: forked.append(1) or pytest.fail("forked"))
        corpus = self.corpus(tmp_path / "corpus")
        one = index_folder(corpus, tmp_path / "one", processes=1)
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            two = index_folder(corpus, tmp_path / "two", processes=2)
        finally:
            stop.set()
            thread.join()
        assert forked == []
        assert one.to_dict() | {"index": ""} == two.to_dict() | {"index": ""}
        assert self.everything(tmp_path / "one") == self.everything(tmp_path / "two")

    def test_a_failing_forked_writer_leaves_the_index_as_it_was(self, tmp_path, monkeypatch):
        """The forked copy that writes half the postings fails (a full
        disk): the run fails with one line, and the index is the one before."""
        monkeypatch.setattr(forks, "START_METHOD", "fork")
        monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "ix", processes=2)
        before = self.everything(tmp_path / "ix")
        (corpus / "doc000.txt").write_text("Title 0\n\nBaclofen, edited.\n")
        parent, write = os.getpid(), writer_module._write_sorted_range

        def failing(chunks, lengths, task):
            if os.getpid() != parent:
                raise OSError(28, "No space left on device")
            return write(chunks, lengths, task)

        monkeypatch.setattr(writer_module, "_write_sorted_range", failing)
        with pytest.raises(IndexingFailed, match="No space left on device") as failed:
            index_folder(corpus, tmp_path / "ix", processes=2, rebuild=True)
        assert "\n" not in str(failed.value)
        assert self.everything(tmp_path / "ix") == before
        assert len(list((tmp_path / "ix").glob("gen-*"))) == 1

    def test_a_forked_helper_does_not_keep_the_index_locked(self, tmp_path, monkeypatch):
        """Once the run lets go of the index lock, the lock is free, even
        while a helper forked under it is alive."""
        monkeypatch.setattr(forks, "START_METHOD", "fork")
        store = IndexStore(tmp_path / "ix")
        with store.lock():
            pool = parallel.LocalPool(1)
            helper = pool.submit(os.getpid).result()  # (started under the lock)
        try:
            assert helper != os.getpid()
            with store.lock():  # (no waiting: IndexLocked if the helper held it)
                assert pool.submit(os.getpid).result() == helper  # (still alive)
        finally:
            pool.shutdown()

    def test_parts_saved_to_disk_are_taken_in(self, tmp_path, monkeypatch):
        """Postings that outgrow the pool's memory, in the helpers' pools and
        in this process's, are saved and taken in as they would have been
        kept."""
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "one", processes=1)
        monkeypatch.setattr(writer_module, "_POSTING_BYTES", 10**6)  # a run every few passages
        monkeypatch.setattr(writer_module, "_OPEN_RUNS", 4)  # and runs merged in steps
        monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)  # and the helpers write terms
        with concurrent.futures.ThreadPoolExecutor(2) as executor:  # (sees the patches)
            index_folder(corpus, tmp_path / "three", processes=3, executor=executor)
        assert self.everything(tmp_path / "one") == self.everything(tmp_path / "three")
        assert len(list((tmp_path / "three").glob("*/*.seg"))) == 1

    @pytest.mark.parametrize("rebuild", [True, False])
    def test_a_failed_helper_publishes_nothing(self, tmp_path, rebuild):
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "ix", processes=1)
        before = IndexStore(tmp_path / "ix").current()
        (corpus / "doc059.txt").write_text("Title 59\n\nRewritten.\n")
        dying = concurrent.futures.ProcessPoolExecutor(  # its helper exits at once
            1, mp_context=multiprocessing.get_context("spawn"), initializer=os._exit, initargs=(1,)
        )
        with dying, pytest.raises(IndexingFailed, match="helper process stopped"):
            index_folder(corpus, tmp_path / "ix", processes=2, rebuild=rebuild, executor=dying)
        assert IndexStore(tmp_path / "ix").current() == before
        assert sorted(p.name for p in (tmp_path / "ix").glob("gen-*")) == [before.name]

    def test_a_helper_failing_to_write_terms_publishes_nothing(self, tmp_path, monkeypatch):
        """A helper's failure while writing its range of the segment's terms
        fails the run; the index stays as it was."""
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "ix", processes=1)
        before = IndexStore(tmp_path / "ix").current()
        (corpus / "doc059.txt").write_text("Title 59\n\nRewritten.\n")
        monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
        monkeypatch.setattr(writer_module, "_POSTING_BYTES", 10**6)

        def failing(task):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(writer_module, "write_range", failing)
        with concurrent.futures.ThreadPoolExecutor(1) as executor, pytest.raises(
            IndexingFailed, match="helper process failed while writing the index"
        ):
            index_folder(corpus, tmp_path / "ix", processes=2, rebuild=True, executor=executor)
        assert IndexStore(tmp_path / "ix").current() == before
        assert sorted(p.name for p in (tmp_path / "ix").glob("gen-*")) == [before.name]

    @staticmethod
    def edit(corpus, round_=0):
        """Rewrite, delete and add files; break one that was good (its
        indexed version must stay)."""
        for n in range(round_ % 7, 60, 7):
            (corpus / f"doc{n:03d}.txt").write_text(
                f"Title {n}\n\nBaclofen dose{(n + round_) % 3} rewritten in round {round_}.\n"
            )
        for n in range(3 + round_, 60, 17):
            (corpus / f"doc{n:03d}.txt").unlink(missing_ok=True)
        (corpus / f"new{round_}.txt").write_text(f"New {round_}\n\nA new note on hiccups.\n")
        if round_ == 0:
            (corpus / "doc001.txt").write_bytes(b"\x00\x01binary\x00" * 10)

    def test_an_update_shared_between_processes_is_the_update_one_process_makes(self, tmp_path):
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "one", processes=1)
        index_folder(corpus, tmp_path / "three", processes=3)
        self.edit(corpus)
        one = index_folder(corpus, tmp_path / "one", processes=1)
        three = index_folder(corpus, tmp_path / "three", processes=3)
        assert one.updated and one.removed and one.added and one.unchanged
        assert one.to_dict() | {"index": ""} == three.to_dict() | {"index": ""}
        assert [s["path"] for s in three.skipped] == ["bad.txt", "doc001.txt"]
        assert self.found(tmp_path / "one") == self.found(tmp_path / "three")
        with Index(tmp_path / "three") as ix:  # the broken file's indexed version stays
            assert [p.passage_id for p in ix.passages("doc001.txt")] == [
                pid("doc001.txt", "Baclofen note 1 about dose1 and taper1."),
                pid("doc001.txt", "Second paragraph 1 mentions withdrawal and hiccups often."),
            ]
        assert list((tmp_path / "three").glob("*/part-*")) == []

    @staticmethod
    def found(index_dir):
        """Passages, vocabulary, and what searches find with what score.

        Not the order of equal scores (by document number, which depends on
        the segments), nor the scores of queries Whoosh ranks (phrases,
        NOT): its statistics count replaced passages until their segment is
        merged, and one process merges a small index whole."""
        with Index(index_dir) as ix:
            ranked = {
                (q, whole): sorted(
                    (-round(score, 5), key)
                    for key, score in ix.rank(q, limit=None, by_source=whole)
                )
                for q in ("baclofen", "dose3 taper1", "hiccuping rewritten")
                for whole in (False, True)
            }
            matched = {
                q: sorted(h.passage.passage_id for h in ix.search(q, limit=500).hits)
                for q in ('"withdrawal and hiccups"', "often NOT rarely")
            }
        passages, _, vocabulary = TestParallelBuild.everything(index_dir)
        return passages, vocabulary, ranked, matched

    def test_shared_updates_do_not_pile_up_segments(self, tmp_path):
        corpus = self.corpus(tmp_path / "corpus")
        index_folder(corpus, tmp_path / "ix", processes=3)
        counts = []
        for round_ in range(1, 11):
            self.edit(corpus, round_)
            assert index_folder(corpus, tmp_path / "ix", processes=3).updated
            with whoosh_index.open_dir(IndexStore(tmp_path / "ix").current()).reader() as reader:
                counts.append(len(reader.leaf_readers()))
        # Each run adds up to three segments (33 after ten runs without merging).
        assert max(counts) <= 10, counts
        index_folder(corpus, tmp_path / "fresh", processes=1)
        assert self.found(tmp_path / "ix") == self.found(tmp_path / "fresh")

    def test_helpers_do_not_run_the_callers_script_again(self, tmp_path):
        """A script that indexes without an `if __name__ == "__main__"` guard
        runs once: the helpers are started without the caller's main module."""
        corpus, runs = self.corpus(tmp_path / "corpus"), tmp_path / "runs.txt"
        script = tmp_path / "script.py"
        script.write_text(
            "from pathlib import Path\n"
            "from indexer import index_folder\n"
            f"with open({str(runs)!r}, 'a') as log:\n"
            "    log.write('ran\\n')\n"
            f"index_folder(Path({str(corpus)!r}), Path({str(tmp_path / 'ix')!r}), processes=3)\n"
        )
        subprocess.run([sys.executable, str(script)], check=True, timeout=120)
        assert runs.read_text() == "ran\n"
        assert self.everything(tmp_path / "ix") == self.everything(self.one(tmp_path, corpus))

    @staticmethod
    def one(tmp_path, corpus):
        index_folder(corpus, tmp_path / "one", processes=1)
        return tmp_path / "one"

    @pytest.mark.parametrize("processes", [1, 2])
    def test_progress_counts_every_file(self, tmp_path, processes):
        corpus = self.corpus(tmp_path / "corpus")
        seen = []

        @contextlib.contextmanager
        def progress(iterable, length):
            seen.append(length)
            yield (seen.append(item) or item for item in iterable)

        index_folder(corpus, tmp_path / "ix", processes=processes, progress=progress)
        files = len(list(corpus.iterdir()))
        assert seen == [files, *range(files)]


def test_a_small_update_leaves_big_segments_alone_and_many_deletions_are_merged_away(tmp_path):
    """Old versions stay in their segment, marked deleted, until they are a
    fifth of the passages; then one run merges them away."""
    corpus = TestParallelBuild.corpus(tmp_path / "corpus")
    location = tmp_path / "ix"

    def segments():
        with whoosh_index.open_dir(IndexStore(location).current()).reader() as reader:
            leaves = [leaf for leaf, _ in reader.leaf_readers()]
            return {leaf.segment().segment_id() for leaf in leaves}, reader.has_deletions()

    index_folder(corpus, location, processes=1)
    (first,), _ = segments()
    (corpus / "doc000.txt").write_text("Title 0\n\nRewritten.\n")
    assert index_folder(corpus, location, processes=1).updated == ["doc000.txt"]
    kept, deletions = segments()
    assert first in kept and deletions
    for n in range(1, 30):
        (corpus / f"doc{n:03d}.txt").write_text(f"Title {n}\n\nRewritten {n}.\n")
    index_folder(corpus, location, processes=1)
    merged, deletions = segments()
    assert first not in merged and not deletions


def test_an_updated_index_ranks_as_a_fresh_build_does(tmp_path):
    """Passages of replaced and deleted versions stay in the index, marked
    deleted: ranking (passage and whole-source statistics) must not see them."""
    corpus = TestParallelBuild.corpus(tmp_path / "corpus")
    index_folder(corpus, tmp_path / "ix")
    for n in range(0, 60, 7):
        (corpus / f"doc{n:03d}.txt").write_text(f"Title {n}\n\nBaclofen dose{n % 3} rewritten.\n")
    for n in range(3, 60, 11):
        (corpus / f"doc{n:03d}.txt").unlink()
    assert index_folder(corpus, tmp_path / "ix").updated
    index_folder(corpus, tmp_path / "fresh")
    for query in ("baclofen dose1", "withdrawal hiccups often", "taper3 rewritten"):
        with Index(tmp_path / "ix") as updated, Index(tmp_path / "fresh") as fresh:
            got, expected = updated.rank(query, limit=None), fresh.rank(query, limit=None)
            assert [pid for pid, _ in got] == [pid for pid, _ in expected], query
            assert got and all(abs(a - b) < 1e-5 for (_, a), (_, b) in zip(got, expected))
    with Index(tmp_path / "ix") as updated:  # the scorer's source numbers group by path
        reader = updated._searcher.reader()
        live = np.asarray([d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)])
        scorer = updated._fast_scorer()
        numbers = scorer.source_of(live).tolist()
        paths = [stored_passage(reader.stored_fields(int(d)))["path"] for d in live]
        pairs = set(zip(numbers, paths, strict=True))
        sources = len(updated.sources())
        assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs}) == sources
        assert all(scorer.source_path(n) == path for n, path in pairs)


def test_each_passage_counts_the_terms_of_its_own_section_title(tmp_path):
    """The scorer's title length (`title_terms`) is the source's title and the
    passage's own section, for every passage (one title is kept per section)."""
    corpus = write_corpus(
        tmp_path / "c",
        {"a.md": "# Baclofen\n\nStart low.\n\n## Tapering the dose slowly over weeks\n\n"
                 "Go slow.\n\nKeep going.\n\n## Stopping\n\nNever stop at once.\n"},
    )
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        reader = ix._searcher.reader()
        counts = reader.column_reader("title_terms")
        titles = {source.info.path: source.info.title for source in ix.sources()}
        found = {}
        for docnum, stored in reader.iter_docs():
            fields = stored_passage(stored)
            expected = term_count(title_text(titles[fields["path"]], fields.get("section")))
            found[fields.get("section")] = (counts[docnum], expected)
    assert set(found) >= {"Tapering the dose slowly over weeks", "Stopping"}
    assert all(count == expected for count, expected in found.values()), found
    assert len({count for count, _ in found.values()}) >= 2


@pytest.mark.parametrize("name", ["sources.toml", "synonyms.toml"])
def test_metadata_that_is_not_utf8_is_refused_in_one_line(tmp_path, name):
    corpus = write_corpus(tmp_path / "corpus", {**DOCS, name: b"\xff\xfe x"})
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1, result.output
    said = f"Error: {corpus / name} is not valid TOML: not UTF-8 text (byte 1)\n"
    assert result.stderr == said
    assert not (tmp_path / "ix").exists()


def test_a_synonyms_option_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    index_folder(write_corpus(tmp_path / "corpus", DOCS), tmp_path / "ix")
    synonyms = tmp_path / "syn.toml"
    synonyms.write_bytes(b'groups = [["a", "\xe9"]]\n')
    result = CliRunner().invoke(
        cli, ["search", "baclofen", "--index", str(tmp_path / "ix"), "--synonyms", str(synonyms)]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {synonyms} is not valid TOML: not UTF-8 text (byte 18)\n"
