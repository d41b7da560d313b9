"""The vectorised scorer and fast highlighter agree with Whoosh's analysis and parser."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from indexer import IndexSettings, IndexStore, Statistics, index_folder
from indexer.errors import QueryError
from indexer.ids import text_hash
from indexer.storage import statistics
from indexer.storage.schema import body_analyzer, stored_passage
from search import open_index
from search.retrieval import bm25f, feedback, highlight, postings, shapes

from .conftest import reseal, write_corpus

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
        assert highlight.match_spans(text, terms) == expected


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
        assert (shapes.plain_query(parsed) is not None) is fast


@pytest.mark.parametrize(
    "query, fast",
    [
        ("baclofen withdrawal", True),  # one-word synonyms: brand names
        ("Lioresal dose", True),
        ("overdose symptoms", True),
        ("DEA abuse", True),  # a synonym phrase: "Drug Enforcement Administration"
        ("muscle relaxer", True),  # typed words and a synonym phrase
        ('"muscle relaxer"', False),  # a phrase the user typed
    ],
)
def test_synonym_queries_take_the_fast_path(seed_index, query, fast):
    with open_index(seed_index) as ix:
        plain = shapes.plain_query(ix.parse(query)[0])
        assert (plain is not None) is fast
        if fast:
            assert plain[1] and all(concept.others for concept in plain[1])


def test_fast_and_whoosh_agree_on_the_seed_searches(seed_index):
    queries = {
        "chronic hiccups": "000_edc437d76033edf8.txt#638162c523",
        "brand names": "003_1957af6f8275ef46.txt#7a01325f50",
        # Whoosh puts the signs-of-addiction passage (#20) first and the
        # signs-of-overdose list (#13) second; the BM25F scorer the other way round.
        "signs of overdose": "003_1957af6f8275ef46.txt#1da5d3cf8f",
        "what was baclofen originally created for": "002_229e0e8f8ee221a5.txt#94314aaae2",
    }
    with open_index(seed_index, synonyms=[]) as ix, open_index(
        seed_index, synonyms=[], scorer="whoosh"
    ) as whoosh:
        for query, best in queries.items():
            fast = ix.search(query, limit=3)
            slow = whoosh.search(query, limit=3)
            assert fast.hits[0].passage.passage_id == best
            assert best in [h.passage.passage_id for h in slow.hits]
            by_id = {h.passage.passage_id: h for h in slow.hits}
            for hit in fast.hits:
                if hit.passage.passage_id in by_id:
                    assert hit.matches == by_id[hit.passage.passage_id].matches


SEED_QUERIES = {
    "chronic hiccups": "000_edc437d76033edf8.txt#638162c523",
    "brand names": "003_1957af6f8275ef46.txt#7a01325f50",
    "signs of overdose": "003_1957af6f8275ef46.txt#1da5d3cf8f",
    "what was baclofen originally created for": "002_229e0e8f8ee221a5.txt#94314aaae2",
}


def test_rank_agrees_with_search(seed_index):
    with open_index(seed_index, synonyms=[]) as ix:
        for query in SEED_QUERIES:
            hits = ix.search(query, limit=20, correct=False).hits
            ranked = ix.rank(query, limit=20)
            assert [h.passage.passage_id for h in hits] == [pid for pid, _ in ranked]
            assert [round(h.score, 4) for h in hits] == [round(s, 4) for _, s in ranked]
            by_source = ix.rank(query, limit=5, by_source=True)
            best: dict[str, float] = {}
            for h in ix.search(query, limit=None, correct=False).hits:
                best.setdefault(h.passage.path, h.score)
            assert [p for p, _ in by_source] == list(best)[:5]


def test_rank_refuses_operators(seed_index):
    with open_index(seed_index, synonyms=[]) as ix:
        with pytest.raises(QueryError):
            ix.rank('"muscle relaxer"')
        assert ix.rank("the of") == []


def test_search_without_highlights_ranks_the_same(seed_index):
    with open_index(seed_index, synonyms=[]) as ix:
        for query in SEED_QUERIES:
            plain = ix.search(query, limit=10)
            light = ix.search(query, limit=10, highlight=False)
            assert [h.passage.passage_id for h in plain.hits] == [h.passage.passage_id for h in light.hits]
            assert all(h.matches == () for h in light.hits)


@pytest.mark.parametrize("feedback", [True, "auto"])
def test_feedback_keeps_the_seed_searches_right(seed_index, feedback):
    with open_index(seed_index, synonyms=[]) as ix:
        for query, best in SEED_QUERIES.items():
            result = ix.search(query, limit=5, feedback=feedback)
            assert result.hits[0].passage.passage_id == best, query
            assert result.total >= ix.search(query, limit=5).total
            ranked = ix.rank(query, limit=5, feedback=feedback)
            assert [h.passage.passage_id for h in result.hits] == [pid for pid, _ in ranked]


def test_auto_feedback_is_for_short_queries_only(seed_index):
    """feedback="auto" expands queries of at most 3 words (after stop words), as
    feedback=True does, and leaves longer ones as typed."""
    short = "chronic hiccups"
    long = "was baclofen originally created for treating spasticity and muscle spasms in children"
    with open_index(seed_index, synonyms=[]) as ix:
        assert ix.rank(short, limit=20, feedback="auto") == ix.rank(short, limit=20, feedback=True)
        assert ix.rank(short, limit=20, feedback="auto") != ix.rank(short, limit=20)
        assert ix.rank(long, limit=20, feedback="auto") == ix.rank(long, limit=20)
        assert ix.rank(long, limit=20, feedback=True) != ix.rank(long, limit=20)
        with pytest.raises(QueryError):
            ix.search(short, feedback="sometimes")


def test_feedback_adds_words_from_the_best_passages(seed_index):
    with open_index(seed_index, synonyms=[]) as ix:
        fast = ix._fast_scorer()
        terms, _ = shapes.plain_query(ix.parse("chronic hiccups")[0])
        asked = feedback.Feedback(docs=3, terms=5, original=0.8)
        weights = feedback.expanded(fast, terms, fast.scores(terms), asked)
        assert weights is not None and len(weights) > len(set(terms))
        assert abs(sum(weights.values()) - 1.0) < 1e-6
        original = set(terms)
        assert sum(w for r, w in weights.items() if r in original) >= 0.8 - 1e-9


def _ward_corpus(folder: Path) -> Path:
    """A ward's notes, passage by passage about baclofen and hiccups, and a
    letter with one short passage naming both words in passing."""
    folder.mkdir()
    (folder / "ward.txt").write_text(
        "Ward notes\n\n"
        "Baclofen is a muscle relaxant given to patients with spasticity of the legs.\n\n"
        "Chronic hiccups that last for weeks wear patients out; hiccups at night stop sleep.\n\n"
        "On the ward, baclofen was given to three patients whose hiccups would not stop.\n\n"
        "The hiccups of one patient came back after a week.\n\n"
        "A second dose of baclofen was given to him.\n",
        encoding="utf-8",
    )
    (folder / "letter.txt").write_text(
        "A letter\n\n"
        "My aunt asked about baclofen and hiccups. We talked about the weather, the garden, "
        "the roses, the cat and the neighbours.\n",
        encoding="utf-8",
    )
    (folder / "garden.txt").write_text(
        "Roses\n\nRoses need sun, water and a little care.\n", encoding="utf-8"
    )
    return folder


def test_a_source_about_the_query_outranks_one_lucky_passage(tmp_path):
    """A passage's score takes in its whole source's BM25F (Params.doc_weight):
    the ward notes, about baclofen and hiccups throughout, come before the
    letter, whose one passage alone scores best."""
    index_dir = tmp_path / "index"
    corpus = _ward_corpus(tmp_path / "docs")
    index_folder(corpus, index_dir, settings=IndexSettings(max_chars=100), rebuild=True)
    query = "baclofen hiccups"

    def ranking(params=None):
        with open_index(index_dir, synonyms=[], params=params) as ix:
            passages = [pid for pid, _ in ix.rank(query, limit=None)]
            assert [h.passage.passage_id for h in ix.search(query, limit=None).hits] == passages
            return [path for path, _ in ix.rank(query, by_source=True)], passages

    sources, passages = ranking()
    assert sources == ["ward.txt", "letter.txt"]
    best = "On the ward, baclofen was given to three patients whose hiccups would not stop."
    assert passages[0] == f"ward.txt#{text_hash(best)}"
    alone = dataclasses.replace(bm25f.DEFAULT_PARAMS, doc_weight=0.0)
    alone_sources, alone_passages = ranking(alone)
    assert alone_sources == ["letter.txt", "ward.txt"]
    # The same passages match (none without a query word), and within a
    # source they keep their order.
    assert sorted(passages) == sorted(alone_passages)
    ward = [p for p in passages if p.startswith("ward")]
    assert ward == [p for p in alone_passages if p.startswith("ward")]


def test_scores_files_score_as_whoosh_postings_do(seed_index, monkeypatch):
    """The scorer maps each segment's scores file; a segment without one is
    scored from Whoosh's postings and columns, and without the columns from
    the postings alone: the same scores, bit for bit."""
    with open_index(seed_index, synonyms=[]) as ix:
        reader = ix._searcher.reader()
        mapped = bm25f.scorer_for(reader, ix.generation)
        assert not any(isinstance(s.scores, postings.WhooshScores) for s in mapped.segments)
        monkeypatch.setattr(postings, "open_scores", lambda folder, segment_id: None)
        from_whoosh = bm25f.scorer_for(reader, ix.generation)
        assert all(isinstance(s.scores, postings.WhooshScores) for s in from_whoosh.segments)
        monkeypatch.setattr(type(reader), "has_column", lambda self, name: False)
        summed = bm25f.scorer_for(reader, ix.generation)
        for query in SEED_QUERIES:
            terms, _ = shapes.plain_query(ix.parse(query)[0])
            expected = mapped.scores(terms)
            assert expected.any()
            assert np.array_equal(from_whoosh.scores(terms), expected), query
            assert np.array_equal(summed.scores(terms), expected), query


@pytest.mark.parametrize(
    "phrase", ["multiple sclerosis", "gamma-aminobutyric acid", "reduced slowly"]
)
def test_a_phrase_is_counted_where_its_words_follow_each_other(seed_index, phrase):
    analyzer = body_analyzer()
    words = analyzer.index_terms(phrase)[1]
    with open_index(seed_index) as ix:
        reader = ix._searcher.reader()
        ids, counts = postings.phrase_postings(reader, "body", words)
        expected = {}
        for number in range(reader.doc_count_all()):
            fields = stored_passage(reader.stored_fields(number))
            body = ix.source_text(fields["path"])[fields["start"] : fields["end"]]
            terms = analyzer.index_terms(body)[1]
            runs = sum(terms[i : i + len(words)] == words for i in range(len(terms)))
            if runs:
                expected[number] = runs
    assert expected and dict(zip(ids.tolist(), counts.tolist(), strict=True)) == expected


class TestCorpusStatistics:
    """An index given its own corpus statistics (`indexer`'s statistics file,
    as a shard is given its sharded index's) scores exactly as without."""

    QUERIES = (
        "baclofen withdrawal", "chronic hiccups", "brand names", "Lioresal dose",
        '"muscle relaxant"', "hiccups AND baclofen", "hiccup~", "title:baclofen overdose",
    )

    @staticmethod
    def statistics(index_dir):
        with open_index(index_dir) as ix:
            statistics.count(ix._searcher.reader(), ix.generation)
        reseal(index_dir)  # (a file added to a published generation: see `trust.py`)
        return Statistics(IndexStore(index_dir).current() / statistics.STATISTICS_DB)

    @staticmethod
    def results(ix, queries):
        found = {}
        for q in queries:
            for kinds in ((), ("content", "comment")):  # (a filter: ranked by Whoosh)
                hits = ix.search(q, limit=30, correct=False, kinds=kinds)
                ranked = [(h.passage.passage_id, h.score) for h in hits.hits]
                found[q, kinds] = ranked, hits.total
        counts = [(ix.passage_count(), ix.passages_holding(s)) for s in ("baclofen", "hiccup")]
        return found, counts, dict(ix.vocabulary().frequency), ix.suggest("baclofn hicups")

    def test_its_own_statistics_change_nothing(self, seed_index):
        stats = self.statistics(seed_index)
        with open_index(seed_index) as plain, open_index(seed_index, stats=stats) as given:
            assert self.results(given, self.QUERIES) == self.results(plain, self.QUERIES)
            for q in ("baclofen withdrawal", "hiccups"):
                assert given.rank(q, limit=None) == plain.rank(q, limit=None)
                assert given.rank(q, limit=None, by_source=True) == plain.rank(
                    q, limit=None, by_source=True
                )

    def test_statistics_count_live_passages_only(self, tmp_path):
        """After an update, the statistics are those of an index built
        afresh; the fast scorer scores with live passages only anyway."""
        corpus = tmp_path / "corpus"
        write_corpus(corpus, {
            f"d{n}.txt": f"Title {n}\n\nBaclofen dose {n % 3}. Hiccups {n}.\n" for n in range(9)
        })
        index_folder(corpus, tmp_path / "ix")
        (corpus / "d1.txt").write_text("Title 1\n\nNothing about the drug.\n")
        (corpus / "d2.txt").unlink()
        index_folder(corpus, tmp_path / "ix")
        index_folder(corpus, tmp_path / "fresh")
        updated, fresh = self.statistics(tmp_path / "ix"), self.statistics(tmp_path / "fresh")
        assert updated.collection == fresh.collection
        assert updated.collection.passages == 8
        for term in ("baclofen", "dose", "hiccup", "drug", "titl"):
            assert updated.term(term) == fresh.term(term), term
        assert updated.words() == fresh.words()
        queries = ("baclofen dose", "hiccups drug")
        with (
            open_index(tmp_path / "ix", stats=updated) as given,
            open_index(tmp_path / "ix") as own,
        ):
            for q in queries:
                assert given.rank(q, limit=None) == own.rank(q, limit=None)


def test_rows_kept_for_later_queries_stay_within_their_budget(seed_index, monkeypatch):
    """Past `ROW_CACHE_BYTES` the rows made longest ago are dropped (and
    made again when asked for): the same scores, in bounded memory."""
    with open_index(seed_index, synonyms=[]) as ix:
        reader = ix._searcher.reader()
        unbounded = bm25f.scorer_for(reader, ix.generation)
        monkeypatch.setattr(bm25f, "ROW_CACHE_BYTES", 200)
        bounded = bm25f.scorer_for(reader, ix.generation)
        for query in [*SEED_QUERIES, *SEED_QUERIES]:
            terms, _ = shapes.plain_query(ix.parse(query)[0])
            assert np.array_equal(bounded.scores(terms), unbounded.scores(terms)), query
            assert bounded._row_bytes <= 200 or len(bounded._rows) == 1
        assert len(bounded._rows) < len(unbounded._rows)
