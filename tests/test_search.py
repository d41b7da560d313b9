"""Ranking, query syntax, synonyms and spelling, on the seeds and on tiny corpora."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from indexer import index_folder
from indexer.errors import QueryError
from search import Index
from search.claims.audit import audit
from search.retrieval.spelling import Vocabulary

from .conftest import write_corpus


def top(ix, query, n=3, **kwargs):
    return [h.passage for h in ix.search(query, limit=n, **kwargs).hits]


class TestSeedRanking:
    def test_dea_query_puts_the_dea_sentence_first(self, seeds):
        first = top(seeds, "DEA controlled substance schedule")[0]
        assert "the DEA does not consider baclofen" in first.text

    @pytest.mark.parametrize(
        "query, needle",
        [
            ("chronic hiccups", "stopping chronic hiccuping"),
            ("brand names", "brand names like Lioresal and Gablofen"),
            ("signs of overdose", "Pinpoint pupils"),
            ("what was baclofen originally created for", "initially created to ease the symptoms"),
            ("Is baclofen a controlled substance?", "not on the list of controlled substances"),
            # "dosage" for "dose": the embedded corpus's synonyms map
            ("What dose of baclofen should I start with?", "start at the lowest dosage"),
        ],
    )
    def test_natural_searches_find_the_answer_in_the_top_three(self, seeds, query, needle):
        assert any(needle in p.text for p in top(seeds, query)), [p.text[:60] for p in top(seeds, query)]

    def test_a_trailing_question_mark_is_not_a_wildcard(self, seeds):
        with_mark = [p.passage_id for p in top(seeds, "Is baclofen a controlled substance?", 10)]
        without = [p.passage_id for p in top(seeds, "Is baclofen a controlled substance", 10)]
        assert with_mark == without

    def test_stemming_matches_other_forms(self, seeds):
        assert any("hiccuping" in p.text for p in top(seeds, "hiccups"))

    def test_boilerplate_ranks_below_content(self, seeds):
        kinds = [p.kind for p in top(seeds, "treatment help", 20)]
        assert kinds.index("content") < kinds.index("boilerplate")

    def test_hits_carry_their_source(self, seeds):
        hit = seeds.search("Lioresal Gablofen").hits[0]
        assert hit.source.title == "What you need to know about Baclofen"
        assert hit.source.publisher == "Transformations Treatment Center"
        assert hit.passage.path == "003_1957af6f8275ef46.txt"


class TestSyntax:
    def test_phrase(self, seeds):
        passages = top(seeds, '"abuse potential"', 10)
        assert passages and all("abuse potential" in p.text.lower() for p in passages)

    def test_kind_and_source_filters_are_required(self, seeds):
        comments = top(seeds, "kind:comment tapering", 10)
        assert comments and all(p.kind == "comment" for p in comments)
        only = top(seeds, "source:002_229e0e8f8ee221a5 withdrawal", 10)
        assert only and all(p.path == "002_229e0e8f8ee221a5.txt" for p in only)

    def test_kinds_argument_filters(self, seeds):
        assert {p.kind for p in top(seeds, "baclofen", 50, kinds=("comment",))} == {"comment"}

    def test_not(self, seeds):
        passages = top(seeds, "withdrawal NOT alcohol", 50)
        assert passages and all("alcohol" not in p.text.lower() for p in passages)
        assert len(passages) < seeds.search("withdrawal", limit=None).total

    def test_fuzzy_term(self, seeds):
        assert any("hiccuping" in p.text for p in top(seeds, "hicuping~2"))

    def test_author_filter(self, seeds):
        passages = top(seeds, "author:jeanne", 10)
        assert passages and all(p.author == "Jeanne" for p in passages)

    def test_a_quoted_author_name_finds_that_poster(self, tmp_path):
        # The author field keeps no word positions: a quoted name used to be
        # refused as a phrase search ("cannot run the query").
        page = (
            "Gabapentin forum\n\nIt made me dizzy.\nPosted by: Steve Ramirez 06/09/2021\n\n"
            "It helped me sleep.\nPosted by: Steve Smith 06/10/2021\n\n"
            "Dizzy at first.\nPosted by: Ann Ramirez 06/11/2021\n"
        )
        index_folder(write_corpus(tmp_path / "c", {"forum.txt": page}), tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            hits = ix.search('author:"Steve Ramirez"').hits
            assert [h.passage.author for h in hits] == ["Steve Ramirez"]
            hits = ix.search('dizzy author:"steve ramirez"').hits
            assert [h.passage.text for h in hits] == ["It made me dizzy."]

    def test_highlights_mark_the_matched_words(self, seeds):
        hit = seeds.search("chronic hiccups").hits[0]
        assert "**chronic** **hiccuping**" in hit.highlights
        assert [hit.passage.text[a:b] for a, b in hit.matches] == ["chronic", "hiccuping"]

    @pytest.mark.parametrize("query", ["", "   ", "the what is", "?", "*"])
    def test_queries_without_words_find_nothing(self, seeds, query):
        assert seeds.search(query).total == 0

    def test_overlong_query_is_a_query_error(self, seeds):
        with pytest.raises(QueryError, match="limit"):
            seeds.search("baclofen " * 1000)

    def test_unknown_kind_is_a_query_error(self, seeds):
        with pytest.raises(QueryError, match="unknown kind"):
            seeds.search("baclofen", kinds=("rumour",))


def with_synonyms(tmp_path, docs: dict[str, str], group: list[str]):
    """The folder of an index of `docs` whose synonym map is one `group`."""
    groups = ", ".join(f'"{word}"' for word in group)
    corpus = write_corpus(tmp_path / "c", {**docs, "synonyms.toml": f"groups = [[{groups}]]\n"})
    index_folder(corpus, tmp_path / "ix")
    return tmp_path / "ix"


class TestSynonyms:
    def test_brand_name_finds_the_generic(self, tmp_path):
        docs = {"a.txt": "Baclofen relieves spasticity.", "b.txt": "Spasticity has many causes."}
        folder = with_synonyms(tmp_path, docs, ["baclofen", "Lioresal"])
        with Index(folder) as ix:
            assert [p.path for p in top(ix, "Lioresal")] == ["a.txt"]
        with Index(folder, synonyms=[]) as ix:
            assert top(ix, "Lioresal", correct=False) == []

    def test_a_passage_naming_every_synonym_does_not_outrank_the_exact_word(self, tmp_path):
        docs = {
            "exact.txt": "Lioresal was prescribed.",
            "all.txt": "Baclofen, also sold as Gablofen and Ozobax, was prescribed.",
        }
        folder = with_synonyms(tmp_path, docs, ["baclofen", "Lioresal", "Gablofen", "Ozobax"])
        with Index(folder) as ix:
            assert [p.path for p in top(ix, "Lioresal")] == ["exact.txt", "all.txt"]

    def test_a_rarer_synonym_does_not_outweigh_the_word_typed(self, tmp_path):
        # "Lioresal" is rarer than "baclofen" here, so on its own idf it would
        # outscore the word the user typed; it counts at most as much as that.
        docs = {f"other{n}.txt": f"Baclofen note {n} about dosing." for n in range(6)}
        docs["generic.txt"] = "Baclofen eases spasticity."
        docs["brand.txt"] = "Lioresal eases spasticity."
        with Index(with_synonyms(tmp_path, docs, ["baclofen", "Lioresal"])) as ix:
            order = [p.path for p in top(ix, "baclofen spasticity", n=2)]
            assert order == ["generic.txt", "brand.txt"]
            order = [p.path for p in top(ix, "Lioresal spasticity", n=2)]
            assert order == ["brand.txt", "generic.txt"]
            assert [path for path, _ in ix.rank("Lioresal", limit=1, by_source=True)] == [
                "brand.txt"
            ]

    def test_synonyms_rank_as_plain_words_and_find_the_same_passages(self, seeds, seed_index):
        queries = (
            "baclofen withdrawal", "Lioresal dose", "overdose symptoms", "Gablofen",
            "DEA abuse potential", "Drug Enforcement Administration", "muscle relaxer",
        )

        def found(ix):
            hits = {q: ix.search(q, limit=None).hits for q in queries}
            return {q: {h.passage.passage_id for h in found} for q, found in hits.items()}

        assert all(seeds.rank(q, limit=1) for q in queries)  # the plain-word scorer takes them
        fast = found(seeds)
        with Index(seed_index, scorer="whoosh") as ix:  # every query through Whoosh
            whoosh = found(ix)
        assert fast == whoosh and all(fast.values())

    def test_multiword_synonyms(self, seeds):
        passages = top(seeds, "Drug Enforcement Administration")
        assert any("the DEA does not consider" in p.text for p in passages)


class TestSpelling:
    def test_misspelt_query_runs_corrected(self, seeds):
        result = seeds.search("withdrawl symptons")
        assert result.corrected_query == "withdrawal symptoms"
        assert result.suggestions == {"withdrawl": "withdrawal", "symptons": "symptoms"}
        assert "withdrawal" in result.hits[0].passage.text.lower()

    def test_correct_query_is_left_alone(self, seeds):
        result = seeds.search("withdrawal symptoms")
        assert result.corrected_query is None and result.suggestions == {}

    def test_synonyms_are_not_corrected(self, seeds):
        assert seeds.search("Ozobax").corrected_query is None

    @pytest.mark.parametrize("query", ["thier doctors", "whcih dose"])
    def test_a_word_is_never_corrected_to_a_stop_word(self, seeds, query):
        # "their" and "which" would drop out of the search.
        assert seeds.search(query).suggestions == {}

    @pytest.mark.parametrize(
        "typed, suggested",
        [("falls", None), ("gain", None), ("dry", None), ("ofen", "often"), ("tapr", "taper"),
         ("withdrawl", "withdrawal")],
    )
    def test_real_words_are_not_turned_into_others(self, typed, suggested):
        known = ("calls", "again", "day", "often", "taper", "withdrawal")
        words = Vocabulary({w: 1 for w in known})
        assert words.suggest(typed) == suggested

    def test_a_compound_of_a_known_word_is_no_misspelling(self):
        # "wildfire" two letters from "wildlife": a compound on "fire", not a slip;
        # a word two slips from a known one is still corrected.
        words = Vocabulary({w: 1 for w in ("wildlife", "fire", "hydroxychloroquine")})
        assert words.suggest("wildfire") is None
        assert words.suggest("hydroxychloriquin") == "hydroxychloroquine"

    def test_a_topic_of_a_real_word_is_audited_as_typed(self, seeds):
        # "falls" was audited as "calls": an agreement on "is called tapering".
        report = audit(seeds, "Can baclofen cause falls?")
        assert report.corrected_topic is None and report.agreements == ()

    def test_no_correction_when_disabled(self, seeds):
        result = seeds.search("withdrawl", correct=False)
        assert result.corrected_query is None and result.total == 0


class TestPassagesAndSources:
    def test_passage_by_id_is_verbatim_in_its_source(self, seeds):
        passage, source = seeds.passage("001_a426a29352d06d7c.txt#6d9d56826f")
        assert seeds.source_text(passage.path)[passage.start : passage.end] == passage.text
        assert source.path == "001_a426a29352d06d7c.txt"

    def test_every_indexed_passage_is_verbatim(self, seeds):
        for source in seeds.sources():
            for passage in seeds.passages(source.info.path):
                assert source.text[passage.start : passage.end] == passage.text

    def test_sources_list_counts_kinds(self, seeds):
        listed = {s.info.path: s for s in seeds.sources()}
        assert len(listed) == 5
        forum = listed["004_f2d979fd49bf137b.txt"]
        assert forum.kinds["comment"] >= 3 and forum.kinds["boilerplate"] >= 5
        assert sum(forum.kinds.values()) == forum.passages


class TestCounts:
    @pytest.mark.parametrize("query", ["baclofen may NOT zzz", "baclofen kind:content"])
    def test_a_structured_query_counts_every_match_not_only_the_top_ones(self, seeds, query):
        # Whoosh's top-N collector stops following a word that can no longer
        # lift a passage into the top N, and counted only the passages it
        # still visited (45 of 90 for the first query).
        top3, every = seeds.search(query, limit=3), seeds.search(query, limit=None)
        assert top3.total == every.total == len(every.hits)
        assert [h.passage for h in top3.hits] == [h.passage for h in every.hits[:3]]


def test_not_excludes_the_first_passage_too(tmp_path):
    """Whoosh's AND NOT matcher let through the first passage holding the
    wanted word when an earlier passage held the excluded one."""
    corpus = write_corpus(tmp_path / "corpus", {
        "a.txt": "A\n\nAlcohol only here.\n",
        "b.txt": "B\n\nWithdrawal and alcohol together.\n",
        "c.txt": "C\n\nWithdrawal alone.\n",
    })
    index_folder(corpus, tmp_path / "ix")
    with Index(tmp_path / "ix") as ix:
        for query in ("withdrawal NOT alcohol", "withdrawal ANDNOT alcohol"):
            assert [h.passage.path for h in ix.search(query).hits] == ["c.txt"], query


class TestHighlightsWhenRead:
    """A hit's `matches` are found when first read (most callers show few
    of the hits they ask for); they must be what a search finds eagerly."""

    CORPUS = {
        "a.txt": "Hiccups\n\nChronic hiccuping stopped. The hiccups came back after baclofen.\n",
        "b.txt": "Dosing\n\nBaclofen dosing for spasticity: abuse potential is low.\n",
    }

    def words(self, hit):
        return [hit.passage.text[a:b] for a, b in hit.matches]

    def test_highlights_read_after_the_index_is_closed(self, tmp_path):
        """Stems, a phrase and a prefix are all highlighted with the index shut."""
        index_folder(write_corpus(tmp_path / "c", self.CORPUS), tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            stems = ix.search("hiccup", limit=None).hits
            phrase = ix.search('"abuse potential"').hits
            prefix = ix.search("spastic*").hits
        assert [self.words(h) for h in stems] == [["hiccuping", "hiccups"]]
        assert stems[0].highlights.startswith("Chronic **hiccuping** stopped. The **hiccups**")
        assert [self.words(h) for h in phrase] == [["abuse", "potential"]]
        assert [self.words(h) for h in prefix] == [["spasticity"]]

    def test_grouped_hits_highlight_as_ungrouped_ones(self, tmp_path):
        """`per_source` hits, and their groups, carry the same highlights."""
        index_folder(write_corpus(tmp_path / "c", self.CORPUS), tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            plain = ix.search("baclofen hiccups", limit=None)
            grouped = ix.search("baclofen hiccups", limit=None, per_source=1)
        by_id = {h.passage.passage_id: h for h in plain.hits}
        for group in grouped.groups:
            for hit in group.hits:
                assert hit.matches == by_id[hit.passage.passage_id].matches
                assert hit.highlights == by_id[hit.passage.passage_id].highlights
                assert hit.to_dict() == by_id[hit.passage.passage_id].to_dict()
        assert grouped.hits == tuple(h for g in grouped.groups for h in g.hits)

    def test_a_hit_copied_or_pickled_keeps_its_highlights(self, tmp_path):
        """`dataclasses.replace`, `pickle` and `==` see the offsets, not how
        they are found."""
        index_folder(write_corpus(tmp_path / "c", self.CORPUS), tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            hit = ix.search("hiccups").hits[0]
            again = ix.search("hiccups").hits[0]
        assert hit == again
        copied = dataclasses.replace(hit, rank=7)
        assert (copied.rank, copied.matches) == (7, hit.matches)
        assert pickle.loads(pickle.dumps(hit)) == hit
        assert isinstance(hit.matches, tuple) and hit.matches is hit.matches

    def test_a_hit_at_another_rank_highlights_as_before(self, tmp_path):
        """`at_rank` (how a sharded search numbers its shards' hits) keeps
        the passage, score and highlights, whether or not they were read."""
        index_folder(write_corpus(tmp_path / "c", self.CORPUS), tmp_path / "ix")
        with Index(tmp_path / "ix") as ix:
            unread = ix.search("hiccups").hits[0].at_rank(3)
            read = ix.search("hiccups").hits[0]
        assert read.matches and read.at_rank(3).matches == read.matches
        assert (unread.rank, unread.score, unread.passage) == (3, read.score, read.passage)
        assert unread.highlights == read.highlights
