"""Scale benchmark: sharded indexes built and searched by a local pool and by
a local Dask cluster, against one index of the same documents.

    python -m benchmarks.scale --dataset ../shared/benchmarks/scifact [--generated 100000]
        [--generated-only] [--shards 0,1,2,4] [--engines local,dask] [--repeat 3] [--json FILE]

Corpora: the BEIR data set itself (SciFact: every test query, with nDCG@10,
which sharding must leave unchanged), and `--generated N` documents made of
the data set's own sentences (a random title, 2-10 random sentences each,
seeded), searched with the same queries (no relevance judgements).

For each corpus, number of shards (0: one index, no shards) and engine
(`local`: a local process pool, one worker per core; `dask`: a
`distributed.LocalCluster` of one single-threaded worker process per core,
through `--scheduler`'s code path), the build in a fresh process and each way
of searching it in another (a fresh cluster for Dask):

- the build: seconds, documents/s, documents/s per worker, peak RSS of the
  building process and of each worker (VmHWM);
- the searches, warm (every query has run once): `search(q, limit=10)` and
  `rank(q, limit=100, by_source=True)`, p50/p95 ms and queries/s, with the
  shards searched by that engine's workers (one index: in its process);
  also, for the local engine, the shards searched in the calling process (what
  the command line does without `--scheduler`);
- peak RSS of the searching process and of each worker.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import beir, metrics
from .retrieval import ROOT, _du, _in_child, _machine, _timed, _versions, as_words

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def generate(data: beir.Dataset, count: int, folder: Path, seed: int = 1) -> None:
    """`count` documents made of `data`'s sentences, as `gen<N>.txt` files in
    100 folders."""
    rnd = random.Random(seed)
    titles = [t for t, _ in data.corpus.values() if t.strip()]
    sentences = [s for _, text in data.corpus.values() for s in _SENTENCE.split(text) if s.strip()]
    for n in range(count):
        sub = folder / f"{n % 100:02d}"
        if n < 100:
            sub.mkdir(parents=True, exist_ok=True)
        body = " ".join(rnd.choice(sentences) for _ in range(rnd.randint(2, 10)))
        (sub / f"gen{n:07d}.txt").write_text(f"{rnd.choice(titles)}\n\n{body}\n", encoding="utf-8")


def _hwm_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of a process, MB."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _pool_hwm(pools) -> list[float]:
    return [
        _hwm_mb(p.pid) for pool in pools for p in (getattr(pool, "_processes", None) or {}).values()
    ]


def _worker_hwm() -> float:  # (run on each Dask worker)
    return _hwm_mb()


def _cluster(workers: int):
    """A `LocalCluster` of `workers` single-threaded worker processes, quiet
    (a query refused by `rank` is an error each worker would log)."""
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
        silence_logs=logging.CRITICAL,
    )
    return cluster, Client(cluster)


def _close(pools, found, client, cluster) -> None:
    """Shut a configuration's local pools down, then its Dask client and cluster."""
    for pool in pools:
        pool.shutdown()
    if found is not None:
        found.close()
    if client is not None:
        client.close()
        cluster.close()


def build_config(args: dict) -> dict:
    """In a fresh process: build one configuration's index."""
    sys.path.insert(0, str(ROOT))
    from indexer import Cluster, LocalPool, ShardedStore, index_folder

    docs, index_dir = Path(args["docs"]), Path(args["index"])
    shards, engine, cores = args["shards"], args["engine"], args["workers"]
    out = {"shards": shards, "engine": engine, "documents": args["documents"]}
    cluster = client = found = None
    pools = []
    try:
        if engine == "dask":
            cluster, client = _cluster(cores)
            found = Cluster(cluster.scheduler_address)
            executor = found.executor()
        elif shards:
            executor = LocalPool(min(shards, cores))
            pools.append(executor)
        else:
            executor = LocalPool(cores - 1) if cores > 1 else None
            pools += [executor] if executor else []
        load = os.getloadavg()[0]
        start = time.perf_counter()
        report = index_folder(
            docs, index_dir, shards=shards or None, executor=executor,
            processes=None if shards else cores,
        )
        build = time.perf_counter() - start
        workers = min(shards, cores) if shards else cores
        out.update(
            passages=report.passages,
            build_s=round(build, 2),
            docs_per_s=round(args["documents"] / build, 1),
            docs_per_s_per_worker=round(args["documents"] / build / workers, 1),
            build_workers=workers,
            load_1min={"before": round(load, 2), "after": round(os.getloadavg()[0], 2)},
            index_mb=round(_du(index_dir) / 2**20, 1),
            build_rss_mb={
                "main": _hwm_mb(),
                "workers": sorted(
                    client.run(_worker_hwm).values() if client else _pool_hwm(pools)
                ),
            },
        )
        if shards:
            store = ShardedStore(index_dir)
            out["shard_mb"] = [
                round(_du(store.shard(n).root) / 2**20, 1) for n in range(shards)
            ]
    finally:
        _close(pools, found, client, cluster)
    return out


def search_config(args: dict) -> dict:
    """In a fresh process: time the searches of one built configuration,
    its shards searched `args["where"]`: "here" (this process), "local
    pool" (one helper per worker) or "dask" (a fresh `LocalCluster`)."""
    sys.path.insert(0, str(ROOT))
    from indexer import Cluster, LocalPool, QueryError
    from search import open_index

    where, cores, queries = args["where"], args["workers"], args["queries"]
    cluster = client = found = None
    executors = None
    if where == "local pool":
        executors = [LocalPool(1) for _ in range(min(args["shards"], cores))]
    elif where == "dask":
        cluster, client = _cluster(cores)
        found = Cluster(cluster.scheduler_address)
        executors = found.pinned()
    try:
        with open_index(Path(args["index"]), executors=executors) as ix:

            def rank(text: str) -> list:  # (as benchmarks.retrieval: no result for
                try:  # the few queries that are not plain words)
                    return ix.rank(text, limit=100, by_source=True)
                except QueryError:
                    return []

            runs = {}
            start = time.perf_counter()
            for qid, text in queries.items():  # (the warm-up, and the run nDCG reads)
                runs[qid] = {path.rsplit("/", 1)[-1]: score for path, score in rank(text)}
            for text in queries.values():
                ix.search(text, limit=10, correct=False)
            first = time.perf_counter() - start
            texts = list(queries.values())
            repeat = args["repeat"]
            timing = {
                "first_pass_s": round(first, 2),
                "top10": _timed(texts, lambda t: ix.search(t, limit=10, correct=False), repeat),
                "rank100": _timed(texts, rank, repeat),
                "rss_mb": {"main": _hwm_mb()},
            }
            if where == "local pool":
                timing["rss_mb"]["workers"] = sorted(_pool_hwm(executors))
            elif where == "dask":
                timing["rss_mb"]["workers"] = sorted(client.run(_worker_hwm).values())
        return {"timing": timing, "runs": runs}
    finally:
        _close(executors if where == "local pool" else [], found, client, cluster)


def benchmark(
    dataset: Path, generated: list[int], shards: list[int], engines: list[str], workers: int,
    itself: bool = True, repeat: int = 3,
) -> dict:
    data = beir.load(dataset, "test")
    result = {
        "dataset": dataset.name,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": _machine(),
        "versions": _versions(),
        "workers": workers,
        "queries": len(data.queries),
        "repeat": repeat,
        "corpora": [],
    }
    queries = {q: as_words(text) for q, text in data.queries.items()}  # (as benchmarks.retrieval)
    corpora = [(dataset.name, None)] if itself else []
    corpora += [(f"generated {n:,}", n) for n in generated]
    for label, count in corpora:
        with tempfile.TemporaryDirectory(prefix="gs-scale-") as tmp:
            docs = Path(tmp) / "docs"
            if count is None:
                names = beir.write_folder(data, docs)
                documents = len(data.corpus)
            else:
                generate(data, count, docs)
                names, documents = None, count
            corpus = {"corpus": label, "documents": documents, "configs": []}
            for engine in engines:
                for n in shards:
                    if n == 0 and engine != "local":
                        continue
                    index = Path(tmp) / f"index-{engine}-{n}"
                    common = {"shards": n, "workers": workers, "index": str(index)}
                    figures = _in_child(
                        build_config,
                        common | {"docs": str(docs), "engine": engine, "documents": documents},
                    )
                    if not n:
                        places = ["here"]
                    else:
                        places = ["here", "local pool"] if engine == "local" else ["dask"]
                    figures["search"] = {}
                    for where in places:
                        searched = _in_child(
                            search_config,
                            common | {"where": where, "queries": queries, "repeat": repeat},
                        )
                        timing, runs = searched["timing"], searched["runs"]
                        if names is not None:
                            runs = {
                                q: {names[f]: s for f, s in run.items()} for q, run in runs.items()
                            }
                            timing.update(metrics.evaluate(data.qrels, runs)[0])
                        figures["search"][where] = timing
                    shutil.rmtree(index, ignore_errors=True)
                    corpus["configs"].append(figures)
                    print(_line(label, figures), flush=True)
            if names is not None:  # (sharding must leave the ranking as it is)
                corpus["ndcg@10"] = sorted(
                    {t["ndcg@10"] for f in corpus["configs"] for t in f["search"].values()}
                )
                print(f"{label}: nDCG@10 over every configuration: {corpus['ndcg@10']}")
            result["corpora"].append(corpus)
    return result


def _line(label: str, f: dict) -> str:
    shards = f"{f['shards']} shards" if f["shards"] else "one index"
    searches = "; ".join(
        f"{name}: top10 p50 {t['top10']['p50_ms']} ms p95 {t['top10']['p95_ms']} ms "
        f"{t['top10']['qps']} q/s, rank100 p50 {t['rank100']['p50_ms']} ms"
        for name, t in f["search"].items()
    )
    ndcgs = sorted({t["ndcg@10"] for t in f["search"].values() if "ndcg@10" in t})
    ndcg = f", nDCG@10 {' / '.join(f'{v:.4f}' for v in ndcgs)}" if ndcgs else ""
    return (
        f"{label}, {shards}, {f['engine']}: build {f['build_s']} s "
        f"({f['docs_per_s_per_worker']} docs/s per worker){ndcg}; {searches}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dataset", required=True, type=Path, help="a BEIR-format folder")
    parser.add_argument("--generated", default="", help="comma-separated corpus sizes to generate")
    parser.add_argument("--shards", default="0,1,2,4", help="comma-separated (0: one index)")
    parser.add_argument("--engines", default="local,dask", help="local and/or dask")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core)")
    parser.add_argument("--generated-only", action="store_true",
                        help="measure the generated corpora only, not the data set itself")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed passes over the queries (the fastest is kept)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    result = benchmark(
        args.dataset,
        [int(n) for n in args.generated.split(",") if n],
        [int(n) for n in args.shards.split(",") if n],
        [e for e in args.engines.split(",") if e],
        args.workers,
        itself=not args.generated_only, repeat=args.repeat,
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
