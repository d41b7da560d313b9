"""The index writer (`indexer.storage.writer`) writes the segments Whoosh's own
`SegmentWriter` writes: Whoosh reads the same terms, postings, posting
blocks, stored fields and columns from both.  (The bytes differ: the writer
pickles and compresses posting blocks more cheaply, see `_write_term`.)"""

from __future__ import annotations

import concurrent.futures
import os

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.fields import KEYWORD, UnknownFieldError
from whoosh.query import Term
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from indexer import forks
from indexer.errors import IndexingFailed
from indexer.storage import writer as writer_module
from indexer.storage.schema import (
    TERM_COUNT,
    make_schema,
    pack_place,
    source_tokens,
    stem,
    stored_passage,
    term_count,
    title_text,
)
from indexer.storage.writer import commit, open_writer

from .conftest import SEEDS


def passages() -> list[dict]:
    """Passage documents cut from the seed pages, shaped as the indexer
    shapes them, with repeated authors and titles, and one word in more
    passages than fit in one posting block (128)."""
    documents = []
    for number, path in enumerate(sorted(SEEDS.iterdir())):
        if path.suffix not in (".txt", ".md", ".html"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        tokens = source_tokens(path.name, f"Publisher {number}", None)
        for n, start in enumerate(range(0, len(text), 300)):
            body = text[start : start + 300]
            section = f"Section {n // 5}" if n % 3 else None
            title = title_text(f"Title of {path.stem}", section)
            kind = "comment" if n % 7 == 0 else "content"
            author = "Jeanne" if n % 7 == 0 else None
            date = "2019-05-12" if n % 11 == 0 else None
            start_line = 1 + text.count("\n", 0, start)
            fields = {
                "path": path.name,
                "source": tokens,
                "kind": kind,
                "author": author,
                "date": date,
                "title": title,
                "body": body,
                "passage_number": n,
                "title_terms": term_count(title),
                "body_terms": term_count(body),
                "place": pack_place(
                    f"{path.name}#{n}", kind, author, date, section, start,
                    start + len(body), start_line, [(start, start + len(body))],
                ),
            }
            documents.append({k: v for k, v in fields.items() if v is not None})
    return documents


def segment_files(ix) -> dict[str, bytes]:
    """Every file of `ix`'s one segment, named without the segment's id."""
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage)
    own_id = segment.segment_id()
    return {name.replace(own_id, ""): storage.open_file(name).read() for name in storage.list()}


def contents(ix) -> dict:
    """What Whoosh reads from `ix`'s one segment: for every term its row in
    the terms table, each posting block's figures and every posting; every
    document's stored fields, columns and field lengths; the segment's files."""
    (segment,) = ix._segments()
    found = {"files": sorted(segment_files(ix))}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            row = (
                info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                info.max_weight(), info.min_id(), info.max_id(),
            )
            found[fieldname, term] = (row, _blocks(reader.postings(fieldname, term)))
        n = reader.doc_count_all()
        found["stored"] = [reader.stored_fields(d) for d in range(n)]
        for name in ("title_terms", "body_terms", "passage_number"):
            if reader.has_column(name):
                found[name] = list(reader.column_reader(name))
        for name in ("title", "body", "author"):
            found[f"{name} lengths"] = [reader.doc_field_length(d, name) for d in range(n)]
            found[f"{name} total"] = reader.field_length(name)
    return found


def _blocks(matcher) -> list:
    """A term's posting blocks: each one's figures and its postings.  Postings
    inlined in the terms table (a `ListMatcher`) read as one block."""
    blocks = []
    while matcher.is_active():
        inlined = not hasattr(matcher, "_blocklength")
        size = len(matcher._ids) if inlined else matcher._blocklength
        last = matcher._ids[-1] if inlined else matcher.block_max_id()
        figures = (
            size, last, matcher.block_max_weight(),
            matcher.block_min_length(), matcher.block_max_length(),
        )
        postings = []
        for _ in range(size):
            postings.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        blocks.append((figures, postings))
    return blocks


def empty_index(folder):
    """A new index of groundsearch's schema in the new folder `folder`."""
    folder.mkdir()
    return whoosh_index.create_in(folder, make_schema())


def build(folder, writer_of, documents, *, batches: int = 1, merge: bool = False):
    """An index of `documents` added in `batches` commits (so in as many
    segments), merged into one by a last commit when `merge`."""
    ix = empty_index(folder)
    size = -(-len(documents) // batches)
    for start in range(0, len(documents), size):
        writer = writer_of(ix)
        for fields in documents[start : start + size]:
            writer.add_document(**fields)
        writer.commit(merge=False)
    if merge:
        writer_of(ix).commit(optimize=True)
    return whoosh_index.open_dir(folder)


@pytest.mark.parametrize(
    "limitmb, open_runs",
    [(128, 64), (0.25, 64), (0.25, 2)],
    ids=["in memory", "pooled on disk", "runs merged in steps"],
)
def test_a_segment_reads_as_the_one_whoosh_writes(
    tmp_path, monkeypatch, limitmb, open_runs
):
    monkeypatch.setattr(writer_module, "_OPEN_RUNS", open_runs)
    saved = []
    monkeypatch.setattr(writer_module._TermPool, "_new_run", _counted(saved))
    documents = [  # (each copy its own passages)
        {**fields, "place": (f"{fields['place'][0]}/{n}", *fields["place"][1:])}
        for n, fields in enumerate(passages() * 6)
    ]
    assert sum("baclofen" in d["body"].lower() for d in documents) > 128

    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=limitmb), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=limitmb), documents)

    expected = contents(theirs)
    assert {".pst", ".trm", "._stored.col", "._body_len.col"} <= set(expected["files"])
    assert contents(ours) == expected
    assert len(segment_files(ours)[".pst"]) < len(segment_files(theirs)[".pst"])
    if limitmb < 1:  # several runs: more than "runs merged in steps" reads at once
        assert len(saved) >= 3


def _documents() -> list[dict]:
    return [
        {**fields, "passage_number": n % 5 + 1,
         "place": (f"{fields['place'][0]}/{n}", *fields["place"][1:])}
        for n, fields in enumerate(passages() * 3)
    ]


@pytest.mark.parametrize(
    "limitmb, open_runs, helpers",
    [(0.25, 64, 1), (0.25, 2, 2), (128, 64, 1)],
    ids=["pooled on disk", "runs merged in steps, two helpers", "in memory"],
)
def test_terms_shared_with_helpers_make_the_same_segment(
    tmp_path, monkeypatch, limitmb, open_runs, helpers
):
    """Helpers writing ranges of the terms' postings (`write_range`), read
    from the pool's runs on disk, beside the writer make the segment it
    makes alone, byte for byte, and the same scores file.  A pool held in
    memory is not theirs to write (it is a forked copy's: next test)."""
    monkeypatch.setattr(writer_module, "_OPEN_RUNS", open_runs)
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    ranges = []
    write_range = writer_module.write_range
    monkeypatch.setattr(
        writer_module, "write_range", lambda task: ranges.append(task) or write_range(task)
    )
    documents = _documents()
    alone = build(tmp_path / "alone", lambda ix: open_writer(ix, limitmb=limitmb), documents)
    with concurrent.futures.ThreadPoolExecutor(helpers) as executor:

        def shared_writer(ix):
            writer = open_writer(ix, limitmb=limitmb)
            writer.helpers = (executor, helpers)
            return writer

        shared = build(tmp_path / "shared", shared_writer, documents)
    assert len(ranges) == (helpers if limitmb < 1 else 0)
    assert segment_files(shared) == segment_files(alone)
    (scores,) = (tmp_path / "alone").glob("*.scores")
    assert [p.read_bytes() for p in (tmp_path / "shared").glob("*.scores")] == [scores.read_bytes()]
    assert list((tmp_path / "shared").glob("*.tmp")) == []


@pytest.mark.parametrize("share", [0.01, 0.5, 0.99])
def test_terms_shared_with_a_forked_copy_make_the_same_segment(tmp_path, monkeypatch, share):
    """A pool held in memory, its last terms written by a forked copy of
    the process (`share` of the work, whichever field and term that ends
    in): the segment and the scores file of the writer alone."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    monkeypatch.setattr(writer_module, "_FORKED_SHARE", share)
    monkeypatch.setattr(forks, "START_METHOD", "fork")
    forked = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or fork())
    documents = _documents()
    alone = build(tmp_path / "alone", lambda ix: open_writer(ix, limitmb=128), documents)
    assert forked == []

    def forking_writer(ix):
        writer = open_writer(ix, limitmb=128)
        writer.fork_ranges = True
        return writer

    shared = build(tmp_path / "shared", forking_writer, documents)
    assert forked == [1]
    assert segment_files(shared) == segment_files(alone)
    (scores,) = (tmp_path / "alone").glob("*.scores")
    assert [p.read_bytes() for p in (tmp_path / "shared").glob("*.scores")] == [scores.read_bytes()]
    assert list((tmp_path / "shared").glob("*.tmp")) == []


def test_a_writer_that_cannot_fork_writes_every_term(tmp_path, monkeypatch):
    """No process to spare (`fork` fails): the writer writes the segment alone."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    monkeypatch.setattr(forks, "START_METHOD", "fork")
    documents = _documents()
    alone = build(tmp_path / "alone", lambda ix: open_writer(ix, limitmb=128), documents)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)

    def forking_writer(ix):
        writer = open_writer(ix, limitmb=128)
        writer.fork_ranges = True
        return writer

    assert segment_files(build(tmp_path / "shared", forking_writer, documents)) == (
        segment_files(alone)
    )


def test_an_interrupted_commit_ends_its_forked_copy(tmp_path, monkeypatch):
    """Ctrl-C while the writer waits for its forked copy: the copy is ended
    and waited for, not left behind."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    monkeypatch.setattr(forks, "START_METHOD", "fork")
    waitpid, waited = os.waitpid, []

    def interrupted(pid, options):
        waited.append(pid)
        if len(waited) == 1:
            raise KeyboardInterrupt
        return waitpid(pid, options)

    monkeypatch.setattr(os, "waitpid", interrupted)
    folder = tmp_path / "ix"
    writer = open_writer(empty_index(folder), limitmb=128)
    writer.fork_ranges = True
    for fields in _documents():
        writer.add_document(**fields)
    with pytest.raises(KeyboardInterrupt):
        writer.commit()
    writer.cancel()
    assert len(waited) == 2 and waited[0] == waited[1]
    with pytest.raises(ChildProcessError):  # (ended and reaped)
        waitpid(waited[0], os.WNOHANG)


def test_a_failing_forked_copy_fails_the_commit(tmp_path, monkeypatch):
    """The copy's error reaches the writer as one line; nothing is written."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    monkeypatch.setattr(forks, "START_METHOD", "fork")
    parent = os.getpid()
    write = writer_module._write_sorted_range

    def failing(chunks, lengths, task):
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")
        return write(chunks, lengths, task)

    monkeypatch.setattr(writer_module, "_write_sorted_range", failing)
    folder = tmp_path / "ix"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=128)
    writer.fork_ranges = True
    for fields in _documents():
        writer.add_document(**fields)
    with pytest.raises(IndexingFailed, match="No space left on device") as failed:
        writer.commit()
    assert "\n" not in str(failed.value)
    writer.cancel()  # (as the indexer does)
    assert whoosh_index.open_dir(folder).doc_count() == 0


def test_segments_merged_and_shared_with_a_helper_make_the_same_segment(tmp_path, monkeypatch):
    """An update's commit (segments merged in, their postings pooled and
    saved to disk) shared with a helper: the bytes of the writer alone."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    ranges = []
    write_range = writer_module.write_range
    monkeypatch.setattr(
        writer_module, "write_range", lambda task: ranges.append(task) or write_range(task)
    )
    documents = passages()
    alone = build(
        tmp_path / "alone", lambda ix: open_writer(ix, limitmb=0.25), documents,
        batches=3, merge=True,
    )
    with concurrent.futures.ThreadPoolExecutor(1) as executor:

        def shared_writer(ix):
            writer = open_writer(ix, limitmb=0.25)
            writer.helpers = (executor, 1)
            return writer

        shared = build(tmp_path / "shared", shared_writer, documents, batches=3, merge=True)
    assert len(ranges) == 1  # (the merge: the batches' pools stayed in memory)
    assert segment_files(shared) == segment_files(alone)
    assert contents(shared) == contents(alone)


def test_sorted_postings_written_at_once_are_the_bytes_written_a_term_at_a_time(
    tmp_path, monkeypatch
):
    """A pool held in memory, its postings written from whole arrays
    (`_write_sorted`), and the same pool written a term at a time
    (`_write_term`, as a pool saved to disk is): the same segment, byte for
    byte, and the same scores file.  With weights that are not whole
    numbers (document boosts), equal within a block or not, a field whose
    values have a fixed size (a keyword field's frequencies), terms inlined
    in the terms table and terms in several blocks."""
    schema = make_schema()
    schema.add("tags", KEYWORD(scorable=True))
    documents = []
    for n, fields in enumerate(passages() * 6):
        tags = " ".join(["dose"] * (1 + n % 3) + [f"tag{n % 7}", f"rare{n}"])
        documents.append({
            **fields, "tags": tags, "place": (f"{fields['place'][0]}/{n}", *fields["place"][1:]),
            **({"_boost": (0.3, 1.7, 2.0)[n % 3]} if n % 4 else {}),
        })

    def built(folder):
        folder.mkdir()
        ix = whoosh_index.create_in(folder, schema)
        writer = open_writer(ix, limitmb=128)
        for fields in documents:
            writer.add_document(**fields)
        writer.commit(merge=False)
        return whoosh_index.open_dir(folder, schema=schema)

    sorted_terms = []
    write_sorted = writer_module._write_sorted
    monkeypatch.setattr(
        writer_module, "_write_sorted",
        lambda postfile, terms, *args: sorted_terms.append(terms) or write_sorted(
            postfile, terms, *args
        ),
    )
    at_once = built(tmp_path / "at once")
    assert {terms.fieldname for terms in sorted_terms} >= {"body", "title", "tags", "path"}
    monkeypatch.setattr(writer_module._TermPool, "to_write", writer_module._TermPool.by_term)
    by_term = built(tmp_path / "by term")

    assert segment_files(at_once) == segment_files(by_term)
    (scores,) = (tmp_path / "by term").glob("*.scores")
    assert [p.read_bytes() for p in (tmp_path / "at once").glob("*.scores")] == [
        scores.read_bytes()
    ]
    with at_once.reader() as reader:
        assert reader.doc_frequency("tags", b"dose") == len(documents) > 3 * 128
        matcher, weights = reader.postings("body", stem("baclofen")), []
        while matcher.is_active():
            weights.append(matcher.weight())
            matcher.next()
        assert len(weights) > 128 and any(weight != int(weight) for weight in weights)


def test_sums_are_added_in_order():
    """A block's weights are summed one after another from 0.0, as a term
    at a time sums them, also where another order would round otherwise."""
    rng = np.random.default_rng(23)
    counts = rng.integers(1, 130, 40)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    n = int(counts.sum())
    for values in (
        rng.integers(0, 9, n) * 2.0,  # (whole numbers: added by NumPy, in pairs)
        rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, n),
    ):
        expected = []
        for start, n in zip(starts.tolist(), counts.tolist(), strict=True):
            total = 0.0
            for value in values[start : start + n].tolist():
                total += value
            expected.append(total)
        assert writer_module._sums(values, starts, counts).tolist() == expected


def test_length_bytes_are_whooshs():
    """The field lengths' bytes figured out over an array are Whoosh's
    `length_to_byte`, for every length up to past its largest."""
    lengths = np.arange(110_000)
    assert writer_module._length_bytes(lengths).tolist() == [length_to_byte(n) for n in lengths]


def test_a_helper_that_fails_to_write_its_terms_fails_the_commit(tmp_path, monkeypatch):
    """The error names the helper; the segment is not committed."""
    monkeypatch.setattr(writer_module, "_SHARED_FROM", 0)
    monkeypatch.setattr(writer_module, "_POSTING_BYTES", 10**6)  # (saved as runs)

    def failing(task):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module, "write_range", failing)
    folder = tmp_path / "index"
    ix = empty_index(folder)
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        writer = open_writer(ix, limitmb=16)
        writer.helpers = (executor, 1)
        for fields in passages():
            writer.add_document(**fields)
        with pytest.raises(IndexingFailed, match="helper process failed while writing the index"):
            commit(writer)
        writer.cancel()
    assert whoosh_index.open_dir(folder).doc_count_all() == 0
    assert list(folder.glob("*.scores")) == []


def test_terms_that_fill_their_last_block_exactly_read_as_whoosh_writes_them(tmp_path):
    """A term in 128 or 256 passages (Whoosh's block size) ends on a full
    block, which must still be marked last; weights differ within a block
    ("baclofen" once or twice) or are all equal."""
    documents = []
    for n in range(300):
        words = ["baclofen"] * (1 + n % 2) + ["spasm"] * (n < 256) + ["dose"] * (n < 128)
        body = " ".join([*words, f"word{n}"])
        documents.append(
            {"path": f"p{n // 10}.txt", "body": body,
             "title": title_text("Baclofen", None), "body_terms": term_count(body)}
        )
    theirs = build(tmp_path / "whoosh", SegmentWriter, documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=128), documents)
    assert contents(ours) == contents(theirs)
    with ours.searcher() as searcher:
        assert searcher.reader().doc_frequency("body", stem("dose")) == 128
        assert len(list(searcher.reader().postings("body", stem("spasm")).all_ids())) == 256
        # a term in a few passages has its postings inlined in the terms table
        assert searcher.reader().term_info("body", stem("word7")).is_inlined()
        assert not searcher.reader().term_info("body", stem("dose")).is_inlined()


def _batch_documents() -> list[dict]:
    """`passages()` with their term counts left to the writer, a passage
    repeated right after itself (its postings share their values), a
    document boost, a field boost, a body of stop words only and one longer
    than 2,048 words (positions past the table of one-position values)."""
    documents = []
    for n, fields in enumerate(passages()[:120]):
        fields = {**fields, "title_terms": TERM_COUNT, "body_terms": TERM_COUNT}
        if n == 7:
            fields["_boost"] = 1.5
        if n == 9:
            fields["_body_boost"] = 0.5
        if n == 11:
            fields["body"] = "the and of which"
        if n == 13:
            fields["body"] = " ".join(f"word{k % 300} the" for k in range(1500)) + " last"
        documents.append(fields)
        if n % 10 == 4:
            documents.append(dict(fields))
    return documents


@pytest.mark.parametrize("waiting", [1, 3, 2048])
def test_texts_analysed_in_batches_make_the_same_segment(tmp_path, monkeypatch, waiting):
    """Title and body analysed many passages at a time (`_Waiting`) give
    the segment, byte for byte, that analysing each passage as it comes
    gives, with its term counts in `title_terms` and `body_terms`; and
    Whoosh reads from it what its own writer writes."""
    documents = _batch_documents()

    def one_at_a_time(ix):
        writer = open_writer(ix, limitmb=128)
        writer._batched = {}  # (each passage's title and body through `_index`)
        return writer

    monkeypatch.setattr(writer_module, "_WAITING_DOCUMENTS", waiting)
    single = build(tmp_path / "single", one_at_a_time, documents)
    batched = build(tmp_path / "batched", lambda ix: open_writer(ix, limitmb=128), documents)
    assert segment_files(batched) == segment_files(single)

    counted = [
        {**fields, "title_terms": term_count(fields["title"]),
         "body_terms": term_count(fields["body"])}
        for fields in documents
    ]
    theirs = build(tmp_path / "whoosh", SegmentWriter, counted)
    assert contents(batched) == contents(theirs)
    with batched.reader() as reader:
        assert list(reader.column_reader("body_terms")) == [d["body_terms"] for d in counted]


def test_a_part_analyses_its_waiting_texts_before_handing_them_over(tmp_path, monkeypatch):
    """A helper's writer records each document's lengths and counts when
    its texts are analysed, also past a chunk of its recorded documents:
    the main writer takes in what one writer alone would have written."""
    monkeypatch.setattr(writer_module, "_DOCUMENTS_CHUNK", 5)
    documents = _batch_documents()
    alone = build(tmp_path / "alone", lambda ix: open_writer(ix, limitmb=128), documents)

    folder = tmp_path / "parts"
    ix = empty_index(folder)
    main = open_writer(ix, limitmb=128)
    part = open_writer(ix, limitmb=128, lock=False, part=True)
    half = len(documents) // 2
    for fields in documents[:half]:
        main.add_document(**fields)
    for fields in documents[half:]:
        part.add_document(**fields)
    main.take_in(writer_module.hand_over(part))
    commit(main)
    assert contents(whoosh_index.open_dir(folder)) == contents(alone)


def _by_source(documents: list[dict]) -> list[list[dict]]:
    """`documents` in runs of one path each, as the indexer adds a source's
    passages."""
    runs: list[list[dict]] = []
    for fields in documents:
        if runs and runs[-1][0]["path"] == fields["path"]:
            runs[-1].append(fields)
        else:
            runs.append([fields])
    return runs


@pytest.mark.parametrize("pending", [2, 7, 256])
def test_documents_added_many_at_a_time_make_the_same_segment(tmp_path, monkeypatch, pending):
    """Sources' passages added a source at a time (`add_documents`), some
    with their term counts given and some boosted (added one by one), give
    the segment, byte for byte, that adding each passage gives, also when
    their texts are analysed in the middle of a batch."""
    monkeypatch.setattr(writer_module, "_PENDING_DOCUMENTS", pending)
    monkeypatch.setattr(writer_module, "_WAITING_DOCUMENTS", 5)
    documents = passages()[:60] + _batch_documents()
    single = build(tmp_path / "single", lambda ix: open_writer(ix, limitmb=128), documents)

    folder = tmp_path / "many"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=128)
    for run in _by_source(documents):
        writer.add_documents(run)
    writer.commit(merge=False)
    assert segment_files(whoosh_index.open_dir(folder)) == segment_files(single)


@pytest.mark.parametrize("pending", [3, 256])
def test_a_part_adds_documents_many_at_a_time(tmp_path, monkeypatch, pending):
    """A helper's writer adding sources' passages a source at a time, past
    chunks of its recorded documents, hands over what adding each passage
    would: the main writer takes in what one writer alone would write."""
    monkeypatch.setattr(writer_module, "_PENDING_DOCUMENTS", pending)
    monkeypatch.setattr(writer_module, "_DOCUMENTS_CHUNK", 5)
    monkeypatch.setattr(writer_module, "_WAITING_DOCUMENTS", 4)
    documents = passages()[:60] + _batch_documents()
    alone = build(tmp_path / "alone", lambda ix: open_writer(ix, limitmb=128), documents)

    folder = tmp_path / "parts"
    ix = empty_index(folder)
    main = open_writer(ix, limitmb=128)
    part = open_writer(ix, limitmb=128, lock=False, part=True)
    half = len(documents) // 2
    for run in _by_source(documents[:half]):
        main.add_documents(run)
    for run in _by_source(documents[half:]):
        part.add_documents(run)
    main.take_in(writer_module.hand_over(part))
    commit(main)
    assert contents(whoosh_index.open_dir(folder)) == contents(alone)


def test_a_bad_document_among_many_fails_as_one_by_one(tmp_path, monkeypatch):
    """A document whose field holds a value of the wrong type, added among
    others (`add_documents`), fails as `add_document` would when they are
    added: the documents before it are in the index, it is not."""
    monkeypatch.setattr(writer_module, "_PENDING_DOCUMENTS", 1)
    folder = tmp_path / "ix"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=128)
    good = [{"path": "a.txt", "title": "Dose", "body": f"baclofen {n}"} for n in (1, 2)]
    writer.add_documents(good)
    bad = {"path": "b.txt", "title": 12, "body": "muscle relaxant"}
    with pytest.raises(ValueError):
        writer.add_documents([*good, bad, *good])
    writer.commit(merge=False)
    with whoosh_index.open_dir(folder).searcher() as searcher:
        assert searcher.doc_count() == 4
        assert not list(searcher.documents(path="b.txt"))


def _counted(saved: list):
    """`_TermPool._new_run`, noting each run it makes in `saved`."""
    new_run = writer_module._TermPool._new_run

    def counted(self):
        saved.append(new_run(self))
        return saved[-1]

    return counted


def test_merging_segments_writes_what_whoosh_writes(tmp_path):
    """Segments merged into the writer (an update's commit) reach the
    postings through Whoosh's own pool calls."""
    documents = passages()
    theirs = build(tmp_path / "whoosh", SegmentWriter, documents, batches=3, merge=True)
    ours = build(
        tmp_path / "ours", lambda ix: open_writer(ix, limitmb=128), documents, batches=3, merge=True
    )
    assert contents(ours) == contents(theirs)


def test_documents_added_before_a_merge_read_as_whoosh_writes_them(tmp_path):
    """A writer's own documents, then the segments merged after them (an
    update's commit): the columns and lengths the writer keeps until the
    segment is written come before the merged segments' in every column."""

    def build_and_merge(folder, writer_of):
        documents = passages()
        third = len(documents) // 3
        ix = build(folder, writer_of, documents[:third], batches=2)
        writer = writer_of(ix)
        for fields in documents[third:]:
            writer.add_document(**fields)
        writer.commit(optimize=True)
        return whoosh_index.open_dir(folder)

    theirs = build_and_merge(tmp_path / "whoosh", SegmentWriter)
    ours = build_and_merge(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=128))
    assert contents(ours) == contents(theirs)


def test_commit_lists_the_writers_segment(tmp_path):
    """`commit` publishes what the writer wrote: its documents are found."""
    folder = tmp_path / "index"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=16)
    for fields in passages():
        writer.add_document(**fields)
    commit(writer)
    documents = passages()
    with whoosh_index.open_dir(folder).searcher() as searcher:
        assert searcher.doc_count() == len(documents)
        last = documents[-1]
        (found,) = [
            f for f in searcher.documents(path=last["path"]) if f["place"] == last["place"]
        ]
        assert stored_passage(found)["passage_id"] == last["place"][0]


def test_a_document_that_fails_part_way_leaves_nothing_behind(tmp_path):
    """Its postings made before the failing field are not kept (Whoosh's
    own writer would file them under the next document's number)."""
    folder = tmp_path / "index"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=16)
    with pytest.raises(ValueError):  # ("body" and "path" are indexed before "title" fails)
        writer.add_document(path="bad.txt", body="baclofen dose", title=12)
    writer.add_document(path="good.txt", body="muscle relaxant")
    commit(writer)

    with whoosh_index.open_dir(folder).searcher() as searcher:
        assert searcher.doc_count() == 1 and searcher.reader().doc_frequency("path", "good.txt") == 1
        body_terms = {term for field, term in searcher.reader().all_terms() if field == "body"}
        assert body_terms == {stem("muscle").encode(), stem("relaxant").encode()}
        assert searcher.reader().doc_frequency("path", "bad.txt") == 0


def test_a_document_that_fails_part_way_leaves_no_column_values(tmp_path):
    """Its lengths and column numbers are not kept either: the next document
    reads its own (Whoosh's writer wrote a failed document's column values
    under the number the next one then gets)."""
    folder = tmp_path / "index"
    ix = empty_index(folder)
    writer = open_writer(ix, limitmb=16)
    with pytest.raises(ValueError):  # ("body" and "body_terms" come before "title")
        writer.add_document(path="bad.txt", body="baclofen dose daily", body_terms=3, title=12)
    writer.add_document(path="good.txt", body="muscle relaxant", body_terms=2, passage_number=1)
    commit(writer)

    with whoosh_index.open_dir(folder).reader() as reader:
        assert list(reader.column_reader("body_terms")) == [2]
        assert list(reader.column_reader("passage_number")) == [1]
        assert reader.doc_field_length(0, "body") == 2 and reader.field_length("body") == 2


@pytest.mark.parametrize("run_documents", [1, 3, 4096])
def test_postings_repeated_passage_after_passage_read_as_whoosh_writes_them(
    tmp_path, monkeypatch, run_documents
):
    """A source's passages repeat its path, source words, kind, author and
    date: those postings wait as runs of documents (at most
    `run_documents`), cut where a boost differs, and read back as Whoosh's
    writer writes them."""
    monkeypatch.setattr(writer_module, "_RUN_DOCUMENTS", run_documents)
    documents = []
    for n, fields in enumerate(passages()[:40]):
        if n % 7 == 3:
            fields = {**fields, "_path_boost": 3.0}
        documents.append(fields)
    assert len({d["path"] for d in documents}) < len(documents) / 2

    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=16), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)

    assert contents(ours) == contents(theirs)


def test_source_words_read_as_whoosh_writes_them(tmp_path):
    """A source's words (a keyword field), indexed without Whoosh's
    tokenizer: each word lower-cased once with its frequency, whatever the
    spaces, cases and letters between and in them, boosted or not."""
    values = [
        "guide.md guide GUIDE Guide", "a\tb\nc\rd  e\x0bf", "", "   ", "Éclair éclair İstanbul ß",
        "x x x y", "tab\there",
    ]
    documents = []
    for n, fields in enumerate(passages()[:40]):
        fields = {**fields, "source": values[n % len(values)]}
        if n % 5 == 4:
            fields["_source_boost"] = 2.0
        documents.append(fields)

    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=16), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)

    assert contents(ours) == contents(theirs)
    with ours.searcher() as searcher:
        assert searcher.doc_frequency("source", "guide") == 6


def test_boosts_and_stored_values_given_apart_read_as_whoosh_writes_them(tmp_path):
    """A document with `_boost`, `_NAME_boost` or `_stored_NAME` keys (none
    of groundsearch's own) is written as Whoosh writes it, beside plain
    ones; a field the schema lacks is refused as Whoosh refuses it."""
    documents = []
    for n, fields in enumerate(passages()[:40]):
        if n % 5 == 1:
            fields = {**fields, "_boost": 2.0}
        if n % 5 == 2:
            fields = {**fields, "_path_boost": 3.0, "_title_boost": 0.5}
        if n % 5 == 3:
            fields = {**fields, "_stored_place": ("stored apart", n)}
        documents.append(fields)

    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=16), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)

    expected = contents(theirs)
    assert ("stored apart", 3) in [fields.get("place") for fields in expected["stored"]]
    assert contents(ours) == expected
    for writer in (SegmentWriter(theirs, limitmb=16), open_writer(ours, limitmb=16)):
        with pytest.raises(UnknownFieldError):
            writer.add_document(path="a.txt", body="baclofen", pages=3)
        writer.cancel()


def test_stored_fields_of_any_size_read_as_whoosh_writes_them(tmp_path):
    """Stored fields are written uncompressed, in zlib streams that Whoosh's
    reader decompresses as it does its own: a value longer than one
    uncompressed block (65,535 bytes), through the writer's plan and through
    Whoosh's own per-document steps (`_stored_place`), reads back as
    Whoosh's writer writes it, in one segment and merged from three."""
    documents = []
    for n, fields in enumerate(passages()[:40]):
        if n % 4 == 1:
            fields = {**fields, "place": ("é" * 70_000, n)}
        if n % 4 == 2 and "date" not in fields:
            fields = {**fields, "_stored_place": ("b" * 140_000, n)}
        documents.append(fields)

    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=16), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)
    merged = build(
        tmp_path / "merged", lambda ix: open_writer(ix, limitmb=16), documents, batches=3,
        merge=True,
    )

    expected = contents(theirs)
    assert ("é" * 70_000, 1) in [fields["place"] for fields in expected["stored"]]
    assert contents(ours) == expected
    assert contents(merged)["stored"] == expected["stored"]


def test_a_stored_value_that_refers_to_itself_reads_back(tmp_path):
    """A stored value holding itself (none of groundsearch's own) is
    pickled with its references, through the writer's plan and through
    Whoosh's own steps."""
    looped = ["looped"]
    looped.append(looped)
    first, second = passages()[:2]
    documents = [{**first, "place": looped}, {**second, "_stored_place": looped}]

    ix = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)

    with ix.reader() as reader:
        for docnum in range(2):
            place = reader.stored_fields(docnum)["place"]
            assert place[0] == "looped"
            assert place[1] is place


def test_terms_are_found_by_the_hash_the_terms_table_names(tmp_path):
    """The terms table is hashed with CRC-32 (Whoosh's hash type 1), which
    its header names: Whoosh finds every term of it, as it finds them in a
    table its own writer hashed with MD5 (type 0, what earlier versions
    wrote), and a search reads the same from both."""
    documents = passages()[:60]
    theirs = build(tmp_path / "whoosh", lambda ix: SegmentWriter(ix, limitmb=16), documents)
    ours = build(tmp_path / "ours", lambda ix: open_writer(ix, limitmb=16), documents)

    hash_types = []
    for ix in (theirs, ours):
        (segment,) = ix._segments()
        storage = segment.open_compound_file(ix.storage)
        (name,) = [n for n in storage.list() if n.endswith(".trm")]
        hash_types.append(storage.open_file(name).read()[4])
    assert hash_types == [0, 1]
    assert contents(ours) == contents(theirs)
    with theirs.searcher() as mine, ours.searcher() as yours:
        for word in ("baclofen", "withdraw", "jeann", "nothere"):
            query = Term("body", stem(word))
            assert [h.docnum for h in mine.search(query, limit=None)] == [
                h.docnum for h in yours.search(query, limit=None)
            ]


def test_every_row_of_a_large_terms_table_is_found_by_its_key(tmp_path):
    """A terms table of 30,000 rows, added one at a time and many at once,
    its hash tables laid out by the writer: Whoosh's reader finds each
    row's value by its key, rows that ran past the end of their bucket's
    table and went to its first slots among them, and no key never added."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter, _pointer

    storage = FileStorage(str(tmp_path))
    tindex = OrderedHashWriter(storage.create_file("terms.trm"))
    writer_module._hash_terms_by_crc(tindex)
    table = writer_module._TermsTable(tindex)
    keys = sorted({f"term{n * 7919 % 100_003}".encode() for n in range(30_000)})
    values = [f"value {n}".encode() for n in range(len(keys))]
    table.add_rows(keys[:20_000], values[:20_000])
    for key, value in zip(keys[20_000:], values[20_000:], strict=True):
        table.add(key, value)
    table.finish()
    tindex.close()

    reader = OrderedHashReader(storage.open_file("terms.trm"))
    try:
        assert reader.hashtype == 1
        assert [reader.get(key) for key in keys] == values
        assert reader.get(b"term100004") is None and reader.get(b"") is None
        assert list(reader.keys()) == keys
        wrapped = 0
        for start, slots in reader.tables:
            for slot in range(slots):
                at = start + slot * _pointer.size
                hashed, position = _pointer.unpack(reader.dbfile.get(at, _pointer.size))
                wrapped += position > 0 and (hashed >> 8) % slots > slot
        assert wrapped > 0
    finally:
        reader.close()
