"""The scores files (`indexer.storage.scores`): what each segment's file holds
is what Whoosh reads from the segment, and a search without them (or with a
damaged one) ranks the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer import index_folder, stored_passage
from indexer.storage.scores import SUFFIX, SegmentScores, scores_file
from search import Index
from search.retrieval import postings

from .conftest import SEEDS, reseal, write_corpus

QUERIES = ("baclofen", "dose3 taper1 withdrawal", "hiccups often", "muscle relaxant tapering")


def corpus(folder: Path) -> Path:
    files = {
        f"doc{n:03d}.txt": f"Title {n}\n\nBaclofen note {n} about dose{n % 7} and taper{n % 5}.\n\n"
        f"Second paragraph {n} mentions withdrawal and hiccups {'often' if n % 2 else 'rarely'}."
        "\n\nCall us today at 555-123-4567.\n"
        for n in range(40)
    }
    files.update({p.name: p.read_bytes() for p in SEEDS.iterdir() if p.is_file()})
    return write_corpus(folder, files)


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """An index built by three processes, then updated: several segments,
    some with deleted passages."""
    root = tmp_path_factory.mktemp("scores")
    folder = corpus(root / "corpus")
    index_folder(folder, root / "ix", processes=3)
    for n in range(0, 40, 6):
        (folder / f"doc{n:03d}.txt").write_text(f"Title {n}\n\nBaclofen dose{n % 4} rewritten.\n")
    (folder / "doc005.txt").unlink()
    report = index_folder(folder, root / "ix")
    assert report.updated and report.removed
    return root / "ix"


def test_each_segment_file_holds_what_whoosh_reads(updated):
    with Index(updated) as ix:
        reader = ix._searcher.reader()
        leaves = postings.leaf_readers(reader)
        assert len(leaves) > 1 and any(leaf.has_deletions() for leaf, _ in leaves)
        boilerplate = 0
        for leaf, _ in leaves:
            mapped = SegmentScores(scores_file(ix.generation, leaf.segment().segment_id()))
            whoosh = postings.WhooshScores(leaf)
            live = np.asarray([not leaf.is_deleted(d) for d in range(leaf.doc_count_all())])
            assert (mapped.docs, mapped.sources) == (whoosh.docs, whoosh.sources)
            assert mapped.boosts == whoosh.boosts
            for f in postings.FIELDS:
                assert np.array_equal(mapped.length[f], whoosh.length[f])
                assert np.array_equal(mapped.source_length[f], whoosh.source_length[f])
                for term in leaf.lexicon(f):
                    term = term.decode("utf-8")
                    ids, weights = mapped.postings(f, term)
                    kept = live[ids]  # (Whoosh's postings leave out deleted passages)
                    expected = whoosh.postings(f, term)
                    assert np.array_equal(ids[kept], expected[0]), term
                    assert np.array_equal(weights[kept], expected[1]), term
                assert mapped.postings(f, "notaword") is None
            assert np.array_equal(mapped.source, whoosh.source)
            assert np.array_equal(mapped.boilerplate[live[mapped.boilerplate]], whoosh.boilerplate)
            boilerplate += len(mapped.boilerplate)
            paths = {mapped.path(n) for n in range(mapped.sources)}
            assert paths == {
                stored_passage(leaf.stored_fields(d))["path"] for d in range(leaf.doc_count_all())
            }
        assert boilerplate  # ("Call us today" is boilerplate)


def test_the_generation_holds_one_scores_file_per_segment(updated):
    with Index(updated) as ix:
        leaves = postings.leaf_readers(ix._searcher.reader())
        segments = {leaf.segment().segment_id() for leaf, _ in leaves}
        files = {p.name for p in ix.generation.iterdir() if SUFFIX in p.name}
    assert files == {f"{segment}{SUFFIX}" for segment in segments}


def ranked(index_dir: Path):
    with Index(index_dir) as ix:
        return [
            (ix.rank(q, limit=None), ix.rank(q, limit=10, by_source=True), ix.search(q).to_dict())
            for q in QUERIES
        ]


def test_damaged_or_missing_scores_files_rank_the_same(updated, tmp_path):
    """A scores file that cannot be read (sealed so, as if written damaged)
    is left aside: the segment is scored from Whoosh's postings, with the
    same scores."""
    expected = ranked(updated)
    assert all(r[0] for r in expected)
    damaged = tmp_path / "ix"
    shutil.copytree(updated, damaged)
    generation = next(damaged.glob("gen-*"))
    files = sorted(generation.glob(f"*{SUFFIX}"))
    files[0].write_bytes(files[0].read_bytes()[:100])
    files[-1].unlink()
    reseal(damaged)
    assert ranked(damaged) == expected
