"""The vectorised scorer and fast highlighter agree with Whoosh's analysis and parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import index_folder
from indexer.schema import body_analyzer
from search import fastbm25, open_index

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_match_spans_equal_the_analyzer():
    analyzer = body_analyzer()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts.append("GABA-B agonists; the patient's 4-PBA dose, 40mg/day, U.S. e.g. Hiccups HICCUPING")
    for text in texts:
        # Whoosh reuses one Token object: copy what each one says.
        tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True)]
        terms = {t[0] for t in tokens[::3]}
        expected = tuple((a, b) for word, a, b in tokens if word in terms)
        assert fastbm25.match_spans(text, terms) == expected


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("seed") / "index"
    index_folder(CORPUS, index_dir, rebuild=True)
    return index_dir


@pytest.mark.parametrize(
    "query, fast",
    [
        ("chronic hiccups", True),
        ("brand names", True),
        ("4-PBA treatment (CKD) progression?", True),
        ('"muscle relaxer"', False),
        ("hiccups AND baclofen", False),
        ("hiccups^2 baclofen", False),
        ("title:hiccups", False),
        ("hiccups NOT baclofen", False),
        ("hiccup~", False),
    ],
)
def test_only_plain_queries_take_the_fast_path(seed_index, query, fast):
    with open_index(seed_index, synonyms=[]) as ix:
        parsed, restrict = ix.parse(query)
        assert (fastbm25.plain_terms(parsed) is not None) is fast


def test_fast_and_whoosh_agree_on_the_seed_searches(seed_index, monkeypatch):
    queries = {
        "chronic hiccups": "000_edc437d76033edf8#1",
        "brand names": "003_1957af6f8275ef46#1",
        # Whoosh puts the signs-of-addiction passage (#20) first and the
        # signs-of-overdose list (#13) second; the BM25F scorer the other way round.
        "signs of overdose": "003_1957af6f8275ef46#13",
        "what was baclofen originally created for": "002_229e0e8f8ee221a5#1",
    }
    with open_index(seed_index, synonyms=[]) as ix:
        for query, best in queries.items():
            fast = ix.search(query, limit=3)
            monkeypatch.setattr(fastbm25, "ENABLED", False)
            slow = ix.search(query, limit=3)
            monkeypatch.setattr(fastbm25, "ENABLED", True)
            assert fast.hits[0].passage.passage_id == best
            assert best in [h.passage.passage_id for h in slow.hits]
            by_id = {h.passage.passage_id: h for h in slow.hits}
            for hit in fast.hits:
                if hit.passage.passage_id in by_id:
                    assert hit.matches == by_id[hit.passage.passage_id].matches
