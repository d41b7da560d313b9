"""Retrieval benchmark: groundsearch against bm25s on a BEIR data set.

    python -m benchmarks.retrieval --dataset ../shared/benchmarks/scifact [--quick] [--json FILE]

groundsearch is measured through the user's path: each BEIR document is
written as a `.txt` file (title on the first line, a blank line, the text),
indexed with `indexer.index_folder`, and every test query runs through
`search.open_index(...).search(...)`.  A document's score is the best score of
its passages.  bm25s (with PyStemmer's English stemmer and its English stop
words, `BM25()` defaults) runs on the same documents and queries in the same
run.  Each engine runs in a fresh process, so its peak memory is its own.

Figures: nDCG@10 and Recall@100 (pytrec_eval, trec_eval semantics, queries
with no result count 0), index build time, documents/s, index size on disk,
peak RSS, query latency p50/p95 and queries/s (single process, warm: every
query has run once before the timed pass).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import beir, metrics

ROOT = Path(__file__).resolve().parents[1]
#: Published nDCG@10 / Recall@100 (shared/benchmarks/README.md).
PUBLISHED = {
    "scifact": {
        "anserini_flat": {"ndcg@10": 0.6789, "recall@100": 0.9253},
        "anserini_multifield": {"ndcg@10": 0.6647, "recall@100": 0.9076},
        "beir_paper": {"ndcg@10": 0.665},
    },
    "nfcorpus": {
        "anserini_flat": {"ndcg@10": 0.3218, "recall@100": 0.2457},
        "anserini_multifield": {"ndcg@10": 0.3254, "recall@100": 0.2500},
        "beir_paper": {"ndcg@10": 0.325},
    },
}
#: max_chars meaning "the whole document is one passage".
WHOLE = 10**9
QUICK_QUERIES = 100
QUICK_DOCS = 500


# --- measuring ---------------------------------------------------------------


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(children, 1)}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _timed(queries: list[str], run_one, repeat: int) -> dict:
    """Run every query `repeat` times in a row (after a warm-up pass done by the
    caller); keep the pass with the best throughput."""
    best = None
    for _ in range(max(1, repeat)):
        latencies = []
        start = time.perf_counter()
        for text in queries:
            t = time.perf_counter()
            run_one(text)
            latencies.append(time.perf_counter() - t)
        total = time.perf_counter() - start
        if best is None or total < best[0]:
            best = (total, latencies)
    total, latencies = best
    return {
        "p50_ms": round(_percentile(latencies, 50) * 1000, 3),
        "p95_ms": round(_percentile(latencies, 95) * 1000, 3),
        "qps": round(len(queries) / total, 1) if total else 0.0,
    }


# --- engines (each runs in a fresh process) -------------------------------------


#: A word's leading "+" or "-", which the query language reads as "must
#: hold" or "must not hold" (since a69c61e).  BEIR queries are claims and
#: questions, not query syntax: SciFact's "stabilizing +1 nucleosomes" asks
#: for no required "1", and `rank` refuses it as an operator.
_SIGN = re.compile(r"(?<!\S)[+-](?=\S)")


def as_words(query: str) -> str:
    """`query` as the plain words it is: a word's leading sign dropped (the
    analyser drops it too, so the words ranked are those before the query
    language read signs)."""
    return _SIGN.sub("", query)


def _load(args: dict) -> beir.Dataset:
    data = beir.load(Path(args["dataset"]), args["split"])
    if args["quick"]:
        data = beir.subset(data, *args["quick_sizes"])
    if args.get("docs"):
        data = beir.replicate(data, args["docs"])
    return data


def run_groundsearch(args: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    from indexer import IndexSettings, index_folder
    from indexer.errors import QueryError
    from search import open_index

    data = _load(args)
    max_chars = args["max_chars"]
    work = Path(args["workdir"])
    docs, index_dir = work / "docs", work / "index"
    names = beir.write_folder(data, docs)
    start = time.perf_counter()
    report = index_folder(docs, index_dir, settings=IndexSettings(max_chars=max_chars), rebuild=True)
    build = time.perf_counter() - start
    rss_index = _peak_rss_mb()
    out = {
        "engine": "groundsearch",
        "config": ("whole document" if max_chars >= WHOLE else f"passages <= {max_chars} chars")
        + (", Whoosh matcher" if args["scorer"] == "whoosh" else "")
        + {False: "", True: ", feedback", "auto": ", feedback auto"}[args.get("feedback", False)],
        "feedback": args.get("feedback", False),
        "scorer": args["scorer"],
        "max_chars": max_chars,
        "documents": len(data.corpus),
        "indexed_sources": report.sources,
        "passages": report.passages,
        "skipped": len(report.skipped),
        "index_s": round(build, 3),
        "docs_per_s": round(len(data.corpus) / build, 1),
        "index_mb": round(_du(index_dir) / 2**20, 2),
        "peak_rss_index_mb": rss_index,
    }
    errors = []
    feedback = args.get("feedback", False)
    with open_index(index_dir, scorer=args["scorer"]) as ix:

        def doc_scores(text: str, k: int = 100) -> dict[str, float]:
            """The top k documents from `Index.rank` (no Hits built)."""
            try:
                ranked = ix.rank(text, limit=k, by_source=True, feedback=feedback)
            except QueryError as exc:
                errors.append(f"{text!r}: {exc}")
                return {}
            return {names[path.rsplit("/", 1)[-1]]: score for path, score in ranked}

        def doc_scores_hits(text: str, k: int = 100) -> dict[str, float]:
            """The top k documents through `search`, each as its best passage's
            `Hit` (stored fields, highlights): `search --by-source
            --per-source 1 --limit 100`."""
            try:
                res = ix.search(text, limit=k, correct=False, feedback=feedback, per_source=1)
            except QueryError as exc:
                errors.append(f"{text!r}: {exc}")
                return {}
            return {names[g.source.path.rsplit("/", 1)[-1]]: g.hits[0].score for g in res.groups}

        if args["scorer"] == "whoosh":  # rank() always scores with the fast scorer
            doc_scores = doc_scores_hits  # noqa: F811
        qids = list(data.queries)
        texts = [as_words(data.queries[q]) for q in qids]
        plain = dict(zip(qids, texts, strict=True))
        start = time.perf_counter()
        runs = {q: doc_scores(t) for q, t in zip(qids, texts, strict=True)}  # also the warm-up
        out["first_pass_s"] = round(time.perf_counter() - start, 3)  # includes the lazy scorer build
        # The Hit-building path must rank the documents the same way.
        check = qids[:: max(1, len(qids) // 20)]
        out["rank_matches_search"] = all(
            list(doc_scores_hits(plain[q]))[:10] == list(runs[q])[:10] for q in check
        )
        out["query_errors"] = errors[:20]
        out["timing"] = _timed(texts, doc_scores, args["repeat"])
        out["timing_hits"] = _timed(texts, doc_scores_hits, 1)
        out["timing_top10"] = _timed(
            texts, lambda t: ix.search(t, limit=10, correct=False, feedback=feedback), args["repeat"]
        )
        out["timing_hits_100"] = _timed(
            texts, lambda t: ix.search(t, limit=100, correct=False, feedback=feedback),
            args["repeat"],
        )
    out["peak_rss_mb"] = _peak_rss_mb()
    out["fresh"] = _fresh_search(index_dir, texts, feedback)
    out["runs"] = runs
    return out


#: A search in a process of its own: what `groundsearch search` costs, split
#: into importing groundsearch, opening the index and the first query; with
#: more than one query, every query through `search` and `rank` (its memory).
_FRESH = """
import json, sys, time
start = time.perf_counter()
from indexer.errors import QueryError
from search import open_index
imported = time.perf_counter()
index_dir, feedback, queries = json.loads(sys.stdin.read())
with open_index(index_dir) as ix:
    opened = time.perf_counter()
    ix.search(queries[0], correct=False, feedback=feedback)
    first = time.perf_counter()
    for q in queries[1:]:
        ix.search(q, correct=False, feedback=feedback)
        try:
            ix.rank(q, limit=100, by_source=True, feedback=feedback)
        except QueryError:
            pass
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
kb = lambda name: int(status[name].split()[0]) / 1024 if name in status else None
print(json.dumps({
    "import_s": imported - start, "open_s": opened - imported, "first_query_s": first - opened,
    "rss_mb": kb("VmHWM"), "anon_mb": kb("RssAnon"), "file_mb": kb("RssFile"),
}))
"""


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_timed(command: list[str], stdin: str | None = None, env=None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of a command run to its end."""
    cpu, start = _child_cpu(), time.perf_counter()
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, check=True, env=env
    )
    return time.perf_counter() - start, _child_cpu() - cpu, done.stdout


def _median(values: list[float]) -> float:
    return round(sorted(values)[len(values) // 2], 4)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _compile_bytecode() -> None:
    """Compile groundsearch's modules, as `pip install` does: with
    PYTHONDONTWRITEBYTECODE set (as on this machine) each fresh process would
    compile them from source again, some 60 ms that an installed command
    never pays."""
    import compileall

    for package in ("indexer", "search"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _fresh_search(index_dir: Path, texts: list[str], feedback, runs: int = 5) -> dict:
    """A search in a fresh interpreter, start to exit (median of `runs`, wall
    and CPU), its parts, and the peak memory of a process that runs every
    query."""
    _compile_bytecode()
    command = [sys.executable, "-c", _FRESH]
    walls, cpus, parts = [], [], []
    for _ in range(runs):
        first = json.dumps([str(index_dir), feedback, texts[:1]])
        wall, cpu, out = _run_timed(command, first, _env())
        walls.append(wall)
        cpus.append(cpu)
        parts.append(json.loads(out))
    _, _, out = _run_timed(command, json.dumps([str(index_dir), feedback, texts]), _env())
    every = json.loads(out)
    return {
        "wall_s": _median(walls),
        "cpu_s": _median(cpus),
        **{
            name: _median([p[name] for p in parts])
            for name in ("import_s", "open_s", "first_query_s")
        },
        # Its own peak (VmHWM: its ru_maxrss would count the harness process
        # it was forked from), and at its end its private memory and the
        # pages of mapped files it holds (shared, dropped under pressure).
        "search_rss_mb": round(every["rss_mb"] or 0, 1),
        "search_anon_mb": round(every["anon_mb"] or 0, 1),
        "search_file_mb": round(every["file_mb"] or 0, 1),
    }


def cli_startup(runs: int = 5) -> dict:
    """The command line's cost, start to exit (median of `runs`, wall and
    CPU): `groundsearch --help`, and `groundsearch search` on an index of
    the embedded corpus."""
    _compile_bytecode()
    sys.path.insert(0, str(ROOT))
    from indexer import index_folder
    from search import embedded_corpus

    script = Path(sys.executable).with_name("groundsearch")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "search"]
    found = {}
    with tempfile.TemporaryDirectory(prefix="gs-cli-") as work:
        index_dir = Path(work) / "index"
        index_folder(embedded_corpus(), index_dir)
        for name, args in (
            ("help", ["--help"]),
            ("search", ["search", "baclofen withdrawal", "--index", str(index_dir)]),
        ):
            timed = [_run_timed(command + args, env=_env())[:2] for _ in range(runs)]
            found[name] = {
                "wall_s": _median([t[0] for t in timed]), "cpu_s": _median([t[1] for t in timed])
            }
    return found


def run_bm25s(args: dict) -> dict:
    import bm25s
    import Stemmer

    data = _load(args)
    ids = list(data.corpus)
    texts = [f"{t} {x}" for t, x in data.corpus.values()]
    stemmer = Stemmer.Stemmer("english")
    start = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - start
    rss_index = _peak_rss_mb()
    save_dir = Path(args["workdir"]) / "bm25s"
    retriever.save(str(save_dir))
    out = {
        "engine": "bm25s",
        "config": f"bm25s {bm25s.__version__} defaults, PyStemmer english, stopwords en",
        "documents": len(ids),
        "index_s": round(build, 3),
        "docs_per_s": round(len(ids) / build, 1),
        "index_mb": round(_du(save_dir) / 2**20, 2),
        "peak_rss_index_mb": rss_index,
    }
    k_max = min(100, len(ids))

    def doc_scores(text: str, k: int = k_max) -> dict[str, float]:
        q = bm25s.tokenize(text, stopwords="en", stemmer=stemmer, show_progress=False)
        if not q.vocab:  # nothing left after stop words
            return {}
        docs, scores = retriever.retrieve(q, k=k, show_progress=False, n_threads=1)
        return {ids[d]: float(s) for d, s in zip(docs[0], scores[0], strict=True) if s > 0}

    qids = list(data.queries)
    qtexts = [data.queries[q] for q in qids]
    runs = {q: doc_scores(t) for q, t in zip(qids, qtexts, strict=True)}
    out["timing"] = _timed(qtexts, doc_scores, args["repeat"])
    out["timing_top10"] = _timed(qtexts, lambda t: doc_scores(t, min(10, k_max)), 1)
    out["peak_rss_mb"] = _peak_rss_mb()
    out["runs"] = runs
    return out


def _child(func, args, conn):
    try:
        conn.send((True, func(args)))
    except BaseException as exc:  # noqa: BLE001 - reported in the parent
        import traceback

        conn.send((False, f"{exc!r}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def _in_child(func, args: dict) -> dict:
    """Run `func(args)` in a fresh (spawned, non-daemonic, so the indexer may
    start its own workers) process and return its result."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(func, args, child))
    proc.start()
    child.close()
    try:
        ok, value = parent.recv()
    except EOFError:
        ok, value = False, "the benchmark process died"
    proc.join()
    if not ok:
        raise RuntimeError(f"{func.__name__} failed: {value}")
    return value


# --- the run ---------------------------------------------------------------------


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("whoosh-reloaded", "bm25s", "PyStemmer", "numpy", "scipy", "pytrec-eval-terrier"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    try:
        found["groundsearch_commit"] = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found["groundsearch_commit"] = None
    return found


def _machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
    }


def benchmark(
    dataset: Path,
    *,
    split: str = "test",
    quick: bool = False,
    max_chars: list[int] | None = None,
    scorers: tuple[str, ...] = ("fast",),
    peer: bool = True,
    repeat: int = 3,
    docs: int | None = None,
    keep_runs: bool = False,
    feedback: tuple[bool | str, ...] = (False,),
) -> dict:
    dataset = Path(dataset)
    data = beir.load(dataset, split)
    if quick:
        data = beir.subset(data, QUICK_QUERIES, QUICK_DOCS)
    if docs:
        data = beir.replicate(data, docs)
    name = dataset.name.lower()
    result = {
        "dataset": name,
        "dataset_path": str(dataset),
        "split": split,
        "quick": quick,
        "documents": len(data.corpus),
        "queries": len(data.queries),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": _machine(),
        "versions": _versions(),
        "published": PUBLISHED.get(name, {}),
        "engines": [],
    }
    common = {
        "dataset": str(dataset), "split": split, "quick": quick, "repeat": repeat, "docs": docs,
        "quick_sizes": (QUICK_QUERIES, QUICK_DOCS),
    }
    result["cli"] = cli_startup()
    jobs = [
        (run_groundsearch, {"max_chars": m, "scorer": scorer, "feedback": fb})
        for scorer in scorers
        for m in (max_chars or [600])
        for fb in feedback
    ]
    if peer:
        jobs.append((run_bm25s, {}))
    for func, extra in jobs:
        with tempfile.TemporaryDirectory(prefix="gs-bench-") as work:
            figures = _in_child(func, {**common, **extra, "workdir": work})
        runs = figures.pop("runs")
        figures.update(metrics.evaluate(data.qrels, runs)[0])
        figures["metrics_by"] = metrics.evaluate(data.qrels, runs)[1]
        figures["queries_without_results"] = sum(1 for q in data.qrels if not runs.get(q))
        if keep_runs:
            figures["runs"] = runs
        result["engines"].append(figures)
    return result


def _ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def _opened(engine: dict) -> float | None:
    if "fresh" not in engine:
        return None
    return 1000 * (_fresh(engine, "open_s") + _fresh(engine, "first_query_s"))


def _fresh(engine: dict, name: str) -> float | None:
    """A figure of the fresh search process (None for the peer, which has none)."""
    return engine["fresh"][name] if "fresh" in engine else None


def _p50(engine: dict, timing: str) -> float | None:
    return engine[timing]["p50_ms"] if timing in engine else None


def table(result: dict) -> str:
    engines = result["engines"]
    peer = next((e for e in engines if e["engine"] == "bm25s"), None)
    ours = [e for e in engines if e["engine"] != "bm25s"]
    published = result["published"].get("anserini_flat", {})
    rows = [
        ("nDCG@10", lambda e: e["ndcg@10"], "{:.4f}"),
        ("Recall@100", lambda e: e["recall@100"], "{:.4f}"),
        ("index build s", lambda e: e["index_s"], "{:.2f}"),
        ("documents/s", lambda e: e["docs_per_s"], "{:,.0f}"),
        ("index size MB", lambda e: e["index_mb"], "{:.1f}"),
        ("peak RSS MB", lambda e: e["peak_rss_mb"]["self"], "{:,.0f}"),
        ("p50 ms, top 100 docs", lambda e: e["timing"]["p50_ms"], "{:.2f}"),
        ("p95 ms, top 100 docs", lambda e: e["timing"]["p95_ms"], "{:.2f}"),
        ("queries/s, top 100 docs", lambda e: e["timing"]["qps"], "{:,.1f}"),
        ("p50 ms, top 100 docs as Hits", lambda e: e.get("timing_hits", e["timing"])["p50_ms"], "{:.2f}"),
        ("queries/s, top 100 docs as Hits", lambda e: e.get("timing_hits", e["timing"])["qps"], "{:,.1f}"),
        ("p50 ms, top 10", lambda e: e["timing_top10"]["p50_ms"], "{:.2f}"),
        ("queries/s, top 10", lambda e: e["timing_top10"]["qps"], "{:,.1f}"),
        ("p50 ms, top 100 passages as Hits", lambda e: _p50(e, "timing_hits_100"), "{:.2f}"),
        ("fresh process: search, s (wall)", lambda e: _fresh(e, "wall_s"), "{:.3f}"),
        ("fresh process: search, s (CPU)", lambda e: _fresh(e, "cpu_s"), "{:.3f}"),
        ("fresh process: open + 1st query, ms", _opened, "{:.1f}"),
        ("search process peak RSS MB", lambda e: _fresh(e, "search_rss_mb"), "{:,.0f}"),
    ]
    head = ["figure"] + [f"groundsearch ({e['config']})" for e in ours]
    if peer:
        head += ["bm25s", "ratio gs/bm25s"]
    head.append("published BM25 (Anserini flat)")
    lines = []
    for label, get, fmt in rows:
        line = [label] + ["" if get(e) is None else fmt.format(get(e)) for e in ours]
        if peer and get(peer) is None:  # (a figure of groundsearch's own)
            line += ["", ""]
        elif peer:
            line += [fmt.format(get(peer)), f"{_ratio(get(ours[0]), get(peer)) or 0:.2f}"]
        key = {"nDCG@10": "ndcg@10", "Recall@100": "recall@100"}.get(label)
        line.append(f"{published[key]:.4f}" if key and key in published else "")
        lines.append(line)
    widths = [max(len(str(r[i])) for r in [head] + lines) for i in range(len(head))]
    fmt_line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    m = result["machine"]
    title = (
        f"{result['dataset']} ({result['split']}{', quick' if result['quick'] else ''}): "
        f"{result['documents']:,} documents, {result['queries']:,} queries; "
        f"{m['cpu']}, {m['usable_cores']} cores, Python {m['python']}"
    )
    notes = []
    for e in ours:
        notes.append(
            f"groundsearch ({e['config']}): {e['passages']:,} passages; "
            f"{e['queries_without_results']} queries without results"
            + (f"; {len(e['query_errors'])} query errors" if e.get("query_errors") else "")
        )
    if peer:
        notes.append(f"bm25s: {peer['queries_without_results']} queries without results")
    if result.get("cli"):
        cli = result["cli"]
        notes.append(
            "command line, start to exit (median): `groundsearch --help` "
            f"{cli['help']['wall_s']:.3f} s wall, {cli['help']['cpu_s']:.3f} s CPU; "
            f"`groundsearch search` on the embedded corpus {cli['search']['wall_s']:.3f} s wall, "
            f"{cli['search']['cpu_s']:.3f} s CPU"
        )
    return "\n".join([title, fmt_line(head), fmt_line(["-" * w for w in widths])]
                     + [fmt_line(r) for r in lines] + notes)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from search.retrieval.engine import FEEDBACK_SETTINGS

    parser = argparse.ArgumentParser(prog="python -m benchmarks.retrieval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True, type=Path, help="a BEIR-format folder")
    parser.add_argument("--split", default="test")
    parser.add_argument("--quick", action="store_true",
                        help=f"first {QUICK_QUERIES} queries and {QUICK_DOCS} documents (smoke test)")
    parser.add_argument("--max-chars", default="600",
                        help="comma-separated passage sizes to measure; 'whole' = one passage per document")
    parser.add_argument("--scorer", default="fast",
                        help="comma-separated: fast (vectorised BM25F for plain queries, the default "
                        "search path) and/or whoosh (every query through Whoosh's matcher)")
    parser.add_argument("--feedback", default="off",
                        help="comma-separated: off, on and/or auto (pseudo-relevance feedback: "
                        "Index.search feedback=False, True, 'auto')")
    parser.add_argument("--no-peer", action="store_true", help="skip bm25s")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best kept)")
    parser.add_argument("--docs", type=int, help="repeat/cut the corpus to this many documents")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [WHOLE if s.strip() == "whole" else int(s) for s in args.max_chars.split(",")]
    result = benchmark(
        args.dataset, split=args.split, quick=args.quick, max_chars=sizes,
        scorers=tuple(args.scorer.split(",")), peer=not args.no_peer, repeat=args.repeat, docs=args.docs,
        feedback=tuple(FEEDBACK_SETTINGS[f.strip()] for f in args.feedback.split(",")),
    )
    print(table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
