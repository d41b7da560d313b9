"""Smoke test of the retrieval benchmark: figures are produced and sane.

Runs `benchmarks.retrieval` in its quick mode on a slice of SciFact from
`../shared/benchmarks/scifact` (beside the repository).  Timings are only
checked for being positive numbers, never against targets.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest

from benchmarks import beir, metrics, retrieval

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
SCIFACT = SHARED / "scifact"
HAS_BM25S = importlib.util.find_spec("bm25s") is not None and importlib.util.find_spec("Stemmer") is not None

needs_data = pytest.mark.skipif(
    not (SCIFACT / "corpus.jsonl").is_file(),
    reason=f"benchmark data not found at {SCIFACT} (the shared/benchmarks folder beside the repo)",
)


@needs_data
def test_quick_benchmark_produces_sane_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieval, "QUICK_QUERIES", 40)
    monkeypatch.setattr(retrieval, "QUICK_DOCS", 200)
    result = retrieval.benchmark(SCIFACT, quick=True, max_chars=[600], peer=HAS_BM25S, repeat=1)
    assert result["dataset"] == "scifact"
    assert result["queries"] == 40
    assert result["documents"] >= 40
    assert result["machine"]["cores"] >= 1 and result["versions"]["python"]
    engines = {e["engine"]: e for e in result["engines"]}
    assert "groundsearch" in engines
    if HAS_BM25S:
        assert "bm25s" in engines
    for figures in engines.values():
        for key in ("ndcg@10", "recall@100"):
            assert 0.0 <= figures[key] <= 1.0, (figures["engine"], key, figures[key])
        # A slice where every judged document is indexed: retrieval must work.
        assert figures["ndcg@10"] > 0.3 and figures["recall@100"] > 0.5
        for key in ("index_s", "docs_per_s", "index_mb"):
            assert figures[key] > 0 and math.isfinite(figures[key])
        for timing in (figures["timing"], figures["timing_top10"]):
            assert 0 < timing["p50_ms"] <= timing["p95_ms"]
            assert timing["qps"] > 0
        assert figures["peak_rss_mb"]["self"] > 0
    gs = engines["groundsearch"]
    assert gs["indexed_sources"] == result["documents"] and gs["skipped"] == 0
    assert not gs["query_errors"]
    text = retrieval.table(result)
    assert "nDCG@10" in text and "queries/s" in text
    json.dumps(result)  # everything is serialisable for --json


def test_cli_writes_json(tmp_path, monkeypatch):
    if not (SCIFACT / "corpus.jsonl").is_file():
        pytest.skip(f"benchmark data not found at {SCIFACT}")
    monkeypatch.setattr(retrieval, "QUICK_QUERIES", 10)
    monkeypatch.setattr(retrieval, "QUICK_DOCS", 60)
    out = tmp_path / "figures.json"
    assert retrieval.main(
        ["--dataset", str(SCIFACT), "--quick", "--no-peer", "--repeat", "1", "--json", str(out)]
    ) == 0
    saved = json.loads(out.read_text())
    assert saved["engines"][0]["engine"] == "groundsearch"
    assert 0 <= saved["engines"][0]["ndcg@10"] <= 1


def test_own_metrics_agree_with_pytrec_eval():
    pytest.importorskip("pytrec_eval")
    rng = random.Random(7)
    docs = [f"d{i}" for i in range(60)]
    qrels, runs = {}, {}
    for q in range(30):
        qrels[f"q{q}"] = {d: rng.choice([1, 1, 2]) for d in rng.sample(docs, rng.randint(1, 6))}
        # coarse scores so that ties (broken by doc id) are common
        runs[f"q{q}"] = {d: float(rng.randint(0, 8)) for d in rng.sample(docs, rng.randint(0, 40))}
    runs["q3"] = {}  # a query without results counts 0 in both
    ours = metrics.own(qrels, runs)
    theirs = metrics.pytrec(qrels, runs)
    for key in ours:
        assert ours[key] == pytest.approx(theirs[key], abs=1e-9)


def test_beir_folder_round_trip(tmp_path):
    data = beir.Dataset(
        "toy",
        {"MED-1": ("A title", "Some text."), "2/x": ("", "Only text.")},
        {"q1": "text"},
        {"q1": {"MED-1": 1}},
    )
    names = beir.write_folder(data, tmp_path)
    assert names == {"MED-1.txt": "MED-1", "2_x.txt": "2/x"}
    assert (tmp_path / "MED-1.txt").read_text() == "A title\n\nSome text.\n"
    big = beir.replicate(data, 5)
    assert len(big.corpus) == 5 and "MED-1~1" in big.corpus
