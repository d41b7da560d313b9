"""Sharded indexes built and searched on a Dask cluster: a
`distributed.LocalCluster` of two worker processes, started by the tests.

Outside CI the tests are skipped when Dask is not installed (`pip install
".[cluster]"`); in CI ($CI set) they must run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install '.[cluster]')")

import dask  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from indexer import (  # noqa: E402
    Cluster,
    ClusterUnavailable,
    IndexingFailed,
    ShardedStore,
    index_folder,
)
from search import open_index  # noqa: E402

from .conftest import SEEDS  # noqa: E402
from .test_shards import (  # noqa: E402
    edit,
    generate,
    library_results,
    output,
    run,
    run_and_kill,
)


def local_cluster(**config) -> LocalCluster:
    with dask.config.set(config):
        return LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
        )


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as started:
        yield started


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "corpus"
    shutil.copytree(SEEDS, folder)
    generate(folder / "generated", 600, seed=5)
    return folder


@pytest.fixture(scope="module")
def one_index(corpus, tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("one") / "ix"
    index_folder(corpus, location)
    return location


QUERIES = (
    "baclofen withdrawal symptoms", "DEA schedule", "hiccups NOT alcohol", "kind:comment dose",
)


class TestOnTheCluster:
    @pytest.mark.parametrize("shards, named", [(1, "1 shard"), (2, "2 shards"), (4, "4 shards")])
    def test_built_and_searched_on_the_cluster_as_one_index(
        self, cluster, corpus, one_index, tmp_path, shards, named
    ):
        """Built and searched by the cluster's two workers, 1, 2 or 4 shards
        give one index's `search`, `ask` and `audit` output, scores to 1e-9."""
        address = cluster.scheduler_address
        ix = tmp_path / "ix"
        result = run("index", corpus, "--index", ix, "--shards", shards, "--scheduler", address)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Built {ix} ({named}): ")
        for query in QUERIES:
            options = ("--json", "--limit", 30)
            here = run("search", query, "--index", one_index, *options)
            there = run("search", query, "--index", ix, "--scheduler", address, *options)
            assert there.exit_code == 0, there.output
            assert output(there.stdout) == output(here.stdout)
        for command, text in (
            ("ask", "What are the brand names of baclofen?"), ("audit", "baclofen overdose")
        ):
            here = run(command, text, "--index", one_index, "--json")
            there = run(command, text, "--index", ix, "--json", "--scheduler", address)
            assert output(there.stdout) == output(here.stdout)
        with Cluster(address) as found, open_index(ix, executors=found.pinned()) as sharded:
            with open_index(one_index) as one:
                for query in QUERIES:
                    got, expected = library_results(sharded, query), library_results(one, query)
                    assert [r[:2] for r in got] == [r[:2] for r in expected]
                    for (_, _, hits), (_, _, hits_e) in zip(got, expected, strict=True):
                        assert [h[1] for h in hits] == [h[1] for h in hits_e]
                        pairs = zip(hits, hits_e, strict=True)
                        assert all(abs(h[2] - e[2]) <= 1e-9 for h, e in pairs)

    def test_the_environment_names_the_scheduler_and_updates_run_there(
        self, cluster, corpus, tmp_path, monkeypatch
    ):
        folder = tmp_path / "corpus"
        shutil.copytree(corpus, folder)
        ix = tmp_path / "ix"
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
        assert run("index", folder, "--index", ix, "--shards", 3).exit_code == 0
        edit(folder, 3)
        result = run("index", folder, "--index", ix, "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["updated"] and report["removed"] and report["added"]
        monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
        index_folder(folder, tmp_path / "fresh")
        with open_index(ix) as updated, open_index(tmp_path / "fresh") as fresh:
            for query in QUERIES:
                assert updated.search(query, limit=50).hits == fresh.search(query, limit=50).hits

    def test_an_unsharded_index_shares_its_files_with_the_workers(
        self, cluster, corpus, one_index, tmp_path
    ):
        with Cluster(cluster.scheduler_address) as found:
            index_folder(corpus, tmp_path / "ix", processes=3, executor=found.executor())
        assert not list((tmp_path / "ix").glob("gen-*/part-*"))
        with open_index(tmp_path / "ix") as parts, open_index(one_index) as one:
            for query in QUERIES:
                assert parts.search(query, limit=40).hits == one.search(query, limit=40).hits

    def test_a_damaged_shard_on_a_worker_is_one_line_and_an_update_mends_it(
        self, cluster, tmp_path
    ):
        """The error a worker meets opening its shard comes back as one line
        naming the shard and the command that rebuilds it."""
        address = cluster.scheduler_address
        folder = generate(tmp_path / "corpus", 60)
        ix = tmp_path / "ix"
        assert run("index", folder, "--index", ix, "--shards", 2).exit_code == 0
        expected = run("search", "baclofen", "--index", ix, "--json")
        for segment in next(ShardedStore(ix).shard(1).root.glob("gen-*")).glob("*.seg"):
            segment.write_bytes(b"\0" * 64)
        result = run("search", "baclofen", "--index", ix, "--scheduler", address)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"Error: shard 1 of the index at {ix} cannot be read (")
        assert result.stderr.endswith(f"`groundsearch index {folder} --index {ix}` to rebuild it\n")
        assert run("index", folder, "--index", ix, "--scheduler", address).exit_code == 0
        there = run("search", "baclofen", "--index", ix, "--json", "--scheduler", address)
        assert there.exit_code == 0, there.output
        assert output(there.stdout) == output(expected.stdout)

    def test_no_scheduler_there_is_one_line(self, tmp_path):
        result = run("search", "baclofen", "--index", tmp_path, "--scheduler", "tcp://127.0.0.1:9")
        assert result.exit_code in (0, 1)  # (an unsharded index needs no cluster)
        folder = generate(tmp_path / "corpus", 5)
        nowhere = "tcp://127.0.0.1:9"
        ix = tmp_path / "ix"
        result = run("index", folder, "--index", ix, "--shards", 2, "--scheduler", nowhere)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
        assert result.stderr.count("\n") == 1
        with pytest.raises(ClusterUnavailable):
            Cluster("tcp://127.0.0.1:9", timeout=1)


class TestKilledWorker:
    def test_a_worker_killed_mid_build_publishes_nothing_and_the_next_run_completes(self, tmp_path):
        """With no retry allowed, a worker that dies while it builds a shard
        fails the run; Dask's nanny starts another, and the next run completes."""
        folder = generate(tmp_path / "corpus", 1500, seed=9)
        ix = tmp_path / "ix"
        with local_cluster(**{"distributed.scheduler.allowed-failures": 0}) as cluster:
            address = cluster.scheduler_address
            with Cluster(address) as found:
                small = generate(tmp_path / "small", 20)
                index_folder(small, ix, shards=2, executor=found.executor())
                before = ShardedStore(ix).manifest()
                with Client(address, set_as_default=False) as client:
                    pids = list(client.run(os.getpid).values())
                failure = run_and_kill(
                    lambda: index_folder(folder, ix, shards=2, executor=found.executor()),
                    lambda: pids,
                    ix,
                )
            assert isinstance(failure, IndexingFailed), failure
            message = str(failure)
            assert message.startswith("shard ") and "\n" not in message
            assert "the worker building it died; nothing was published" in message
            assert ShardedStore(ix).manifest() == before
            for number in range(2):
                generations = [p.name for p in ShardedStore(ix).shard(number).root.glob("gen-*")]
                assert generations == [before.generations[number]]
            result = run("index", folder, "--index", ix, "--scheduler", address)
            assert result.exit_code == 0, result.output
        with open_index(ix) as sharded:
            assert len(sharded.sources()) == 1500

