"""Reading a BEIR-format data set and writing it out as a folder of documents.

A BEIR folder holds `corpus.jsonl`, `queries.jsonl` and `qrels/<split>.tsv`
(tab-separated, header line, CRLF line endings).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class Dataset:
    name: str
    corpus: dict[str, tuple[str, str]]  # doc id -> (title, text), in file order
    queries: dict[str, str]  # query id -> text (only the split's queries)
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: grade}


def load(folder: Path, split: str = "test") -> Dataset:
    folder = Path(folder)
    corpus: dict[str, tuple[str, str]] = {}
    with open(folder / "corpus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                corpus[str(row["_id"])] = (row.get("title") or "", row.get("text") or "")
    qrels: dict[str, dict[str, int]] = {}
    lines = (folder / "qrels" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:  # header: query-id, corpus-id, score
        if not line.strip():
            continue
        qid, did, score = line.split("\t")
        qrels.setdefault(qid, {})[did] = int(score)
    queries: dict[str, str] = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if str(row["_id"]) in qrels:
                    queries[str(row["_id"])] = row["text"]
    return Dataset(folder.name, corpus, queries, qrels)


def subset(data: Dataset, n_queries: int, n_docs: int) -> Dataset:
    """A small slice for smoke tests: the first `n_queries` queries, every
    document they judge, then other documents up to `n_docs`."""
    qids = list(data.queries)[:n_queries]
    keep = {d for q in qids for d in data.qrels[q] if d in data.corpus}
    for did in data.corpus:
        if len(keep) >= n_docs:
            break
        keep.add(did)
    corpus = {d: v for d, v in data.corpus.items() if d in keep}
    return Dataset(
        data.name, corpus, {q: data.queries[q] for q in qids}, {q: data.qrels[q] for q in qids}
    )


def replicate(data: Dataset, n_docs: int) -> Dataset:
    """The corpus repeated (copies get new ids `<id>~<n>`) up to `n_docs`
    documents, or cut to its first `n_docs`; queries and qrels unchanged."""
    items = list(data.corpus.items())
    corpus: dict[str, tuple[str, str]] = {}
    copy = 0
    while len(corpus) < n_docs:
        for did, value in items:
            if len(corpus) >= n_docs:
                break
            corpus[did if copy == 0 else f"{did}~{copy}"] = value
        copy += 1
    return Dataset(data.name, corpus, data.queries, data.qrels)


def file_name(doc_id: str) -> str:
    """A safe file name for a document id (the harness maps it back)."""
    return _UNSAFE.sub("_", doc_id) + ".txt"


def write_folder(data: Dataset, folder: Path) -> dict[str, str]:
    """Write each document as `<id>.txt`: the title on the first line, a blank
    line, then the text, exactly as a user's plain-text files look.  Returns
    file name -> doc id."""
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for did, (title, text) in data.corpus.items():
        name = file_name(did)
        if name in names:
            raise ValueError(f"document ids {names[name]!r} and {did!r} map to one file name")
        names[name] = did
        body = f"{title.strip()}\n\n{text.strip()}\n" if title.strip() else f"{text.strip()}\n"
        (folder / name).write_text(body, encoding="utf-8")
    return names
