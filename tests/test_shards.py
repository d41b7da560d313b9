"""Sharded indexes: built in shards (by a local pool, or on a Dask cluster
started by the tests), searched as one index, updated, and failing cleanly.

The equivalence tests compare a sharded index of 1, 2 and 4 shards with one
index of the same documents: the seeds and a few thousand generated ones.
"""

from __future__ import annotations

import concurrent.futures
import gc
import json
import os
import random
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import (
    IndexCorrupt,
    IndexingFailed,
    QueryError,
    ShardedStore,
    ShardsMismatch,
    index_folder,
    shard_of,
)
from search import Index, ShardedIndex, ask, audit, open_index
from search.present.cli import cli

from .conftest import SEEDS

SHARDS = (1, 2, 4)
GENERATED = 2000

_WORDS = """baclofen dose withdrawal hiccups spasticity tablet muscle relaxant seizure nerve
spinal injury pump intrathecal taper sleep drowsiness nausea weakness confusion alcohol
craving liver kidney pregnancy child elderly trial placebo study patients effect risk
benefit overdose toxicity tolerance dependence abuse prescription pharmacist doctor
clinic hospital daily weekly milligram oral solution side effects headache dizziness
fatigue tremor anxiety depression pain relief therapy treatment symptoms chronic acute
cerebral palsy sclerosis stroke recovery rehabilitation exercise stretching""".split()
_PHRASES = (
    "Drug Enforcement Administration", "DEA", "muscle relaxer", "controlled substance",
    "scheduled drug", "Lioresal", "Gablofen", "multiple sclerosis", "MS", "reduce gradually",
)

QUERIES = (
    "baclofen withdrawal symptoms",
    "Is baclofen a controlled substance?",
    "DEA schedule",  # a synonym of several words: a phrase the shards count
    "muscle relaxer for spasticity",
    "hiccups",
    "liver kidney pregnancy",
    '"muscle relaxant" dose',
    "baclofen AND overdose",
    "withdrawal NOT alcohol",
    "hiccup~",
    "title:baclofen pump",
    "kind:comment dose",
    "baclofn withdrawl",  # corrected
)


def generate(folder: Path, count: int, seed: int = 7) -> Path:
    """`count` short documents in a few folders, with titles, headings,
    phrases of the synonym map, and some exact copies (equal scores)."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts = []
    for n in range(count):
        if texts and rnd.random() < 0.03:
            text = rnd.choice(texts)  # an exact copy: its passages tie
        else:
            paragraphs = []
            for _ in range(rnd.randint(1, 4)):
                sentences = []
                for _ in range(rnd.randint(1, 4)):
                    words = [rnd.choice(_WORDS) for _ in range(rnd.randint(5, 14))]
                    if rnd.random() < 0.3:
                        words.insert(rnd.randrange(len(words)), rnd.choice(_PHRASES))
                    sentences.append(" ".join(words).capitalize() + ".")
                paragraphs.append(" ".join(sentences))
            title = " ".join(rnd.choice(_WORDS) for _ in range(3)).title()
            text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
            if rnd.random() < 0.2:
                text = f"# {title}\n\n## {rnd.choice(_WORDS).title()}\n\n" + "\n\n".join(paragraphs)
        texts.append(text)
        suffix = ".md" if text.startswith("#") else ".txt"
        path = folder / f"part{n % 7}" / f"doc{n:05d}{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shards") / "corpus"
    shutil.copytree(SEEDS, folder)
    generate(folder / "generated", GENERATED)
    return folder


@pytest.fixture(scope="module")
def indexes(corpus, tmp_path_factory) -> dict:
    """One index and sharded ones of the same corpus."""
    root = tmp_path_factory.mktemp("indexes")
    built = {0: root / "one"}
    index_folder(corpus, built[0])
    for n in SHARDS:
        built[n] = root / f"shards{n}"
        index_folder(corpus, built[n], shards=n)
    return built


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def search_json(index: Path, query: str, *options) -> dict:
    result = run("search", query, "--index", index, "--json", "--limit", 25, *options)
    assert result.exit_code == 0, result.output
    return output(result.stdout)


def output(text: str) -> dict:
    """JSON output without its provenance (which names the index read)."""
    data = json.loads(text)
    data.pop("provenance", None)
    return data


def library_results(ix, query: str) -> list:
    found = []
    for kinds in ((), ("content", "comment")):
        for feedback in (False, True):
            result = ix.search(query, limit=40, kinds=kinds, feedback=feedback)
            found.append(
                (
                    result.total, result.corrected_query,
                    [(h.rank, h.passage.passage_id, h.score, h.matches) for h in result.hits],
                )
            )
    return found


def assert_same_results(got: list, expected: list) -> None:
    """Same totals, passages in the same order, scores equal to 1e-9."""
    assert len(got) == len(expected)
    for (total, corrected, hits), (total_e, corrected_e, hits_e) in zip(got, expected, strict=True):
        assert (total, corrected) == (total_e, corrected_e)
        assert [h[:2] + h[3:] for h in hits] == [h[:2] + h[3:] for h in hits_e]
        for h, e in zip(hits, hits_e, strict=True):
            assert abs(h[2] - e[2]) <= 1e-9, (h, e)


class TestRankedAsOneIndex:
    def test_shards_hold_every_document_once(self, indexes, corpus):
        with Index(indexes[0]) as one:
            expected = [s.to_dict() for s in one.sources()]
        for n in SHARDS:
            with open_index(indexes[n]) as sharded:
                assert isinstance(sharded, ShardedIndex)
                assert [s.to_dict() for s in sharded.sources()] == expected
            store = ShardedStore(indexes[n])
            manifest = store.manifest()
            assert manifest.shards == n
            for number in range(n):  # each shard a complete index of its own documents
                with Index(store.shard(number).root) as shard:
                    paths = {s.info.path for s in shard.sources()}
                    assert all(shard_of(p, n) == number for p in paths)
                    assert paths, "every shard holds documents"

    @pytest.mark.parametrize("query", QUERIES)
    def test_search_json_is_the_same(self, indexes, query):
        expected = search_json(indexes[0], query)
        assert expected["hits"]
        for n in SHARDS:
            assert search_json(indexes[n], query) == expected, n

    @pytest.mark.parametrize("query", QUERIES)
    def test_scores_are_the_same_to_1e9(self, indexes, query):
        with Index(indexes[0]) as one:
            expected = library_results(one, query)
        for n in SHARDS:
            with open_index(indexes[n]) as sharded:
                assert_same_results(library_results(sharded, query), expected)

    def test_rank_is_the_same(self, indexes):
        queries = ("baclofen withdrawal symptoms", "DEA", "hiccups liver", "muscle relaxer")
        with Index(indexes[0]) as one:
            expected = [
                one.rank(q, limit=60, by_source=whole, feedback=fb)
                for q in queries for whole in (False, True) for fb in (False, "auto")
            ]
        for n in SHARDS:
            with open_index(indexes[n]) as sharded:
                got = [
                    sharded.rank(q, limit=60, by_source=whole, feedback=fb)
                    for q in queries for whole in (False, True) for fb in (False, "auto")
                ]
            for ranked, ranked_e in zip(got, expected, strict=True):
                assert [k for k, _ in ranked] == [k for k, _ in ranked_e]
                pairs = zip(ranked, ranked_e, strict=True)
                assert all(abs(a - b) <= 1e-9 for (_, a), (_, b) in pairs)

    def test_rank_refuses_operators_as_one_index_does(self, indexes):
        with open_index(indexes[2]) as sharded:
            for query in ('"muscle relaxant" dose', "baclofen AND overdose", "kind:comment dose"):
                with pytest.raises(QueryError, match="plain words only"):
                    sharded.rank(query)
            assert sharded.rank("") == []

    @pytest.mark.parametrize(
        "command, text",
        [
            ("ask", "What are the brand names of baclofen?"),
            ("ask", "How long do withdrawal symptoms last?"),
            ("ask", "Is baclofn a controled substance?"),
            ("audit", "Is baclofen a controlled substance with abuse potential?"),
            ("audit", "baclofen withdrawal"),
        ],
    )
    def test_ask_and_audit_are_the_same(self, indexes, command, text):
        results = {}
        for n in (0, *SHARDS):
            result = run(command, text, "--index", indexes[n], "--json")
            assert result.exit_code == 0, result.output
            results[n] = output(result.stdout)
        assert results[0]
        assert all(results[n] == results[0] for n in SHARDS)

    def test_spelling_synonyms_and_counts_are_the_whole_index(self, indexes):
        with Index(indexes[0]) as one, open_index(indexes[4]) as sharded:
            assert sharded.vocabulary().frequency == one.vocabulary().frequency
            assert sharded.suggest("baclofn spastisity") == one.suggest("baclofn spastisity")
            assert sharded.synonyms.groups == one.synonyms.groups
            assert sharded.passage_count() == one.passage_count()
            for stem in ("baclofen", "hiccup", "lioresal", "nosuchword"):
                assert sharded.passages_holding(stem) == one.passages_holding(stem)
            answer, answer_e = ask(sharded, "What is baclofen?"), ask(one, "What is baclofen?")
            assert answer.to_dict() == answer_e.to_dict()
            report = audit(sharded, "baclofen overdose")
            assert report.to_dict() == audit(one, "baclofen overdose").to_dict()

    def test_show_finds_a_passage_in_its_shard(self, indexes):
        with Index(indexes[0]) as one:
            hit = one.search("hiccups", limit=1).hits[0]
        expected = run("show", hit.passage.passage_id, "--index", indexes[0], "--json")
        assert expected.exit_code == 0, expected.output
        for n in SHARDS:
            got = run("show", hit.passage.passage_id, "--index", indexes[n], "--json")
            assert output(got.stdout) == output(expected.stdout)
        missing = run("show", "generated/part0/nothing.txt#0123456789", "--index", indexes[4])
        assert missing.exit_code == 1 and "no passage" in missing.stderr

    def test_sources_command_lists_every_shard(self, indexes):
        expected = output(run("sources", "--index", indexes[0], "--json").stdout)
        got = output(run("sources", "--index", indexes[4], "--json").stdout)
        assert got["sources"] == expected["sources"]


def edit(corpus: Path, round_: int) -> None:
    """Rewrite, delete and add documents across the shards."""
    generated = sorted(corpus.rglob("doc*"))
    step = max(1, len(generated) // 40)
    for path in generated[round_::step]:
        path.write_text(f"Rewritten {round_}\n\nBaclofen hiccups rewritten in round {round_}.\n")
    for path in generated[round_ + 7 :: 2 * step + 1]:
        path.unlink(missing_ok=True)
    (corpus / f"new{round_}.txt").write_text("New\n\nA new note on hiccups.\n")


class TestUpdates:
    def test_an_update_across_shards_is_an_index_built_afresh(self, tmp_path):
        folder = tmp_path / "corpus"
        shutil.copytree(SEEDS, folder)
        generate(folder / "generated", 500, seed=11)
        for n in (2, 4):
            index_folder(folder, tmp_path / f"s{n}", shards=n)
        index_folder(folder, tmp_path / "one")
        edit(folder, 1)
        one = index_folder(folder, tmp_path / "one")
        for n in (2, 4):
            report = index_folder(folder, tmp_path / f"s{n}")  # (keeps its shards)
            assert report.to_dict() | {"index": ""} == one.to_dict() | {"index": ""}
            assert report.updated and report.removed and report.added
            assert {shard_of(p, n) for p in report.updated + report.removed} == set(range(n))
        index_folder(folder, tmp_path / "fresh", shards=2)
        queries = ("baclofen hiccups rewritten", "withdrawal", "DEA", "new note")
        for n in (2, 4):
            with open_index(tmp_path / f"s{n}") as updated, open_index(tmp_path / "fresh") as fresh:
                for q in queries:
                    assert_same_results(library_results(updated, q), library_results(fresh, q))
                    assert updated.rank(q, limit=None) == fresh.rank(q, limit=None)
                assert [s.to_dict() for s in updated.sources()] == [
                    s.to_dict() for s in fresh.sources()
                ]

    def test_an_unchanged_shard_keeps_its_generation(self, tmp_path):
        folder = generate(tmp_path / "corpus", 40)
        index_folder(folder, tmp_path / "ix", shards=4)
        before = ShardedStore(tmp_path / "ix").manifest()
        assert index_folder(folder, tmp_path / "ix").changed is False
        assert ShardedStore(tmp_path / "ix").manifest() == before
        doc = sorted(folder.rglob("doc*"))[0]
        doc.write_text("Changed\n\nOne document changed.\n")
        index_folder(folder, tmp_path / "ix")
        after = ShardedStore(tmp_path / "ix").manifest()
        changed = [n for n in range(4) if after.generations[n] != before.generations[n]]
        assert changed == [shard_of(doc.relative_to(folder).as_posix(), 4)]
        assert after.version == before.version + 1

    def test_another_shard_count_is_refused_with_what_to_do(self, tmp_path):
        folder = generate(tmp_path / "corpus", 30)
        ix = tmp_path / "ix"
        run("index", folder, "--index", ix, "--shards", 2)
        result = run("index", folder, "--index", ix, "--shards", 3)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {ix} has 2 shards, not 3; to split it into 3, run `groundsearch index "
            f"{folder} --index {ix} --shards 3 --rebuild` (or leave out --shards to update it "
            "as it is)\n"
        )
        assert ShardedStore(ix).manifest().shards == 2
        result = run("index", folder, "--index", ix, "--shards", 3, "--rebuild")
        assert result.exit_code == 0, result.output
        assert "(3 shards)" in result.stdout
        assert ShardedStore(ix).manifest().shards == 3
        with pytest.raises(ShardsMismatch, match="is an index of one shard"):
            index_folder(folder, tmp_path / "plain")
            index_folder(folder, tmp_path / "plain", shards=2)
        index_folder(folder, tmp_path / "plain", shards=2, rebuild=True)
        with open_index(tmp_path / "plain") as ix_, open_index(ix) as other:
            assert ix_.search("baclofen", limit=50).hits == other.search("baclofen", limit=50).hits
        assert not (tmp_path / "plain" / "CURRENT").exists()


@pytest.fixture
def whoosh_leaks():
    """Whoosh leaves a segment file open when opening a damaged one fails:
    collect it here, so its ResourceWarning cannot fail a later test."""
    yield
    gc.collect()


class TestFailures:
    @pytest.fixture
    def sharded(self, tmp_path):
        folder = generate(tmp_path / "corpus", 60)
        index_folder(folder, tmp_path / "ix", shards=3)
        return folder, tmp_path / "ix"

    def test_a_missing_shard_is_named_with_the_command_that_rebuilds_it(self, sharded):
        folder, ix = sharded
        expected = search_json(ix, "baclofen")
        shard = ShardedStore(ix).shard(1).root
        shutil.rmtree(next(shard.glob("gen-*")))
        result = run("search", "baclofen", "--index", ix)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"Error: shard 1 of the index at {ix} is missing")
        assert result.stderr.endswith(f"`groundsearch index {folder} --index {ix}` to rebuild it\n")
        report = index_folder(folder, ix)  # the command it names
        assert report.added and not report.rebuilt
        assert search_json(ix, "baclofen") == expected

    @pytest.mark.usefixtures("whoosh_leaks")
    @pytest.mark.filterwarnings("ignore::ResourceWarning")
    @pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    def test_a_damaged_shard_is_named_with_the_command_that_rebuilds_it(self, sharded):
        folder, ix = sharded
        expected = search_json(ix, "baclofen")
        generation = next(ShardedStore(ix).shard(2).root.glob("gen-*"))
        for segment in generation.glob("*.seg"):
            segment.write_bytes(b"\0" * 64)
        result = run("search", "baclofen", "--index", ix)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith(f"Error: shard 2 of the index at {ix} cannot be read (")
        assert result.stderr.endswith(f"`groundsearch index {folder} --index {ix}` to rebuild it\n")
        assert result.stderr.count("\n") == 1
        index_folder(folder, ix)
        assert search_json(ix, "baclofen") == expected

    def test_a_failed_shard_publishes_nothing_and_the_next_run_completes(self, sharded):
        folder, ix = sharded
        before = ShardedStore(ix).manifest()
        edit(folder, 2)
        store = ShardedStore(ix)
        lock = store.shard(1).lock()  # another run holds shard 1
        lock.__enter__()
        try:
            with pytest.raises(Exception, match=r"^shard 1 \(.*shard-001\): another indexing run"):
                index_folder(folder, ix, shards=3)
        finally:
            lock.__exit__(None, None, None)
        assert store.manifest() == before
        for number in range(3):  # no generation left but the published ones
            names = [p.name for p in store.shard(number).root.glob("gen-*")]
            assert names == [before.generations[number]]
        assert not list(ix.glob(".progress-*"))
        assert index_folder(folder, ix).updated
        assert store.manifest().version == before.version + 1

    def test_a_killed_pool_worker_fails_the_run_naming_the_shard(self, tmp_path):
        folder = generate(tmp_path / "corpus", 1500, seed=3)
        ix = tmp_path / "ix"
        index_folder(generate(tmp_path / "small", 20), ix, shards=2)
        before = ShardedStore(ix).manifest()
        failure = run_and_kill(
            lambda: index_folder(folder, ix, shards=2),
            lambda: _pool_workers(os.getpid()),
            ix,
        )
        assert isinstance(failure, IndexingFailed), failure
        assert str(failure).startswith("shard ")
        assert "the worker building it died; nothing was published" in str(failure)
        assert ShardedStore(ix).manifest() == before
        report = index_folder(folder, ix)
        assert report.sources == 1500
        with open_index(ix) as sharded:
            assert sharded.search("baclofen").total > 0

    @pytest.mark.parametrize(
        "split, named", [({"shards": 2}, "shard 0 ("), ({"processes": 3}, "a helper process")]
    )
    def test_a_task_failing_while_others_wait_on_a_cluster_is_one_error(
        self, tmp_path, split, named
    ):
        """Dask's executor never marks a cancelled task done once it has
        failed too: the run must not wait for it, but end with one error."""
        folder = generate(tmp_path / "corpus", 30)
        ix = tmp_path / "ix"
        failure = run_and_wait(lambda: index_folder(folder, ix, executor=_Stalled(), **split))
        assert isinstance(failure, IndexingFailed), failure
        assert str(failure).startswith(named) and "OSError: disk gone" in str(failure)
        assert not list(ix.rglob("gen-*")) and not list(ix.glob(".progress-*"))


class _Stalled(concurrent.futures.Executor):
    """A cluster's executor as Dask's behaves when a worker dies: the first
    task fails; the others never end, and never report their cancelling."""

    def __init__(self):
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        if not self.submitted:
            future.set_exception(OSError("disk gone"))
        self.submitted += 1
        return future


def run_and_wait(build, seconds: float = 60, meanwhile=None):
    """Run `build` in a thread that cannot keep the tests from ending, and
    `meanwhile(thread)` here; the exception `build` raised, once it ends
    within `seconds`."""
    failure = []

    def target():
        try:
            build()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            failure.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    if meanwhile:
        meanwhile(thread)
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return failure[0] if failure else None


def run_and_kill(build, workers, ix: Path):
    """Run `build` in a thread; once a shard has indexed some files, kill
    the processes `workers()` names; the exception `build` raised."""

    def kill(thread):
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size for p in ix.glob(".progress-*") if p.exists()):
            assert thread.is_alive() and time.monotonic() < deadline, "no shard started"
            time.sleep(0.01)
        for pid in workers():
            os.kill(pid, signal.SIGKILL)

    return run_and_wait(build, 120, meanwhile=kill)


def _pool_workers(parent: int) -> list[int]:
    """The pids of the helper processes `parent` spawned (from /proc; not
    multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in command:
                found.append(int(entry))
    return found


class TestCorruptIndexFolders:
    def test_a_damaged_manifest_is_one_line(self, tmp_path):
        folder = generate(tmp_path / "corpus", 10)
        index_folder(folder, tmp_path / "ix", shards=2)
        (tmp_path / "ix" / "MANIFEST").write_text("{not json")
        result = run("search", "baclofen", "--index", tmp_path / "ix")
        assert result.exit_code == 1 and result.stderr.count("\n") == 1
        assert "MANIFEST is damaged" in result.stderr and "--rebuild" in result.stderr
        with pytest.raises(IndexCorrupt):
            index_folder(folder, tmp_path / "ix")
        index_folder(folder, tmp_path / "ix", shards=2, rebuild=True)
        assert search_json(tmp_path / "ix", "baclofen")["hits"]
