"""A sharded index searched as one index of the same documents would be
(Elasticsearch's `dfs_query_then_fetch`): every shard is opened with the
whole index's corpus statistics (`indexer`'s `Statistics`, named by the
manifest), so it gives each passage the score one index would; a query goes
to every shard, each returns its best passages with their scores, and the
best of those are merged here, ties in the order one index keeps them.

Shards are searched in this process, or through executors (a local pool,
a Dask cluster's): shard i on executor i mod their number, which keeps it
open between queries.  Two rounds where one index needs one:

- a synonym or joined spelling of several words (a phrase) has no entry in
  the statistics: the shards first count the passages and sources holding
  it, and every shard scores with the sums;
- feedback learns from the best passages of every shard: the shards send
  theirs, the query weights are learnt here, and the shards score with them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from indexer import (
    IndexCorrupt,
    Passage,
    ShardedStore,
    Source,
    SourceInfo,
    Statistics,
    TermStats,
    UnknownPassage,
    make_schema,
    open_statistics,
    shard_of,
    update_hint,
)

from .bm25f import DEFAULT_PARAMS, Params
from .engine import SCORERS, Index, _feedback, _Ran
from .feedback import Feedback, relevance_model
from .integrity import guarded
from .provenance import Provenance
from .query import Synonyms, make_parser, with_built_ins


@dataclass(frozen=True, slots=True)
class Shard:
    """What a task needs to open one shard as part of its sharded index."""

    number: int
    root: str
    generation: str
    statistics: str
    """The folder of the sharded index's statistics."""
    synonyms: tuple
    scorer: str = "fast"
    params: Params = DEFAULT_PARAMS
    index: str = ""
    """The sharded index (for messages)."""
    corpus: str | None = None


class _ShardStats:
    """The whole index's statistics, and the counts of the phrases its
    shards have summed so far (a phrase has no entry in the file)."""

    def __init__(self, statistics: Statistics):
        self.statistics = statistics
        self.collection = self.statistics.collection
        self.phrases: dict[str, TermStats] = {}

    def term(self, term: str) -> TermStats | None:
        if term in self.phrases:
            return self.phrases[term]
        return self.statistics.term(term)

    def words(self) -> dict[str, int]:
        return self.statistics.words()

    def field_terms(self, field: str) -> list[str]:
        return self.statistics.field_terms(field)

    def filter_has(self, field: str, term: str) -> bool:
        return self.statistics.filter_has(field, term)

    def filter_terms(self, field: str) -> list[str]:
        return self.statistics.filter_terms(field)

    def close(self) -> None:
        self.statistics.close()


class OpenShards:
    """Shards opened in one process, kept open between queries: the
    coordinator's own, or a worker's (`on_shard`)."""

    def __init__(self):
        self._open: dict[str, tuple[Shard, Index, _ShardStats, threading.Lock]] = {}
        self._lock = threading.Lock()

    def call(self, shard: Shard, method: str, args=(), kwargs=None, phrases=None):
        with self._lock:
            entry = self._open.get(shard.root)
            if entry is None or entry[0] != shard:
                if entry is not None:  # (another generation: the index was updated)
                    _close(entry)
                entry = self._open[shard.root] = _open(shard)
        _, index, stats, lock = entry
        with lock:
            for phrase, (passages, sources) in (phrases or {}).items():
                stats.phrases[phrase] = TermStats(0, 0, passages, sources)
            try:
                return getattr(index, method)(*args, **(kwargs or {}))
            except IndexCorrupt as exc:
                raise _damaged(shard, exc) from None

    def close(self) -> None:
        with self._lock:
            for entry in self._open.values():
                _close(entry)
            self._open.clear()


def _open(shard: Shard):
    hint = f"{update_hint(Path(shard.index), shard.corpus)} to rebuild it"
    stats = _ShardStats(open_statistics(Path(shard.index), shard.statistics, hint))
    try:
        index = Index(
            Path(shard.root), [list(g) for g in shard.synonyms], scorer=shard.scorer,
            params=shard.params, stats=stats, generation=shard.generation,
        )
    except IndexCorrupt as exc:
        stats.close()
        raise _damaged(shard, exc) from None
    except BaseException:
        stats.close()
        raise
    return shard, index, stats, threading.Lock()


def _close(entry) -> None:
    _, index, stats, _ = entry
    index.close()
    stats.close()


def _damaged(shard: Shard, exc: IndexCorrupt) -> IndexCorrupt:
    """A shard's error as one line naming the shard and the command that
    rebuilds it (an update of the sharded index rebuilds damaged shards)."""
    detail = str(exc).split("; run `", 1)[0]
    return IndexCorrupt(
        f"shard {shard.number} of the index at {shard.index} cannot be read ({detail}); "
        f"{update_hint(Path(shard.index), shard.corpus)} to rebuild it"
    )


_WORKER = OpenShards()


def on_shard(shard: Shard, method: str, args=(), kwargs=None, phrases=None):
    """In a task: call `method` of `shard` (opened once per process)."""
    return _WORKER.call(shard, method, args, kwargs, phrases)


class ShardedIndex(Index):
    """An open sharded index, searched as one index: the same methods as
    `Index`, the same results.  Use as a context manager, or call `close()`.

    Spelling suggestions, synonyms and the corpus counts `ask` and `audit`
    use come from the manifest's statistics, here; `search` and `rank` fan
    out to the shards; `passage`, `passages` and `source_text` go to the
    shard a path hashes to.
    """

    def __init__(
        self,
        index_dir: Path,
        synonyms: list[list[str]] | None = None,
        *,
        scorer: str = "fast",
        params: Params | None = None,
        executors: list[Executor] | None = None,
    ):
        """`executors`: where the shards are searched, shard i on executor
        i mod their number (a worker keeps its shards open); None: in this
        process."""
        if scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {', '.join(SCORERS)}, not {scorer!r}")
        self.scorer = scorer
        self.params = params or DEFAULT_PARAMS
        self.store = ShardedStore(Path(index_dir))
        self.manifest = self.store.manifest()
        self.meta = self.manifest.meta
        corpus = self.meta.get("corpus")
        hint = f"{update_hint(self.store.root, corpus)} to rebuild it"
        if not self.store.statistics(self.manifest).is_file():
            raise IndexCorrupt(
                f"the index at {self.store.root} has lost its statistics "
                f"({self.manifest.statistics}); {hint}"
            )
        self.stats = _ShardStats(self.store.open_statistics(self.manifest, hint))
        groups = synonyms if synonyms is not None else self.meta.get("synonyms", [])
        self.synonyms = Synonyms(with_built_ins(groups))
        self._parser = make_parser(make_schema())
        self._vocabulary = None
        groups = tuple(tuple(group) for group in self.synonyms.groups)
        self.shards = []
        for number, name in enumerate(self.manifest.generations):
            store = self.store.shard(number)
            if not (store.root / name).is_dir():
                raise IndexCorrupt(
                    f"shard {number} of the index at {self.store.root} is missing "
                    f"({store.root / name}); {update_hint(self.store.root, corpus)} to rebuild it"
                )
            self.shards.append(
                Shard(
                    number, str(store.root), name, self.manifest.statistics, groups, scorer,
                    self.params, str(self.store.root), corpus,
                )
            )
        self.executors = list(executors) if executors else None
        self._here = OpenShards() if self.executors is None else None
        if self._here is not None:
            try:
                for shard in self.shards:  # (opened now: a damaged shard is named at once)
                    self._here.call(shard, "passage_count")
            except BaseException:
                self.close()
                raise
        self._phrases: dict[str, tuple[int, int]] = {}

    def close(self) -> None:
        if self._here is not None:
            self._here.close()
        self.stats.close()

    def provenance(self) -> Provenance:
        """Where an output made now from this index comes from (the
        manifest's version stands for the generation)."""
        return Provenance.of(self.store.root, Path(self.manifest.name), self.meta)

    # --- fanning out ------------------------------------------------------

    def _fan(self, method: str, *args, shards=None, phrases=None, **kwargs) -> list:
        """`method(*args, **kwargs)` on each shard (all, or those numbered
        in `shards`), results in shard order."""
        chosen = self.shards if shards is None else [self.shards[n] for n in shards]
        if self._here is not None:
            return [self._here.call(s, method, args, kwargs, phrases) for s in chosen]
        futures = [
            self.executors[s.number % len(self.executors)].submit(
                on_shard, s, method, args, kwargs, phrases
            )
            for s in chosen
        ]
        return [future.result() for future in futures]

    def _phrase_stats(self, concepts) -> dict[str, tuple[int, int]]:
        """The summed counts of the phrases among `concepts`' forms, counted
        by the shards the first time (dfs)."""
        wanted = sorted(
            {t for c in concepts for terms, _ in c.others for t in terms if " " in t}
        )
        missing = [p for p in wanted if p not in self._phrases]
        if missing:
            for counts in self._fan("phrase_counts", missing):
                for phrase, (passages, sources) in counts.items():
                    before = self._phrases.get(phrase, (0, 0))
                    self._phrases[phrase] = (before[0] + passages, before[1] + sources)
            for phrase in missing:
                passages, sources = self._phrases.setdefault(phrase, (0, 0))
                self.stats.phrases[phrase] = TermStats(0, 0, passages, sources)
        return {p: self._phrases[p] for p in wanted}

    def _plan(self, text: str, kinds=(), feedback=False, fast: bool = False):
        """(whether the query can find anything, its plain words and
        concepts or None, phrase counts, the feedback each shard scores
        with).  A plain query is scored by the fast scorer if the index's is
        (or `fast`).  The query is compiled by shard 0 (filters are checked
        against the whole index's terms there), only when its plain words
        are needed (for feedback, for a synonym of several words): one round
        trip to the shards less for every other query."""
        wanted = _feedback(feedback)
        _, marked = self.synonyms.mark(text)
        phrased = any(
            " " in term for _, group in marked.values() for term in self.synonyms.groups[group]
        )
        if not (wanted is not None or phrased):
            return True, None, {}, None
        found, plain = self._fan("plan", text, tuple(kinds), shards=[0])[0]
        if not found or plain is None or not (fast or self.scorer == "fast"):
            return found, None, {}, None
        phrases = self._phrase_stats(plain[1])
        learnt = None
        if wanted is not None and wanted.applies(plain[0]):
            learnt = self._learn(text, plain[0], wanted, phrases)
        return found, plain, phrases, learnt

    def _learn(self, text: str, words: list[str], feedback: Feedback, phrases) -> Feedback | None:
        """Feedback from the best passages of every shard: the weights each
        shard then scores with (None: nothing to learn from)."""
        parts = self._fan("feedback_evidence", text, feedback, phrases=phrases)
        found = [e for part in parts for e in part]
        found.sort(key=lambda e: (-e[0], e[1]))  # (stable: a path's ties stay in shard order)
        typed = [t for t in words if self.stats.term(t) is not None]
        weights = relevance_model(
            typed, [(score, w, d) for score, _, w, d in found[: feedback.docs]], feedback
        )
        return dataclasses.replace(feedback, weights=weights) if weights is not None else None

    # --- search -----------------------------------------------------------

    def _run(
        self, text, limit, kinds, feedback=None, highlight=True, per_source=None,
        count_all_words=False,
    ) -> _Ran:
        found, _, phrases, learnt = self._plan(text, kinds, feedback or False)
        if not found:
            return _Ran([], 0)
        results = self._fan(
            "search", text, limit=limit, kinds=kinds, correct=False, feedback=learnt or False,
            highlight=highlight, per_source=per_source, count_all_words=count_all_words,
            phrases=phrases,
        )
        total = sum(result.total for result in results)
        notes = results[0].notes if results else ()  # (each shard's: the same words)
        all_words = None
        if count_all_words and all(r.total_all_words is not None for r in results):
            all_words = sum(result.total_all_words for result in results)
        if per_source is None:
            hits = _best([hit for result in results for hit in result.hits], limit)
            return _Ran(_ranked(hits), total, all_words, notes=notes)
        # Each shard's best sources, each with its best passages; a source is
        # in one shard.  The passages shown are numbered 1, 2, 3... here,
        # where one index numbers them by their place among all matches.
        groups = [group for result in results for group in result.groups]
        groups.sort(key=lambda g: (-g.hits[0].score, g.source.path))
        groups = groups[:limit] if limit is not None else groups
        shown = _best([hit for group in groups for hit in group.hits], None)
        ranked = {id(hit): n for n, hit in enumerate(shown, 1)}
        hits, kept = [], []
        for group in groups:
            renumbered = [h.at_rank(ranked[id(h)]) for h in group.hits]
            kept.append((group.total, renumbered))
            hits += renumbered
        hits.sort(key=lambda h: h.rank)
        sources = sum(r.total_sources or 0 for r in results)
        return _Ran(hits, total, all_words, kept, sources, notes)

    def rank(self, query, *, limit=10, by_source=False, feedback=False):
        found, plain, phrases, learnt = self._plan(query, (), feedback, fast=True)
        if not found:
            return []
        results = self._fan(
            "rank", query, limit=limit, by_source=by_source, feedback=learnt or False,
            phrases=phrases,
        )
        ranked = [item for result in results for item in result]
        ranked.sort(key=lambda item: (-item[1], item[0].rsplit("#", 1)[0]))
        return ranked[:limit] if limit is not None else ranked

    # --- corpus statistics ------------------------------------------------

    def passage_count(self) -> int:
        return self.stats.collection.passages or 1

    def passages_holding(self, stem: str) -> int:
        known = self.stats.term(stem)
        return known.body if known is not None else 0

    # --- passages and sources ---------------------------------------------

    def _of(self, path: str) -> int:
        return shard_of(path, len(self.shards))

    @guarded
    def passage(self, passage_id: str) -> tuple[Passage, SourceInfo]:
        path = passage_id.rsplit("#", 1)[0]
        first = self._of(path)
        try:
            return self._fan("passage", passage_id, shards=[first])[0]
        except UnknownPassage as exc:
            if type(exc) is not UnknownPassage:
                raise  # (changed or gone: its shard knows)
            unknown = exc
        # An id of an older groundsearch does not start with its path: ask the others.
        for number in range(len(self.shards)):
            if number != first:
                try:
                    return self._fan("passage", passage_id, shards=[number])[0]
                except UnknownPassage as exc:
                    if type(exc) is not UnknownPassage:
                        raise
        raise unknown

    @guarded
    def passages(self, path: str) -> list[Passage]:
        return self._fan("passages", path, shards=[self._of(path)])[0]

    @guarded
    def source_text(self, path: str) -> str:
        return self._fan("source_text", path, shards=[self._of(path)])[0]

    @guarded
    def sources(self) -> list[Source]:
        found = [source for part in self._fan("sources") for source in part]
        return sorted(found, key=lambda source: source.info.path)

    # --- what only one index has --------------------------------------------

    def phrase_counts(self, phrases):
        raise NotImplementedError("a sharded index is not a shard")

    def feedback_evidence(self, query, feedback):
        raise NotImplementedError("a sharded index is not a shard")


def load_index(
    index_dir: Path,
    synonyms: list[list[str]] | None = None,
    *,
    executors: list[Executor] | None = None,
    **options,
) -> Index:
    """The index at `index_dir` opened for searching: an `Index`, or a
    `ShardedIndex` if it is sharded (its shards searched through
    `executors`, or in this process).  `options` as `Index` takes them."""
    if ShardedStore(Path(index_dir)).exists():
        return ShardedIndex(index_dir, synonyms, executors=executors, **options)
    return Index(index_dir, synonyms, **options)


@contextlib.contextmanager
def open_index(index_dir: Path, synonyms: list[list[str]] | None = None, **options):
    """Open the index at `index_dir` for searching, sharded or not
    (`options` as `load_index` takes them)."""
    index = load_index(index_dir, synonyms, **options)
    try:
        yield index
    finally:
        index.close()


def _best(hits: list, limit: int | None) -> list:
    """The `limit` best of hits from several shards: best first, equal
    scores in path order, a document's passages in the order its shard
    keeps them (as one index built afresh does)."""
    hits = sorted(hits, key=lambda h: (-h.score, h.passage.path))
    return hits[:limit] if limit is not None else hits


def _ranked(hits: list) -> list:
    return [hit.at_rank(n) for n, hit in enumerate(hits, 1)]
